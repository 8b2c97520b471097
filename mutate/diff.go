package mutate

import (
	"fmt"
	"strings"
)

// diffContext is the number of unchanged lines a diff shows around a change.
const diffContext = 2

// Diff is the mutant as a unified diff of the original, one hunk: every
// mutation changes one place.
func (m Mutant) Diff() string {
	a := strings.SplitAfter(m.Original, "\n")
	b := strings.SplitAfter(m.Source, "\n")
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	from := max(pre-diffContext, 0)
	aEnd := min(len(a)-suf+diffContext, len(a))
	bEnd := min(len(b)-suf+diffContext, len(b))
	var out strings.Builder
	fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(from, aEnd), hunkRange(from, bEnd))
	line := func(mark string, s string) {
		out.WriteString(mark + strings.TrimSuffix(s, "\n") + "\n")
	}
	for _, s := range a[from:pre] {
		line(" ", s)
	}
	for _, s := range a[pre : len(a)-suf] {
		line("-", s)
	}
	for _, s := range b[pre : len(b)-suf] {
		line("+", s)
	}
	for _, s := range a[len(a)-suf : aEnd] {
		line(" ", s)
	}
	return out.String()
}

// hunkRange is a unified diff's "start,count" of lines [from, to).
func hunkRange(from, to int) string {
	if to == from {
		return fmt.Sprintf("%d,0", from)
	}
	return fmt.Sprintf("%d,%d", from+1, to-from)
}
