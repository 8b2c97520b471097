package certify

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/spec"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// One defect, one red requirement: a defect in an operation that other
// scenarios build on (a Register that always fails) fails its own
// requirement, and also every scenario that registers a name on its way
// to checking something else: the names a Register takes, its Data limit,
// the owner it records. Those failures are not evidence against their
// own requirements; they are the same defect seen again.
//
// A failed scenario is told to be the same defect by where it first
// departs from the reference processes: each failed scenario is run again
// on the reference (once per feature file and process, as the reference's
// runs do not change), and the two runs' exchanges are compared request by
// request. The first request whose replies differ (another reply Action
// or Error tag, another number of replies, a JSON field missing or with
// another boolean or number, a list of another length: what does not
// depend on the engine's ids) is the scenario's departure.
//
// A departure is a foundation's when a scenario that fails a requirement
// a setup depends on (steps.IsFoundation: MIP01-REG-1, ...) in its own
// right (not by a failed setup, which may have asked for more than the
// plainest case) departs there. Every other failed scenario with the same
// departure is then a cascade: it is blamed on that requirement instead of
// its own, and neither passes nor fails its own requirements (they stay
// untested unless another check decides them). A failure that departs
// anywhere else keeps its blame, so a second defect stays red.
//
// The other way round, a setup that failed is blamed on the requirement it
// depends on (a Register that sets a scenario up, MIP01-REG-1); when that
// requirement's own scenarios do not fail there, but a scenario of another
// requirement fails at the same departure (a name with an underscore
// refused, MIP01-NAME-1, where the setup registers such a name), the
// failed setup is that requirement's defect and is blamed on it.

// cause is the requirement a departure is blamed on, and the first check
// of the run that failed it there.
type cause struct {
	blame reports.Blame
	check string
}

