package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/mostao/conformance/certify"
	"github.com/mostao/conformance/mutate"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/roles"
	"github.com/mostao/conformance/targets"
)

// mutateOptions are the parsed flags of "mostao mutate".
type mutateOptions struct {
	targetFlags
	role       string
	limit      int
	checks     int
	workers    int
	equivalent string
	diffs      bool
}

func mutateFlags(stderr io.Writer) (*flag.FlagSet, *mutateOptions) {
	o := &mutateOptions{}
	fs := newFlagSet("mostao mutate", "Usage: mostao mutate [flags]\n\nPlants one defect at a time in a Lua process (a mutant) and certifies each mutant:\na mutant the suite passes shows a gap in the suite.",
		"0 every mutant not listed as equivalent is killed (or stopped by the work bounds) and no listed one is killed; 1 a mutant survived or an equivalent entry is stale; 2 the suite could not run.", stderr)
	o.targetFlags.register(fs)
	fs.StringVar(&o.role, "role", "", "mutate only this `role`'s source: "+strings.Join(roles.Names(), ", ")+" (default: every role supplied, or every reference process)")
	fs.IntVar(&o.limit, "limit", 0, "mutate at most the first `N` mutants of each source (0: all)")
	fs.IntVar(&o.checks, "checks", 0, "generated sequences per MIP for the model-based properties on each mutant; 0 runs the scenarios only")
	fs.IntVar(&o.workers, "parallel", 0, "mutants certified at once (default: GOMAXPROCS)")
	fs.StringVar(&o.equivalent, "equivalent", "", "`file` of reviewed equivalent mutants, \"<mutant ID> <reason>\" a line (default: the suite's list for the reference processes)")
	fs.BoolVar(&o.diffs, "diffs", false, "print the diff of every mutant, not only of those that survive or are stale")
	return fs, o
}

