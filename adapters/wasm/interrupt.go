package wasm

import (
	"context"
	"errors"

	"github.com/tetratelabs/wazero/api"
)

// Counting work and stopping a module that runs too long.
//
// wazero has no fuel, and it stops a running call when its context ends
// only if the runtime is made WithCloseOnContextDone, which makes every
// loop iteration of the compiled code leave for Go and back to look: for
// Lua, whose VM dispatches each instruction through one loop, that made a
// message four times slower. Instead, the engine rewrites the module before
// it is compiled (withLoopChecks): every loop head of every function counts
// one unit of work. A unit is one loop iteration, whatever code the loop is
// in: the Lua VM's dispatch loop (about one iteration per Lua instruction),
// and as much the loops of the C library (a pattern match that
// backtracks, string.rep, table.sort, malloc, the collector), which a Lua
// count hook cannot see. It needs nothing of the module, so an aos module
// is counted as the bundled one is.
//
// The count is a countdown in two added globals: workTick, the units left
// before the next look, decremented at each loop head, and workLeft, the
// rest of the budget. When workTick is 0 the loop calls an added function,
// refill, which leaves for Go once (a memory.grow of 0 pages, which wazero
// runs in Go: native code cannot be preempted, and without such exits a
// loop that never calls the host would keep Go's garbage collector, and
// with it every goroutine, waiting), traps when the exported global
// interruptGlobal is set, and moves up to loopTicks units from workLeft to
// workTick, trapping when there are none: the budget is spent. The work an
// evaluation did is therefore exact, the same on any machine: the budget
// given less workLeft and workTick (workUsed). A call's context, when it
// ends, sets interruptGlobal (context.AfterFunc), and the call traps within
// loopTicks iterations. A module whose code the rewriter cannot read is
// compiled as it is, in a runtime that closes instances on the context
// instead, and its work is not counted.

// loopTicks is how many loop iterations run between two looks; a Lua VM
// instruction is one iteration, a few nanoseconds.
const loopTicks = 4096

// Names the added globals are exported under.
const (
	interruptGlobal = "mostao_interrupt"
	workTickGlobal  = "mostao_work_tick"
	workLeftGlobal  = "mostao_work_left"
)

// unlimitedWork is workLeft's value outside an evaluation (boot, setup's
// allocations, the engine's own calls): far more than any call does.
const unlimitedWork = 1 << 62

// errUnknownCode: the rewriter met something it cannot walk.
var errUnknownCode = errors.New("unknown code")

// withLoopChecks returns binary with the work count and interrupt check
// added at every loop head, or an error when it cannot rewrite it.
func withLoopChecks(bin []byte) ([]byte, error) {
	secs, err := sections(bin)
	if err != nil {
		return nil, err
	}
	m, err := readModuleInfo(secs)
	if err != nil {
		return nil, err
	}
	found := map[byte]bool{}
	var globals uint32
	for _, s := range secs {
		found[s.id] = true
		if s.id == secGlobal {
			if globals, err = (&reader{b: s.body}).u32(); err != nil {
				return nil, err
			}
		}
	}
	memories := len(m.memories)
	var importedGlobals uint32
	for _, im := range m.imports {
		switch im.kind {
		case 2:
			memories++
		case 3:
			importedGlobals++
		}
	}
	if !found[secType] || !found[secFunction] || !found[secGlobal] || !found[secExport] || !found[secCode] || memories == 0 {
		return nil, errors.New("no type, function, global, export or code section, or no memory")
	}
	tick, left, stop := importedGlobals+globals, importedGlobals+globals+1, importedGlobals+globals+2
	refillType := uint32(len(m.types)) // and the charge functions' type after it
	refill := uint32(m.importedFuncs() + len(m.funcTypes))
	check := loopCheck(tick, refill)
	charges := bulkCharges{
		bytes:   appendU64([]byte{0x10}, uint64(refill+1)),
		entries: appendU64([]byte{0x10}, uint64(refill+2)),
	}
	out := make([]section, 0, len(secs))
	for _, s := range secs {
		body := s.body
		switch s.id {
		case secType: // () -> (), refill's; (i32) -> (i32), the charge functions'
			body = recount(s.body, 2, []byte{0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7f})
		case secFunction:
			f := appendU64(nil, uint64(refillType))
			f = appendU64(appendU64(f, uint64(refillType+1)), uint64(refillType+1))
			body = recount(s.body, 3, f)
		case secGlobal: // mut i32 tick = 0, mut i64 left = unlimitedWork, mut i32 stop = 0
			g := []byte{0x7f, 0x01, 0x41, 0x00, 0x0b, 0x7e, 0x01, 0x42}
			g = append(appendS64(g, unlimitedWork), 0x0b, 0x7f, 0x01, 0x41, 0x00, 0x0b)
			body = recount(s.body, 3, g)
		case secExport:
			var e []byte
			for i, name := range []string{workTickGlobal, workLeftGlobal, interruptGlobal} {
				e = appendU64(e, uint64(len(name)))
				e = appendU64(append(append(e, name...), 0x03), uint64(tick)+uint64(i))
			}
			body = recount(s.body, 3, e)
		case secCode:
			body, err = rewriteCode(s.body, func(_ uint32, fn []byte) ([]byte, error) { return checkLoops(fn, check, charges) })
			if err != nil {
				return nil, err
			}
			var added []byte
			for _, fn := range [][]byte{refillBody(tick, left, stop), chargeBody(tick, left, copyShift), chargeBody(tick, left, tableShift)} {
				added = append(appendU64(added, uint64(len(fn))), fn...)
			}
			body = recount(body, 3, added)
		}
		out = append(out, section{id: s.id, body: body})
	}
	return assemble(out), nil
}

