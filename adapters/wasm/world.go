// Package wasm is an in-process AO world whose processes run on a compiled
// AO module: each process is an instance of the module, run by wazero (pure
// Go, no cgo). It implements adapters.World with the same ids, clock and
// routing rules as the Lua engine (adapters/lua), so the two can be run
// side by side on the same scenarios.
//
// The module is an emscripten build of Lua 5.3 with the aos-compatible
// runtime of the Lua engine (module/, built by
// scripts/build-wasm-module.sh and committed, so nothing here needs
// emscripten). See docs/wasm.md for what it supports and what it does not.
package wasm

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"

	"github.com/mostao/conformance/adapters"
)

// DefaultModule is the committed build of module/ (mostao-lua53.wasm): Lua
// 5.3.6 and the shared runtime, in the wasm32 emscripten format.
//
//go:embed module/mostao-lua53.wasm
var DefaultModule []byte

// ModuleFormat is the Module-Format of DefaultModule. Its ABI is that of
// emscripten 3.1.6 (getTempRet0, stackSave and stackRestore, a 32-bit
// time_t): the older wasm32-unknown-emscripten family, not the emscripten4
// of aos 2.0.4, whose host functions this engine also provides.
const ModuleFormat = "wasm32-unknown-emscripten"

// Engine describes the wasm engine for an adapters.Target running
// DefaultModule. Its worlds are cheap (a world is maps; a process an
// instance of the shared compiled module), a failure may be replayed to
// shrink it, and its worlds may run in parallel (TestWorldsRunInParallel).
func Engine() adapters.Engine {
	return adapters.Engine{Name: "wasm (wazero, mostao-lua53.wasm: Lua 5.3.6, " + ModuleFormat + ")"}
}

// The world's fixed clock and block height: the same as the Lua engine's
// (adapters/lua DefaultClock and BlockHeight), so both engines give the
// same messages the same Timestamps.
const (
	DefaultClock int64 = 1_700_000_000_000
	BlockHeight  int64 = 1_500_000
)

// StatePolicy says what happens to a process's state when a handler errors
// (the same two policies as the Lua engine).
type StatePolicy string

// The state policies.
const (
	// PolicyCU keeps the state from before the erroring message, as a
	// Compute Unit does.
	PolicyCU StatePolicy = "cu"
	// PolicyModule keeps the changes made before the error, as a bare
	// module call does.
	PolicyModule StatePolicy = "module"
)

// Module is one process kind a world can spawn: the Lua source loaded into
// the compiled module.
type Module struct {
	// Name is a file name or label.
	Name string
	// Source is the process's Lua code. On a module that exports setup
	// (DefaultModule) it is given to the new instance and runs with the
	// spawn message, inside its error boundary, as the Lua engine runs it.
	// On another module it is loaded as AO loads code with a spawn: the
	// spawn message carries it as Data with tag On-Boot = Data, and the
	// runtime's _boot handler evaluates it; such a spawn takes no Data of
	// its own.
	Source string
	// Profile is the runtime profile ("aos-2.0.4" or "aos-current", the
	// default), passed to the module as the Runtime-Profile tag of the
	// Module in env.
	Profile string
	// Policy says what happens to state when a handler errors; the zero
	// value is PolicyCU.
	Policy StatePolicy
	// Authority lists extra addresses the process trusts.
	Authority []string
}

