package reports_test

import (
	"io"
	"testing"

	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/reports/internal/sample"
)

// BenchmarkWriters measures each format on the sample failing run, the
// case with exchanges to print.
func BenchmarkWriters(b *testing.B) {
	run := sample.Failing()
	for name, write := range reports.Writers {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := write(io.Discard, run); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
