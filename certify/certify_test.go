package certify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/features"
	"github.com/mostao/conformance/models"
	"github.com/mostao/conformance/processes"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/spec"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

var fixedDate = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// hostile builds a target whose domain is one of the fixtures in testdata,
// with a short compute limit so a looping process fails fast.
func hostile(t *testing.T, file string) Config {
	t.Helper()
	src, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	target := targets.LuaWith("lua:testdata/"+file, targets.Sources{steps.RoleDomain: string(src)},
		targets.Options{FileNames: map[string]string{steps.RoleDomain: "testdata/" + file},
			Limits: lua.Limits{MaxWork: 2_000_000}})
	return Config{
		Target:         target,
		Implementation: reports.Implementation{Name: file, Target: "lua:testdata/" + file},
		MIPs:           []string{"01"},
		Date:           fixedDate,
		Reproduce:      "go run ./cmd/mostao certify --domain testdata/" + file,
	}
}

// firstScenarioOf returns the location of the first scenario tagged with a
// MIP-01 requirement: one real scenario, found rather than hard-coded, so the
// test follows the features as they change.
func firstScenarioOf(t *testing.T, mip string) string {
	t.Helper()
	pl, err := plan(features.FS, []string{"."}, mipSelection([]string{mip}, nil), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pl {
		if len(RequirementTags(p.Tags)) > 0 {
			return fmt.Sprintf("features/%s:%d", p.URI, p.Location())
		}
	}
	t.Fatalf("no scenario of MIP-%s carries a requirement tag", mip)
	return ""
}

// TestHostileDomainsFailWithTheirReason: each hostile domain fails the one
// requirement its defect breaks, as a domain, with the reason; nothing it
// never did is credited to it.
func TestHostileDomainsFailWithTheirReason(t *testing.T) {
	cases := []struct {
		file   string
		blamed string // the requirement its failure is blamed on
		reason string // what the failing check's error must say
		one    bool   // run one scenario only (the loop costs a compute limit per message)
	}{
		{"twice.lua", "MIP00-REP-1", "got 2", false},
		{"bare.lua", "MIP00-REP-3", "not a JSON object", false},
		{"crash.lua", "MIP00-INP-2", "boom", false},
		{"silent.lua", "MIP00-REP-1", "got 0", false},
		{"nohandlers.lua", "MIP00-REP-1", "got 0", false},
		{"syntax.lua", "MIP00-INP-2", "testdata/syntax.lua", false},
		{"loop.lua", "MIP00-INP-2", "compute-limit", true},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			cfg := hostile(t, tc.file)
			if tc.one {
				cfg.Scenario = firstScenarioOf(t, "01")
			}
			run, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatalf("a broken implementation must give verdicts, not an error: %v", err)
			}
			if run.Summary.OK {
				t.Fatalf("the run passed a broken domain (%s)", tc.file)
			}
			var failed []string
			found := false
			for _, r := range run.Requirements {
				if r.Role != steps.RoleDomain {
					t.Errorf("%s is judged for the %q, but only a domain was supplied", r.ID, r.Role)
				}
				if r.Verdict != reports.Fail {
					continue
				}
				failed = append(failed, r.ID)
				if r.ID != tc.blamed {
					continue
				}
				for _, c := range r.Checks {
					if !c.Passed && strings.Contains(c.Error, tc.reason) && strings.Contains(c.Error, tc.blamed+" (domain)") {
						found = true
						if !strings.Contains(c.Reproducer, "--scenario features/") {
							t.Errorf("%s: reproducer %q does not name the scenario", r.ID, c.Reproducer)
						}
						if len(c.Exchanges) == 0 && tc.file != "syntax.lua" {
							t.Errorf("%s: the failing check carries no exchanges", r.ID)
						}
					}
				}
			}
			if !found {
				t.Fatalf("no failing check of %s says %q and names %s (domain); failing: %v; first errors:\n%s", tc.blamed, tc.reason, tc.blamed, failed, firstErrors(run, 3))
			}
			t.Logf("failing: %v", failed)
		})
	}
}

func firstErrors(run reports.Run, n int) string {
	var b strings.Builder
	for _, r := range run.Requirements {
		for _, c := range r.Checks {
			if !c.Passed && n > 0 {
				fmt.Fprintf(&b, "%s: %s\n", r.ID, c.Error)
				n--
			}
		}
	}
	return b.String()
}

