package reports

import (
	"fmt"
	"strings"

	"github.com/mostao/conformance/adapters"
)

// maxData bounds how much of a message's Data a text report prints: a
// failure report must stay readable (and fit a CI summary) even when an
// implementation answers with megabytes.
const maxData = 1500

// clip shortens s to at most n bytes on a rune boundary and says how much
// was left out.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d more bytes)", len(s)-cut)
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// namer prints ids as people know them: the scenario's name for an id when
// it has one, else a shortened id.
type namer map[string]string

// name gives "alice" for a named id, or the first characters of an id.
func (n namer) name(id string) string {
	if id == "" {
		return "(none)"
	}
	if v, ok := n[id]; ok && v != "" {
		return Printable(v)
	}
	return Printable(shortID(id))
}

// shortID shortens a 43-character AO id to its first 8 characters.
func shortID(id string) string {
	if len(id) > 12 {
		return id[:8] + "…"
	}
	return id
}

// tagsText prints tags as "Name=Value, Name=Value".
func tagsText(tags adapters.Tags) string {
	parts := make([]string, 0, len(tags))
	for _, t := range tags {
		parts = append(parts, Printable(t.Name)+"="+Printable(t.Value))
	}
	return strings.Join(parts, ", ")
}

// messageLine prints the head of a message: "sender -> target  Action=X".
func (n namer) messageLine(m adapters.Message) string {
	line := n.name(m.From) + " -> " + n.name(m.Target)
	if a := m.Action(); a != "" {
		line += "  Action=" + Printable(a)
	}
	if e := m.Tags.Value("Error"); e != "" {
		line += "  Error=" + Printable(e)
	}
	return line
}

// writeMessageBody prints a message's tags and data, indented.
func writeMessageBody(b *strings.Builder, m adapters.Message, indent string) {
	if len(m.Tags) > 0 {
		fmt.Fprintf(b, "%stags: %s\n", indent, tagsText(m.Tags))
	}
	if m.Data != "" {
		fmt.Fprintf(b, "%sdata: %s\n", indent, Printable(clip(m.Data, maxData)))
	}
}

// exchangesText prints a check's message exchange as a numbered sequence:
// each request, what it delivered, the replies and any error.
func exchangesText(exs []adapters.Exchange, names map[string]string, clipped *Clipping) string {
	n := namer(names)
	var b strings.Builder
	for i, ex := range exs {
		if i == 0 && !clipped.IsZero() && clipped.Exchanges > 0 {
			fmt.Fprintf(&b, "   … %d earlier exchanges left out …\n", clipped.Exchanges)
		}
		fmt.Fprintf(&b, "%d. %s %s\n", i+1, Printable(ex.Kind), n.messageLine(ex.Request))
		writeMessageBody(&b, ex.Request, "     ")
		if ex.Trace != nil {
			for _, d := range ex.Trace.Deliveries {
				fmt.Fprintf(&b, "     delivered #%d %s", d.Seq, n.messageLine(d.Message))
				if !d.Handled {
					b.WriteString("  (refused before any handler)")
				}
				b.WriteString("\n")
				writeResultErrors(&b, d.Result, "       ")
			}
			for _, m := range ex.Trace.ToWallets {
				fmt.Fprintf(&b, "     reply %s\n", n.messageLine(m))
				writeMessageBody(&b, m, "       ")
			}
			for _, id := range ex.Trace.Spawned {
				fmt.Fprintf(&b, "     spawned %s\n", n.name(id))
			}
		}
		if ex.Result != nil {
			for _, m := range ex.Result.Messages {
				fmt.Fprintf(&b, "     dryrun reply %s\n", n.messageLine(m))
				writeMessageBody(&b, m, "       ")
			}
			writeResultErrors(&b, *ex.Result, "     ")
		}
		if ex.Kind == "send" && ex.Trace != nil && len(ex.Replies()) == 0 && ex.Err == "" {
			b.WriteString("     (no reply to the sender)\n")
		}
		if ex.Err != "" {
			fmt.Fprintf(&b, "     world error: %s\n", Printable(ex.Err))
		}
	}
	return b.String()
}

// writeResultErrors prints an evaluation's error and output, if any.
func writeResultErrors(b *strings.Builder, r adapters.Result, indent string) {
	if r.Error != "" {
		kind := string(r.ErrorKind)
		if kind == "" {
			kind = "error"
		}
		fmt.Fprintf(b, "%s%s error: %s\n", indent, Printable(kind), Printable(clip(r.Error, maxData)))
	}
	if r.Output != "" {
		fmt.Fprintf(b, "%soutput: %s\n", indent, Printable(clip(r.Output, maxData)))
	}
}

// checkText explains one check that did not pass, in plain text: what it
// is, where it failed, why, the exchange, and how to run it again.
func checkText(c Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q", Printable(string(c.Kind)), c.Name)
	if c.URI != "" {
		fmt.Fprintf(&b, " (%s)", Printable(c.URI))
	}
	fmt.Fprintf(&b, ": %s\n", Printable(statusWord(c)))
	if c.Role != "" {
		fmt.Fprintf(&b, "role: %s\n", Printable(c.Role))
	}
	if c.FailedStep != "" {
		fmt.Fprintf(&b, "failed step: %s\n", Printable(c.FailedStep))
	}
	if c.Error != "" {
		fmt.Fprintf(&b, "error: %s\n", indentLines(PrintableLines(clip(c.Error, maxData)), "  "))
	}
	if !c.Clipped.IsZero() {
		fmt.Fprintf(&b, "%s\n", c.Clipped)
	}
	if len(c.Exchanges) > 0 {
		b.WriteString("message exchange:\n")
		b.WriteString(exchangesText(c.Exchanges, c.Names, c.Clipped))
	}
	if c.Reproducer != "" {
		fmt.Fprintf(&b, "reproduce: %s\n", Printable(c.Reproducer))
	}
	return b.String()
}

// statusWord is a check's status, "passed" or "failed" when the raw status
// is missing.
func statusWord(c Check) string {
	switch {
	case c.Status != "":
		return c.Status
	case c.Passed:
		return "passed"
	}
	return "failed"
}

// requirementText explains a requirement that needs attention, with every
// check that did not pass, or why a pass is itself a problem.
func requirementText(r Requirement) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s] %s: %s\n", Printable(r.ID), Printable(levelWord(r.Level)), Printable(r.Title), Printable(verdictWords(r.Verdict)))
	if r.Role != "" {
		fmt.Fprintf(&b, "role: %s\n", Printable(r.Role))
	}
	switch r.Verdict {
	case ExpectedFail:
		fmt.Fprintf(&b, "listed in the expectations file: %s\n", Printable(r.Expected))
	case UnexpectedPass:
		fmt.Fprintf(&b, "listed in the expectations file as failing (%s) but it passed: remove it from the list\n", Printable(r.Expected))
	}
	for _, c := range failedChecks(r) {
		b.WriteString("\n")
		b.WriteString(checkText(c))
	}
	return b.String()
}

// indentLines indents every line of s after the first, so a text of several
// lines stays under its label and none of its lines can pass for a line of
// the report's own.
func indentLines(s, indent string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+indent)
}
