// Package certify runs the conformance suite against one target and judges
// the outcome: the selected MIPs' scenarios (and, when asked, the model-based
// properties) become checks, and the checks become per-requirement verdicts.
//
// A broken implementation is never an error here: a source that does not
// compile, a process that never replies or loops forever ends as failing
// verdicts that name the requirement and the reason. Run returns an error
// only when the suite itself could not run.
package certify

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/features"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/roles"
	"github.com/mostao/conformance/spec"
	"github.com/mostao/conformance/steps"
)

// SuiteVersion is the version of this suite (scenarios, steps and
// properties), written in every report header.
const SuiteVersion = "0.1.0"

// Config says what to certify and how.
type Config struct {
	// Target is what is certified.
	Target adapters.Target
	// Implementation names it in the report; Implementation.Target says how
	// the suite reached it (e.g. "lua:./my-domain.lua"). The report names
	// the engine that runs it from Target.Engine.
	Implementation reports.Implementation
	// CallTimeout bounds each world call of the scenarios and properties; 0
	// takes adapters.DefaultCallTimeout. A call past it makes the run a
	// suite error, not a verdict.
	CallTimeout time.Duration
	// MIPs selects the MIPs ("01", "02", ...); empty means every MIP of the
	// catalogue. MIP-00 (the shared conventions) is added whenever any MIP
	// is selected.
	MIPs []string
	// Scenario, when set, runs only this scenario: a feature path inside
	// features/ with an optional ":line" (the line of its Scenario keyword),
	// e.g. "features/mip01/register.feature:12", or a feature file on disk
	// (a regression scenario not yet added to features/). Only the
	// requirements that scenario covers are judged, and no property runs.
	Scenario string
	// Features defaults to the embedded features.
	Features fs.FS
	// Checks is the number of generated sequences per MIP for the
	// model-based properties; 0 runs no properties.
	Checks int
	// Steps is the number of requests per generated sequence; 0 takes the
	// models' default.
	Steps int
	// Seed seeds the properties' generators; 0 takes the models' fixed
	// default seed.
	Seed int64
	// Expected maps requirement IDs known to fail to the reason given.
	Expected map[string]string
	// Date is the run's start; the zero value means now. Tests fix it.
	Date time.Time
	// Catalogue defaults to the embedded spec catalogue.
	Catalogue *spec.Catalogue
	// Reproduce is the command line, without --scenario, that certifies the
	// same target again, e.g. "go run ./cmd/mostao certify --target lua:x.lua".
	// Each failing check gets it with the --scenario that reruns exactly
	// that check.
	Reproduce string
	// Progress, when set, is told about each scenario as it ends.
	Progress func(Progress)
	// OnScenario, when set, gets each scenario's result once the
	// scenarios have run (they may run at once), with the exchanges of
	// every scenario (passed ones too), in the order the scenarios run one
	// at a time: what `mostao certify --engines` compares.
	OnScenario func(steps.ScenarioResult)
	// RunWorkFactor bounds the work of the whole run (every world
	// together) at this many times what the reference processes spend on
	// the same scenarios and checks; 0 takes DefaultRunWorkFactor. Past the
	// bound the run stops: what had not run is untested and the run
	// certifies nothing (reports.Header.Stopped).
	RunWorkFactor int
}

// Progress reports how far a run is.
type Progress struct {
	// Done scenarios out of Total; both are 0 once the properties run.
	Done, Total int
	// Last is the scenario that just ended.
	Last steps.ScenarioResult
	// Next names the scenario (or the properties) that run now ("" after
	// the last scenario).
	Next string
}

