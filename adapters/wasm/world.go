// Package wasm is an in-process AO world whose processes run on a compiled
// AO module: each process is an instance of the module, run by wazero (pure
// Go, no cgo). It implements adapters.World on the same engine-neutral
// network as the Lua engine (adapters/lua), aonet.Network, so the two give
// the same ids, clock and routing and can be run side by side on the same
// scenarios.
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
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet"
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
// instance of the shared compiled module), so every scenario and generated
// sequence gets a fresh one, and a failure may be replayed to shrink it
// (the shrink's work bound ends it: about a minute for a failing MIP-01
// property here, against seconds on the Lua engine).
//
// At most ParallelShards property shards run at once: each process holds
// its own linear memory (4 MB and up), and a MIP-02 shard's world peaks at
// about 180 MB, so the eight shards at once would pass the 1 GiB soft
// memory limit the command sets (docs/wasm.md, "Properties").
func Engine() adapters.Engine {
	return adapters.Engine{Name: "wasm (wazero, mostao-lua53.wasm: Lua 5.3.6, " + ModuleFormat + ")", Parallel: ParallelShards, WorkScale: WorkScale}
}

// WorkScale is how many of this engine's work units, loop iterations of
// the module (interrupt.go), the reference processes spend where the Lua
// engine counts one: measured, they spend 4.5 to 11 times as many per
// generated sequence and 1.7 times as many over the scenarios
// (docs/wasm.md), and the largest ratio is rounded up so that a run's work
// bound leaves the reference as much room on this engine as on the Lua
// engine (TestReferenceFitsItsRunWorkEstimatesOnWasm).
const WorkScale = 10

// DefaultMaxWork is the default work budget of one evaluation: the Lua
// engine's 10,000,000 units, scaled by WorkScale. The reference's largest
// evaluation (a session spawned with 256 members) counts about 19,000,000.
const DefaultMaxWork = 10_000_000 * WorkScale

// ForeignMaxWork is the default work budget of one evaluation on a module
// without our setup export (real aos): aos does in Lua what our module does
// in C (json, ao.send's tag handling), so the same reference evaluation
// counts about five to ten times the units there. The reference's largest,
// a session spawned with 256 members, counts about 95,000,000 on aos 2.0.4
// and 2.0.6 (TestRealAosWorkBudgetFitsTheReference), close to
// DefaultMaxWork; an implementation that encodes its notices once per
// participant, as the reference once did, counts about 196,000,000. This
// is twice that.
const ForeignMaxWork = 400_000_000

// ForeignWorkScale is WorkScale on a module without our setup export: the
// ratio of ForeignMaxWork to the Lua engine's default budget, which
// DefaultMaxWork is WorkScale times.
const ForeignWorkScale = ForeignMaxWork / (DefaultMaxWork / WorkScale)

// ForeignEvalTimeout is the default wall-clock safety net of one
// evaluation on such a module (30 s on ours).
const ForeignEvalTimeout = 2 * time.Minute

// ParallelShards is how many property shards the wasm engine runs at once.
const ParallelShards = 4

