package features_test

import (
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"testing"

	messages "github.com/cucumber/messages/go/v34"

	"github.com/mostao/conformance/features"
	"github.com/mostao/conformance/spec"
	"github.com/mostao/conformance/steps"
)

// blameProblems returns what keeps a failure of the scenarios from being
// blamed on one requirement: a When or Then step of a scenario with several
// requirement tags that no annotation ("# checks <ID>") or own assertion
// names a requirement for, a requirement tag that no step checks, an
// annotation naming an unknown requirement, and a MIP-00 scenario without
// exactly one role tag.
func blameProblems(cat *spec.Catalogue, pickles []steps.PickleInfo) []string {
	var problems []string
	for _, p := range pickles {
		label := fmt.Sprintf("%s:%d %q", p.URI, p.Line, p.Name)
		var ids []string
		roles := 0
		for _, t := range p.Tags {
			switch {
			case strings.HasPrefix(t, "MIP") && strings.Count(t, "-") == 2:
				ids = append(ids, t)
			case t == steps.RoleDomain || t == steps.RoleProfile || t == steps.RoleSession:
				roles++
			}
		}
		if slices.Contains(p.Tags, "MIP-00") && roles != 1 {
			problems = append(problems, fmt.Sprintf("%s is a MIP-00 scenario with %d role tags: tag it with the role it checks (@domain, @profile or @session)", label, roles))
		}
		checked := map[string]bool{}
		acting := 0 // When and Then steps
		for _, st := range p.Steps {
			if st.Checks != "" {
				if _, ok := cat.Get(st.Checks); !ok {
					problems = append(problems, fmt.Sprintf("%s line %d: the annotation names %s, which is not in spec/requirements.json", label, st.Line, st.Checks))
				}
				checked[st.Checks] = true
			}
			intrinsic, full := steps.IntrinsicChecks(st.Text)
			for _, id := range intrinsic {
				checked[id] = true
			}
			if st.Type == messages.PickleStepType_CONTEXT {
				continue
			}
			acting++
			if len(ids) > 1 && st.Checks == "" && !full {
				problems = append(problems, fmt.Sprintf("%s line %d %q: the scenario names %d requirements and the step says not which it checks: write \"# checks <ID>\" above it", label, st.Line, st.Text, len(ids)))
			}
		}
		for _, id := range ids {
			if !checked[id] && !(len(ids) == 1 && acting > 0) {
				problems = append(problems, fmt.Sprintf("%s is tagged %s, but no step checks it", label, id))
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// readAll compiles every feature file of fsys with its annotations.
func readAll(t *testing.T, fsys fs.FS) []steps.PickleInfo {
	t.Helper()
	var out []steps.PickleInfo
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".feature") {
			return err
		}
		ps, err := steps.ReadFeature(fsys, path)
		out = append(out, ps...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEveryFailureIsBlamedOnOneRequirement keeps the features such that a
// failing step is blamed on the one requirement it checks, not on every tag
// of its scenario.
func TestEveryFailureIsBlamedOnOneRequirement(t *testing.T) {
	cat, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	pickles := readAll(t, features.FS)
	if len(pickles) == 0 {
		t.Fatal("no scenario found")
	}
	pending := map[string]int{}
	for _, p := range blameProblems(cat, pickles) {
		file, _, _ := strings.Cut(p, ":")
		if notYetAnnotated[file] {
			pending[file]++
			continue
		}
		t.Error(p)
	}
	for file := range notYetAnnotated {
		if pending[file] == 0 {
			t.Errorf("%s is listed as not yet annotated but has no problem left: take it off notYetAnnotated", file)
		}
	}
	t.Logf("%d feature files still blame failures on all their tags, with %d problems: %v", len(pending), sum(pending), pending)
}

// notYetAnnotated are the feature files whose multi-requirement scenarios
// are not annotated yet: a failure in them is blamed on every requirement
// tag of its scenario, as it was before blame existed. The list may only
// shrink; a file leaves it when its last problem is fixed.
var notYetAnnotated = map[string]bool{
	"flows/dm.feature": true, "flows/group.feature": true,
	"mip00/actions.feature": true, "mip00/identity.feature": true, "mip00/input.feature": true,
	"mip01/checks.feature": true, "mip01/names.feature": true, "mip01/query.feature": true,
	"mip01/register.feature": true, "mip01/renounce.feature": true,
	"mip02/chat-list.feature": true, "mip02/contacts.feature": true, "mip02/limits.feature": true,
	"mip02/profile.feature": true, "mip02/sessions.feature": true, "mip02/trust.feature": true,
	"mip03/creation.feature": true, "mip03/groups.feature": true, "mip03/history.feature": true,
	"mip03/limits.feature": true, "mip03/messages.feature": true,
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// TestBlameProblemsAreFound feeds the checker each kind of mistake, so that
// the test above cannot pass by checking nothing.
func TestBlameProblemsAreFound(t *testing.T) {
	cat, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	when := func(text, checks string) steps.StepInfo {
		return steps.StepInfo{Text: text, Type: messages.PickleStepType_ACTION, Checks: checks}
	}
	cases := []struct {
		name  string
		tags  []string
		steps []steps.StepInfo
		want  string // a fragment of the one expected problem; "" for none
	}{
		{"one tag, plain step", []string{"MIP-01", "MIP01-REG-1"}, []steps.StepInfo{when("x", "")}, ""},
		{"two tags, annotated", []string{"MIP-01", "MIP01-REG-1", "MIP01-REG-2"},
			[]steps.StepInfo{when("x", "MIP01-REG-1"), when("y", "MIP01-REG-2")}, ""},
		{"two tags, plain step", []string{"MIP-01", "MIP01-REG-1", "MIP01-REG-2"},
			[]steps.StepInfo{when("x", "MIP01-REG-1"), when("y", ""), when("z", "MIP01-REG-2")}, "says not which"},
		{"two tags, one unchecked", []string{"MIP-01", "MIP01-REG-1", "MIP01-REG-2"},
			[]steps.StepInfo{when("x", "MIP01-REG-1")}, "no step checks it"},
		{"intrinsic step", []string{"MIP-00", "domain", "MIP00-REP-1", "MIP00-REP-2"},
			[]steps.StepInfo{when("the reply references the request", "")}, ""},
		{"unknown annotation", []string{"MIP-01", "MIP01-REG-1"}, []steps.StepInfo{when("x", "MIP01-REG-99")}, "not in spec"},
		{"MIP-00 without role", []string{"MIP-00", "MIP00-REP-2"}, []steps.StepInfo{when("the reply references the request", "")}, "role tags"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			problems := blameProblems(cat, []steps.PickleInfo{{URI: "x.feature", Line: 1, Name: c.name, Tags: c.tags, Steps: c.steps}})
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
}
