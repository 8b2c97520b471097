package reports_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/reports/internal/sample"
)

func markdown(t *testing.T, run reports.Run) string {
	t.Helper()
	var buf bytes.Buffer
	if err := reports.WriteMarkdown(&buf, run); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestMarkdownPassingRun(t *testing.T) {
	md := markdown(t, sample.Passing())
	for _, want := range []string{"✅ **Certified**", "| MIP-01 | ✅ certified | 4/4 MUST |", "| MIP-02 | ✅ certified | 2/2 MUST |"} {
		if !strings.Contains(md, want) {
			t.Errorf("lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "<details>") {
		t.Errorf("a passing run has nothing to detail:\n%s", md)
	}
}

func TestMarkdownFailingRun(t *testing.T) {
	md := markdown(t, sample.Failing())
	for _, want := range []string{
		"❌ **Not certified**: 3/6 MUST passed",
		"| MIP-01 | ❌ not certified | 3/4 MUST |",
		"<details><summary>❌ MIP01-REG-2",
		"3. send bob -> D  Action=Register",
		"listed in the expectations file: unknown fields are accepted",
		"but it passed: remove it from the list",
		"reproduce: mostao certify",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("lacks %q:\n%s", want, md)
		}
	}
	// The requirement table lists failures first: no pass row before the
	// last row that needs attention.
	rows := regexp.MustCompile(`(?m)^\| (\S+) \| (MIP\d\d-[A-Z]+-\d+) \|`).FindAllStringSubmatch(md, -1)
	if len(rows) != 9 {
		t.Fatalf("want 9 requirement rows, got %d", len(rows))
	}
	seenPass := false
	for _, r := range rows {
		if r[1] == "✅" {
			seenPass = true
		} else if seenPass {
			t.Errorf("%s (%s) comes after a pass: failures must come first", r[2], r[1])
		}
	}
	if rows[0][2] != "MIP01-REG-2" {
		t.Errorf("first row %s, want the MUST failure MIP01-REG-2", rows[0][2])
	}
	// Every <details> is closed, and every code fence too.
	if strings.Count(md, "<details>") != 4 || strings.Count(md, "</details>") != 4 {
		t.Errorf("want 4 balanced <details> (fail, unexpected pass, warning, expected failure)")
	}
	if strings.Count(md, "```")%2 != 0 {
		t.Error("unbalanced code fences")
	}
}

// TestMarkdownCannotBeBrokenByData: a title with a pipe or markup and data
// with a code fence stay inside their cell and block.
func TestMarkdownCannotBeBrokenByData(t *testing.T) {
	run := sample.Failing()
	run.Requirements[1].Title = "a | pipe <img src=x onerror=alert(1)>"
	run.Requirements[1].Checks[0].Error = "```\n# injected heading"
	md := markdown(t, run)
	for _, line := range strings.Split(md, "\n") {
		// Inside a code block markup is shown as text; in a table cell or a
		// summary it would be rendered.
		if (strings.HasPrefix(line, "|") || strings.HasPrefix(line, "<details>")) && strings.Contains(line, "<img") {
			t.Errorf("markup from a title reached the Markdown unescaped: %s", line)
		}
	}
	if !strings.Contains(md, `a \| pipe`) {
		t.Error("a pipe in a title must be escaped in its cell")
	}
	if !strings.Contains(md, "````text\n") {
		t.Error("a code fence inside data must be wrapped in a longer fence")
	}
}
