package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/certify"
	"github.com/mostao/conformance/enginediff"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// enginesFile is the comparison's file name inside --report DIR.
const enginesFile = "engines.json"

// certifyEngines is `mostao certify --engines a,b`: one certification per
// engine, with the same configuration, then the comparison. Exit 0 when
// every engine certifies and nothing differs, 1 when something differs or a
// verdict fails, 2 when the suite could not run.
func certifyEngines(o *certifyOptions, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		printError(stderr, "mostao certify", err)
		return exitCannotRun
	}
	schemes, err := o.engineSchemes()
	if err != nil {
		return fail(err)
	}
	o.targetFlags.engines = schemes // every engine must honour the target flags
	r, err := o.resolve()
	if err != nil {
		return fail(err)
	}
	base, err := o.configOf(r)
	if err != nil {
		return fail(err)
	}
	base.Reproduce += " --engines " + o.engines

	var sides []enginediff.Side
	var runTargets []adapters.Target
	for _, s := range schemes {
		cfg := base
		cfg.Target, err = engineTarget(s, r)
		if err != nil {
			return fail(fmt.Errorf("on the %s engine: %w", s.name, err))
		}
		side := enginediff.Side{Name: s.name, Nearness: s.nearness, Why: s.why}
		cfg.OnScenario = func(sr steps.ScenarioResult) {
			if !filepath.IsAbs(sr.URI) && !strings.HasPrefix(sr.URI, "features/") && !onDisk(o.scenario) {
				// Named as the reports and --scenario name a bundled feature.
				sr.URI = "features/" + sr.URI
			}
			side.Scenarios = append(side.Scenarios, sr)
		}
		var prog *progress
		if !o.quiet && isTerminal(os.Stderr) && stderr == io.Writer(os.Stderr) {
			prog = &progress{w: stderr}
			cfg.Progress = func(p certify.Progress) {
				p.Next = s.name + ": " + p.Next
				prog.update(p)
			}
		}
		run, err := certify.Run(context.Background(), cfg)
		prog.finish()
		if err != nil {
			return fail(fmt.Errorf("on the %s engine: %w", s.name, err))
		}
		side.Run = reports.Bound(run, reports.DefaultLimits)
		if o.out.dir != "" {
			if err := reports.WriteAll(filepath.Join(o.out.dir, s.name), side.Run); err != nil {
				fmt.Fprintf(stderr, "mostao certify: writing reports: %v\n", err)
				return exitCannotRun
			}
		}
		sides = append(sides, side)
		runTargets = append(runTargets, cfg.Target)
	}

	cmp := enginediff.Compare(sides)
	for _, path := range o.enginesReportPaths() {
		if err := writeFile(path, enginediff.WriteJSON, cmp); err != nil {
			fmt.Fprintf(stderr, "mostao certify: writing the engines report %s: %v\n", path, err)
			return exitCannotRun
		}
	}
	for i, side := range sides {
		fmt.Fprintf(stdout, "== on the %s engine\n", reports.Printable(side.Name))
		printRun(stdout, side.Run, runTargets[i], o.quiet)
		fmt.Fprintln(stdout)
	}
	fmt.Fprintln(stdout, "== engines")
	enginediff.Print(stdout, cmp)
	if cmp.Certified() && !cmp.Differs() {
		return exitOK
	}
	return exitFailed
}

// engineSchemes checks the --engines list and the flags it cannot go with.
func (o *certifyOptions) engineSchemes() ([]targetScheme, error) {
	if o.engines == "" {
		return nil, fmt.Errorf("--engines-report needs --engines, e.g. --engines lua,wasm")
	}
	var out []targetScheme
	for _, name := range strings.Split(o.engines, ",") {
		name = strings.TrimSpace(name)
		i := slices.IndexFunc(targetSchemes, func(s targetScheme) bool { return s.name == name })
		if i < 0 {
			var names []string
			for _, s := range targetSchemes {
				names = append(names, s.name)
			}
			return nil, fmt.Errorf("--engines %q: unknown engine %q; the engines are %s", o.engines, name, strings.Join(names, ", "))
		}
		if slices.ContainsFunc(out, func(s targetScheme) bool { return s.name == name }) {
			return nil, fmt.Errorf("--engines %q: %s is listed twice", o.engines, name)
		}
		out = append(out, targetSchemes[i])
	}
	if len(out) < 2 {
		return nil, fmt.Errorf("--engines %q: name at least two engines to compare, e.g. --engines lua,wasm", o.engines)
	}
	if o.target != "" && o.target != "reference" && !strings.HasPrefix(o.target, "lua:") {
		return nil, fmt.Errorf("--engines takes the Lua sources from --target lua:<file or dir> or the role flags, not --target %s: each engine runs its own default", o.target)
	}
	for _, f := range formats {
		if *o.out.files[f.flag] != "" {
			return nil, fmt.Errorf("--%s with --engines: use --report DIR (one folder of reports per engine, and %s) and --engines-report FILE", f.flag, enginesFile)
		}
	}
	if o.out.badges != "" {
		return nil, fmt.Errorf("--badges with --engines: use --report DIR (one folder of reports, badges included, per engine)")
	}
	return out, nil
}

// engineTarget builds the resolved sources' target on one engine: the
// reference processes when no source was given.
func engineTarget(s targetScheme, r resolved) (adapters.Target, error) {
	if len(r.sources) == 0 && s.name == "lua" {
		return targets.ReferenceWith(r.opts), nil
	}
	desc := s.name + ":"
	if len(r.sources) > 0 {
		desc = s.name + ": " + r.impl.Target
	}
	return s.build(desc, &targetInputs{sources: r.sources, files: r.opts.FileNames}, r.opts)
}

// enginesReportPaths are the files the comparison is written to.
func (o *certifyOptions) enginesReportPaths() []string {
	var out []string
	if o.out.dir != "" {
		out = append(out, filepath.Join(o.out.dir, enginesFile))
	}
	if o.enginesReport != "" {
		out = append(out, o.enginesReport)
	}
	return out
}

// onDisk reports whether --scenario may name a feature file outside the
// bundled features (a path not written under features/), whose results
// are named by their own path.
func onDisk(scenario string) bool {
	return scenario != "" && !strings.HasPrefix(strings.TrimPrefix(scenario, "./"), "features/")
}
