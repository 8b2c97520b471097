package adapters

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Engine says what runs a target's worlds and what the suite may ask of it.
// The steps, the models and the certification read it from the Target; no
// package needs to know which engine it is.
//
// The zero value asks for nothing: an in-process engine whose worlds are
// cheap, which may be replayed to shrink a failure and run on every core.
// The fields say what an engine cannot afford.
type Engine struct {
	// Name names the engine (and its runtime) in report headers, e.g.
	// "lua (gopher-lua, aos-current)".
	Name string
	// CostlyWorlds: making a world costs much (processes on a live
	// network, say). Then one world is made per run of scenarios and per
	// property shard, and reused: each scenario and each generated
	// sequence spawns processes of its own in it. When false every
	// scenario and every sequence gets a fresh world.
	CostlyWorlds bool
	// NoShrink: a failing generated sequence must not be replayed to
	// shrink it (each replay costs too much); a failure is reported as
	// found.
	NoShrink bool
	// Parallel bounds how many property shards, and how many scenarios
	// (when worlds are not costly), run at the same time, each with its own
	// world; 0 means as many as the machine has cores.
	Parallel int
	// WorkScale is how many of the engine's work units (WorkCounter) the
	// reference processes spend where the Lua engine counts one, measured
	// on the reference; 0 means 1. A run's work bound, written in the Lua
	// engine's units, is multiplied by it, so that the bound leaves every
	// engine the same room.
	WorkScale int64
}

// Scale is e.WorkScale, or 1 when it is not set.
func (e Engine) Scale() int64 { return max(e.WorkScale, 1) }

// DefaultCallTimeout bounds one world call (a spawn, a send with every
// message it causes, a dryrun) when the run does not set its own. It is a
// safety net far above what an engine's counted bounds let a call cost: when
// it fires the call gives no verdict, and the run is a suite error.
const DefaultCallTimeout = 5 * time.Minute

// CallTimeout is d, or DefaultCallTimeout when d is not positive.
func CallTimeout(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultCallTimeout
	}
	return d
}

// Errors a world returns when the engine or the way to it failed, not the
// implementation: wrap them (fmt.Errorf("...: %w", ErrTransport)) so that
// the suite tells them apart with errors.Is.
var (
	// ErrTransport: the world could not reach what runs the processes (a
	// network, a node, a child process went away).
	ErrTransport = errors.New("the engine could not be reached")
	// ErrEngine: the engine itself failed on a call it should have carried
	// out (an internal fault, not an evaluation that failed).
	ErrEngine = errors.New("the engine failed")
	// ErrUntestable: the engine cannot carry the call out in a way that
	// says anything of the implementation (a live network asked to spawn
	// a module only the suite knows, or a fresh process of a role whose
	// implementation is a process already deployed). The scenario or
	// property that made the call is untested, with the error as its
	// reason: neither a verdict nor a suite error.
	ErrUntestable = errors.New("untestable on this target")
)

// suiteErrors are the errors of a world call that say the suite could not
// carry the call out, rather than that the implementation misbehaved.
var suiteErrors = []error{
	ErrTransport, ErrEngine, ErrTooSlow,
	ErrClosed, ErrUnknownModule, ErrUnknownWallet,
	// The call's own deadline (CallTimeout) or the run's cancellation.
	context.DeadlineExceeded, context.Canceled,
}

// IsSuiteError reports whether err, returned by a world call, means that
// the suite could not carry the call out: the engine or the transport
// failed, the machine was too slow, the call's deadline passed, or a world
// of the suite's own making was closed or lacked a module or wallet it was
// asked for. It looks at the error's chain only (errors.Is): text from an
// implementation can never make an error a suite error.
//
// ErrRunWork is not one: a run whose work bound is spent gets a verdict of
// its own ("too slow to certify"), and callers handle it apart.
func IsSuiteError(err error) bool {
	if err == nil {
		return false
	}
	for _, e := range suiteErrors {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// Share returns a target whose NewWorld gives the same world every time
// (made on first use), and a function that closes that world. The shared
// world's Close does nothing: callers close their "fresh" world as usual.
// It is how a target whose worlds are costly (Engine.CostlyWorlds) runs
// many scenarios or sequences, one after another, in one world.
func Share(t Target) (Target, func() error) {
	inner := t.NewWorld
	if inner == nil {
		return t, func() error { return nil }
	}
	var (
		mu  sync.Mutex
		w   World
		err error
	)
	t.NewWorld = func() (World, error) {
		mu.Lock()
		defer mu.Unlock()
		if w == nil && err == nil {
			w, err = inner()
		}
		if err != nil {
			return nil, err
		}
		return sharedWorld{World: w, base: workDone(w)}, nil
	}
	return t, func() error {
		mu.Lock()
		defer mu.Unlock()
		if w == nil {
			return nil
		}
		e := w.Close()
		w = nil
		return e
	}
}

// sharedWorld is a world lent to one user of a shared world: closing it
// leaves the world open for the next.
type sharedWorld struct {
	World
	// base is the world's work when it was lent: a borrower counts only
	// the work done since (RunWork adds what WorkDone grows by).
	base int64
}

// Close does nothing: the owner of the shared world closes it.
func (sharedWorld) Close() error { return nil }

// WorkDone is the work done since the world was lent.
func (s sharedWorld) WorkDone() int64 { return workDone(s.World) - s.base }

// workDone is the work a world counted, 0 for a world that counts none.
func workDone(w World) int64 {
	if c, ok := w.(WorkCounter); ok {
		return c.WorkDone()
	}
	return 0
}
