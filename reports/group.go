package reports

import (
	"sort"
	"strconv"
	"strings"

	"github.com/mostao/conformance/spec"
)

// MIPLabel gives the display name of a MIP number: "01" becomes "MIP-01".
func MIPLabel(mip string) string { return "MIP-" + mip }

// mipGroup is one MIP's share of a run, with its own counts.
type mipGroup struct {
	MIP          string
	Label        string
	Requirements []Requirement
	Summary      Summary
	// Certified is true when every MUST of this MIP passed.
	Certified bool
}

// groupByMIP splits a run by MIP: first the MIPs the header selected, in
// that order, then any other MIP that has requirements, ascending. A selected
// MIP without requirements still gets a (empty) group, so a report never
// hides that it was asked for.
func groupByMIP(run Run) []mipGroup {
	byMIP := map[string][]Requirement{}
	for _, r := range run.Requirements {
		byMIP[r.MIP] = append(byMIP[r.MIP], r)
	}
	var order []string
	seen := map[string]bool{}
	for _, m := range run.Header.MIPs {
		if !seen[m] {
			seen[m] = true
			order = append(order, m)
		}
	}
	var rest []string
	for m := range byMIP {
		if !seen[m] {
			rest = append(rest, m)
		}
	}
	sort.Strings(rest)
	order = append(order, rest...)

	groups := make([]mipGroup, 0, len(order))
	for _, m := range order {
		reqs := byMIP[m]
		s := SummarizeRun(run.Header, reqs)
		g := mipGroup{MIP: m, Label: MIPLabel(m), Requirements: reqs, Summary: s}
		for _, c := range s.Certified {
			if c == m {
				g.Certified = true
			}
		}
		groups = append(groups, g)
	}
	return groups
}

// allMustPassed is the condition for a certificate: there are MUST
// requirements and every one of them passed.
func allMustPassed(s Summary) bool { return s.MustTotal > 0 && s.MustPassed == s.MustTotal }

// severity orders verdicts for reading: what needs attention first.
func severity(v Verdict) int {
	switch v {
	case Fail:
		return 0
	case UnexpectedPass:
		return 1
	case Warn:
		return 2
	case ExpectedFail:
		return 3
	case Untested:
		return 4
	case Pass:
		return 5
	}
	return 6
}

// failuresFirst returns a copy of reqs ordered by severity, then by level
// (MUST first), keeping catalogue order otherwise.
func failuresFirst(reqs []Requirement) []Requirement {
	out := append([]Requirement(nil), reqs...)
	sort.SliceStable(out, func(i, j int) bool {
		si, sj := severity(out[i].Verdict), severity(out[j].Verdict)
		if si != sj {
			return si < sj
		}
		return out[i].Level.Strength() > out[j].Level.Strength()
	})
	return out
}

// needsDetail says whether a requirement's outcome deserves an explanation
// in a report: anything that did not simply pass or go untested.
func needsDetail(r Requirement) bool {
	switch r.Verdict {
	case Fail, Warn, ExpectedFail, UnexpectedPass:
		return true
	}
	return false
}

// failedChecks returns the checks of a requirement that did not pass.
func failedChecks(r Requirement) []Check {
	var out []Check
	for _, c := range r.Checks {
		if !c.Passed {
			out = append(out, c)
		}
	}
	return out
}

// verdictIcon is the symbol a person scans for.
func verdictIcon(v Verdict) string {
	switch v {
	case Pass:
		return "✅"
	case Fail:
		return "❌"
	case Warn:
		return "⚠️"
	case Untested:
		return "⬜"
	case ExpectedFail:
		return "🟡"
	case UnexpectedPass:
		return "❗"
	}
	return "?"
}

// verdictWords says a verdict in plain words, for readers without the legend.
func verdictWords(v Verdict) string {
	switch v {
	case Pass:
		return "pass"
	case Fail:
		return "FAIL"
	case Warn:
		return "warning"
	case Untested:
		return "untested"
	case ExpectedFail:
		return "expected failure"
	case UnexpectedPass:
		return "unexpected pass"
	}
	return string(v)
}

// mustScore is "12/14 MUST": how many MUST requirements passed.
func mustScore(s Summary) string {
	return strconv.Itoa(s.MustPassed) + "/" + strconv.Itoa(s.MustTotal) + " MUST"
}

// splitURI splits "features/mip01/register.feature:7" into the file and the
// line; a URI without a line gives line 0.
func splitURI(uri string) (string, int) {
	i := strings.LastIndexByte(uri, ':')
	if i < 0 {
		return uri, 0
	}
	n, err := strconv.Atoi(uri[i+1:])
	if err != nil || n < 0 {
		return uri, 0
	}
	return uri[:i], n
}

// checkDuration sums the step durations of a check, in nanoseconds.
func checkDuration(c Check) int64 {
	var d int64
	for _, s := range c.Steps {
		d += s.DurationNS
	}
	return d
}

// levelWord is the level as written, or "?" when a run left it empty.
func levelWord(l spec.Level) string {
	if l == "" {
		return "?"
	}
	return string(l)
}
