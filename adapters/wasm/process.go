package wasm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet"
)

// engine is one compiled module in one wazero runtime, with the image of
// its memory right after boot: a new process is an instance of the module
// whose memory is set to that image, so Lua and the runtime load once per
// world, not once per process.
type engine struct {
	format   Format
	runtime  wazero.Runtime
	compiled wazero.CompiledModule
	boot     *snapshot
	// setup: the module exports setup(name, source), ours does.
	setup bool
}

// snapshot is the state of an instance between calls: its linear memory,
// its stack pointer and the host's own per-instance value (getTempRet0).
// The stack pointer is the one mutable global an emscripten module has; it
// is not exported, so it is read and written through the stack exports.
// (A module that exported other mutable globals would need them here too:
// wazero's API cannot list a module's exported globals, and neither
// emscripten nor aos modules export any.)
type snapshot struct {
	mem      []byte
	sp       uint64
	tempRet0 uint32
}

// process is one AO process: an instance of the module.
type process struct {
	id       string
	moduleID string
	mod      Module
	owner    string
	spawn    adapters.Message
	eng      *engine
	work     *int64 // the world's count of work done

	inst                             api.Module
	handleFn, malloc, free, setThrew api.Function
	saveFn, restoreFn                api.Function
	// workTick and workLeft are the work count's globals (interrupt.go);
	// nil in a module the rewriter could not read.
	workTick, workLeft api.MutableGlobal

	// interrupt orders the writes of the interrupt global (armInterrupt).
	interrupt struct {
		sync.Mutex
		gen uint64
	}

	// nested is the context of the calls invoke_* makes (nestedContext).
	nested context.Context

	// spare is the buffer of the snapshot taken before each message.
	spare *snapshot
	// table keeps the functions invoke_* called, free for reuse, by table index.
	table map[uint32][]api.Function

	// lastWork is the work the last call counted (loop iterations,
	// interrupt.go).
	lastWork int64

	// Per-call host state.
	tempRet0      uint32
	gas           uint64 // what a metering build reported (metering_gasUsed)
	now           int64
	memoryLimit   uint64
	memoryRefused bool
	stdio         bytes.Buffer
	// weave is the world's transactions, files the drive files open
	// (drive.go).
	weave weave
	files map[uint32]*driveFile
	// onBoot is the transaction the world adds as the spawn's On-Boot tag
	// ("" when it adds none).
	onBoot string

	evaluated   int
	broken      string
	brokenKind  adapters.ErrorKind
	assignments []aonet.Assignment
}

// instantiate makes a fresh instance of the module and finds its exports.
// Export names differ between emscripten versions: the stack pointer is
// read with emscripten_stack_get_current or stackSave and written with
// _emscripten_stack_restore or stackRestore.
func (p *process) instantiate(ctx context.Context) error {
	inst, err := p.eng.runtime.InstantiateModule(ctx, p.eng.compiled, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		return fmt.Errorf("instantiating the module: %w", err)
	}
	p.inst = inst
	p.table = map[uint32][]api.Function{}
	pick := func(names ...string) api.Function {
		for _, n := range names {
			if f := inst.ExportedFunction(n); f != nil {
				return f
			}
		}
		return nil
	}
	p.handleFn, p.malloc, p.free, p.setThrew = pick("handle"), pick("malloc"), pick("free"), pick("setThrew")
	p.saveFn = pick("emscripten_stack_get_current", "stackSave")
	p.restoreFn = pick("_emscripten_stack_restore", "stackRestore")
	p.workTick, _ = inst.ExportedGlobal(workTickGlobal).(api.MutableGlobal)
	p.workLeft, _ = inst.ExportedGlobal(workLeftGlobal).(api.MutableGlobal)
	for name, f := range map[string]api.Function{"handle": p.handleFn, "malloc": p.malloc, "free": p.free, "setThrew": p.setThrew, "stackSave": p.saveFn, "stackRestore": p.restoreFn} {
		if f == nil {
			return fmt.Errorf("the module does not export %s", name)
		}
	}
	return nil
}

