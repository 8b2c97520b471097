package wasm

import (
	"errors"
	"fmt"
)

// lower64 rewrites a memory64 module into one with a 32-bit memory that
// wazero (no memory64, tetratelabs/wazero#2452) can load, and that computes
// the same results:
//
//   - the memory's limits become 32-bit ones; a module that needs more than
//     4 GiB (65,536 pages) at its start is refused, and a maximum past it is
//     cut to it (a memory.grow past 4 GiB then fails, as when a host
//     refuses to grow);
//   - every address operand (loads, stores, the SIMD loads and stores,
//     memory.copy, memory.fill, memory.init) is an i64 that the lowered code
//     checks and wraps: an address of 4 GiB or more traps (`unreachable`),
//     where the original would have trapped too, since the memory is
//     smaller than 4 GiB; it never wraps silently;
//   - memory.size and memory.grow give i64 again (memory.grow's -1 too); a
//     grow by 2^32 pages or more fails as it would have;
//   - memarg offsets must be below 4 GiB (a larger one could only trap) and
//     active data segments' offsets become i32.const;
//   - function signatures are left alone: imports and exports keep their i64
//     pointers, and the host functions read them as such (host.go).
//
// Atomics (threads), multi-memory and 64-bit tables (table64) are refused
// with an error: the AO modules seen use none of them.
func lower64(secs []section, m *moduleInfo) ([]byte, error) {
	if m.tables64 > 0 {
		return nil, errors.New("the module has a table with 64-bit indices (table64), which the engine does not lower")
	}
	out := make([]section, 0, len(secs))
	for _, s := range secs {
		var body []byte
		var err error
		switch s.id {
		case secImport:
			body, err = lowerImports(s.body, m)
		case secMemory:
			body, err = lowerMemories(m.memories)
		case secCode:
			body, err = lowerCode(s.body, m)
		case secData:
			body, err = lowerData(s.body)
		default:
			body = s.body
		}
		if err != nil {
			return nil, err
		}
		out = append(out, section{id: s.id, body: body})
	}
	return assemble(out), nil
}

// maxPages32 is 4 GiB of 64 KiB pages: a 32-bit memory's largest size.
const maxPages32 = 1 << 16

func lowerLimits(l limits) (limits, error) {
	if !l.memory64() {
		return l, nil
	}
	if l.min > maxPages32 {
		return l, fmt.Errorf("the memory starts at %d pages (%d bytes), more than the 4 GiB a 32-bit memory can address", l.min, l.min*65536)
	}
	l.flags &^= 4
	if l.flags&1 != 0 && l.max > maxPages32 {
		l.max = maxPages32
	}
	return l, nil
}

func lowerImports(body []byte, m *moduleInfo) ([]byte, error) {
	out := appendU64(nil, uint64(len(m.imports)))
	for _, im := range m.imports {
		if im.kind != 2 {
			out = append(out, body[im.start:im.end]...)
			continue
		}
		l, err := lowerLimits(im.mem)
		if err != nil {
			return nil, err
		}
		out = appendU64(out, uint64(len(im.module)))
		out = append(out, im.module...)
		out = appendU64(out, uint64(len(im.name)))
		out = append(out, im.name...)
		out = appendLimits(append(out, 2), l)
	}
	return out, nil
}

func lowerMemories(mems []limits) ([]byte, error) {
	out := appendU64(nil, uint64(len(mems)))
	for _, l := range mems {
		l, err := lowerLimits(l)
		if err != nil {
			return nil, err
		}
		out = appendLimits(out, l)
	}
	return out, nil
}

