package wasm

import (
	"fmt"
)

// The one instruction walker of the engine's rewriters: the loop checks
// and work count (interrupt.go) and the memory64 lowering (lower64.go)
// both step through function bodies with nextInstr, which knows the
// immediates of every instruction of the binary format, SIMD, bulk memory,
// reference types, tail calls, exceptions and atomics included, from the
// tables below.

// immKind is the shape of an instruction's immediates.
type immKind byte

const (
	immNone       immKind = iota + 1
	immBlock              // a block type: empty, a value type or a type index (s33)
	immIdx                // one u32 (an index)
	immIdx2               // two u32s
	immBrTable            // a vector of labels and a default
	immSelectT            // a vector of value types
	immMemarg             // alignment (with a memory index when bit 6 is set) and offset
	immMemIdx             // one memory index (memory.size, memory.grow, memory.fill)
	immMemIdx2            // two memory indices (memory.copy)
	immIdxMemIdx          // a data index and a memory index (memory.init)
	immI32                // a signed LEB128
	immI64                // a signed LEB128
	immF32                // 4 bytes
	immF64                // 8 bytes
	immHeapType           // a heap type (s33)
	immMemargLane         // a memarg and a lane byte
	immLane               // a lane byte
	immBytes16            // 16 bytes (v128.const, i8x16.shuffle)
	immZeroByte           // one byte that must be 0 (atomic.fence)
)

// opcodes gives the immediates of each one-byte opcode; 0 is an opcode the
// walker does not know.
var opcodes = func() [256]immKind {
	var t [256]immKind
	set := func(k immKind, ops ...byte) {
		for _, op := range ops {
			t[op] = k
		}
	}
	set(immNone, 0x00, 0x01, 0x05, 0x0B, 0x0F, 0x19, 0x1A, 0x1B, 0xD1)
	set(immBlock, 0x02, 0x03, 0x04, 0x06)
	set(immIdx, 0x07, 0x08, 0x09, 0x0C, 0x0D, 0x10, 0x12, 0x14, 0x18, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0xD2)
	set(immIdx2, 0x11, 0x13)
	set(immBrTable, 0x0E)
	set(immSelectT, 0x1C)
	for op := 0x28; op <= 0x3E; op++ {
		t[op] = immMemarg
	}
	set(immMemIdx, 0x3F, 0x40)
	set(immI32, 0x41)
	set(immI64, 0x42)
	set(immF32, 0x43)
	set(immF64, 0x44)
	for op := 0x45; op <= 0xC4; op++ {
		t[op] = immNone
	}
	set(immHeapType, 0xD0)
	return t
}()

// prefixed gives the immediates of an instruction of the 0xFC (bulk memory,
// tables, saturating truncation), 0xFD (SIMD, relaxed SIMD) and 0xFE
// (atomics) families by its sub-opcode.
func prefixed(prefix byte, sub uint32) immKind {
	switch prefix {
	case 0xFC:
		switch {
		case sub <= 7:
			return immNone
		case sub == 8:
			return immIdxMemIdx
		case sub == 9 || sub == 13 || (sub >= 15 && sub <= 17):
			return immIdx
		case sub == 10:
			return immMemIdx2
		case sub == 11:
			return immMemIdx
		case sub == 12 || sub == 14:
			return immIdx2
		}
	case 0xFD:
		switch {
		case sub <= 11 || sub == 92 || sub == 93: // loads, v128.store, load32/64_zero
			return immMemarg
		case sub == 12 || sub == 13: // v128.const, i8x16.shuffle
			return immBytes16
		case sub >= 21 && sub <= 34: // extract and replace lane
			return immLane
		case sub >= 84 && sub <= 91: // lane loads and stores
			return immMemargLane
		case sub <= 0x113: // arithmetic, comparisons, conversions, relaxed SIMD
			return immNone
		}
	case 0xFE:
		switch {
		case sub == 3: // atomic.fence
			return immZeroByte
		case sub <= 2 || (sub >= 0x10 && sub <= 0x4E):
			return immMemarg
		}
	}
	return 0
}

// instr is one instruction as nextInstr read it.
type instr struct {
	op  byte
	sub uint32 // the sub-opcode of a prefixed instruction
	// start and end are the instruction's bytes in the body, immediates
	// included; immStart is where its immediates begin.
	start, immStart, end int
	// memarg, offset: the instruction has a memarg, with this offset.
	memarg bool
	offset uint64
	// multiMemory: a memory index other than 0 is named.
	multiMemory bool
}

