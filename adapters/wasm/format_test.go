package wasm

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// imp is one import of a synthesized module. sig is "params:results" with
// i (i32), I (i64), F (f64) and p: a pointer or size_t, i32 on wasm32 and
// i64 on wasm64.
type imp struct{ module, name, sig string }

// aos204Imports are the imports of aos 2.0.4 (docs/wasm.md, the list in
// the runtime notes), with the signatures emscripten 3.1.59 gives them.
var aos204Imports = []imp{
	{"env", "invoke_vii", "pii:"}, {"env", "invoke_ii", "pi:i"}, {"env", "invoke_iii", "pii:i"},
	{"env", "invoke_iiii", "piii:i"}, {"env", "invoke_vi", "pi:"}, {"env", "invoke_v", "p:"},
	{"env", "strftime", "pppp:p"}, {"env", "exit", "i:"},
	{"env", "__asyncjs__weavedrive_open", "pp:i"}, {"env", "__asyncjs__weavedrive_read", "ipp:i"},
	{"env", "__asyncjs__weavedrive_close", "i:i"},
	{"env", "__syscall_fcntl64", "iip:i"}, {"env", "__syscall_ioctl", "iip:i"}, {"env", "__syscall_dup3", "iii:i"},
	{"env", "__syscall_unlinkat", "ipi:i"}, {"env", "__syscall_rmdir", "p:i"}, {"env", "__syscall_renameat", "ipip:i"},
	{"env", "__syscall_openat", "ipip:i"}, {"env", "__syscall_readlinkat", "ippp:i"},
	{"env", "_abort_js", ":"}, {"env", "_emscripten_memcpy_js", "ppp:"}, {"env", "emscripten_date_now", ":F"},
	{"env", "_emscripten_get_now_is_monotonic", ":i"}, {"env", "_emscripten_system", "p:i"},
	{"env", "_tzset_js", "pppp:"}, {"env", "emscripten_resize_heap", "p:i"}, {"env", "_emscripten_throw_longjmp", ":"},
	{"env", "_mktime_js", "p:I"}, {"env", "_localtime_js", "Ip:"}, {"env", "_gmtime_js", "Ip:"},
	{"wasi_snapshot_preview1", "fd_close", "i:i"}, {"wasi_snapshot_preview1", "fd_read", "ippp:i"},
	{"wasi_snapshot_preview1", "fd_write", "ippp:i"}, {"wasi_snapshot_preview1", "fd_seek", "iIip:i"},
	{"wasi_snapshot_preview1", "environ_sizes_get", "pp:i"}, {"wasi_snapshot_preview1", "environ_get", "pp:i"},
}

// olderABIImports are the imports of the older emscripten ABI (the
// bundled module's, emscripten 3.1.6, and older aos builds).
var olderImports = []imp{
	{"env", "getTempRet0", ":i"}, {"env", "setTempRet0", "i:"}, {"env", "emscripten_memcpy_big", "ppp:p"},
	{"env", "abort", ":"}, {"env", "clock", ":i"}, {"env", "time", "p:i"}, {"env", "difftime", "ii:F"},
	{"env", "system", "p:i"}, {"env", "_mktime_js", "p:i"}, {"env", "_localtime_js", "pp:"}, {"env", "_gmtime_js", "pp:"},
	{"env", "__syscall_open", "ppp:i"}, {"env", "__syscall_unlink", "p:i"}, {"env", "__syscall_rename", "pp:i"},
	{"env", "__syscall_lstat64", "pp:i"}, {"env", "__clock_gettime", "ip:i"}, {"env", "emscripten_get_heap_max", ":p"},
	{"env", "invoke_vii", "pii:"}, {"env", "_tzset_js", "ppp:"}, {"env", "strftime", "pppp:p"}, {"env", "exit", "i:"},
	{"env", "emscripten_resize_heap", "p:i"}, {"env", "_emscripten_throw_longjmp", ":"},
	{"wasi_snapshot_preview1", "fd_write", "ippp:i"}, {"wasi_snapshot_preview1", "fd_read", "ippp:i"},
	{"wasi_snapshot_preview1", "fd_close", "i:i"}, {"wasi_snapshot_preview1", "fd_seek", "iiiip:i"},
	{"wasi_snapshot_preview1", "environ_sizes_get", "pp:i"}, {"wasi_snapshot_preview1", "environ_get", "pp:i"},
}

var meteringImports = []imp{{"env", "metering_gasUsed", "I:"}}

// synthModule is a module that imports imps and re-exports each imported
// function under its name, with one memory of pages pages (memory64 when
// wide) and the given extra sections' raw bodies.
type synthModule struct {
	imps  []imp
	wide  bool
	pages uint64
	data  []byte // a data section body, if any
	code  []byte // one function body ()->() appended, if any
}