// lowerData turns active segments' i64.const offsets into i32.const ones.
func lowerData(body []byte) ([]byte, error) {
	r := &reader{b: body}
	out := []byte{}
	n, err := r.u32()
	if err != nil {
		return nil, err
	}
	out = appendU64(out, uint64(n))
	for i := uint32(0); i < n; i++ {
		mode, err := r.u32()
		if err != nil {
			return nil, err
		}
		out = appendU64(out, uint64(mode))
		if mode == 2 {
			mem, err := r.u32()
			if err != nil {
				return nil, err
			}
			out = appendU64(out, uint64(mem))
		}
		var offset uint64
		if mode != 1 {
			op, err := r.byte()
			if err != nil {
				return nil, err
			}
			if op != 0x42 {
				return nil, fmt.Errorf("data segment %d: its offset is not an i64.const (opcode %#x)", i, op)
			}
			v, err := r.s64()
			if err != nil {
				return nil, err
			}
			if end, err := r.byte(); err != nil || end != 0x0B {
				return nil, fmt.Errorf("data segment %d: its offset is not a single i64.const", i)
			}
			offset = uint64(v)
			if offset > 0xFFFFFFFF {
				return nil, fmt.Errorf("data segment %d starts at %d, past the 4 GiB a 32-bit memory can address", i, offset)
			}
			out = appendS64(append(out, 0x41), int64(int32(uint32(offset))))
			out = append(out, 0x0B)
		}
		data, err := r.sized()
		if err != nil {
			return nil, err
		}
		if end := offset + uint64(len(data)); end > 1<<32 {
			return nil, fmt.Errorf("data segment %d ends at %d, past the 4 GiB a 32-bit memory can address", i, end)
		}
		out = appendU64(out, uint64(len(data)))
		out = append(out, data...)
	}
	return out, nil
}

func lowerCode(body []byte, m *moduleInfo) ([]byte, error) {
	if n, err := (&reader{b: body}).u32(); err != nil || int(n) != len(m.funcTypes) {
		return nil, fmt.Errorf("the code section has %d bodies for %d functions", n, len(m.funcTypes))
	}
	return rewriteCode(body, func(i uint32, fn []byte) ([]byte, error) {
		ti := m.funcTypes[i]
		if int(ti) >= len(m.types) {
			return nil, fmt.Errorf("function %d has type %d, which does not exist", i, ti)
		}
		low, err := lowerFunc(fn, len(m.types[ti].params))
		if err != nil {
			return nil, fmt.Errorf("function %d: %w", int(i)+m.importedFuncs(), err)
		}
		return low, nil
	})
}

// The scratch locals a lowered function gets, after its own: the address
// being checked, two i64 operands, two i32 operands, and one of each other
// type for a stored value.
const (
	scrAddr = iota
	scrI64a
	scrI64b
	scrI32a
	scrI32b
	scrF32
	scrF64
	scrV128
	scratchCount
)

var scratchDecl = []struct {
	n  uint64
	ty byte
}{{3, typeI64}, {2, typeI32}, {1, typeF32}, {1, typeF64}, {1, typeV128}}

// funcLowerer rewrites one function body.
type funcLowerer struct {
	out  []byte
	base uint32 // index of the first scratch local
	used bool   // a memory instruction was rewritten
}

func (f *funcLowerer) local(op byte, which int) {
	f.out = appendU64(append(f.out, op), uint64(f.base)+uint64(which))
}

// wrap turns the i64 address on top of the stack into an i32 one, trapping
// when it is 4 GiB or more.
func (f *funcLowerer) wrap() {
	f.used = true
	f.local(0x22, scrAddr)                  // local.tee
	f.out = append(f.out, 0x42, 0x20, 0x88) // i64.const 32; i64.shr_u
	f.out = append(f.out, 0xA7)             // i32.wrap_i64
	f.out = append(f.out, 0x04, 0x40, 0x00, 0x0B)
	f.local(0x20, scrAddr)      // local.get
	f.out = append(f.out, 0xA7) // i32.wrap_i64
}

// operand is an operand above an instruction's address: the scratch
// local that holds it while the address below is wrapped, and whether it
// is an address itself.
type operand struct {
	scr  int
	addr bool
}

// wrapOperands wraps the address under the given operands (listed bottom
// to top): they are set aside in their scratch locals, the address is
// wrapped, and each is put back, wrapped too when it is an address.
func (f *funcLowerer) wrapOperands(above ...operand) {
	for i := len(above) - 1; i >= 0; i-- {
		f.local(0x21, above[i].scr) // local.set
	}
	f.wrap()
	for _, o := range above {
		f.local(0x20, o.scr) // local.get
		if o.addr {
			f.wrap()
		}
	}
}

