// Package processes embeds the reference implementation of the MostAO
// processes: the Lua sources the suite certifies by default.
package processes

import _ "embed"

// The reference sources, one per role.
var (
	// Domain is the MIP-01 domain registry.
	//go:embed domain.lua
	Domain string
	// Profile is the MIP-02 profile.
	//go:embed profile.lua
	Profile string
	// Session is the MIP-03 chat session.
	//go:embed session.lua
	Session string
)
