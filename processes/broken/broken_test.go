package broken

import (
	"strings"
	"testing"
)

func TestEveryVariantBuildsAndDiffersFromItsReference(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no broken variants")
	}
	for _, v := range all {
		if v.Source == bases[v.Role] {
			t.Errorf("%s: no edit changed the reference", v.Name)
		}
		if !strings.HasPrefix(v.Name, v.Role+"-") {
			t.Errorf("%s: name does not start with its role %q", v.Name, v.Role)
		}
	}
}

func TestApplyRejectsEditsThatDoNotFitTheReference(t *testing.T) {
	cases := map[string]string{
		"old lines absent": "@@ replace\nnot there\n@@ with\nx\n@@ end\n",
		"old lines twice":  "@@ replace\na\n@@ with\nx\n@@ end\n",
		"no end":           "@@ replace\nb\n@@ with\nx\n",
		"no with":          "@@ replace\nb\n@@ end\n",
		"stray text":       "junk\n@@ end\n",
	}
	for name, edits := range cases {
		if _, err := apply("a\nb\na\n", edits); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	got, err := apply("a\nb\nc\n", "@@ replace\nb\n@@ with\nB\nB2\n@@ end\n")
	if err != nil || got != "a\nB\nB2\nc\n" {
		t.Errorf("apply = %q, %v", got, err)
	}
}
