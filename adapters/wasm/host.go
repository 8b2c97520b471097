package wasm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental/table"
)

// The host functions are built from the module's own import list: each
// import gets the implementation its name asks for, with the parameter and
// result types the module declares (emscripten legalises some signatures,
// fd_seek for one, and the types differ between emscripten versions). An
// import this engine does not know traps when called, naming itself, so a
// module that needs it fails with a clear crash instead of failing to load.

// errLongjmp is what _emscripten_throw_longjmp raises: the invoke_* that
// called into the longjmp-ing code catches it, as emscripten's JavaScript
// catches its thrown longjmp.
var errLongjmp = errors.New("longjmp")

// errAbort is raised by abort and exit: the module gave up.
var errAbort = errors.New("the module aborted")

// Errno values of emscripten's libc (the WASI numbering).
const (
	errnoINVAL = 28
	errnoNOENT = 44
	errnoNOSYS = 52
	errnoSPIPE = 70
)

// procKey carries the process a call runs for in the call's context, so the
// host functions, shared by every instance of a world, find its state.
type procKey struct{}

func procOf(ctx context.Context) *process {
	p, _ := ctx.Value(procKey{}).(*process)
	return p
}

// hostFunc is one host function: its Go code, given the import's types.
type hostFunc func(params, results []api.ValueType) api.GoModuleFunc

// hostFuncs are the implementations, by "module.name".
var hostFuncs = map[string]hostFunc{
	"env._emscripten_throw_longjmp": fixed(func(ctx context.Context, m api.Module, s []uint64) { panic(errLongjmp) }),
	"env.emscripten_longjmp":        fixed(func(ctx context.Context, m api.Module, s []uint64) { panic(errLongjmp) }),
	"env.abort":                     fixed(abort),
	"env._abort_js":                 fixed(abort),
	"env.exit":                      fixed(abort),
	"env.getTempRet0": fixed(func(ctx context.Context, m api.Module, s []uint64) {
		s[0] = uint64(procOf(ctx).tempRet0)
	}),
	"env.setTempRet0": fixed(func(ctx context.Context, m api.Module, s []uint64) {
		procOf(ctx).tempRet0 = uint32(s[0])
	}),
	"env.emscripten_memcpy_big":  memcpy,
	"env._emscripten_memcpy_js":  memcpy,
	"env.emscripten_resize_heap": resizeHeap,
	// Clocks are the message's Timestamp: deterministic, as aos's os.time.
	"env.emscripten_date_now": fixed(func(ctx context.Context, m api.Module, s []uint64) {
		s[0] = api.EncodeF64(float64(procOf(ctx).now))
	}),
	"env.emscripten_get_now": fixed(func(ctx context.Context, m api.Module, s []uint64) {
		s[0] = api.EncodeF64(float64(procOf(ctx).now))
	}),
	"env._emscripten_get_now_is_monotonic": fixed(func(ctx context.Context, m api.Module, s []uint64) { s[0] = 1 }),
	"env.clock":                            fixed(func(ctx context.Context, m api.Module, s []uint64) { s[0] = 0 }),
	"env.time": func(params, results []api.ValueType) api.GoModuleFunc {
		// time_t is 32-bit on older emscripten, 64-bit since: the result
		// type says which.
		wide := results[0] == api.ValueTypeI64
		return func(ctx context.Context, m api.Module, s []uint64) {
			sec := procOf(ctx).now / 1000
			if ptr := arg(params, s, 0); ptr != 0 {
				writeWord(m, ptr, uint64(sec), wide)
			}
			s[0] = uint64(sec)
			if !wide {
				s[0] = uint64(uint32(sec))
			}
		}
	},
	"env.__clock_gettime": clockGettime,
	"env.clock_gettime":   clockGettime,
	"env.difftime": fixed(func(ctx context.Context, m api.Module, s []uint64) {
		s[0] = api.EncodeF64(float64(int32(s[0])) - float64(int32(s[1])))
	}),
	"env._tzset_js":     fixed(func(ctx context.Context, m api.Module, s []uint64) {}),
	"env._localtime_js": brokenDown,
	"env._gmtime_js":    brokenDown,
	"env._mktime_js":    mktime,
	"env._timegm_js":    mktime,
	"env.strftime":      strftime,
	"env.system": fixed(func(ctx context.Context, m api.Module, s []uint64) {
		s[0] = 0 // no shell: system(NULL) says so, system(cmd) does nothing
	}),
	// The world's weave, read as aos reads files (drive.go).
	"env.__asyncjs__weavedrive_open":  openDrive,
	"env.__asyncjs__weavedrive_read":  readDrive,
	"env.__asyncjs__weavedrive_close": closeDrive,
	"env._emscripten_system":          fixed(zero),
	// The older ABI's heap query: the most memory can grow to.
	"env.emscripten_get_heap_max": fixed(func(ctx context.Context, m api.Module, s []uint64) {
		s[0] = min(procOf(ctx).memoryLimit, 1<<32-65536)
	}),
	// A metering build reports the gas it used; the engine keeps the
	// count (its work budget stays the module's own, see docs/wasm.md).
	"env." + meteringImport:                    metering,
	"metering." + meteringImport:               metering,
	"wasi_snapshot_preview1.fd_write":          fdWrite,
	"wasi_snapshot_preview1.fd_read":           sizesZero(3),
	"wasi_snapshot_preview1.fd_close":          fixed(zero),
	"wasi_snapshot_preview1.fd_seek":           fdSeek,
	"wasi_snapshot_preview1.environ_sizes_get": sizesZero(0, 1),
	"wasi_snapshot_preview1.environ_get":       fixed(zero),
	"wasi_snapshot_preview1.args_sizes_get":    sizesZero(0, 1),
	"wasi_snapshot_preview1.args_get":          fixed(zero),
	"wasi_snapshot_preview1.proc_exit":         fixed(abort),
	"wasi_snapshot_preview1.clock_time_get": func(params, results []api.ValueType) api.GoModuleFunc {
		return func(ctx context.Context, m api.Module, s []uint64) {
			writeWord(m, arg(params, s, len(params)-1), uint64(procOf(ctx).now)*1_000_000, true)
			s[0] = 0
		}
	},
}

