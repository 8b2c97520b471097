package features_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/mostao/conformance/spec"
)

// modelsDir is the source of the models, from this package's folder.
const modelsDir = "../models"

// modelRule is a requirement ID a model names in its code, and where: each
// rule a model enforces carries the IDs it rests on (models/*/reqs.go, the
// Requirements of an outcome), so the IDs are the rules.
type modelRule struct {
	id    string
	where string // file:line
}

// modelRules reads every requirement ID written as a string literal in the
// non-test Go files below dir. Comments do not count: only code that names
// an ID makes a model check it.
func modelRules(dir string) ([]modelRule, error) {
	var out []modelRule
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && spec.IDPattern.MatchString(s) {
				pos := fset.Position(lit.Pos())
				out = append(out, modelRule{id: s, where: fmt.Sprintf("%s:%d", filepath.ToSlash(pos.Filename), pos.Line)})
			}
			return true
		})
		return nil
	})
	return out, err
}

// rulesWithoutScenario returns one problem per requirement that a model
// checks and no scenario is tagged with: a divergence on it would name a
// rule that no Gherkin scenario states, so the failure would not show an
// implementer the rule in the protocol's words.
func rulesWithoutScenario(rules []modelRule, covered map[string][]string) []string {
	where := map[string][]string{}
	for _, r := range rules {
		if len(covered[r.id]) == 0 {
			where[r.id] = append(where[r.id], r.where)
		}
	}
	var problems []string
	for id, places := range where {
		sort.Strings(places)
		problems = append(problems, fmt.Sprintf("%s is checked by the models (%s) but no scenario is tagged @%s: add one to features/", id, strings.Join(places, ", "), id))
	}
	sort.Strings(problems)
	return problems
}

// TestModelRulesHaveScenarios fails when a model property checks a
// requirement that no scenario checks: every requirement ID the models
// name must tag at least one scenario of features/.
func TestModelRulesHaveScenarios(t *testing.T) {
	cat, scenarios := catalogueAndScenarios(t)
	_, covered := check(cat, scenarios)
	rules, err := modelRules(modelsDir)
	if err != nil {
		t.Fatalf("reading the models: %v", err)
	}
	ids := map[string]bool{}
	for _, r := range rules {
		ids[r.id] = true
	}
	// The models name more than ninety requirements; far fewer means the scan
	// is reading the wrong folder or nothing at all.
	if len(ids) < 40 {
		t.Fatalf("found only %d requirement IDs in %s; the scan is broken", len(ids), modelsDir)
	}
	for _, p := range rulesWithoutScenario(rules, covered) {
		t.Error(p)
	}
	t.Logf("%d requirements checked by the models, each tagged on a scenario", len(ids))
}

// TestModelRulesFindsProblems feeds the checker a model rule without a
// scenario, so that TestModelRulesHaveScenarios cannot pass by checking
// nothing, and checks that the scan reads literals, not comments.
func TestModelRulesFindsProblems(t *testing.T) {
	covered := map[string][]string{"MIP01-REG-1": {"x.feature:3"}}
	rules := []modelRule{{"MIP01-REG-1", "a.go:1"}, {"MIP01-REG-2", "a.go:2"}, {"MIP01-REG-2", "b.go:9"}}
	problems := rulesWithoutScenario(rules, covered)
	if len(problems) != 1 || !strings.Contains(problems[0], "MIP01-REG-2") || !strings.Contains(problems[0], "a.go:2, b.go:9") {
		t.Fatalf("want one problem naming MIP01-REG-2 at a.go:2 and b.go:9, got %v", problems)
	}

	dir := t.TempDir()
	src := "package m\n\n// MIP01-REN-1 is only mentioned here.\nconst rule = \"MIP01-REG-3\"\n"
	if err := writeFile(filepath.Join(dir, "m.go"), src); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(filepath.Join(dir, "m_test.go"), "package m\n\nconst other = \"MIP01-REN-2\"\n"); err != nil {
		t.Fatal(err)
	}
	got, err := modelRules(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].id != "MIP01-REG-3" || !strings.HasSuffix(got[0].where, "m.go:4") {
		t.Fatalf("want only MIP01-REG-3 at m.go:4 (not the comment, not the test file), got %v", got)
	}
}

func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o644) }
