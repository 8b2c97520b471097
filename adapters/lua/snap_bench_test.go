package lua

import (
	"fmt"
	"testing"
)

// BenchmarkSnapshot: taking and restoring the snapshot of a fresh process
// (records=0), and of one holding the domain workload's 256 records (256
// tables of three entries, the state BenchmarkDomainEngine checkpoints).
func BenchmarkSnapshot(b *testing.B) {
	for _, n := range []int{0, domainNames} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) { benchSnapshot(b, n) })
	}
}

func benchSnapshot(b *testing.B, records int) {
	w, _, pid := newTestWorld(b, fmt.Sprintf(`Names = {}
for i = 1, %d do Names["name-" .. i .. ".ao"] = { owner = "o" .. i, target = "t" .. i, at = i } end
Handlers.add("Noop", "Noop", function(msg) end)`, records), benchLimits)
	p := w.Process(pid)
	b.Run("take", func(b *testing.B) {
		b.ReportAllocs()
		defer measureCPU(b)()
		for i := 0; i < b.N; i++ {
			// As a checkpoint does: the snapshot replaced lends its
			// storage to the next.
			p.walker.recycle(p.takeSnapshot())
		}
	})
	b.Run("restore", func(b *testing.B) {
		s := p.takeSnapshot()
		b.ReportAllocs()
		defer measureCPU(b)()
		for i := 0; i < b.N; i++ {
			s.restore()
		}
	})
}
