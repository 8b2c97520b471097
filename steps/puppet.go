package steps

import _ "embed"

// PuppetSource is the Lua of the suite's puppet process (role "puppet"): on
// Action "Relay" from its owner it sends the message described in Data. A
// target registers it as the module of RolePuppet.
//
//go:embed puppet.lua
var PuppetSource string
