// Command mostao certifies implementations of the MostAO protocol.
//
//	mostao certify [flags]          certify a target (default: the bundled reference)
//	mostao diff OLD.jsonl NEW.jsonl compare two runs
//	mostao replay FILE              replay a recorded failing sequence
//	mostao bench [flags]            measure the model-based properties' speed
//	mostao mutate [flags]           measure which planted defects the suite catches
//	mostao devnet [flags]           serve a local AO network on loopback
//	mostao version                  print the suite and spec versions
//	mostao help                     show the usage and the exit codes
//
// Exit codes: 0 = every selected MUST passed (or is an expected failure) and
// no expectation is stale; 1 = the implementation failed; 2 = the suite could
// not run (bad flags, a missing, unreadable, irregular or oversized file).
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/mostao/conformance/certify"
	"github.com/mostao/conformance/cmd/mostao/internal/notoolchain"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/spec"
)

// The command's packages are initialised now, godog's among them: give back
// the PATH that notoolchain hid from godog's builder.
func init() { notoolchain.Restore() }

// The exit codes, documented in usage and docs/cli.md.
const (
	exitOK        = 0 // every selected MUST passed
	exitFailed    = 1 // the implementation failed
	exitCannotRun = 2 // the suite could not run
)

func main() {
	gcSetting = tuneGC()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command line, callable in process by tests.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitCannotRun
	}
	switch args[0] {
	case "certify":
		return certifyCmd(args[1:], stdout, stderr)
	case "diff":
		return diffCmd(args[1:], stdout, stderr)
	case "replay":
		return replayCmd(args[1:], stdout, stderr)
	case "bench":
		return benchCmd(args[1:], stdout, stderr)
	case "mutate":
		return mutateCmd(args[1:], stdout, stderr)
	case "devnet":
		return devnetCmd(args[1:], stdout, stderr)
	case "version":
		return versionCmd(stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "mostao: unknown command %q\n\n%s", args[0], usage)
	return exitCannotRun
}

const usage = `mostao: the MostAO conformance suite

Usage:
  mostao certify [flags]            certify a target; with no flags, the bundled
                                    reference processes, every MIP
  mostao diff OLD.jsonl NEW.jsonl   compare two runs (JSON Lines reports)
  mostao replay [target flags] FILE replay a recorded failing sequence
  mostao bench [flags]              how many generated requests per second the
                                    model-based properties run against a target
  mostao mutate [flags]             plant one defect at a time in the Lua
                                    processes and say which the suite catches
  mostao devnet [flags]             a local AO network (legacy MU, SU, CU and
                                    HyperBEAM routes) on loopback, for
                                    --target live:<url> or live:hb+<url>
  mostao version                    the suite and spec versions
  mostao help                       this text

Run "mostao certify -h" for the certify flags.

Exit codes:
  0  every selected MUST requirement passed (or is an expected failure listed
     with --expect) and no expectation is stale; for diff: no regression;
     for mutate: every mutant not listed as equivalent is killed
  1  the implementation failed: a MUST requirement failed, an expected failure
     now passes, or (diff) a regression: something newly fails or is no
     longer tested, a requirement is missing, or the spec differs; (mutate)
     a mutant survived or an equivalent entry is stale
  2  the suite could not run: bad flags, a file that does not exist, is not a
     regular file or is too large, unreadable expectations or reports, a
     report diff cannot compare
`

// versionCmd prints what a report header would say about the suite.
func versionCmd(stdout, stderr io.Writer) int {
	cat, err := spec.Load()
	if err != nil {
		fmt.Fprintf(stderr, "mostao version: %v\n", err)
		return exitCannotRun
	}
	hash, err := spec.Hash()
	if err != nil {
		fmt.Fprintf(stderr, "mostao version: %v\n", err)
		return exitCannotRun
	}
	fmt.Fprintf(stdout, "mostao suite %s, spec %s (sha256 %s), %d requirements\n", certify.SuiteVersion, cat.Version, hash, len(cat.Requirements))
	return exitOK
}

// printError says why a command could not run. The error may quote the
// implementation (a source's compile error, a world error): its control
// characters are shown as escapes.
func printError(stderr io.Writer, command string, err error) {
	fmt.Fprintf(stderr, "%s: %s\n", command, reports.PrintableLines(err.Error()))
}
