package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mostao/conformance/processes/broken"
)

// TestWasmTargetCatchesABrokenDomain: --target wasm: runs the supplied
// source on the bundled compiled module, names that engine in the report,
// and blames the broken variant's defect as the Lua engine does.
func TestWasmTargetCatchesABrokenDomain(t *testing.T) {
	variants, err := broken.ForRole("domain")
	if err != nil {
		t.Fatal(err)
	}
	var src string
	for _, v := range variants {
		if v.Name == "domain-hijack" {
			src = v.Source
		}
	}
	if src == "" {
		t.Fatal("no domain-hijack variant")
	}
	f := filepath.Join(t.TempDir(), "domain.lua")
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := mostao(t, "certify", "--target", "wasm:", "--domain", f, "--checks", "0")
	if code != exitFailed {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !regexp.MustCompile(`(?m)^MIP01-REG-3 as the domain \(MUST\) fail: `).MatchString(out) {
		t.Errorf("MIP01-REG-3 did not fail:\n%s", out)
	}
	if !strings.Contains(out, "wasm (wazero") || !strings.Contains(out, "--target wasm:") {
		t.Errorf("the report does not name the wasm engine and its reproducer:\n%s", out)
	}
}

// TestWasmTargetRefusesAMissingModule: a module path that is not a file is
// a suite error (exit 2), before anything runs.
func TestWasmTargetRefusesAMissingModule(t *testing.T) {
	code, _, errOut := mostao(t, "certify", "--target", "wasm:"+filepath.Join(t.TempDir(), "none.wasm"), "--checks", "0")
	if code != exitCannotRun || !strings.Contains(errOut, "none.wasm") {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
}

// TestWasmTargetStopsABacktrackingPattern: a domain whose handler spends
// hours backtracking inside Lua's C pattern matcher gets a verdict on the
// wasm engine (exit 1, the compute limit named), not the wall-clock net's
// suite error: the engine counts the C library's loops as work.
func TestWasmTargetStopsABacktrackingPattern(t *testing.T) {
	code, out, errOut := mostao(t, "certify", "--target", "wasm:", "--domain", "../../certify/testdata/backtrack.lua", "--mip", "01", "--checks", "0")
	if code != exitFailed {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "MaxWork") || !strings.Contains(out, "compute-limit") {
		t.Errorf("the report does not blame the compute limit:\n%s", out)
	}
}
