package wasm

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero/api"
)

// Stopping a module that runs too long.
//
// wazero stops a running call when its context ends only if the runtime is
// made WithCloseOnContextDone, and it does so by making every loop
// iteration of the compiled code leave for Go and back to look: for Lua,
// whose VM dispatches each instruction through one loop, that made a
// message four times slower. Instead, the engine gives the module a check
// of its own before it is compiled. Every loop head counts down a global;
// every loopTicks iterations it leaves for Go once (a memory.grow of 0
// pages, which wazero runs in Go: native code cannot be preempted, and
// without such exits a loop that never calls the host would keep Go's
// garbage collector, and with it every goroutine, waiting) and then reads
// a second, exported global, interruptGlobal, trapping when it is not 0.
// A call's context, when it ends, sets that global (context.AfterFunc), and
// the call traps within loopTicks iterations; the engine then reads the
// context's error as before. A module whose code the rewriter cannot read
// (an instruction it does not know) is compiled as it is, in a runtime that
// closes instances on the context instead.

// loopTicks is how many loop iterations run between two looks; a Lua VM
// instruction is one iteration, a few nanoseconds.
const loopTicks = 4096

// interruptGlobal is the name the added global is exported under.
const interruptGlobal = "mostao_interrupt"

// errUnknownCode: the rewriter met something it cannot walk.
var errUnknownCode = errors.New("unknown code")

// withInterruptChecks returns binary with interruptGlobal added and read at
// every loop head, or an error when it cannot rewrite it.
func withInterruptChecks(bin []byte) ([]byte, error) {
	if len(bin) < 8 || !bytes.Equal(bin[:4], []byte("\x00asm")) {
		return nil, errors.New("not a wasm binary")
	}
	type section struct {
		id   byte
		body []byte
	}
	var sections []section
	r := &stickyReader{b: bin, i: 8}
	for r.i < len(bin) {
		id := r.byte()
		n := r.u32()
		sections = append(sections, section{id, r.take(int(n))})
		if r.err != nil {
			return nil, r.err
		}
	}
	importedGlobals, globals, memories := uint32(0), uint32(0), 0
	found := map[byte]bool{}
	for _, s := range sections {
		found[s.id] = true
		switch s.id {
		case 2:
			importedGlobals, memories = countImports(s.body)
		case 6:
			globals = (&stickyReader{b: s.body}).u32()
		}
	}
	if found[5] {
		memories++
	}
	if !found[6] || !found[7] || !found[10] || memories == 0 {
		return nil, errors.New("no global, export or code section, or no memory")
	}
	tick, stop := importedGlobals+globals, importedGlobals+globals+1
	out := append([]byte(nil), bin[:8]...)
	for _, s := range sections {
		body := s.body
		var err error
		switch s.id {
		case 6: // two more mutable i32 globals: the countdown and the stop flag
			body = recount(s.body, 2, append(append([]byte{0x7f, 0x01, 0x41}, sleb(loopTicks)...), 0x0b, 0x7f, 0x01, 0x41, 0x00, 0x0b))
		case 7:
			name := append(leb(uint64(len(interruptGlobal))), interruptGlobal...)
			body = recount(s.body, 1, append(append(name, 0x03), leb(uint64(stop))...))
		case 10:
			body, err = checkLoops(s.body, loopCheck(tick, stop))
		}
		if err != nil {
			return nil, err
		}
		out = append(out, s.id)
		out = append(out, leb(uint64(len(body)))...)
		out = append(out, body...)
	}
	return out, nil
}

// recount adds n entries (extra) to a section that is a vector.
func recount(body []byte, n uint32, extra []byte) []byte {
	r := &stickyReader{b: body}
	count := r.u32()
	out := leb(uint64(count + n))
	out = append(out, body[r.i:]...)
	return append(out, extra...)
}

// countImports counts the globals and memories body imports.
func countImports(body []byte) (globals uint32, memories int) {
	r := &stickyReader{b: body}
	n := r.u32()
	for i := uint32(0); i < n && r.err == nil; i++ {
		r.take(int(r.u32())) // module
		r.take(int(r.u32())) // name
		switch r.byte() {
		case 0: // function
			r.u32()
		case 1: // table
			r.byte()
			r.limits()
		case 2: // memory
			r.limits()
			memories++
		case 3: // global
			r.byte()
			r.byte()
			globals++
		case 4: // tag
			r.byte()
			r.u32()
		}
	}
	return globals, memories
}

// loopCheck is the code put at every loop head:
//
//	global.get tick; i32.const 1; i32.sub; global.set tick
//	global.get tick; i32.eqz
//	if
//	  i32.const loopTicks; global.set tick
//	  i32.const 0; memory.grow; drop
//	  global.get stop; if; unreachable; end
//	end
func loopCheck(tick, stop uint32) []byte {
	t, s := leb(uint64(tick)), leb(uint64(stop))
	var c []byte
	c = append(append(append(c, 0x23), t...), 0x41, 0x01, 0x6b, 0x24)
	c = append(append(append(c, t...), 0x23), t...)
	c = append(append(append(c, 0x45, 0x04, 0x40, 0x41), sleb(loopTicks)...), 0x24)
	c = append(append(append(c, t...), 0x41, 0x00, 0x40, 0x00, 0x1a, 0x23), s...)
	return append(c, 0x04, 0x40, 0x00, 0x0b, 0x0b)
}

