package adapters_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// TestIsSuiteErrorByChainOnly: a transport's or engine's failure wrapped
// by any number of layers is a suite error, found with errors.Is; the same
// words in an implementation's error text are not, nor is the run's work
// bound (a verdict of its own).
func TestIsSuiteErrorByChainOnly(t *testing.T) {
	wrapped := fmt.Errorf("send to %s: %w", "pid", fmt.Errorf("dial tcp 10.0.0.1:80: %w", adapters.ErrTransport))
	for _, err := range []error{
		wrapped,
		fmt.Errorf("evaluate: %w", adapters.ErrEngine),
		fmt.Errorf("%w: one evaluation ran for 60s", adapters.ErrTooSlow),
		adapters.ErrClosed,
		fmt.Errorf("%w: x", adapters.ErrUnknownWallet),
		fmt.Errorf("%w: x", adapters.ErrUnknownModule),
		fmt.Errorf("call: %w", context.DeadlineExceeded),
		context.Canceled,
	} {
		if !adapters.IsSuiteError(err) {
			t.Errorf("%v: not a suite error", err)
		}
	}
	for _, err := range []error{
		nil,
		errors.New(adapters.ErrTransport.Error()),
		errors.New(adapters.ErrEngine.Error()),
		errors.New(adapters.ErrTooSlow.Error()),
		errors.New("unknown wallet"),
		errors.New("world is closed"),
		errors.New(context.DeadlineExceeded.Error()),
		fmt.Errorf("refused: %w", adapters.ErrRunWork),
		fmt.Errorf("%w: storm", adapters.ErrMessageLimit),
	} {
		if adapters.IsSuiteError(err) {
			t.Errorf("%v: a suite error", err)
		}
	}
}

func TestCallTimeoutDefault(t *testing.T) {
	if adapters.CallTimeout(0) != adapters.DefaultCallTimeout || adapters.CallTimeout(-1) != adapters.DefaultCallTimeout {
		t.Error("an unset timeout is not the default")
	}
	if got := adapters.CallTimeout(7); got != 7 {
		t.Errorf("CallTimeout(7) = %v", got)
	}
}

// countingWorld is a world that counts its work and whether it was closed.
type countingWorld struct {
	adapters.World
	work   int64
	closed int
}

func (w *countingWorld) WorkDone() int64 { return w.work }
func (w *countingWorld) Close() error    { w.closed++; return nil }

func (w *countingWorld) DryRun(context.Context, adapters.Message) (adapters.Result, error) {
	return adapters.Result{}, nil
}

// TestShareLendsOneWorld: a shared target makes its world once, its
// borrowers' Close leaves it open, the closer closes it, and each borrower
// counts only the work done since it borrowed the world (so RunWork does not
// count the same work twice).
func TestShareLendsOneWorld(t *testing.T) {
	made := 0
	inner := &countingWorld{}
	target := adapters.Target{Name: "fake", NewWorld: func() (adapters.World, error) {
		made++
		return inner, nil
	}}
	shared, done := adapters.Share(target)
	a, err := shared.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	inner.work = 100
	if err := a.Close(); err != nil || inner.closed != 0 {
		t.Fatalf("a borrower closed the shared world: %v, %d", err, inner.closed)
	}
	b, err := shared.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	inner.work = 130
	if made != 1 {
		t.Errorf("made %d worlds, want 1", made)
	}
	if got := b.(adapters.WorkCounter).WorkDone(); got != 30 {
		t.Errorf("the second borrower counts %d units, want the 30 done since it borrowed", got)
	}
	if err := done(); err != nil || inner.closed != 1 {
		t.Errorf("closing the shared world: %v, closed %d times", err, inner.closed)
	}

	rw := adapters.NewRunWork(1 << 40)
	inner.work = 0
	shared, done = adapters.Share(target)
	defer done()
	metered := rw.Meter(shared)
	for i := 0; i < 3; i++ {
		w, err := metered.NewWorld()
		if err != nil {
			t.Fatal(err)
		}
		inner.work += 10
		// A call counts the work done during it.
		if _, err := w.DryRun(context.Background(), adapters.Message{}); err != nil {
			t.Fatal(err)
		}
		w.Close()
	}
	if rw.Used() != 30 {
		t.Errorf("the run counted %d units over three borrowers of one world, want 30", rw.Used())
	}
}
