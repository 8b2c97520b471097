package wasm

import (
	"errors"
	"fmt"
)

// A small reader of the WebAssembly binary format: enough to tell a
// module's format from its imports and memory (format.go) and to lower a
// memory64 module to 32-bit addresses (lower64.go). wazero cannot do
// either: it refuses a memory64 module before it shows anything of it.

// Section ids of the binary format.
const (
	secCustom   = 0
	secType     = 1
	secImport   = 2
	secFunction = 3
	secTable    = 4
	secMemory   = 5
	secGlobal   = 6
	secExport   = 7
	secCode     = 10
	secData     = 11
)

// Value types as the binary writes them.
const (
	typeI32  = 0x7F
	typeI64  = 0x7E
	typeF32  = 0x7D
	typeF64  = 0x7C
	typeV128 = 0x7B
)

var errTruncated = errors.New("truncated")

// reader reads a byte slice front to back.
type reader struct {
	b   []byte
	pos int
}

func (r *reader) done() bool { return r.pos >= len(r.b) }

func (r *reader) byte() (byte, error) {
	if r.pos >= len(r.b) {
		return 0, errTruncated
	}
	c := r.b[r.pos]
	r.pos++
	return c, nil
}

func (r *reader) bytes(n int) ([]byte, error) {
	if n < 0 || r.pos+n > len(r.b) {
		return nil, errTruncated
	}
	out := r.b[r.pos : r.pos+n]
	r.pos += n
	return out, nil
}

// u64 reads an unsigned LEB128 number.
func (r *reader) u64() (uint64, error) {
	var v uint64
	for shift := 0; shift < 70; shift += 7 {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		v |= uint64(c&0x7F) << shift
		if c&0x80 == 0 {
			return v, nil
		}
	}
	return 0, errors.New("LEB128 number too long")
}

func (r *reader) u32() (uint32, error) {
	v, err := r.u64()
	if err == nil && v > 0xFFFFFFFF {
		err = fmt.Errorf("number %d does not fit in 32 bits", v)
	}
	return uint32(v), err
}

// s64 reads a signed LEB128 number.
func (r *reader) s64() (int64, error) {
	var v int64
	shift := 0
	for {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		v |= int64(c&0x7F) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, nil
		}
		if shift >= 70 {
			return 0, errors.New("LEB128 number too long")
		}
	}
}

// sized reads a byte vector: its length, then its bytes.
func (r *reader) sized() ([]byte, error) {
	n, err := r.u32()
	if err != nil {
		return nil, err
	}
	return r.bytes(int(n))
}

func (r *reader) name() (string, error) {
	b, err := r.sized()
	return string(b), err
}

