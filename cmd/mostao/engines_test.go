package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/enginediff"
	"github.com/mostao/conformance/processes"
)

// readEnginesReport reads the JSON comparison --engines-report wrote.
func readEnginesReport(t *testing.T, path string) enginediff.Report {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var r enginediff.Report
	require.NoError(t, json.Unmarshal(b, &r))
	require.Equal(t, enginediff.Format, r.Format)
	return r
}

// TestEnginesAgreeOnTheReference: the reference domain, certified on the
// Lua and the wasm engine with the same scenarios and properties, gets the
// same verdicts and replies everywhere: exit 0.
func TestEnginesAgreeOnTheReference(t *testing.T) {
	report := filepath.Join(t.TempDir(), "engines.json")
	code, out, errOut := mostao(t, "certify", "--engines", "lua,wasm", "--mip", "01", "--checks", "2", "--steps", "10",
		"--quiet", "--engines-report", report)
	require.Equal(t, exitOK, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
	require.Contains(t, out, "== on the lua engine")
	require.Contains(t, out, "== on the wasm engine")
	require.Contains(t, out, "verdicts that differ: none")
	require.Contains(t, out, "replies that differ: none")
	require.Contains(t, out, "engines: SAME")
	r := readEnginesReport(t, report)
	require.Len(t, r.Engines, 2)
	require.True(t, r.Certified())
	require.False(t, r.Differs())
	require.Equal(t, "wasm", r.Nearer)
	require.Greater(t, r.ScenariosCompared, 100, "the MIP-00 and MIP-01 scenarios were not all compared")
	for _, e := range r.Engines {
		require.Positive(t, e.MustTotal, "%s judged nothing", e.Name)
	}
}

// responseLine is the reference domain's line that sends a response.
const responseLine = `msg.reply({ Action = action .. "-Response", Data = json.encode(result) })`

// editedDomain is the reference domain with its response line replaced,
// written to a file.
func editedDomain(t *testing.T, line string) string {
	t.Helper()
	require.Equal(t, 1, strings.Count(processes.Domain, responseLine), "the reference domain's response line changed")
	src := strings.Replace(processes.Domain, responseLine, line, 1)
	f := filepath.Join(t.TempDir(), "domain.lua")
	require.NoError(t, os.WriteFile(f, []byte(src), 0o644))
	return f
}

// ratioDomain is the reference domain with one more tag on its responses,
// tostring(10 / 2): "5" on the Lua engine, "5.0" in real Lua 5.3.
func ratioDomain(t *testing.T) string {
	return editedDomain(t, `msg.reply({ Action = action .. "-Response", Ratio = tostring(10 / 2), Data = json.encode(result) })`)
}

// TestEnginesReportADifferingReply: a reply tag that depends on Lua 5.3
// number formatting, which the Lua engine lacks, is reported as a reply
// that differs, naming the tag, the scenario, the step and each engine's
// value, with exit 1, although both engines certify the domain.
func TestEnginesReportADifferingReply(t *testing.T) {
	report := filepath.Join(t.TempDir(), "engines.json")
	dir := t.TempDir()
	code, out, errOut := mostao(t, "certify", "--engines", "lua,wasm", "--domain", ratioDomain(t),
		"--scenario", "features/mip00/replies.feature", "--quiet", "--engines-report", report, "--report", dir)
	require.Equal(t, exitFailed, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
	// --report DIR: one folder of reports per engine, and the comparison.
	for _, f := range []string{"lua/report.jsonl", "wasm/report.jsonl", "wasm/junit.xml", "engines.json"} {
		require.FileExists(t, filepath.Join(dir, f))
	}
	fromDir := readEnginesReport(t, filepath.Join(dir, "engines.json"))
	require.NotEmpty(t, fromDir.Replies)
	require.Regexp(t, regexp.MustCompile(`(?m)^  reply 1 tag Ratio differs on send QueryDomain: lua "5", wasm "5.0"$`), out)
	require.Contains(t, out, "engines: DIFFER")
	require.Contains(t, out, "nearer to AO: wasm")

	r := readEnginesReport(t, report)
	require.True(t, r.Certified(), "both engines certify it: the exit 1 is the difference alone")
	require.Empty(t, r.Verdicts)
	require.NotEmpty(t, r.Replies)
	d := r.Replies[0]
	require.Equal(t, "reply 1 tag Ratio", d.What)
	require.Equal(t, []string{"5", "5.0"}, d.Values)
	require.True(t, strings.HasPrefix(d.URI, "features/mip00/replies.feature"), d.URI)
	require.NotEmpty(t, d.Scenario)
	require.NotEmpty(t, d.Step, "the step that made the request is not named")
	require.Positive(t, d.Request)
}

// TestEnginesReportADifferingVerdict: a domain whose response Action
// depends on Lua 5.3 number formatting answers right on the Lua engine
// only: the requirements it breaks on the wasm engine are reported with
// each engine's verdict, and the Action tag as the reply that differs.
func TestEnginesReportADifferingVerdict(t *testing.T) {
	report := filepath.Join(t.TempDir(), "engines.json")
	src := editedDomain(t, `msg.reply({ Action = action .. "-Response" .. (tostring(10 / 2) == "5" and "" or "-5.0"), Data = json.encode(result) })`)
	code, out, errOut := mostao(t, "certify", "--engines", "lua,wasm", "--domain", src,
		"--scenario", "features/mip00/replies.feature", "--quiet", "--engines-report", report)
	require.Equal(t, exitFailed, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
	r := readEnginesReport(t, report)
	require.False(t, r.Certified())
	require.NotEmpty(t, r.Verdicts)
	for _, v := range r.Verdicts {
		require.Equal(t, "pass", v.Verdicts[0], "%s on the Lua engine", v.ID)
		require.NotEqual(t, "pass", v.Verdicts[1], "%s on the wasm engine", v.ID)
	}
	require.Regexp(t, `(?m)^  MIP00-\S+ as the domain \(MUST\): lua pass, wasm (fail|untested)`, out)
	require.Equal(t, "reply 1 tag Action", r.Replies[0].What)
}

// TestEnginesFlagsRefused: a list of fewer than two engines, an unknown
// engine, a report flag of a single run, or --engines-report alone cannot
// run (exit 2) before anything is certified.
func TestEnginesFlagsRefused(t *testing.T) {
	for _, args := range [][]string{
		{"--engines", "lua"},
		{"--engines", "lua,node"},
		{"--engines", "lua,lua"},
		{"--engines", "lua,wasm", "--jsonl", filepath.Join(t.TempDir(), "r.jsonl")},
		{"--engines", "lua,wasm", "--target", "wasm:"},
		{"--engines-report", filepath.Join(t.TempDir(), "e.json")},
	} {
		code, _, errOut := mostao(t, append([]string{"certify", "--checks", "0"}, args...)...)
		require.Equal(t, exitCannotRun, code, "%v: stderr %s", args, errOut)
		require.Contains(t, errOut, "--engines", "%v", args)
	}
}