// Limits bound one evaluation and one send. Zero fields take the defaults.
type Limits struct {
	// MaxWork bounds the work of one evaluation in Lua VM instructions, the
	// unit of the Lua engine (default 10,000,000, the Lua engine's
	// DefaultMaxWork). The module counts them itself (module/main.c) and
	// traps past the budget -> ErrorComputeLimit.
	MaxWork int64
	// EvalTimeout is the wall-clock safety net of one evaluation (default
	// 30s): past it the call is stopped and the world returns
	// adapters.ErrTooSlow, no verdict.
	EvalTimeout time.Duration
	// MemoryLimit is a process's memory bound in bytes when its spawn has
	// no Memory-Limit tag (default 256 MiB) -> ErrorMemoryLimit.
	MemoryLimit uint64
	// MaxOutputBytes bounds the printed output and error text kept.
	MaxOutputBytes int
	// MaxMessagesPerEval bounds the messages and spawns one evaluation queues.
	MaxMessagesPerEval int
	// MaxDeliveriesPerSend and MaxSpawnsPerSend bound what one call causes.
	MaxDeliveriesPerSend int
	MaxSpawnsPerSend     int
}

func (l Limits) withDefaults() Limits {
	if l.MaxWork <= 0 {
		l.MaxWork = 10_000_000
	}
	if l.EvalTimeout <= 0 {
		l.EvalTimeout = 30 * time.Second
	}
	if l.MemoryLimit == 0 {
		l.MemoryLimit = 256 << 20
	}
	for _, d := range []struct {
		v   *int
		def int
	}{
		{&l.MaxOutputBytes, 64 << 10},
		{&l.MaxMessagesPerEval, 1000},
		{&l.MaxDeliveriesPerSend, 10000},
		{&l.MaxSpawnsPerSend, 100},
	} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	return l
}

// Options configure a world.
type Options struct {
	// Seed makes ids; the default is "mostao", as for the Lua engine.
	Seed string
	// Clock is the first message's Timestamp (default DefaultClock).
	Clock int64
	// Modules are the modules the world can spawn, by module id.
	Modules map[string]Module
	// Binary is the compiled AO module; nil means DefaultModule.
	Binary []byte
	// Format is Binary's Module-Format (one of Formats); "" reads it from
	// the binary (DetectFormat). A format the binary contradicts is an
	// error of New.
	Format string
	Limits Limits
}

// engines holds one engine per binary, shared by every world of the Go
// process: a wazero runtime with the module compiled, its host modules
// (which find their process through the call's context, so one set serves
// every world) and the boot image. A world then costs no compile, no host
// setup and no boot: its processes are instances of the shared module.
var engines = struct {
	sync.Mutex
	m map[[32]byte]*engine
}{m: map[[32]byte]*engine{}}

// engineFor returns the shared engine of binary, its format detected.
func engineFor(binary []byte) (*engine, error) { return engineForFormat(binary, "") }

// engineForFormat returns the shared engine of binary in the given format
// ("": detected), making it on first use.
func engineForFormat(binary []byte, format string) (*engine, error) {
	key := sha256.Sum256(append([]byte(format+"\x00"), binary...))
	engines.Lock()
	defer engines.Unlock()
	if eng, ok := engines.m[key]; ok {
		return eng, nil
	}
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCloseOnContextDone(true))
	f, loadBin, err := loadable(binary, format)
	if err != nil {
		_ = r.Close(ctx)
		return nil, err
	}
	compiled, err := r.CompileModule(ctx, loadBin)
	if err != nil {
		_ = r.Close(ctx)
		return nil, fmt.Errorf("compiling the module: %w", err)
	}
	if err := instantiateHosts(ctx, r, compiled); err != nil {
		_ = r.Close(ctx)
		return nil, err
	}
	_, hasSetup := compiled.ExportedFunctions()["setup"]
	eng := &engine{format: f, runtime: r, compiled: compiled, setup: hasSetup}
	if err := bootEngine(ctx, eng); err != nil {
		_ = r.Close(ctx)
		return nil, err
	}
	engines.m[key] = eng
	return eng, nil
}