func (p *process) stackSave(ctx context.Context) uint64 {
	r, err := p.saveFn.Call(ctx)
	if err != nil {
		panic(err)
	}
	return r[0]
}

func (p *process) stackRestore(ctx context.Context, sp uint64) {
	if _, err := p.restoreFn.Call(ctx, sp); err != nil {
		panic(err)
	}
}

// take copies the instance's state. It is taken between calls only.
func (p *process) take(ctx context.Context) *snapshot {
	return p.takeInto(ctx, &snapshot{})
}

// takeInto copies the instance's state into s, reusing its buffer: a
// process takes one snapshot per message, and allocating megabytes each
// time costs more than copying them.
func (p *process) takeInto(ctx context.Context, s *snapshot) *snapshot {
	// Taking and restoring state must finish even when the caller's
	// context has ended: that is when a rollback is needed most.
	ctx = context.WithoutCancel(ctx)
	mem := p.inst.Memory()
	buf, _ := mem.Read(0, mem.Size())
	s.mem = append(s.mem[:0], buf...)
	s.tempRet0 = p.tempRet0
	s.sp = p.stackSave(context.WithValue(ctx, procKey{}, p))
	return s
}

// restore puts the instance back to s. Memory cannot shrink: when it grew
// since s (or the instance was closed by a deadline), a fresh instance
// takes the state, so memory.size is what it was too.
func (p *process) restore(ctx context.Context, s *snapshot) error {
	ctx = context.WithoutCancel(ctx)
	if p.inst == nil || p.inst.IsClosed() || uint64(p.inst.Memory().Size()) > uint64(len(s.mem)) {
		if p.inst != nil {
			_ = p.inst.Close(ctx)
		}
		if err := p.instantiate(ctx); err != nil {
			return err
		}
	}
	mem := p.inst.Memory()
	if have, want := mem.Size()/65536, uint32(len(s.mem)/65536); have < want {
		if _, ok := mem.Grow(want - have); !ok {
			return fmt.Errorf("restoring a snapshot: memory cannot grow to %d pages", want)
		}
	}
	mem.Write(0, s.mem)
	p.tempRet0 = s.tempRet0
	p.stackRestore(context.WithValue(ctx, procKey{}, p), s.sp)
	return nil
}

// ModuleID is the id of the module the process runs (aonet.Process).
func (p *process) ModuleID() string { return p.moduleID }

// Close releases the process (aonet.Process).
func (p *process) Close() { p.close() }

func (p *process) close() {
	if p.inst != nil {
		_ = p.inst.Close(context.Background())
	}
	p.releaseSnapshot()
}

// bootEngine runs the module's boot sequence in a first instance (the
// constructors, then main, which makes the Lua state and loads the
// runtime) and keeps the image of its memory.
func bootEngine(ctx context.Context, eng *engine) error {
	p := &process{eng: eng, memoryLimit: 1 << 31}
	if err := p.instantiate(ctx); err != nil {
		return err
	}
	defer p.close()
	cctx := context.WithValue(ctx, procKey{}, p)
	if f := p.inst.ExportedFunction("_initialize"); f != nil {
		if _, err := f.Call(cctx); err != nil {
			return fmt.Errorf("booting the module: _initialize: %w", err)
		}
	}
	if f := p.inst.ExportedFunction("emscripten_stack_init"); f != nil {
		if _, err := f.Call(cctx); err != nil {
			return fmt.Errorf("booting the module: emscripten_stack_init: %w", err)
		}
	}
	if f := p.inst.ExportedFunction("__wasm_call_ctors"); f != nil {
		if _, err := f.Call(cctx); err != nil {
			return fmt.Errorf("booting the module: __wasm_call_ctors: %w", err)
		}
	}
	if f := p.inst.ExportedFunction("main"); f != nil {
		args := make([]uint64, len(f.Definition().ParamTypes()))
		r, err := f.Call(cctx, args...)
		if err != nil {
			return fmt.Errorf("booting the module: main: %w", err)
		}
		if len(r) > 0 && uint32(r[0]) != 0 {
			return fmt.Errorf("booting the module: main returned %d (output: %q)", int32(r[0]), p.stdio.String())
		}
	}
	eng.boot = p.take(ctx)
	return nil
}