// Run certifies cfg.Target and returns the judged run.
func Run(ctx context.Context, cfg Config) (reports.Run, error) {
	start := cfg.Date
	if start.IsZero() {
		start = time.Now()
	}
	cat := cfg.Catalogue
	if cat == nil {
		var err error
		if cat, err = spec.Load(); err != nil {
			return reports.Run{}, fmt.Errorf("loading the spec catalogue: %w", err)
		}
	}
	if cfg.Target.NewWorld == nil {
		return reports.Run{}, fmt.Errorf("certify: target %q has no engine to run it", cfg.Target.Name)
	}
	supplied := suppliedRoles(cfg.Target)
	mips, err := selectMIPs(cat, cfg.MIPs, supplied)
	if err != nil {
		return reports.Run{}, err
	}
	roles := judgedRoles(mips, supplied)
	for id := range cfg.Expected {
		// A listed ID the spec does not have would silently expect
		// nothing: a typo must not hide a failure.
		if _, ok := cat.Get(id); !ok {
			return reports.Run{}, fmt.Errorf("expectations list %s, which is not a requirement of spec %s", id, cat.Version)
		}
	}
	hash, err := spec.Hash()
	if err != nil {
		return reports.Run{}, fmt.Errorf("hashing the spec: %w", err)
	}
	header := reports.Header{
		Format:         reports.FormatVersion,
		SuiteVersion:   SuiteVersion,
		SpecVersion:    cat.Version,
		SpecHash:       hash,
		Implementation: cfg.Implementation,
		Engine:         cfg.Target.Engine.Name,
		Seed:           int64(propertySeed(cfg.Seed)),
		Date:           start.UTC().Format(time.RFC3339),
		MIPs:           mips,
		Roles:          roles,
	}
	if header.Implementation.Name == "" {
		header.Implementation.Name = cfg.Target.Name
	}

	factor := int64(cfg.RunWorkFactor)
	if factor <= 0 {
		factor = DefaultRunWorkFactor
	}
	if factor > MaxRunWorkFactor {
		return reports.Run{}, fmt.Errorf("certify: a run work factor of %d is past the largest, %d", factor, MaxRunWorkFactor)
	}
	rw := adapters.NewRunWork(0)
	scenarios := cfg
	scenarios.Target = rw.Meter(cfg.Target)
	checks, err := runScenarios(ctx, scenarios, mips, mipSelection(mips, roles), roles, rw, factor)
	if err != nil {
		return reports.Run{}, err
	}
	var props []reports.Check
	if rw.Spent() {
		// Scenarios run one after another, so where the bound was spent
		// is the same on every machine: those that ran before keep their
		// verdicts, the rest are untested.
		header.Stopped = stoppedText("the scenarios", factor)
	} else {
		props, header.Stopped, err = runProperties(ctx, cfg, mips, factor)
		if err != nil {
			return reports.Run{}, err
		}
		for _, c := range props {
			if header.Stopped == "" && c.Status == reports.StatusUntested && len(c.Requirements) == 0 {
				header.Untested = append(header.Untested, c.Name+": "+c.Error)
			}
		}
	}
	for i := range props {
		blameProperty(&props[i])
	}
	checks = append(checks, props...)

	run := reports.Judge(header, cat, checks, cfg.Expected)
	if cfg.Scenario != "" {
		run = onlyCovered(run)
	}
	return run, nil
}

