// Package enginediff compares certifications of one implementation on
// several engines (the Lua engine, the wasm engine, ...), run with the same
// scenarios, properties and seed: which requirements got different
// verdicts, and which requests got different replies. It is how the
// differences of an engine from real aos show on a user's own code: where
// the engines differ, the one nearest to AO is the reference.
package enginediff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/steps"
)

// Format names the JSON layout of a Report; it changes when a field changes
// meaning.
const Format = "mostao-engines/1"

// Side is one engine's certification.
type Side struct {
	// Name is the engine's short name, as --engines gives it ("lua").
	Name string
	// Nearness ranks how near the engine runs processes to AO: where the
	// engines differ, the side of the highest rank is the reference. Why
	// says what makes it so.
	Nearness int
	Why      string
	// Run is the judged certification.
	Run reports.Run
	// Scenarios are the scenario results in the order they ran, each with
	// its exchanges (certify.Config.OnScenario).
	Scenarios []steps.ScenarioResult
}

// Report is the comparison of the sides.
type Report struct {
	Format  string   `json:"format"`
	Engines []Engine `json:"engines"`
	// Nearer is the short name of the engine nearest to AO, and NearerWhy
	// why: its replies and verdicts are the reference where they differ.
	Nearer    string `json:"nearer"`
	NearerWhy string `json:"nearerWhy"`
	// Verdicts are the requirements whose verdict differs between engines.
	Verdicts []VerdictDiff `json:"verdicts"`
	// Replies are, per scenario whose replies differ, the first request
	// whose replies differ.
	Replies []ReplyDiff `json:"replies"`
	// ScenariosCompared counts the scenarios that ran on every engine and
	// whose replies were compared.
	ScenariosCompared int `json:"scenariosCompared"`
	// Unpaired names the scenarios that ran on some engines only (a run
	// that stopped at its work bound leaves the rest unrun).
	Unpaired []string `json:"unpaired"`
}

// Engine is one side's summary.
type Engine struct {
	Name string `json:"name"`
	// Engine is the full name of the report header.
	Engine string `json:"engine"`
	// Certified is the run's outcome (every selected MUST passed).
	Certified  bool `json:"certified"`
	MustPassed int  `json:"mustPassed"`
	MustTotal  int  `json:"mustTotal"`
}

// VerdictDiff is one requirement whose verdict differs.
type VerdictDiff struct {
	ID    string `json:"id"`
	Role  string `json:"role,omitempty"`
	Level string `json:"level"`
	Title string `json:"title"`
	// Verdicts are the verdict on each engine, in the order of
	// Report.Engines ("" where the requirement is not in that run).
	Verdicts []string `json:"verdicts"`
}

// ReplyDiff is the first difference of replies in one scenario.
type ReplyDiff struct {
	Scenario string `json:"scenario"`
	URI      string `json:"uri"`
	// Step is the Gherkin step that made the request, e.g. "When alice
	// registers ...".
	Step string `json:"step"`
	// Request is the request's position in the scenario (from 1), Kind
	// "spawn", "send" or "dryrun", and Action its Action tag.
	Request int    `json:"request"`
	Kind    string `json:"kind"`
	Action  string `json:"action,omitempty"`
	// What differs: "reply count", "reply 1 target", "reply 1 tag Ratio",
	// "reply 1 data".
	What string `json:"what"`
	// Values are what each engine gave, in the order of Report.Engines
	// (clipped to MaxValue bytes).
	Values []string `json:"values"`
}

// Differs reports whether any verdict or reply differs.
func (r Report) Differs() bool {
	return len(r.Verdicts) > 0 || len(r.Replies) > 0 || len(r.Unpaired) > 0
}

// Certified reports whether every engine certified the implementation.
func (r Report) Certified() bool {
	for _, e := range r.Engines {
		if !e.Certified {
			return false
		}
	}
	return len(r.Engines) > 0
}

// MaxValue bounds each value a ReplyDiff keeps: a reply's Data can be
// large, and the first bytes where it differs are what a reader needs.
const MaxValue = 300

