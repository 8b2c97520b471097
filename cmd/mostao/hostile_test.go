package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/targets"
)

// forgery is an Action written to draw a passing summary over a failing
// run on a terminal: return to the start of the line, clear it, print the
// lines of a pass.
const forgery = "Register\r\x1b[2Kcertified: MIP-00, MIP-01\nresult: PASS"

// TestTerminalShowsImplementationTextVisibly: text from the implementation
// (Action, tag names and values, the Error tag, Data, ids, Lua errors, the
// world's error, the reason) cannot forge lines of the report: its control
// characters are shown as escapes.
func TestTerminalShowsImplementationTextVisibly(t *testing.T) {
	hostileMsg := adapters.Message{From: "P", Target: "\x1b[2Kalice", Data: forgery,
		Tags: adapters.Tags{{Name: "Action", Value: forgery}, {Name: forgery, Value: forgery}, {Name: "Error", Value: forgery}}}
	req := adapters.Message{From: "alice", Target: "P", Tags: adapters.Tags{{Name: "Action", Value: "Register"}}}
	check := reports.Check{Kind: reports.Scenario, Name: "a hostile reply", URI: "features/mip01/x.feature:3", Status: "failed",
		Role: "domain", Requirements: []string{"MIP01-REG-1"}, Error: "the reply was " + forgery,
		Exchanges: []adapters.Exchange{{Kind: "send", Request: req, Err: forgery, Trace: &adapters.Trace{
			Deliveries: []adapters.Delivery{{Seq: 1, Message: req, Handled: true,
				Result: adapters.Result{Messages: []adapters.Message{hostileMsg}, Output: forgery, Error: forgery, ErrorKind: adapters.ErrorHandler}}},
			ToWallets: []adapters.Message{hostileMsg},
		}}}}
	run := reports.Run{
		Header: reports.Header{Implementation: reports.Implementation{Name: "hostile", Target: "lua:hostile.lua"}, MIPs: []string{"01"}},
		Requirements: []reports.Requirement{{ID: "MIP01-REG-1", MIP: "01", Level: "MUST", Title: "a free name is registered",
			Verdict: reports.Fail, Role: "domain", Checks: []reports.Check{check}}},
	}
	run.Summary = reports.Summarize(run.Requirements)
	var buf bytes.Buffer
	printRun(&buf, run, targets.Reference(), false)
	out := buf.String()
	if strings.ContainsAny(out, "\x1b\r") {
		t.Errorf("control characters reached the terminal:\n%q", out)
	}
	var summary []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "result: ") || strings.HasPrefix(line, "certified: ") {
			summary = append(summary, line)
		}
	}
	if strings.Join(summary, "|") != "certified: none|result: FAIL" {
		t.Errorf("summary lines %q, want only the run's own:\n%s", summary, out)
	}
	for _, want := range []string{`\x1b[2Kcertified: MIP-00, MIP-01\nresult: PASS`, "ROLE", "role: domain"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestInputsAreBoundedAndRegular: every file the command reads is refused
// at once, with exit 2, when it is not a regular file (a device, a FIFO) or
// is past its size limit, instead of being read for gigabytes or blocking.
func TestInputsAreBoundedAndRegular(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "domain.lua")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.lua")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: its size is past the limit without writing it.
	if err := f.Truncate(maxSourceBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	bigReport := filepath.Join(dir, "big.jsonl")
	if err := os.WriteFile(bigReport, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(bigReport, maxReportBytes+1); err != nil {
		t.Fatal(err)
	}
	notRegular, tooLarge := "is not a regular file", "larger than the limit"
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"target linked to /dev/zero", []string{"certify", "--target", "lua:" + link}, notRegular},
		{"directory whose domain.lua is /dev/zero", []string{"certify", "--target", "lua:" + dir}, notRegular},
		{"domain /dev/zero", []string{"certify", "--domain", "/dev/zero"}, notRegular},
		{"session a FIFO", []string{"certify", "--session", fifo}, notRegular},
		{"source too large", []string{"certify", "--profile", big}, tooLarge},
		{"expectations /dev/zero", []string{"certify", "--expect", "/dev/zero"}, notRegular},
		{"expectations a FIFO", []string{"certify", "--expect", fifo}, notRegular},
		{"expectations too large", []string{"certify", "--expect", big}, tooLarge},
		{"replay /dev/zero", []string{"replay", "/dev/zero"}, notRegular},
		{"replay too large", []string{"replay", bigReport}, tooLarge},
		{"diff /dev/zero", []string{"diff", "/dev/zero", "/dev/zero"}, notRegular},
		{"diff too large", []string{"diff", bigReport, bigReport}, tooLarge},
		{"bench /dev/zero", []string{"bench", "--domain", "/dev/zero"}, notRegular},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { cannotRun(t, tc.args, tc.want) })
	}
}