// explainCascades re-blames, among checks, the cascades of failing
// foundations and the failed setups another requirement's defect explains.
// failedFrom[i] is where check i's own requests begin (checkedFrom): a
// scenario is evidence of where a requirement fails only when it departs
// from the reference there, not in a setup that passed. mips and roles are what the
// run judges: a blame moves only onto a row the run has. Checks whose
// exchanges were clipped, and scenarios the reference does not pass, are
// left as they are. A suite error of the reference's run (the machine too
// slow for it) is the run's: verdicts must not depend on it.
func explainCascades(ctx context.Context, cfg Config, fsys fs.FS, prefix string, embedded bool, checks []reports.Check, failedFrom []int, mips, roles []string) error {
	if !hasFoundationFailure(checks) {
		return nil
	}
	files := map[string]bool{}
	for _, c := range checks {
		if comparable(c) {
			path, _ := splitLine(strings.TrimPrefix(c.URI, prefix))
			files[path] = true
		}
	}
	refs, err := referenceExchanges(ctx, cfg, fsys, prefix, embedded, slices.Sorted(maps.Keys(files)))
	if err != nil {
		return fmt.Errorf("running the reference processes to tell cascades: %w", err)
	}
	cat := cfg.Catalogue
	if cat == nil {
		if cat, err = spec.Load(); err != nil {
			return fmt.Errorf("loading the spec catalogue: %w", err)
		}
	}
	// A blame moves only onto a row the run judges, of one role, of a
	// level at least as high (a MUST's failure never becomes a SHOULD's
	// warning), and not listed as a known failure (--expect).
	movable := func(to reports.Blame, from []reports.Blame) bool {
		req, ok := cat.Get(to.ID)
		if !ok {
			return false
		}
		mip := req.MIP
		if !slices.Contains(mips, mip) || !slices.Contains(roles, to.Role) || mip != "00" && to.Role != reports.RoleOfMIP(mip) {
			return false
		}
		if _, known := cfg.Expected[to.ID]; known || len(from) == 0 {
			return false
		}
		for _, b := range from {
			if b.Role != to.Role || levelRank(cat, to.ID) < levelRank(cat, b.ID) {
				return false
			}
		}
		return true
	}
	departures := make([]string, len(checks))
	own := make([]bool, len(checks)) // the departure is in the failed step
	for i, c := range checks {
		if comparable(c) {
			if ref, ok := refs[c.URI]; ok {
				var at int
				departures[i], at = departure(c.Exchanges, ref)
				own[i] = i < len(failedFrom) && at >= failedFrom[i]
			}
		}
	}
	// Where scenarios failed in their own right: at a foundation's
	// departure, and at any other requirement's, per role.
	key := func(d, role string) string { return d + "\x00" + role }
	foundations, direct := map[string]cause{}, map[string]cause{}
	for i, c := range checks {
		d := departures[i]
		if d == "" || !own[i] || c.Status != string(steps.StatusFailed) {
			continue
		}
		for _, b := range c.Blamed {
			m := direct
			if steps.IsFoundation(b.ID) {
				m = foundations
			}
			if _, seen := m[key(d, b.Role)]; !seen {
				m[key(d, b.Role)] = cause{b, c.Name}
			}
		}
	}
	for i := range checks {
		c := &checks[i]
		d := departures[i]
		if d == "" || len(c.Blamed) == 0 {
			continue
		}
		role := c.Blamed[0].Role
		switch c.Status {
		case string(steps.StatusFailed):
			cs, ok := foundations[key(d, role)]
			if !ok || slices.Contains(c.Blamed, cs.blame) || !movable(cs.blame, c.Blamed) {
				continue
			}
			c.Status = reports.StatusCascade
			c.Error = fmt.Sprintf("the same defect as %s (%s): %s, as in %q; the check itself failed with: %s",
				cs.blame.ID, roleOrAny(cs.blame.Role), d, cs.check, c.Error)
			c.Cascaded, c.Blamed = c.Blamed, []reports.Blame{cs.blame}
		case reports.StatusPreconditionFailed:
			if _, ok := foundations[key(d, role)]; ok || !own[i] || len(c.Blamed) != 1 || !steps.IsFoundation(c.Blamed[0].ID) {
				continue
			}
			cs, ok := direct[key(d, role)]
			if !ok || !movable(cs.blame, c.Blamed) {
				continue
			}
			c.Error = fmt.Sprintf("precondition failed: the same defect as %s (%s): %s, as in %q; the setup failed with: %s",
				cs.blame.ID, roleOrAny(cs.blame.Role), d, cs.check, strings.TrimPrefix(c.Error, "precondition failed: "))
			c.Cascaded, c.Blamed = c.Blamed, []reports.Blame{cs.blame}
		}
	}
	return nil
}

// levelRank orders requirement levels: MUST above SHOULD above MAY, and
// an ID the catalogue lacks below them all.
func levelRank(cat *spec.Catalogue, id string) int {
	r, ok := cat.Get(id)
	if !ok {
		return 0
	}
	switch r.Level {
	case spec.Must:
		return 3
	case spec.Should:
		return 2
	case spec.May:
		return 1
	}
	return 0
}

func roleOrAny(role string) string {
	if role == "" {
		return "any role"
	}
	return role
}

// hasFoundationFailure says whether some scenario fails, or lost its
// setup to, a requirement a setup depends on: only then is there a blame
// to move, and the reference need not run otherwise.
func hasFoundationFailure(checks []reports.Check) bool {
	for _, c := range checks {
		if c.Kind != reports.Scenario || c.Passed {
			continue
		}
		if c.Status != string(steps.StatusFailed) && c.Status != reports.StatusPreconditionFailed {
			continue
		}
		for _, b := range c.Blamed {
			if steps.IsFoundation(b.ID) {
				return true
			}
		}
	}
	return false
}

// comparable says whether a check's exchanges can be compared with the
// reference's: a scenario that failed or lost its setup, with every
// exchange kept whole.
func comparable(c reports.Check) bool {
	return c.Kind == reports.Scenario && len(c.Exchanges) > 0 && c.Clipped.IsZero() &&
		(c.Status == string(steps.StatusFailed) || c.Status == reports.StatusPreconditionFailed)
}

