package reports

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

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
	// Lost: requirements that passed and now neither pass nor fail (they
	// went untested): nothing vouches for them any more.
	Lost []Change `json:"lost"`
	// Added and Removed: requirements only in the new or the old run.
	Added   []Change `json:"added"`
	Removed []Change `json:"removed"`
	// LevelChanged: requirements whose level differs (e.g. SHOULD -> MUST).
	LevelChanged []Change `json:"levelChanged"`
	// OtherChanged: any other change of verdict, e.g. a pass that became
	// untested (coverage lost) or a failure that became expected.
	OtherChanged []Change `json:"otherChanged"`
	// NewlyStopped holds why the new run stopped (its work bound was spent:
	// too slow to certify) when the old run did not: a regression, whatever
	// the rows say.
	NewlyStopped string `json:"newlyStopped,omitempty"`
}

// Regressed is true when the new run is worse or cannot be compared as
// better: something newly fails, a pass was lost, a passing requirement
// was dropped, or the runs were judged against different specs.
func (d DiffReport) Regressed() bool { return len(d.Regressions()) > 0 }

// Regressions says in words why the diff is a regression, one reason per
// kind; none when it is not.
func (d DiffReport) Regressions() []string {
	var why []string
	if n := len(d.NewlyFailing); n > 0 {
		why = append(why, fmt.Sprintf("%d requirement(s) newly failing", n))
	}
	if n := len(d.Lost); n > 0 {
		why = append(why, fmt.Sprintf("%d requirement(s) no longer tested", n))
	}
	// A requirement missing from the new run is a regression when it
	// passed: a pass the new run no longer vouches for. One that failed
	// before and is gone now (a run of one scenario judges only what that
	// scenario checks) is listed, but is not worse.
	passed := 0
	for _, c := range d.Removed {
		if passing(c.Old) {
			passed++
		}
	}
	if passed > 0 {
		why = append(why, fmt.Sprintf("%d passing requirement(s) missing from the new run", passed))
	}
	if d.SpecChanged {
		why = append(why, "the runs were judged against different specs")
	}
	if d.NewlyStopped != "" {
		why = append(why, "the new run stopped: "+d.NewlyStopped)
	}
	return why
}

// Empty is true when the two runs judged the same requirements the same way.
func (d DiffReport) Empty() bool {
	return !d.SpecChanged && d.NewlyStopped == "" && len(d.NewlyFailing)+len(d.NewlyPassing)+len(d.Lost)+len(d.Added)+len(d.Removed)+len(d.LevelChanged)+len(d.OtherChanged) == 0
}

// KnownVerdict says whether v is one of the verdicts of this format.
func KnownVerdict(v Verdict) bool {
	switch v {
	case Pass, Fail, Warn, Untested, ExpectedFail, UnexpectedPass:
		return true
	}
	return false
}

// Validate checks what a diff relies on in a run read from a file: at least
// one requirement, every id of the shape MIP01-REG-3 and listed once, a
// known level and a known verdict. A report that fails it cannot be
// compared: a verdict this version does not know must not pass for "no
// regression".
func Validate(run Run) error {
	if len(run.Requirements) == 0 {
		return errors.New("the report holds no requirement")
	}
	seen := map[string]bool{}
	for i, r := range run.Requirements {
		if !spec.IDPattern.MatchString(r.ID) {
			return fmt.Errorf("requirement %d: %q is not a requirement id (want the shape MIP01-REG-3)", i+1, r.ID)
		}
		// A MIP-00 requirement has one row per judged role.
		if seen[r.Key()] {
			return fmt.Errorf("requirement %s is listed twice", r.Key())
		}
		seen[r.Key()] = true
		if r.Level.Strength() == 0 {
			return fmt.Errorf("requirement %s: unknown level %q (want MUST, SHOULD or MAY)", r.ID, r.Level)
		}
		if !KnownVerdict(r.Verdict) {
			return fmt.Errorf("requirement %s: unknown verdict %q (want one of pass, fail, warn, untested, expected-fail, unexpected-pass)", r.ID, r.Verdict)
		}
	}
	// The summary a report carries must be the one its rows give: a report
	// whose failing rows were cut out still says it failed.
	want := SummarizeRun(run.Header, run.Requirements)
	got := run.Summary
	if got.Total != want.Total || got.Passed != want.Passed || got.Failed != want.Failed || got.Warned != want.Warned ||
		got.Untested != want.Untested || got.MustTotal != want.MustTotal || got.MustPassed != want.MustPassed || got.OK != want.OK {
		return fmt.Errorf("the report's summary (%d requirements, %d failed, ok %v) does not match its rows (%d requirements, %d failed, ok %v): the report was cut or edited",
			got.Total, got.Failed, got.OK, want.Total, want.Failed, want.OK)
	}
	return nil
}

