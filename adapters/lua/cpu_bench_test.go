package lua

import (
	"testing"

	"github.com/mostao/conformance/internal/cputime"
)

// measureCPU starts a CPU clock; the returned function reports CPU ns/op.
// Call it after b.ResetTimer and defer the result. On a machine shared with
// other work, CPU time per operation is a steadier figure than wall time.
func measureCPU(b *testing.B) func() {
	start, ok := cputime.Used()
	return func() {
		end, _ := cputime.Used()
		if ok && b.N > 0 {
			b.ReportMetric(float64((end-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}