// setup gives the process its code through the module's setup export.
func (p *process) setup(ctx context.Context, name, source string) error {
	ctx = context.WithValue(ctx, procKey{}, p)
	np, err := p.cstring(ctx, []byte(name))
	if err != nil {
		return err
	}
	sp, err := p.cstring(ctx, []byte(source))
	if err != nil {
		return err
	}
	r, err := p.inst.ExportedFunction("setup").Call(ctx, np, sp)
	if err != nil {
		return fmt.Errorf("giving the process its code: %w", err)
	}
	if uint32(r[0]) == 0 {
		return errors.New("giving the process its code: the module did not boot")
	}
	for _, ptr := range []uint64{np, sp} {
		if _, err := p.free.Call(ctx, ptr); err != nil {
			return err
		}
	}
	return nil
}

// call runs handle(msg, env) and returns the envelope text. An error is a
// trap, an abort, or the end of ctx.
func (p *process) call(ctx context.Context, msg, env []byte, work int64) (string, error) {
	p.setBudget(work)
	mp, err := p.cstring(ctx, msg)
	if err != nil {
		return "", err
	}
	ep, err := p.cstring(ctx, env)
	if err != nil {
		return "", err
	}
	r, err := p.handleFn.Call(ctx, mp, ep)
	if err != nil {
		if p.budgetSpent() {
			return "", fmt.Errorf("%w: %w", errWorkLimit, err)
		}
		return "", err
	}
	out := cString(p.inst.Memory(), uint32(r[0]), p.inst.Memory().Size())
	if _, err := p.free.Call(ctx, mp); err != nil {
		return "", err
	}
	if _, err := p.free.Call(ctx, ep); err != nil {
		return "", err
	}
	return out, nil
}

// cstring copies b into memory the module allocated, NUL-terminated.
func (p *process) cstring(ctx context.Context, b []byte) (uint64, error) {
	r, err := p.malloc.Call(ctx, uint64(len(b)+1))
	if err != nil {
		return 0, err
	}
	if r[0] == 0 {
		return 0, fmt.Errorf("%w: malloc(%d) failed", errNoMemory, len(b)+1)
	}
	if !p.inst.Memory().Write(uint32(r[0]), append(b, 0)) {
		return 0, fmt.Errorf("malloc returned %d, outside memory", r[0])
	}
	return r[0], nil
}

// errNoMemory: the module could not allocate the message.
var errNoMemory = errors.New("out of memory")

// wireMessage is a message as a Compute Unit hands it to a module.
type wireMessage struct {
	ID          string        `json:"Id"`
	Owner       string        `json:"Owner"`
	From        string        `json:"From"`
	Target      string        `json:"Target"`
	Anchor      string        `json:"Anchor,omitempty"`
	Data        string        `json:"Data"`
	Timestamp   int64         `json:"Timestamp"`
	BlockHeight int64         `json:"Block-Height"`
	Cron        bool          `json:"Cron"`
	ReadOnly    bool          `json:"Read-Only"`
	Nonce       *int64        `json:"Nonce,omitempty"`
	Tags        adapters.Tags `json:"Tags"`
}

type wireEntity struct {
	ID    string        `json:"Id"`
	Owner string        `json:"Owner"`
	Tags  adapters.Tags `json:"Tags"`
}

type wireEnv struct {
	Process wireEntity `json:"Process"`
	Module  wireEntity `json:"Module"`
}

// envelope is what handle returns: {"ok", "response"}, the response
// reduced by the module's envelope code (module/mostao.lua), or aos's own
// result table (parseEnvelope reads both).
type envelope struct {
	OK       *bool     `json:"ok"`
	Response *response `json:"response"`
}

type response struct {
	Error       *string        `json:"Error"`
	Output      string         `json:"Output"`
	Messages    []wireOutgoing `json:"Messages"`
	Spawns      []wireOutgoing `json:"Spawns"`
	Assignments []struct {
		Message   string   `json:"Message"`
		Processes []string `json:"Processes"`
	} `json:"Assignments"`
	Untrusted bool `json:"Untrusted"`
}

