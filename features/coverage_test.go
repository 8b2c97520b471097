package features_test

import (
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"

	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"

	"github.com/mostao/conformance/features"
	"github.com/mostao/conformance/spec"
)

// requirementTag is a tag that names a requirement, e.g. @MIP01-REG-3.
var requirementTag = regexp.MustCompile(`^@MIP[0-9]{2}-`)

// mipTag is the tag that says which MIP a scenario belongs to, e.g. @MIP-01.
var mipTag = regexp.MustCompile(`^@MIP-([0-9]{2})$`)

// scenario is one compiled scenario (one row of an outline is one scenario)
// with the tags it carries, its own and its feature's.
type scenario struct {
	where string // file:line, for messages
	name  string
	tags  []string
}

// parseAll compiles every feature file of fsys into scenarios with the
// Gherkin parser godog itself uses, so tags inherit exactly as they do
// when the suite runs.
func parseAll(fsys fs.FS) ([]scenario, error) {
	var out []scenario
	err := eachPickle(fsys, func(path string, doc *messages.GherkinDocument, p *messages.Pickle) {
		lines := scenarioLines(doc)
		s := scenario{where: fmt.Sprintf("%s:%d", path, lines[p.AstNodeIds[0]]), name: p.Name}
		seen := map[string]bool{}
		for _, t := range p.Tags {
			if !seen[t.Name] {
				seen[t.Name] = true
				s.tags = append(s.tags, t.Name)
			}
		}
		out = append(out, s)
	})
	return out, err
}

// eachPickle compiles every feature file of fsys with the Gherkin parser
// godog itself uses and calls fn with each compiled scenario (one row of an
// outline is one scenario) and the document it comes from.
func eachPickle(fsys fs.FS, fn func(path string, doc *messages.GherkinDocument, p *messages.Pickle)) error {
	return fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".feature") {
			return err
		}
		f, err := fsys.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := gherkin.ParseGherkinDocument(f, (&messages.Incrementing{}).NewId)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		doc.Uri = path
		for _, p := range gherkin.Pickles(*doc, path, (&messages.Incrementing{}).NewId) {
			fn(path, doc, p)
		}
		return nil
	})
}

// scenarioLines maps each scenario's AST id to its line, so that problems
// point into the file.
func scenarioLines(doc *messages.GherkinDocument) map[string]int64 {
	lines := map[string]int64{}
	if doc.Feature == nil {
		return lines
	}
	for _, c := range doc.Feature.Children {
		if c.Scenario != nil {
			lines[c.Scenario.Id] = c.Scenario.Location.Line
		}
		if c.Rule != nil {
			for _, rc := range c.Rule.Children {
				if rc.Scenario != nil {
					lines[rc.Scenario.Id] = rc.Scenario.Location.Line
				}
			}
		}
	}
	return lines
}

// check returns, for the scenarios against the catalogue, every coverage
// problem, and the requirements each scenario names.
func check(cat *spec.Catalogue, scenarios []scenario) (problems []string, covered map[string][]string) {
	covered = map[string][]string{}
	for _, s := range scenarios {
		var ids, levels []string
		mips := 0
		for _, t := range s.tags {
			switch {
			case requirementTag.MatchString(t):
				ids = append(ids, strings.TrimPrefix(t, "@"))
			case t == "@MUST" || t == "@SHOULD" || t == "@MAY":
				levels = append(levels, strings.TrimPrefix(t, "@"))
			case mipTag.MatchString(t):
				mips++
			}
		}
		label := fmt.Sprintf("%s %q", s.where, s.name)
		if mips == 0 {
			problems = append(problems, fmt.Sprintf("%s has no @MIP-NN tag: no certification run would select it", label))
		}
		if len(ids) == 0 {
			problems = append(problems, fmt.Sprintf("%s names no requirement: tag it with the IDs it checks", label))
		}
		strongest := spec.Level("")
		for _, id := range ids {
			r, ok := cat.Get(id)
			if !ok {
				problems = append(problems, fmt.Sprintf("%s names %s, which is not in spec/requirements.json", label, id))
				continue
			}
			covered[id] = append(covered[id], label)
			if r.Level.Strength() > strongest.Strength() {
				strongest = r.Level
			}
		}
		switch {
		case len(levels) == 0:
			problems = append(problems, fmt.Sprintf("%s has no level tag (@MUST, @SHOULD or @MAY)", label))
		case len(levels) > 1:
			problems = append(problems, fmt.Sprintf("%s has %d level tags %v; it takes one, the strongest of its requirements", label, len(levels), levels))
		case strongest != "" && spec.Level(levels[0]) != strongest:
			problems = append(problems, fmt.Sprintf("%s is tagged @%s but the strongest level of %v is %s", label, levels[0], ids, strongest))
		}
	}
	for _, r := range cat.Requirements {
		if r.Level == spec.Must && len(covered[r.ID]) == 0 {
			problems = append(problems, fmt.Sprintf("%s (MUST: %s) has no scenario", r.ID, r.Title))
		}
	}
	return problems, covered
}