func (s synthModule) valtype(c byte) byte {
	switch c {
	case 'i':
		return typeI32
	case 'I':
		return typeI64
	case 'F':
		return typeF64
	case 'p':
		if s.wide {
			return typeI64
		}
		return typeI32
	}
	panic("bad signature letter " + string(c))
}

func (s synthModule) bytes() []byte {
	vec := func(n int, body []byte) []byte { return append(appendU64(nil, uint64(n)), body...) }
	str := func(b []byte, v string) []byte { return append(appendU64(b, uint64(len(v))), v...) }
	var types, imports, exports []byte
	for i, im := range s.imps {
		ps, rs, _ := strings.Cut(im.sig, ":")
		t := []byte{0x60}
		for _, part := range []string{ps, rs} {
			t = appendU64(t, uint64(len(part)))
			for j := 0; j < len(part); j++ {
				t = append(t, s.valtype(part[j]))
			}
		}
		types = append(types, t...)
		imports = appendU64(append(str(str(imports, im.module), im.name), 0), uint64(i))
		exports = appendU64(append(str(exports, im.module+"."+im.name), 0), uint64(i))
	}
	ntypes := len(s.imps)
	var secs []section
	flags := byte(0)
	if s.wide {
		flags = 4
	}
	mem := appendLimits(nil, limits{flags: flags, min: s.pages})
	secs = append(secs, section{secType, vec(ntypes+1, append(types, 0x60, 0, 0))})
	secs = append(secs, section{secImport, vec(len(s.imps), imports)})
	nexports := len(s.imps) + 1
	if s.code != nil {
		secs = append(secs, section{secFunction, vec(1, appendU64(nil, uint64(ntypes)))})
		exports = appendU64(append(str(exports, "run"), 0), uint64(len(s.imps)))
		nexports++
	}
	secs = append(secs, section{secMemory, vec(1, mem)})
	exports = append(str(exports, "memory"), 2, 0)
	secs = append(secs, section{secExport, vec(nexports, exports)})
	if s.code != nil {
		body := append([]byte{0}, s.code...) // no locals
		secs = append(secs, section{secCode, vec(1, append(appendU64(nil, uint64(len(body))), body...))})
	}
	if s.data != nil {
		secs = append(secs, section{secData, s.data})
	}
	return assemble(secs)
}

// instantiateOnHost loads bin as the engine does (format, lowering, host
// modules) and instantiates it.
func instantiateOnHost(t *testing.T, bin []byte, format string) (Format, api.Module) {
	t.Helper()
	ctx := context.Background()
	f, low, err := loadable(bin, format)
	require.NoError(t, err)
	r := wazero.NewRuntime(ctx)
	t.Cleanup(func() { r.Close(ctx) })
	compiled, err := r.CompileModule(ctx, low)
	require.NoError(t, err)
	require.NoError(t, instantiateHosts(ctx, r, compiled))
	m, err := r.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	require.NoError(t, err)
	return f, m
}

func TestHostProvidesEveryAosImport(t *testing.T) {
	cases := []struct {
		name   string
		imps   []imp
		wide   bool
		format string
	}{
		{"aos 2.0.4 wasm32", aos204Imports, false, "wasm32-unknown-emscripten4"},
		{"aos 2.0.4 metering", append(append([]imp{}, aos204Imports...), meteringImports...), false, "wasm32-unknown-emscripten-metering"},
		{"aos 2.x wasm64", aos204Imports, true, "wasm64-unknown-emscripten-draft_2024_02_15"},
		{"aos 2.x wasm64 metering", append(append([]imp{}, aos204Imports...), meteringImports...), true, "wasm64-unknown-emscripten-draft_2024_10_16-metering"},
		{"older emscripten ABI", olderImports, false, "wasm32-unknown-emscripten"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bin := synthModule{imps: c.imps, wide: c.wide, pages: 1}.bytes()
			f, m := instantiateOnHost(t, bin, "")
			require.Equal(t, c.format, f.Name, "detected format")
			for _, im := range c.imps {
				fn := m.ExportedFunction(im.module + "." + im.name)
				require.NotNil(t, fn, im.name)
				def := fn.Definition()
				_, provided := hostImpl(im.module, im.name, def.ParamTypes(), def.ResultTypes())
				require.True(t, provided, "%s.%s is not provided by the host", im.module, im.name)
			}
		})
	}
}

