package mutate_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/mutate"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/spec"
)

// runFailing is a run whose listed requirements fail (MUST unless named
// "S-...", which warn as SHOULDs do), with a check error.
func runFailing(checkErr string, ids ...string) reports.Run {
	var run reports.Run
	run.Requirements = append(run.Requirements, reports.Requirement{ID: "MIP00-OK-1", Level: spec.Must, Verdict: reports.Pass})
	for _, id := range ids {
		level, verdict := spec.Must, reports.Fail
		if id[0] == 'S' {
			level, verdict = spec.Should, reports.Warn
		}
		run.Requirements = append(run.Requirements, reports.Requirement{ID: id, Level: level, Verdict: verdict,
			Checks: []reports.Check{{Error: checkErr}}})
	}
	return run
}

func TestJudge(t *testing.T) {
	m := mutate.Mutant{ID: "p:1:negate"}
	eq := map[string]string{"p:1:negate": "never reached"}
	cases := []struct {
		name    string
		run     reports.Run
		eq      map[string]string
		status  mutate.Status
		killers []string
	}{
		{"killed", runFailing("x", "MIP01-B-1", "MIP01-A-1", "S-1"), nil, mutate.Killed, []string{"MIP01-A-1", "MIP01-B-1"}},
		{"a failing SHOULD is no kill, and no survivor either", runFailing("x", "S-2", "S-1"), nil, mutate.Should, []string{"S-1", "S-2"}},
		{"survived", runFailing(""), nil, mutate.Survived, nil},
		{"equivalent", runFailing(""), eq, mutate.Equivalent, nil},
		{"stale", runFailing("x", "MIP01-A-1"), eq, mutate.Stale, []string{"MIP01-A-1"}},
		{"compute limit", runFailing("the evaluation failed (compute-limit): loop", "MIP01-A-1"), nil, mutate.Timeout, []string{"MIP01-A-1"}},
		{"stopped run", func() reports.Run { r := runFailing(""); r.Header.Stopped = "the bound"; return r }(), nil, mutate.Timeout, nil},
	}
	for _, c := range cases {
		r := mutate.Judge(m, c.run, c.eq)
		assert.Equal(t, c.status, r.Status, c.name)
		assert.Equal(t, c.killers, r.Killers, c.name)
	}
}

// TestRunKeepsTheMutantsOrder: mutants that end in any order are reported
// in the order given, on several workers.
func TestRunKeepsTheMutantsOrder(t *testing.T) {
	var ms []mutate.Mutant
	for i := 0; i < 12; i++ {
		ms = append(ms, mutate.Mutant{ID: fmt.Sprintf("p:%d:x", i), Line: i})
	}
	certify := func(_ context.Context, m mutate.Mutant) (reports.Run, error) {
		time.Sleep(time.Duration(12-m.Line) * time.Millisecond) // the first end last
		if m.Line%3 == 0 {
			return runFailing(""), nil
		}
		return runFailing("x", fmt.Sprintf("MIP01-A-%d", m.Line)), nil
	}
	var calls []int
	rs, err := mutate.Run(context.Background(), ms, certify, 4, nil, func(done, total int) {
		assert.Equal(t, len(ms), total)
		calls = append(calls, done)
	})
	require.NoError(t, err)
	require.Len(t, rs, len(ms))
	assert.Equal(t, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, calls)
	for i, r := range rs {
		assert.Equal(t, ms[i].ID, r.Mutant.ID)
		if i%3 == 0 {
			assert.Equal(t, mutate.Survived, r.Status)
		} else {
			assert.Equal(t, []string{fmt.Sprintf("MIP01-A-%d", i)}, r.Killers)
		}
	}
	s := mutate.Summarize(rs)
	assert.Equal(t, mutate.Score{Total: 12, Killed: 8, Survived: 4, MedianBlame: 1}, s)
	assert.InDelta(t, 8.0/12, s.Rate(), 1e-9)

	_, err = mutate.Run(context.Background(), ms, func(context.Context, mutate.Mutant) (reports.Run, error) {
		return reports.Run{}, errors.New("no engine")
	}, 2, nil, nil)
	assert.ErrorContains(t, err, "no engine")
}

// BothLoadings certifies a mutant loaded by aos's boot loader only when
// the loading with the spawn neither kills it nor stops at a limit, and
// returns the killing run, else the first.
func TestBothLoadings(t *testing.T) {
	m := mutate.Mutant{ID: "p:1:negate"}
	limited := runFailing("")
	limited.Header.Stopped = "the run's work bound"
	cases := []struct {
		name            string
		withSpawn, boot reports.Run
		wantBootAsked   bool
		want            mutate.Status
		wantKillers     []string
	}{
		{"killed with the spawn", runFailing("", "A-1"), runFailing("", "B-1"), false, mutate.Killed, []string{"A-1"}},
		{"killed only by the boot loader", runFailing(""), runFailing("", "B-1"), true, mutate.Killed, []string{"B-1"}},
		{"seen by neither", runFailing(""), runFailing(""), true, mutate.Survived, nil},
		{"SHOULD only, then killed", runFailing("", "S-1"), runFailing("", "B-1"), true, mutate.Killed, []string{"B-1"}},
		{"stopped at a limit", limited, runFailing("", "B-1"), false, mutate.Timeout, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			asked := false
			run := mutate.BothLoadings(func(_ context.Context, _ mutate.Mutant, boot bool) (reports.Run, error) {
				if boot {
					asked = true
					return c.boot, nil
				}
				return c.withSpawn, nil
			})
			got, err := run(context.Background(), m)
			require.NoError(t, err)
			assert.Equal(t, c.wantBootAsked, asked)
			r := mutate.Judge(m, got, nil)
			assert.Equal(t, c.want, r.Status)
			if c.wantKillers != nil {
				assert.Equal(t, c.wantKillers, r.Killers)
			}
		})
	}
}
