package lua

import (
	"context"
	"errors"
	"fmt"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet"
)

// ErrSpawnFailed is returned (wrapped, with the reason) by Spawn when the new
// process's spawn message did not evaluate cleanly. The process exists: its
// id is returned too, and the trace holds the failed delivery.
var ErrSpawnFailed = errors.New("spawn message failed")

// World is an in-process AO network of gopher-lua processes. It implements
// adapters.World. A World is used by one goroutine at a time.
//
// Routing follows a messenger unit: a wallet's message arrives with From =
// Owner = the wallet (or From = its From-Process tag, which a wallet may
// forge, and which the trust rule then refuses); a process's message
// arrives with From = the sending process, tags From-Process and
// From-Module set by the world (any the process set are replaced), and
// Owner = the messenger unit, which every process lists as an Authority.
// Messages are delivered in FIFO order until the network is quiet. Each
// delivered message takes the world clock, which then advances by 1 ms.
type World struct {
	opts   Options
	limits Limits
	seed   string
	// router schedules every call's messages and keeps the clock.
	router *aonet.Router

	ids       int
	dryruns   int
	wallets   map[string]string // name -> address
	addresses map[string]bool   // wallet addresses
	processes aonet.Processes[*process]
	// compiled caches each module's compiled source.
	compiled map[string]*compiledModule
	trace    adapters.Trace
	closed   bool

	// workLeft, messages and spawns count what the whole world did, against
	// MaxWorldWork, MaxMessagesPerWorld and MaxSpawnsPerWorld.
	workLeft int64
	// replayWork is the work of rollbacks' replays, counted in WorkDone
	// only.
	replayWork int64
	messages   int
	spawns     int

	messenger string
	scheduler string
}

var _ adapters.World = (*World)(nil)

// New makes an empty world.
func New(opts Options) (*World, error) {
	if _, err := loadRuntime(); err != nil {
		return nil, err
	}
	if opts.Seed == "" {
		opts.Seed = "mostao"
	}
	if opts.Clock == 0 {
		opts.Clock = DefaultClock
	}
	w := &World{
		opts:      opts,
		limits:    opts.Limits.withDefaults(),
		seed:      opts.Seed,
		wallets:   map[string]string{},
		addresses: map[string]bool{},
		processes: aonet.Processes[*process]{},
		compiled:  map[string]*compiledModule{},
	}
	w.workLeft = w.limits.MaxWorldWork
	w.messenger = aonet.MessengerUnit(w.seed)
	w.scheduler = aonet.SchedulerUnit(w.seed)
	w.router = aonet.NewRouter(opts.Clock, w.messenger)
	w.router.PushedFor = opts.PushedFor
	return w, nil
}

// SchedulerUnit returns the address every spawn message names as its
// Scheduler.
func (w *World) SchedulerUnit() string { return w.scheduler }

// MessengerUnit returns the address that signs messages pushed between
// processes. Every process lists it as an Authority.
func (w *World) MessengerUnit() string { return w.messenger }

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

// Clock returns the Timestamp the next scheduled message will get.
func (w *World) Clock() int64 { return w.router.Clock }

func (w *World) newID(kind string) string {
	w.ids++
	return aonet.ID(w.seed, kind, w.ids)
}

// Wallet returns the address of the named wallet, creating it on first use.
func (w *World) Wallet(name string) (string, error) {
	if w.closed {
		return "", adapters.ErrClosed
	}
	if a, ok := w.wallets[name]; ok {
		return a, nil
	}
	a := aonet.WalletAddress(w.seed, name)
	w.wallets[name] = a
	w.addresses[a] = true
	return a, nil
}

// Spawn creates a process of module p.Module owned by the wallet p.From,
// delivers its spawn message and runs the network until it is quiet.
func (w *World) Spawn(ctx context.Context, req adapters.SpawnRequest) (string, error) {
	pid, _, err := w.SpawnTraced(ctx, req, "")
	return pid, err
}

// Admit makes an address a wallet of this world, so that it may spawn and
// send: a network in front of the world (package devnet) verifies the
// signatures of its clients' messages and admits their signers.
func (w *World) Admit(address string) {
	w.addresses[address] = true
}

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
}