// selectMIPs checks the requested MIPs against the catalogue and the roles
// the target supplies, and adds MIP-00, whose conventions every MostAO
// process follows. No MIP selects the MIPs of the supplied roles. A MIP
// whose role the target does not supply is refused: its scenarios would run
// a stand-in (the reference), and its verdicts would credit the user with
// what the reference did.
func selectMIPs(cat *spec.Catalogue, want []string, supplied []string) ([]string, error) {
	known := map[string]bool{}
	for _, m := range cat.MIPs() {
		known[m] = true
	}
	set := map[string]bool{"00": true}
	if len(want) == 0 {
		for _, m := range cat.MIPs() {
			if role := reports.RoleOfMIP(m); role == "" || slices.Contains(supplied, role) {
				set[m] = true
			}
		}
	}
	for _, m := range want {
		m = NormalizeMIP(m)
		if !known[m] {
			return nil, fmt.Errorf("unknown MIP %q: the spec has MIPs %s", m, strings.Join(cat.MIPs(), ", "))
		}
		if role := reports.RoleOfMIP(m); role != "" && !slices.Contains(supplied, role) {
			return nil, &RoleError{MIP: m, Role: role, Supplied: supplied}
		}
		set[m] = true
	}
	out := make([]string, 0, len(set))
	for m := range set {
		if known[m] {
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out, nil
}

// RoleError refuses a MIP whose role the target does not supply.
type RoleError struct {
	MIP, Role string
	// Supplied are the roles the target does supply.
	Supplied []string
}

func (e *RoleError) Error() string {
	given := "no role"
	if len(e.Supplied) > 0 {
		given = "only " + strings.Join(e.Supplied, ", ")
	}
	return fmt.Sprintf("MIP-%s specifies the %s, but the target supplies %s: the %s would run the reference source, "+
		"and its verdicts would not be about your implementation. Supply a %s (--%s FILE), or leave MIP-%s out",
		e.MIP, e.Role, given, e.Role, e.Role, e.Role, e.MIP)
}

// suppliedRoles are the MostAO roles the target supplies (every role when
// the target does not say).
func suppliedRoles(t adapters.Target) []string {
	all := roles.Names()
	if len(t.Supplied) == 0 {
		return all
	}
	var out []string
	for _, r := range all {
		if slices.Contains(t.Supplied, r) {
			out = append(out, r)
		}
	}
	return out
}

// judgedRoles are the roles a run judges: the supplied roles of the
// selected MIPs, or every supplied role when only MIP-00 is selected.
func judgedRoles(mips, supplied []string) []string {
	var out []string
	for _, r := range supplied {
		for _, m := range mips {
			if reports.RoleOfMIP(m) == r {
				out = append(out, r)
			}
		}
	}
	if len(out) == 0 {
		return supplied
	}
	return out
}

// NormalizeMIP turns "1", "01", "MIP-01" or "mip01" into "01".
func NormalizeMIP(m string) string {
	m = strings.ToUpper(strings.TrimSpace(m))
	m = strings.TrimPrefix(strings.TrimPrefix(m, "MIP"), "-")
	if len(m) == 1 {
		m = "0" + m
	}
	return m
}

// runScenarios runs the selected scenarios and turns each result into a check.
func runScenarios(ctx context.Context, cfg Config, mips []string, sel selection, roles []string, rw *adapters.RunWork, factor int64) ([]reports.Check, error) {
	fsys := cfg.Features
	embedded := fsys == nil
	if embedded {
		fsys = features.FS
	}
	prefix := "features/" // how a location names a file of fsys
	var pl []planned
	var err error
	paths, tags := []string{"."}, sel.tagFilter()
	if cfg.Scenario == "" {
		if pl, err = plan(fsys, paths, sel, 0); err != nil {
			return nil, fmt.Errorf("reading the features: %w", err)
		}
	} else {
		p, line := SplitScenario(cfg.Scenario)
		if _, err := fs.Stat(fsys, p); err != nil {
			// Not one of the suite's features: a feature file on disk,
			// such as a regression scenario not yet added to features/.
			disk, _ := splitLine(cfg.Scenario)
			info, derr := os.Stat(disk)
			if !embedded || derr != nil || info.IsDir() {
				return nil, fmt.Errorf("scenario %q: no feature %q in the suite's features, and no such file", cfg.Scenario, p)
			}
			fsys, p = os.DirFS(filepath.Dir(disk)), filepath.Base(disk)
			prefix = filepath.ToSlash(filepath.Dir(disk)) + "/"
		}
		if pl, err = plan(fsys, []string{p}, nil, line); err != nil {
			return nil, fmt.Errorf("reading the features: %w", err)
		}
		if len(pl) == 0 {
			return nil, fmt.Errorf("scenario %q: no scenario or example row starts at that line", cfg.Scenario)
		}
		if err := tagsKnown(cfg, pl); err != nil {
			return nil, fmt.Errorf("scenario %q: %w", cfg.Scenario, err)
		}
		if role := steps.ScenarioRole(pl[0].Tags); role != "" && !anyJudged(role, roles) {
			return nil, fmt.Errorf("scenario %q exercises the %s, which the target does not supply (it supplies %s): "+
				"its verdict would be about the reference, not your implementation", cfg.Scenario, role, strings.Join(roles, ", "))
		}
		paths, tags = []string{p}, "" // the scenario was named: run it whatever its MIP
		if line > 0 {
			// godog selects by the line of the Scenario (Outline) keyword;
			// a row of an outline is picked out of its results below.
			paths = []string{fmt.Sprintf("%s:%d", p, pl[0].Line)}
		}
	}
	allowance := scenarioAllowance(pl, factor, cfg.Target.Engine.Scale())
	rw.Allow(allowance)
	// The first scenario with a suite error ends the run (below): the
	// others are cancelled rather than each run into the same error, which
	// at the wall-clock safety net took a minute a scenario.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	parallel := scenarioParallel(cfg.Target.Engine)
	var (
		done int
		// What BoundExchanges cut of each result, by the result's Order.
		clipped map[int]reports.Clipping
		// The results cfg.OnScenario is to see, held while scenarios run
		// at once so that it sees them once, in the run's order.
		held []steps.ScenarioResult
		// The first scenario to end with a suite error: the cause, when
		// the scenarios that ran beside it were cancelled because of it
		// (their "context canceled" may come first in the run's order).
		suiteErr *steps.ScenarioResult
	)
	opts := steps.Options{
		Target:        cfg.Target,
		Features:      fsys,
		Paths:         paths,
		Tags:          tags,
		CallTimeout:   cfg.CallTimeout,
		KeepExchanges: cfg.OnScenario != nil,
		BoundExchanges: func(order int, exs []adapters.Exchange) []adapters.Exchange {
			kept, cut := reports.BoundExchanges(exs, reports.DefaultLimits)
			clipped[order] = cut
			return kept
		},
		OnScenario: func(r steps.ScenarioResult) {
			if r.SuiteError != "" {
				cancel()
				if suiteErr == nil {
					suiteErr = &r
				}
			}
			if cfg.OnScenario != nil {
				held = append(held, r)
			}
			done++
			if cfg.Progress != nil {
				next := ""
				if done < len(pl) {
					next = pl[done].Name
				}
				cfg.Progress(Progress{Done: done, Total: len(pl), Last: r, Next: next})
			}
		},
	}
	run := func(parallel int) (steps.Results, error) {
		done, clipped, held, suiteErr = 0, map[int]reports.Clipping{}, nil, nil
		if cfg.Progress != nil && len(pl) > 0 {
			cfg.Progress(Progress{Total: len(pl), Next: pl[0].Name})
		}
		opts.Parallel = parallel
		return steps.Run(ctx, opts)
	}
	res, err := run(parallel)
	if err == nil && suiteErr == nil && parallel > 1 && rw.Spent() {
		// The run's work bound was spent while scenarios ran at once:
		// which of them it stopped depends on how they interleaved. One at
		// a time, it stops the same scenarios on every machine (the
		// scenarios after the one that crosses it), so they run again that
		// way, with the same share of the bound. A run that stays within
		// the bound gets the same results either way: nothing is refused.
		rw.Allow(allowance)
		res, err = run(1)
	}
	if err != nil {
		return nil, fmt.Errorf("running the scenarios: %w", err)
	}
	if cfg.OnScenario != nil {
		slices.SortStableFunc(held, func(a, b steps.ScenarioResult) int { return cmp.Compare(a.Order, b.Order) })
		for _, r := range held {
			cfg.OnScenario(r)
		}
	}
	if r := suiteErr; r != nil {
		// A world call the suite could not carry out (the machine too slow
		// for the run, say) gives no verdict: the whole run is a suite error
		// rather than a failure blamed on the implementation.
		return nil, fmt.Errorf("scenario %q (%s): %s", r.Name, r.URI, r.SuiteError)
	}
	for _, r := range res.Scenarios {
		// A step the suite does not define (or a pending one) is the
		// feature file's fault, never the implementation's: no verdict.
		if r.Status == steps.StatusUndefined || r.Status == steps.StatusPending {
			return nil, fmt.Errorf("scenario %q (%s): the step %q is %s: the suite cannot run this feature file", r.Name, r.URI, r.FailedStep, strings.TrimPrefix(r.Error, "step is "))
		}
	}
	checks := make([]reports.Check, 0, len(res.Scenarios))
	// Where each check's own requests begin (checkedFrom).
	failedFrom := make([]int, 0, len(res.Scenarios))
	paired := pairAll(pl, res.Scenarios)
	for i, r := range res.Scenarios {
		p := paired[i]
		if p.Skip {
			continue
		}
		c := scenarioCheck(r, p, prefix, cfg.Reproduce)
		if cut, ok := clipped[r.Order]; ok && !cut.IsZero() {
			c.Clipped = &cut
		}
		checks = append(checks, c)
		failedFrom = append(failedFrom, checkedFrom(r.Steps))
	}
	if err := explainCascades(ctx, cfg, fsys, prefix, embedded && prefix == "features/", checks, failedFrom, mips, roles); err != nil {
		return nil, err
	}
	return checks, nil
}

// scenarioParallel is how many scenarios run at once on an engine: one per
// core, within what the engine allows (Engine.Parallel). Each has a world
// of its own, so the results do not depend on it.
func scenarioParallel(e adapters.Engine) int {
	n := runtime.GOMAXPROCS(0)
	if e.Parallel > 0 {
		n = min(n, e.Parallel)
	}
	return n
}

// blameProperty gives a property's check the role of its MIP (a MIP's
// properties run its role's process) and, when it failed without naming its
// blame, blames the first requirement of its first divergence only: the
// models list the requirement the divergence breaks first (one reply, the
// reply's shape, then the operation's own rules), and the others it lists
// were not reached, so they are left untested rather than failed.
func blameProperty(c *reports.Check) {
	mip, _, _ := strings.Cut(strings.TrimPrefix(c.URI, "models:"), "/")
	c.Role = reports.RoleOfMIP(mip)
	if !c.Passed && len(c.Blamed) == 0 && len(c.Requirements) > 0 {
		c.Blamed = []reports.Blame{{ID: c.Requirements[0], Role: c.Role}}
	}
}

// anyJudged says whether one of the roles a scenario exercises ("profile",
// or "profile+session" for a flow) is judged.
func anyJudged(scenarioRole string, judged []string) bool {
	for _, r := range strings.Split(scenarioRole, "+") {
		if slices.Contains(judged, r) {
			return true
		}
	}
	return false
}

// pairAll finds the planned entry of each result: by position when the
// run went exactly as planned (so that rows of an outline with the same
// name stay apart), else the first unused entry with the same file and name.
// (Done for all results at once: deciding it per result compared every
// result with the plan again, a quadratic cost of a few percent of a run.)
func pairAll(pl []planned, res []steps.ScenarioResult) []planned {
	if len(pl) == len(res) {
		same := true
		for k := range res {
			if uri, _ := splitLine(res[k].URI); uri != pl[k].URI || res[k].Name != pl[k].Name {
				same = false
				break
			}
		}
		if same {
			return pl
		}
	}
	m := newMatcher(pl)
	out := make([]planned, len(res))
	for i := range res {
		out[i], _ = m.take(res[i].URI, res[i].Name)
	}
	return out
}

// checkedFrom is the index of the first exchange a scenario made to check
// what it checks rather than to set itself up: the first after its Given
// steps (a Background's included), or, when a Given step failed, the first
// of that step.
func checkedFrom(sts []steps.StepResult) int {
	from, given := 0, true
	for _, st := range sts {
		switch strings.TrimSpace(st.Keyword) {
		case "When", "Then":
			given = false
		case "Given":
			given = true
		}
		if !given {
			break
		}
		if st.Status == steps.StatusFailed {
			return from
		}
		from = st.ExchangesAfter
	}
	return from
}

// scenarioCheck turns one scenario result into a check.
func scenarioCheck(r steps.ScenarioResult, p planned, prefix, reproduce string) reports.Check {
	uri := r.URI
	if mm := pathLine.FindStringSubmatch(uri); mm != nil {
		uri = mm[1]
	}
	loc := prefix + uri
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", loc, p.Location())
	}
	c := reports.Check{
		Kind:         reports.Scenario,
		Name:         r.Name,
		URI:          loc,
		Requirements: RequirementTags(r.Tags),
		Role:         r.Role,
		Passed:       r.Status == steps.StatusPassed,
		Status:       string(r.Status),
		Error:        r.Error,
		FailedStep:   r.FailedStep,
		Exchanges:    r.Exchanges,
	}
	for _, b := range r.Blamed {
		c.Blamed = append(c.Blamed, reports.Blame{ID: b.Requirement, Role: b.Role})
	}
	for i, st := range r.Steps {
		s := reports.Step{Keyword: st.Keyword, Text: st.Text, Status: string(st.Status), Error: st.Error, DurationNS: int64(st.Duration)}
		if i < len(p.StepTexts) && p.StepTexts[i] == st.Text {
			s.Line = p.StepLines[i]
		}
		c.Steps = append(c.Steps, s)
	}
	if !c.Passed && c.Status != reports.StatusUntested && reproduce != "" {
		c.Reproducer = reproduce + " --scenario " + ShellQuote(loc)
	}
	return c
}

// RequirementTags returns the tags that are requirement IDs, in order.
func RequirementTags(tags []string) []string {
	var out []string
	for _, t := range tags {
		t = strings.TrimPrefix(t, "@")
		if spec.IDPattern.MatchString(t) {
			out = append(out, t)
		}
	}
	return out
}

// tagsKnown checks that each scenario of a feature file the user named
// checks a requirement, and only requirements of the spec: otherwise its
// run would judge nothing, or judge a requirement no one can look up.
func tagsKnown(cfg Config, pl []planned) error {
	cat := cfg.Catalogue
	if cat == nil {
		var err error
		if cat, err = spec.Load(); err != nil {
			return fmt.Errorf("loading the spec catalogue: %w", err)
		}
	}
	for _, p := range pl {
		ids := RequirementTags(p.Tags)
		if len(ids) == 0 {
			return fmt.Errorf("scenario %q (%s:%d) is tagged with no requirement (@MIP01-REG-1, say): it would judge nothing", p.Name, p.URI, p.Line)
		}
		for _, id := range ids {
			if _, ok := cat.Get(id); !ok {
				return fmt.Errorf("scenario %q (%s:%d) is tagged %s, which spec %s does not have", p.Name, p.URI, p.Line, id, cat.Version)
			}
		}
	}
	return nil
}

// onlyCovered keeps the requirements some check of the run covered: a run of
// one scenario judges what that scenario checks, not the whole MIP.
func onlyCovered(run reports.Run) reports.Run {
	var keep []reports.Requirement
	var mips []string
	for _, r := range run.Requirements {
		if len(r.Checks) > 0 {
			keep = append(keep, r)
			if len(mips) == 0 || mips[len(mips)-1] != r.MIP {
				mips = append(mips, r.MIP)
			}
		}
	}
	sort.Strings(mips)
	run.Header.MIPs = slices.Compact(mips)
	run.Requirements = keep
	run.Summary = reports.SummarizeRun(run.Header, keep)
	// One scenario checks a few requirements of a MIP: it certifies none.
	run.Summary.Certified = nil
	return run
}

// ShellQuote quotes s for a POSIX shell when it holds anything but safe
// characters.
func ShellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=,@+", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
