// Package sqlite holds a MostAO Domain (MIP-01) written in the aos-sqlite
// style (require("lsqlite3"), a table, prepared statements with bind_names,
// nrows), which runs under the Lua engine's aos-sqlite profile, and its
// broken variants.
//
// A variant file, domain-<defect>.mutation, is a line "base: domain.lua"
// and then the replace/with blocks of processes/broken, applied to
// domain.lua: each plants one defect the suite must catch.
package sqlite

import (
	"embed"
	"fmt"
	"strings"

	"github.com/mostao/conformance/processes/broken"
)

// Domain is the aos-sqlite Domain.
//
//go:embed domain.lua
var Domain string

//go:embed *.mutation
var files embed.FS

// Variants returns the broken variants of Domain by name (the file name
// without its extension).
func Variants() (map[string]string, error) {
	entries, err := files.ReadDir(".")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, e := range entries {
		raw, err := files.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		first, edits, _ := strings.Cut(string(raw), "\n")
		if first != "base: domain.lua" {
			return nil, fmt.Errorf("%s: the first line must be \"base: domain.lua\", got %q", e.Name(), first)
		}
		src, err := broken.Edit(Domain, edits)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		out[strings.TrimSuffix(e.Name(), ".mutation")] = src
	}
	return out, nil
}