// World is an in-process AO network whose processes are instances of a
// compiled module. It implements adapters.World and is used by one
// goroutine at a time.
//
// Ids, the clock and routing are those of the Lua engine's World
// (adapters/lua/world.go): a wallet's message has From = Owner = the
// wallet; a process's message arrives with From = the sending process,
// tags From-Process and From-Module set by the world, and Owner = the
// messenger unit, which every process lists as an Authority. Messages are
// delivered FIFO until the network is quiet; each takes the world clock,
// which then advances by 1 ms.
type World struct {
	opts   Options
	limits Limits
	seed   string
	clock  int64
	eng    *engine

	ids       int
	dryruns   int
	seq       int
	wallets   map[string]string
	addresses map[string]bool
	processes map[string]*process
	nonces    map[string]int64
	delivered map[string]adapters.Message
	trace     adapters.Trace
	closed    bool

	messenger string
	scheduler string
	work      int64
}

var (
	_ adapters.World       = (*World)(nil)
	_ adapters.WorkCounter = (*World)(nil)
)

// WorkDone is the work this world's evaluations have done, in Lua VM
// instructions counted by the module (in steps of 1,000), dryruns included:
// what adapters.RunWork adds to a run's count.
func (w *World) WorkDone() int64 { return w.work }

// ErrSpawnFailed is returned (wrapped, with the reason) by Spawn when the
// new process's spawn message did not evaluate cleanly.
var ErrSpawnFailed = errors.New("spawn message failed")

// New makes an empty world. The module is compiled and booted once per
// binary and Go process (see engines).
func New(opts Options) (*World, error) {
	if opts.Seed == "" {
		opts.Seed = "mostao"
	}
	if opts.Clock == 0 {
		opts.Clock = DefaultClock
	}
	if opts.Binary == nil {
		opts.Binary = DefaultModule
	}
	w := &World{
		opts:      opts,
		limits:    opts.Limits.withDefaults(),
		seed:      opts.Seed,
		clock:     opts.Clock,
		wallets:   map[string]string{},
		addresses: map[string]bool{},
		processes: map[string]*process{},
		nonces:    map[string]int64{},
		delivered: map[string]adapters.Message{},
	}
	w.messenger = adapters.DeterministicID(w.seed + "/messenger-unit")
	w.scheduler = adapters.DeterministicID(w.seed + "/scheduler-unit")
	eng, err := engineForFormat(opts.Binary, opts.Format)
	if err != nil {
		return nil, err
	}
	w.eng = eng
	return w, nil
}

// MessengerUnit returns the address that signs messages pushed between processes.
func (w *World) MessengerUnit() string { return w.messenger }

func (w *World) newID(kind string) string {
	w.ids++
	return adapters.DeterministicID(w.seed + "/" + kind + "/" + strconv.Itoa(w.ids))
}

// Wallet returns the address of the named wallet, creating it on first use.
func (w *World) Wallet(name string) (string, error) {
	if w.closed {
		return "", adapters.ErrClosed
	}
	if a, ok := w.wallets[name]; ok {
		return a, nil
	}
	a := adapters.DeterministicID(w.seed + "/wallet/" + name)
	w.wallets[name] = a
	w.addresses[a] = true
	return a, nil
}

func withProtocolTags(tags adapters.Tags, typ string) adapters.Tags {
	out := make(adapters.Tags, 0, len(tags)+3)
	for _, t := range []adapters.Tag{{Name: "Data-Protocol", Value: "ao"}, {Name: "Variant", Value: "ao.TN.1"}, {Name: "Type", Value: typ}} {
		if _, ok := tags.Get(t.Name); !ok {
			out = append(out, t)
		}
	}
	return append(out, tags...)
}