// storeValue is the type of the value each scalar store takes.
var storeValue = map[byte]int{
	0x36: scrI32a, 0x37: scrI64a, 0x38: scrF32, 0x39: scrF64,
	0x3A: scrI32a, 0x3B: scrI32a, 0x3C: scrI64a, 0x3D: scrI64a, 0x3E: scrI64a,
}

func lowerFunc(fn []byte, params int) ([]byte, error) {
	b, err := readFuncBody(fn)
	if err != nil {
		return nil, err
	}
	locals := uint64(params) + b.locals
	if locals+scratchCount > 50000 {
		return nil, fmt.Errorf("%d locals: too many to add scratch locals", locals)
	}
	f := &funcLowerer{base: uint32(locals), out: make([]byte, 0, len(b.code)+len(b.code)/4)}
	if err := f.body(b.code); err != nil {
		return nil, err
	}
	if !f.used {
		return fn, nil
	}
	out := appendU64(nil, uint64(b.groups)+uint64(len(scratchDecl)))
	out = append(out, b.decls...)
	for _, d := range scratchDecl {
		out = append(appendU64(out, d.n), d.ty)
	}
	return append(out, f.out...), nil
}

// body copies the instructions, rewriting the memory ones: code that
// checks and wraps their addresses goes before them, and memory.size and
// memory.grow get their results widened after them.
func (f *funcLowerer) body(code []byte) error {
	r := &reader{b: code}
	for !r.done() {
		in, err := nextInstr(r)
		if err != nil {
			return err
		}
		if in.multiMemory {
			return errors.New("a memory instruction names a memory index other than 0 (multi-memory), which is not supported")
		}
		if in.memarg && in.offset > 0xFFFFFFFF {
			return fmt.Errorf("a memory access has offset %d, past the 4 GiB a 32-bit memory can address", in.offset)
		}
		switch op, sub := in.op, in.sub; {
		case op >= 0x28 && op <= 0x35: // loads
			f.wrap()
		case op >= 0x36 && op <= 0x3E: // stores
			f.wrapOperands(operand{scr: storeValue[op]})
		case op == 0x3F: // memory.size
			f.used = true
		case op == 0x40: // memory.grow: a delta of 2^32 pages or more fails
			f.used = true
			f.local(0x21, scrAddr)
			f.out = appendS64(append(f.out, 0x42), 0xFFFFFFFF)
			f.local(0x20, scrAddr)
			f.local(0x20, scrAddr)
			f.out = appendS64(append(f.out, 0x42), 0xFFFFFFFF)
			f.out = append(f.out, 0x56, 0x1B, 0xA7) // i64.gt_u; select; i32.wrap_i64
		case op == 0xFC && sub == 8: // memory.init d:i64 s:i32 n:i32
			f.wrapOperands(operand{scr: scrI32b}, operand{scr: scrI32a})
		case op == 0xFC && sub == 10: // memory.copy d:i64 s:i64 n:i64 (n is checked as an address is: past 4 GiB it could only trap)
			f.wrapOperands(operand{scr: scrI64b, addr: true}, operand{scr: scrI64a, addr: true})
		case op == 0xFC && sub == 11: // memory.fill d:i64 v:i32 n:i64
			f.wrapOperands(operand{scr: scrI32a}, operand{scr: scrI64a, addr: true})
		case op == 0xFD && (sub <= 10 || sub == 92 || sub == 93): // v128 loads
			f.wrap()
		case op == 0xFD && (sub == 11 || (sub >= 84 && sub <= 91)): // v128.store, lane loads and stores
			f.wrapOperands(operand{scr: scrV128})
		case op == 0xFE:
			return errors.New("atomic memory instructions (threads) are not supported")
		}
		f.out = append(f.out, code[in.start:in.end]...)
		switch in.op {
		case 0x3F:
			f.out = append(f.out, 0xAD) // i64.extend_i32_u
		case 0x40:
			f.out = append(f.out, 0xAC) // i64.extend_i32_s: -1 stays -1
		}
	}
	return nil
}