// recount adds n entries (extra) to a section that is a vector.
func recount(body []byte, n uint32, extra []byte) []byte {
	r := &reader{b: body}
	count, _ := r.u32()
	out := appendU64(nil, uint64(count+n))
	out = append(out, body[r.pos:]...)
	return append(out, extra...)
}

// loopCheck is the code put at every loop head:
//
//	global.get tick; i32.eqz; if; call refill; end
//	global.get tick; i32.const 1; i32.sub; global.set tick
func loopCheck(tick, refill uint32) []byte {
	c := appendU64([]byte{0x23}, uint64(tick))
	c = appendU64(append(c, 0x45, 0x04, 0x40, 0x10), uint64(refill))
	c = appendU64(append(c, 0x0b, 0x23), uint64(tick))
	c = appendU64(append(c, 0x41, 0x01, 0x6b, 0x24), uint64(tick))
	return c
}

// refillBody is the added function refill (no locals):
//
//	i32.const 0; memory.grow; drop                    ;; a look from Go
//	global.get stop; if; unreachable; end             ;; the call's context ended
//	global.get left; i64.const loopTicks; i64.lt_u
//	if (result i64); global.get left; else; i64.const loopTicks; end
//	i32.wrap_i64; global.set tick                     ;; tick = min(left, loopTicks)
//	global.get left; global.get tick; i64.extend_i32_u; i64.sub; global.set left
//	global.get tick; i32.eqz; if; unreachable; end    ;; the budget is spent
func refillBody(tick, left, stop uint32) []byte {
	t, l, s := appendU64(nil, uint64(tick)), appendU64(nil, uint64(left)), appendU64(nil, uint64(stop))
	ticks := appendS64(nil, loopTicks)
	c := []byte{0x00, 0x41, 0x00, 0x40, 0x00, 0x1a, 0x23}
	c = append(append(c, s...), 0x04, 0x40, 0x00, 0x0b)
	c = append(append(append(append(c, 0x23), l...), 0x42), ticks...)
	c = append(append(append(c, 0x54, 0x04, 0x7e, 0x23), l...), 0x05, 0x42)
	c = append(append(c, ticks...), 0x0b, 0xa7, 0x24)
	c = append(append(append(c, t...), 0x23), l...)
	c = append(append(append(c, 0x23), t...), 0xad, 0x7d, 0x24)
	c = append(append(append(c, l...), 0x23), t...)
	return append(c, 0x45, 0x04, 0x40, 0x00, 0x0b, 0x0b)
}

// chargeBody is an added charge function, called with the length of a
// bulk instruction, which it returns: one unit per 1<<shift of the length,
// since each of these instructions is one, whatever its length. The
// rewrite adds two: chargeBytes (copyShift) before every memory.copy,
// memory.fill and memory.init, charged as the host charges the copies it
// makes for the module (charge), and chargeEntries (tableShift) before
// every table.init, table.copy, table.fill and table.grow. Each takes its
// length last, on top of the stack. Past the budget it spends it all and
// traps.
//
//	global.get left; local.get 0; i32.const shift; i32.shr_u; i64.extend_i32_u; i64.lt_u
//	if; i64.const 0; global.set left; i32.const 0; global.set tick; unreachable; end
//	global.get left; local.get 0; i32.const shift; i32.shr_u; i64.extend_i32_u; i64.sub; global.set left
//	local.get 0
func chargeBody(tick, left uint32, shift byte) []byte {
	t, l := appendU64(nil, uint64(tick)), appendU64(nil, uint64(left))
	units := []byte{0x20, 0x00, 0x41, shift, 0x76, 0xad}
	c := append(append(append([]byte{0x00, 0x23}, l...), units...), 0x54, 0x04, 0x40, 0x42, 0x00, 0x24)
	c = append(append(append(c, l...), 0x41, 0x00, 0x24), t...)
	c = append(append(append(c, 0x00, 0x0b, 0x23), l...), units...)
	c = append(append(append(c, 0x7d, 0x24), l...), 0x20, 0x00, 0x0b)
	return c
}

// bulkCharges are the calls of the charge functions (chargeBody).
type bulkCharges struct{ bytes, entries []byte }

// of is the charge call put before in, or nil for an instruction of no
// length: memory.init (0xFC 8), memory.copy (10) and memory.fill (11) are
// charged by bytes; table.init (12), table.copy (14), table.grow (15) and
// table.fill (17) by entries.
func (c bulkCharges) of(in instr) []byte {
	if in.op != 0xFC {
		return nil
	}
	switch in.sub {
	case 8, 10, 11:
		return c.bytes
	case 12, 14, 15, 17:
		return c.entries
	}
	return nil
}

