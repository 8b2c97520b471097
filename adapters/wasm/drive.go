package wasm

import (
	"context"
	"fmt"
	"strings"

	"github.com/tetratelabs/wazero/api"

	"github.com/mostao/conformance/adapters/aonet"
)

// WeaveDrive is how an aos process reads Arweave transactions: aos
// replaces libc's fopen, fread and fclose with the module's imports
// __asyncjs__weavedrive_open(path, mode), _read(fd, dst, n) and
// _close(fd), and a Compute Unit answers them from a gateway. aos's boot
// loader uses it: a spawn with tag On-Boot = <transaction id> makes the
// process io.open("/data/<id>"), seek to the end for the size, read that
// many bytes and evaluate them as Lua (docs/wasm.md, "Code in").
//
// The engine's drive is the world's weave: a fixed set of transactions the
// world holds (the code of every module it runs), so what a process reads
// is deterministic and no gateway is asked. A path other than
// /data/<id of a transaction the world holds> opens nothing (fopen returns
// NULL), as a gateway that has no such transaction does. WeaveDrive's
// admissibility rules (the Extension tag, attestations by the process's
// Scheduler) are not modelled: the world's transactions are its own.

// weave is a world's transactions, by id.
type weave map[string][]byte

// add publishes mod's source (if any) as a transaction of the weave.
func (wv weave) add(mod Module) {
	if mod.Source != "" {
		wv[aonet.CodeTransaction(mod.Source)] = []byte(mod.Source)
	}
}

// driveFile is one open file of the drive.
type driveFile struct {
	data []byte
	pos  int64
}

// Whence values of lseek (emscripten's musl).
const (
	seekSet = 0
	seekCur = 1
	seekEnd = 2
)

// seek moves the position as lseek does and returns it, or -1 for an
// invalid whence or a negative position.
func (f *driveFile) seek(off int64, whence int) int64 {
	var base int64
	switch whence {
	case seekSet:
	case seekCur:
		base = f.pos
	case seekEnd:
		base = int64(len(f.data))
	default:
		return -1
	}
	if base+off < 0 {
		return -1
	}
	f.pos = base + off
	return f.pos
}

// read fills dst from the position and advances it. A read at or past the
// end starts over from the first byte: WeaveDrive asks the gateway for the
// range from the position, and a range that starts at the end gets the
// whole transaction back. aos's drive.getData depends on it: it seeks to
// the end to learn the size, then reads that many bytes without seeking
// back.
func (f *driveFile) read(dst []byte) int {
	if f.pos >= int64(len(f.data)) {
		f.pos = 0
	}
	n := copy(dst, f.data[f.pos:])
	f.pos += int64(n)
	return n
}

// firstDriveFD is the first descriptor the drive hands out, past stdin,
// stdout and stderr.
const firstDriveFD = 3

// openDrive is __asyncjs__weavedrive_open(path, mode): a descriptor of the
// transaction /data/<id> names, or 0 when the world holds none.
func openDrive(params, results []api.ValueType) api.GoModuleFunc {
	return func(ctx context.Context, m api.Module, s []uint64) {
		p := procOf(ctx)
		path := cString(m.Memory(), arg(params, s, 0), 4096)
		id, ok := strings.CutPrefix(path, "/data/")
		data, found := p.weave[id]
		if !ok || !found {
			s[0] = 0
			return
		}
		if p.files == nil {
			p.files = map[uint32]*driveFile{}
		}
		fd := uint32(firstDriveFD)
		for p.files[fd] != nil {
			fd++
		}
		p.files[fd] = &driveFile{data: data}
		s[0] = uint64(fd)
	}
}

// readDrive is __asyncjs__weavedrive_read(fd, dst, n): the bytes read.
func readDrive(params, results []api.ValueType) api.GoModuleFunc {
	return func(ctx context.Context, m api.Module, s []uint64) {
		f := procOf(ctx).files[uint32(s[0])]
		dst, n := arg(params, s, 1), arg(params, s, 2)
		if f == nil {
			s[0] = 0
			return
		}
		buf, ok := m.Memory().Read(dst, n)
		if !ok {
			panic(fmt.Errorf("weavedrive_read out of bounds: %d bytes at %d", n, dst))
		}
		procOf(ctx).charge(uint64(n) / copyBytesPerUnit)
		s[0] = uint64(f.read(buf))
	}
}

// closeDrive is __asyncjs__weavedrive_close(fd).
func closeDrive(params, results []api.ValueType) api.GoModuleFunc {
	return func(ctx context.Context, m api.Module, s []uint64) {
		delete(procOf(ctx).files, uint32(s[0]))
		s[0] = 0
	}
}

// fdSeek is WASI's fd_seek, which musl's fseek and ftell call: it moves a
// drive file's position; any other descriptor (stdio) cannot seek. Its
// signature differs by build: (fd, offset, whence, newOffset*) with a
// 64-bit offset, or (fd, offset low, offset high, whence, newOffset*)
// where emscripten legalised the i64 into two i32.
func fdSeek(params, results []api.ValueType) api.GoModuleFunc {
	legalised := len(params) == 5
	return func(ctx context.Context, m api.Module, s []uint64) {
		f := procOf(ctx).files[uint32(s[0])]
		if f == nil {
			s[0] = errnoSPIPE
			return
		}
		off, whence, out := int64(s[1]), int(int32(s[2])), arg(params, s, 3)
		if legalised {
			off = int64(uint64(uint32(s[1])) | uint64(uint32(s[2]))<<32)
			whence, out = int(int32(s[3])), arg(params, s, 4)
		}
		pos := f.seek(off, whence)
		if pos < 0 {
			s[0] = errnoINVAL
			return
		}
		writeWord(m, out, uint64(pos), true)
		s[0] = 0
	}
}
