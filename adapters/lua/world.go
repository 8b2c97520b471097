package lua

import (
	"context"
	"fmt"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet"
)

// ErrSpawnFailed is returned (wrapped, with the reason) by Spawn when the new
// process's spawn message did not evaluate cleanly. The process exists: its
// id is returned too, and the trace holds the failed delivery. It is
// aonet.ErrSpawnFailed, the same on every in-process engine.
var ErrSpawnFailed = aonet.ErrSpawnFailed

// World is an in-process AO network of gopher-lua processes. It implements
// adapters.World. A World is used by one goroutine at a time.
//
// Ids, wallets, routing and the checks on what a wallet spawns and sends
// are those of the engine-neutral aonet.Network it embeds: a wallet's
// message arrives with From = Owner = the wallet (or From = its
// From-Process tag, which a wallet may forge, and which the trust rule then
// refuses); a process's message arrives with From = the sending process,
// tags From-Process and From-Module set by the world (any the process set
// are replaced), and Owner = the messenger unit, which every process lists
// as an Authority. Messages are delivered in FIFO order until the network
// is quiet. Each delivered message takes the world clock, which then
// advances by 1 ms. The World itself makes the Lua processes, runs them,
// and keeps this engine's world-wide limits.
type World struct {
	*aonet.Network[*process]
	opts   Options
	limits Limits

	// compiled caches each module's compiled source.
	compiled map[string]*compiledModule
	// weave is the world's transactions: the source of every module it
	// runs, by aonet.CodeTransaction (see weave.go).
	weave weave

	// workLeft, messages and spawns count what the whole world did, against
	// MaxWorldWork, MaxMessagesPerWorld and MaxSpawnsPerWorld.
	workLeft int64
	// replayWork is the work of rollbacks' replays, counted in WorkDone
	// only.
	replayWork int64
	messages   int
	spawns     int
}

var _ adapters.World = (*World)(nil)

// New makes an empty world.
func New(opts Options) (*World, error) {
	if _, err := loadRuntime(); err != nil {
		return nil, err
	}
	if opts.Seed == "" {
		opts.Seed = aonet.DefaultSeed
	}
	if opts.Clock == 0 {
		opts.Clock = DefaultClock
	}
	w := &World{
		opts:     opts,
		limits:   opts.Limits.withDefaults(),
		compiled: map[string]*compiledModule{},
		weave:    weave{},
	}
	for _, mod := range opts.Modules {
		w.weave.add(mod)
	}
	w.workLeft = w.limits.MaxWorldWork
	lim := aonet.Limits{MaxDeliveriesPerSend: w.limits.MaxDeliveriesPerSend, MaxSpawnsPerSend: w.limits.MaxSpawnsPerSend}
	w.Network = aonet.NewNetwork[*process](opts.Seed, opts.Clock, engine{w}, lim, opts.PushedFor)
	return w, nil
}

// processWork is the work charged to a world for making a process (a Lua
// state with its libraries and the runtime loaded, before the spawn message
// runs): about 1.2 ms of CPU measured by BenchmarkSpawn, what some 50,000
// instructions cost.
const processWork = 50_000

// WorkDone is the work this world's evaluations have done, in units (see
// Limits.MaxWork): what adapters.RunWork adds to a run's count. Replays of a
// rollback count again here (they cost their time again, and the same on
// every machine), though not against MaxWorldWork, which counted them when
// they first ran.
func (w *World) WorkDone() int64 { return w.limits.MaxWorldWork - w.workLeft + w.replayWork }

var _ adapters.WorkCounter = (*World)(nil)

// AddModule registers a module after the world was made (a network in
// front of the world publishes modules as its clients upload them). An id
// already registered keeps its module.
func (w *World) AddModule(id string, mod Module) {
	if _, ok := w.opts.Modules[id]; ok {
		return
	}
	if w.opts.Modules == nil {
		w.opts.Modules = map[string]Module{}
	}
	w.opts.Modules[id] = mod
	w.weave.add(mod)
}

func (w *World) evalLimits() evalLimits {
	return evalLimits{
		work:       w.limits.MaxWork,
		worldLeft:  &w.workLeft,
		replayed:   &w.replayWork,
		safety:     w.limits.EvalTimeout,
		output:     w.limits.MaxOutputBytes,
		data:       w.limits.MaxDataBytes,
		outbox:     w.limits.MaxOutboxBytes,
		maxString:  w.limits.MaxStringBytes,
		source:     sourceBounds{bytes: w.limits.MaxSourceBytes, depth: w.limits.MaxSourceDepth},
		heapGrowth: w.limits.MaxEvalHeapGrowth,
		entries:    w.limits.MaxStateEntries,
		bytes:      w.limits.MaxStateBytes,
		messages:   w.limits.MaxMessagesPerEval,
	}
}