// referenceRuns keeps the reference's exchanges of each scenario of the
// embedded features, by location, per feature file: they are the same in
// every run, and a mutation run certifies hundreds of implementations.
var referenceRuns = struct {
	sync.Mutex
	files map[string]map[string][]adapters.Exchange
}{files: map[string]map[string][]adapters.Exchange{}}

// referenceExchanges runs the feature files on the reference processes and
// returns the exchanges of each scenario they pass, by location (the
// check's URI).
func referenceExchanges(ctx context.Context, cfg Config, fsys fs.FS, prefix string, embedded bool, files []string) (map[string][]adapters.Exchange, error) {
	out := map[string][]adapters.Exchange{}
	var missing []string
	if embedded {
		referenceRuns.Lock()
		defer referenceRuns.Unlock()
		for _, f := range files {
			if got, ok := referenceRuns.files[f]; ok {
				for loc, exs := range got {
					out[loc] = exs
				}
			} else {
				missing = append(missing, f)
			}
		}
	} else {
		missing = files
	}
	if len(missing) == 0 {
		return out, nil
	}
	pl, err := plan(fsys, missing, nil, 0)
	if err != nil {
		return nil, err
	}
	res, err := steps.Run(ctx, steps.Options{
		Target:        targets.Reference(),
		Features:      fsys,
		Paths:         missing,
		CallTimeout:   cfg.CallTimeout,
		KeepExchanges: true,
	})
	if err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	byFile := map[string]map[string][]adapters.Exchange{}
	for _, f := range missing {
		byFile[f] = map[string][]adapters.Exchange{}
	}
	for _, r := range res.Scenarios {
		if r.SuiteError != "" {
			return nil, fmt.Errorf("scenario %q (%s): %s", r.Name, r.URI, r.SuiteError)
		}
	}
	for i, p := range pairAll(pl, res.Scenarios) {
		r := res.Scenarios[i]
		if r.Status != steps.StatusPassed || p.URI == "" {
			continue
		}
		loc := fmt.Sprintf("%s%s:%d", prefix, p.URI, p.Location())
		if m, ok := byFile[p.URI]; ok {
			m[loc] = r.Exchanges
		}
		out[loc] = r.Exchanges
	}
	if embedded {
		for f, m := range byFile {
			referenceRuns.files[f] = m
		}
	}
	return out, nil
}

// departure describes where an implementation's exchanges first differ
// from the reference's, with the index of the exchange; "" when they do
// not before either ends, or when
// the two runs stop sending the same requests (a request built from an
// earlier reply).
//
// Each request is compared by every message it caused, in order: the
// messages processes evaluated (a process's request to another and its
// answer, which a relay through the suite's puppet shows) and those that
// left for wallets, or a dryrun's outbox. The description names the
// messages, not the request, so that a Register answered wrong reads the
// same whether a wallet or a process sent it.
func departure(got, want []adapters.Exchange) (string, int) {
	for i := 0; i < len(got) && i < len(want); i++ {
		g, w := got[i], want[i]
		action := w.Request.Action()
		if g.Kind != w.Kind || g.Request.Action() != action || w.Err != "" {
			return "", 0
		}
		if g.Err != "" {
			return fmt.Sprintf("the world failed on a %s of %s where the reference's answered", w.Kind, quoteAction(action)), i
		}
		gm, wm := caused(g), caused(w)
		for k := 0; k < len(gm) && k < len(wm); k++ {
			if d := differentMessage(gm[k], wm[k]); d != "" {
				return d, i
			}
		}
		if len(gm) < len(wm) {
			// It stopped short, however much more the reference caused
			// (two notices of a DM, three of a group): one defect.
			if len(gm) == 0 {
				return fmt.Sprintf("a %s of %s caused no message where the reference's caused some", w.Kind, quoteAction(action)), i
			}
			return fmt.Sprintf("a %s of %s caused nothing after its message %d where the reference's caused more", w.Kind, quoteAction(action), len(gm)), i
		}
		if len(gm) != len(wm) {
			return fmt.Sprintf("a %s of %s caused %d messages where the reference's caused %d", w.Kind, quoteAction(action), len(gm), len(wm)), i
		}
	}
	return "", 0
}

