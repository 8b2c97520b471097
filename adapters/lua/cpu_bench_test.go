package lua

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the CPU time the test process has used so far (user plus
// system, all threads). On a machine shared with other work, CPU time per
// operation is a steadier figure than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measureCPU starts a CPU clock; the returned function reports CPU ns/op.
// Call it after b.ResetTimer and defer the result.
func measureCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}
