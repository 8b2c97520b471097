package lua

import (
	"context"
	"errors"
	"fmt"
	"runtime/metrics"
	"strings"
	"sync"
	"time"

	glua "github.com/yuin/gopher-lua"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet"
)

// delivery is one message as the process is to see it.
type delivery struct {
	msg      adapters.Message
	readOnly bool
	nonce    int64 // -1: none
	first    bool  // the spawn message: the module code runs with it
	// ownTarget, when set, is the Target the process sees instead of
	// msg.Target (the process the message is delivered to): an assigned
	// message keeps its own.
	ownTarget string
}

// evalLimits are the limits an evaluation runs under.
type evalLimits struct {
	work int64 // units of work one evaluation may spend
	// worldLeft is the world's remaining work (nil for a replay, which
	// redoes work already counted).
	worldLeft *int64
	// replayed adds up the work of replays (world.replayWork): not against
	// the world's budget, which counted that work when it first ran, but
	// into the work the world reports, since a replay costs its time again.
	replayed   *int64
	safety     time.Duration // the wall-clock safety net
	output     int           // bytes of printed output kept
	data       int           // bytes of Data kept per message
	outbox     int           // bytes of Data of one evaluation's messages
	maxString  int           // largest string a library function builds
	source     sourceBounds  // what load may compile
	heapGrowth int64
	entries    int
	bytes      int64
	messages   int
}

// evaluationWork and messageWork are the work charged to the world, beyond
// the evaluation's own counted work, for what the engine does in Go around
// it: building the message table, reading the result back, and converting,
// routing and tracing each message and spawn it emits. No Lua instruction
// counts that work, yet a process that fans out thousands of messages per
// request costs its time through it (about 30 µs a message measured with a
// process that sends 900 per message, what some 1,500 instructions cost,
// part of them counted in Lua).
const (
	evaluationWork = 1_000
	messageWork    = 1_000
)

// checkpointEvery is how many kept evaluations may pile up in the log
// before a new snapshot is taken. A rollback restores the snapshot and
// replays the log, so errors cost at most this many replays, while a
// message that succeeds costs no snapshot most of the time.
const checkpointEvery = 32

// eval evaluates one message. It returns the aos-shaped result, whether a
// handler ran (false when the runtime refused the message), and an error
// only when ctx ended: then the process is left as it was.
//
// State rules: a dryrun always leaves the state as it was; a handler error
// keeps the changes only under PolicyModule; a crash or a limit never keeps
// them. Rolling back restores the last snapshot and replays the messages
// kept since (the runtime is deterministic, so the replay rebuilds the
// same state).
func (p *process) eval(ctx context.Context, d delivery, lim evalLimits) (adapters.Result, bool, error) {
	if p.broken != "" {
		return adapters.Result{Error: p.broken, ErrorKind: p.brokenKind}, false, nil
	}
	if lim.worldLeft != nil && *lim.worldLeft <= 0 {
		// Nothing runs, so nothing needs rolling back.
		b := newBudget(0, "MaxWorldWork", 0)
		b.halt(stopWork)
		return adapters.Result{Error: b.Err().Error(), ErrorKind: adapters.ErrorComputeLimit}, false, nil
	}
	if d.readOnly {
		if p.evaluated == 0 {
			return adapters.Result{Error: "process " + p.id + " has not evaluated its spawn message yet", ErrorKind: adapters.ErrorCrash}, false, nil
		}
		if p.receiving() {
			// A coroutine waits in Receive: the dryrun could resume it, and a
			// coroutine cannot be restored. Rebuild by replay instead.
			res, untrusted, err := p.execute(ctx, d, lim)
			p.rollback(lim)
			return res, !untrusted && err == nil, err
		}
		if len(p.log) > 0 || p.snap == nil {
			// The state the dryrun reads is checked against the memory
			// bound like any other snapshot.
			if over := p.checkpointWithin(lim); over != "" {
				p.rollback(lim)
				p.broken = "process " + p.id + " is over its memory bound: " + over
				p.brokenKind = adapters.ErrorMemoryLimit
				return adapters.Result{Error: over, ErrorKind: adapters.ErrorMemoryLimit}, false, nil
			}
		}
		res, untrusted, err := p.execute(ctx, d, lim)
		p.restoreSnapshot()
		return res, !untrusted && err == nil, err
	}
	d.first = p.evaluated == 0
	res, untrusted, err := p.execute(ctx, d, lim)
	if err != nil {
		p.rollback(lim)
		return adapters.Result{}, false, err
	}
	// A handler error (Lua 5.3 code in an Eval is one too) keeps its
	// changes only under PolicyModule.
	handlerError := res.ErrorKind == adapters.ErrorHandler || res.ErrorKind == adapters.ErrorUnsupported
	keep := res.ErrorKind == "" || (handlerError && p.policy() == PolicyModule)
	if aonet.BoundOutbox(&res, lim.messages) {
		keep = false
	}
	if !keep {
		p.rollback(lim)
		if d.first {
			p.broken = aonet.SpawnFailedForGood(p.id, res.Error)
			p.brokenKind = res.ErrorKind
		}
		return res, true, nil
	}
	p.log = append(p.log, d)
	p.evaluated++
	// Snapshots are only taken while no coroutine waits in Receive, so a
	// rollback never depends on a coroutine's stack: replaying the log
	// rebuilds the coroutines too.
	p.sinceWork += p.lastWork
	p.sinceBuilt += p.lastBuilt
	grown := p.sinceWork > lim.work/4 || p.sinceBuilt > lim.bytes/8
	if (len(p.log) >= checkpointEvery || grown) && !p.receiving() {
		if over := p.checkpointWithin(lim); over != "" {
			// A process over its memory bound stays over it: like a unit
			// that refuses to go on, every later message fails too.
			p.log = p.log[:len(p.log)-1]
			p.evaluated--
			p.rollback(lim)
			p.broken = "process " + p.id + " is over its memory bound: " + over
			p.brokenKind = adapters.ErrorMemoryLimit
			return adapters.Result{Error: over, ErrorKind: adapters.ErrorMemoryLimit}, true, nil
		}
	}
	return res, !untrusted, nil
}