func TestHeaderSaysWhatRanAgainstWhat(t *testing.T) {
	cfg := hostile(t, "silent.lua")
	cfg.Seed = 42
	run, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := run.Header
	cat, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := spec.Hash()
	if h.Format != reports.FormatVersion || h.SuiteVersion != SuiteVersion || h.SpecVersion != cat.Version || h.SpecHash != hash {
		t.Errorf("header versions: %+v", h)
	}
	if h.Date != "2026-01-02T03:04:05Z" || h.Seed != 42 || h.Implementation.Target != "lua:testdata/silent.lua" {
		t.Errorf("header: %+v", h)
	}
	if strings.Join(h.MIPs, ",") != "00,01" {
		t.Errorf("MIPs = %v, want MIP-00 added to MIP-01", h.MIPs)
	}
}

// TestOneScenarioCertifiesNoMIP: a run of one passing scenario passes, but
// certifies no MIP, whose other requirements it never checked.
func TestOneScenarioCertifiesNoMIP(t *testing.T) {
	cfg := Config{Target: targets.Reference(), Date: fixedDate, Scenario: firstScenarioOf(t, "01")}
	run, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !run.Summary.OK {
		t.Fatalf("the reference fails %s", cfg.Scenario)
	}
	if len(run.Summary.Certified) != 0 {
		t.Errorf("one scenario certified %v", run.Summary.Certified)
	}
}

func TestOneScenarioJudgesOnlyWhatItCovers(t *testing.T) {
	cfg := hostile(t, "silent.lua")
	cfg.Scenario = firstScenarioOf(t, "01")
	run, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Requirements) == 0 {
		t.Fatal("no requirement judged")
	}
	mips := map[string]bool{}
	for _, r := range run.Requirements {
		mips[r.MIP] = true
	}
	if len(run.Header.MIPs) != len(mips) {
		t.Errorf("header MIPs %v, want the MIPs of the judged requirements %v", run.Header.MIPs, mips)
	}
	for _, r := range run.Requirements {
		if len(r.Checks) != 1 {
			t.Errorf("%s has %d checks, want the one scenario", r.ID, len(r.Checks))
		}
		c := r.Checks[0]
		if c.URI != cfg.Scenario {
			t.Errorf("check URI %q, want %q", c.URI, cfg.Scenario)
		}
		if want := cfg.Reproduce + " --scenario " + cfg.Scenario; c.Reproducer != want {
			t.Errorf("reproducer %q, want %q", c.Reproducer, want)
		}
		for _, st := range c.Steps {
			if st.Line == 0 {
				t.Errorf("step %q has no line", st.Text)
			}
		}
	}
}

func TestSuiteErrorsAreErrors(t *testing.T) {
	cfg := hostile(t, "silent.lua")
	cfg.MIPs = []string{"77"}
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "77") {
		t.Errorf("unknown MIP: err = %v", err)
	}
	cfg = hostile(t, "silent.lua")
	cfg.Scenario = "features/mip01/nope.feature"
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "nope.feature") {
		t.Errorf("unknown feature: err = %v", err)
	}
	cfg = hostile(t, "silent.lua")
	cfg.MIPs = []string{"02"} // a domain alone does not fill MIP-02's role
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "MIP-02 specifies the profile") {
		t.Errorf("a MIP whose role was not supplied: err = %v", err)
	}
	cfg = hostile(t, "silent.lua")
	cfg.Scenario = "features/mip02/profile.feature"
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "exercises the profile") {
		t.Errorf("a scenario of a role not supplied: err = %v", err)
	}
	cfg = hostile(t, "silent.lua")
	cfg.Scenario = "features/mip01/register.feature:99999"
	if _, err := Run(context.Background(), cfg); err == nil {
		t.Errorf("a line with no scenario must be an error")
	}
}

