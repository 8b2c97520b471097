// Package reports holds the results model of a certification run and turns
// it into the formats people and CI read: JSON Lines (canonical), JUnit XML,
// Cucumber JSON, Markdown, a self-contained HTML page, badges, and the diff
// of two runs.
package reports

import (
	"sort"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/spec"
)

// FormatVersion names the version of the results model; it is written in
// every JSON Lines file and bumped on any incompatible change.
const FormatVersion = "mostao-report/1"

// Header says what was certified, against what, and how.
type Header struct {
	Format         string         `json:"format"`
	SuiteVersion   string         `json:"suiteVersion"`
	SpecVersion    string         `json:"specVersion"`
	SpecHash       string         `json:"specHash"`
	Implementation Implementation `json:"implementation"`
	// Engine runs the target, e.g. "lua (gopher-lua, aos-current)".
	Engine string `json:"engine"`
	Seed   int64  `json:"seed"`
	// Date is the run's start, RFC 3339 in UTC.
	Date string `json:"date"`
	// MIPs lists the MIPs selected for this run.
	MIPs []string `json:"mips"`
	// Clipped, when set, says that the report left out part of what the
	// implementation sent (see Bound): a report of a hostile or verbose
	// implementation stays bounded, and says so.
	Clipped *Clipping `json:"clipped,omitempty"`
}

// Implementation names what was certified.
type Implementation struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	// Target is how the suite reached it, e.g. "lua:./my-domain.lua".
	Target string `json:"target"`
}

// Verdict is the outcome for one requirement.
type Verdict string

// The verdicts.
const (
	// Pass: every check of the requirement passed.
	Pass Verdict = "pass"
	// Fail: a check of a MUST requirement failed.
	Fail Verdict = "fail"
	// Warn: a check of a SHOULD or MAY requirement failed.
	Warn Verdict = "warn"
	// Untested: no check of this run covered the requirement.
	Untested Verdict = "untested"
	// ExpectedFail: it failed, and the expectations file lists it with a reason.
	ExpectedFail Verdict = "expected-fail"
	// UnexpectedPass: the expectations file lists it but it passed; the list
	// is stale, and that fails the run.
	UnexpectedPass Verdict = "unexpected-pass"
)

// CheckKind says how a requirement was checked.
type CheckKind string

// The kinds of check.
const (
	Scenario CheckKind = "scenario"
	Property CheckKind = "property"
)

// Check is one scenario or property run that covers some requirements.
type Check struct {
	Kind CheckKind `json:"kind"`
	Name string    `json:"name"`
	// URI locates it: a feature file and line, or a property name.
	URI string `json:"uri,omitempty"`
	// Requirements are the IDs this check covers.
	Requirements []string `json:"requirements"`
	// Passed is true only when the check ran to the end and passed.
	Passed bool `json:"passed"`
	// Status is the raw status (passed, failed, undefined, pending, skipped).
	Status string `json:"status"`
	// Error says why it did not pass.
	Error string `json:"error,omitempty"`
	// FailedStep is the scenario step (or property step) that failed.
	FailedStep string `json:"failedStep,omitempty"`
	// Steps are the scenario's steps with their outcomes (empty for a property).
	Steps []Step `json:"steps,omitempty"`
	// Exchanges are the messages sent and received, for a failed check.
	Exchanges []adapters.Exchange `json:"exchanges,omitempty"`
	// Clipped, when set, says what Bound left out of this check's exchanges
	// and texts.
	Clipped *Clipping `json:"clipped,omitempty"`
	// Reproducer is a one-line command that runs this check again.
	Reproducer string `json:"reproducer,omitempty"`
	// Feature is the name of the feature a scenario belongs to; Cucumber
	// JSON groups scenarios under it.
	Feature string `json:"feature,omitempty"`
	// Tags are the scenario's tags without "@" (feature tags included).
	Tags []string `json:"tags,omitempty"`
	// Names maps wallet addresses and process ids to the names the scenario
	// gave them, so a report can print "alice" instead of a 43-character id.
	Names map[string]string `json:"names,omitempty"`
	// Role is the supplied role (domain, profile, session) this check
	// exercised, empty when it is not known.
	Role string `json:"role,omitempty"`
}

// Step is one step of a scenario and how it ended.
type Step struct {
	Keyword string `json:"keyword"`
	Text    string `json:"text"`
	Line    int    `json:"line,omitempty"`
	// Status is passed, failed, undefined, pending or skipped.
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	// DurationNS is how long the step took, in nanoseconds.
	DurationNS int64 `json:"durationNs,omitempty"`
}

