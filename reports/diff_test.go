package reports_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/reports/internal/sample"
	"github.com/mostao/conformance/spec"
)

func ids(cs []reports.Change) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return strings.Join(out, " ")
}

func TestDiffPassingToFailing(t *testing.T) {
	d := reports.Diff(sample.Passing(), sample.Failing())
	if !d.Regressed() {
		t.Fatal("Regressed() is false for a run that newly fails")
	}
	// REG-2 fails, REG-4 warns, PRO-2 fails as expected: all newly failing.
	if got, want := ids(d.NewlyFailing), "MIP01-REG-2 MIP01-REG-4 MIP02-PRO-2"; got != want {
		t.Errorf("newly failing %q, want %q", got, want)
	}
	// QRY-2 lost its check: nothing vouches for it any more.
	if got, want := ids(d.Lost), "MIP01-QRY-2"; got != want {
		t.Errorf("lost %q, want %q", got, want)
	}
	// PRO-1 still passes but is now an unexpected pass.
	if got, want := ids(d.OtherChanged), "MIP02-PRO-1"; got != want {
		t.Errorf("other changes %q, want %q", got, want)
	}
	if len(d.NewlyPassing)+len(d.Added)+len(d.Removed)+len(d.LevelChanged) != 0 || d.SpecChanged {
		t.Errorf("nothing else changed, got %+v", d)
	}
	c := d.NewlyFailing[0]
	if c.Old != reports.Pass || c.New != reports.Fail || c.NewLevel != spec.Must {
		t.Errorf("change %+v, want MUST pass -> fail", c)
	}

	var text, md bytes.Buffer
	if err := reports.WriteDiffText(&text, d); err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteDiffMarkdown(&md, d); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"REGRESSED: 3 requirement(s) newly failing", "MIP01-REG-2 [MUST] a taken name is refused with Error Name-Taken: pass -> fail"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text diff lacks %q:\n%s", want, text.String())
		}
	}
	for _, want := range []string{"❌ **Regressed**", "### Newly failing (3)", "| MIP01-REG-2 | MUST |", "✅ pass | ❌ fail |"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown diff lacks %q:\n%s", want, md.String())
		}
	}
}

func TestDiffFailingToPassing(t *testing.T) {
	d := reports.Diff(sample.Failing(), sample.Passing())
	if d.Regressed() {
		t.Fatalf("a run that fixed its failures is not a regression: %+v", d.NewlyFailing)
	}
	if got, want := ids(d.NewlyPassing), "MIP01-REG-2 MIP01-REG-4 MIP02-PRO-2"; got != want {
		t.Errorf("newly passing %q, want %q", got, want)
	}
	var text bytes.Buffer
	_ = reports.WriteDiffText(&text, d)
	if !strings.HasPrefix(text.String(), "no regression\n") {
		t.Errorf("text diff:\n%s", text.String())
	}
}

func TestDiffSameRun(t *testing.T) {
	d := reports.Diff(sample.Failing(), sample.Failing())
	if d.Regressed() || !d.Empty() {
		t.Errorf("a run compared with itself must show no change: %+v", d)
	}
}

// TestDiffSpecChange: a new spec version adds a requirement that fails,
// drops one, and raises a level; the diff names all three and the hash.
func TestDiffSpecChange(t *testing.T) {
	old := sample.Passing()
	newer := sample.Passing()
	newer.Header.SpecHash = strings.Repeat("b", 64)
	newer.Requirements = newer.Requirements[1:] // MIP01-REG-1 removed
	newer.Requirements[2].Level = spec.Must     // MIP01-REG-4: SHOULD -> MUST
	newer.Requirements = append(newer.Requirements, reports.Requirement{
		ID: "MIP02-PRO-4", MIP: "02", Level: spec.Must, Title: "a profile names its domain", Verdict: reports.Fail,
	})
	d := reports.Diff(old, newer)
	if !d.SpecChanged {
		t.Error("different spec hashes must be noted")
	}
	if ids(d.Removed) != "MIP01-REG-1" || ids(d.Added) != "MIP02-PRO-4" || ids(d.LevelChanged) != "MIP01-REG-4" {
		t.Errorf("removed %q added %q level %q", ids(d.Removed), ids(d.Added), ids(d.LevelChanged))
	}
	if !d.Regressed() || ids(d.NewlyFailing) != "MIP02-PRO-4" {
		t.Errorf("a new requirement that fails is newly failing: %q", ids(d.NewlyFailing))
	}
	var text, md bytes.Buffer
	_ = reports.WriteDiffText(&text, d)
	_ = reports.WriteDiffMarkdown(&md, d)
	for _, want := range []string{"the spec differs between the runs", "MIP01-REG-4 a reply echoes the request's Reference as X-Reference: SHOULD -> MUST", "MIP02-PRO-4 [MUST] a profile names its domain: (new) -> fail", "MIP01-REG-1 [MUST] a free name is registered to the sender: pass -> (removed)"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text diff lacks %q:\n%s", want, text.String())
		}
	}
	for _, want := range []string{"**Note:** the spec differs", "| MIP01-REG-4 | a reply echoes the request's Reference as X-Reference | SHOULD | MUST |", "### Removed requirements (1)"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown diff lacks %q:\n%s", want, md.String())
		}
	}
}

