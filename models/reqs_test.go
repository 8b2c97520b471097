package models

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/mostao/conformance/spec"
)

// Every requirement ID the models name must be in the catalogue, so that a
// divergence always names a real rule.
func TestRequirementIDsExist(t *testing.T) {
	cat, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	id := regexp.MustCompile(`"(MIP0[0-9]-[A-Z]+-[0-9]+)"`)
	files, _ := filepath.Glob("*.go")
	more, _ := filepath.Glob("*/*.go")
	files = append(files, more...)
	seen := 0
	for _, f := range files {
		if filepath.Base(f) == "reqs_test.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range id.FindAllStringSubmatch(string(src), -1) {
			seen++
			if _, ok := cat.Get(m[1]); !ok {
				t.Errorf("%s names %s, which spec/requirements.json does not list", f, m[1])
			}
		}
	}
	if seen < 20 {
		t.Fatalf("found only %d requirement IDs in the models; the scan is broken", seen)
	}
}
