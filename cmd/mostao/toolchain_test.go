package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartsWithoutTheGoTool: the built command certifies with no Go tool
// on PATH, never runs "go" (a "go" that records its calls stands on PATH),
// and writes nothing into the user's home. godog's builder package ran
// "go env" at every start, and the Go tool writes telemetry files.
func TestStartsWithoutTheGoTool(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("building the command needs the Go tool: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "mostao")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	fake := t.TempDir()
	calls := filepath.Join(t.TempDir(), "calls")
	script := "#!/bin/sh\necho \"$@\" >> " + calls + "\nexit 1\n"
	if err := os.WriteFile(filepath.Join(fake, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	for _, args := range [][]string{
		{"version"},
		{"certify", "--quiet", "--checks", "0", "--scenario", firstScenario(t)},
	} {
		for _, path := range []string{fake, ""} {
			cmd := exec.Command(bin, args...)
			cmd.Dir = t.TempDir()
			cmd.Env = []string{"PATH=" + path, "HOME=" + home}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("mostao %s with PATH=%q: %v\n%s", strings.Join(args, " "), path, err, out)
			}
		}
	}
	if ran, err := os.ReadFile(calls); err == nil {
		t.Errorf("mostao ran the Go tool: go %s", ran)
	}
	entries, err := os.ReadDir(home)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("mostao wrote %s into the home directory", e.Name())
	}
}
