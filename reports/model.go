// Package reports holds the results model of a certification run and turns
// it into the formats people and CI read: JSON Lines (canonical), JUnit XML,
// Cucumber JSON, Markdown, a self-contained HTML page, badges, and the diff
// of two runs.
package reports

import (
	"slices"
	"sort"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/roles"
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
	// Roles lists the roles (domain, profile, session) whose implementation
	// this run judged: the roles the user supplied, among those of the
	// selected MIPs. The other roles ran the reference source and earn no
	// verdict. Empty in a run that does not track roles.
	Roles []string `json:"roles,omitempty"`
	// Clipped, when set, says that the report left out part of what the
	// implementation sent (see Bound): a report of a hostile or verbose
	// implementation stays bounded, and says so.
	Clipped *Clipping `json:"clipped,omitempty"`
	// Stopped, when set, says why the run was stopped before its end: its
	// work bound was spent, so the implementation is too slow to certify.
	// What did not run is untested, and a stopped run certifies nothing and
	// does not pass, whatever its rows say.
	Stopped string `json:"stopped,omitempty"`
	// Untested lists checks the target could not run at all, each with
	// the reason (the model-based properties of a MIP on a live network
	// that cannot spawn what they need). They cover no requirement, so
	// no row carries them: here the report says why they are missing.
	Untested []string `json:"untested,omitempty"`
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
	// ExpectedFail: it failed, or a failure blamed elsewhere left it
	// untested, and the expectations file lists it with a reason.
	ExpectedFail Verdict = "expected-fail"
	// UnexpectedPass: the expectations file lists it but it passed; the list
	// is stale, and that fails the run.
	UnexpectedPass Verdict = "unexpected-pass"
)

// The roles of MostAO, as the role registry (package roles) names them.
// MIP-00, the shared conventions, is judged for every role.
const (
	RoleDomain  = roles.Domain
	RoleProfile = roles.Profile
	RoleSession = roles.Session
)

// RoleOfMIP is the role whose behaviour a MIP specifies ("" for MIP-00,
// which every role follows).
func RoleOfMIP(mip string) string { return roles.OfMIP(mip) }

// Check statuses beyond godog's own (passed, failed, undefined, pending,
// skipped).
const (
	// StatusPreconditionFailed: a setup (Given) step failed, so the check
	// never reached what it checks; it is blamed on the requirement the
	// setup depends on, and neither passes nor fails its own requirements.
	StatusPreconditionFailed = "precondition-failed"
	// StatusCascade: the check failed where a failing requirement that
	// scenarios build on (a Register, ...) fails in the same way: the
	// same first departure from the reference processes. It is blamed on
	// that requirement, and neither passes nor fails its own.
	StatusCascade = "cascade"
	// StatusUntested: the target cannot meet a precondition of the check
	// (e.g. a session without aos Eval); Error says which. It is blamed on
	// nothing and vouches for nothing.
	StatusUntested = "untested"
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
	// Role is the role (domain, profile, session) whose implementation the
	// check exercised; roles joined by "+" for a flow across MIPs, "" when
	// unknown.
	Role string `json:"role,omitempty"`
	// Blamed are the requirements a failed check's failure is blamed on,
	// each with the role that failed it: the requirement of the assertion
	// that failed, or of the setup a failed precondition depends on. A
	// check fails only the requirements it blames.
	Blamed []Blame `json:"blamed,omitempty"`
	// Cascaded are the blames the check's failure had before it was found
	// to be the same defect as another requirement's (a cascade, or a
	// failed setup blamed on the requirement whose defect it shares): the
	// check covers those rows without vouching for them, so they are
	// untested by it, never passed.
	Cascaded []Blame `json:"cascaded,omitempty"`
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
}

// Blame is one requirement a failure is blamed on, and the role whose
// implementation failed it.
type Blame struct {
	ID   string `json:"id"`
	Role string `json:"role,omitempty"`
}

// String reads "MIP00-REP-1 (domain)".
func (b Blame) String() string {
	if b.Role == "" {
		return b.ID
	}
	return b.ID + " (" + b.Role + ")"
}

// Step is one step of a scenario and how it ended.
type Step struct {
	Keyword string `json:"keyword"`
	Text    string `json:"text"`
	Line    int    `json:"line,omitempty"`
	// Status is passed, failed, undefined, pending or skipped.
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	// DurationNS is how long the step took, in nanoseconds. It is kept out
	// of JSON Lines, the canonical report: the same certification must give
	// the same report on an idle machine and a loaded one. JUnit and
	// Cucumber JSON, which have a place for times, write it.
	DurationNS int64 `json:"-"`
}

// Requirement is the judged outcome of one requirement.
type Requirement struct {
	ID    string     `json:"id"`
	MIP   string     `json:"mip"`
	Level spec.Level `json:"level"`
	Title string     `json:"title"`
	// Role is the role whose implementation earned the verdict: the role of
	// the MIP, or for MIP-00 one row per judged role. "" in a run that does
	// not track roles.
	Role    string  `json:"role,omitempty"`
	Verdict Verdict `json:"verdict"`
	// Checks that covered it, passed and failed.
	Checks []Check `json:"checks"`
	// Expected is the reason given in the expectations file, if listed.
	Expected string `json:"expected,omitempty"`
}