// checkLoops rewrites the code section: check after each loop's block type.
func checkLoops(body []byte, check []byte) ([]byte, error) {
	r := &stickyReader{b: body}
	n := r.u32()
	out := leb(uint64(n))
	for f := uint32(0); f < n; f++ {
		size := r.u32()
		fn := r.take(int(size))
		if r.err != nil {
			return nil, r.err
		}
		code, err := checkFunction(fn, check)
		if err != nil {
			return nil, fmt.Errorf("function %d: %w", f, err)
		}
		out = append(out, leb(uint64(len(code)))...)
		out = append(out, code...)
	}
	return out, nil
}

func checkFunction(fn []byte, check []byte) ([]byte, error) {
	r := &stickyReader{b: fn}
	for groups := r.u32(); groups > 0; groups-- {
		r.u32()
		r.byte()
	}
	out := append(make([]byte, 0, len(fn)+len(fn)/8), fn[:r.i]...)
	for r.i < len(fn) && r.err == nil {
		start := r.i
		op := r.byte()
		switch {
		case op == 0x02 || op == 0x04:
			r.blockType()
		case op == 0x03:
			r.blockType()
			out = append(out, fn[start:r.i]...)
			out = append(out, check...)
			continue
		case op == 0x0c || op == 0x0d || op == 0x10 || (op >= 0x20 && op <= 0x26) || op == 0xd2:
			r.u32()
		case op == 0x0e:
			for k := r.u32() + 1; k > 0; k-- {
				r.u32()
			}
		case op == 0x11:
			r.u32()
			r.u32()
		case op == 0x1c:
			for k := r.u32(); k > 0; k-- {
				r.byte()
			}
		case op >= 0x28 && op <= 0x3e:
			r.u32()
			r.u64()
		case op == 0x3f || op == 0x40 || op == 0xd0:
			r.byte()
		case op == 0x41 || op == 0x42:
			r.u64()
		case op == 0x43:
			r.take(4)
		case op == 0x44:
			r.take(8)
		case op == 0xfc:
			switch sub := r.u32(); {
			case sub <= 7:
			case sub == 8 || sub == 10 || sub == 12 || sub == 14:
				r.u32()
				r.u32()
			case sub == 9 || sub == 11 || sub == 13 || (sub >= 15 && sub <= 17):
				r.u32()
			default:
				return nil, fmt.Errorf("%w: 0xfc %d", errUnknownCode, sub)
			}
		case op <= 0x01 || op == 0x05 || op == 0x0b || op == 0x0f || op == 0x1a || op == 0x1b ||
			(op >= 0x45 && op <= 0xc4) || op == 0xd1:
		default:
			return nil, fmt.Errorf("%w: opcode 0x%02x", errUnknownCode, op)
		}
		out = append(out, fn[start:r.i]...)
	}
	if r.err != nil {
		return nil, r.err
	}
	return out, nil
}

// stickyReader reads a wasm binary; the first error sticks.
type stickyReader struct {
	b   []byte
	i   int
	err error
}

func (r *stickyReader) byte() byte {
	if r.i >= len(r.b) {
		r.err = errors.New("unexpected end of the binary")
		return 0
	}
	r.i++
	return r.b[r.i-1]
}

func (r *stickyReader) take(n int) []byte {
	if n < 0 || r.i+n > len(r.b) {
		r.err = errors.New("unexpected end of the binary")
		r.i = len(r.b)
		return nil
	}
	r.i += n
	return r.b[r.i-n : r.i]
}

// u64 reads a LEB128 number. Signed ones are read the same way: only
// their length matters to the walk.
func (r *stickyReader) u64() uint64 {
	var v uint64
	for shift := uint(0); shift < 70; shift += 7 {
		b := r.byte()
		if r.err != nil {
			return 0
		}
		if shift < 64 {
			v |= uint64(b&0x7f) << shift
		}
		if b&0x80 == 0 {
			return v
		}
	}
	r.err = errors.New("bad LEB128 number")
	return 0
}

func (r *stickyReader) u32() uint32 { return uint32(r.u64()) }

func (r *stickyReader) limits() {
	if r.byte()&1 != 0 {
		r.u64()
		r.u64()
		return
	}
	r.u64()
}

// blockType: empty, a value type, or a type index (a signed LEB128).
func (r *stickyReader) blockType() {
	switch b := r.b[min(r.i, len(r.b)-1)]; b {
	case 0x40, 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f:
		r.i++
	default:
		r.u64()
	}
}

func leb(v uint64) []byte { return binary.AppendUvarint(nil, v) }

// sleb encodes a small non-negative number as a signed LEB128.
func sleb(v uint32) []byte {
	var out []byte
	for {
		b := byte(v & 0x7f)
		v >>= 7
		if v == 0 && b&0x40 == 0 {
			return append(out, b)
		}
		out = append(out, b|0x80)
	}
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
