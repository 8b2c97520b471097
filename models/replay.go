package models

import (
	"context"
	"fmt"
	"time"

	"github.com/mostao/conformance/adapters"
)

// Replay plays a sequence (from a failure file, see ReadSequence) against
// the target and the model, step by step, and returns the first divergence
// as a Failure, or nil when the target and the model agree on every step.
// The error is only for "the suite could not run".
func Replay(ctx context.Context, target adapters.Target, seq Sequence) (f *Failure, err error) {
	return replay(ctx, target, seq, 0)
}

// replay is Replay with each world call bounded by timeout (0:
// adapters.DefaultCallTimeout).
func replay(ctx context.Context, target adapters.Target, seq Sequence, timeout time.Duration) (f *Failure, err error) {
	defer func() {
		// A panic below is a bug of the suite or the engine: report it, do
		// not bring the caller down.
		if v := recover(); v != nil {
			f, err = nil, fmt.Errorf("models: replaying MIP-%s %s panicked: %v", seq.MIP, seq.Property, v)
		}
	}()
	p, ok := findProperty(seq.MIP, seq.Property)
	if !ok {
		return nil, fmt.Errorf("models: no property %q for MIP-%s (the sequence file names one the suite does not have)", seq.Property, seq.MIP)
	}
	for _, proc := range seq.Processes {
		if proc.Name == "" || proc.Role == "" || proc.Owner == "" {
			return nil, fmt.Errorf("models: the sequence's process %+v lacks a name, role or owner", proc)
		}
	}
	r, err := newRunner(ctx, target, seq, timeout)
	if err != nil {
		return nil, err
	}
	defer r.close()
	r.sys = p.model(seq)
	fail := func(d *Divergence) *Failure {
		played := r.seq
		played.Seed = seq.Seed
		return &Failure{Seed: seq.Seed, Sequence: played, Divergence: *d, Expectations: r.expectations(),
			SpawnExpectations: r.spawnExpected, Exchanges: r.exchanges, Replay: "go run ./cmd/mostao replay <this file>"}
	}
	if d, err := r.start(); err != nil || d != nil {
		if err != nil {
			return nil, err
		}
		return fail(d), nil
	}
	for _, s := range seq.Steps {
		d, err := r.exec(s)
		if err != nil {
			return nil, err
		}
		if d != nil {
			return fail(d), nil
		}
	}
	return nil, nil
}
