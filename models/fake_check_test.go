package models

import (
	"bytes"
	"context"
	"testing"
	"testing/fstest"

	"github.com/mostao/conformance/steps"
)

// The property machinery, tested on an independent Go Domain (fake_test.go)
// so that it needs no Lua engine.

func TestFakeCorrectPasses(t *testing.T) {
	out, err := Check(context.Background(), fakeTarget(""), "01", Config{Checks: 200})
	if err != nil {
		t.Fatal(err)
	}
	o := out[0]
	if o.Failure != nil {
		t.Fatalf("a correct fake failed:\n%s", o.Failure)
	}
	if o.Sequences != 200 && !(testing.Short() && o.Sequences == 40) {
		t.Errorf("ran %d sequences, want 200", o.Sequences)
	}
	if o.Steps < 20*o.Sequences {
		t.Errorf("ran %d requests in %d sequences: sequences are too short", o.Steps, o.Sequences)
	}
}

func TestFakeBugsAreFoundShrunkAndExported(t *testing.T) {
	for _, bug := range []string{"hijack", "renounce-noop", "double-reply", "crash", "no-validation"} {
		t.Run(bug, func(t *testing.T) {
			target := fakeTarget(bug)
			out, err := Check(context.Background(), target, "01", Config{Checks: 200})
			if err != nil {
				t.Fatal(err)
			}
			f := out[0].Failure
			if f == nil {
				t.Fatalf("bug %s not found", bug)
			}
			if n := len(f.Sequence.Steps); n > 4 {
				t.Errorf("minimal sequence has %d requests, want at most 4:\n%s", n, f)
			}
			feature := ExportGherkin(f)
			fsys := fstest.MapFS{"regression.feature": {Data: []byte(feature)}}
			res, err := steps.Run(context.Background(), steps.Options{Target: target, Features: fsys})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Scenarios) != 1 || res.Scenarios[0].Status != steps.StatusFailed {
				t.Fatalf("exported scenario did not fail: %+v\n%s", res.Scenarios, feature)
			}
			if got := requestsBeforeFailure(res.Scenarios[0]); got != f.Divergence.Step+1 {
				t.Errorf("scenario failed after request %d (%s), model diverged at %d\n%s", got, res.Scenarios[0].Error, f.Divergence.Step+1, feature)
			}
			ok, err := steps.Run(context.Background(), steps.Options{Target: fakeTarget(""), Features: fsys})
			if err != nil {
				t.Fatal(err)
			}
			if ok.Scenarios[0].Status != steps.StatusPassed {
				t.Errorf("exported scenario fails on a correct domain: %s (%s)\n%s", ok.Scenarios[0].Error, ok.Scenarios[0].FailedStep, feature)
			}
			var buf bytes.Buffer
			if err := WriteSequence(&buf, f); err != nil {
				t.Fatal(err)
			}
			seq, err := ReadSequence(&buf)
			if err != nil {
				t.Fatal(err)
			}
			again, err := Replay(context.Background(), target, seq)
			if err != nil || again == nil || again.Divergence.Got != f.Divergence.Got {
				t.Errorf("replay: %v, %v; want the divergence of\n%s", again, err, f)
			}
			if clean, err := Replay(context.Background(), fakeTarget(""), seq); err != nil || clean != nil {
				t.Errorf("replay on a correct domain: %v, %v", clean, err)
			}
		})
	}
}

// requestsBeforeFailure counts the requests ("When" steps) a scenario made
// up to its failing step.
func requestsBeforeFailure(r steps.ScenarioResult) int {
	n := 0
	for _, s := range r.Steps {
		if s.Keyword == "When " {
			n++
		}
		if s.Status == steps.StatusFailed {
			return n
		}
	}
	return -1
}
