package spec

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// definition is where the text states a requirement: "**MIP01-REG-3 (MUST)**".
var definition = regexp.MustCompile(`\*\*(MIP0[0-9]-[A-Z]+-[0-9]+) \(([A-Z]+)\)\*\*`)

// mention is any requirement ID in the text, defined or referred to.
var mention = regexp.MustCompile(`MIP0[0-9]-[A-Z]+-[0-9]+`)

// mipFile matches the normative texts, one per MIP; README.md only refers to
// requirements, it defines none.
var mipFile = regexp.MustCompile(`^mip-(0[0-9])\.md$`)

type defined struct {
	file  string
	level Level
}

// definitions reads every requirement the MIP texts state, by ID. A
// requirement stated twice is an error: its ID would no longer say which
// rule failed.
func definitions(texts map[string]string) (map[string]defined, []string) {
	defs := map[string]defined{}
	var problems []string
	names := make([]string, 0, len(texts))
	for n := range texts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, file := range names {
		m := mipFile.FindStringSubmatch(file)
		if m == nil {
			continue
		}
		for _, d := range definition.FindAllStringSubmatch(texts[file], -1) {
			id, level := d[1], Level(d[2])
			if prev, dup := defs[id]; dup {
				problems = append(problems, fmt.Sprintf("%s is stated twice: in %s and in %s", id, prev.file, file))
				continue
			}
			if id[3:5] != m[1] {
				problems = append(problems, fmt.Sprintf("%s is stated in %s, the text of another MIP", id, file))
			}
			defs[id] = defined{file: file, level: level}
		}
	}
	return defs, problems
}

// TestTextsAndCatalogueAgree keeps the normative Markdown and
// requirements.json in step: every requirement the texts state is in the
// catalogue with the same level, every catalogue entry is stated in the text
// of its MIP, and every ID the texts mention exists.
func TestTextsAndCatalogueAgree(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatalf("loading the catalogue: %v", err)
	}
	texts, err := Texts()
	if err != nil {
		t.Fatalf("reading the texts: %v", err)
	}
	defs, problems := definitions(texts)
	for _, p := range problems {
		t.Error(p)
	}
	if len(defs) == 0 {
		t.Fatal("no requirement is stated in any spec/mip-*.md text")
	}

	ids := make([]string, 0, len(defs))
	for id := range defs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		d := defs[id]
		r, ok := cat.Get(id)
		if !ok {
			t.Errorf("%s is stated in %s but missing from requirements.json", id, d.file)
			continue
		}
		if r.Level != d.level {
			t.Errorf("%s is %s in %s but %s in requirements.json", id, d.level, d.file, r.Level)
		}
	}
	for _, r := range cat.Requirements {
		if _, ok := defs[r.ID]; !ok {
			t.Errorf("%s (%s) is in requirements.json but no spec/mip-%s.md states it as **%s (%s)**", r.ID, r.Level, r.MIP, r.ID, r.Level)
		}
		if strings.TrimSpace(r.Title) == "" {
			t.Errorf("%s has no title in requirements.json", r.ID)
		}
	}

	for file, text := range texts {
		for _, id := range mention.FindAllString(text, -1) {
			if _, ok := cat.Get(id); !ok {
				t.Errorf("%s mentions %s, which is not in requirements.json", file, id)
			}
		}
	}
}

// TestDefinitionsAreFound guards the parser the agreement test relies on: a
// text that states requirements yields them with their levels, and a
// duplicate is reported.
func TestDefinitionsAreFound(t *testing.T) {
	texts := map[string]string{
		"mip-01.md": "**MIP01-REG-1 (MUST)** one. **MIP01-REG-2 (SHOULD)** two, see MIP01-REG-1.",
		"mip-02.md": "**MIP01-REG-1 (MUST)** again.",
		"README.md": "**MIP01-REG-9 (MAY)** only an example.",
	}
	defs, problems := definitions(texts)
	if len(defs) != 2 || defs["MIP01-REG-1"].level != Must || defs["MIP01-REG-2"].level != Should {
		t.Fatalf("definitions = %v, want MIP01-REG-1 MUST and MIP01-REG-2 SHOULD", defs)
	}
	if _, ok := defs["MIP01-REG-9"]; ok {
		t.Error("README.md must not define requirements")
	}
	if len(problems) != 1 || !strings.Contains(problems[0], "stated twice") {
		t.Errorf("problems = %v, want one duplicate", problems)
	}
}