type wireOutgoing struct {
	Target string        `json:"Target"`
	Anchor string        `json:"Anchor"`
	Data   string        `json:"Data"`
	Tags   adapters.Tags `json:"Tags"`
}

// delivery is one message as the process is to see it.
type delivery struct {
	msg       adapters.Message
	readOnly  bool
	nonce     int64 // -1: none
	ownTarget string
}

func (p *process) wire(d delivery) ([]byte, []byte) {
	m := d.msg
	w := wireMessage{ID: m.ID, Owner: m.Owner, From: m.From, Target: m.Target, Anchor: m.Anchor, Data: m.Data,
		Timestamp: m.Timestamp, BlockHeight: m.BlockHeight, ReadOnly: d.readOnly, Tags: m.Tags}
	if w.Owner == "" {
		w.Owner = m.From
	}
	if d.ownTarget != "" {
		w.Target = d.ownTarget
	}
	if d.nonce >= 0 {
		n := d.nonce
		w.Nonce = &n
	}
	if w.Tags == nil {
		w.Tags = adapters.Tags{}
	}
	if p.onBoot != "" && m.ID == p.id && !d.readOnly {
		w.Tags = p.spawn.Tags
	}
	modTags := adapters.Tags{{Name: "Data-Protocol", Value: "ao"}, {Name: "Type", Value: "Module"},
		{Name: "Module-Format", Value: p.eng.format.Name}, {Name: "Name", Value: p.mod.Name}}
	if p.mod.Profile != "" {
		modTags = append(modTags, adapters.Tag{Name: "Runtime-Profile", Value: p.mod.Profile})
	}
	env := wireEnv{
		Process: wireEntity{ID: p.id, Owner: p.owner, Tags: p.spawn.Tags},
		Module:  wireEntity{ID: p.moduleID, Owner: adapters.DeterministicID("module-owner/" + p.moduleID), Tags: modTags},
	}
	mb, _ := json.Marshal(w)
	eb, _ := json.Marshal(env)
	return mb, eb
}

// execute runs one message and classifies the outcome; it does not touch
// snapshots. err is set only when ctx ended or the safety net fired.
func (p *process) execute(ctx context.Context, d delivery, lim Limits) (adapters.Result, bool, error) {
	p.now = d.msg.Timestamp
	p.memoryRefused = false
	p.stdio.Reset()
	msg, env := p.wire(d)
	cctx, cancel := context.WithTimeout(context.WithValue(ctx, procKey{}, p), lim.EvalTimeout)
	defer cancel()
	p.nested = nil
	disarm := p.armInterrupt(cctx)
	out, err := p.call(cctx, msg, env, lim.MaxWork)
	disarm()
	p.lastWork = p.workUsed(lim.MaxWork)
	p.setBudget(0)
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return adapters.Result{}, false, ctx.Err()
		case errors.Is(cctx.Err(), context.DeadlineExceeded):
			return adapters.Result{}, false, fmt.Errorf("%w: one evaluation ran for %s of wall-clock time (EvalTimeout)", adapters.ErrTooSlow, lim.EvalTimeout)
		case errors.Is(err, errWorkLimit):
			return adapters.Result{ErrorKind: adapters.ErrorComputeLimit,
				Error: fmt.Sprintf("evaluation ran past its work budget of %d units (MaxWork): a loop that does not end?", lim.MaxWork)}, false, nil
		case p.memoryRefused || errors.Is(err, errNoMemory):
			return p.memoryResult(), false, nil
		case errors.Is(err, errAbort):
			return adapters.Result{ErrorKind: adapters.ErrorCrash, Error: "runtime crash: the module aborted"}, false, nil
		}
		return adapters.Result{ErrorKind: adapters.ErrorCrash, Error: "runtime crash: the module trapped: " + firstLine(err.Error())}, false, nil
	}
	if p.memoryRefused {
		// Lua raised "not enough memory", which a handler's pcall may have
		// caught: the verdict is the limit whatever the module made of it.
		return p.memoryResult(), false, nil
	}
	e, err := parseEnvelope(out)
	if err != nil || e.OK == nil || e.Response == nil {
		reason := "missing ok or response"
		if err != nil {
			reason = err.Error()
		}
		return adapters.Result{ErrorKind: adapters.ErrorCrash, Error: "runtime crash: malformed envelope from handle: " + reason + ": " + clip(out, 200)}, false, nil
	}
	r := e.Response
	if !*e.OK {
		text := "runtime crash: the module returned ok = false"
		if r.Error != nil {
			text = *r.Error
		}
		return adapters.Result{ErrorKind: adapters.ErrorCrash, Error: clip(text, lim.MaxOutputBytes)}, false, nil
	}
	if r.Error != nil {
		return adapters.Result{ErrorKind: adapters.ErrorHandler, Error: clip(*r.Error, lim.MaxOutputBytes)}, false, nil
	}
	res := adapters.Result{Output: clip(r.Output, lim.MaxOutputBytes), Messages: outgoing(r.Messages), Spawns: outgoing(r.Spawns)}
	p.assignments = nil
	for _, a := range r.Assignments {
		p.assignments = append(p.assignments, aonet.Assignment{Message: a.Message, Processes: a.Processes})
	}
	return res, r.Untrusted, nil
}

