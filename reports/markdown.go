package reports

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// maxMarkdownDetails bounds how many failure details the Markdown report
// spells out: a CI step summary or PR comment has a size limit, and the
// HTML report has them all.
const maxMarkdownDetails = 30

// maxMarkdownBytes caps the whole Markdown report: GitHub accepts a step
// summary of at most 1 MiB (and a comment of 64K characters, which the
// details fill first, in order of severity). Failure details stop before
// the cap, with a line that says so.
const maxMarkdownBytes = 1 << 20

// maxMarkdownDetail caps one failure's details, so a few verbose failures
// cannot crowd out the rest.
const maxMarkdownDetail = 64 << 10

// markdownReserve is what the details leave for the closing note.
const markdownReserve = 4 << 10

// WriteMarkdown writes a report that fits a CI step summary or a pull
// request comment: a verdict line, a line per MIP, a table of requirements
// with failures first, and the details of each failure folded in <details>.
// The run is bounded first (Bound with DefaultLimits), and the report stays
// under maxMarkdownBytes. Every text is escaped for Markdown.
func WriteMarkdown(w io.Writer, run Run) error {
	run = Bound(run, DefaultLimits)
	cw := &countingWriter{w: w}
	bw := bufio.NewWriter(cw)
	h := run.Header
	s := run.Summary
	title := h.Implementation.Name
	if h.Implementation.Version != "" {
		title += " " + h.Implementation.Version
	}
	fmt.Fprintf(bw, "## MostAO conformance: %s\n\n", MarkdownText(title))
	switch {
	case h.Stopped != "":
		fmt.Fprintf(bw, "❌ **Not certified: stopped.** %s\n\n", MarkdownText(h.Stopped))
	case allMustPassed(s) && s.OK:
		fmt.Fprintf(bw, "✅ **Certified**: every MUST passed (%s).\n\n", mustScore(s))
	case s.OK:
		fmt.Fprintf(bw, "🟡 **Run passes**: %s; the rest are expected failures or untested.\n\n", mustScore(s))
	default:
		fmt.Fprintf(bw, "❌ **Not certified**: %s passed.\n\n", mustScore(s))
	}
	fmt.Fprintf(bw, "%d requirements: %d passed, %d failed, %d warnings, %d untested, %d expected failures, %d unexpected passes.\n\n",
		s.Total, s.Passed, s.Failed, s.Warned, s.Untested, s.ExpectedFail, s.UnexpectedPass)
	fmt.Fprintf(bw, "Target `%s`, engine %s, seed %d, spec %s (`%s`), suite %s, %s.\n\n",
		mdCode(h.Implementation.Target), MarkdownText(h.Engine), h.Seed, MarkdownText(h.SpecVersion), mdCode(shortHash(h.SpecHash)), MarkdownText(h.SuiteVersion), MarkdownText(h.Date))
	if !h.Clipped.IsZero() {
		fmt.Fprintf(bw, "> **Clipped:** this report keeps part of what the implementation sent (%s); the failures are complete, their message records are not.\n\n",
			strings.TrimPrefix(h.Clipped.String(), "clipped: "))
	}

	groups := groupByMIP(run)
	bw.WriteString("| MIP | verdict | MUST | fail | warn | untested | expected fail | unexpected pass |\n")
	bw.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, g := range groups {
		verdict := "❌ not certified"
		if g.Certified {
			verdict = "✅ certified"
		}
		fmt.Fprintf(bw, "| %s | %s | %s | %d | %d | %d | %d | %d |\n", MarkdownText(g.Label), verdict, mustScore(g.Summary),
			g.Summary.Failed, g.Summary.Warned, g.Summary.Untested, g.Summary.ExpectedFail, g.Summary.UnexpectedPass)
	}
	bw.WriteString("\n")

	all := failuresFirst(run.Requirements)
	if len(all) > 0 {
		bw.WriteString("| | requirement | role | level | title | verdict |\n")
		bw.WriteString("|---|---|---|---|---|---|\n")
		for _, r := range all {
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s |\n", verdictIcon(r.Verdict), MarkdownText(r.ID), MarkdownText(roleWord(r.Role)),
				MarkdownText(levelWord(r.Level)), MarkdownText(r.Title), MarkdownText(verdictWords(r.Verdict)))
		}
		bw.WriteString("\n")
	}

	shown := 0
	for _, r := range all {
		if !needsDetail(r) {
			continue
		}
		detail := fmt.Sprintf("<details><summary>%s %s%s: %s (%s)</summary>\n\n%s\n</details>\n\n",
			verdictIcon(r.Verdict), htmlText(r.ID), roleNote(r.Role, htmlText), htmlText(r.Title), htmlText(verdictWords(r.Verdict)),
			fence(clipDetail(requirementText(r))))
		if shown == maxMarkdownDetails || cw.n+int64(bw.Buffered()+len(detail)) > maxMarkdownBytes-markdownReserve {
			fmt.Fprintf(bw, "…and more: see the HTML or JSON Lines report for the rest.\n\n")
			break
		}
		shown++
		bw.WriteString(detail)
	}
	return bw.Flush()
}

// clipDetail keeps at most maxMarkdownDetail bytes of one failure's text.
func clipDetail(text string) string {
	kept, _ := clipText(text, maxMarkdownDetail)
	return kept
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// roleWord is a requirement's or check's role, or "-" when it is not known.
func roleWord(role string) string {
	if role == "" {
		return "-"
	}
	return role
}

// roleNote is " (domain)" for a known role, escaped by esc, else nothing.
func roleNote(role string, esc func(string) string) string {
	if role == "" {
		return ""
	}
	return " (" + esc(role) + ")"
}

// fence puts text in a code block whose fence is longer than any run of
// backticks inside it, so data from an implementation cannot end it early.
func fence(text string) string {
	longest, run := 0, 0
	for _, c := range text {
		if c == '`' {
			run++
			if run > longest {
				longest = run
			}
		} else {
			run = 0
		}
	}
	f := strings.Repeat("`", max(3, longest+1))
	return f + "text\n" + strings.TrimRight(text, "\n") + "\n" + f + "\n"
}

// mdCode keeps an inline code span from being closed or broken by the text
// in it.
func mdCode(s string) string { return strings.ReplaceAll(Printable(s), "`", "'") }

// shortHash shows the first 12 characters of a hash.
func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	if h == "" {
		return "unknown"
	}
	return h
}