func TestSplitScenario(t *testing.T) {
	for in, want := range map[string]string{
		"features/mip01/register.feature:12": "mip01/register.feature 12",
		"mip01/register.feature":             "mip01/register.feature 0",
		"./features/mip01/a.feature:3":       "mip01/a.feature 3",
	} {
		p, l := SplitScenario(in)
		if got := fmt.Sprintf("%s %d", p, l); got != want {
			t.Errorf("SplitScenario(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestShellQuoteAndMIPs(t *testing.T) {
	if got := ShellQuote("features/mip01/a.feature:12"); got != "features/mip01/a.feature:12" {
		t.Errorf("safe string quoted: %s", got)
	}
	if got := ShellQuote("my dir/it's.lua"); got != `'my dir/it'\''s.lua'` {
		t.Errorf("ShellQuote = %s", got)
	}
	for in, want := range map[string]string{"1": "01", "01": "01", "MIP-02": "02", "mip03": "03"} {
		if got := NormalizeMIP(in); got != want {
			t.Errorf("NormalizeMIP(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPropertyOutcomesBecomeChecks(t *testing.T) {
	pass := propertyCheck(models.Outcome{MIP: "01", Property: "domain-registry", Sequences: 5, Covered: []string{"MIP01-REG-1", "MIP00-RPL-1"}})
	if !pass.Passed || pass.Kind != reports.Property || len(pass.Requirements) != 2 {
		t.Errorf("passing outcome: %+v", pass)
	}
	f := &models.Failure{
		Seed:       7,
		Sequence:   models.Sequence{MIP: "01", Property: "domain-registry", Steps: []models.Step{{Kind: "send", From: "alice", To: "D", Action: "Register"}}},
		Divergence: models.Divergence{Step: 0, Requirements: []string{"MIP01-REG-2"}, Expected: "NameTaken", Got: "success"},
		Replay:     "go run ./cmd/mostao certify --mip 01 --seed 7 --checks 1",
	}
	fail := propertyCheck(models.Outcome{MIP: "01", Property: "domain-registry", Covered: []string{"MIP01-REG-1", "MIP01-REG-2"}, Failed: []string{"MIP01-REG-2"}, Failure: f})
	if fail.Passed || strings.Join(fail.Requirements, ",") != "MIP01-REG-2" {
		t.Errorf("a failed property must fail only the diverging requirements and vouch for nothing else: %+v", fail)
	}
	if fail.Reproducer != f.Replay || !strings.Contains(fail.Error, "NameTaken") || !strings.Contains(fail.FailedStep, "Register") {
		t.Errorf("failing check lacks the replay, divergence or step: %+v", fail)
	}
}

func TestUnknownExpectationIsAnError(t *testing.T) {
	cfg := hostile(t, "silent.lua")
	cfg.Expected = map[string]string{"MIP01-NOPE-9": "typo"}
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "MIP01-NOPE-9") {
		t.Errorf("err = %v", err)
	}
}

func TestScenarioFromAFileOnDisk(t *testing.T) {
	dir := t.TempDir()
	feature := dir + "/regression.feature"
	text := `@MIP-01
Feature: a regression found by the properties

  @MIP01-REG-1 @MUST @regression
  Scenario: a wallet registers a free name
    Given a domain process "D"
    When wallet "alice" sends "Register" to "D" with data:
      """
      {"name": "shop", "pid": "<P1>"}
      """
    Then the reply is a success
`
	if err := os.WriteFile(feature, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := hostile(t, "silent.lua")
	cfg.Scenario = feature + ":5"
	run, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	// A silent domain fails the scenario at its reply count: the failure is
	// MIP00-REP-1's, and MIP01-REG-1, which the scenario never reached, is
	// not credited.
	verdicts := map[string]reports.Verdict{}
	for _, r := range run.Requirements {
		verdicts[r.Key()] = r.Verdict
	}
	if len(verdicts) != 2 || verdicts["MIP00-REP-1/domain"] != reports.Fail || verdicts["MIP01-REG-1/domain"] != reports.Untested {
		t.Fatalf("want MIP00-REP-1 failing and MIP01-REG-1 untested, got %v", verdicts)
	}
	c := run.Requirements[0].Checks[0]
	if c.URI != feature+":5" || !strings.HasSuffix(c.Reproducer, "--scenario "+ShellQuote(feature+":5")) {
		t.Errorf("check URI %q, reproducer %q", c.URI, c.Reproducer)
	}

	cfg.Target = targets.Reference()
	run, err = Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !run.Summary.OK {
		t.Errorf("the reference fails the regression scenario: %+v", run.Requirements)
	}
}

func TestProgressCountsEveryScenario(t *testing.T) {
	cfg := hostile(t, "silent.lua")
	var seen []Progress
	cfg.Progress = func(p Progress) { seen = append(seen, p) }
	run, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 2 {
		t.Fatalf("progress called %d times", len(seen))
	}
	total := seen[0].Total
	if seen[0].Done != 0 || seen[0].Next == "" || total == 0 {
		t.Errorf("first progress %+v, want 0 done and the first scenario's name", seen[0])
	}
	last := seen[len(seen)-1]
	if last.Done != total || last.Next != "" || last.Last.Name == "" {
		t.Errorf("last progress %+v, want %d done", last, total)
	}
	checks := map[string]bool{}
	for _, r := range run.Requirements {
		for _, c := range r.Checks {
			checks[c.URI+"\x00"+c.Name] = true
		}
	}
	if len(checks) > total {
		t.Errorf("%d distinct checks but a total of %d scenarios announced", len(checks), total)
	}
}

// TestPropertiesJudgeBrokenSourcesToo: a source the properties cannot even
// spawn fails its requirements, it does not stop the suite.
func TestPropertiesJudgeBrokenSourcesToo(t *testing.T) {
	for _, file := range []string{"syntax.lua", "twice.lua"} {
		cfg := hostile(t, file)
		cfg.Checks = 3
		run, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		failedProperty := false
		for _, r := range run.Requirements {
			for _, c := range r.Checks {
				if c.Kind == reports.Property && !c.Passed && c.Reproducer != "" {
					failedProperty = true
				}
			}
		}
		if !failedProperty {
			t.Errorf("%s: no property failed", file)
		}
	}
}

// TestOneRowOfAnOutline: a row's line reruns that row alone, and a failing
// row's reproducer names its own line.
func TestOneRowOfAnOutline(t *testing.T) {
	pl, err := plan(features.FS, []string{"."}, mipSelection([]string{"01"}, nil), 0)
	if err != nil {
		t.Fatal(err)
	}
	var row planned // a second row, so that the rows before it must be left out
	for i := 1; i < len(pl); i++ {
		if pl[i].RowLine > 0 && pl[i].Line == pl[i-1].Line && pl[i].URI == pl[i-1].URI {
			row = pl[i]
			break
		}
	}
	if row.RowLine == 0 {
		t.Fatal("no Scenario Outline among the MIP-01 features: this test has nothing to check")
	}
	loc := fmt.Sprintf("features/%s:%d", row.URI, row.RowLine)
	cfg := hostile(t, "silent.lua")
	cfg.Scenario = loc
	run, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range run.Requirements {
		for _, c := range r.Checks {
			seen[c.URI+" "+c.Name] = true
			if !c.Passed && !strings.HasSuffix(c.Reproducer, "--scenario "+loc) {
				t.Errorf("reproducer %q does not name the row %s", c.Reproducer, loc)
			}
		}
	}
	if len(seen) != 1 || !seen[loc+" "+row.Name] {
		t.Errorf("ran %v, want only %s %q", seen, loc, row.Name)
	}
}

// TestASessionWithoutEvalLeavesTheProfileUntested: the trust and chat-list
// scenarios forge notices through aos Eval on a session the attacker
// spawned. A session module without Eval cannot play that part: those
// scenarios are untested with the reason, and nothing is failed, neither the
// profile's requirements nor the session's.
func TestASessionWithoutEvalLeavesTheProfileUntested(t *testing.T) {
	noEval := "Handlers.remove(\"_eval\")\n" + targets.ReferenceSources()[steps.RoleSession]
	cfg := Config{
		Target: targets.Lua("no-eval", targets.Sources{
			steps.RoleProfile: targets.ReferenceSources()[steps.RoleProfile],
			steps.RoleSession: noEval,
		}),
		MIPs: []string{"02", "03"},
		Date: fixedDate,
	}
	run, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	untested := map[string]bool{}
	for _, r := range run.Requirements {
		if r.Verdict == reports.Fail || r.Verdict == reports.Warn {
			t.Errorf("%s (%s) %s: %s", r.ID, r.Role, r.Verdict, firstErrors(reports.Run{Requirements: []reports.Requirement{r}}, 1))
		}
		for _, c := range r.Checks {
			if c.Status == reports.StatusUntested {
				untested[c.URI] = true
				if !strings.Contains(c.Error, "Eval") {
					t.Errorf("untested check %s gives no reason: %q", c.URI, c.Error)
				}
			}
		}
		if r.ID == "MIP02-TRUST-1" && r.Verdict != reports.Untested {
			t.Errorf("MIP02-TRUST-1 is %s, want untested: some of its scenarios could not run", r.Verdict)
		}
	}
	if len(untested) == 0 {
		t.Fatal("no scenario was untested")
	}
	if !slices.Contains(run.Summary.Certified, "03") {
		t.Errorf("MIP-03 is not certified (%v): a session without Eval still meets MIP-03", run.Summary.Certified)
	}
	t.Logf("%d scenarios untested", len(untested))
}

// TestAFailedPropertyBlamesItsFirstDivergence: a failing property fails the
// requirement its divergence breaks first, as its MIP's role, and leaves the
// others it lists untested.
func TestAFailedPropertyBlamesItsFirstDivergence(t *testing.T) {
	c := reports.Check{Kind: reports.Property, URI: "models:03/chat-session", Requirements: []string{"MIP03-SEND-3", "MIP03-SEND-4"}, Status: "failed"}
	blameProperty(&c)
	if c.Role != steps.RoleSession || len(c.Blamed) != 1 || c.Blamed[0] != (reports.Blame{ID: "MIP03-SEND-3", Role: steps.RoleSession}) {
		t.Errorf("role %q, blamed %v", c.Role, c.Blamed)
	}
	passed := reports.Check{Kind: reports.Property, URI: "models:01/domain-registry", Requirements: []string{"MIP01-REG-1"}, Passed: true, Status: "passed"}
	blameProperty(&passed)
	if passed.Role != steps.RoleDomain || len(passed.Blamed) != 0 {
		t.Errorf("a passing property: role %q, blamed %v", passed.Role, passed.Blamed)
	}
}

// TestAFeatureFileTheSuiteCannotRunIsNoVerdict: a feature file given with
// --scenario whose step the suite does not define, or whose scenario names
// no requirement of the spec, is the file's fault: the run is an error
// (exit 2), not a failure blamed on the implementation, nor a pass.
func TestAFeatureFileTheSuiteCannotRunIsNoVerdict(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct{ text, want string }{
		"undefined.feature": {"Feature: x\n  @MIP01-REG-1 @MUST\n  Scenario: y\n    When nonsense happens\n", `the step "nonsense happens" is not defined`},
		"untagged.feature":  {"Feature: x\n  Scenario: y\n    Given a domain process \"D\"\n", "is tagged with no requirement"},
		"unknown.feature":   {"Feature: x\n  @MIP01-REG-99 @MUST\n  Scenario: y\n    Given a domain process \"D\"\n", "is tagged MIP01-REG-99, which spec"},
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Run(context.Background(), Config{
			Target:   targets.Lua("reference", targets.Sources{steps.RoleDomain: processes.Domain}),
			Scenario: path,
			Date:     fixedDate,
		})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Run error %v, want one saying %q", name, err, c.want)
		}
	}
}

// TestASpawnAskedInvalidIsNotATookSpawnCheck: the setup steps that spawn a
// session check that it took a valid spawn (MIP03-INIT-1), and only a
// valid one: a group of 257 or a DM of a wallet with itself is refused by
// a correct session, and a scenario may ask for one to see NotFound. The
// reference passes such scenarios.
func TestASpawnAskedInvalidIsNotATookSpawnCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "invalid.feature")
	text := `Feature: spawns no session makes valid
  @MIP03-INIT-1 @MUST
  Scenario: a group of 257 is no session
    Given wallet "alice" spawns a group session "G" with 256 others
    When "anyone" dryruns "GetSessionInfo" on "G"
    Then the reply is an error "NotFound"

  @MIP03-INIT-1 @MUST
  Scenario: a DM with oneself is no session
    Given wallet "alice" spawns a dm session "S" with "alice"
    When "anyone" dryruns "GetSessionInfo" on "S"
    Then the reply is an error "NotFound"
`
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	run, err := Run(context.Background(), Config{
		Target:   targets.Lua("reference", targets.Sources{steps.RoleSession: processes.Session}),
		Scenario: path,
		Date:     fixedDate,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !run.Summary.OK {
		t.Fatalf("the reference session fails scenarios that ask for invalid spawns:\n%s", firstErrors(run, 4))
	}
}
