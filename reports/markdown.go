package reports

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strings"
)

// maxMarkdownDetails bounds how many failure details the Markdown report
// spells out: a CI step summary or PR comment has a size limit, and the
// HTML report has them all.
const maxMarkdownDetails = 30

// WriteMarkdown writes a report that fits a CI step summary or a pull
// request comment: a verdict line, a line per MIP, a table of requirements
// with failures first, and the details of each failure folded in <details>.
func WriteMarkdown(w io.Writer, run Run) error {
	bw := bufio.NewWriter(w)
	h := run.Header
	s := run.Summary
	title := h.Implementation.Name
	if h.Implementation.Version != "" {
		title += " " + h.Implementation.Version
	}
	fmt.Fprintf(bw, "## MostAO conformance: %s\n\n", mdText(title))
	switch {
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
		mdCode(h.Implementation.Target), mdText(h.Engine), h.Seed, mdText(h.SpecVersion), mdCode(shortHash(h.SpecHash)), mdText(h.SuiteVersion), mdText(h.Date))

	groups := groupByMIP(run)
	bw.WriteString("| MIP | verdict | MUST | fail | warn | untested | expected fail | unexpected pass |\n")
	bw.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, g := range groups {
		verdict := "❌ not certified"
		if g.Certified {
			verdict = "✅ certified"
		}
		fmt.Fprintf(bw, "| %s | %s | %s | %d | %d | %d | %d | %d |\n", g.Label, verdict, mustScore(g.Summary),
			g.Summary.Failed, g.Summary.Warned, g.Summary.Untested, g.Summary.ExpectedFail, g.Summary.UnexpectedPass)
	}
	bw.WriteString("\n")

	all := failuresFirst(run.Requirements)
	if len(all) > 0 {
		bw.WriteString("| | requirement | level | title | verdict |\n")
		bw.WriteString("|---|---|---|---|---|\n")
		for _, r := range all {
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n", verdictIcon(r.Verdict), r.ID, levelWord(r.Level), mdCell(r.Title), verdictWords(r.Verdict))
		}
		bw.WriteString("\n")
	}

	shown := 0
	for _, r := range all {
		if !needsDetail(r) {
			continue
		}
		if shown == maxMarkdownDetails {
			fmt.Fprintf(bw, "…and more: see the HTML or JSON Lines report for the rest.\n\n")
			break
		}
		shown++
		fmt.Fprintf(bw, "<details><summary>%s %s: %s (%s)</summary>\n\n", verdictIcon(r.Verdict), r.ID, html.EscapeString(r.Title), verdictWords(r.Verdict))
		bw.WriteString(fence(requirementText(r)))
		bw.WriteString("\n</details>\n\n")
	}
	return bw.Flush()
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

// mdCell makes text safe inside a table cell: one line, no column breaks,
// no markup.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "|", "\\|")
	return mdText(s)
}

// mdText escapes HTML so a title cannot inject markup into a PR comment.
func mdText(s string) string { return html.EscapeString(s) }

// mdCode keeps an inline code span from being closed by the text in it.
func mdCode(s string) string { return strings.ReplaceAll(s, "`", "'") }

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