// The world's fixed clock and block height: aonet's, as on the Lua
// engine, so both engines give the same messages the same Timestamps.
const (
	DefaultClock = aonet.DefaultClock
	BlockHeight  = aonet.BlockHeight
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
	// On another module (real aos) it is loaded as aos loads code without
	// a build of its own: the world holds the source as a transaction on
	// its weave, every spawn of the module (by a wallet or by a process)
	// reaches the process with tag On-Boot = <that transaction's id>, and
	// aos's _boot handler reads it over WeaveDrive and evaluates it while
	// the spawn message is handled (drive.go). The spawn keeps its own
	// Data. A spawn that already carries an On-Boot tag keeps it.
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
	// MaxWork bounds the work of one evaluation in loop iterations of the
	// module (interrupt.go; default DefaultMaxWork, ForeignMaxWork on a
	// module without our setup export). Past it the call
	// traps -> ErrorComputeLimit.
	MaxWork int64
	// LuaMaxWork is the same budget written in the Lua engine's units
	// (lua.Limits.MaxWork, what `mostao certify --max-work` takes), used
	// when MaxWork is 0: it is multiplied by WorkScale on a module with
	// our setup export and by ForeignWorkScale on one without, so that the
	// Lua engine's default budget gives this engine's default on both and
	// a budget leaves a process the same room on every engine.
	LuaMaxWork int64
	// EvalTimeout is the wall-clock safety net of one evaluation (default
	// 30s, ForeignEvalTimeout on a module without setup): past it the call is stopped and the world returns
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
		l.MaxWork = DefaultMaxWork
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
	// PushedFor is lua.Options.PushedFor: every pushed message and spawn
	// carries Pushed-For, for a network in front of the world.
	PushedFor bool
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
	f, loadBin, err := loadable(binary, format)
	if err != nil {
		return nil, err
	}
	cache, _ := sharedCache()
	r, compiled, err := compileModule(ctx, cache, loadBin)
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
// Ids, wallets, the clock, routing and the checks on what a wallet spawns
// and sends are those of the engine-neutral aonet.Network it embeds, the
// same as on the Lua engine (adapters/lua): a wallet's message has From =
// Owner = the wallet; a process's message arrives with From = the sending
// process, tags From-Process and From-Module set by the world, and Owner =
// the messenger unit, which every process lists as an Authority. Messages
// are delivered FIFO until the network is quiet; each takes the world
// clock, which then advances by 1 ms. The World itself makes each process
// an instance of the module and runs it.
type World struct {
	*aonet.Network[*process]
	opts   Options
	limits Limits
	eng    *engine
	work   int64
	// weave holds the transactions the world's processes can read over
	// WeaveDrive: the source of every module (drive.go).
	weave weave
}

var (
	_ adapters.World       = (*World)(nil)
	_ adapters.WorkCounter = (*World)(nil)
)

// WorkDone is the work this world's evaluations have done, in loop
// iterations of the module (interrupt.go), dryruns included: what
// adapters.RunWork adds to a run's count.
func (w *World) WorkDone() int64 { return w.work }

// ErrSpawnFailed is returned (wrapped, with the reason) by Spawn when the
// new process's spawn message did not evaluate cleanly. It is
// aonet.ErrSpawnFailed, the same on every in-process engine.
var ErrSpawnFailed = aonet.ErrSpawnFailed

// New makes an empty world. The module is compiled and booted once per
// binary and Go process (see engines).
func New(opts Options) (*World, error) {
	if opts.Seed == "" {
		opts.Seed = aonet.DefaultSeed
	}
	if opts.Clock == 0 {
		opts.Clock = DefaultClock
	}
	if opts.Binary == nil {
		opts.Binary = DefaultModule
	}
	eng, err := engineForFormat(opts.Binary, opts.Format)
	if err != nil {
		return nil, err
	}
	lim := opts.Limits
	if lim.MaxWork <= 0 && lim.LuaMaxWork > 0 {
		scale := int64(WorkScale)
		if !eng.setup {
			scale = ForeignWorkScale
		}
		// A budget too large to scale is as good as none: it saturates
		// rather than wrapping to a negative one.
		lim.MaxWork = math.MaxInt64
		if lim.LuaMaxWork <= math.MaxInt64/scale {
			lim.MaxWork = lim.LuaMaxWork * scale
		}
	}
	if !eng.setup {
		if lim.MaxWork <= 0 {
			lim.MaxWork = ForeignMaxWork
		}
		if lim.EvalTimeout <= 0 {
			// The safety net stays behind the work budget: ForeignMaxWork
			// takes some 30 s on two loaded cores.
			lim.EvalTimeout = ForeignEvalTimeout
		}
	}
	w := &World{opts: opts, limits: lim.withDefaults(), eng: eng, weave: weave{}}
	for _, mod := range opts.Modules {
		w.weave.add(mod)
	}
	netLim := aonet.Limits{MaxDeliveriesPerSend: w.limits.MaxDeliveriesPerSend, MaxSpawnsPerSend: w.limits.MaxSpawnsPerSend}
	w.Network = aonet.NewNetwork[*process](opts.Seed, opts.Clock, host{w}, netLim, opts.PushedFor)
	return w, nil
}

// newProcess makes the instance of a process from the boot image.
func (w *World) newProcess(ctx context.Context, it aonet.Item) (*process, error) {
	mod := w.opts.Modules[it.Module]
	p := &process{id: it.Msg.ID, moduleID: it.Module, mod: mod, owner: it.Msg.From, spawn: it.Msg, eng: w.eng,
		memoryLimit: w.limits.MemoryLimit, work: &w.work, weave: w.weave}
	if _, ok := it.Msg.Tags.Get("On-Boot"); !ok && mod.Source != "" && !w.eng.setup {
		// The module's code comes with aos's boot loader (Module.Source):
		// the process sees the tag on its spawn message and in
		// ao.env.Process.Tags, as it would had the spawner set it.
		p.onBoot = aonet.CodeTransaction(mod.Source)
		p.spawn.Tags = append(append(adapters.Tags{}, it.Msg.Tags...), adapters.Tag{Name: "On-Boot", Value: p.onBoot})
	}
	if v, ok := it.Msg.Tags.Get("Memory-Limit"); ok {
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
			name = it.Module
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

// host is the world as its aonet.Network sees it: how a process, an
// instance of the module, is made and evaluates. The world-wide limits of
// the Lua engine (queued messages, messages and spawns of a world) are not
// here yet.
type host struct{ w *World }

func (h host) Authorities(module string) ([]string, bool) {
	mod, ok := h.w.opts.Modules[module]
	return mod.Authority, ok
}

func (h host) Modules() int { return len(h.w.opts.Modules) }

// SpawnMessage leaves a spawn as the network made it: on a module without
// setup the code comes over WeaveDrive (Module.Source, newProcess), and the
// spawn keeps its own Data.
func (h host) SpawnMessage(module string, tags adapters.Tags, data string) (adapters.Tags, string, error) {
	return tags, data, nil
}

func (h host) CheckQueue(int, int64) error { return nil }

func (h host) NewProcess(ctx context.Context, it aonet.Item) (*process, string, error) {
	if _, ok := h.w.opts.Modules[it.Module]; !ok {
		return nil, aonet.UnknownModule(it.Module), nil
	}
	p, err := h.w.newProcess(ctx, it)
	return p, "", err
}

func (h host) Eval(ctx context.Context, p *process, it aonet.Item, nonce int64) (aonet.Evaluation, error) {
	var ev aonet.Evaluation
	var err error
	ev.Result, ev.Handled, err = p.eval(ctx, delivery{msg: it.Msg, nonce: nonce, ownTarget: it.OwnTarget}, h.w.limits)
	ev.Assignments = p.assignments
	return ev, err
}

func (h host) DryRun(ctx context.Context, p *process, m adapters.Message) (adapters.Result, error) {
	res, _, err := p.eval(ctx, delivery{msg: m, readOnly: true, nonce: -1}, h.w.limits)
	return res, err
}

func (h host) ToWallet(adapters.Message) {}