// arg reads the pointer or size argument i: an i32 on wasm32 (whose upper
// bits in s are not defined), an i64 on wasm64.
func arg(params []api.ValueType, s []uint64, i int) uint32 {
	if params[i] == api.ValueTypeI64 {
		return addr(s[i])
	}
	return uint32(s[i])
}

// addr checks a 64-bit pointer. The memory of a lowered wasm64 module is
// at most 4 GiB, so a pointer past that traps, as its access would have in
// the original: it is never cut to 32 bits.
func addr(v uint64) uint32 {
	if v > 0xFFFFFFFF {
		panic(fmt.Errorf("pointer %#x is past the 4 GiB of a 32-bit memory", v))
	}
	return uint32(v)
}

// writeWord writes a size_t, long or time_t: 8 bytes when wide.
func writeWord(m api.Module, ptr uint32, v uint64, wide bool) {
	ok := false
	if wide {
		ok = m.Memory().WriteUint64Le(ptr, v)
	} else {
		ok = m.Memory().WriteUint32Le(ptr, uint32(v))
	}
	if !ok {
		panic(fmt.Errorf("host write out of bounds at %d", ptr))
	}
}

// wide says whether the pointer-sized parameter i is 64-bit (wasm64).
func wide(params []api.ValueType, i int) bool {
	return i < len(params) && params[i] == api.ValueTypeI64
}

// sizesZero writes 0 to the size_t results the parameters at idx point to
// (an empty environment, no bytes read) and returns success.
func sizesZero(idx ...int) hostFunc {
	return func(params, results []api.ValueType) api.GoModuleFunc {
		return func(ctx context.Context, m api.Module, s []uint64) {
			for _, i := range idx {
				writeWord(m, arg(params, s, i), 0, wide(params, i))
			}
			s[0] = 0
		}
	}
}