// nextInstr reads the instruction at r's position.
func nextInstr(r *reader) (instr, error) {
	in := instr{start: r.pos}
	op, err := r.byte()
	if err != nil {
		return in, err
	}
	in.op = op
	kind := opcodes[op]
	if op >= 0xFC && op <= 0xFE {
		if in.sub, err = r.u32(); err != nil {
			return in, err
		}
		kind = prefixed(op, in.sub)
		if kind == 0 {
			return in, fmt.Errorf("%w: 0x%02X %d", errUnknownCode, op, in.sub)
		}
	} else if kind == 0 {
		return in, fmt.Errorf("%w: opcode 0x%02X", errUnknownCode, op)
	}
	in.immStart = r.pos
	err = in.immediates(r, kind)
	in.end = r.pos
	return in, err
}

// memIdx reads a memory index, noting one other than 0.
func (in *instr) memIdx(r *reader) error {
	idx, err := r.u32()
	if idx != 0 {
		in.multiMemory = true
	}
	return err
}

func (in *instr) immediates(r *reader, kind immKind) error {
	var err error
	switch kind {
	case immBlock, immI32, immI64, immHeapType:
		_, err = r.s64()
	case immIdx:
		_, err = r.u32()
	case immIdx2:
		if _, err = r.u32(); err == nil {
			_, err = r.u32()
		}
	case immBrTable:
		var n uint32
		n, err = r.u32()
		for i := uint32(0); i <= n && err == nil; i++ {
			_, err = r.u32()
		}
	case immSelectT:
		var n uint32
		if n, err = r.u32(); err == nil {
			_, err = r.bytes(int(n))
		}
	case immMemarg, immMemargLane:
		err = in.readMemarg(r)
		if err == nil && kind == immMemargLane {
			_, err = r.byte()
		}
	case immMemIdx:
		err = in.memIdx(r)
	case immMemIdx2:
		if err = in.memIdx(r); err == nil {
			err = in.memIdx(r)
		}
	case immIdxMemIdx:
		if _, err = r.u32(); err == nil {
			err = in.memIdx(r)
		}
	case immF32:
		_, err = r.bytes(4)
	case immF64:
		_, err = r.bytes(8)
	case immLane, immZeroByte:
		_, err = r.byte()
	case immBytes16:
		_, err = r.bytes(16)
	}
	return err
}

func (in *instr) readMemarg(r *reader) error {
	in.memarg = true
	align, err := r.u32()
	if err != nil {
		return err
	}
	if align&0x40 != 0 { // a memory index follows (multi-memory)
		if err := in.memIdx(r); err != nil {
			return err
		}
		in.multiMemory = true
	}
	in.offset, err = r.u64()
	return err
}

// funcBody is one function body: its local declarations and its code.
type funcBody struct {
	groups uint32 // how many local declaration groups
	locals uint64 // how many locals they declare
	decls  []byte // the groups as written
	code   []byte // the instructions
}

func readFuncBody(fn []byte) (funcBody, error) {
	r := &reader{b: fn}
	var b funcBody
	var err error
	if b.groups, err = r.u32(); err != nil {
		return b, err
	}
	start := r.pos
	for i := uint32(0); i < b.groups; i++ {
		n, err := r.u32()
		if err != nil {
			return b, err
		}
		if _, err := r.byte(); err != nil {
			return b, err
		}
		b.locals += uint64(n)
	}
	b.decls, b.code = fn[start:r.pos], fn[r.pos:]
	return b, nil
}

// rewriteCode rewrites every function body of a code section with each,
// given the function's index among the defined functions.
func rewriteCode(body []byte, each func(i uint32, fn []byte) ([]byte, error)) ([]byte, error) {
	r := &reader{b: body}
	n, err := r.u32()
	if err != nil {
		return nil, err
	}
	out := appendU64(make([]byte, 0, len(body)+len(body)/4), uint64(n))
	for i := uint32(0); i < n; i++ {
		fn, err := r.sized()
		if err != nil {
			return nil, err
		}
		low, err := each(i, fn)
		if err != nil {
			return nil, err
		}
		out = appendU64(out, uint64(len(low)))
		out = append(out, low...)
	}
	return out, nil
}
