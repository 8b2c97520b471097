package reports_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/reports/internal/sample"
)

// errTooBig stops a writer that goes past a test's cap, so a report that is
// not bounded fails the test quickly instead of filling the disk.
var errTooBig = errors.New("report past the test's cap")

// capWriter keeps what is written, up to a cap.
type capWriter struct {
	buf bytes.Buffer
	cap int
}

func (c *capWriter) Write(p []byte) (int, error) {
	if c.buf.Len()+len(p) > c.cap {
		return 0, errTooBig
	}
	return c.buf.Write(p)
}

// floodRun is a failing run of an implementation that answers every request
// with 999 messages of 3 KB and an 8 MiB reply, on every failing check of
// many requirements: what made reports of gigabytes.
func floodRun() reports.Run {
	run := sample.Failing()
	data := strings.Repeat("x", 3000)
	var flood []adapters.Message
	for i := range 999 {
		flood = append(flood, adapters.Message{From: "P", Target: fmt.Sprintf("w%d", i), Data: data,
			Tags: adapters.Tags{{Name: "Action", Value: "Flood"}}})
	}
	huge := adapters.Message{From: "P", Target: "alice", Data: strings.Repeat("y", 8<<20)}
	var exs []adapters.Exchange
	for i := range 60 {
		req := adapters.Message{From: "alice", Target: "P", Tags: adapters.Tags{{Name: "Action", Value: "Ping"}, {Name: "Reference", Value: fmt.Sprint(i)}}}
		exs = append(exs, adapters.Exchange{Kind: "send", Request: req, Trace: &adapters.Trace{
			Deliveries: []adapters.Delivery{{Seq: i, Message: req, Handled: true, Result: adapters.Result{Messages: flood, Output: data}}},
			ToWallets:  append([]adapters.Message{huge}, flood...),
		}})
	}
	check := reports.Check{Kind: reports.Property, Name: "flood", URI: "models:01/flood", Passed: false, Status: "failed",
		Error: "the process answered with a flood", Exchanges: exs}
	// Every requirement of the run fails on the same flooding check, as
	// when one property covers them all.
	for i := range run.Requirements {
		r := &run.Requirements[i]
		check.Requirements = []string{r.ID}
		r.Checks = append(r.Checks, check, check)
		r.Verdict = reports.Fail
	}
	// A long run: the same requirements many times over.
	reqs := run.Requirements
	for i := 0; i < 20; i++ {
		run.Requirements = append(run.Requirements, reqs...)
	}
	return run
}

// TestEveryFormatIsBounded: a flood of messages and an 8 MiB reply give
// reports of bounded size, the Markdown one within a CI step summary (1
// MiB), and each says that it was clipped.
func TestEveryFormatIsBounded(t *testing.T) {
	run := floodRun()
	before := run.Requirements[0].Checks[len(run.Requirements[0].Checks)-1].Exchanges[0].Trace.ToWallets[0].Data
	caps := map[string]int{
		reports.FileMarkdown: 1 << 20,
		reports.FileJSONL:    48 << 20,
		reports.FileHTML:     48 << 20,
		reports.FileJUnit:    48 << 20,
		reports.FileCucumber: 48 << 20,
	}
	says := map[string]string{
		reports.FileMarkdown: "**Clipped:**",
		reports.FileJSONL:    `"clipped":{"bytes":`,
		reports.FileHTML:     `id="clipped"`,
		reports.FileJUnit:    `name="clipped" value="clipped: `,
		reports.FileCucumber: "",
	}
	for name, limit := range caps {
		w := &capWriter{cap: limit}
		if err := reports.Writers[name](w, run); err != nil {
			t.Errorf("%s: %v (%d bytes written)", name, err, w.buf.Len())
			continue
		}
		t.Logf("%s: %d bytes", name, w.buf.Len())
		if s := says[name]; s != "" && !strings.Contains(w.buf.String(), s) {
			t.Errorf("%s does not say it was clipped (%q)", name, s)
		}
	}
	// The run given to the writers is left whole.
	if after := run.Requirements[0].Checks[len(run.Requirements[0].Checks)-1].Exchanges[0].Trace.ToWallets[0].Data; len(after) != len(before) {
		t.Errorf("writing a report changed the run: data of %d bytes is now %d", len(before), len(after))
	}
}