// clockGettime fills a struct timespec: time_t then long, both 8 bytes
// on wasm64; 4 and 4 on the older wasm32 ABI this import belongs to.
func clockGettime(params, results []api.ValueType) api.GoModuleFunc {
	w := wide(params, 1)
	return func(ctx context.Context, m api.Module, s []uint64) {
		now := procOf(ctx).now
		ptr := arg(params, s, 1)
		size := uint32(4)
		if w {
			size = 8
		}
		writeWord(m, ptr, uint64(now/1000), w)
		writeWord(m, ptr+size, uint64(now%1000*1_000_000), w)
		s[0] = 0
	}
}

// metering adds the gas a metering build reports to the process's count.
func metering(params, results []api.ValueType) api.GoModuleFunc {
	return func(ctx context.Context, m api.Module, s []uint64) {
		if len(params) > 0 && params[0] != api.ValueTypeF32 && params[0] != api.ValueTypeF64 {
			procOf(ctx).gas += s[0]
		}
		for i := range results {
			s[i] = 0
		}
	}
}

func fixed(f api.GoModuleFunc) hostFunc {
	return func(params, results []api.ValueType) api.GoModuleFunc { return f }
}

func zero(ctx context.Context, m api.Module, s []uint64) {
	if len(s) > 0 {
		s[0] = 0
	}
}

func abort(ctx context.Context, m api.Module, s []uint64) { panic(errAbort) }

func memcpy(params, results []api.ValueType) api.GoModuleFunc {
	return func(ctx context.Context, m api.Module, s []uint64) {
		procOf(ctx).charge(uint64(arg(params, s, 2)) / copyBytesPerUnit)
		memcpyWith(params, m, s)
	}
}

// memcpyWith copies as emscripten's JavaScript does, with
// HEAPU8.copyWithin(dst, src, src+n): a range past the end of memory is cut
// at the end instead of trapping. aos's allocator, growing a block, copies
// the new size from the old block, which reads past the end when the old
// block is the last one; on a CU that is harmless, and must be here.
func memcpyWith(params []api.ValueType, m api.Module, s []uint64) {
	dst, src, n := arg(params, s, 0), arg(params, s, 1), arg(params, s, 2)
	size := uint64(m.Memory().Size())
	from, to, end := min(uint64(src), size), min(uint64(dst), size), min(uint64(src)+uint64(n), size)
	count := min(end-from, size-to)
	if count > 0 {
		buf, ok := m.Memory().Read(uint32(from), uint32(count))
		if !ok || !m.Memory().Write(uint32(to), append([]byte(nil), buf...)) {
			panic(fmt.Errorf("memcpy out of bounds: %d bytes from %d to %d", count, from, to))
		}
	}
	s[0] = uint64(dst)
}

// resizeHeap grows memory to the requested size, or refuses past the
// process's memory limit: malloc then fails, Lua raises "not enough
// memory", and the host gives a memory-limit verdict.
func resizeHeap(params, results []api.ValueType) api.GoModuleFunc {
	return func(ctx context.Context, m api.Module, s []uint64) { resizeHeapWith(ctx, params, m, s) }
}

func resizeHeapWith(ctx context.Context, params []api.ValueType, m api.Module, s []uint64) {
	p := procOf(ctx)
	want := uint64(uint32(s[0])) // a size_t: i32 on wasm32, i64 on wasm64
	if params[0] == api.ValueTypeI64 {
		want = s[0]
	}
	if want > p.memoryLimit {
		p.memoryRefused = true
		s[0] = 0
		return
	}
	mem := m.Memory()
	pages := (want + 65535) / 65536
	if have := uint64(mem.Size()) / 65536; pages > have {
		if _, ok := mem.Grow(uint32(pages - have)); !ok {
			p.memoryRefused = true
			s[0] = 0
			return
		}
	}
	s[0] = 1
}

