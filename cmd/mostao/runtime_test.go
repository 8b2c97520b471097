package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mostao/conformance/processes/sqlite"
)

// TestRuntimeAOSSQLiteCertifiesTheSQLiteDomain: the Domain written in the
// aos-sqlite style passes MIP-00 and MIP-01 with --runtime aos-sqlite, the
// report header and the reproducer name the runtime, and without the flag
// the same file fails (lsqlite3 is only in that runtime).
func TestRuntimeAOSSQLiteCertifiesTheSQLiteDomain(t *testing.T) {
	path := filepath.Join("..", "..", "processes", "sqlite", "domain.lua")
	code, out, errOut := mostao(t, "certify", "--domain", path, "--runtime", "aos-sqlite", "--checks", "10")
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"MIP01-REG-1", "result: PASS", "aos-sqlite"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = mostao(t, "certify", "--domain", path, "--checks", "0")
	if code != exitFailed || !strings.Contains(out, "lsqlite3") {
		t.Errorf("without --runtime: exit %d, want 1 naming lsqlite3:\n%s", code, out)
	}
}

// TestRuntimeAOSSQLiteCatchesABrokenVariant: a broken variant of that
// Domain, as a user's file, fails its intended MUST and the reproducer
// keeps --runtime.
func TestRuntimeAOSSQLiteCatchesABrokenVariant(t *testing.T) {
	variants, err := sqlite.Variants()
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "domain.lua")
	if err := os.WriteFile(f, []byte(variants["domain-hijack"]), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := mostao(t, "certify", "--domain", f, "--runtime", "aos-sqlite", "--checks", "0")
	if code != exitFailed {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !regexp.MustCompile(`(?m)^MIP01-REG-3 as the domain \(MUST\) fail: `).MatchString(out) {
		t.Errorf("MIP01-REG-3 did not fail:\n%s", out)
	}
	if !strings.Contains(out, "--runtime aos-sqlite") {
		t.Errorf("the reproducer lacks --runtime aos-sqlite:\n%s", out)
	}
}