// Compare compares the sides (at least two).
func Compare(sides []Side) Report {
	r := Report{Format: Format, Verdicts: []VerdictDiff{}, Replies: []ReplyDiff{}, Unpaired: []string{}}
	ref := 0
	for i, s := range sides {
		sum := s.Run.Summary
		r.Engines = append(r.Engines, Engine{Name: s.Name, Engine: s.Run.Header.Engine, Certified: sum.OK, MustPassed: sum.MustPassed, MustTotal: sum.MustTotal})
		if s.Nearness > sides[ref].Nearness {
			ref = i
		}
	}
	if len(sides) == 0 {
		return r
	}
	r.Nearer, r.NearerWhy = sides[ref].Name, sides[ref].Why
	r.Verdicts = compareVerdicts(sides)
	r.Replies, r.ScenariosCompared, r.Unpaired = compareReplies(sides, ref)
	return r
}

// compareVerdicts lists the requirements (by ID and role) whose verdict is
// not the same on every side, in the first side's order, then those only
// other sides judged.
func compareVerdicts(sides []Side) []VerdictDiff {
	out := []VerdictDiff{}
	var keys []string
	rows := map[string]reports.Requirement{}
	verdicts := map[string][]string{}
	for i, s := range sides {
		for _, q := range s.Run.Requirements {
			k := q.Key()
			if _, seen := verdicts[k]; !seen {
				keys = append(keys, k)
				rows[k] = q
				verdicts[k] = make([]string, len(sides))
			}
			verdicts[k][i] = string(q.Verdict)
		}
	}
	for _, k := range keys {
		v := verdicts[k]
		if allEqual(v) {
			continue
		}
		q := rows[k]
		out = append(out, VerdictDiff{ID: q.ID, Role: q.Role, Level: string(q.Level), Title: q.Title, Verdicts: v})
	}
	return out
}

func allEqual(v []string) bool {
	for _, x := range v[1:] {
		if x != v[0] {
			return false
		}
	}
	return true
}

// scenarioKey names a scenario run; the rows of an outline share a name,
// so the occurrence counts too.
func scenarioKeys(rs []steps.ScenarioResult) []string {
	seen := map[string]int{}
	out := make([]string, len(rs))
	for i, s := range rs {
		k := s.URI + "\x00" + s.Name
		seen[k]++
		out[i] = fmt.Sprintf("%s\x00%d", k, seen[k])
	}
	return out
}

// compareReplies compares every scenario that ran on all sides, request by
// request, against the reference side, and keeps the first difference of
// each scenario.
func compareReplies(sides []Side, ref int) ([]ReplyDiff, int, []string) {
	diffs := []ReplyDiff{}
	unpaired := []string{}
	index := make([]map[string]int, len(sides))
	for i, s := range sides {
		index[i] = map[string]int{}
		for j, k := range scenarioKeys(s.Scenarios) {
			index[i][k] = j
		}
	}
	compared := 0
	var order []string
	seen := map[string]bool{}
	for _, s := range sides {
		for _, k := range scenarioKeys(s.Scenarios) {
			if !seen[k] {
				seen[k] = true
				order = append(order, k)
			}
		}
	}
	for _, k := range order {
		runs := make([]steps.ScenarioResult, len(sides))
		missing := false
		for i, s := range sides {
			j, ok := index[i][k]
			if !ok || s.Scenarios[j].Status == steps.StatusUntested && strings.HasPrefix(s.Scenarios[j].Error, "untested: ") {
				missing = true
				break
			}
			runs[i] = s.Scenarios[j]
		}
		if missing {
			uri, rest, _ := strings.Cut(k, "\x00")
			name, _, _ := strings.Cut(rest, "\x00")
			unpaired = append(unpaired, uri+": "+name)
			continue
		}
		compared++
		if d, ok := firstDifference(runs, ref); ok {
			diffs = append(diffs, d)
		}
	}
	return diffs, compared, unpaired
}