// Requirement is the judged outcome of one requirement.
type Requirement struct {
	ID      string     `json:"id"`
	MIP     string     `json:"mip"`
	Level   spec.Level `json:"level"`
	Title   string     `json:"title"`
	Verdict Verdict    `json:"verdict"`
	// Checks that covered it, passed and failed.
	Checks []Check `json:"checks"`
	// Expected is the reason given in the expectations file, if listed.
	Expected string `json:"expected,omitempty"`
	// Role is the supplied role (domain, profile, session) whose behaviour
	// earned this verdict, empty when it is not known.
	Role string `json:"role,omitempty"`
}

// Summary counts the verdicts.
type Summary struct {
	Total          int `json:"total"`
	Passed         int `json:"passed"`
	Failed         int `json:"failed"`
	Warned         int `json:"warned"`
	Untested       int `json:"untested"`
	ExpectedFail   int `json:"expectedFail"`
	UnexpectedPass int `json:"unexpectedPass"`
	// MustTotal and MustPassed count the MUST requirements.
	MustTotal  int `json:"mustTotal"`
	MustPassed int `json:"mustPassed"`
	// Certified lists the MIPs whose every MUST passed.
	Certified []string `json:"certified"`
	// OK is true when the run passes: every MUST passed or is an expected
	// failure, and no expectation is stale.
	OK bool `json:"ok"`
}

// Run is one certification run.
type Run struct {
	Header       Header        `json:"header"`
	Requirements []Requirement `json:"requirements"`
	Summary      Summary       `json:"summary"`
}

// Judge turns checks into per-requirement verdicts for the selected MIPs.
// expected maps requirement IDs known to fail to the reason given.
func Judge(h Header, cat *spec.Catalogue, checks []Check, expected map[string]string) Run {
	selected := map[string]bool{}
	for _, m := range h.MIPs {
		selected[m] = true
	}
	byReq := map[string][]Check{}
	for _, c := range checks {
		for _, id := range c.Requirements {
			byReq[id] = append(byReq[id], c)
		}
	}
	run := Run{Header: h}
	for _, r := range cat.Requirements {
		if len(selected) > 0 && !selected[r.MIP] {
			continue
		}
		req := Requirement{ID: r.ID, MIP: r.MIP, Level: r.Level, Title: r.Title, Checks: byReq[r.ID]}
		req.Verdict = verdict(r.Level, req.Checks)
		if reason, ok := expected[r.ID]; ok {
			req.Expected = reason
			switch req.Verdict {
			case Fail, Warn:
				req.Verdict = ExpectedFail
			case Pass:
				req.Verdict = UnexpectedPass
			}
		}
		run.Requirements = append(run.Requirements, req)
	}
	run.Summary = Summarize(run.Requirements)
	return run
}

func verdict(level spec.Level, checks []Check) Verdict {
	if len(checks) == 0 {
		return Untested
	}
	for _, c := range checks {
		if !c.Passed {
			if level == spec.Must {
				return Fail
			}
			return Warn
		}
	}
	return Pass
}

// Summarize counts verdicts and decides certification per MIP.
func Summarize(reqs []Requirement) Summary {
	var s Summary
	mustOK := map[string]bool{}
	for _, r := range reqs {
		s.Total++
		if _, seen := mustOK[r.MIP]; !seen {
			mustOK[r.MIP] = true
		}
		switch r.Verdict {
		case Pass:
			s.Passed++
		case Fail:
			s.Failed++
		case Warn:
			s.Warned++
		case Untested:
			s.Untested++
		case ExpectedFail:
			s.ExpectedFail++
		case UnexpectedPass:
			s.UnexpectedPass++
		}
		if r.Level == spec.Must {
			s.MustTotal++
			if r.Verdict == Pass {
				s.MustPassed++
			} else {
				mustOK[r.MIP] = false
			}
		}
	}
	for mip, ok := range mustOK {
		if ok {
			s.Certified = append(s.Certified, mip)
		}
	}
	sort.Strings(s.Certified)
	s.OK = s.Total > 0 && s.UnexpectedPass == 0
	for _, r := range reqs {
		if r.Level == spec.Must && r.Verdict != Pass && r.Verdict != ExpectedFail {
			s.OK = false
		}
	}
	return s
}
