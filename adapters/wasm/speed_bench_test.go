package wasm

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet"
	"github.com/mostao/conformance/internal/cputime"
	"github.com/mostao/conformance/processes"
)

// BenchmarkCompileCold compiles the module with nothing cached: a new, empty
// cache directory each time (the first run on a machine).
func BenchmarkCompileCold(b *testing.B) {
	for i := 0; i < b.N; i++ {
		compileIn(b, b.TempDir())
	}
}

// compileIn compiles the bundled module as a new run of mostao does: a new
// cache on dir, a new runtime; both closed afterwards.
func compileIn(b *testing.B, dir string) {
	ctx := context.Background()
	cache, _ := newCache(dir)
	r, _, err := compileModule(ctx, cache, DefaultModule)
	if err != nil {
		b.Fatal(err)
	}
	_ = r.Close(ctx)
	_ = cache.Close(ctx)
}

// BenchmarkCompileCached compiles the module with a cache directory that
// already holds it (every later run): a new cache and runtime each time, as
// in a new Go process.
func BenchmarkCompileCached(b *testing.B) {
	dir := b.TempDir()
	compileIn(b, dir)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		compileIn(b, dir)
	}
}

// BenchmarkBoot is the boot of the compiled module (constructors, main:
// Lua and the runtime loaded), once per binary and Go process.
func BenchmarkBoot(b *testing.B) {
	eng, err := engineFor(DefaultModule)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := &engine{runtime: eng.runtime, compiled: eng.compiled, setup: eng.setup}
		if err := bootEngine(context.Background(), e); err != nil {
			b.Fatal(err)
		}
	}
}

// domainMessages are a Register and a QueryDomain for the domain process
// pid, as the world delivers them (ids, tags, clock), and the process.
func domainMessages(b testing.TB, w *World, alice, pid string) (*process, map[string]delivery) {
	b.Helper()
	p := w.Process(pid)
	msg := func(id, action, data string) delivery {
		return delivery{nonce: 1, msg: adapters.Message{ID: adapters.DeterministicID("bench/" + id), From: alice, Owner: alice,
			Target: pid, Data: data, Timestamp: DefaultClock + 1000, BlockHeight: BlockHeight,
			Tags: aonet.WithProtocolTags(adapters.Tags{{Name: "Action", Value: action}}, "Message")}}
	}
	return p, map[string]delivery{
		"Register":    msg("register", "Register", `{"name":"alice","pid":"`+pid+`"}`),
		"QueryDomain": msg("query", "QueryDomain", "alice"),
	}
}

// BenchmarkHandle is one message through the module as a loader runs it,
// without the world around it: the message and env as JSON, handle, the
// envelope parsed. No snapshot, no routing: the work that the Node.js
// comparison (scripts/bench-node.sh) measures on the same module.
func BenchmarkHandle(b *testing.B) {
	for _, action := range []string{"Register", "QueryDomain"} {
		b.Run(action, func(b *testing.B) {
			w, alice, pid := domainWorld(b)
			p, msgs := domainMessages(b, w, alice, pid)
			d := msgs[action]
			ctx := context.Background()
			b.ResetTimer()
			start := time.Now()
			cpu0, _ := cputime.Used()
			for i := 0; i < b.N; i++ {
				res, _, err := p.execute(ctx, d, w.limits)
				if err != nil || res.Failed() || len(res.Messages) != 1 {
					b.Fatalf("%v %+v", err, res)
				}
			}
			reportRates(b, start, cpu0)
		})
	}
}

// BenchmarkMessagesPerSecond is Register sends through the world (snapshot
// before each message, routing, the reply delivered to the wallet), as
// messages per second.
func BenchmarkMessagesPerSecond(b *testing.B) {
	w, alice, pid := domainWorld(b)
	b.ResetTimer()
	start := time.Now()
	cpu0, _ := cputime.Used()
	for i := 0; i < b.N; i++ {
		_, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid,
			Data: `{"name":"alice","pid":"` + pid + `"}`, Tags: adapters.Tags{{Name: "Action", Value: "Register"}}})
		if err != nil {
			b.Fatal(err)
		}
	}
	reportRates(b, start, cpu0)
}

// reportRates reports messages per second of wall time and the CPU time
// per message (all threads): on a machine shared with other work, the CPU
// time is the steadier figure, and the one to compare with Node.js.
func reportRates(b *testing.B, start time.Time, cpu0 time.Duration) {
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
	if cpu, ok := cputime.Used(); ok {
		b.ReportMetric(float64(cpu-cpu0)/float64(b.N)/1e3, "cpu-µs/op")
	}
}

// BenchmarkDryRun10k is a QueryDomain dryrun on a domain process holding
// 10,000 names (filled through one Eval, as 10,000 Registers would leave
// the registry).
func BenchmarkDryRun10k(b *testing.B) {
	w, alice, pid := domainWorld(b)
	fill := `for i = 1, 10000 do Domains["name-" .. i] = { owner = "` + alice + `", pid = "` + pid + `" } end
		local n = 0 for _ in pairs(Domains) do n = n + 1 end return n`
	tr, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Data: fill,
		Tags: adapters.Tags{{Name: "Action", Value: "Eval"}}})
	if err != nil || tr.Deliveries[0].Result.Output != "10000" {
		b.Fatalf("filling the registry: %v %+v", err, tr.Deliveries)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := w.DryRun(context.Background(), adapters.Message{Target: pid, Data: "name-" + strconv.Itoa(i%10000+1),
			Tags: adapters.Tags{{Name: "Action", Value: "QueryDomain"}}})
		if err != nil || res.Failed() {
			b.Fatal(err, res.Error)
		}
	}
	// After the loop: ResetTimer drops the metrics reported before it.
	b.ReportMetric(float64(w.Process(pid).inst.Memory().Size())/(1<<20), "MiB-memory")
}

// TestWriteNodeWorkload writes the messages of BenchmarkHandle, byte for
// byte, for scripts/bench-node.mjs (the file MOSTAO_NODE_WORKLOAD names):
// the process's setup, its spawn message and the Register and QueryDomain
// with their env.
func TestWriteNodeWorkload(t *testing.T) {
	path := os.Getenv("MOSTAO_NODE_WORKLOAD")
	if path == "" {
		t.Skip("writes the Node.js workload only when MOSTAO_NODE_WORKLOAD names a file (scripts/bench-node.sh sets it)")
	}
	w, err := New(Options{Modules: map[string]Module{domainModule: {Name: "domain.lua", Source: processes.Domain}}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	alice, _ := w.Wallet("alice")
	pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: domainModule, From: alice})
	if err != nil {
		t.Fatal(err)
	}
	p, msgs := domainMessages(t, w, alice, pid)
	type call struct{ Msg, Env string }
	wire := func(d delivery) call {
		m, e := p.wire(d)
		return call{string(m), string(e)}
	}
	out := map[string]any{
		"setup":       map[string]string{"name": "domain.lua", "source": processes.Domain},
		"spawn":       wire(delivery{msg: p.spawn, nonce: 0}),
		"Register":    wire(msgs["Register"]),
		"QueryDomain": wire(msgs["QueryDomain"]),
		"maxWork":     w.limits.MaxWork,
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