// TestDiffNeverCallsTheUnknownNoRegression: a verdict this version does not
// know, lost requirements, lost coverage and a different spec are
// regressions; a report with such verdicts or ids does not validate.
func TestDiffNeverCallsTheUnknownNoRegression(t *testing.T) {
	withVerdict := func(v reports.Verdict) reports.Run {
		r := sample.Passing()
		for i := range r.Requirements {
			r.Requirements[i].Verdict = v
		}
		return r
	}
	dropAll := sample.Passing()
	dropAll.Requirements = nil
	untested := withVerdict(reports.Untested)
	otherSpec := sample.Passing()
	otherSpec.Header.SpecHash = strings.Repeat("c", 64)
	cases := map[string]reports.Run{
		"verdict PASS":           withVerdict("PASS"),
		"verdict with escapes":   withVerdict("pass\x1b[2K"),
		"every requirement lost": dropAll,
		"every pass untested":    untested,
		"another spec":           otherSpec,
	}
	for name, newer := range cases {
		d := reports.Diff(sample.Passing(), newer)
		if !d.Regressed() || d.Empty() {
			t.Errorf("%s: Regressed() = %v, Empty() = %v, want a regression", name, d.Regressed(), d.Empty())
		}
		var text, md bytes.Buffer
		_ = reports.WriteDiffText(&text, d)
		_ = reports.WriteDiffMarkdown(&md, d)
		if !strings.HasPrefix(text.String(), "REGRESSED: ") || strings.Contains(text.String(), "no regression") {
			t.Errorf("%s: text diff:\n%s", name, text.String())
		}
		if strings.Contains(md.String(), "No regression") || strings.ContainsAny(text.String()+md.String(), "\x1b") {
			t.Errorf("%s: Markdown diff:\n%s", name, md.String())
		}
	}
	for name, run := range map[string]reports.Run{
		"verdict PASS":         withVerdict("PASS"),
		"verdict with escapes": withVerdict("pass\x1b[2K"),
		"no requirement":       dropAll,
	} {
		if err := reports.Validate(run); err == nil {
			t.Errorf("%s: Validate accepts it", name)
		}
	}
	badID := sample.Passing()
	badID.Requirements[0].ID = "MIP01-REG-1 | <img src=x> |"
	if err := reports.Validate(badID); err == nil {
		t.Error("Validate accepts an id that is not a requirement id")
	}
	if err := reports.Validate(sample.Failing()); err != nil {
		t.Errorf("Validate refuses a good report: %v", err)
	}
	var md bytes.Buffer
	_ = reports.WriteDiffMarkdown(&md, reports.Diff(sample.Passing(), badID))
	if strings.Contains(md.String(), "<img") || strings.Contains(md.String(), "REG-1 | <") {
		t.Errorf("an id reached the Markdown diff raw:\n%s", md.String())
	}
}

// TestValidateKnowsRolesAndChecksTheSummary: a report with a MIP-00 row
// per role is valid; one whose failing rows were cut out, leaving a summary
// that still says it failed, is not.
func TestValidateKnowsRolesAndChecksTheSummary(t *testing.T) {
	run := sample.Failing()
	first := run.Requirements[0]
	first.Role, first.ID, first.MIP = "domain", "MIP00-REP-1", "00"
	second := first
	second.Role = "profile"
	run.Requirements = append([]reports.Requirement{first, second}, run.Requirements[1:]...)
	run.Summary = reports.Summarize(run.Requirements)
	if err := reports.Validate(run); err != nil {
		t.Errorf("a MIP-00 row per role is refused: %v", err)
	}
	cut := sample.Failing()
	var kept []reports.Requirement
	for _, r := range cut.Requirements {
		if r.Verdict != reports.Fail {
			kept = append(kept, r)
		}
	}
	if len(kept) == len(cut.Requirements) {
		t.Fatal("the sample has no failing requirement to cut")
	}
	cut.Requirements = kept
	if err := reports.Validate(cut); err == nil {
		t.Error("a report whose failing rows were cut out is accepted")
	}
}
