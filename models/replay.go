package models

import (
	"context"
	"fmt"
	"reflect"

	"github.com/mostao/conformance/adapters"
)

// Replay plays a sequence (from a failure file, see ReadSequence) against
// the target and the model, step by step, and returns the first divergence
// as a Failure, or nil when the target and the model agree on every step.
// The error is only for "the suite could not run".
func Replay(ctx context.Context, target adapters.Target, seq Sequence) (*Failure, error) {
	p, ok := findProperty(seq.MIP, seq.Property)
	if !ok {
		return nil, fmt.Errorf("models: no property %q for MIP-%s (the sequence file names one the suite does not have)", seq.Property, seq.MIP)
	}
	if !reflect.DeepEqual(seq.Processes, p.processes) {
		return nil, fmt.Errorf("models: the sequence starts with processes %v; property %s starts with %v", seq.Processes, p.name, p.processes)
	}
	r, err := newRunner(ctx, target, nil, seq)
	if err != nil {
		return nil, err
	}
	defer r.close()
	sys, _ := p.start(r, len(seq.Steps))
	r.sys = sys
	for _, s := range seq.Steps {
		d, err := r.exec(s)
		if err != nil {
			return nil, err
		}
		if d != nil {
			played := r.seq
			played.Seed = seq.Seed
			return &Failure{Seed: seq.Seed, Sequence: played, Divergence: *d, Expectations: r.expected,
				Exchanges: r.exchanges, Replay: "go run ./cmd/mostao replay <this file>"}, nil
		}
	}
	return nil, nil
}