// callHost calls the host function of an import of m as a call from m's
// code would (the host sees m and its memory), recovering its panic.
func callHost(ctx context.Context, m api.Module, module, name string, args ...uint64) (res []uint64, err error) {
	def := m.ExportedFunction(module + "." + name).Definition()
	impl, _ := hostImpl(module, name, def.ParamTypes(), def.ResultTypes())
	stack := make([]uint64, max(len(args), len(def.ResultTypes())))
	copy(stack, args)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	impl(ctx, m, stack)
	return stack[:len(def.ResultTypes())], nil
}

func TestHostFunctionsUseTheModulesPointerWidth(t *testing.T) {
	for _, wide := range []bool{false, true} {
		bin := synthModule{imps: aos204Imports, wide: wide, pages: 1}.bytes()
		_, m := instantiateOnHost(t, bin, "")
		p := &process{memoryLimit: 1 << 20}
		ctx := context.WithValue(context.Background(), procKey{}, p)
		mem := m.Memory()
		word := uint32(4)
		if wide {
			word = 8
		}
		// Two iovecs at 100: "hello, " at 200 and "world" at 300.
		mem.Write(200, []byte("hello, "))
		mem.Write(300, []byte("world"))
		for i, v := range []uint64{200, 7, 300, 5} {
			if wide {
				mem.WriteUint64Le(100+uint32(i)*word, v)
			} else {
				mem.WriteUint32Le(100+uint32(i)*word, uint32(v))
			}
		}
		mem.WriteUint64Le(400, ^uint64(0))
		r, err := callHost(ctx, m, "wasi_snapshot_preview1", "fd_write", 1, 100, 2, 400)
		require.NoError(t, err)
		require.Zero(t, r[0])
		require.Equal(t, "hello, world", p.stdio.String(), "wide=%v", wide)
		n, _ := mem.ReadUint64Le(400)
		if wide {
			require.Equal(t, uint64(12), n, "nwritten is a 64-bit size_t on wasm64")
		} else {
			require.Equal(t, uint64(0xFFFFFFFF_0000000C), n, "nwritten is a 32-bit size_t on wasm32")
		}
		// A syscall's -errno is sign-extended for an i64 result, and a
		// pointer past 4 GiB traps rather than wrapping.
		if wide {
			_, err := callHost(ctx, m, "wasi_snapshot_preview1", "fd_write", 1, 1<<32+100, 2, 400)
			require.ErrorContains(t, err, "past the 4 GiB")
			_, err = callHost(ctx, m, "env", "_emscripten_memcpy_js", 1<<32, 200, 4)
			require.ErrorContains(t, err, "past the 4 GiB")
			r, err := callHost(ctx, m, "env", "__syscall_openat", 0, 200, 0, 0)
			require.NoError(t, err)
			require.Equal(t, uint64(0xFFFFFFD4), r[0], "an i32 -ENOENT")
			stack := []uint64{0}
			syscall("__syscall_lseek", []api.ValueType{api.ValueTypeI64})(ctx, m, stack)
			require.Equal(t, int64(-errnoNOSYS), int64(stack[0]), "an i64 -ENOSYS")
		}
	}
}

func TestGivenFormatMustFitTheBinary(t *testing.T) {
	f, err := DetectFormat(DefaultModule)
	require.NoError(t, err)
	require.Equal(t, ModuleFormat, f.Name, "the bundled module's detected format")

	for _, ok := range []string{"", "wasm32-unknown-emscripten", "wasm32-unknown-emscripten2", "wasm32-unknown-emscripten4"} {
		_, _, err := loadable(DefaultModule, ok)
		require.NoError(t, err, ok)
	}
	_, _, err = loadable(DefaultModule, "wasm64-unknown-emscripten-draft_2024_02_15")
	require.ErrorContains(t, err, "does not fit the module: its memory is 32-bit")
	_, _, err = loadable(DefaultModule, "wasm32-unknown-emscripten-metering")
	require.ErrorContains(t, err, "does not import metering_gasUsed")
	_, _, err = loadable(DefaultModule, "wasm32-unknown-emscripten9")
	require.ErrorContains(t, err, "unknown Module-Format")

	wide := synthModule{imps: aos204Imports, wide: true, pages: 1}.bytes()
	_, _, err = loadable(wide, "wasm32-unknown-emscripten4")
	require.ErrorContains(t, err, "its memory is 64-bit")
	metered := synthModule{imps: append(append([]imp{}, aos204Imports...), meteringImports...), wide: true, pages: 1}.bytes()
	_, _, err = loadable(metered, "wasm64-unknown-emscripten-draft_2024_02_15")
	require.ErrorContains(t, err, "imports metering_gasUsed")

	// Through the world: a mismatch is an error of New, not a crash later.
	_, err = New(Options{Format: "wasm64-unknown-emscripten-draft_2024_02_15"})
	require.ErrorContains(t, err, "does not fit")
}