// receiving reports whether a handler of the process waits in Receive.
func (p *process) receiving() bool {
	if p.waiting == nil {
		return false
	}
	for k, v := p.waiting.Next(glua.LNil); k != glua.LNil; k, v = p.waiting.Next(k) {
		if v == glua.LString("receive") {
			return true
		}
	}
	return false
}

// checkpoint takes a snapshot of the current state and empties the log.
func (p *process) checkpoint() {
	old := p.snap
	p.snap = p.takeSnapshot()
	p.walker.recycle(old)
	p.log = p.log[:0]
	p.sinceWork, p.sinceBuilt = 0, 0
}

// checkpointWithin checkpoints unless the state is over the memory bound;
// then it returns why and leaves the old snapshot and log in place.
func (p *process) checkpointWithin(lim evalLimits) string {
	next := p.takeSnapshot()
	if next.entries > lim.entries {
		p.walker.recycle(next)
		return fmt.Sprintf("process state holds %d table entries, more than the limit of %d (MaxStateEntries)", next.entries, lim.entries)
	}
	if next.bytes > lim.bytes {
		p.walker.recycle(next)
		return fmt.Sprintf("process state holds %d bytes of strings, more than the limit of %d (MaxStateBytes)", next.bytes, lim.bytes)
	}
	p.walker.recycle(p.snap)
	p.snap = next
	p.log = p.log[:0]
	p.sinceWork, p.sinceBuilt = 0, 0
	return ""
}

// rollback returns the state to what the snapshot plus the log describe
// (a fresh state plus the log, before the first snapshot).
func (p *process) rollback(lim evalLimits) {
	if p.snap == nil {
		if err := p.start(); err != nil {
			p.broken = "process " + p.id + " could not be rebuilt: " + err.Error()
			p.brokenKind = adapters.ErrorCrash
			return
		}
	} else {
		p.restoreSnapshot()
	}
	replay := lim
	replay.worldLeft = nil // the replayed work was counted when it first ran
	replay.safety *= 10    // a replay must not fail because the machine is busy
	for _, d := range p.log {
		if _, _, err := p.execute(context.Background(), d, replay); err != nil {
			break
		}
	}
}