// fdWrite captures what the module writes to stdout and stderr (bounded).
// An iovec is two pointer-sized words: 8 bytes on wasm32, 16 on wasm64.
func fdWrite(params, results []api.ValueType) api.GoModuleFunc {
	w := wide(params, 1)
	return func(ctx context.Context, m api.Module, s []uint64) { fdWriteWith(ctx, m, s, params, w) }
}

func fdWriteWith(ctx context.Context, m api.Module, s []uint64, params []api.ValueType, w bool) {
	p := procOf(ctx)
	fd, iovs, n, written := uint32(s[0]), arg(params, s, 1), arg(params, s, 2), arg(params, s, 3)
	mem := m.Memory()
	word := func(at uint32) uint32 {
		if w {
			v, _ := mem.ReadUint64Le(at)
			return addr(v)
		}
		v, _ := mem.ReadUint32Le(at)
		return v
	}
	size := uint32(4)
	if w {
		size = 8
	}
	total := uint32(0)
	for i := uint32(0); i < n; i++ {
		ptr := word(iovs + 2*size*i)
		l := word(iovs + 2*size*i + size)
		// One call writes any number of iovecs of any length: charged a
		// unit per iovec and per copyBytesPerUnit bytes, as a copy is,
		// whatever stdio keeps of them.
		p.charge(1 + uint64(l)/copyBytesPerUnit)
		buf, ok := mem.Read(ptr, l)
		if !ok {
			s[0] = 21 // EFAULT
			return
		}
		if fd == 1 || fd == 2 {
			if room := maxStdio - p.stdio.Len(); room > 0 {
				if len(buf) > room {
					buf = buf[:room]
				}
				p.stdio.Write(buf)
			}
		}
		total += l
	}
	writeWord(m, written, uint64(total), w)
	s[0] = 0
}

// maxStdio bounds what a process's stdout and stderr keep.
const maxStdio = 64 << 10

// The broken-down time of emscripten's struct tm: nine 32-bit ints, then
// tm_gmtoff and tm_zone. Time zones are UTC: a process has no locale.
func brokenDown(params, results []api.ValueType) api.GoModuleFunc {
	return func(ctx context.Context, m api.Module, s []uint64) {
		var sec int64
		switch {
		case params[0] == api.ValueTypeI64:
			sec = int64(s[0])
		case len(params) == 3:
			// A legalised 64-bit time_t: low and high halves.
			sec = int64(uint32(s[0])) | int64(int32(s[1]))<<32
		default:
			// A pointer to a time_t on older emscripten (32-bit time_t).
			v, _ := m.Memory().ReadUint32Le(arg(params, s, 0))
			sec = int64(int32(v))
		}
		t := time.Unix(sec, 0).UTC()
		ptr := arg(params, s, len(params)-1)
		for i, v := range []int{t.Second(), t.Minute(), t.Hour(), t.Day(), int(t.Month()) - 1, t.Year() - 1900, int(t.Weekday()), t.YearDay() - 1, 0} {
			writeWord(m, ptr+uint32(4*i), uint64(uint32(int32(v))), false)
		}
		// tm_gmtoff, a long: right after tm_isdst on wasm32, aligned to
		// 8 bytes on wasm64. UTC: 0.
		if wide(params, len(params)-1) {
			writeWord(m, ptr+40, 0, true)
		} else {
			writeWord(m, ptr+36, 0, false)
		}
	}
}

func readTm(m api.Module, ptr uint32) time.Time {
	f := make([]int, 6)
	for i := range f {
		v, _ := m.Memory().ReadUint32Le(ptr + uint32(4*i))
		f[i] = int(int32(v))
	}
	return time.Date(f[5]+1900, time.Month(f[4]+1), f[3], f[2], f[1], f[0], 0, time.UTC)
}

