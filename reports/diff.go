package reports

import (
	"bufio"
	"fmt"
	"io"

	"github.com/mostao/conformance/spec"
)

// Change is one requirement's difference between two runs. Old fields are
// empty for a requirement the old run did not have, New fields for one the
// new run dropped.
type Change struct {
	ID       string     `json:"id"`
	MIP      string     `json:"mip"`
	Title    string     `json:"title"`
	OldLevel spec.Level `json:"oldLevel,omitempty"`
	NewLevel spec.Level `json:"newLevel,omitempty"`
	Old      Verdict    `json:"old,omitempty"`
	New      Verdict    `json:"new,omitempty"`
}

// DiffReport is the regression report between an old and a new run.
type DiffReport struct {
	OldSpecHash string `json:"oldSpecHash"`
	NewSpecHash string `json:"newSpecHash"`
	// SpecChanged is true when the runs were judged against different
	// specs: a verdict may have changed because the rule did.
	SpecChanged bool `json:"specChanged"`
	// NewlyFailing: requirements whose checks fail now and did not before
	// (passed, were untested, or did not exist). An expected failure counts:
	// the implementation still got worse.
	NewlyFailing []Change `json:"newlyFailing"`
	// NewlyPassing: requirements whose checks pass now and failed before.
	NewlyPassing []Change `json:"newlyPassing"`
	// Added and Removed: requirements only in the new or the old run.
	Added   []Change `json:"added"`
	Removed []Change `json:"removed"`
	// LevelChanged: requirements whose level differs (e.g. SHOULD -> MUST).
	LevelChanged []Change `json:"levelChanged"`
	// OtherChanged: any other change of verdict, e.g. a pass that became
	// untested (coverage lost) or a failure that became expected.
	OtherChanged []Change `json:"otherChanged"`
}

// Regressed is true when anything newly fails.
func (d DiffReport) Regressed() bool { return len(d.NewlyFailing) > 0 }

// Empty is true when the two runs judged the same requirements the same way.
func (d DiffReport) Empty() bool {
	return len(d.NewlyFailing)+len(d.NewlyPassing)+len(d.Added)+len(d.Removed)+len(d.LevelChanged)+len(d.OtherChanged) == 0
}

// failing says whether the checks of a requirement with this verdict failed.
func failing(v Verdict) bool { return v == Fail || v == Warn || v == ExpectedFail }

// passing says whether the checks of a requirement with this verdict passed.
func passing(v Verdict) bool { return v == Pass || v == UnexpectedPass }

// Diff compares two runs requirement by requirement, in the new run's order
// (then the removed ones in the old run's order).
func Diff(old, new Run) DiffReport {
	d := DiffReport{
		OldSpecHash: old.Header.SpecHash,
		NewSpecHash: new.Header.SpecHash,
		SpecChanged: old.Header.SpecHash != new.Header.SpecHash,
	}
	before := map[string]Requirement{}
	for _, r := range old.Requirements {
		before[r.Key()] = r
	}
	inNew := map[string]bool{}
	for _, n := range new.Requirements {
		inNew[n.Key()] = true
		o, had := before[n.Key()]
		c := Change{ID: n.ID, MIP: n.MIP, Title: n.Title, NewLevel: n.Level, New: n.Verdict}
		if !had {
			d.Added = append(d.Added, c)
			if failing(n.Verdict) {
				d.NewlyFailing = append(d.NewlyFailing, c)
			}
			continue
		}
		c.OldLevel, c.Old = o.Level, o.Verdict
		if o.Level != n.Level {
			d.LevelChanged = append(d.LevelChanged, c)
		}
		switch {
		case o.Verdict == n.Verdict:
		case failing(n.Verdict) && !failing(o.Verdict):
			d.NewlyFailing = append(d.NewlyFailing, c)
		case passing(n.Verdict) && failing(o.Verdict):
			d.NewlyPassing = append(d.NewlyPassing, c)
		default:
			d.OtherChanged = append(d.OtherChanged, c)
		}
	}
	for _, o := range old.Requirements {
		if !inNew[o.Key()] {
			d.Removed = append(d.Removed, Change{ID: o.ID, MIP: o.MIP, Title: o.Title, OldLevel: o.Level, Old: o.Verdict})
		}
	}
	return d
}

