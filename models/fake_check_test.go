package models

import (
	"bytes"
	"context"
	"flag"
	"runtime"
	"testing"
	"testing/fstest"

	"github.com/mostao/conformance/models/proto"
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
	if want := sequencesRun(200); o.Sequences != want {
		t.Errorf("ran %d sequences, want %d", o.Sequences, want)
	}
	if o.Steps < 20*o.Sequences {
		t.Errorf("ran %d requests in %d sequences: sequences are too short", o.Steps, o.Sequences)
	}
}

func TestFakeBugsAreFoundShrunkAndExported(t *testing.T) {
	for _, bug := range []string{"hijack", "renounce-noop", "double-reply", "crash", "no-validation", "ignores-reply-to"} {
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
			if bug == "ignores-reply-to" && f.Divergence.Requirements[0] != proto.ReqReplyTarget {
				t.Errorf("a reply sent to the sender instead of Reply-To is blamed on %v, want %s first:\n%s", f.Divergence.Requirements, proto.ReqReplyTarget, f)
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

// The shards of a property split the sequences by the Config alone, so the
// verdict, the counts and the minimal failure are the same whatever the
// number of cores, and the printed seed replays the failing sequence.
func TestShardsGiveTheSameVerdictOnAnyNumberOfCores(t *testing.T) {
	run := func(procs int, target string, cfg Config) Outcome {
		t.Helper()
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		out, err := Check(context.Background(), fakeTarget(target), "01", cfg)
		if err != nil {
			t.Fatal(err)
		}
		return out[0]
	}
	one, four := run(1, "", Config{Checks: 100}), run(4, "", Config{Checks: 100})
	if want := sequencesRun(100); one.Sequences != want {
		t.Errorf("ran %d sequences, want %d", one.Sequences, want)
	}
	if one.Sequences != four.Sequences || one.Steps != four.Steps {
		t.Errorf("1 core ran %d sequences and %d requests, 4 cores %d and %d", one.Sequences, one.Steps, four.Sequences, four.Steps)
	}
	a, b := run(1, "rare-hijack", Config{Checks: 200, Steps: 10}), run(4, "rare-hijack", Config{Checks: 200, Steps: 10})
	if a.Failure == nil || b.Failure == nil {
		t.Fatalf("the bug was not found: %v / %v", a.Failure, b.Failure)
	}
	if a.Failure.Seed != b.Failure.Seed || a.Failure.String() != b.Failure.String() || a.Sequences != b.Sequences {
		t.Errorf("1 core and 4 cores disagree:\n%s\n---\n%s", a.Failure, b.Failure)
	}
	// The bug is rare enough that the first shard misses it: the verdict is
	// a later shard's, which the lower shards had to finish before.
	if a.Sequences < shardChecks(200, 0) {
		t.Errorf("found after %d sequences, in the first shard; this test needs a later one", a.Sequences)
	}
	again := run(2, "rare-hijack", Config{Checks: 1, Steps: 10, Seed: a.Failure.Seed})
	if again.Failure == nil || again.Failure.Divergence.Got != a.Failure.Divergence.Got {
		t.Errorf("the seed %d did not replay the failure: %v", a.Failure.Seed, again.Failure)
	}
}

// sequencesRun is how many sequences a passing Check of checks runs: all of
// them, in and out of -short.
func sequencesRun(checks int) int { return checks }

// A failure found under -short prints a seed line that the command line
// (never -short) replays: a Config runs the very same sequences in and out
// of -short, all of them (rapid alone would run a fifth under -short, and
// none of a shard of fewer than five).
func TestShortRunsTheSameSequencesAsTheCommandLine(t *testing.T) {
	setShort := func(v string) {
		if err := flag.Set("test.short", v); err != nil {
			t.Fatal(err)
		}
	}
	defer setShort(flag.Lookup("test.short").Value.String())
	steps := func(short string, checks int) Outcome {
		setShort(short)
		out, err := Check(context.Background(), fakeTarget(""), "01", Config{Checks: checks})
		if err != nil {
			t.Fatal(err)
		}
		return out[0]
	}
	for _, checks := range []int{3, shards, 40} {
		short, full := steps("true", checks), steps("false", checks)
		if short.Sequences != checks || full.Sequences != checks {
			t.Fatalf("%d checks ran %d sequences under -short and %d without it, want %d each", checks, short.Sequences, full.Sequences, checks)
		}
		if short.Steps != full.Steps {
			t.Errorf("%d checks made %d requests under -short and %d without it: the sequences differ", checks, short.Steps, full.Steps)
		}
	}
}
