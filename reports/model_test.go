package reports_test

import (
	"io"
	"strings"
	"testing"

	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/spec"
)

// TestJudgeBlamesOnlyWhatAFailureNames: a failed check fails only the
// requirements it blames, for the role it names; a check that did not run to
// its end credits nothing; MIP-00 is judged per role.
func TestJudgeBlamesOnlyWhatAFailureNames(t *testing.T) {
	cat, err := spec.Parse([]byte(`{"version": "t", "requirements": [
		{"id": "MIP00-REP-1", "mip": "00", "level": "MUST", "title": "one reply"},
		{"id": "MIP01-REG-1", "mip": "01", "level": "MUST", "title": "a"},
		{"id": "MIP01-REG-3", "mip": "01", "level": "MUST", "title": "b"},
		{"id": "MIP01-REN-1", "mip": "01", "level": "MUST", "title": "c"},
		{"id": "MIP02-OWN-1", "mip": "02", "level": "MUST", "title": "d"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	checks := []reports.Check{
		{Name: "hijack", Requirements: []string{"MIP00-REP-1", "MIP01-REG-3"}, Role: "domain", Status: "failed",
			Blamed: []reports.Blame{{ID: "MIP01-REG-3", Role: "domain"}}},
		{Name: "replies", Requirements: []string{"MIP00-REP-1"}, Role: "domain", Passed: true, Status: "passed"},
		{Name: "register", Requirements: []string{"MIP01-REG-1"}, Role: "domain", Passed: true, Status: "passed"},
		{Name: "setup", Requirements: []string{"MIP01-REN-1"}, Role: "domain", Status: reports.StatusPreconditionFailed,
			Blamed: []reports.Blame{{ID: "MIP01-REG-1", Role: "domain"}}},
		{Name: "profile twice", Requirements: []string{"MIP00-REP-1"}, Role: "profile", Status: "failed",
			Blamed: []reports.Blame{{ID: "MIP00-REP-1", Role: "profile"}}},
		{Name: "eval", Requirements: []string{"MIP02-OWN-1"}, Role: "profile", Status: reports.StatusUntested},
	}
	run := reports.Judge(reports.Header{MIPs: []string{"00", "01", "02"}, Roles: []string{"domain", "profile"}}, cat, checks, nil)
	got := map[string]reports.Verdict{}
	for _, r := range run.Requirements {
		got[r.Key()] = r.Verdict
	}
	want := map[string]reports.Verdict{
		"MIP00-REP-1/domain":  reports.Untested, // covered by the hijack scenario, which failed elsewhere
		"MIP00-REP-1/profile": reports.Fail,
		"MIP01-REG-1/domain":  reports.Fail, // blamed by the failed precondition
		"MIP01-REG-3/domain":  reports.Fail,
		"MIP01-REN-1/domain":  reports.Untested, // its only scenario never reached it
		"MIP02-OWN-1/profile": reports.Untested,
	}
	if len(got) != len(want) {
		t.Errorf("rows %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s is %q, want %q", k, got[k], v)
		}
	}
	if len(run.Summary.Certified) != 0 {
		t.Errorf("certified %v, want none", run.Summary.Certified)
	}

	// Only the domain judged: no profile rows, not even for MIP-00.
	run = reports.Judge(reports.Header{MIPs: []string{"00", "01"}, Roles: []string{"domain"}}, cat, checks[1:3], nil)
	for _, r := range run.Requirements {
		if r.Role != "domain" {
			t.Errorf("%s judged for the %q", r.ID, r.Role)
		}
	}
}

// TestAStoppedRunCertifiesNothing: a run stopped by its work bound neither
// passes nor certifies, even when every row it judged passed; every format
// says it was stopped, and the report still validates for a diff.
func TestAStoppedRunCertifiesNothing(t *testing.T) {
	cat, checks, h := onePassingRow(t)
	if run := reports.Judge(h, cat, checks, nil); !run.Summary.OK || len(run.Summary.Certified) != 1 {
		t.Fatalf("the run that was not stopped: %+v", run.Summary)
	}
	h.Stopped = "the run's work bound was spent during the scenarios"
	run := reports.Judge(h, cat, checks, nil)
	if run.Summary.OK || len(run.Summary.Certified) != 0 {
		t.Fatalf("a stopped run: %+v", run.Summary)
	}
	if err := reports.Validate(run); err != nil {
		t.Errorf("a stopped run does not validate: %v", err)
	}
	if b := reports.BadgeFor(run, "01"); b.Message == "certified" || b.Color != "red" {
		t.Errorf("the badge of a stopped run: %+v", b)
	}
	for name, write := range map[string]func(io.Writer, reports.Run) error{
		"markdown": reports.WriteMarkdown, "html": reports.WriteHTML, "junit": reports.WriteJUnit, "jsonl": reports.WriteJSONL,
	} {
		var b strings.Builder
		if err := write(&b, run); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "work bound was spent") {
			t.Errorf("the %s report does not say the run was stopped", name)
		}
	}
}

// TestAStoppedRunFailsInJUnitAndDiff: a CI job that reads only the JUnit
// file, or gates on `mostao diff`, sees a stopped run as a failure even when
// every row it judged matches the last run.
func TestAStoppedRunFailsInJUnitAndDiff(t *testing.T) {
	cat, checks, h := onePassingRow(t)
	old := reports.Judge(h, cat, checks, nil)
	h.Stopped = "the run's work bound was spent during the MIP-01 properties"
	stopped := reports.Judge(h, cat, checks, nil)
	var b strings.Builder
	if err := reports.WriteJUnit(&b, stopped); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `failures="1"`) || !strings.Contains(b.String(), `type="stopped"`) {
		t.Errorf("the JUnit report of a stopped run has no failure:\n%s", b.String())
	}
	d := reports.Diff(old, stopped)
	if !d.Regressed() || d.Empty() {
		t.Errorf("a newly stopped run is no regression: %+v", d.Regressions())
	}
	if reports.Diff(stopped, stopped).Regressed() {
		t.Error("a run stopped before and now is a regression")
	}
}

// onePassingRow is a catalogue of one MUST, a check that passes it, and the
// header of a run judging the domain on it.
func onePassingRow(t *testing.T) (*spec.Catalogue, []reports.Check, reports.Header) {
	t.Helper()
	cat, err := spec.Parse([]byte(`{"version": "t", "requirements": [
		{"id": "MIP01-REG-1", "mip": "01", "level": "MUST", "title": "a"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	checks := []reports.Check{{Name: "register", Requirements: []string{"MIP01-REG-1"}, Role: "domain", Passed: true, Status: "passed"}}
	return cat, checks, reports.Header{MIPs: []string{"01"}, Roles: []string{"domain"}}
}