// appendU64 and appendS64 write LEB128 numbers.
func appendU64(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

func appendS64(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// section is one section of a module: its id and its contents.
type section struct {
	id   byte
	body []byte
}

// sections splits a module into its sections.
func sections(bin []byte) ([]section, error) {
	if len(bin) < 8 || string(bin[:4]) != "\x00asm" {
		return nil, errors.New("not a WebAssembly module (no \\0asm header)")
	}
	if bin[4] != 1 || bin[5] != 0 || bin[6] != 0 || bin[7] != 0 {
		return nil, fmt.Errorf("unsupported WebAssembly binary version % x", bin[4:8])
	}
	r := &reader{b: bin, pos: 8}
	var out []section
	for !r.done() {
		id, err := r.byte()
		if err != nil {
			return nil, err
		}
		n, err := r.u32()
		if err != nil {
			return nil, err
		}
		body, err := r.bytes(int(n))
		if err != nil {
			return nil, fmt.Errorf("section %d: %w", id, err)
		}
		out = append(out, section{id: id, body: body})
	}
	return out, nil
}

// assemble writes sections back into a module.
func assemble(secs []section) []byte {
	out := []byte("\x00asm\x01\x00\x00\x00")
	for _, s := range secs {
		out = append(out, s.id)
		out = appendU64(out, uint64(len(s.body)))
		out = append(out, s.body...)
	}
	return out
}

// limits is a table's or memory's limits. Flag bit 0: a maximum follows;
// bit 1: shared; bit 2: 64-bit addresses (memory64).
type limits struct {
	flags    byte
	min, max uint64
}

func (l limits) memory64() bool { return l.flags&4 != 0 }

func readLimits(r *reader) (limits, error) {
	var l limits
	var err error
	if l.flags, err = r.byte(); err != nil {
		return l, err
	}
	if l.flags > 7 {
		return l, fmt.Errorf("unknown limits flags %#x", l.flags)
	}
	if l.min, err = r.u64(); err != nil {
		return l, err
	}
	if l.flags&1 != 0 {
		l.max, err = r.u64()
	}
	return l, err
}

func appendLimits(b []byte, l limits) []byte {
	b = append(b, l.flags)
	b = appendU64(b, l.min)
	if l.flags&1 != 0 {
		b = appendU64(b, l.max)
	}
	return b
}

// funcType is a function signature, as value type bytes.
type funcType struct{ params, results []byte }

// importEntry is one import. kind: 0 function, 1 table, 2 memory, 3
// global; typeIndex for a function, mem for a memory.
type importEntry struct {
	module, name string
	kind         byte
	typeIndex    uint32
	mem          limits
	// start and end are the entry's byte range in the import section.
	start, end int
}

// moduleInfo is what the format reader needs of a module.
type moduleInfo struct {
	types    []funcType
	imports  []importEntry
	memories []limits // defined (not imported) memories
	// tables64 counts tables, imported or defined, with 64-bit indices.
	tables64 int
	// funcTypes are the type indices of the defined functions.
	funcTypes []uint32
}

func (m *moduleInfo) importedFuncs() int {
	n := 0
	for _, im := range m.imports {
		if im.kind == 0 {
			n++
		}
	}
	return n
}

// readModuleInfo reads the type, import, function and memory sections.
func readModuleInfo(secs []section) (*moduleInfo, error) {
	m := &moduleInfo{}
	for _, s := range secs {
		r := &reader{b: s.body}
		var err error
		switch s.id {
		case secType:
			err = readTypes(r, m)
		case secImport:
			err = readImports(r, m)
		case secFunction:
			err = readVec(r, func() error {
				t, err := r.u32()
				m.funcTypes = append(m.funcTypes, t)
				return err
			})
		case secTable:
			err = readVec(r, func() error {
				if _, err := r.byte(); err != nil {
					return err
				}
				l, err := readLimits(r)
				if l.memory64() {
					m.tables64++
				}
				return err
			})
		case secMemory:
			err = readVec(r, func() error {
				l, err := readLimits(r)
				m.memories = append(m.memories, l)
				return err
			})
		}
		if err != nil {
			return nil, fmt.Errorf("reading section %d: %w", s.id, err)
		}
	}
	return m, nil
}

func readVec(r *reader, each func() error) error {
	n, err := r.u32()
	if err != nil {
		return err
	}
	for i := uint32(0); i < n; i++ {
		if err := each(); err != nil {
			return err
		}
	}
	return nil
}

func readTypes(r *reader, m *moduleInfo) error {
	return readVec(r, func() error {
		form, err := r.byte()
		if err != nil {
			return err
		}
		if form != 0x60 {
			return fmt.Errorf("type form %#x is not a function type", form)
		}
		var t funcType
		for _, dst := range []*[]byte{&t.params, &t.results} {
			n, err := r.u32()
			if err != nil {
				return err
			}
			b, err := r.bytes(int(n))
			if err != nil {
				return err
			}
			*dst = b
		}
		m.types = append(m.types, t)
		return nil
	})
}

func readImports(r *reader, m *moduleInfo) error {
	return readVec(r, func() error {
		e := importEntry{start: r.pos}
		var err error
		if e.module, err = r.name(); err != nil {
			return err
		}
		if e.name, err = r.name(); err != nil {
			return err
		}
		if e.kind, err = r.byte(); err != nil {
			return err
		}
		switch e.kind {
		case 0:
			e.typeIndex, err = r.u32()
		case 1: // table: reftype, limits
			if _, err = r.byte(); err == nil {
				var l limits
				if l, err = readLimits(r); l.memory64() {
					m.tables64++
				}
			}
		case 2:
			e.mem, err = readLimits(r)
		case 3: // global: valtype, mutability
			_, err = r.bytes(2)
		case 4: // tag (exception handling): attribute, type index
			if _, err = r.byte(); err == nil {
				_, err = r.u32()
			}
		default:
			err = fmt.Errorf("unknown import kind %d", e.kind)
		}
		e.end = r.pos
		m.imports = append(m.imports, e)
		return err
	})
}
