package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mostao/conformance/certify"
	"github.com/mostao/conformance/models"
	"github.com/mostao/conformance/reports"
)

// defaultChecks is the number of generated sequences per MIP a certify run
// makes by default: enough to find the usual defects in seconds; CI may ask
// for more with --checks.
const defaultChecks = 100

// certifyOptions are the parsed flags of "mostao certify".
type certifyOptions struct {
	targetFlags
	scenario string
	checks   int
	steps    int
	seed     int64
	date     string
	expect   string
	quiet    bool
	out      outputs
	// runWorkFactor bounds the run's work (certify.Config.RunWorkFactor).
	runWorkFactor int
	// engines, when set, certifies on each of these engines and compares
	// them (--engines lua,wasm); enginesReport is the JSON file of the
	// comparison.
	engines       string
	enginesReport string
}

func certifyFlags(stderr io.Writer) (*flag.FlagSet, *certifyOptions) {
	o := &certifyOptions{}
	fs := newFlagSet("mostao certify", "Usage: mostao certify [flags]\n\nCertifies a MostAO implementation and prints a verdict per requirement.",
		"0 every selected MUST passed; 1 the implementation failed; 2 the suite could not run.", stderr)
	o.targetFlags.register(fs)
	fs.StringVar(&o.name, "name", "", "the implementation's `name` in reports (default: its file names)")
	fs.Var(&o.mips, "mip", "select a `MIP`, repeatable or a comma list, e.g. --mip 01 (default: the MIPs of the roles given, or all); MIP-00 is always added")
	fs.StringVar(&o.scenario, "scenario", "", "run one scenario: `feature[:line]`, e.g. features/mip01/register.feature:12")
	fs.IntVar(&o.checks, "checks", defaultChecks, "generated sequences per MIP for the model-based properties; 0 skips them")
	fs.IntVar(&o.steps, "steps", 0, "requests per generated sequence (default: the models' default, 50)")
	fs.Int64Var(&o.seed, "seed", 0, fmt.Sprintf("seed of the model-based properties (default: the fixed seed %d)", models.DefaultSeed))
	fs.StringVar(&o.date, "date", "", "the run's date in reports, RFC 3339 (default: now), for reproducible reports")
	fs.StringVar(&o.expect, "expect", "", "`file` of known failures, one \"<requirement ID> <reason>\" per line; a listed requirement that passes fails the run")
	fs.IntVar(&o.runWorkFactor, "run-work-factor", certify.DefaultRunWorkFactor,
		"bound the work of the whole run at this many times what the reference processes spend on the same scenarios and checks; past it the run stops as too slow to certify")
	fs.StringVar(&o.engines, "engines", "", "certify on each of these `engines` (a comma list of target kinds, e.g. lua,wasm) with the same scenarios, properties and seed, "+
		"and report every requirement whose verdict and every reply that differs between them; the Lua sources come from --target lua: or the role flags")
	fs.StringVar(&o.enginesReport, "engines-report", "", "with --engines, write the comparison as JSON to `file`")
	fs.BoolVar(&o.quiet, "quiet", false, "print only the summary; no progress, no table, no failure details")
	o.out.register(fs)
	return fs, o
}

func certifyCmd(args []string, stdout, stderr io.Writer) int {
	fs, o := certifyFlags(stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "mostao certify: unexpected argument %q (targets are given with --target lua:<path>)\n", fs.Arg(0))
		return exitCannotRun
	}
	if o.engines != "" || o.enginesReport != "" {
		return certifyEngines(o, stdout, stderr)
	}
	cfg, err := o.config()
	if err != nil {
		printError(stderr, "mostao certify", err)
		return exitCannotRun
	}
	var prog *progress
	if !o.quiet && isTerminal(os.Stderr) && stderr == io.Writer(os.Stderr) {
		prog = &progress{w: stderr}
		cfg.Progress = prog.update
	}
	run, err := certify.Run(context.Background(), cfg)
	prog.finish()
	if err != nil {
		printError(stderr, "mostao certify", err)
		return exitCannotRun
	}
	// Bound once what the reports and the terminal keep of what the
	// implementation sent; the writers' own bounding then cuts nothing.
	run = reports.Bound(run, reports.DefaultLimits)
	if err := o.out.write(run); err != nil {
		fmt.Fprintf(stderr, "mostao certify: writing reports: %v\n", err)
		return exitCannotRun
	}
	printRun(stdout, run, cfg.Target, o.quiet)
	if run.Summary.OK {
		return exitOK
	}
	return exitFailed
}

// config turns the flags into a certify configuration.
func (o *certifyOptions) config() (certify.Config, error) {
	r, err := o.resolve()
	if err != nil {
		return certify.Config{}, err
	}
	return o.configOf(r)
}

// configOf is the certify configuration of a resolved target and the other
// flags.
func (o *certifyOptions) configOf(r resolved) (certify.Config, error) {
	mips := []string(o.mips)
	if len(mips) == 0 {
		mips = r.mips
	}
	cfg := certify.Config{
		Target:         r.target,
		Implementation: r.impl,
		MIPs:           mips,
		Scenario:       o.scenario,
		Checks:         o.checks,
		Steps:          o.steps,
		Seed:           o.seed,
		Reproduce:      reproducePrefix() + " certify" + quoteArgs(r.args),
		RunWorkFactor:  o.runWorkFactor,
	}
	if o.checks < 0 || o.steps < 0 {
		return cfg, fmt.Errorf("--checks %d --steps %d: counts cannot be negative", o.checks, o.steps)
	}
	if o.runWorkFactor < 1 || o.runWorkFactor > certify.MaxRunWorkFactor {
		return cfg, fmt.Errorf("--run-work-factor %d: give 1 to %d", o.runWorkFactor, certify.MaxRunWorkFactor)
	}
	if o.runWorkFactor != certify.DefaultRunWorkFactor {
		cfg.Reproduce += fmt.Sprintf(" --run-work-factor %d", o.runWorkFactor)
	}
	if o.date != "" {
		d, err := time.Parse(time.RFC3339, o.date)
		if err != nil {
			return cfg, fmt.Errorf("--date %q: want RFC 3339, e.g. 2026-01-02T15:04:05Z", o.date)
		}
		cfg.Date = d
	}
	if o.expect != "" {
		exp, err := readExpectations(o.expect)
		if err != nil {
			return cfg, err
		}
		cfg.Expected = exp
	}
	return cfg, nil
}

// reproducePrefix is how a reader runs this command again: through the Go
// tool inside the suite's own repository, else the installed binary.
func reproducePrefix() string {
	if _, err := os.Stat("cmd/mostao/main.go"); err == nil {
		return "go run ./cmd/mostao"
	}
	return "mostao"
}

func quoteArgs(args []string) string {
	var b strings.Builder
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(certify.ShellQuote(a))
	}
	return b.String()
}

// isTerminal reports whether f is a terminal (a character device), where a
// live progress line helps instead of cluttering a log.
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// progress draws one live line on a terminal: the count and the scenario
// that runs now.
type progress struct {
	w     io.Writer
	drawn bool
}

func (p *progress) update(pr certify.Progress) {
	line := pr.Next
	if pr.Total > 0 {
		line = strings.TrimSpace(fmt.Sprintf("[%d/%d] %s", pr.Done, pr.Total, pr.Next))
	}
	if len(line) > 100 {
		line = line[:97] + "..."
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	p.drawn = true
}

func (p *progress) finish() {
	if p != nil && p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