func mktime(params, results []api.ValueType) api.GoModuleFunc {
	return func(ctx context.Context, m api.Module, s []uint64) {
		sec := readTm(m, arg(params, s, 0)).Unix()
		if results[0] == api.ValueTypeI64 {
			s[0] = uint64(sec)
		} else {
			s[0] = uint64(uint32(int32(sec)))
		}
	}
}

// strftime formats struct tm in the C locale, UTC. Lua's os.date calls it
// once per conversion.
func strftime(params, results []api.ValueType) api.GoModuleFunc {
	return func(ctx context.Context, m api.Module, s []uint64) { strftimeWith(params, m, s) }
}

func strftimeWith(params []api.ValueType, m api.Module, s []uint64) {
	max := uint32(s[1])
	if params[1] == api.ValueTypeI64 {
		max = uint32(min(s[1], 0xFFFFFFFF))
	}
	dst, fmtPtr, tmPtr := arg(params, s, 0), arg(params, s, 2), arg(params, s, 3)
	format := cString(m.Memory(), fmtPtr, 256)
	t := readTm(m, tmPtr)
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		spec := format[i]
		if (spec == 'E' || spec == 'O') && i+1 < len(format) {
			i++
			spec = format[i]
		}
		b.WriteString(strftimeSpec(t, spec))
	}
	out := b.String()
	if uint32(len(out))+1 > max {
		s[0] = 0
		return
	}
	m.Memory().Write(dst, append([]byte(out), 0))
	s[0] = uint64(len(out))
}

func strftimeSpec(t time.Time, spec byte) string {
	layouts := map[byte]string{
		'a': "Mon", 'A': "Monday", 'b': "Jan", 'h': "Jan", 'B': "January", 'c': "Mon Jan  2 15:04:05 2006",
		'd': "02", 'D': "01/02/06", 'e': "_2", 'F': "2006-01-02", 'H': "15", 'I': "03", 'm': "01", 'M': "04",
		'p': "PM", 'r': "03:04:05 PM", 'R': "15:04", 'S': "05", 'T': "15:04:05", 'x': "01/02/06",
		'X': "15:04:05", 'y': "06", 'Y': "2006", 'z': "-0700", 'Z': "UTC",
	}
	if l, ok := layouts[spec]; ok {
		return t.Format(l)
	}
	switch spec {
	case 'j':
		return fmt.Sprintf("%03d", t.YearDay())
	case 'w':
		return fmt.Sprint(int(t.Weekday()))
	case 'u':
		return fmt.Sprint((int(t.Weekday())+6)%7 + 1)
	case 'n':
		return "\n"
	case 't':
		return "\t"
	case '%':
		return "%"
	case 'C':
		return fmt.Sprintf("%02d", t.Year()/100)
	case 'G':
		y, _ := t.ISOWeek()
		return fmt.Sprint(y)
	case 'g':
		y, _ := t.ISOWeek()
		return fmt.Sprintf("%02d", y%100)
	case 'V':
		_, w := t.ISOWeek()
		return fmt.Sprintf("%02d", w)
	case 'U':
		return fmt.Sprintf("%02d", (t.YearDay()+6-int(t.Weekday()))/7)
	case 'W':
		return fmt.Sprintf("%02d", (t.YearDay()+6-(int(t.Weekday())+6)%7)/7)
	}
	return ""
}

// cString reads a NUL-terminated string of at most max bytes.
func cString(mem api.Memory, ptr uint32, max uint32) string {
	size := mem.Size()
	if ptr >= size {
		return ""
	}
	if max > size-ptr {
		max = size - ptr
	}
	buf, _ := mem.Read(ptr, max)
	for i, c := range buf {
		if c == 0 {
			return string(buf[:i])
		}
	}
	return string(buf)
}