// failing says whether the checks of a requirement with this verdict
// failed. A verdict this version does not know counts as failing: better a
// false alarm than a silent pass.
func failing(v Verdict) bool { return v == Fail || v == Warn || v == ExpectedFail || !KnownVerdict(v) }

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
	if new.Header.Stopped != "" && old.Header.Stopped == "" {
		d.NewlyStopped = new.Header.Stopped
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
		case passing(o.Verdict) && !passing(n.Verdict):
			d.Lost = append(d.Lost, c)
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
	return Printable(fmt.Sprintf("%s [%s] %s: %s -> %s", c.ID, levelWord(level), c.Title,
		verdictOr(c.Old, "(new)"), verdictOr(c.New, "(removed)")))
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
		{"No longer tested", d.Lost, false},
		{"Newly passing", d.NewlyPassing, false},
		{"Level changed", d.LevelChanged, true},
		{"Added requirements", d.Added, false},
		{"Removed requirements", d.Removed, false},
		{"Other verdict changes", d.OtherChanged, false},
	}
}

func levelChangeLine(c Change) string {
	return Printable(fmt.Sprintf("%s %s: %s -> %s", c.ID, c.Title, levelWord(c.OldLevel), levelWord(c.NewLevel)))
}

// WriteDiffText writes the diff for a terminal.
func WriteDiffText(w io.Writer, d DiffReport) error {
	bw := bufio.NewWriter(w)
	switch {
	case d.Regressed():
		fmt.Fprintf(bw, "REGRESSED: %s\n", strings.Join(d.Regressions(), "; "))
	case d.Empty():
		bw.WriteString("no change\n")
	default:
		bw.WriteString("no regression\n")
	}
	if d.SpecChanged {
		fmt.Fprintf(bw, "note: the spec differs between the runs (hash %s -> %s); verdicts may have changed with the rules\n",
			Printable(shortHash(d.OldSpecHash)), Printable(shortHash(d.NewSpecHash)))
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
		fmt.Fprintf(bw, "❌ **Regressed**: %s.\n\n", strings.Join(d.Regressions(), "; "))
	case d.Empty():
		bw.WriteString("✅ No change.\n\n")
	default:
		bw.WriteString("✅ No regression.\n\n")
	}
	if d.SpecChanged {
		fmt.Fprintf(bw, "> **Note:** the spec differs between the runs (`%s` → `%s`); verdicts may have changed with the rules.\n\n",
			mdCode(shortHash(d.OldSpecHash)), mdCode(shortHash(d.NewSpecHash)))
	}
	for _, s := range d.diffSections() {
		if len(s.changes) == 0 {
			continue
		}
		fmt.Fprintf(bw, "### %s (%d)\n\n", s.title, len(s.changes))
		if s.level {
			bw.WriteString("| requirement | title | old level | new level |\n|---|---|---|---|\n")
			for _, c := range s.changes {
				fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", MarkdownText(c.ID), MarkdownText(c.Title), MarkdownText(levelWord(c.OldLevel)), MarkdownText(levelWord(c.NewLevel)))
			}
		} else {
			bw.WriteString("| requirement | level | title | before | now |\n|---|---|---|---|---|\n")
			for _, c := range s.changes {
				level := c.NewLevel
				if level == "" {
					level = c.OldLevel
				}
				fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n", MarkdownText(c.ID), MarkdownText(levelWord(level)), MarkdownText(c.Title),
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
	return verdictIcon(v) + " " + MarkdownText(string(v))
}