// mutateDate is the date of every mutant's run: the runs are compared, not
// published.
var mutateDate = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func mutateCmd(args []string, stdout, stderr io.Writer) int {
	fs, o := mutateFlags(stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	fail := func(err error) int {
		printError(stderr, "mostao mutate", err)
		return exitCannotRun
	}
	if fs.NArg() > 0 {
		return fail(fmt.Errorf("unexpected argument %q (targets are given with --target lua:<path>)", fs.Arg(0)))
	}
	if o.target != "" && o.target != "reference" && !strings.HasPrefix(o.target, "lua:") {
		// Each mutant is a Lua source certified on the Lua engine: a
		// module or a network given here would be silently left out.
		return fail(fmt.Errorf("--target %s: mutants run on the Lua engine only; give the sources with --target lua:<file or dir> or the role flags", o.target))
	}
	if o.limit < 0 || o.checks < 0 || o.workers < 0 {
		return fail(fmt.Errorf("--limit %d --checks %d --parallel %d: counts cannot be negative", o.limit, o.checks, o.workers))
	}
	if mip := roles.MIPOf(o.role); mip != "" {
		// A --target file not named after its role takes the role of --role.
		o.mips = mipList{mip}
	}
	r, err := o.resolve()
	if err != nil {
		return fail(err)
	}
	mutated, err := o.roles(r)
	if err != nil {
		return fail(err)
	}
	equivalent := map[string]string{}
	switch {
	case o.equivalent != "":
		raw, err := readInput(o.equivalent, maxExpectBytes)
		if err != nil {
			return fail(fmt.Errorf("--equivalent: %w", err))
		}
		if equivalent, err = mutate.ParseEquivalents(string(raw)); err != nil {
			return fail(err)
		}
	case len(r.sources) == 0:
		if equivalent, err = mutate.Equivalents(); err != nil {
			return fail(err)
		}
	}

	ctx := context.Background()
	// certifyLoaded certifies src in role, its code loaded with the spawn
	// message or, with boot, by aos's boot loader (mutate.BothLoadings).
	certifyLoaded := func(role, src, name string, boot bool) (reports.Run, error) {
		sources := targets.Sources{}
		for k, v := range r.sources {
			sources[k] = v
		}
		sources[role] = src
		opts := r.opts
		opts.BootFromWeave = boot
		return certify.Run(ctx, certify.Config{
			Target:         targets.LuaWith(name, sources, opts),
			Implementation: reports.Implementation{Name: name, Target: name},
			MIPs:           []string{roles.MIPOf(role)},
			Checks:         o.checks,
			Date:           mutateDate,
		})
	}
	var all []mutate.Mutant
	perRole := map[string][]mutate.Mutant{}
	bootPasses := map[string]bool{}
	for _, role := range mutated {
		src := r.sources[role]
		if src == "" {
			src = roles.References()[role]
		}
		// The unmutated source must pass: a kill must be the mutation's.
		base, err := certifyLoaded(role, src, role, false)
		if err != nil {
			return fail(err)
		}
		if !base.Summary.OK {
			return fail(fmt.Errorf("the %s source does not pass the suite unmutated (mostao certify shows why): its mutants cannot be judged", role))
		}
		// The boot loader's loading judges its mutants only where the
		// source passes under it too (code may count on seeing its spawn).
		booted, err := certifyLoaded(role, src, role, true)
		if err != nil {
			return fail(err)
		}
		bootPasses[role] = booted.Summary.OK
		ms, err := mutate.Mutants(role, src)
		if err != nil {
			return fail(err)
		}
		if o.limit > 0 && len(ms) > o.limit {
			ms = ms[:o.limit]
		}
		perRole[role] = ms
		all = append(all, ms...)
	}
	// A live count on a terminal: a whole run takes minutes.
	var shown *progress
	var prog func(done, total int)
	if isTerminal(os.Stderr) && stderr == io.Writer(os.Stderr) {
		shown = &progress{w: stderr}
		prog = func(done, total int) {
			shown.update(certify.Progress{Done: done, Total: total, Next: "mutants certified"})
		}
	}
	results, err := mutate.Run(ctx, all, mutate.BothLoadings(func(ctx context.Context, m mutate.Mutant, boot bool) (reports.Run, error) {
		role := strings.SplitN(m.ID, ":", 2)[0]
		if boot && !bootPasses[role] {
			return reports.Run{}, nil // no verdict: only the first loading judges
		}
		return certifyLoaded(role, m.Source, m.ID, boot)
	}), o.workers, equivalent, prog)
	shown.finish()
	if err != nil {
		return fail(err)
	}

	failed := false
	at := 0
	for _, role := range mutated {
		rs := results[at : at+len(perRole[role])]
		at += len(rs)
		for _, res := range rs {
			printMutant(stdout, res, o.diffs)
		}
		s := mutate.Summarize(rs)
		failed = failed || s.Survived > 0 || s.Stale > 0
		var unknown []string
		if o.limit == 0 {
			unknown = unknownEquivalents(role, rs, equivalent)
			failed = failed || len(unknown) > 0
		}
		for _, id := range unknown {
			fmt.Fprintf(stdout, "%s  STALE: listed as equivalent, but no such mutant (the source changed?)\n", id)
		}
		fmt.Fprintf(stdout, "%s: %d mutants: %d killed, %d survived, %d timeout, %d SHOULD only, %d equivalent, %d stale; mutation score %.1f%% (%d/%d); blame precision: median %.1f failing MUSTs per kill\n\n",
			role, s.Total, s.Killed, s.Survived, s.Timeout, s.Should, s.Equivalent, s.Stale, 100*s.Rate(), s.Killed+s.Stale, s.Total-s.Equivalent, s.MedianBlame)
	}
	if failed {
		return exitFailed
	}
	return exitOK
}

// roles are the roles whose sources are mutated.
func (o *mutateOptions) roles(r resolved) ([]string, error) {
	if o.role != "" {
		if _, ok := roles.Get(o.role); !ok {
			return nil, fmt.Errorf("--role %q: the roles are %s", o.role, strings.Join(roles.Names(), ", "))
		}
		return []string{o.role}, nil
	}
	if len(r.sources) == 0 {
		return roles.Names(), nil
	}
	var out []string
	for _, role := range roles.Names() {
		if _, ok := r.sources[role]; ok {
			out = append(out, role)
		}
	}
	return out, nil
}

// unknownEquivalents are the listed IDs of this role that name no mutant.
func unknownEquivalents(role string, results []mutate.Result, equivalent map[string]string) []string {
	ids := map[string]bool{}
	for _, r := range results {
		ids[r.Mutant.ID] = true
	}
	var out []string
	for id := range equivalent {
		if strings.HasPrefix(id, role+":") && !ids[id] {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// printMutant prints one mutant's line, and its diff when it survived (or
// when asked).
func printMutant(w io.Writer, r mutate.Result, diffs bool) {
	m := r.Mutant
	switch r.Status {
	case mutate.Killed:
		fmt.Fprintf(w, "%s  killed by %s: %s\n", m.ID, strings.Join(r.Killers, " "), m.Description)
	case mutate.Survived:
		fmt.Fprintf(w, "%s  SURVIVED: %s\n", m.ID, m.Description)
	case mutate.Timeout:
		fmt.Fprintf(w, "%s  timeout (stopped by the work bounds): %s\n", m.ID, m.Description)
	case mutate.Should:
		fmt.Fprintf(w, "%s  caught by SHOULD %s only: %s\n", m.ID, strings.Join(r.Killers, " "), m.Description)
	case mutate.Equivalent:
		fmt.Fprintf(w, "%s  equivalent (%s): %s\n", m.ID, r.Reason, m.Description)
	case mutate.Stale:
		fmt.Fprintf(w, "%s  STALE: listed as equivalent (%s) but killed by %s: %s\n", m.ID, r.Reason, strings.Join(r.Killers, " "), m.Description)
	}
	if diffs || r.Status == mutate.Survived || r.Status == mutate.Stale {
		role, _, _ := strings.Cut(m.ID, ":")
		fmt.Fprintf(w, "--- %s.lua\n+++ %s.lua (mutant %s)\n%s\n", role, role, m.ID, m.Diff())
	}
}