// caused is every message a request caused, in order; of a spawn, those
// the spawned process sent (not the spawn message, nor the Eval by which
// a live network's processes are given their code, which only some
// engines deliver).
func caused(e adapters.Exchange) []adapters.Message {
	if e.Kind == "spawn" {
		var out []adapters.Message
		for _, m := range causedAll(e) {
			if m.From == e.Request.Target {
				out = append(out, m)
			}
		}
		return out
	}
	return causedAll(e)
}

func causedAll(e adapters.Exchange) []adapters.Message {
	if e.Result != nil {
		return e.Result.Messages
	}
	if e.Trace == nil {
		return nil
	}
	out := make([]adapters.Message, 0, len(e.Trace.Deliveries)+len(e.Trace.ToWallets))
	for _, d := range e.Trace.Deliveries {
		out = append(out, d.Message)
	}
	return append(out, e.Trace.ToWallets...)
}

func quoteAction(a string) string {
	if a == "" {
		return "a message without an Action"
	}
	return a
}

// differentMessage compares a message with the reference's by what does
// not depend on the engine: its Action and Error tags and the shape of its
// JSON Data (see sameShape).
func differentMessage(g, w adapters.Message) string {
	if describe(g) != describe(w) {
		return fmt.Sprintf("%s where the reference's is %s", describe(g), describe(w))
	}
	var gv, wv any
	if json.Unmarshal([]byte(w.Data), &wv) != nil {
		return ""
	}
	if json.Unmarshal([]byte(g.Data), &gv) != nil {
		return fmt.Sprintf("%s with Data that is not JSON where the reference's is", describe(w))
	}
	if d := sameShape(gv, wv, "Data"); d != "" {
		return fmt.Sprintf("%s with %s", describe(w), d)
	}
	return ""
}

func describe(m adapters.Message) string {
	s := quoteAction(m.Action())
	if e, ok := m.Tags.Get("Error"); ok {
		s += " (Error " + e + ")"
	}
	return s
}

// sameShape compares a JSON value with the reference's on what does not
// depend on the engine's ids: every field the reference has is present,
// booleans and numbers are equal, lists have the same length, and so,
// recursively, for the elements. Strings are not compared (they hold
// ids, which another engine or network assigns otherwise), nor are fields
// the reference does not have, nor the values of numbers other than
// whole ones below 10^9 (timestamps).
func sameShape(got, want any, path string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return path + " is not an object"
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			gk, ok := g[k]
			if !ok {
				return fmt.Sprintf("%s has no field %q", path, k)
			}
			if d := sameShape(gk, w[k], path+"."+k); d != "" {
				return d
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			return path + " is not a list"
		}
		if len(g) != len(w) {
			return fmt.Sprintf("%s has %d items where the reference's has %d", path, len(g), len(w))
		}
		for k := range w {
			if d := sameShape(g[k], w[k], fmt.Sprintf("%s[%d]", path, k)); d != "" {
				return d
			}
		}
	case bool:
		if got != want {
			return fmt.Sprintf("%s is %s where the reference's is %s", path, scalar(got), scalar(want))
		}
	case float64:
		g, ok := got.(float64)
		if !ok {
			return fmt.Sprintf("%s is %s where the reference's is a number", path, scalar(got))
		}
		// Counts and ids are compared; a large number (a timestamp, which a
		// live network's clock sets) only for being one.
		if w == math.Trunc(w) && math.Abs(w) < 1e9 && g != w {
			return fmt.Sprintf("%s is %s where the reference's is %s", path, scalar(got), scalar(want))
		}
	}
	return ""
}

// scalar shows a boolean or a number, and names the kind of anything else
// (an implementation's string may be megabytes).
func scalar(v any) string {
	switch v.(type) {
	case bool, float64:
		b, _ := json.Marshal(v)
		return string(b)
	case string:
		return "a string"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	}
	return "null"
}