// overWorldLimit says why the world refuses to evaluate anything more
// ("" while it may): a bound on the whole world's messages or spawns.
func (w *World) overWorldLimit(spawn bool) string {
	if w.messages >= w.limits.MaxMessagesPerWorld {
		return fmt.Sprintf("this world has routed %d messages, its limit (MaxMessagesPerWorld): a message storm, or a process too slow to certify", w.messages)
	}
	if spawn && w.spawns >= w.limits.MaxSpawnsPerWorld {
		return fmt.Sprintf("this world has spawned %d processes, its limit (MaxSpawnsPerWorld)", w.spawns)
	}
	return ""
}

// engine is the world as its aonet.Network sees it: how a Lua process is
// made and evaluates, and the world-wide limits on what the processes may
// queue, spawn and evaluate.
type engine struct{ w *World }

func (e engine) Authorities(module string) ([]string, bool) {
	mod, ok := e.w.opts.Modules[module]
	return mod.Authority, ok
}

func (e engine) Modules() int { return len(e.w.opts.Modules) }

// SpawnMessage: a Lua process's code is its module's, never carried by
// the spawn message.
func (e engine) SpawnMessage(_ string, tags adapters.Tags, data string) (adapters.Tags, string, error) {
	return tags, data, nil
}

func (e engine) CheckQueue(waiting int, bytes int64) error {
	l := e.w.limits
	if waiting > l.MaxQueuedMessages || bytes > l.MaxQueuedBytes {
		return fmt.Errorf("%w: %d messages (%d bytes of Data) wait for delivery, more than MaxQueuedMessages (%d) or MaxQueuedBytes (%d): a fan-out storm?",
			adapters.ErrMessageLimit, waiting, bytes, l.MaxQueuedMessages, l.MaxQueuedBytes)
	}
	return nil
}

func (e engine) NewProcess(ctx context.Context, it aonet.Item) (*process, string, error) {
	w := e.w
	// A refused spawn counts against MaxSpawnsPerWorld too.
	over := w.overWorldLimit(true)
	w.spawns++
	mod, ok := w.opts.Modules[it.Module]
	if !ok {
		return nil, aonet.UnknownModule(it.Module), nil
	}
	code, ok := w.compiled[it.Module]
	if !ok {
		code = compileModule(it.Module, mod, sourceBounds{bytes: w.limits.MaxSourceBytes, depth: w.limits.MaxSourceDepth})
		w.compiled[it.Module] = code
	}
	spawn := it.Msg
	var onBoot string
	if _, ok := spawn.Tags.Get("On-Boot"); !ok && mod.BootFromWeave && mod.Source != "" {
		// The process sees the tag on its spawn message and in
		// ao.env.Process.Tags, as it would had the spawner set it.
		onBoot = aonet.CodeTransaction(mod.Source)
		spawn.Tags = append(append(adapters.Tags{}, spawn.Tags...), adapters.Tag{Name: "On-Boot", Value: onBoot})
	}
	p, err := newProcess(it.Msg.ID, it.Module, mod, code, spawn, it.Msg.From, w.weave, onBoot)
	if err != nil {
		return nil, "", err
	}
	// Making the process is work the world did, though no Lua
	// instruction counted it: a chain of spawns costs its time.
	w.workLeft -= processWork
	if over != "" && p.broken == "" {
		// Past the world's bound the process exists but cannot run:
		// its every message fails with the limit.
		p.broken, p.brokenKind = over, adapters.ErrorComputeLimit
	}
	return p, "", nil
}

func (e engine) Eval(ctx context.Context, p *process, it aonet.Item, nonce int64) (aonet.Evaluation, error) {
	w := e.w
	var ev aonet.Evaluation
	var err error
	if over := w.overWorldLimit(false); over != "" {
		ev.Result = adapters.Result{Error: over, ErrorKind: adapters.ErrorComputeLimit}
	} else {
		msg := it.Msg
		if p.onBoot != "" && msg.ID == p.id {
			msg = p.spawn
		}
		ev.Result, ev.Handled, err = p.eval(ctx, delivery{msg: msg, nonce: nonce, ownTarget: it.OwnTarget}, w.evalLimits())
		ev.Assignments = p.assignments
	}
	w.messages++
	return ev, err
}

func (e engine) DryRun(ctx context.Context, p *process, m adapters.Message) (adapters.Result, error) {
	res, _, err := p.eval(ctx, delivery{msg: m, readOnly: true, nonce: -1}, e.w.evalLimits())
	return res, err
}

func (e engine) ToWallet(adapters.Message) { e.w.messages++ }
