package adapters

import (
	"context"
	"errors"
	"sync/atomic"
)

// ErrRunWork: the work bound of the whole run is spent. The world refused
// the call without running anything. The run as a whole gets a verdict of
// its own ("too slow to certify", see RunWork); the call is no verdict about
// the message it carried.
var ErrRunWork = errors.New("the run's work bound is spent: too slow to certify")

// WorkCounter is implemented by worlds that count the work their processes
// do (the Lua engine counts Lua instructions and library work, the same on
// any machine). WorkDone is the work done since the world was made.
type WorkCounter interface {
	WorkDone() int64
}

// RunWork bounds the work of every world of one run together: a process
// that is slow but under its per-message and per-world budgets would
// otherwise hold a certification for minutes.
//
// The bound is checked between world calls: a call that starts once the
// bound is spent is refused with ErrRunWork; a call that started before runs
// to its end, and its work is added after it. That makes "the bound was
// spent" a property of the run, not of the machine: it happens exactly when
// the work the unbounded run would do passes the bound, in whatever order
// parallel worlds add their work, because every call refused came after the
// total had passed it. Which calls were refused can depend on the order
// (parallel property shards); callers treat everything that saw a refusal,
// or that ran beside the crossing, as unjudged.
//
// Worlds that do not count work (WorkCounter) are not bounded by it.
type RunWork struct {
	limit atomic.Int64
	used  atomic.Int64
}

// NewRunWork returns a bound of limit units for one run.
func NewRunWork(limit int64) *RunWork {
	r := &RunWork{}
	r.limit.Store(limit)
	return r
}

// Allow sets the bound to the work counted so far plus units: the share of
// the run's next phase. Call it between phases, while no world call runs,
// so that the bound a phase gets is the same on every machine.
func (r *RunWork) Allow(units int64) { r.limit.Store(r.used.Load() + units) }

// Limit is the bound, in units.
func (r *RunWork) Limit() int64 { return r.limit.Load() }

// Used is the work counted so far.
func (r *RunWork) Used() int64 { return r.used.Load() }

// Spent reports whether the counted work has passed the bound.
func (r *RunWork) Spent() bool { return r.used.Load() > r.limit.Load() }

// Meter returns t with every world it makes counted against r.
func (r *RunWork) Meter(t Target) Target {
	inner := t.NewWorld
	if inner == nil {
		return t
	}
	t.NewWorld = func() (World, error) {
		w, err := inner()
		if err != nil {
			return nil, err
		}
		counter, ok := w.(WorkCounter)
		if !ok {
			return w, nil
		}
		return &meteredWorld{World: w, counter: counter, run: r}, nil
	}
	return t
}

// meteredWorld adds the work of each call of its world to the run's count,
// and refuses calls once the run's bound is spent.
type meteredWorld struct {
	World
	counter WorkCounter
	run     *RunWork
	counted int64 // the world's WorkDone already added to run
}

func (m *meteredWorld) refuse() error {
	if m.run.Spent() {
		return ErrRunWork
	}
	return nil
}

func (m *meteredWorld) count() {
	done := m.counter.WorkDone()
	m.run.used.Add(done - m.counted)
	m.counted = done
}

// WorkDone passes the inner world's count through.
func (m *meteredWorld) WorkDone() int64 { return m.counter.WorkDone() }

func (m *meteredWorld) Spawn(ctx context.Context, p SpawnRequest) (string, error) {
	if err := m.refuse(); err != nil {
		return "", err
	}
	defer m.count()
	return m.World.Spawn(ctx, p)
}

func (m *meteredWorld) Send(ctx context.Context, msg Message) (Trace, error) {
	if err := m.refuse(); err != nil {
		return Trace{}, err
	}
	defer m.count()
	return m.World.Send(ctx, msg)
}

func (m *meteredWorld) DryRun(ctx context.Context, msg Message) (Result, error) {
	if err := m.refuse(); err != nil {
		return Result{}, err
	}
	defer m.count()
	return m.World.DryRun(ctx, msg)
}