// checkLoops rewrites one function body: check after each loop's block
// type, and a charge call before each bulk instruction with a length.
func checkLoops(fn []byte, check []byte, charges bulkCharges) ([]byte, error) {
	b, err := readFuncBody(fn)
	if err != nil {
		return nil, err
	}
	head := len(fn) - len(b.code)
	out := append(make([]byte, 0, len(fn)+len(fn)/8), fn[:head]...)
	r := &reader{b: b.code}
	last := 0
	for !r.done() {
		in, err := nextInstr(r)
		if err != nil {
			return nil, err
		}
		if in.op == 0x03 {
			out = append(append(out, b.code[last:in.end]...), check...)
			last = in.end
		} else if call := charges.of(in); call != nil {
			out = append(append(out, b.code[last:in.start]...), call...)
			last = in.start
		}
	}
	return append(out, b.code[last:]...), nil
}

// armInterrupt clears the process's interrupt global and sets it when ctx
// ends; the returned function disarms it. Without the global (a module
// the rewriter could not read) the runtime closes the instance instead.
// The context's function runs on its own goroutine, and can run late,
// after the call has returned: the lock orders its write with the next
// arm's, and the generation keeps a late one from stopping the next call.
func (p *process) armInterrupt(ctx context.Context) func() bool {
	g, ok := p.inst.ExportedGlobal(interruptGlobal).(api.MutableGlobal)
	if !ok {
		return func() bool { return true }
	}
	p.interrupt.Lock()
	p.interrupt.gen++
	gen := p.interrupt.gen
	g.Set(0)
	p.interrupt.Unlock()
	return context.AfterFunc(ctx, func() {
		p.interrupt.Lock()
		defer p.interrupt.Unlock()
		if p.interrupt.gen == gen {
			g.Set(1)
		}
	})
}

// nestedContext is the context for the calls invoke_* makes inside a call
// with ctx: without ctx's cancellation (in a runtime that closes instances
// on it, wazero would watch each nested call with a goroutine; the outer
// call is watched, and its end stops the nested ones), and with the
// process as its first value. It is made once per message: making one per
// nested call (a Lua pcall) cost allocations, and each call's lookup of
// the process walked the whole chain of them.
func (p *process) nestedContext(ctx context.Context) context.Context {
	if p.nested == nil {
		p.nested = context.WithValue(context.WithoutCancel(ctx), procKey{}, p)
	}
	return p.nested
}

// errWorkLimit marks a call stopped because its work budget was spent.
var errWorkLimit = errors.New("work limit")

// setBudget gives the next call units of work (unlimitedWork when units
// is not positive, as between evaluations).
func (p *process) setBudget(units int64) {
	if p.workLeft == nil || p.inst.IsClosed() {
		return
	}
	if units <= 0 {
		units = unlimitedWork
	}
	p.workTick.Set(0)
	p.workLeft.Set(uint64(units))
}

// remaining is what is left of the budget setBudget gave.
func (p *process) remaining() uint64 {
	return p.workLeft.Get() + uint64(uint32(p.workTick.Get()))
}

// workUsed is the work done since setBudget(budget), in loop iterations.
func (p *process) workUsed(budget int64) int64 {
	if p.workLeft == nil || p.inst.IsClosed() {
		return 0
	}
	return budget - int64(p.remaining())
}

// budgetSpent reports whether the call ran out of its budget: both
// globals are 0 only when refill found nothing left, or charge took it all.
func (p *process) budgetSpent() bool {
	return p.workLeft != nil && !p.inst.IsClosed() && p.remaining() == 0
}

// copyBytesPerUnit is what a copy the module leaves to the host
// (emscripten_memcpy_big), or to one memory.copy, memory.fill or
// memory.init instruction, costs: a unit per 16 bytes, as the Lua engine charges the
// bytes its library functions copy. Without a charge a copy of megabytes
// would cost one unit, and a loop of such copies would run for minutes
// within its budget.
const (
	copyShift        = 4
	copyBytesPerUnit = 1 << copyShift
)

// tableEntriesPerUnit is what table.init, table.copy, table.fill and
// table.grow cost: an entry is a reference, 8 bytes in wazero, so two
// entries are the bytes of a unit of copyBytesPerUnit.
const (
	tableShift          = 1
	tableEntriesPerUnit = 1 << tableShift
)

// charge counts units of work done by the host for the module, trapping
// when they are more than what is left.
func (p *process) charge(units uint64) {
	if p == nil || p.workLeft == nil || units == 0 {
		return
	}
	left, tick := p.workLeft.Get(), uint64(uint32(p.workTick.Get()))
	switch {
	case units <= left:
		p.workLeft.Set(left - units)
	case units <= left+tick:
		p.workLeft.Set(0)
		p.workTick.Set(left + tick - units)
	default:
		p.workLeft.Set(0)
		p.workTick.Set(0)
		panic(errWorkLimit)
	}
}
