package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mostao/conformance/roles"
)

// TestMutateDomain mutates the first three mutants of the reference Domain:
// each is killed, named by the MUSTs that failed, in the mutator's order;
// a second run that lists one of them as equivalent reports it stale and
// exits 1, and prints everything else exactly as before.
func TestMutateDomain(t *testing.T) {
	code, out, errOut := mostao(t, "mutate", "--role", "domain", "--limit", "3", "--parallel", "2")
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{"domain:24:delete-assign  killed by MIP", "domain:24:or-and  killed by MIP", "domain:26:num+1  killed by MIP"}
	if len(lines) != len(want)+1 {
		t.Fatalf("want %d mutant lines and a summary:\n%s", len(want), out)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d: %q, want it to start with %q", i+1, lines[i], w)
		}
	}
	if !strings.HasPrefix(lines[3], "domain: 3 mutants: 3 killed, 0 survived, 0 timeout, 0 SHOULD only, 0 equivalent, 0 stale; mutation score 100.0% (3/3)") {
		t.Errorf("summary: %q", lines[3])
	}

	list := filepath.Join(t.TempDir(), "equivalent.txt")
	if err := os.WriteFile(list, []byte("domain:24:or-and the registry is always set\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, again, errOut := mostao(t, "mutate", "--role", "domain", "--limit", "3", "--parallel", "2", "--equivalent", list)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1 for a killed equivalent\nstdout:\n%s\nstderr:\n%s", code, again, errOut)
	}
	got := strings.Split(strings.TrimSpace(again), "\n")
	if len(got) < 4 || got[0] != lines[0] || got[len(got)-2] != lines[2] {
		t.Errorf("the report differs from the first run's beyond the stale mutant:\n%s\nthen:\n%s", out, again)
	}
	if !strings.HasPrefix(got[1], "domain:24:or-and  STALE: listed as equivalent (the registry is always set) but killed by MIP") {
		t.Errorf("line 2: %q", got[1])
	}
	if !strings.Contains(again, "+++ domain.lua (mutant domain:24:or-and)\n@@ -22,5 +22,5 @@\n") || !strings.Contains(again, "\n+Domains = Domains and {}\n") {
		t.Errorf("the stale mutant's diff is missing:\n%s", again)
	}
}

func TestMutateRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"mutate", "--role", "wallet"},
		{"mutate", "--limit", "-1"},
		{"mutate", "extra"},
	} {
		code, _, errOut := mostao(t, args...)
		if code != exitCannotRun || !strings.Contains(errOut, "mostao mutate") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and the reason", args, code, errOut)
		}
	}
}

// TestMutateSurvivorExitsOne: a constant nothing reads makes a mutant the
// suite cannot kill; it is reported with its diff and the run exits 1.
func TestMutateSurvivorExitsOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "domain.lua")
	src := "local UNUSED = 7\n" + roles.References()[roles.Domain]
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := mostao(t, "mutate", "--target", "lua:"+path, "--limit", "1")
	if code != exitFailed {
		t.Fatalf("exit %d, want 1 for a survivor\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"domain:1:num+1  SURVIVED: `7` -> `8`\n",
		"@@ -1,3 +1,3 @@\n-local UNUSED = 7\n+local UNUSED = 8\n",
		"domain: 1 mutants: 0 killed, 1 survived, 0 timeout, 0 SHOULD only, 0 equivalent, 0 stale; mutation score 0.0% (0/1)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