// Spawn creates a process of module req.Module owned by the wallet
// req.From, delivers its spawn message and runs the network until quiet.
func (w *World) Spawn(ctx context.Context, req adapters.SpawnRequest) (string, error) {
	if w.closed {
		return "", adapters.ErrClosed
	}
	if !w.addresses[req.From] {
		return "", fmt.Errorf("%w: %q is not a wallet of this world (make it with Wallet first)", adapters.ErrUnknownWallet, req.From)
	}
	mod, ok := w.opts.Modules[req.Module]
	if !ok {
		return "", fmt.Errorf("%w: %q (this world knows %d modules)", adapters.ErrUnknownModule, req.Module, len(w.opts.Modules))
	}
	data := req.Data
	tags := withProtocolTags(adapters.Tags{{Name: "Module", Value: req.Module}, {Name: "Scheduler", Value: w.scheduler}}, "Process")
	tags = append(tags, w.authorityTags(mod, nil)...)
	tags = append(tags, req.Tags...)
	if mod.Source != "" && !w.eng.setup {
		if data != "" {
			return "", fmt.Errorf("module %q loads its code as the spawn's Data (On-Boot): the spawn cannot carry Data of its own", req.Module)
		}
		data = mod.Source
		tags = append(tags, adapters.Tag{Name: "On-Boot", Value: "Data"})
	}
	if data == "" {
		data = "NODATA"
	}
	pid := w.newID("message")
	msg := adapters.Message{ID: pid, From: req.From, Owner: req.From, Target: pid, Data: data, Tags: tags}
	tr, err := w.run(ctx, []item{{msg: msg, spawn: true, module: req.Module}})
	w.trace.Append(tr)
	if err != nil {
		return pid, err
	}
	for _, d := range tr.Deliveries {
		if d.Message.ID == pid && d.Result.Failed() {
			return pid, fmt.Errorf("%w: process %s (module %s): %s", ErrSpawnFailed, pid, req.Module, d.Result.Error)
		}
	}
	return pid, nil
}

func (w *World) authorityTags(mod Module, have adapters.Tags) adapters.Tags {
	var out adapters.Tags
	listed := false
	for _, t := range have {
		if t.Name == "Authority" && t.Value == w.messenger {
			listed = true
		}
	}
	if !listed {
		out = append(out, adapters.Tag{Name: "Authority", Value: w.messenger})
	}
	for _, a := range mod.Authority {
		out = append(out, adapters.Tag{Name: "Authority", Value: a})
	}
	return out
}

// Send delivers a message signed by the wallet m.From, then everything it
// causes, until the network is quiet.
func (w *World) Send(ctx context.Context, m adapters.Message) (adapters.Trace, error) {
	if w.closed {
		return adapters.Trace{}, adapters.ErrClosed
	}
	if !w.addresses[m.From] {
		return adapters.Trace{}, fmt.Errorf("%w: %q is not a wallet of this world (make it with Wallet first)", adapters.ErrUnknownWallet, m.From)
	}
	if m.Owner != "" && m.Owner != m.From {
		return adapters.Trace{}, fmt.Errorf("a wallet signs as itself: Owner %q differs from From %q (to claim another sender, set a From-Process tag)", m.Owner, m.From)
	}
	if _, ok := w.processes[m.Target]; !ok {
		return adapters.Trace{}, fmt.Errorf("%w: %q is not a process of this world", adapters.ErrUnknownProcess, m.Target)
	}
	msg := m
	if msg.ID == "" {
		msg.ID = w.newID("message")
	}
	msg.Owner = m.From
	if fp, ok := m.Tags.Get("From-Process"); ok {
		msg.From = fp
	}
	msg.Tags = withProtocolTags(m.Tags, "Message")
	keep := m.Timestamp != 0
	if keep && msg.BlockHeight == 0 {
		msg.BlockHeight = BlockHeight
	}
	tr, err := w.run(ctx, []item{{msg: msg, keepTime: keep}})
	w.trace.Append(tr)
	return tr, err
}

