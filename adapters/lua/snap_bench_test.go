package lua

import "testing"

// BenchmarkSnapshot: taking and restoring the snapshot of a fresh process.
func BenchmarkSnapshot(b *testing.B) {
	w, _, pid := newTestWorld(b, `Handlers.add("Noop", "Noop", function(msg) end)`, benchLimits)
	p := w.processes[pid]
	b.Run("take", func(b *testing.B) {
		b.ReportAllocs()
		defer measureCPU(b)()
		for i := 0; i < b.N; i++ {
			p.takeSnapshot()
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
