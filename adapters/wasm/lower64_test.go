package wasm

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/mostao/conformance/adapters"
)

// TestLoweredMemory64MatchesNode runs testdata/memory64.calls on the
// lowered testdata/memory64.wasm and compares every result (or trap) with
// what Node's own memory64 gave for the original module
// (testdata/memory64.expected, written by testdata/memory64.sh): loads and
// stores of every width with offsets, memory.size and memory.grow (-1 past
// the maximum and for a delta of 2^32 pages), memory.copy and memory.fill,
// SIMD loads, splats, lane loads and stores, and addresses at and past
// 4 GiB, which must trap rather than wrap onto low memory.
func TestLoweredMemory64MatchesNode(t *testing.T) {
	bin, err := os.ReadFile("testdata/memory64.wasm")
	require.NoError(t, err)
	expected, err := os.ReadFile("testdata/memory64.expected")
	require.NoError(t, err)
	calls, err := os.ReadFile("testdata/memory64.calls")
	require.NoError(t, err)
	f, m := instantiateOnHost(t, bin, "")
	require.True(t, f.Memory64)
	ctx := context.Background()
	var got []string
	for _, line := range strings.Split(string(calls), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		fn := m.ExportedFunction(fields[0])
		require.NotNil(t, fn, fields[0])
		var args []uint64
		for _, a := range fields[1:] {
			typ, v, _ := strings.Cut(a, ":")
			switch typ {
			case "i64":
				n, err := strconv.ParseInt(v, 10, 64)
				require.NoError(t, err, a)
				args = append(args, uint64(n))
			case "f64":
				x, err := strconv.ParseFloat(v, 64)
				require.NoError(t, err, a)
				args = append(args, api.EncodeF64(x))
			default:
				t.Fatalf("argument type %q", typ)
			}
		}
		out := "trap"
		r, err := fn.Call(ctx, args...)
		if err == nil {
			out = ""
			if rt := fn.Definition().ResultTypes(); len(rt) == 1 {
				switch rt[0] {
				case api.ValueTypeI64:
					out = strconv.FormatInt(int64(r[0]), 10)
				case api.ValueTypeI32:
					out = strconv.FormatInt(int64(int32(r[0])), 10)
				case api.ValueTypeF64:
					out = strconv.FormatFloat(api.DecodeF64(r[0]), 'g', -1, 64)
				}
			}
		}
		got = append(got, line+" => "+out)
	}
	require.Equal(t, strings.TrimSpace(string(expected)), strings.Join(got, "\n"))
}

// TestWasm64HandleABI runs the lowered memory64 module as a process: the
// engine detects wasm64, mallocs the message and env with i64 pointers,
// calls handle(i64, i64) -> i64 and reads the envelope, whose Output is
// the byte lengths the module measured of the two strings.
func TestWasm64HandleABI(t *testing.T) {
	bin, err := os.ReadFile("testdata/memory64.wasm")
	require.NoError(t, err)
	w, err := New(Options{Binary: bin, Modules: map[string]Module{testModuleID: {Name: "none"}}})
	require.NoError(t, err)
	defer w.Close()
	alice, _ := w.Wallet("alice")
	pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
	require.NoError(t, err)
	tr := send(t, w, alice, pid, "Ping", "some data")
	require.Len(t, tr.Deliveries, 1)
	d := tr.Deliveries[0]
	require.False(t, d.Result.Failed(), d.Result.Error)
	match := regexp.MustCompile(`^(\d+)/(\d+)$`).FindStringSubmatch(d.Result.Output)
	require.NotNil(t, match, "output %q", d.Result.Output)
	p := w.Process(pid)
	require.Equal(t, "wasm64-unknown-emscripten-draft_2024_02_15", p.eng.format.Name)
	msg, env := p.wire(delivery{msg: d.Message, nonce: 1})
	require.Equal(t, fmt.Sprintf("%d/%d", len(msg), len(env)), d.Result.Output)
	require.Contains(t, string(env), `"Module-Format","value":"wasm64-unknown-emscripten-draft_2024_02_15"`)
}

// lowered instantiates testdata/<name>.wasm as the engine loads it
// (lowered when memory64), with no imports.
func lowered(tb testing.TB, name string) api.Module {
	bin, err := os.ReadFile("testdata/" + name + ".wasm")
	require.NoError(tb, err)
	_, low, err := loadable(bin, "")
	require.NoError(tb, err)
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	tb.Cleanup(func() { r.Close(ctx) })
	m, err := r.Instantiate(ctx, low)
	require.NoError(tb, err)
	return m
}

// BenchmarkLoweredLoads measures what lowering costs: the same loop of a
// load and a store per iteration on a 32-bit memory and on a lowered
// memory64 one (each address checked against 4 GiB), 1,000,000 iterations
// per op.
func BenchmarkLoweredLoads(b *testing.B) {
	for _, name := range []string{"loads32", "loads64"} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			sum := lowered(b, name).ExportedFunction("sum")
			var want uint64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				res, err := sum.Call(ctx, 1_000_000)
				if err != nil {
					b.Fatal(err)
				}
				if i == 0 {
					want = res[0]
				} else if res[0] != want {
					b.Fatalf("sum %d, then %d", want, res[0])
				}
			}
		})
	}
}

// TestLoweredLoadsAgree: the two modules of BenchmarkLoweredLoads compute
// the same sum, so the benchmark compares the same work.
func TestLoweredLoadsAgree(t *testing.T) {
	var sums []uint64
	for _, name := range []string{"loads32", "loads64"} {
		res, err := lowered(t, name).ExportedFunction("sum").Call(context.Background(), 100_000)
		require.NoError(t, err)
		sums = append(sums, res[0])
	}
	require.NotZero(t, sums[0])
	require.Equal(t, sums[0], sums[1])
}
