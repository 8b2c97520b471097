package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mostao/conformance/certify"
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
	code, out, errOut := mostao(t, "certify", "--checks", "0")
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
			if tc.one {
				args = append(args, "--scenario", firstScenario(t))
			}
			code, out, errOut := mostao(t, args...)
			if code != exitFailed {
				t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			for _, want := range append([]string{"MIP01-", " fail", "reproduce: ", "--domain " + path, "result: FAIL"}, tc.reasons...) {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

func TestBrokenReferenceVariantsFail(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "processes", "testdata", "broken", "domain-*.lua"))
	if len(files) == 0 {
		t.Skip("no broken domain variants in processes/testdata/broken yet")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			code, out, errOut := mostao(t, "certify", "--domain", f, "--checks", "0")
			if code != exitFailed || !strings.Contains(out, "MIP01-") {
				t.Fatalf("exit %d, want 1 naming a MIP-01 requirement\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
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
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"certify", "--domain", filepath.Join(dir, "nope.lua")}, "nope.lua"},
		{"missing target", []string{"certify", "--target", "lua:" + filepath.Join(dir, "nope")}, "nope"},
		{"empty dir", []string{"certify", "--target", "lua:" + dir + "/"}, "none of domain.lua"},
		{"file without a role", []string{"certify", "--target", "lua:" + lone}, "--mip 01"},
		{"unknown scheme", []string{"certify", "--target", "wasm:x.wasm"}, "only lua:"},
		{"bad flag", []string{"certify", "--no-such-flag"}, "no-such-flag"},
		{"bad mip", []string{"certify", "--mip", "x"}, "not a MIP"},
		{"unknown mip", []string{"certify", "--mip", "09", "--checks", "0"}, "unknown MIP"},
		{"stray argument", []string{"certify", "x.lua"}, "unexpected argument"},
		{"missing expectations", []string{"certify", "--expect", filepath.Join(dir, "none.txt")}, "none.txt"},
		{"unknown scenario", []string{"certify", "--scenario", "features/mip01/nope.feature"}, "nope.feature"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"no command", nil, "Usage"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := mostao(t, tc.args...)
			if code != exitCannotRun {
				t.Fatalf("exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, errOut)
			}
		})
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
