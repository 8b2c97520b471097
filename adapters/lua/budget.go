package lua

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	glua "github.com/yuin/gopher-lua"
)

// Why an evaluation was stopped. The reason is kept as a number, never read
// back from an error text, so nothing a process prints or raises can change
// how its failure is classified.
const (
	stopNone    int32 = iota
	stopWork          // the work budget of the evaluation (or of the world) is spent
	stopMemory        // the heap watch saw the evaluation grow past its bound
	stopCancel        // the caller's context ended
	stopTooSlow       // the wall-clock safety net fired: not a verdict
)

// budget is the work account of one evaluation, handed to gopher-lua as the
// LState's context.
//
// gopher-lua has no instruction hook, but when a state has a context its VM
// loop (mainLoopWithContext) calls ctx.Done() before every instruction it
// executes, and raises ctx.Err() as a Lua error once Done returns a ready
// channel. Done here counts: it takes one unit per call and returns nil (a
// channel that is never ready) while units are left, and a closed channel
// once they are spent or the evaluation was stopped for another reason. That
// makes it an exact instruction counter, the same on every machine and under
// any load. Library functions written in Go charge their own work through
// spend. Once spent, every later instruction raises again, so a pcall cannot
// swallow the stop: the code that catches the error fails on its next
// instruction.
//
// Only the goroutine running the evaluation counts (left is not atomic);
// other goroutines (the heap watch, the safety net, the caller's context)
// only set stop, which is atomic.
type budget struct {
	left  int64 // units left for this evaluation
	limit int64 // units the evaluation started with
	what  string
	stop  atomic.Int32
	done  chan struct{}
	once  sync.Once
	err   error
	// unsupported: the evaluation met a Lua 5.3 construct the engine
	// cannot run exactly (an integer literal or a bitwise operation beyond
	// 2^53, ops53.go), so a handler error is ErrorUnsupported.
	unsupported bool
	// maxString is the largest string a library function may build; built
	// sums the sizes library functions accepted.
	maxString int
	built     int64
	// source bounds what load compiles.
	source sourceBounds
}

func newBudget(units int64, what string, maxString int) *budget {
	return &budget{left: units, limit: units, what: what, maxString: maxString, done: make(chan struct{})}
}

// used is the number of units the evaluation spent.
func (b *budget) used() int64 {
	if b.left < 0 {
		return b.limit
	}
	return b.limit - b.left
}

// halt stops the evaluation for the given reason; the first reason wins.
func (b *budget) halt(reason int32) {
	var text string
	switch reason {
	case stopWork:
		text = fmt.Sprintf("evaluation spent its work budget of %d units (MaxWork): an endless loop?", b.limit)
		if b.what == "MaxWorldWork" {
			text = "the world's work budget is spent (MaxWorldWork): the process is too slow to certify"
		}
	case stopMemory:
		text = "evaluation stopped: memory bound reached"
	case stopCancel:
		text = context.Canceled.Error()
	default:
		text = "evaluation stopped: the machine is too slow for this run"
	}
	b.haltWith(reason, text)
}

// haltWith stops the evaluation with a reason and the text every later
// instruction raises.
func (b *budget) haltWith(reason int32, text string) {
	b.once.Do(func() {
		b.err = errors.New(text)
		b.stop.Store(reason)
		close(b.done)
	})
}

// reason says why the evaluation was stopped (stopNone while it runs).
func (b *budget) reason() int32 { return b.stop.Load() }

// Done implements context.Context: called by gopher-lua before every
// instruction, it is the instruction counter.
func (b *budget) Done() <-chan struct{} {
	if b.stop.Load() != stopNone {
		return b.done
	}
	b.left--
	if b.left < 0 {
		b.halt(stopWork)
		return b.done
	}
	return nil
}

// Err implements context.Context.
func (b *budget) Err() error {
	if b.stop.Load() == stopNone {
		return nil
	}
	<-b.done // err is written before done is closed
	return b.err
}

// Deadline implements context.Context: a budget has no deadline.
func (b *budget) Deadline() (time.Time, bool) { return time.Time{}, false }