func (p *process) memoryResult() adapters.Result {
	return adapters.Result{ErrorKind: adapters.ErrorMemoryLimit,
		Error: fmt.Sprintf("the process needed more than its %d bytes of memory (Memory-Limit)", p.memoryLimit)}
}

func outgoing(ws []wireOutgoing) []adapters.Message {
	var out []adapters.Message
	for _, w := range ws {
		tags := w.Tags
		if tags == nil {
			tags = adapters.Tags{}
		}
		out = append(out, adapters.Message{Target: w.Target, Anchor: w.Anchor, Data: w.Data, Tags: tags})
	}
	return out
}

// eval evaluates one message under the state rules of the Lua engine
// (docs/engine.md): a dryrun always leaves the state as it was; a handler
// error keeps its changes only under PolicyModule; a crash or a limit
// never keeps them. The state before the message is a snapshot of linear
// memory, restored when the changes are not kept.
func (p *process) eval(ctx context.Context, d delivery, lim Limits) (adapters.Result, bool, error) {
	if p.broken != "" {
		return adapters.Result{Error: p.broken, ErrorKind: p.brokenKind}, false, nil
	}
	if d.readOnly && p.evaluated == 0 {
		return adapters.Result{Error: "process " + p.id + " has not evaluated its spawn message yet", ErrorKind: adapters.ErrorCrash}, false, nil
	}
	first := p.evaluated == 0
	if p.spare == nil {
		p.spare = spareSnapshot()
	}
	before := p.takeInto(ctx, p.spare)
	res, untrusted, err := p.execute(ctx, d, lim)
	if p.work != nil {
		*p.work += p.lastWork
	}
	if err != nil || d.readOnly {
		if rerr := p.restore(ctx, before); rerr != nil {
			return adapters.Result{}, false, rerr
		}
		return res, !untrusted && err == nil, err
	}
	keep := res.ErrorKind == "" || (res.ErrorKind == adapters.ErrorHandler && p.mod.Policy == PolicyModule)
	if aonet.BoundOutbox(&res, lim.MaxMessagesPerEval) {
		keep = false
	}
	if !keep {
		if rerr := p.restore(ctx, before); rerr != nil {
			return adapters.Result{}, false, rerr
		}
		if first {
			p.broken = aonet.SpawnFailedForGood(p.id, res.Error)
			p.brokenKind = res.ErrorKind
		}
		return res, true, nil
	}
	p.evaluated++
	return res, !untrusted, nil
}

// clip keeps the first max bytes of s and says how long it was.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	return s[:max] + fmt.Sprintf("\n[clipped by the engine: %d bytes in all, %d kept]", len(s), max)
}

func firstLine(s string) string {
	if i := bytes.IndexByte([]byte(s), '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