func TestLoweringRefusesWhatDoesNotFitIn4GiB(t *testing.T) {
	_, _, err := loadable(synthModule{wide: true, pages: 1<<16 + 1}.bytes(), "")
	require.ErrorContains(t, err, "more than the 4 GiB")

	// A data segment at 4 GiB: mode 0, i64.const 2^32, end, 1 byte.
	data := appendS64([]byte{1, 0, 0x42}, 1<<32)
	data = append(data, 0x0B, 1, 'x')
	_, _, err = loadable(synthModule{wide: true, pages: 1, data: data}.bytes(), "")
	require.ErrorContains(t, err, "past the 4 GiB")

	// A load whose memarg offset is 4 GiB: i64.const 0, i32.load offset=2^32, drop, end.
	code := appendU64([]byte{0x42, 0, 0x28, 2}, 1<<32)
	code = append(code, 0x1A, 0x0B)
	_, _, err = loadable(synthModule{wide: true, pages: 1, code: code}.bytes(), "")
	require.ErrorContains(t, err, "offset 4294967296")

	// A table with 64-bit indices (funcref, table64 flag, 1 entry).
	secs, err := sections(synthModule{wide: true, pages: 1}.bytes())
	require.NoError(t, err)
	withTable := append([]section{}, secs[:2]...)
	withTable = append(withTable, section{secTable, []byte{1, 0x70, 0x04, 1}})
	withTable = append(withTable, secs[2:]...)
	_, _, err = loadable(assemble(withTable), "")
	require.ErrorContains(t, err, "table64")

	// The same load at offset 16 lowers and runs.
	code = appendU64([]byte{0x42, 0, 0x28, 2}, 16)
	code = append(code, 0x1A, 0x0B)
	_, m := instantiateOnHost(t, synthModule{wide: true, pages: 1, code: code}.bytes(), "")
	_, err = m.ExportedFunction("run").Call(context.Background())
	require.NoError(t, err)
}

// TestTakesRuntimeProfile: the bundled module, whose runtime reads the
// Runtime-Profile tag, is told from a module without its setup export.
func TestTakesRuntimeProfile(t *testing.T) {
	ok, err := TakesRuntimeProfile(DefaultModule)
	if err != nil || !ok {
		t.Fatalf("the bundled module: %v, %v; want true", ok, err)
	}
	trap, err := os.ReadFile("testdata/trap.wasm")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := TakesRuntimeProfile(trap); err != nil || ok {
		t.Fatalf("a module without setup: %v, %v; want false", ok, err)
	}
	if _, err := TakesRuntimeProfile([]byte("not wasm")); err == nil {
		t.Fatal("a text that is not wasm was read")
	}
}

// The host's big memcpy copies as emscripten's JavaScript does
// (HEAPU8.copyWithin(dest, src, src + num)): a range that runs past the end
// of memory is cut at the end, not a trap. aos's allocator copies a grown
// block's new size from the old one, and when the old block ends near the
// top of memory that reads past it: on a CU nothing happens, and so
// nothing may happen here (real aos decoding deep JSON met it).
func TestHostMemcpyCopiesAsCopyWithin(t *testing.T) {
	for _, wide := range []bool{false, true} {
		bin := synthModule{imps: aos204Imports, wide: wide, pages: 1}.bytes()
		_, m := instantiateOnHost(t, bin, "")
		ctx := context.WithValue(context.Background(), procKey{}, &process{memoryLimit: 1 << 20, work: new(int64)})
		mem := m.Memory()
		size := uint64(mem.Size())
		require.True(t, mem.Write(uint32(size-4), []byte("abcd")))
		// 16 bytes from 4 before the end: only those 4 are there to copy.
		_, err := callHost(ctx, m, "env", "_emscripten_memcpy_js", 100, size-4, 16)
		require.NoError(t, err, "wide=%v", wide)
		got, _ := mem.Read(100, 8)
		require.Equal(t, "abcd\x00\x00\x00\x00", string(got))
		// A destination near the end takes what fits.
		require.True(t, mem.Write(200, []byte("0123456789")))
		_, err = callHost(ctx, m, "env", "_emscripten_memcpy_js", size-3, 200, 10)
		require.NoError(t, err)
		got, _ = mem.Read(uint32(size-3), 3)
		require.Equal(t, "012", string(got))
		// Past the end on both sides: nothing is copied.
		_, err = callHost(ctx, m, "env", "_emscripten_memcpy_js", size+10, size+20, 5)
		require.NoError(t, err)
	}
}
