package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/certify"
	"github.com/mostao/conformance/internal/cputime"
	"github.com/mostao/conformance/models"
)

// gcPercentDefault is the garbage collector's target the command sets when
// GOGC is not in the environment. The engine allocates fast (gopher-lua
// makes a Go map for every Lua table with string keys) and keeps little, so
// with Go's default of 100 the collector runs after every few megabytes and
// costs about a fifth of the CPU. Letting the heap grow to five times its
// live size between collections (a few tens of megabytes) buys a fifth to a
// quarter more requests per second on the domain property.
const gcPercentDefault = 400

// memLimitDefault is the soft memory limit the command sets with
// gcPercentDefault, unless GOMEMLIMIT is in the environment. GOGC=400 alone
// lets the heap grow to five times its live size, so an implementation that
// keeps 500 MB alive (the engine allows a process up to 512 MiB of state)
// would take the command to 2.5 GB, three times what Go's default gives.
// With a soft limit the collector keeps the fast pace of GOGC=400 while the
// heap is small, as in every ordinary run (tens of megabytes), and collects
// as often as needed to stay near the limit when it is not; past the limit
// Go caps the collector's share of the CPU, so a large live heap slows the
// run instead of stopping it.
const memLimitDefault = 1 << 30

// tuneGC applies gcPercentDefault and memLimitDefault unless the user chose
// GOGC or GOMEMLIMIT, and returns the setting in force, for the bench
// header.
func tuneGC() string {
	setting := "GOGC=" + os.Getenv("GOGC") + " (from the environment)"
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercentDefault)
		setting = fmt.Sprintf("GOGC=%d (the command's default; set GOGC to change it)", gcPercentDefault)
	}
	if v := os.Getenv("GOMEMLIMIT"); v != "" {
		return setting + ", GOMEMLIMIT=" + v + " (from the environment)"
	}
	debug.SetMemoryLimit(memLimitDefault)
	return setting + fmt.Sprintf(", GOMEMLIMIT=%dMiB (the command's default)", memLimitDefault>>20)
}

// gcSetting describes the collector's setting; main replaces it when it
// tunes the collector.
var gcSetting = "GOGC as the Go runtime has it"

