package certify

import (
	"context"
	"testing"

	"github.com/mostao/conformance/internal/cputime"
	"github.com/mostao/conformance/targets"
)

// BenchmarkCertification: the default certification of the reference
// processes (every scenario, then 100 sequences per property), as `mostao
// certify` runs it. It reports the process's CPU seconds per certification
// beside the wall time: the properties' shards use every core, and on a
// shared machine CPU time is the steadier figure. `mostao certify` sets
// GOGC=400; run the benchmark with GOGC=400 to measure the same thing.
func BenchmarkCertification(b *testing.B) {
	for _, c := range []struct {
		name   string
		checks int
	}{{"default", 100}, {"scenarios", 0}} {
		b.Run(c.name, func(b *testing.B) {
			start, ok := cputime.Used()
			for i := 0; i < b.N; i++ {
				run, err := Run(context.Background(), Config{Target: targets.Reference(), Checks: c.checks, Date: fixedDate})
				if err != nil {
					b.Fatal(err)
				}
				if !run.Summary.OK || run.Header.Stopped != "" {
					b.Fatalf("the reference did not pass: %s %s", run.Header.Stopped, firstErrors(run, 3))
				}
			}
			if end, _ := cputime.Used(); ok {
				b.ReportMetric((end-start).Seconds()/float64(b.N), "cpu-s/op")
			}
		})
	}
}
