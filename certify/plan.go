package certify

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"

	"github.com/mostao/conformance/features"
	"github.com/mostao/conformance/steps"
)

// planned is one scenario the run will execute, located in its feature file.
type planned struct {
	URI  string // path inside the features file system
	Name string
	Tags []string // without "@"
	// Line is the line of the Scenario (or Scenario Outline) keyword: what
	// godog's path:line filter selects on.
	Line int
	// RowLine is the line of the Examples row of an outline's pickle; 0 for
	// a plain scenario.
	RowLine int
	// Skip marks a row of an outline that runs (godog runs every row of
	// the outline) but was not asked for.
	Skip bool
	// StepLines are the lines of the pickle's steps, background first.
	StepLines []int
	// StepTexts are the steps' texts, to check a result lines up.
	StepTexts []string
}

// plan parses every feature under paths and returns, in the order godog runs
// them, the scenarios that the MIP tags and the line select. It lets the run
// show a total before it starts, and gives each result its line.
//
// A line selects the scenario whose keyword is on it, or one row of an
// outline's Examples: then every row of that outline is planned (godog runs
// them all) and the others are marked Skip.
func plan(fsys fs.FS, paths []string, sel selection, line int) ([]planned, error) {
	var out []planned
	for _, root := range paths {
		var files []string
		err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(p, ".feature") {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		for _, f := range files {
			ps, err := parseFeature(fsys, f)
			if err != nil {
				return nil, err
			}
			rowOutline := 0 // the outline whose row the line names
			for _, p := range ps {
				if line > 0 && p.RowLine == line {
					rowOutline = p.Line
				}
			}
			for _, p := range ps {
				switch {
				case rowOutline > 0:
					if p.Line != rowOutline {
						continue
					}
					p.Skip = p.RowLine != line
				case line > 0 && p.Line != line:
					continue
				}
				if len(sel) > 0 && !sel.matches(p.Tags) {
					continue
				}
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// selection picks scenarios by their tags: a scenario is picked when it
// carries every tag of one of its clauses. Empty picks every scenario.
type selection [][]string

// mipSelection picks the scenarios of the MIPs, and of MIP-00 only those of
// the judged roles (a MIP-00 scenario carries its role's tag, @domain, ...).
func mipSelection(mips, roles []string) selection {
	var sel selection
	for _, m := range mips {
		if m != "00" || len(roles) == 0 {
			sel = append(sel, []string{"MIP-" + m})
			continue
		}
		for _, r := range roles {
			sel = append(sel, []string{"MIP-00", r})
		}
	}
	return sel
}

func (sel selection) matches(tags []string) bool {
	for _, clause := range sel {
		all := true
		for _, t := range clause {
			if !slices.Contains(tags, t) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// tagFilter is the same selection as a godog tag expression: godog reads a
// comma as "or", and "&&" binds tighter.
func (sel selection) tagFilter() string {
	parts := make([]string, len(sel))
	for i, clause := range sel {
		tags := make([]string, len(clause))
		for k, t := range clause {
			tags[k] = "@" + t
		}
		parts[i] = strings.Join(tags, " && ")
	}
	return strings.Join(parts, ",")
}

func parseFeature(fsys fs.FS, path string) ([]planned, error) {
	doc, newID, err := steps.ParseFeature(fsys, path)
	if err != nil {
		return nil, err
	}
	lines := map[string]int{}
	if doc.Feature != nil {
		indexChildren(doc.Feature.Children, lines)
	}
	var out []planned
	for _, p := range gherkin.Pickles(*doc, path, newID) {
		pl := planned{URI: path, Name: p.Name}
		if len(p.AstNodeIds) > 0 {
			pl.Line = lines[p.AstNodeIds[0]]
		}
		if len(p.AstNodeIds) > 1 {
			pl.RowLine = lines[p.AstNodeIds[1]]
		}
		for _, t := range p.Tags {
			pl.Tags = append(pl.Tags, strings.TrimPrefix(t.Name, "@"))
		}
		for _, st := range p.Steps {
			l := 0
			if len(st.AstNodeIds) > 0 {
				l = lines[st.AstNodeIds[0]]
			}
			pl.StepLines = append(pl.StepLines, l)
			pl.StepTexts = append(pl.StepTexts, st.Text)
		}
		out = append(out, pl)
	}
	return out, nil
}

// Location is the line that reruns exactly this pickle: its Examples row
// for an outline, else its Scenario keyword.
func (p planned) Location() int {
	if p.RowLine > 0 {
		return p.RowLine
	}
	return p.Line
}

// indexChildren records the line of every scenario, step and Examples row
// by its AST id.
func indexChildren(children []*messages.FeatureChild, lines map[string]int) {
	steps := func(ss []*messages.Step) {
		for _, s := range ss {
			lines[s.Id] = int(s.Location.Line)
		}
	}
	scenario := func(sc *messages.Scenario) {
		lines[sc.Id] = int(sc.Location.Line)
		steps(sc.Steps)
		for _, ex := range sc.Examples {
			for _, row := range ex.TableBody {
				lines[row.Id] = int(row.Location.Line)
			}
		}
	}
	for _, c := range children {
		if c.Background != nil {
			steps(c.Background.Steps)
		}
		if c.Scenario != nil {
			scenario(c.Scenario)
		}
		if c.Rule != nil {
			for _, rc := range c.Rule.Children {
				if rc.Background != nil {
					steps(rc.Background.Steps)
				}
				if rc.Scenario != nil {
					scenario(rc.Scenario)
				}
			}
		}
	}
}

var pathLine = regexp.MustCompile(`^(.*):([0-9]+)$`)

// SplitScenario splits "features/mip01/register.feature:12" into the path
// inside the embedded features ("mip01/register.feature") and the line (0
// when absent). The "features/" prefix is optional.
func SplitScenario(s string) (path string, line int) {
	path, line = splitLine(s)
	path = strings.TrimPrefix(strings.TrimPrefix(path, "./"), "features/")
	return path, line
}

// splitLine splits "file:12" into the file and the line (0 when absent).
func splitLine(s string) (string, int) {
	if m := pathLine.FindStringSubmatch(s); m != nil {
		line, _ := strconv.Atoi(m[2])
		return m[1], line
	}
	return s, 0
}

// matcher hands each scenario result its planned entry: results arrive in
// plan order, so the first unused entry with the same file and name is the
// one.
type matcher struct {
	queue map[string][]planned
}

func newMatcher(ps []planned) *matcher {
	m := &matcher{queue: map[string][]planned{}}
	for _, p := range ps {
		k := p.URI + "\x00" + p.Name
		m.queue[k] = append(m.queue[k], p)
	}
	return m
}

func (m *matcher) take(uri, name string) (planned, bool) {
	if mm := pathLine.FindStringSubmatch(uri); mm != nil {
		uri = mm[1] // godog appends ":line" when a line was selected
	}
	k := uri + "\x00" + name
	q := m.queue[k]
	if len(q) == 0 {
		return planned{}, false
	}
	m.queue[k] = q[1:]
	return q[0], true
}

// Located is one scenario of the suite and where it starts.
type Located struct {
	// Location is "features/<file>:<line>", what --scenario takes.
	Location     string
	Name         string
	Requirements []string
}

// Scenarios lists the embedded scenarios of the given MIPs (all when none
// is given), in the order a run executes them.
func Scenarios(mips []string) ([]Located, error) {
	pl, err := plan(features.FS, []string{"."}, mipSelection(mips, nil), 0)
	if err != nil {
		return nil, err
	}
	out := make([]Located, 0, len(pl))
	for _, p := range pl {
		out = append(out, Located{Location: fmt.Sprintf("features/%s:%d", p.URI, p.Location()), Name: p.Name, Requirements: RequirementTags(p.Tags)})
	}
	return out, nil
}
