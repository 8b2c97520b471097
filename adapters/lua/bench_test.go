package lua

import (
	"context"
	"fmt"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// benchLimits lift the world's totals: a benchmark sends and spawns far more
// than a certification's world does.
var benchLimits = withLimits(Limits{MaxWorldWork: 1 << 62, MaxMessagesPerWorld: 1 << 40, MaxSpawnsPerWorld: 1 << 40})

// BenchmarkSendTrivial: one wallet message to a process whose handler does
// nothing but match.
func BenchmarkSendTrivial(b *testing.B) {
	w, alice, pid := newTestWorld(b, `Handlers.add("Noop", "Noop", function(msg) end)`, benchLimits)
	m := adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Noop"}}}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	defer measureCPU(b)()
	for i := 0; i < b.N; i++ {
		if _, err := w.Send(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSendJSON: a message whose handler decodes JSON Data and replies
// with encoded JSON.
func BenchmarkSendJSON(b *testing.B) {
	w, alice, pid := newTestWorld(b, `
local json = require("json")
Handlers.add("Echo", "Echo", function(msg)
  local v = json.decode(msg.Data)
  v.seen = true
  msg.reply({ Data = json.encode(v) })
end)`, benchLimits)
	m := adapters.Message{From: alice, Target: pid, Data: `{"name":"alice","tags":["a","b","c"],"n":42,"nested":{"x":1.5}}`,
		Tags: adapters.Tags{{Name: "Action", Value: "Echo"}}}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	defer measureCPU(b)()
	for i := 0; i < b.N; i++ {
		if _, err := w.Send(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDryRun: a read-only query on a process holding n table entries
// (a registry of name -> owner strings).
func BenchmarkDryRun(b *testing.B) {
	benchDryRun(b, `Store["key" .. i] = "o" .. i`)
}

// BenchmarkDryRunRecords: the same with n records, each a table of its own
// (n tables, 2n entries): the snapshot restore walks every table.
func BenchmarkDryRunRecords(b *testing.B) {
	benchDryRun(b, `Store["key" .. i] = { owner = "o" .. i }`)
}

func benchDryRun(b *testing.B, fill string) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			w, _, pid := newTestWorld(b, fmt.Sprintf(`
Store = {}
for i = 1, %d do %s end
Handlers.add("Get", "Get", function(msg)
  local v = Store[msg.Data]
  if type(v) == "table" then v = v.owner end
  msg.reply({ Data = v or "" })
end)`, n, fill), benchLimits)
			m := adapters.Message{From: "reader", Target: pid, Data: "key7", Tags: adapters.Tags{{Name: "Action", Value: "Get"}}}
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			defer measureCPU(b)()
			for i := 0; i < b.N; i++ {
				res, err := w.DryRun(ctx, m)
				if err != nil || len(res.Messages) != 1 || res.Messages[0].Data != "o7" {
					b.Fatal(err, res)
				}
			}
		})
	}
}

// BenchmarkSpawn: spawning a process (runtime load, module load, spawn message).
func BenchmarkSpawn(b *testing.B) {
	w, alice, _ := newTestWorld(b, `Handlers.add("Noop", "Noop", function(msg) end)`, benchLimits)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	defer measureCPU(b)()
	for i := 0; i < b.N; i++ {
		if _, err := w.Spawn(ctx, adapters.SpawnRequest{Module: testModuleID, From: alice}); err != nil {
			b.Fatal(err)
		}
	}
}
