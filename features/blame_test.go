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
	for _, p := range blameProblems(cat, pickles) {
		t.Error(p)
	}
}
