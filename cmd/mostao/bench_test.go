package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mostao/conformance/processes/broken"
)

func TestBenchReportsRatesPerProperty(t *testing.T) {
	code, out, errOut := mostao(t, "bench", "--mip", "01,03", "--checks", "8", "--steps", "10")
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"MostAO reference processes", "domain-registry", "chat-session", "requests/s", "per CPU-s"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "profile-owner") {
		t.Errorf("MIP-02 ran although only 01 and 03 were selected:\n%s", out)
	}
	// Eight sequences per property, and a rate on the total line.
	if !regexp.MustCompile(`(?m)domain-registry\s+8\s+[1-9][0-9]*\s*$`).MatchString(out) {
		t.Errorf("no count of 8 sequences for domain-registry:\n%s", out)
	}
	if !regexp.MustCompile(`(?m)^\s*total\s+[1-9][0-9]*\s+[0-9.]+\s+[1-9][0-9]*\s+([1-9][0-9]*|-)\s*$`).MatchString(out) {
		t.Errorf("no total line with a rate:\n%s", out)
	}
}

func TestBenchFailsOnAFailingTargetOrBelowTheGate(t *testing.T) {
	variants, err := broken.ForRole("domain")
	if err != nil || len(variants) == 0 {
		t.Fatalf("broken domains: %d, %v", len(variants), err)
	}
	var src string
	for _, v := range variants {
		src = v.Source
		break
	}
	f := filepath.Join(t.TempDir(), "domain.lua")
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := mostao(t, "bench", "--domain", f, "--checks", "20")
	if code != exitFailed || !strings.Contains(out, "failed (seed") {
		t.Errorf("a broken domain: exit %d, want 1 with the failing seed:\n%s", code, out)
	}
	code, out, _ = mostao(t, "bench", "--mip", "01", "--checks", "2", "--steps", "5", "--min-rate", "1e12")
	if code != exitFailed || !strings.Contains(out, "below --min-rate") {
		t.Errorf("an impossible --min-rate: exit %d, want 1:\n%s", code, out)
	}
	for _, args := range [][]string{{"bench", "--checks", "0"}, {"bench", "extra"}, {"bench", "--mip", "00"}, {"bench", "--mip", "01,07"}, {"bench", "--target", "wasm:x"}} {
		if code, out, errOut := mostao(t, args...); code != exitCannotRun {
			t.Errorf("%v: exit %d, want 2\n%s%s", args, code, out, errOut)
		}
	}
}