// firstDifference finds the first request of one scenario whose replies
// are not the same on every side as on the reference side.
func firstDifference(runs []steps.ScenarioResult, ref int) (ReplyDiff, bool) {
	n := 0
	for _, r := range runs {
		n = max(n, len(r.Exchanges))
	}
	for i := 0; i < n; i++ {
		what := ""
		values := make([]string, len(runs))
		for side := range runs {
			if side == ref {
				continue
			}
			w, a, b := differ(exchangeAt(runs[ref], i), exchangeAt(runs[side], i))
			if w == "" {
				continue
			}
			if what == "" {
				what = w
			}
			if w == what {
				values[ref], values[side] = a, b
			}
		}
		if what == "" {
			continue
		}
		// Fill the sides that agree with the reference on that point.
		for side := range runs {
			if side != ref && values[side] == "" {
				values[side] = values[ref]
			}
		}
		ex := exchangeAt(runs[ref], i)
		if ex == nil {
			for _, r := range runs {
				if ex = exchangeAt(r, i); ex != nil {
					break
				}
			}
		}
		return ReplyDiff{
			Scenario: runs[ref].Name, URI: runs[ref].URI, Step: stepOf(runs[ref], i),
			Request: i + 1, Kind: ex.Kind, Action: ex.Request.Action(), What: what, Values: clipAll(values),
		}, true
	}
	return ReplyDiff{}, false
}

func exchangeAt(r steps.ScenarioResult, i int) *adapters.Exchange {
	if i < len(r.Exchanges) {
		return &r.Exchanges[i]
	}
	return nil
}

// stepOf is the step that made the scenario's i-th request.
func stepOf(r steps.ScenarioResult, i int) string {
	for _, st := range r.Steps {
		if i < st.ExchangesAfter {
			return strings.TrimSpace(st.Keyword) + " " + st.Text
		}
	}
	return ""
}

// differ says what first differs between two engines' i-th request, and
// each one's value of it; "" when their replies are the same. Only what a
// client sees of a reply is compared: its target, tags and data (message
// ids and the world's error texts are the engine's own).
func differ(a, b *adapters.Exchange) (what, va, vb string) {
	if a == nil || b == nil {
		if a == b {
			return "", "", ""
		}
		return "request", describe(a), describe(b)
	}
	if describe(a) != describe(b) {
		return "request", describe(a), describe(b)
	}
	ra, rb := a.Replies(), b.Replies()
	if len(ra) != len(rb) {
		return "reply count", fmt.Sprint(len(ra)), fmt.Sprint(len(rb))
	}
	for k := range ra {
		p := fmt.Sprintf("reply %d ", k+1)
		x, y := ra[k], rb[k]
		if x.Target != y.Target {
			return p + "target", x.Target, y.Target
		}
		if name, vx, vy, ok := tagDifference(x.Tags, y.Tags); ok {
			return p + "tag " + name, vx, vy
		}
		if x.Data != y.Data {
			return p + "data", x.Data, y.Data
		}
	}
	return "", "", ""
}

// describe names a request: its kind, Action and target.
func describe(e *adapters.Exchange) string {
	if e == nil {
		return "(no request)"
	}
	return e.Kind + " " + e.Request.Action() + " to " + e.Request.Target
}

// absent is how a tag one engine did not send shows.
const absent = "(no such tag)"

// tagDifference finds the first tag, in the order of a then of b, whose
// values differ or that only one list has; a tag's order alone is no
// difference.
func tagDifference(a, b adapters.Tags) (name, va, vb string, ok bool) {
	value := func(t adapters.Tags, n string) string {
		var vs []string
		for _, tag := range t {
			if tag.Name == n {
				vs = append(vs, tag.Value)
			}
		}
		if len(vs) == 0 {
			return absent
		}
		return strings.Join(vs, ", ")
	}
	var names []string
	for _, t := range append(slices.Clone(a), b...) {
		if !slices.Contains(names, t.Name) {
			names = append(names, t.Name)
		}
	}
	for _, n := range names {
		if x, y := value(a, n), value(b, n); x != y {
			return n, x, y, true
		}
	}
	return "", "", "", false
}

func clipAll(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		if len(v) > MaxValue {
			v = fmt.Sprintf("%s... (%d bytes)", strings.ToValidUTF8(v[:MaxValue], ""), len(v))
		}
		out[i] = v
	}
	return out
}