// DryRun evaluates m on its target read-only: the instance's memory is
// copied before and written back after, so the process is exactly as it
// was. From may be anything (default "1234"); the clock does not advance.
func (w *World) DryRun(ctx context.Context, m adapters.Message) (adapters.Result, error) {
	if w.closed {
		return adapters.Result{}, adapters.ErrClosed
	}
	p, ok := w.processes[m.Target]
	if !ok {
		return adapters.Result{}, fmt.Errorf("%w: %q is not a process of this world", adapters.ErrUnknownProcess, m.Target)
	}
	msg := m
	if msg.From == "" {
		msg.From = "1234"
	}
	if msg.Owner == "" {
		msg.Owner = msg.From
	}
	if msg.ID == "" {
		w.dryruns++
		msg.ID = adapters.DeterministicID(w.seed + "/dryrun/" + strconv.Itoa(w.dryruns))
	}
	if fp, ok := m.Tags.Get("From-Process"); ok {
		msg.From = fp
	}
	msg.Tags = withProtocolTags(m.Tags, "Message")
	if msg.Timestamp == 0 {
		msg.Timestamp = w.clock
	}
	if msg.BlockHeight == 0 {
		msg.BlockHeight = BlockHeight
	}
	res, _, err := p.eval(ctx, delivery{msg: msg, readOnly: true, nonce: -1}, w.limits)
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

// item is one thing waiting to be scheduled.
type item struct {
	msg       adapters.Message
	spawn     bool
	module    string
	spawner   *process
	keepTime  bool
	ownTarget string
}

// newProcess makes the instance of a process from the boot image.
func (w *World) newProcess(ctx context.Context, it item) (*process, error) {
	mod := w.opts.Modules[it.module]
	p := &process{id: it.msg.ID, moduleID: it.module, mod: mod, owner: it.msg.From, spawn: it.msg, eng: w.eng,
		memoryLimit: w.limits.MemoryLimit, work: &w.work}
	if v, ok := it.msg.Tags.Get("Memory-Limit"); ok {
		n, err := parseSize(v)
		if err != nil {
			p.broken, p.brokenKind = "Memory-Limit: "+err.Error(), adapters.ErrorCrash
		} else {
			p.memoryLimit = n
		}
	}
	if err := p.restore(ctx, w.eng.boot); err != nil {
		return nil, err
	}
	if mod.Source != "" && w.eng.setup {
		name := mod.Name
		if name == "" {
			name = it.module
		}
		if err := p.setup(ctx, name, mod.Source); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// parseSize reads a Memory-Limit value such as "1-gb" or "512-mb".
func parseSize(v string) (uint64, error) {
	num, unit, _ := strings.Cut(strings.ToLower(v), "-")
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a size such as 1-gb", v)
	}
	mult := map[string]uint64{"": 1, "b": 1, "kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30}[unit]
	if mult == 0 {
		return 0, fmt.Errorf("%q: unknown unit %q", v, unit)
	}
	return n * mult, nil
}

// run schedules queue and everything it causes, FIFO, until quiet.
func (w *World) run(ctx context.Context, queue []item) (adapters.Trace, error) {
	var tr adapters.Trace
	deliveries, spawns := 0, 0
	for len(queue) > 0 {
		if err := ctx.Err(); err != nil {
			return tr, fmt.Errorf("stopped with %d messages undelivered: %w", len(queue), err)
		}
		it := queue[0]
		queue = queue[1:]
		if deliveries >= w.limits.MaxDeliveriesPerSend {
			return tr, fmt.Errorf("%w: %d deliveries caused by one call (MaxDeliveriesPerSend): a message storm?", adapters.ErrMessageLimit, deliveries)
		}
		if !it.keepTime {
			it.msg.Timestamp = w.clock
			it.msg.BlockHeight = BlockHeight
		}
		if it.spawn {
			if spawns >= w.limits.MaxSpawnsPerSend {
				return tr, fmt.Errorf("%w: %d spawns caused by one call (MaxSpawnsPerSend)", adapters.ErrMessageLimit, spawns)
			}
			spawns++
			if _, ok := w.opts.Modules[it.module]; !ok {
				w.seq++
				tr.Deliveries = append(tr.Deliveries, adapters.Delivery{Seq: w.seq, Message: it.msg, Handled: false,
					Result: adapters.Result{Error: fmt.Sprintf("spawn refused: unknown module %q", it.module), ErrorKind: adapters.ErrorCrash}})
				continue
			}
			p, err := w.newProcess(ctx, it)
			if err != nil {
				return tr, fmt.Errorf("creating process %s: %w", it.msg.ID, err)
			}
			w.processes[p.id] = p
		}
		p, ok := w.processes[it.msg.Target]
		if !ok {
			return tr, fmt.Errorf("%w: %q", adapters.ErrUnknownProcess, it.msg.Target)
		}
		w.clock++
		deliveries++
		nonce := w.nonces[p.id]
		w.nonces[p.id]++
		res, handled, err := p.eval(ctx, delivery{msg: it.msg, nonce: nonce, ownTarget: it.ownTarget}, w.limits)
		if err != nil {
			if it.spawn {
				delete(w.processes, p.id)
				p.close()
			}
			return tr, fmt.Errorf("evaluating message %s on process %s: %w", it.msg.ID, p.id, err)
		}
		w.seq++
		tr.Deliveries = append(tr.Deliveries, adapters.Delivery{Seq: w.seq, Message: it.msg, Result: res, Handled: handled})
		if _, seen := w.delivered[it.msg.ID]; !seen {
			w.delivered[it.msg.ID] = it.msg
		}
		if it.spawn {
			tr.Spawned = append(tr.Spawned, p.id)
			if it.spawner != nil {
				queue = append(queue, item{msg: w.spawnedNotice(it, p.id)})
			}
		}
		if res.Failed() {
			continue
		}
		for _, m := range res.Messages {
			out := w.outgoing(p, m)
			if _, isProcess := w.processes[out.Target]; isProcess {
				queue = append(queue, item{msg: out})
			} else {
				out.Timestamp = w.clock
				out.BlockHeight = BlockHeight
				tr.ToWallets = append(tr.ToWallets, out)
			}
		}
		for _, s := range res.Spawns {
			out := w.outgoing(p, s)
			out.Target = out.ID
			module := out.Tags.Value("Module")
			if mod, ok := w.opts.Modules[module]; ok {
				out.Tags = append(out.Tags, w.authorityTags(mod, out.Tags)...)
			}
			queue = append(queue, item{msg: out, spawn: true, module: module, spawner: p})
		}
		for _, a := range p.assignments {
			orig, ok := w.delivered[a.message]
			if !ok {
				continue
			}
			for _, target := range a.processes {
				if _, ok := w.processes[target]; ok {
					m := orig
					m.Target = target
					queue = append(queue, item{msg: m, ownTarget: orig.Target})
				}
			}
		}
	}
	return tr, nil
}

// outgoing turns an outbox entry of p into a network message pushed by the
// messenger unit.
func (w *World) outgoing(p *process, m adapters.Message) adapters.Message {
	tags := make(adapters.Tags, 0, len(m.Tags)+2)
	for _, t := range m.Tags {
		if t.Name != "From-Process" && t.Name != "From-Module" {
			tags = append(tags, t)
		}
	}
	tags = append(tags, adapters.Tag{Name: "From-Process", Value: p.id}, adapters.Tag{Name: "From-Module", Value: p.moduleID})
	return adapters.Message{ID: w.newID("message"), From: p.id, Owner: w.messenger, Target: m.Target, Anchor: m.Anchor, Data: m.Data, Tags: tags}
}

// spawnedNotice is the message a spawner gets once its process exists.
func (w *World) spawnedNotice(it item, pid string) adapters.Message {
	tags := make(adapters.Tags, 0, len(it.msg.Tags)+2)
	tags = append(tags, it.msg.Tags...)
	tags = append(tags, adapters.Tag{Name: "Action", Value: "Spawned"}, adapters.Tag{Name: "Process", Value: pid})
	return adapters.Message{ID: w.newID("message"), From: it.spawner.id, Owner: w.messenger, Target: it.spawner.id, Data: "", Tags: tags}
}