// benchCmd measures the model-based properties against a target: how many
// generated requests (state checks included) go through the target and the
// model per second of wall time, on every core, and per CPU-second, which
// is what one core does.
func benchCmd(args []string, stdout, stderr io.Writer) int {
	tf := &targetFlags{}
	fs := newFlagSet("mostao bench", "Usage: mostao bench [flags]\n\nMeasures how fast the model-based properties run against a target.",
		"0 measured; 1 a property failed, or the rate is below --min-rate; 2 the bench could not run.", stderr)
	tf.register(fs)
	fs.Var(&tf.mips, "mip", "select a `MIP`, repeatable or a comma list (default: the MIPs of the roles given, or 01, 02 and 03)")
	checks := fs.Int("checks", 200, "generated sequences per property")
	steps := fs.Int("steps", 0, "requests per generated sequence (default: the models' default, 50)")
	seed := fs.Uint64("seed", 0, fmt.Sprintf("seed of the properties (default: the fixed seed %d)", models.DefaultSeed))
	minRate := fs.Float64("min-rate", 0, "exit 1 when the overall rate is below this many requests per second (a CI gate)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "mostao bench: unexpected argument %q\n", fs.Arg(0))
		return exitCannotRun
	}
	if *checks <= 0 || *steps < 0 {
		fmt.Fprintf(stderr, "mostao bench: --checks %d --steps %d: give at least one sequence\n", *checks, *steps)
		return exitCannotRun
	}
	r, err := tf.resolve()
	if err != nil {
		printError(stderr, "mostao bench", err)
		return exitCannotRun
	}
	mips := []string(tf.mips)
	if len(mips) == 0 {
		mips = r.mips
	}
	if len(mips) == 0 {
		mips = []string{"01", "02", "03"} // the reference has every role
	}
	cfg := models.Config{Checks: *checks, Steps: *steps, Seed: *seed}

	fmt.Fprintf(stdout, "mostao bench: %s on %s, %d cores, %s\n\n", r.impl.Name, r.target.Engine.Name, runtime.GOMAXPROCS(0), gcSetting)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "MIP\tproperty\tsequences\trequests\tseconds\trequests/s\tper CPU-s\t")
	var total struct {
		steps   int
		elapsed time.Duration
		cpu     time.Duration
	}
	cpuKnown, ran := true, 0
	var failures []string
	for _, mip := range mips {
		cpu0, ok0 := cputime.Used()
		start := time.Now()
		// The bounds of a certification: a slow target is stopped, not
		// measured for hours.
		cfg.SearchWork, cfg.ShrinkWork = certify.PropertyWork(r.target.Engine, mip, *steps)
		out, err := models.Check(context.Background(), r.target, mip, cfg)
		if errors.Is(err, adapters.ErrRunWork) {
			tw.Flush()
			fmt.Fprintf(stderr, "mostao bench: MIP-%s: the target spent the work a certification allows its properties: too slow to measure (see mostao certify)\n", mip)
			return exitFailed
		}
		if errors.Is(err, models.ErrNoProperties) {
			if mip == "00" {
				continue // MIP-00 is checked inside the others
			}
			tw.Flush()
			fmt.Fprintf(stderr, "mostao bench: MIP-%s has no model-based property (MIP-01, MIP-02 and MIP-03 have)\n", mip)
			return exitCannotRun
		}
		if err != nil {
			tw.Flush()
			printError(stderr, "mostao bench", err)
			return exitCannotRun
		}
		elapsed := time.Since(start)
		cpu1, ok1 := cputime.Used()
		cpuKnown = cpuKnown && ok0 && ok1
		n := 0
		for _, o := range out {
			if o.Untested() {
				// A rate of nothing measures nothing, and exit 0 would read
				// as a measured, passing target.
				tw.Flush()
				fmt.Fprintf(stderr, "mostao bench: MIP-%s %s ran no sequence of the %d asked for\n", mip, o.Property, *checks)
				return exitCannotRun
			}
			ran++
			n += o.Steps
			fmt.Fprintf(tw, "MIP-%s\t%s\t%d\t%d\t\t\t\t\n", mip, o.Property, o.Sequences, o.Steps)
			if o.Failure != nil {
				failures = append(failures, fmt.Sprintf("MIP-%s %s failed (seed %d); to see why: %s certify%s --mip %s --seed %d --checks 1",
					mip, o.Property, o.Failure.Seed, reproducePrefix(), quoteArgs(r.args), mip, o.Failure.Seed))
			}
		}
		fmt.Fprintf(tw, "MIP-%s\t\t\t%d\t%.2f\t%.0f\t%s\t\n", mip, n, elapsed.Seconds(), float64(n)/elapsed.Seconds(), perCPU(n, cpu1-cpu0, ok0 && ok1))
		total.steps += n
		total.elapsed += elapsed
		total.cpu += cpu1 - cpu0
	}
	if ran == 0 {
		tw.Flush()
		fmt.Fprintln(stderr, "mostao bench: the selected MIPs have no model-based property")
		return exitCannotRun
	}
	rate := 0.0
	if total.elapsed > 0 {
		rate = float64(total.steps) / total.elapsed.Seconds()
	}
	fmt.Fprintf(tw, "total\t\t\t%d\t%.2f\t%.0f\t%s\t\n", total.steps, total.elapsed.Seconds(), rate, perCPU(total.steps, total.cpu, cpuKnown))
	tw.Flush()
	switch {
	case len(failures) > 0:
		fmt.Fprintf(stdout, "\n%s\nthe figures are of a failing run: a property stops at its first failure\n", strings.Join(failures, "\n"))
		return exitFailed
	case *minRate > 0 && rate < *minRate:
		fmt.Fprintf(stdout, "\n%.0f requests/s is below --min-rate %.0f\n", rate, *minRate)
		return exitFailed
	}
	return exitOK
}

// perCPU formats a rate per CPU-second, or "-" when the CPU time is unknown.
func perCPU(n int, cpu time.Duration, known bool) string {
	if !known || cpu <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", float64(n)/cpu.Seconds())
}
