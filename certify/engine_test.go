package certify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/roles"
	"github.com/mostao/conformance/targets"
)

// TestTheReportNamesTheTargetsEngine: the report header's engine is the
// one the target says runs it, whatever engine that is.
func TestTheReportNamesTheTargetsEngine(t *testing.T) {
	target := targets.Reference()
	target.Engine.Name = "fake-engine 9.1 (wasm64)"
	run, err := Run(context.Background(), Config{Target: target, MIPs: []string{"01"}, Date: fixedDate, Scenario: firstScenarioOf(t, "01")})
	if err != nil {
		t.Fatal(err)
	}
	if run.Header.Engine != "fake-engine 9.1 (wasm64)" {
		t.Errorf("header engine %q", run.Header.Engine)
	}
	if !run.Summary.OK {
		t.Errorf("the reference did not pass: %+v", run.Summary)
	}
}

// failingWorld is a world whose sends fail as its engine or transport
// would: with err when set, else by waiting for the call's context.
type failingWorld struct {
	adapters.World
	err error
	// calls counts the sends that reached the world.
	calls *int
}

func (w failingWorld) Send(ctx context.Context, m adapters.Message) (adapters.Trace, error) {
	*w.calls++
	if w.err != nil {
		return adapters.Trace{}, w.err
	}
	<-ctx.Done()
	return adapters.Trace{}, fmt.Errorf("relaying to the node: %w", ctx.Err())
}

func failing(err error, calls *int) adapters.Target {
	t := targets.Reference()
	inner := t.NewWorld
	t.NewWorld = func() (adapters.World, error) {
		w, err2 := inner()
		if err2 != nil {
			return nil, err2
		}
		return failingWorld{World: w, err: err, calls: calls}, nil
	}
	return t
}

// TestATransportFailureIsNoVerdict: a world whose transport fails (an
// error wrapping adapters.ErrTransport, under any words) makes the run a
// suite error, not a failure of the implementation.
func TestATransportFailureIsNoVerdict(t *testing.T) {
	calls := 0
	transport := fmt.Errorf("POST https://cu.example/result: %w", fmt.Errorf("connection reset: %w", adapters.ErrTransport))
	_, err := Run(context.Background(), Config{Target: failing(transport, &calls), MIPs: []string{"01"}, Date: fixedDate, Scenario: firstScenarioOf(t, "01")})
	if err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Fatalf("want a suite error naming the transport's failure, got %v", err)
	}
	if calls == 0 {
		t.Fatal("no send reached the world: the check looked at nothing")
	}
	// The same from the properties alone: the error keeps its chain.
	_, _, err = runProperties(context.Background(), Config{Target: failing(transport, &calls), Checks: 8, Steps: 5}, []string{"01"}, DefaultRunWorkFactor)
	if !errors.Is(err, adapters.ErrTransport) {
		t.Fatalf("want the properties' suite error to wrap ErrTransport, got %v", err)
	}
}

// TestCancellingTheRunStopsAWorldCall: a world call waits on its step's
// context, which the run's context cancels: cancelling the run ends a call
// that would never end, and the run is a suite error.
func TestCancellingTheRunStopsAWorldCall(t *testing.T) {
	calls := 0
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(200 * time.Millisecond)
		cancel()
	}()
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, Config{Target: failing(nil, &calls), MIPs: []string{"01"}, Date: fixedDate, Scenario: firstScenarioOf(t, "01")})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), context.Canceled.Error()) {
			t.Errorf("want a suite error saying the run was cancelled, got %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("cancelling the run did not stop the world call")
	}
	if calls == 0 {
		t.Fatal("no send reached the world")
	}
}

// TestTheCallTimeoutIsConfigurable: Config.CallTimeout bounds each world
// call; one past it makes the run a suite error.
func TestTheCallTimeoutIsConfigurable(t *testing.T) {
	calls := 0
	start := time.Now()
	_, err := Run(context.Background(), Config{Target: failing(nil, &calls), MIPs: []string{"01"}, Date: fixedDate,
		Scenario: firstScenarioOf(t, "01"), CallTimeout: 50 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), context.DeadlineExceeded.Error()) {
		t.Fatalf("want a suite error saying the call's deadline passed, got %v", err)
	}
	if calls == 0 || time.Since(start) > 30*time.Second {
		t.Errorf("%d calls in %s", calls, time.Since(start))
	}
}

// TestASuiteErrorEndsItsShard: a property's shard that meets a suite error
// (here the safety net, adapters.ErrTooSlow, on every send) tries no more
// sequences: rapid took the error for a failure and shrank it, running
// the sequence again and again, each run into the same net (a minute a
// run at the default).
func TestASuiteErrorEndsItsShard(t *testing.T) {
	calls := 0
	slow := fmt.Errorf("one evaluation ran for 60s: %w", adapters.ErrTooSlow)
	_, _, err := runProperties(context.Background(), Config{Target: failing(slow, &calls), Checks: 8, Steps: 20}, []string{"01"}, DefaultRunWorkFactor)
	if !errors.Is(err, adapters.ErrTooSlow) {
		t.Fatalf("want a suite error wrapping ErrTooSlow, got %v", err)
	}
	// Each of the 8 shards of each MIP-01 property reaches the world at
	// most once.
	props := 0
	for _, p := range roles.All() {
		if p.MIP == "01" {
			props = len(p.Properties)
		}
	}
	if calls == 0 || calls > 8*props {
		t.Fatalf("%d sends reached the world, want 1 to %d", calls, 8*props)
	}
}
