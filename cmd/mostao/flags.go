package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// newFlagSet makes the flag set of one command. Its help (-h) prints the
// usage line and the description, the flags, then the command's exit codes.
func newFlagSet(name, usage, exitCodes string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n\nFlags:\n", usage)
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\nExit codes: %s\n", exitCodes)
	}
	return fs
}

// parseFlags parses a command's arguments. When the command must stop here
// it returns false and the exit code: 0 after -h, 2 for bad flags (the flag
// package has already said what was wrong).
func parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitCannotRun, false
	}
	return exitOK, true
}
