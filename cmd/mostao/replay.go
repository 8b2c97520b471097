package main

import (
	"context"
	"fmt"
	"io"

	"github.com/mostao/conformance/models"
	"github.com/mostao/conformance/reports"
)

// replayCmd replays a failing sequence that the model-based properties
// wrote (models.WriteSequence) against a target, and says where the target
// and the model diverge.
func replayCmd(args []string, stdout, stderr io.Writer) int {
	tf := &targetFlags{}
	fs := newFlagSet("mostao replay", "Usage: mostao replay [flags] FILE\n\nReplays a recorded failing sequence against a target.",
		"0 the target and the model agree; 1 they diverge; 2 the replay could not run.", stderr)
	tf.register(fs)
	fs.Var(&tf.mips, "mip", "the role of a single --target file: 01 domain, 02 profile, 03 session")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "mostao replay: give exactly one sequence file")
		return exitCannotRun
	}
	f, err := openInput(fs.Arg(0), maxSequenceBytes)
	if err != nil {
		printError(stderr, "mostao replay", err)
		return exitCannotRun
	}
	seq, err := models.ReadSequence(f)
	f.Close()
	if err != nil {
		fmt.Fprintf(stderr, "mostao replay: %s: %v\n", fs.Arg(0), err)
		return exitCannotRun
	}
	r, err := tf.resolve()
	if err != nil {
		printError(stderr, "mostao replay", err)
		return exitCannotRun
	}
	failure, err := models.Replay(context.Background(), r.target, seq)
	if err != nil {
		printError(stderr, "mostao replay", err)
		return exitCannotRun
	}
	if failure == nil {
		fmt.Fprintf(stdout, "%s: the target and the model agree on all %d requests\n", reports.Printable(r.impl.Name), len(seq.Steps))
		return exitOK
	}
	failure.Replay = reproducePrefix() + " replay" + quoteArgs(r.args) + " " + quoteArgs([]string{fs.Arg(0)})[1:]
	fmt.Fprint(stdout, reports.PrintableLines(failure.String()))
	if len(failure.Exchanges) > 0 {
		fmt.Fprintln(stdout, "messages:")
		var names []string
		for _, s := range failure.Sequence.Steps {
			names = append(names, s.From, s.To)
		}
		for _, p := range failure.Sequence.Processes {
			names = append(names, p.Owner)
		}
		writeExchanges(stdout, failure.Exchanges, newLabeler(r.target, names), "  ")
	}
	return exitFailed
}