// syscall is every __syscall_* import: a process has no files, so opening
// finds nothing and everything else is not supported. The negative errno
// is sign-extended when the import returns an i64 (wasm64).
func syscall(name string, results []api.ValueType) api.GoModuleFunc {
	errno := int64(-errnoNOSYS)
	if strings.Contains(name, "open") {
		errno = -errnoNOENT
	}
	ret := uint64(errno)
	if len(results) > 0 && results[0] == api.ValueTypeI32 {
		ret = uint64(uint32(int32(errno)))
	}
	return func(ctx context.Context, m api.Module, s []uint64) {
		if len(results) > 0 {
			s[0] = ret
		}
	}
}

// missing is an import this engine does not provide: calling it traps.
func missing(module, name string) api.GoModuleFunc {
	return func(ctx context.Context, m api.Module, s []uint64) {
		panic(fmt.Errorf("the module called %s.%s, an import this engine does not provide", module, name))
	}
}

// invoke is emscripten's invoke_*: call a table entry; when the callee
// longjmps, restore the stack pointer saved before the call and tell the
// module with setThrew(1, 0), as emscripten's JavaScript does.
func invoke(params, results []api.ValueType) api.GoModuleFunc {
	callee := params[1:]
	return func(ctx context.Context, m api.Module, s []uint64) {
		// The nested calls run without ctx's cancellation
		// (nestedContext): the outer call's deadline stops them too.
		p := procOf(ctx)
		ctx = p.nestedContext(ctx)
		idx := arg(params, s, 0)
		// A looked-up function is kept for the next call: each new
		// api.Function sets up its own call stack, which costs more than
		// the call itself. One is not re-entrant (a pcall inside a pcall
		// calls the same entry again), so each index keeps a free list.
		var fn api.Function
		if free := p.table[idx]; len(free) > 0 {
			fn = free[len(free)-1]
			p.table[idx] = free[:len(free)-1]
		} else {
			fn = table.LookupFunction(m, 0, idx, callee, results)
		}
		defer func() { p.table[idx] = append(p.table[idx], fn) }()
		sp := p.stackSave(ctx)
		args := make([]uint64, max(len(callee), len(results)))
		copy(args, s[1:1+len(callee)])
		err := fn.CallWithStack(ctx, args)
		if err == nil {
			copy(s, args[:len(results)])
			return
		}
		if !errors.Is(err, errLongjmp) {
			panic(err)
		}
		p.stackRestore(ctx, sp)
		if _, err := p.setThrew.Call(ctx, 1, 0); err != nil {
			panic(err)
		}
		for i := range results {
			s[i] = 0
		}
	}
}

// hostImpl is the host function for one import, built from its types;
// provided is false when the engine does not know it (the function then
// traps, naming the import, when called).
func hostImpl(module, name string, params, results []api.ValueType) (impl api.GoModuleFunc, provided bool) {
	switch {
	case module == "env" && strings.HasPrefix(name, "invoke_"):
		return invoke(params, results), true
	case module == "env" && strings.HasPrefix(name, "__syscall_"):
		return syscall(name, results), true
	}
	if h, ok := hostFuncs[module+"."+name]; ok {
		return h(params, results), true
	}
	return missing(module, name), false
}

// instantiateHosts instantiates, in r, one host module per module name the
// compiled module imports from, each function built from its import.
func instantiateHosts(ctx context.Context, r wazero.Runtime, compiled wazero.CompiledModule) error {
	builders := map[string]wazero.HostModuleBuilder{}
	var order []string
	for _, fn := range compiled.ImportedFunctions() {
		module, name, _ := fn.Import()
		b, ok := builders[module]
		if !ok {
			b = r.NewHostModuleBuilder(module)
			builders[module] = b
			order = append(order, module)
		}
		params, results := fn.ParamTypes(), fn.ResultTypes()
		impl, _ := hostImpl(module, name, params, results)
		b.NewFunctionBuilder().WithGoModuleFunction(impl, params, results).Export(name)
	}
	for _, module := range order {
		if _, err := builders[module].Instantiate(ctx); err != nil {
			return fmt.Errorf("host module %s: %w", module, err)
		}
	}
	return nil
}