// catalogueAndScenarios loads the catalogue and compiles every embedded
// scenario, failing the test when either cannot be read or there is no
// scenario at all.
func catalogueAndScenarios(t *testing.T) (*spec.Catalogue, []scenario) {
	t.Helper()
	cat, err := spec.Load()
	if err != nil {
		t.Fatalf("loading the catalogue: %v", err)
	}
	scenarios, err := parseAll(features.FS)
	if err != nil {
		t.Fatalf("parsing the features: %v", err)
	}
	if len(scenarios) == 0 {
		t.Fatal("no scenario found in the embedded features")
	}
	return cat, scenarios
}

// TestCoverage fails when the scenarios and the catalogue disagree: a MUST
// without a scenario, a scenario naming an unknown ID, a scenario without a
// requirement, a MIP tag or a level tag, or a level tag that is not the
// strongest level of the scenario's requirements.
func TestCoverage(t *testing.T) {
	cat, scenarios := catalogueAndScenarios(t)
	problems, covered := check(cat, scenarios)
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
	var untested []string
	for _, r := range cat.Requirements {
		if r.Level != spec.Must && len(covered[r.ID]) == 0 {
			untested = append(untested, r.ID)
		}
	}
	if len(untested) > 0 {
		t.Logf("requirements below MUST with no scenario: %v", untested)
	}
	t.Logf("%d scenarios cover %d of %d requirements", len(scenarios), len(covered), len(cat.Requirements))
}

// TestCoverageFindsProblems feeds the checker scenarios with each kind of
// mistake, so that TestCoverage cannot pass by checking nothing.
func TestCoverageFindsProblems(t *testing.T) {
	cat, err := spec.Parse([]byte(`{"version": "t", "requirements": [
		{"id": "MIP01-REG-1", "mip": "01", "level": "MUST", "title": "a"},
		{"id": "MIP01-REG-2", "mip": "01", "level": "SHOULD", "title": "b"},
		{"id": "MIP01-REG-3", "mip": "01", "level": "MUST", "title": "c"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	// Each case is checked next to a scenario that covers every MUST, so
	// that the only problem reported is the case's own.
	cover := scenario{where: "x.feature:9", name: "cover", tags: []string{"@MIP-01", "@MIP01-REG-1", "@MIP01-REG-3", "@MUST"}}
	cases := []struct {
		name string
		tags []string
		want string // a fragment of the one expected problem; "" for none
	}{
		{"fine", []string{"@MIP-01", "@MIP01-REG-1", "@MUST"}, ""},
		{"fine should", []string{"@MIP-01", "@MIP01-REG-2", "@SHOULD"}, ""},
		{"unknown id", []string{"@MIP-01", "@MIP01-REG-1", "@MIP01-REG-9", "@MUST"}, "not in spec/requirements.json"},
		{"no id", []string{"@MIP-01", "@MUST"}, "names no requirement"},
		{"no level", []string{"@MIP-01", "@MIP01-REG-1"}, "no level tag"},
		{"weak level", []string{"@MIP-01", "@MIP01-REG-1", "@MIP01-REG-2", "@SHOULD"}, "strongest level"},
		{"two levels", []string{"@MIP-01", "@MIP01-REG-1", "@MUST", "@SHOULD"}, "level tags"},
		{"no mip", []string{"@MIP01-REG-1", "@MUST"}, "no @MIP-NN tag"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			problems, _ := check(cat, []scenario{{where: "x.feature:1", name: c.name, tags: c.tags}, cover})
			if c.want == "" {
				if len(problems) != 0 {
					t.Fatalf("want no problem, got %v", problems)
				}
				return
			}
			if len(problems) != 1 || !strings.Contains(problems[0], c.want) {
				t.Fatalf("want one problem containing %q, got %v", c.want, problems)
			}
		})
	}

	problems, _ := check(cat, []scenario{{where: "x.feature:1", name: "only one", tags: []string{"@MIP-01", "@MIP01-REG-1", "@MUST"}}})
	if len(problems) != 1 || !strings.Contains(problems[0], "MIP01-REG-3") {
		t.Fatalf("an uncovered MUST must be reported: got %v", problems)
	}
}
