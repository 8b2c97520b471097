// Package roles is the one list of the roles a MostAO implementation fills:
// for each, its name, the MIP that specifies it, the reference source that
// stands in for it, the command-line flag that supplies it and the
// model-based properties that check it; and the suite's own puppet process.
//
// Every other package (targets, steps, models, certify, reports, the
// command line) reads the roles from here, so that a role is added or
// renamed in one place. The package knows nothing of engines: a source is
// the text an engine loads for the role.
package roles

import (
	_ "embed"
	"slices"

	"github.com/mostao/conformance/processes"
)

// The role names.
const (
	Domain  = "domain"
	Profile = "profile"
	Session = "session"
	// Puppet is the suite's own helper process: it sends whatever its
	// owner tells it to, so scenarios can play a hostile process. It is
	// no implementation's and earns no verdict.
	Puppet = "puppet"
)

// Role is one role of MostAO.
type Role struct {
	// Name is the role's name: a key of adapters.Target.Modules, a scenario
	// tag (@domain), the file name of its source in a folder (domain.lua).
	Name string
	// MIP is the MIP whose behaviour the role implements ("01").
	MIP string
	// Title names the role in prose ("chat session").
	Title string
	// Reference is the source of the reference implementation, which fills
	// the role when a target does not supply it; ReferenceFile names it.
	Reference     string
	ReferenceFile string
	// Flag is the name of the command-line flag that supplies the role's
	// source file (--domain), FlagHelp its help.
	Flag, FlagHelp string
	// Properties are the names of the model-based properties that check
	// the role (models.Check runs them for its MIP).
	Properties []string
}

// all is the registry, in MIP order.
var all = []Role{
	{Name: Domain, MIP: "01", Title: "domain", Reference: processes.Domain, ReferenceFile: "processes/domain.lua",
		Flag: "domain", FlagHelp: "Lua `file` of the domain (MIP-01)", Properties: []string{"domain-registry"}},
	{Name: Profile, MIP: "02", Title: "profile", Reference: processes.Profile, ReferenceFile: "processes/profile.lua",
		Flag: "profile", FlagHelp: "Lua `file` of the profile (MIP-02)", Properties: []string{"profile-owner", "profile-chat"}},
	{Name: Session, MIP: "03", Title: "chat session", Reference: processes.Session, ReferenceFile: "processes/session.lua",
		Flag: "session", FlagHelp: "Lua `file` of the chat session (MIP-03)", Properties: []string{"chat-session"}},
}

// PuppetSource is the Lua of the puppet process (role Puppet): on Action
// "Relay" from its owner it sends the message described in Data. Every
// target registers it as the module of Puppet.
//
//go:embed puppet.lua
var PuppetSource string

// All returns the roles an implementation fills, in MIP order (the puppet
// is not one of them).
func All() []Role { return slices.Clone(all) }

// Names returns the names of All, in MIP order.
func Names() []string {
	out := make([]string, len(all))
	for i, r := range all {
		out[i] = r.Name
	}
	return out
}

// Get returns the role of that name.
func Get(name string) (Role, bool) {
	for _, r := range all {
		if r.Name == name {
			return r, true
		}
	}
	return Role{}, false
}

// OfMIP is the name of the role whose behaviour a MIP specifies, "" for a
// MIP no role implements alone (MIP-00, the conventions every role follows).
func OfMIP(mip string) string {
	for _, r := range all {
		if r.MIP == mip {
			return r.Name
		}
	}
	return ""
}

// MIPOf is the MIP a role implements, "" for a name that is no role.
func MIPOf(role string) string {
	r, _ := Get(role)
	return r.MIP
}

// References returns the reference source of every role, by name.
func References() map[string]string {
	out := make(map[string]string, len(all))
	for _, r := range all {
		out[r.Name] = r.Reference
	}
	return out
}
