package reports

import (
	"fmt"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The sanitisers: one per kind of output, used wherever text that an
// implementation chose (an Action, a tag, Data, an error, a process id, or a
// reason quoting them) is printed. An implementation under certification is
// untrusted: raw, its text could move the cursor, clear a line and print a
// forged "result: PASS" on a terminal, or add rows, links and markup to a
// Markdown report. The HTML report needs none: html/template escapes every
// value for its context.

// Printable makes text safe for one line of a terminal or a plain-text
// report: every character that is not printable (control characters such as
// ESC, CR, LF and TAB, DEL, C1 controls, invisible format characters such as
// bidirectional overrides, line and paragraph separators) is written as a
// visible Go escape (\x1b, \r, \n, \u202e), and bytes that are not UTF-8 as
// \xNN. Printable text is kept as it is.
func Printable(s string) string { return escapeText(s, false) }

// PrintableLines is Printable for a text of several lines: it keeps the
// line breaks, so the caller can indent every line under its label.
func PrintableLines(s string) string { return escapeText(s, true) }

func escapeText(s string, keepNewlines bool) string {
	if isPlain(s, keepNewlines) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' && keepNewlines:
			b.WriteByte('\n')
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isPlain is true when s needs no escaping, the common case, checked
// without allocating.
func isPlain(s string, keepNewlines bool) bool {
	for _, r := range s {
		if r == utf8.RuneError || !(unicode.IsPrint(r) || r == '\n' && keepNewlines) {
			return false
		}
	}
	return true
}

// markdownEscaper escapes what Markdown (GitHub's flavour) and the HTML it
// allows would read as syntax: table cell breaks, code spans, emphasis,
// links and images, strikethrough, and tags and entities.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "~", `\~`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;",
)

// MarkdownText makes text safe in Markdown: in a table cell, a heading or a
// line of prose. It is Printable (so no line break, no control character)
// with Markdown and HTML syntax escaped.
func MarkdownText(s string) string { return markdownEscaper.Replace(Printable(s)) }

// htmlText makes text safe inside the HTML tags a Markdown report uses
// (<summary>): Printable, then HTML-escaped.
func htmlText(s string) string { return html.EscapeString(Printable(s)) }