// verdictOr names a verdict, or what its absence means.
func verdictOr(v Verdict, absent string) string {
	if v == "" {
		return absent
	}
	return string(v)
}

// changeLine is "MIP01-REG-2 [MUST] title: pass -> fail".
func changeLine(c Change) string {
	level := c.NewLevel
	if level == "" {
		level = c.OldLevel
	}
	return fmt.Sprintf("%s [%s] %s: %s -> %s", c.ID, levelWord(level), c.Title,
		verdictOr(c.Old, "(new)"), verdictOr(c.New, "(removed)"))
}

// diffSection is one titled list of changes; level sections show the
// levels rather than the verdicts.
type diffSection struct {
	title   string
	changes []Change
	level   bool
}

// diffSections lists the parts of a diff in reading order.
func (d DiffReport) diffSections() []diffSection {
	return []diffSection{
		{"Newly failing", d.NewlyFailing, false},
		{"Newly passing", d.NewlyPassing, false},
		{"Level changed", d.LevelChanged, true},
		{"Added requirements", d.Added, false},
		{"Removed requirements", d.Removed, false},
		{"Other verdict changes", d.OtherChanged, false},
	}
}

func levelChangeLine(c Change) string {
	return fmt.Sprintf("%s %s: %s -> %s", c.ID, c.Title, levelWord(c.OldLevel), levelWord(c.NewLevel))
}

// WriteDiffText writes the diff for a terminal.
func WriteDiffText(w io.Writer, d DiffReport) error {
	bw := bufio.NewWriter(w)
	switch {
	case d.Regressed():
		fmt.Fprintf(bw, "REGRESSED: %d requirement(s) newly failing\n", len(d.NewlyFailing))
	case d.Empty():
		bw.WriteString("no change\n")
	default:
		bw.WriteString("no regression\n")
	}
	if d.SpecChanged {
		fmt.Fprintf(bw, "note: the spec differs between the runs (hash %s -> %s); verdicts may have changed with the rules\n",
			shortHash(d.OldSpecHash), shortHash(d.NewSpecHash))
	}
	for _, s := range d.diffSections() {
		if len(s.changes) == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n%s (%d):\n", s.title, len(s.changes))
		for _, c := range s.changes {
			if s.level {
				fmt.Fprintf(bw, "  %s\n", levelChangeLine(c))
			} else {
				fmt.Fprintf(bw, "  %s\n", changeLine(c))
			}
		}
	}
	return bw.Flush()
}

// WriteDiffMarkdown writes the diff for a pull request comment.
func WriteDiffMarkdown(w io.Writer, d DiffReport) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("## MostAO conformance: changes since the previous run\n\n")
	switch {
	case d.Regressed():
		fmt.Fprintf(bw, "❌ **Regressed**: %d requirement(s) newly failing.\n\n", len(d.NewlyFailing))
	case d.Empty():
		bw.WriteString("✅ No change.\n\n")
	default:
		bw.WriteString("✅ No regression.\n\n")
	}
	if d.SpecChanged {
		fmt.Fprintf(bw, "> **Note:** the spec differs between the runs (`%s` → `%s`); verdicts may have changed with the rules.\n\n",
			shortHash(d.OldSpecHash), shortHash(d.NewSpecHash))
	}
	for _, s := range d.diffSections() {
		if len(s.changes) == 0 {
			continue
		}
		fmt.Fprintf(bw, "### %s (%d)\n\n", s.title, len(s.changes))
		if s.level {
			bw.WriteString("| requirement | title | old level | new level |\n|---|---|---|---|\n")
			for _, c := range s.changes {
				fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", c.ID, mdCell(c.Title), levelWord(c.OldLevel), levelWord(c.NewLevel))
			}
		} else {
			bw.WriteString("| requirement | level | title | before | now |\n|---|---|---|---|---|\n")
			for _, c := range s.changes {
				level := c.NewLevel
				if level == "" {
					level = c.OldLevel
				}
				fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n", c.ID, levelWord(level), mdCell(c.Title),
					diffCell(c.Old, "(new)"), diffCell(c.New, "(removed)"))
			}
		}
		bw.WriteString("\n")
	}
	return bw.Flush()
}

// diffCell shows a verdict with its icon, or what its absence means.
func diffCell(v Verdict, absent string) string {
	if v == "" {
		return absent
	}
	return verdictIcon(v) + " " + string(v)
}
