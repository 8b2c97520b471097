package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mostao/conformance/certify"
	"github.com/mostao/conformance/models"
	"github.com/mostao/conformance/processes"
	"github.com/mostao/conformance/processes/broken"
	"github.com/mostao/conformance/roles"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// mostao runs the command line in process and returns its exit code and
// what it printed.
func mostao(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// firstScenario is the location of the first MIP-01 scenario that checks a
// requirement, found in the features rather than hard-coded.
func firstScenario(t *testing.T) string {
	t.Helper()
	list, err := certify.Scenarios([]string{"01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if len(s.Requirements) > 0 {
			return s.Location
		}
	}
	t.Fatal("no MIP-01 scenario carries a requirement tag")
	return ""
}

func TestNoArgumentsCertifiesTheReference(t *testing.T) {
	code, out, errOut := mostao(t, "certify")
	if code != exitOK {
		t.Fatalf("exit %d, want 0 for the reference\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"MostAO reference processes", "ID", "LEVEL", "VERDICT", "MIP01-", "result: PASS"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestHostileDomainsExitOneWithTheReason(t *testing.T) {
	cases := []struct {
		file    string
		reasons []string
		one     bool // one scenario: the loop costs a compute limit per message
	}{
		{"twice.lua", []string{"got 2", "replies -> "}, false},
		{"bare.lua", []string{"not a JSON object"}, false},
		{"crash.lua", []string{"boom", "error (handler)"}, false},
		{"nohandlers.lua", []string{"got 0"}, false},
		{"syntax.lua", []string{"syntax.lua"}, false},
		{"loop.lua", []string{"compute-limit"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("..", "..", "certify", "testdata", tc.file)
			args := []string{"certify", "--domain", path, "--checks", "0"}
			want := []string{"MIP01-", " fail", "reproduce: ", "--domain " + path, "result: FAIL"}
			if tc.one {
				args = append(args, "--scenario", firstScenario(t), "--max-work", "2000000")
				want = append(want, "--max-work 2000000", "MaxWork")
			}
			code, out, errOut := mostao(t, args...)
			if code != exitFailed {
				t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			for _, want := range append(want, tc.reasons...) {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// TestBrokenReferenceVariantsFail certifies each deliberately broken
// variant of the reference (package processes/broken), written to a file as
// a user's source would be, in its role: each must fail a MUST of its own MIP.
func TestBrokenReferenceVariantsFail(t *testing.T) {
	variants, err := broken.All()
	if err != nil || len(variants) == 0 {
		t.Fatalf("broken variants: %d, %v", len(variants), err)
	}
	dir := t.TempDir()
	for _, v := range variants {
		role := v.Role
		mip := roles.MIPOf(role)
		if mip == "" {
			t.Errorf("%s: unknown role %q", v.Name, role)
			continue
		}
		f := filepath.Join(dir, v.Name+".lua")
		if err := os.WriteFile(f, []byte(v.Source), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Run(v.Name, func(t *testing.T) {
			code, out, errOut := mostao(t, "certify", "--"+role, f, "--checks", "0")
			if code != exitFailed {
				t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			// The process is judged on its MIP and on the MIP-00 conventions.
			if !regexp.MustCompile(`(?m)^MIP(` + mip + `|00)-[A-Z]+-[0-9]+ as the ` + role + ` \(MUST\) fail: `).MatchString(out) {
				t.Errorf("no MUST of MIP-%s or MIP-00 failed:\n%s", mip, out)
			}
			// Each failure says what it is blamed on, with the role.
			if !regexp.MustCompile(`(?m)^  blamed on: MIP[0-9]{2}-[A-Z]+-[0-9]+ \(` + role + `\)`).MatchString(out) {
				t.Errorf("no failure says what it is blamed on:\n%s", out)
			}
		})
	}
}

func TestSuiteCannotRun(t *testing.T) {
	dir := t.TempDir()
	lone := filepath.Join(dir, "impl.lua")
	if err := os.WriteFile(lone, []byte("-- nothing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	profile := filepath.Join(dir, "my-profile.lua")
	if err := os.WriteFile(profile, []byte(processes.Profile), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"certify", "--domain", filepath.Join(dir, "nope.lua")}, "nope.lua"},
		{"missing target", []string{"certify", "--target", "lua:" + filepath.Join(dir, "nope")}, "nope"},
		{"empty dir", []string{"certify", "--target", "lua:" + dir + "/"}, "none of domain.lua"},
		{"file without a role", []string{"certify", "--target", "lua:" + lone}, "--mip 01"},
		{"unknown scheme", []string{"certify", "--target", "nosuch:x"}, `unknown kind of target "nosuch"; the supported ones are lua:<file or dir>`},
		{"no scheme", []string{"certify", "--target", dir}, "write the kind of target before a colon"},
		{"bad flag", []string{"certify", "--no-such-flag"}, "no-such-flag"},
		{"bad mip", []string{"certify", "--mip", "x"}, "not a MIP"},
		{"unknown mip", []string{"certify", "--mip", "09", "--checks", "0"}, "unknown MIP"},
		{"stray argument", []string{"certify", "x.lua"}, "unexpected argument"},
		{"a MIP of a role not supplied", []string{"certify", "--profile", profile, "--mip", "01", "--checks", "0"}, "MIP-01 specifies the domain, but the target supplies only profile"},
		{"missing expectations", []string{"certify", "--expect", filepath.Join(dir, "none.txt")}, "none.txt"},
		{"unknown scenario", []string{"certify", "--scenario", "features/mip01/nope.feature"}, "nope.feature"},
		{"unknown runtime", []string{"certify", "--runtime", "aos-9"}, "--runtime \"aos-9\": the runtimes are"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"no command", nil, "Usage"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { cannotRun(t, tc.args, tc.want) })
	}
}

// cannotRun runs the command and expects exit 2 with want on stderr.
func cannotRun(t *testing.T, args []string, want string) {
	t.Helper()
	code, out, errOut := mostao(t, args...)
	if code != exitCannotRun {
		t.Fatalf("exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr lacks %q:\n%s", want, errOut)
	}
}

// TestOnlySuppliedRolesAreCertified: a profile given alone is certified for
// MIP-00 and MIP-02 as a profile, and nothing the reference domain or session
// did is credited to it.
func TestOnlySuppliedRolesAreCertified(t *testing.T) {
	profile := filepath.Join(t.TempDir(), "my-profile.lua")
	if err := os.WriteFile(profile, []byte(processes.Profile), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := mostao(t, "certify", "--profile", profile, "--checks", "0")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	// The profile is judged on every MUST of MIP-00, so the certificate
	// names the role without a count.
	if !strings.Contains(out, "certified: MIP-00 (profile), MIP-02 (profile)\n") {
		t.Errorf("want MIP-00 and MIP-02 certified as the profile, on every MUST of MIP-00:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "MIP01-") || strings.HasPrefix(line, "MIP03-") || strings.HasPrefix(line, "MIP00-") && !strings.Contains(line, " profile ") {
			t.Errorf("a verdict for a role that was not supplied: %s", line)
		}
	}
}

func TestHelpDocumentsExitCodes(t *testing.T) {
	code, out, _ := mostao(t, "help")
	if code != exitOK {
		t.Fatalf("help exit %d", code)
	}
	for _, want := range []string{"certify", "diff", "replay", "Exit codes", "0 ", "1 ", "2 "} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

func TestTargetFileRoleFromMIP(t *testing.T) {
	dir := t.TempDir()
	lone := filepath.Join(dir, "impl.lua")
	if err := os.WriteFile(lone, []byte("-- nothing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := targetFlags{target: "lua:" + lone, mips: mipList{"01"}}
	r, err := f.resolve()
	if err != nil {
		t.Fatal(err)
	}
	if r.impl.Target != "lua:"+lone || strings.Join(r.mips, ",") != "01" {
		t.Errorf("resolved %+v", r.impl)
	}
	if got := strings.Join(r.args, " "); got != "--target lua:"+lone+" --mip 01" {
		t.Errorf("reproducer args %q", got)
	}
}

func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf}
	p.update(certify.Progress{Done: 3, Total: 10, Next: "a wallet registers a free name"})
	p.finish()
	if got := buf.String(); !strings.Contains(got, "[3/10] a wallet registers a free name") || !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("progress wrote %q", got)
	}
	var none *progress
	none.finish() // no terminal: nothing to clear, and no panic
}

func TestReportsExpectationsAndDiff(t *testing.T) {
	dir := t.TempDir()
	twice := filepath.Join("..", "..", "certify", "testdata", "twice.lua")
	scenario := firstScenario(t)
	good := filepath.Join(dir, "good.jsonl")
	code, out, errOut := mostao(t, "certify", "--scenario", scenario, "--jsonl", good, "--report", filepath.Join(dir, "all"))
	if code != exitOK {
		t.Fatalf("reference, one scenario: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, f := range []string{"report.jsonl", "junit.xml", "cucumber.json", "report.md", "report.html", "badges"} {
		if _, err := os.Stat(filepath.Join(dir, "all", f)); err != nil {
			t.Errorf("--report did not write %s: %v", f, err)
		}
	}
	bad := filepath.Join(dir, "bad.jsonl")
	code, out, _ = mostao(t, "certify", "--domain", twice, "--scenario", scenario, "--jsonl", bad)
	if code != exitFailed {
		t.Fatalf("twice.lua, one scenario: exit %d\n%s", code, out)
	}

	// diff: the broken run regressed from the good one, not the other way.
	if code, out, errOut = mostao(t, "diff", good, bad); code != exitFailed || !strings.Contains(out, "MIP") {
		t.Errorf("diff good bad: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut = mostao(t, "diff", bad, good); code != exitOK {
		t.Errorf("diff bad good: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, _ = mostao(t, "diff", good, filepath.Join(dir, "none.jsonl")); code != exitCannotRun {
		t.Errorf("diff with a missing report: exit %d, want 2", code)
	}

	// Expectations: listing every failure of the broken run makes it pass;
	// the same list against the reference is stale and fails.
	var failed []string
	for _, line := range strings.Split(stdoutOf(t, "certify", "--domain", twice, "--scenario", scenario), "\n") {
		// A failure blamed on one requirement leaves the others of its
		// scenario untested: both are known failures.
		if f := strings.Fields(line); len(f) >= 4 && (f[2] == "fail" || f[2] == "untested") && strings.HasPrefix(f[0], "MIP") {
			failed = append(failed, f[0])
		}
	}
	if len(failed) == 0 {
		t.Fatal("the broken run listed no failing requirement")
	}
	exp := filepath.Join(dir, "expect.txt")
	var b strings.Builder
	b.WriteString("# known failures of twice.lua\n")
	for _, id := range failed {
		b.WriteString(id + " answers twice\n")
	}
	if err := os.WriteFile(exp, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut = mostao(t, "certify", "--domain", twice, "--scenario", scenario, "--expect", exp); code != exitOK || !strings.Contains(out, "expected-fail") {
		t.Errorf("expected failures: exit %d, want 0\n%s\n%s", code, out, errOut)
	}
	if code, out, _ = mostao(t, "certify", "--scenario", scenario, "--expect", exp); code != exitFailed || !strings.Contains(out, "unexpected-pass") {
		t.Errorf("stale expectations: exit %d, want 1\n%s", code, out)
	}
	if err := os.WriteFile(exp, []byte("MIP01-REG-1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut = mostao(t, "certify", "--scenario", scenario, "--expect", exp); code != exitCannotRun || !strings.Contains(errOut, "reason") {
		t.Errorf("expectation without a reason: exit %d, want 2\n%s", code, errOut)
	}
}

// stdoutOf runs the command line and returns its stdout.
func stdoutOf(t *testing.T, args ...string) string {
	t.Helper()
	_, out, _ := mostao(t, args...)
	return out
}

func TestReplayAFailingSequence(t *testing.T) {
	twice := filepath.Join("..", "..", "certify", "testdata", "twice.lua")
	src, err := os.ReadFile(twice)
	if err != nil {
		t.Fatal(err)
	}
	target := targets.Lua("lua:"+twice, targets.Sources{steps.RoleDomain: string(src)})
	outs, err := models.Check(context.Background(), target, "01", models.Config{Checks: 5, Steps: 5})
	if err != nil {
		t.Fatal(err)
	}
	var failure *models.Failure
	for _, o := range outs {
		if o.Failure != nil {
			failure = o.Failure
		}
	}
	if failure == nil {
		t.Fatal("the properties did not find that twice.lua answers twice")
	}
	file := filepath.Join(t.TempDir(), "failure.json")
	var buf bytes.Buffer
	if err := models.WriteSequence(&buf, failure); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := mostao(t, "replay", "--domain", twice, file)
	if code != exitFailed || !strings.Contains(out, "first divergence") || !strings.Contains(out, "replay --domain "+twice) {
		t.Errorf("replay against twice.lua: exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = mostao(t, "replay", file)
	if code != exitOK || !strings.Contains(out, "agree") {
		t.Errorf("replay against the reference: exit %d, want 0\n%s\n%s", code, out, errOut)
	}
	if code, _, _ = mostao(t, "replay", filepath.Join(t.TempDir(), "none.json")); code != exitCannotRun {
		t.Errorf("replay of a missing file: exit %d, want 2", code)
	}
}

func TestVersionNamesSuiteAndSpec(t *testing.T) {
	code, out, errOut := mostao(t, "version")
	if code != exitOK || !strings.Contains(out, "suite "+certify.SuiteVersion) || !strings.Contains(out, "sha256 ") {
		t.Errorf("version: exit %d\n%s\n%s", code, out, errOut)
	}
}