// TestDiffRefusesWhatItCannotCompare: unknown verdicts and ids are errors
// (exit 2); lost requirements and another spec are regressions (exit 1);
// never "no regression".
func TestDiffRefusesWhatItCannotCompare(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, run reports.Run) string {
		p := filepath.Join(dir, name)
		var buf bytes.Buffer
		if err := reports.WriteJSONL(&buf, run); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mk := func(hash string, verdicts ...reports.Verdict) reports.Run {
		run := reports.Run{Header: reports.Header{SpecHash: hash, MIPs: []string{"01"}}}
		for i, v := range verdicts {
			run.Requirements = append(run.Requirements, reports.Requirement{ID: "MIP01-REG-" + string(rune('1'+i)), MIP: "01",
				Level: "MUST", Title: "a title", Verdict: v})
		}
		run.Summary = reports.Summarize(run.Requirements)
		return run
	}
	hash := strings.Repeat("a", 64)
	old := write("old.jsonl", mk(hash, reports.Pass, reports.Pass))
	badID := mk(hash, reports.Pass, reports.Pass)
	badID.Requirements[1].ID = "MIP01-REG-2 | <img src=x> |"
	cases := []struct {
		name string
		new  reports.Run
		code int
		want string
	}{
		{"same", mk(hash, reports.Pass, reports.Pass), exitOK, "no change"},
		{"verdict PASS", mk(hash, reports.Pass, "PASS"), exitCannotRun, `unknown verdict "PASS"`},
		{"verdict with escapes", mk(hash, reports.Pass, "pass\x1b[2K"), exitCannotRun, `unknown verdict "pass\x1b[2K"`},
		{"every requirement lost", mk(hash), exitCannotRun, "holds no requirement"},
		{"a requirement lost", mk(hash, reports.Pass), exitFailed, "missing from the new run"},
		{"a pass no longer tested", mk(hash, reports.Pass, reports.Untested), exitFailed, "no longer tested"},
		{"another spec", mk(strings.Repeat("b", 64), reports.Pass, reports.Pass), exitFailed, "different specs"},
		{"an id that is not one", badID, exitCannotRun, "is not a requirement id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := write(strings.ReplaceAll(tc.name, " ", "-")+".jsonl", tc.new)
			for _, args := range [][]string{{"diff", old, p}, {"diff", "--markdown", old, p}} {
				code, out, errOut := mostao(t, args...)
				if code != tc.code {
					t.Fatalf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, tc.code, out, errOut)
				}
				if !strings.Contains(strings.ToLower(out+errOut), strings.ToLower(tc.want)) {
					t.Errorf("%s: output lacks %q:\n%s%s", strings.Join(args, " "), tc.want, out, errOut)
				}
				if strings.ContainsAny(out, "\x1b") || strings.Contains(out, "<img") {
					t.Errorf("%s: text of the report reached the output raw:\n%s", strings.Join(args, " "), out)
				}
			}
		})
	}
}

// TestCommandBoundsItsMemory: with the collector's target raised (GOGC=400,
// for speed), the command also sets a soft memory limit, so a large live
// heap is not allowed to grow five times over.
func TestCommandBoundsItsMemory(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	setting := tuneGC()
	if got := debug.SetMemoryLimit(-1); got != memLimitDefault {
		t.Errorf("memory limit %d, want %d", got, memLimitDefault)
	}
	if !strings.Contains(setting, "GOGC=400") || !strings.Contains(setting, "GOMEMLIMIT=1024MiB") {
		t.Errorf("setting %q does not say what is in force", setting)
	}
	t.Setenv("GOMEMLIMIT", "3GiB")
	debug.SetMemoryLimit(math.MaxInt64)
	if setting := tuneGC(); debug.SetMemoryLimit(-1) != math.MaxInt64 || !strings.Contains(setting, "GOMEMLIMIT=3GiB (from the environment)") {
		t.Errorf("a GOMEMLIMIT from the environment is overridden: %q", setting)
	}
}
