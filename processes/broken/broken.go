// Package broken holds deliberately broken variants of the reference
// processes: each is the reference source with a few edits that plant one
// defect the suite must catch (the defects of the one public implementation,
// and a few more). Keeping each variant as edits, not as a copy, means every
// variant follows the reference as it changes, and an edit that no longer
// applies is an error rather than a fixture quietly gone stale.
//
// A variant file, <role>-<defect>.mutation, is a line "base: <role>" and then
// blocks of
//
//	@@ replace
//	<lines of the reference, found exactly once>
//	@@ with
//	<the lines that take their place>
//	@@ end
package broken

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/mostao/conformance/roles"
)

//go:embed *.mutation
var files embed.FS

// Variant is one broken process.
type Variant struct {
	// Name is the file name without its extension, e.g. "domain-hijack".
	Name string
	// Role is the role it plays: "domain", "profile" or "session".
	Role string
	// Source is the Lua source.
	Source string
}

// bases are the reference sources the variants edit, by role.
var bases = roles.References()

// All returns every variant, by name.
func All() ([]Variant, error) {
	names, err := files.ReadDir(".")
	if err != nil {
		return nil, err
	}
	var out []Variant
	for _, e := range names {
		v, err := Load(strings.TrimSuffix(e.Name(), ".mutation"))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// ForRole returns the variants of one role.
func ForRole(role string) ([]Variant, error) {
	all, err := All()
	if err != nil {
		return nil, err
	}
	var out []Variant
	for _, v := range all {
		if v.Role == role {
			out = append(out, v)
		}
	}
	return out, nil
}

// Load builds the named variant from its reference source and edits.
func Load(name string) (Variant, error) {
	file := name + ".mutation"
	raw, err := files.ReadFile(file)
	if err != nil {
		return Variant{}, fmt.Errorf("broken variant %q: %w", name, err)
	}
	text := string(raw)
	first, rest, _ := strings.Cut(text, "\n")
	role, ok := strings.CutPrefix(first, "base: ")
	base, known := bases[role]
	if !ok || !known {
		return Variant{}, fmt.Errorf("%s: the first line must be \"base: domain|profile|session\", got %q", file, first)
	}
	src, err := apply(base, rest)
	if err != nil {
		return Variant{}, fmt.Errorf("%s: %w", path.Base(file), err)
	}
	return Variant{Name: name, Role: role, Source: src}, nil
}

// Edit makes the edits of a variant file (the blocks after its "base:"
// line) on src, in order: for fixtures kept beside a base of their own,
// such as processes/sqlite.
func Edit(src, edits string) (string, error) {
	return apply(src, edits)
}

// apply makes the replace/with edits of a variant file on src, in order.
func apply(src, edits string) (string, error) {
	for n := 1; edits != ""; n++ {
		block, after, ok := strings.Cut(edits, "@@ end\n")
		if !ok {
			return "", fmt.Errorf("edit %d: no \"@@ end\" line", n)
		}
		edits = after
		body, ok := strings.CutPrefix(block, "@@ replace\n")
		old, replacement, ok2 := strings.Cut(body, "@@ with\n")
		if !ok || !ok2 {
			return "", fmt.Errorf("edit %d: want \"@@ replace\", the old lines, \"@@ with\", the new lines", n)
		}
		if c := strings.Count(src, old); c != 1 {
			return "", fmt.Errorf("edit %d: its old lines occur %d times in the reference, want exactly once (did the reference change?):\n%s", n, c, old)
		}
		src = strings.Replace(src, old, replacement, 1)
	}
	return src, nil
}