// Value implements context.Context: a budget carries no values.
func (b *budget) Value(any) any { return nil }

// budgetOf returns the budget of the evaluation L runs, or nil outside one
// (while the runtime loads, for example).
func budgetOf(L *glua.LState) *budget {
	b, _ := L.Context().(*budget)
	return b
}

// spend charges n units of work done in Go on behalf of L's evaluation, and
// raises the budget's error when that spends it. Library functions call it
// before they do the work, so a call that would cost more than what is left
// never starts.
func spend(L *glua.LState, n int64) {
	b := budgetOf(L)
	if b == nil {
		return
	}
	if b.stop.Load() == stopNone {
		b.left -= n
		if b.left >= 0 {
			return
		}
		b.halt(stopWork)
	}
	L.RaiseError("%s", b.Err().Error())
}

// bytesPerUnit is how many bytes a library function may build or copy for
// one unit of work. Building a fresh string costs about a nanosecond a byte
// once page faults and the garbage collector are counted (measured with a
// handler that grows a table of 4 KiB strings: at 64 bytes a unit, one
// message of 10,000,000 units took 0.6 to 4 s), and an instruction about
// 15 to 25 ns: 16 bytes a unit keeps a unit of library work near the cost
// of an instruction.
const bytesPerUnit = 16

// bytesWork is the work charged for handling n bytes in a library function.
func bytesWork(n int) int64 { return int64(n)/bytesPerUnit + 1 }

// adoptCoroutines makes coroutine.create give every new coroutine the
// budget of the evaluation that made it. gopher-lua's NewThread would give
// it a context.WithCancel child of the budget, whose Done does not count.
func adoptCoroutines(L *glua.LState) {
	co, ok := L.G.Global.RawGetString("coroutine").(*glua.LTable)
	if !ok {
		return
	}
	create, ok := co.RawGetString("create").(*glua.LFunction)
	if !ok {
		return
	}
	co.RawSetString("create", L.NewFunction(func(L *glua.LState) int {
		L.CheckFunction(1)
		L.Push(create)
		L.Push(L.Get(1))
		L.Call(1, 1)
		if th, ok := L.Get(-1).(*glua.LState); ok {
			if b := budgetOf(L); b != nil {
				th.SetContext(b)
			}
		}
		return 1
	}))
}

// defaultMaxString bounds what library functions build outside an
// evaluation (the runtime's own setup); evaluations use MaxStringBytes.
const defaultMaxString = 64 << 20

// checkSize refuses a result of size bytes (a float, so that a huge count
// cannot overflow) past MaxStringBytes before it is built. The refusal stops
// the evaluation as a memory limit: a pcall around the call cannot keep it
// going.
func checkSize(L *glua.LState, size float64, what string) {
	limit := defaultMaxString
	b := budgetOf(L)
	if b != nil {
		limit = b.maxString
	}
	if size <= float64(limit) {
		return
	}
	refuse(L, fmt.Sprintf("%s: the result would be %.0f bytes, more than the %d this engine allows (MaxStringBytes)", what, size, limit))
}

// noteBuilt records that a library function built a result of n bytes: the
// state may have grown by as much, so the engine checks its size sooner.
//
// One evaluation may build at most four times MaxStringBytes in all: past
// that, whether it kept what it built or not, it stops as a memory limit.
// (Work alone would let it build far more: a unit buys 64 bytes.)
func noteBuilt(L *glua.LState, n int) {
	b := budgetOf(L)
	if b == nil {
		return
	}
	b.built += int64(n)
	if limit := 4 * int64(b.maxString); b.built > limit {
		refuse(L, fmt.Sprintf("the evaluation built %d bytes of strings in library functions, more than %d (four times MaxStringBytes)", b.built, limit))
	}
}

// refuse stops the evaluation as a memory limit, with text: what it asked
// for would not fit.
func refuse(L *glua.LState, text string) {
	if b := budgetOf(L); b != nil {
		b.haltWith(stopMemory, text)
		L.RaiseError("%s", b.Err().Error())
	}
	L.RaiseError("%s", text)
}
