package lua

import (
	"context"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// BenchmarkLoop: a handler that runs a million loop iterations (two million
// instructions), which measures the cost of counting every instruction.
func BenchmarkLoop(b *testing.B) {
	w, alice, pid := newTestWorld(b, `Handlers.add("Loop", "Loop", function(msg)
  local n = 0
  for i = 1, 1000000 do n = n + i end
end)`, benchLimits)
	m := adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Loop"}}}
	ctx := context.Background()
	b.ResetTimer()
	defer measureCPU(b)()
	for i := 0; i < b.N; i++ {
		tr, err := w.Send(ctx, m)
		if err != nil || tr.Deliveries[0].Result.Failed() {
			b.Fatal(err, tr.Deliveries[0].Result)
		}
	}
}