// HasProcess reports whether id is a process of this world.
func (w *World) HasProcess(id string) bool {
	_, ok := w.processes[id]
	return ok
}

// SpawnTraced is Spawn that also returns what the spawn caused. A non-empty
// id is the new process's id (the id of its spawn message, signed
// elsewhere) instead of one the world derives.
func (w *World) SpawnTraced(ctx context.Context, req adapters.SpawnRequest, id string) (string, adapters.Trace, error) {
	if w.closed {
		return "", adapters.Trace{}, adapters.ErrClosed
	}
	if !w.addresses[req.From] {
		return "", adapters.Trace{}, fmt.Errorf("%w: %q is not a wallet of this world (make it with Wallet first)", adapters.ErrUnknownWallet, req.From)
	}
	mod, ok := w.opts.Modules[req.Module]
	if !ok {
		return "", adapters.Trace{}, fmt.Errorf("%w: %q (this world knows %d modules)", adapters.ErrUnknownModule, req.Module, len(w.opts.Modules))
	}
	pid := id
	if pid == "" {
		pid = w.newID("message")
	} else if _, taken := w.processes[pid]; taken {
		return "", adapters.Trace{}, fmt.Errorf("process %s already exists", pid)
	}
	tags := aonet.SpawnTags(req.Module, w.scheduler, w.messenger, mod.Authority, req.Tags)
	data := req.Data
	if data == "" {
		data = "NODATA"
	}
	msg := adapters.Message{ID: pid, From: req.From, Owner: req.From, Target: pid, Data: data, Tags: tags}
	tr, err := w.run(ctx, aonet.Item{Msg: msg, Spawn: true, Module: req.Module})
	w.trace.Append(tr)
	if err != nil {
		return pid, tr, err
	}
	for _, d := range tr.Deliveries {
		if d.Message.ID == pid && d.Result.Failed() {
			return pid, tr, fmt.Errorf("%w: process %s (module %s): %s", ErrSpawnFailed, pid, req.Module, d.Result.Error)
		}
	}
	return pid, tr, nil
}

// Send delivers a message signed by the wallet m.From, then everything it
// causes, until the network is quiet. A non-zero m.Timestamp (and
// m.BlockHeight) is used for that message instead of the world clock; the
// clock still advances.
func (w *World) Send(ctx context.Context, m adapters.Message) (adapters.Trace, error) {
	if w.closed {
		return adapters.Trace{}, adapters.ErrClosed
	}
	if !w.addresses[m.From] {
		return adapters.Trace{}, fmt.Errorf("%w: %q is not a wallet of this world (make it with Wallet first)", adapters.ErrUnknownWallet, m.From)
	}
	if err := aonet.CheckSigner(m); err != nil {
		return adapters.Trace{}, err
	}
	if _, ok := w.processes[m.Target]; !ok {
		return adapters.Trace{}, fmt.Errorf("%w: %q is not a process of this world", adapters.ErrUnknownProcess, m.Target)
	}
	msg, keep := aonet.SendMessage(m, func() string { return w.newID("message") })
	tr, err := w.run(ctx, aonet.Item{Msg: msg, KeepTime: keep})
	w.trace.Append(tr)
	return tr, err
}

// DryRun evaluates m on its target read-only and leaves the process as it
// was. From may be anything (default "1234", as client libraries send);
// Owner defaults to From. The world clock does not advance.
func (w *World) DryRun(ctx context.Context, m adapters.Message) (adapters.Result, error) {
	if w.closed {
		return adapters.Result{}, adapters.ErrClosed
	}
	p, ok := w.processes[m.Target]
	if !ok {
		return adapters.Result{}, fmt.Errorf("%w: %q is not a process of this world", adapters.ErrUnknownProcess, m.Target)
	}
	msg := aonet.DryRunMessage(m, w.newDryRunID, w.router.Clock)
	res, _, err := p.eval(ctx, delivery{msg: msg, readOnly: true, nonce: -1}, w.evalLimits())
	return res, err
}