// Key tells the rows of a run apart: the ID, and the role for a row of a
// requirement judged for several roles (MIP-00), e.g. "MIP00-REP-1/profile".
func (r Requirement) Key() string {
	if r.Role == "" {
		return r.ID
	}
	return r.ID + "/" + r.Role
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
//
// When the header names the judged roles, each requirement gets one row per
// role it is judged for: a MIP-01, 02 or 03 requirement a row for its MIP's
// role when that role is judged, a MIP-00 requirement a row for every judged
// role that some check of the run exercises it in, fed only by the checks of
// that role. A row fails only through a
// check that blames it (a failed check without blame, such as a property's,
// blames every requirement it covers), passes only when every check that
// covers it passed, and is untested otherwise: a check that did not run to
// its end vouches for nothing.
func Judge(h Header, cat *spec.Catalogue, checks []Check, expected map[string]string) Run {
	selected := map[string]bool{}
	for _, m := range h.MIPs {
		selected[m] = true
	}
	run := Run{Header: h}
	for _, r := range cat.Requirements {
		if len(selected) > 0 && !selected[r.MIP] {
			continue
		}
		for _, role := range rowRoles(r.MIP, h.Roles) {
			req := Requirement{ID: r.ID, MIP: r.MIP, Level: r.Level, Title: r.Title, Role: role}
			var covering, blaming int
			passed := true
			for _, c := range checks {
				covers := c.covers(r.ID, r.MIP, role) || !c.Passed && blameMatches(c.Cascaded, r.ID, r.MIP, role)
				blames := c.blames(r.ID, r.MIP, role)
				if !covers && !blames {
					continue
				}
				req.Checks = append(req.Checks, c)
				if covers {
					covering++
					passed = passed && c.Passed
				}
				if blames {
					blaming++
				}
			}
			if role != "" && RoleOfMIP(r.MIP) == "" && len(req.Checks) == 0 {
				// The suite checks this convention of MIP-00 in no
				// scenario of this role: no row, rather than an
				// untested verdict the role could never earn.
				continue
			}
			req.Verdict = verdict(r.Level, covering, blaming, passed)
			if reason, ok := expected[r.ID]; ok {
				req.Expected = reason
				switch {
				case req.Verdict == Fail, req.Verdict == Warn,
					// Listed, and left untested by a failure blamed on
					// another requirement: its failure is known too.
					req.Verdict == Untested && len(req.Checks) > 0:
					req.Verdict = ExpectedFail
				case req.Verdict == Pass:
					req.Verdict = UnexpectedPass
				}
			}
			run.Requirements = append(run.Requirements, req)
		}
	}
	run.Summary = SummarizeRun(h, run.Requirements)
	return run
}

// rowRoles are the roles a requirement of the MIP is judged for: none of
// them when the run tracks no roles (one row, role ""), else the MIP's role
// if judged, or every judged role for MIP-00.
func rowRoles(mip string, judged []string) []string {
	if len(judged) == 0 {
		return []string{""}
	}
	own := RoleOfMIP(mip)
	if own == "" {
		return judged
	}
	for _, r := range judged {
		if r == own {
			return []string{own}
		}
	}
	return nil
}

// covers says whether the check covers the requirement's row of a role. A
// MIP-00 row takes only the checks of its role; a row of another MIP every
// check that names it (its role is the MIP's).
func (c Check) covers(id, mip, role string) bool {
	if !slices.Contains(c.Requirements, id) {
		return false
	}
	return role == "" || RoleOfMIP(mip) != "" || c.Role == role
}

// blames says whether the check's failure is blamed on the requirement's
// row of a role.
func (c Check) blames(id, mip, role string) bool {
	if c.Passed {
		return false
	}
	if len(c.Blamed) == 0 {
		// A failure that says nothing of its cause (a property, a check
		// made before blame existed) blames what it covers; a check that
		// was untested or lost its precondition without a blame blames
		// nothing.
		return c.Status != StatusUntested && c.Status != StatusPreconditionFailed && c.Status != StatusCascade && c.covers(id, mip, role)
	}
	return blameMatches(c.Blamed, id, mip, role)
}

// blameMatches says whether one of the blames is of the requirement's row
// of a role.
func blameMatches(blamed []Blame, id, mip, role string) bool {
	for _, b := range blamed {
		if b.ID == id && (role == "" || b.Role == role || b.Role == "" && RoleOfMIP(mip) != "") {
			return true
		}
	}
	return false
}

func verdict(level spec.Level, covering, blaming int, passed bool) Verdict {
	switch {
	case blaming > 0 && level == spec.Must:
		return Fail
	case blaming > 0:
		return Warn
	case covering == 0 || !passed:
		return Untested
	}
	return Pass
}

// SummarizeRun is Summarize for a whole run: a run that was stopped before
// its end (Header.Stopped) certifies nothing and does not pass.
func SummarizeRun(h Header, reqs []Requirement) Summary {
	s := Summarize(reqs)
	if h.Stopped != "" {
		s.Certified, s.OK = nil, false
	}
	return s
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
