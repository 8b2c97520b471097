package main

import (
	"fmt"
	"io"
	"os"

	"github.com/mostao/conformance/reports"
)

// diffCmd compares two JSON Lines reports and fails when anything newly
// fails: the regression gate of a CI pipeline.
func diffCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("mostao diff", "Usage: mostao diff [--markdown] OLD.jsonl NEW.jsonl\n\nCompares two runs written with --jsonl (or --report).",
		"0 nothing newly fails; 1 something newly fails; 2 a report could not be read.", stderr)
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
			fmt.Fprintf(stderr, "mostao diff: %v\n", err)
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
		fmt.Fprintf(stderr, "mostao diff: %v\n", err)
		return exitCannotRun
	}
	if d.Regressed() {
		return exitFailed
	}
	return exitOK
}

func readRun(path string) (reports.Run, error) {
	f, err := os.Open(path)
	if err != nil {
		return reports.Run{}, err
	}
	defer f.Close()
	r, err := reports.ReadJSONL(f)
	if err != nil {
		return reports.Run{}, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}
