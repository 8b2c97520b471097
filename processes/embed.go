// Package processes embeds the reference implementation of the MostAO
// processes: the Lua sources the suite certifies by default.
package processes

import _ "embed"

// The reference sources, one per role.
var (
	//go:embed domain.lua
	Domain string
)