// TestBoundSaysWhatItLeftOut: every limit cuts, the cut is counted on the
// check and in the header, and bounding again cuts nothing more.
func TestBoundSaysWhatItLeftOut(t *testing.T) {
	run := floodRun()
	b := reports.Bound(run, reports.DefaultLimits)
	h := b.Header.Clipped
	if h.IsZero() || h.Bytes == 0 || h.Messages == 0 || h.Exchanges == 0 {
		t.Fatalf("header clipping %+v: want bytes, messages and exchanges left out", h)
	}
	first := b.Requirements[0].Checks[len(b.Requirements[0].Checks)-1]
	n := len(first.Exchanges)
	if first.Clipped.IsZero() || n == 0 || n >= reports.DefaultLimits.Exchanges || first.Clipped.Exchanges != 60-n {
		t.Fatalf("first flooded check keeps %d of 60 exchanges, clipping %+v", n, first.Clipped)
	}
	// The last exchanges are kept: the failure is at the end.
	if ref := first.Exchanges[n-1].Request.Tags.Value("Reference"); ref != "59" {
		t.Errorf("the last exchange kept is Reference %s, want 59", ref)
	}
	tr := first.Exchanges[0].Trace
	if len(tr.ToWallets) != reports.DefaultLimits.Messages {
		t.Errorf("kept %d replies, want %d", len(tr.ToWallets), reports.DefaultLimits.Messages)
	}
	if d := tr.ToWallets[0].Data; len(d) > reports.DefaultLimits.Text || !strings.Contains(d, "[clipped: ") {
		t.Errorf("the 8 MiB reply keeps %d bytes, ending %q", len(d), d[max(0, len(d)-40):])
	}
	// The run's budget: late checks keep their reason but no exchanges.
	last := b.Requirements[len(b.Requirements)-1].Checks
	if lc := last[len(last)-1]; len(lc.Exchanges) != 0 || lc.Error == "" || lc.Clipped.IsZero() {
		t.Errorf("a check past the run's budget keeps %d exchanges, error %q, clipping %+v", len(lc.Exchanges), lc.Error, lc.Clipped)
	}
	again := reports.Bound(b, reports.DefaultLimits)
	if !reflect.DeepEqual(again, b) {
		t.Error("bounding a bounded run changed it")
	}
}

