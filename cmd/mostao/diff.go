package main

import (
	"fmt"
	"io"

	"github.com/mostao/conformance/reports"
)

// diffCmd compares two JSON Lines reports and fails when anything newly
// fails: the regression gate of a CI pipeline.
func diffCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("mostao diff", "Usage: mostao diff [--markdown] OLD.jsonl NEW.jsonl\n\nCompares two runs written with --jsonl (or --report).",
		"0 no regression; 1 a regression: something newly fails or is no longer tested, a requirement is missing, or the spec differs; 2 a report could not be read or holds a verdict or id this version does not know.", stderr)
	markdown := fs.Bool("markdown", false, "write the diff as Markdown (for a pull-request comment)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(stderr, "mostao diff: give two reports: OLD.jsonl NEW.jsonl")
		return exitCannotRun
	}
	var runs [2]reports.Run
	for i, p := range fs.Args() {
		r, err := readRun(p)
		if err != nil {
			printError(stderr, "mostao diff", err)
			return exitCannotRun
		}
		runs[i] = r
	}
	d := reports.Diff(runs[0], runs[1])
	write := reports.WriteDiffText
	if *markdown {
		write = reports.WriteDiffMarkdown
	}
	if err := write(stdout, d); err != nil {
		printError(stderr, "mostao diff", err)
		return exitCannotRun
	}
	if d.Regressed() {
		return exitFailed
	}
	return exitOK
}

// readRun reads a report for diff and checks that it can be compared: a
// verdict or an id this version does not know is an error, never a silent
// "no regression".
func readRun(path string) (reports.Run, error) {
	f, err := openInput(path, maxReportBytes)
	if err != nil {
		return reports.Run{}, err
	}
	defer f.Close()
	r, err := reports.ReadJSONL(f)
	if err == nil {
		err = reports.Validate(r)
	}
	if err != nil {
		return reports.Run{}, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}