// Trace returns everything delivered since the world was made.
func (w *World) Trace() adapters.Trace {
	var t adapters.Trace
	t.Append(w.trace)
	return t
}

// Close releases every process. Later calls fail with adapters.ErrClosed.
func (w *World) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	for _, p := range w.processes {
		p.close()
	}
	w.processes = nil
	return nil
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

// run schedules the call's first message and everything it causes, FIFO,
// until the network is quiet (aonet.Router), with this world's limits.
func (w *World) run(ctx context.Context, first aonet.Item) (adapters.Trace, error) {
	lim := aonet.Limits{MaxDeliveriesPerSend: w.limits.MaxDeliveriesPerSend, MaxSpawnsPerSend: w.limits.MaxSpawnsPerSend}
	return w.router.Run(ctx, host{w, w.processes}, lim, []aonet.Item{first})
}

// host is the world as its router sees it: its processes, and the
// world-wide limits on what they may queue, spawn and evaluate.
type host struct {
	w *World
	aonet.Processes[*process]
}

func (h host) NewID(kind string) string { return h.w.newID(kind) }

func (h host) CheckQueue(waiting int, bytes int64) error {
	l := h.w.limits
	if waiting > l.MaxQueuedMessages || bytes > l.MaxQueuedBytes {
		return fmt.Errorf("%w: %d messages (%d bytes of Data) wait for delivery, more than MaxQueuedMessages (%d) or MaxQueuedBytes (%d): a fan-out storm?",
			adapters.ErrMessageLimit, waiting, bytes, l.MaxQueuedMessages, l.MaxQueuedBytes)
	}
	return nil
}

func (h host) MakeProcess(ctx context.Context, it aonet.Item) (string, error) {
	w := h.w
	over := w.overWorldLimit(true)
	w.spawns++
	mod, ok := w.opts.Modules[it.Module]
	if !ok {
		return fmt.Sprintf("spawn refused: unknown module %q", it.Module), nil
	}
	code, ok := w.compiled[it.Module]
	if !ok {
		code = compileModule(it.Module, mod, sourceBounds{bytes: w.limits.MaxSourceBytes, depth: w.limits.MaxSourceDepth})
		w.compiled[it.Module] = code
	}
	p, err := newProcess(it.Msg.ID, it.Module, mod, code, it.Msg, it.Msg.From)
	if err != nil {
		return "", err
	}
	// Making the process is work the world did, though no Lua
	// instruction counted it: a chain of spawns costs its time.
	w.workLeft -= processWork
	if over != "" && p.broken == "" {
		// Past the world's bound the process exists but cannot run:
		// its every message fails with the limit.
		p.broken, p.brokenKind = over, adapters.ErrorComputeLimit
	}
	w.processes[p.id] = p
	return "", nil
}

func (h host) Authorities(module string) ([]string, bool) {
	mod, ok := h.w.opts.Modules[module]
	return mod.Authority, ok
}

func (h host) Eval(ctx context.Context, it aonet.Item, nonce int64) (aonet.Evaluation, error) {
	w := h.w
	p := w.processes[it.Msg.Target]
	var ev aonet.Evaluation
	var err error
	if over := w.overWorldLimit(false); over != "" {
		ev.Result = adapters.Result{Error: over, ErrorKind: adapters.ErrorComputeLimit}
	} else {
		ev.Result, ev.Handled, err = p.eval(ctx, delivery{msg: it.Msg, nonce: nonce, ownTarget: it.OwnTarget}, w.evalLimits())
		for _, a := range p.assignments {
			ev.Assignments = append(ev.Assignments, aonet.Assignment{Message: a.message, Processes: a.processes})
		}
	}
	w.messages++
	return ev, err
}

func (h host) ToWallet(adapters.Message) { h.w.messages++ }

// newDryRunID is the id of a dryrun that brings none: dryruns are counted
// apart from messages, so a dryrun changes no later message's id.
func (w *World) newDryRunID() string {
	w.dryruns++
	return aonet.ID(w.seed, "dryrun", w.dryruns)
}