// execute runs process.handle on one message and classifies the outcome. It
// does not touch snapshots. err is set only when ctx ended or the wall-clock
// safety net fired (adapters.ErrTooSlow): then the evaluation gave no verdict.
func (p *process) execute(ctx context.Context, d delivery, lim evalLimits) (res adapters.Result, untrusted bool, err error) {
	work := lim.work
	what := "MaxWork"
	if lim.worldLeft != nil && *lim.worldLeft < work {
		work, what = *lim.worldLeft, "MaxWorldWork"
	}
	b := newBudget(work, what, lim.maxString)
	b.source = lim.source
	defer func() {
		// Work, and the bytes library functions built, both bound how much
		// the state may have grown since the last check of its size.
		p.lastWork, p.lastBuilt = b.used(), b.built
		switch {
		case lim.worldLeft != nil:
			*lim.worldLeft -= b.used() + evaluationWork + messageWork*int64(len(res.Messages)+len(res.Spawns))
		case lim.replayed != nil:
			*lim.replayed += b.used() + evaluationWork
		}
	}()
	unhook := context.AfterFunc(ctx, func() { b.halt(stopCancel) })
	defer unhook()
	safety := time.AfterFunc(lim.safety, func() { b.halt(stopTooSlow) })
	defer safety.Stop()
	p.L.SetContext(b)
	// Coroutines made under an earlier evaluation (a handler waiting in
	// Receive, a generator kept in a global) count against this one.
	if p.live != nil {
		for k, _ := p.live.Next(glua.LNil); k != glua.LNil; k, _ = p.live.Next(k) {
			if th, ok := k.(*glua.LState); ok {
				th.SetContext(b)
			}
		}
	}
	defer p.L.RemoveContext()

	watch := watchHeap(lim.heapGrowth, func() {
		b.haltWith(stopMemory, fmt.Sprintf("evaluation grew the heap by more than %d bytes (MaxEvalHeapGrowth)", lim.heapGrowth))
	})
	defer watch.Stop()

	if p.sql != nil {
		p.sql.now = d.msg.Timestamp
	}
	msgTable := p.messageTable(d)
	p.assignments = nil
	var initFn glua.LValue = glua.LNil
	var out glua.LValue
	var callErr error
	if d.first && p.init != nil {
		initFn = p.init
		// Compiling the module is work done for this message.
		b.left -= p.code.work
	}
	if b.left < 0 {
		b.halt(stopWork)
	} else {
		out, callErr = p.call(msgTable, initFn)
	}
	watch.Stop()
	safety.Stop()

	switch b.reason() {
	case stopCancel:
		return adapters.Result{}, false, ctx.Err()
	case stopTooSlow:
		return adapters.Result{}, false, fmt.Errorf("%w: one evaluation ran for %s of wall-clock time (EvalTimeout) after %d units of work", adapters.ErrTooSlow, lim.safety, b.used())
	case stopMemory:
		return adapters.Result{ErrorKind: adapters.ErrorMemoryLimit, Error: b.Err().Error()}, false, nil
	case stopWork:
		return adapters.Result{ErrorKind: adapters.ErrorComputeLimit, Error: b.Err().Error()}, false, nil
	}
	if callErr != nil {
		return adapters.Result{Error: clip(callErr.Error(), lim.output), ErrorKind: adapters.ErrorCrash}, false, nil
	}
	res, untrusted = p.convertResult(out, lim)
	if res.Error != "" && res.ErrorKind == "" {
		res.ErrorKind = adapters.ErrorHandler
		if b.unsupported {
			// A Lua 5.3 integer beyond 2^53 was refused (ops53.go).
			res.ErrorKind = adapters.ErrorUnsupported
		}
	}
	return res, untrusted, nil
}

func (p *process) policy() StatePolicy {
	if p.mod.Policy == "" {
		return PolicyCU
	}
	return p.mod.Policy
}

// call runs process.handle, turning Lua errors and Go panics into an error.
func (p *process) call(msg *glua.LTable, initFn glua.LValue) (out glua.LValue, err error) {
	L := p.L
	top := L.GetTop()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("engine panic while evaluating: %v", r)
		}
		L.SetTop(top)
	}()
	if err := L.CallByParam(glua.P{Fn: p.handle, NRet: 1, Protect: true}, msg, p.env, initFn); err != nil {
		var apiErr *glua.ApiError
		if errors.As(err, &apiErr) {
			if _, isString := apiErr.Object.(glua.LString); !isString && apiErr.Object != nil && apiErr.Object != glua.LNil {
				return nil, fmt.Errorf("runtime crash: an error was raised with a %s value, not a string", apiErr.Object.Type())
			}
			return nil, fmt.Errorf("runtime crash: %s", firstLine(apiErr.Object.String()))
		}
		return nil, fmt.Errorf("runtime crash: %v", err)
	}
	return L.Get(-1), nil
}

func firstLine(s string) string {
	if i := strings.Index(s, "\nstack traceback:"); i >= 0 {
		return s[:i]
	}
	return s
}

// heapWatch samples the Go heap while an evaluation runs and calls over
// when it grew by more than limit. gopher-lua has no allocation hook; this
// is a coarse guard against a process that allocates without bound.
type heapWatch struct {
	mu    sync.Mutex // guards timer between the watch's goroutine and its owner
	timer *time.Timer
	stop  chan struct{}
}

// heapMetric is the live heap size, as the Go runtime reports it.
const heapMetric = "/memory/classes/heap/objects:bytes"

func heapBytes() int64 {
	// A fresh sample each time: watches of different worlds may run at once.
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

// The baseline is read at the first tick, so only evaluations longer than
// one tick (20ms) are watched: short ones cannot allocate much.
func watchHeap(limit int64, over func()) *heapWatch {
	w := &heapWatch{stop: make(chan struct{})}
	var start int64 = -1
	var check func()
	check = func() {
		select {
		case <-w.stop:
			return
		default:
		}
		if start < 0 {
			start = heapBytes()
		} else if heapBytes()-start > limit {
			over()
			return
		}
		w.mu.Lock()
		w.timer.Reset(20 * time.Millisecond)
		w.mu.Unlock()
	}
	// The first check can fire before AfterFunc returns on a loaded
	// machine; the lock makes it wait until the timer is stored.
	w.mu.Lock()
	w.timer = time.AfterFunc(20*time.Millisecond, check)
	w.mu.Unlock()
	return w
}

// Stop ends the watch; it is safe to call twice.
func (w *heapWatch) Stop() {
	select {
	case <-w.stop:
	default:
		close(w.stop)
	}
	w.mu.Lock()
	w.timer.Stop()
	w.mu.Unlock()
}