// TestBoundingEachCheckEarlyChangesNothing: a run bounds each check's
// exchanges as soon as it ends (BoundExchanges), so that it never holds
// more than its reports keep; what Bound then keeps of the run is what it
// keeps of the whole one.
func TestBoundingEachCheckEarlyChangesNothing(t *testing.T) {
	run := floodRun()
	early := run
	early.Requirements = make([]reports.Requirement, len(run.Requirements))
	for i, r := range run.Requirements {
		checks := make([]reports.Check, len(r.Checks))
		for j, c := range r.Checks {
			kept, cut := reports.BoundExchanges(c.Exchanges, reports.DefaultLimits)
			if c.Name == "flood" && cut.IsZero() {
				t.Fatal("the flood was not cut")
			}
			c.Exchanges = kept
			if !cut.IsZero() {
				c.Clipped = &cut
			}
			checks[j] = c
		}
		r.Checks = checks
		early.Requirements[i] = r
	}
	got, want := reports.Bound(early, reports.DefaultLimits), reports.Bound(run, reports.DefaultLimits)
	// The counts of what was cut differ: an exchange cut early and then
	// left out for the run's budget counts its cut text too.
	if g, w := got.Header.Clipped, want.Header.Clipped; g.Exchanges != w.Exchanges || g.Bytes < w.Bytes || g.Messages < w.Messages {
		t.Errorf("bounded early, the run's header says %q; bounded at the end, %q", g.String(), w.String())
	}
	for _, r := range []*reports.Run{&got, &want} {
		r.Header.Clipped = nil
		for i := range r.Requirements {
			for j := range r.Requirements[i].Checks {
				r.Requirements[i].Checks[j].Clipped = nil
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("bounded early, the run keeps other exchanges than bounded at the end")
	}
	if again := reports.Bound(reports.Bound(early, reports.DefaultLimits), reports.DefaultLimits); !reflect.DeepEqual(again, reports.Bound(early, reports.DefaultLimits)) {
		t.Error("bounding a bounded run changed it")
	}
}

// hostile are texts an implementation chooses, written to forge a passing
// summary on a terminal or to break out of a Markdown table.
var hostile = []string{
	"Register\r\x1b[2Kcertified: MIP-00, MIP-01\nresult: PASS",
	"x|y`z`<img src=x onerror=alert(1)>**bold**[link](http://evil)",
	"\x1b[31mred\u202etxt\x7f\x9b",
}

// hostileRun is the failing sample run whose failure carries the hostile
// texts everywhere an implementation can put text: the Action, tag names and
// values, the Error tag, Data, the printed output and the Lua error.
func hostileRun() reports.Run {
	run := sample.Failing()
	var msgs []adapters.Message
	for _, h := range hostile {
		msgs = append(msgs, adapters.Message{From: "P", Target: h, Data: h,
			Tags: adapters.Tags{{Name: "Action", Value: h}, {Name: h, Value: h}, {Name: "Error", Value: h}}})
	}
	req := adapters.Message{From: "alice", Target: "P", Tags: adapters.Tags{{Name: "Action", Value: hostile[0]}}}
	ex := adapters.Exchange{Kind: "send", Request: req, Err: hostile[0], Trace: &adapters.Trace{
		Deliveries: []adapters.Delivery{{Seq: 1, Message: req, Handled: true,
			Result: adapters.Result{Messages: msgs, Output: hostile[0], Error: hostile[0], ErrorKind: adapters.ErrorHandler}}},
		ToWallets: msgs,
	}}
	for i := range run.Requirements {
		for j := range run.Requirements[i].Checks {
			c := &run.Requirements[i].Checks[j]
			if !c.Passed {
				c.Exchanges = append(c.Exchanges, ex)
				c.Error = "the reply was " + hostile[0]
			}
		}
	}
	return run
}

// forged reports lines of a report that read as the suite's own summary:
// the hostile text starting a line of its own.
func forged(report string) []string {
	var bad []string
	for _, line := range strings.Split(report, "\n") {
		if strings.HasPrefix(line, "result: PASS") || strings.HasPrefix(line, "certified: MIP") {
			bad = append(bad, line)
		}
	}
	return bad
}

// outsideFences is the Markdown outside its code blocks, where markup is
// rendered.
func outsideFences(md string) string {
	var b strings.Builder
	in := ""
	for _, line := range strings.Split(md, "\n") {
		switch {
		case in == "" && strings.HasPrefix(line, "```"):
			in = strings.TrimRight(line, "abcdefghijklmnopqrstuvwxyz")
		case in != "" && line == in:
			in = ""
		case in == "":
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// TestImplementationTextIsEscaped: in Markdown, HTML and JUnit, hostile
// text shows its control characters as escapes, cannot start a line of its
// own, and cannot add markup or table cells.
func TestImplementationTextIsEscaped(t *testing.T) {
	run := hostileRun()
	for _, name := range []string{reports.FileMarkdown, reports.FileHTML, reports.FileJUnit} {
		var buf bytes.Buffer
		if err := reports.Writers[name](&buf, run); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if strings.ContainsAny(out, "\x1b\r\x7f\u202e\u009b") {
			t.Errorf("%s carries raw control characters", name)
		}
		if !strings.Contains(out, `\x1b[2K`) {
			t.Errorf("%s does not show the escape sequence visibly", name)
		}
		switch name {
		case reports.FileHTML:
			// Lines of HTML source are not lines on the page: the texts
			// must show their line breaks as escapes.
			if !strings.Contains(out, `Action=Register\r\x1b[2Kcertified: MIP-00, MIP-01\nresult: PASS`) {
				t.Errorf("%s does not show the Action with its escapes", name)
			}
			if strings.Contains(out, "<img") {
				t.Errorf("%s carries markup from the implementation", name)
			}
		default:
			if bad := forged(out); len(bad) > 0 {
				t.Errorf("%s has forged summary lines: %q", name, bad)
			}
		}
		if name == reports.FileMarkdown && strings.Contains(outsideFences(out), "<img") {
			t.Errorf("%s carries markup from the implementation outside a code block", name)
		}
	}
	// In Markdown the details are fenced; a table cell escapes the syntax.
	run.Requirements[0].Title = hostile[1]
	var md bytes.Buffer
	if err := reports.WriteMarkdown(&md, run); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "x\\|y\\`z\\`&lt;img src=x onerror=alert(1)&gt;\\*\\*bold\\*\\*\\[link\\](http://evil)") {
		t.Errorf("a title in a table cell is not escaped:\n%s", md.String())
	}
}

func TestPrintable(t *testing.T) {
	cases := map[string]string{
		"plain text, ünïcode ✓":  "plain text, ünïcode ✓",
		"a\r\x1b[2Kb\nc\td":      `a\r\x1b[2Kb\nc\td`,
		"\x7f\u0085\u202e\u2028": `\x7f\u0085\u202e\u2028`,
		"bad \xff utf-8":         `bad \xff utf-8`,
	}
	for in, want := range cases {
		if got := reports.Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
	if got := reports.PrintableLines("a\nb\x1b"); got != "a\nb\\x1b" {
		t.Errorf("PrintableLines keeps line breaks only: %q", got)
	}
}

// roleRun is the failing sample with the role of each requirement and
// check, MIP-00 judged for two roles.
func roleRun() reports.Run {
	run := sample.Failing()
	for i := range run.Requirements {
		r := &run.Requirements[i]
		r.Role = map[string]string{"01": "domain", "02": "profile"}[r.MIP]
		for j := range r.Checks {
			r.Checks[j].Role = r.Role
		}
	}
	run.Header.MIPs = append([]string{"00"}, run.Header.MIPs...)
	for _, role := range []string{"domain", "profile"} {
		v := reports.Pass
		if role == "profile" {
			v = reports.Fail
		}
		run.Requirements = append(run.Requirements, reports.Requirement{ID: "MIP00-REP-1", MIP: "00", Level: "MUST",
			Title: "one reply per request", Verdict: v, Role: role,
			Checks: []reports.Check{{Kind: reports.Scenario, Name: "replies once as " + role, URI: "features/mip00/reply.feature:3",
				Requirements: []string{"MIP00-REP-1"}, Passed: v == reports.Pass, Status: "failed", Role: role}}})
	}
	run.Summary = reports.Summarize(run.Requirements)
	return run
}

// TestEveryFormatCarriesTheRole: the role of a verdict is in every format.
func TestEveryFormatCarriesTheRole(t *testing.T) {
	run := roleRun()
	want := map[string][]string{
		reports.FileMarkdown: {"| ❌ | MIP01-REG-2 | domain | MUST |", "| ❌ | MIP00-REP-1 | profile | MUST |", "MIP01-REG-2 (domain):"},
		reports.FileHTML:     {"<th>role</th>", "<td>domain</td>", "MIP01-REG-2 (domain)", "Role: <strong>profile</strong>"},
		reports.FileJUnit:    {`classname="mostao.MIP-01.domain"`, `<property name="role" value="profile"></property>`},
		reports.FileCucumber: {`"name": "@role:domain"`, `"name": "@role:profile"`},
		reports.FileJSONL:    {`"role":"domain"`, `"role":"profile"`},
	}
	for name, wants := range want {
		var buf bytes.Buffer
		if err := reports.Writers[name](&buf, run); err != nil {
			t.Fatal(err)
		}
		for _, w := range wants {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("%s lacks %q", name, w)
			}
		}
	}
	dir := t.TempDir()
	if err := reports.WriteBadges(dir, run); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]reports.Badge{
		"mip-00.json":         {SchemaVersion: 1, Label: "MIP-00", Message: "1/2 MUST", Color: "red"},
		"mip-00-domain.json":  {SchemaVersion: 1, Label: "MIP-00 (domain)", Message: "certified", Color: "brightgreen"},
		"mip-00-profile.json": {SchemaVersion: 1, Label: "MIP-00 (profile)", Message: "0/1 MUST", Color: "red"},
	} {
		raw, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Error(err)
			continue
		}
		var got reports.Badge
		if err := json.Unmarshal(raw, &got); err != nil || got != want {
			t.Errorf("%s = %+v (%v), want %+v", file, got, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "mip-01-domain.json")); err == nil {
		t.Error("a MIP of one role needs no badge per role")
	}
}
