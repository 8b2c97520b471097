// Package targets builds the things the suite certifies (adapters.Target
// values) from Lua sources run on the in-process Lua engine.
//
// A MostAO implementation fills the roles of the role registry (package
// roles): "domain" (MIP-01), "profile" (MIP-02) and "session" (MIP-03).
// Every target also carries the suite's own puppet process (role
// "puppet"), which scenarios use to play a hostile process.
package targets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/live"
	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/adapters/wasm"
	"github.com/mostao/conformance/roles"
)

// Sources maps a role ("domain", "profile", "session") to Lua source text.
type Sources map[string]string

// LuaEngine describes the in-process Lua engine for the runtime profile the
// supplied sources run under (the zero value is the default, aos-current).
// Its worlds are cheap, a failure may be replayed to shrink it, and its
// worlds run in parallel on every core: it asks for nothing else.
func LuaEngine(profile lua.Profile) adapters.Engine {
	if profile == "" {
		profile = lua.ProfileCurrent
	}
	return adapters.Engine{Name: "lua (gopher-lua, " + string(profile) + ")"}
}

// Options tune a Lua target beyond its sources. The zero value is what Lua
// uses.
type Options struct {
	// FileNames maps a role to the file its source came from, so that
	// compile errors and reports name the user's file. Default: "<role>.lua".
	FileNames map[string]string
	// Seed derives the ids of wallets, messages and processes; default: the
	// engine's fixed seed.
	Seed string
	// Limits bound every evaluation; the zero value takes the engine's
	// defaults (a loop that never ends stops at its compute limit).
	Limits lua.Limits
	// Profile is the runtime profile the caller's sources run under
	// (lua.ProfileAOSSQLite gives them require("lsqlite3")); the zero value
	// is the engine's default, aos-current. The reference processes that
	// fill the other roles, and the puppet, keep the default.
	Profile lua.Profile
	// BootFromWeave loads the caller's sources on the Lua engine as aos's
	// boot loader does, the way the wasm engine loads code on a real aos
	// module (lua.Module.BootFromWeave); the reference processes that fill
	// the other roles, and the puppet, are loaded with their spawn.
	BootFromWeave bool
	// ModuleFormat is the Module-Format of a wasm target's module; "" reads
	// it from the binary.
	ModuleFormat string
	// Deployed maps a role to the id of a process already on a live
	// target's network that implements it (adapters.Target.Deployed).
	Deployed map[string]string
}

// Reference returns the bundled reference implementation (the sources
// embedded by package processes) on the Lua engine: what the suite certifies
// when given nothing else.
func Reference() adapters.Target {
	return ReferenceWith(Options{})
}

// ReferenceWith is Reference with options (its FileNames are ignored).
func ReferenceWith(opts Options) adapters.Target {
	opts.FileNames = map[string]string{}
	for _, r := range roles.All() {
		opts.FileNames[r.Name] = r.ReferenceFile
	}
	t := LuaWith("lua:processes (reference)", nil, opts)
	// Certifying the reference, the reference is the implementation of
	// every role.
	t.Supplied = roles.Names()
	return t
}

// ReferenceSources returns the reference source of every MostAO role.
func ReferenceSources() Sources {
	return Sources(roles.References())
}

// Lua returns a target whose roles run the given Lua sources.
//
// Roles the caller leaves out fall back to the reference source, so someone
// certifying only a domain still gets a working profile and session for the
// scenarios that need them. Only the given roles are Supplied: the others
// earn no verdict (a MIP is judged only on its own role's behaviour). The
// puppet role always runs roles.PuppetSource.
//
// Each module id is derived from its role and the SHA-256 of its source, so
// the same source always gets the same id and two different sources never
// share one.
func Lua(name string, sources Sources) adapters.Target {
	return LuaWith(name, sources, Options{})
}

// LuaWith is Lua with options.
func LuaWith(name string, sources Sources, opts Options) adapters.Target {
	all := withStandIns(sources)

	names := make([]string, 0, len(all))
	for role := range all {
		names = append(names, role)
	}
	sort.Strings(names)

	ids := map[string]string{}
	modules := map[string]lua.Module{}
	for _, role := range names {
		src := all[role]
		id := ModuleID(role, src)
		ids[role] = id
		file := opts.FileNames[role]
		if r, ok := roles.Get(role); ok && file == "" {
			if _, given := sources[role]; !given {
				file = r.ReferenceFile + " (reference)"
			}
		}
		if file == "" {
			file = role + ".lua"
		}
		mod := lua.Module{Name: file, Source: src}
		if _, given := sources[role]; given {
			mod.Profile = opts.Profile
			mod.BootFromWeave = opts.BootFromWeave
		}
		modules[id] = mod
	}
	var supplied []string
	for _, role := range roles.Names() {
		if _, given := sources[role]; given {
			supplied = append(supplied, role)
		}
	}
	return adapters.Target{
		Name:     name,
		Engine:   LuaEngine(opts.Profile),
		Modules:  ids,
		Supplied: supplied,
		NewWorld: func() (adapters.World, error) {
			// Each world gets its own copy of the registry, so no world can
			// change what another spawns.
			mods := make(map[string]lua.Module, len(modules))
			for id, m := range modules {
				mods[id] = m
			}
			w, err := lua.New(lua.Options{Modules: mods, Seed: opts.Seed, Limits: opts.Limits})
			if err != nil {
				return nil, fmt.Errorf("starting the Lua engine for %s: %w", name, err)
			}
			return w, nil
		},
	}
}

// withStandIns is every role's source: the given ones, the reference for
// the others, and the puppet.
func withStandIns(sources Sources) Sources {
	all := ReferenceSources()
	for role, src := range sources {
		all[role] = src
	}
	all[roles.Puppet] = roles.PuppetSource
	return all
}

// suppliedOrAll is the roles a target built on lt certifies: those given,
// or every role when none is (the reference processes on another engine).
func suppliedOrAll(lt adapters.Target, sources Sources) []string {
	if len(sources) == 0 {
		return roles.Names()
	}
	return lt.Supplied
}

// ModuleID is the module id a role's source gets: a 43-character id derived
// from the role and the SHA-256 of the source.
func ModuleID(role, source string) string {
	sum := sha256.Sum256([]byte(source))
	return adapters.DeterministicID("module:" + role + ":" + hex.EncodeToString(sum[:]))
}

// Wasm returns a target whose processes run on a compiled AO module (binary;
// nil takes the bundled module, wasm.DefaultModule) with the given Lua
// sources loaded into it. Roles left out run the reference sources; only
// the given roles are Supplied, or every role when none is given: the
// reference processes certified on that module.
func Wasm(name string, binary []byte, sources Sources, opts Options) adapters.Target {
	lt := LuaWith(name, sources, opts) // the same module ids, files and Supplied
	all := withStandIns(sources)
	modules := map[string]wasm.Module{}
	for role, id := range lt.Modules {
		file := opts.FileNames[role]
		if file == "" {
			file = role + ".lua"
		}
		mod := wasm.Module{Name: file, Source: all[role]}
		if _, given := sources[role]; given {
			// As on the Lua engine: the supplied sources run under the
			// profile, the reference stand-ins under the default.
			mod.Profile = string(opts.Profile)
		}
		modules[id] = mod
	}
	supplied := suppliedOrAll(lt, sources)
	engine := wasm.Engine()
	if binary != nil {
		engine.Name = "wasm (wazero)"
	}
	if opts.Profile != "" && opts.Profile != lua.ProfileCurrent {
		// The report's engine names the runtime, as the Lua engine's does.
		engine.Name += ", " + string(opts.Profile)
	}
	return adapters.Target{
		Name:     name,
		Engine:   engine,
		Modules:  lt.Modules,
		Supplied: supplied,
		NewWorld: func() (adapters.World, error) {
			mods := make(map[string]wasm.Module, len(modules))
			for id, m := range modules {
				mods[id] = m
			}
			// The budget is in the Lua engine's units, as the flag that
			// sets it says: the wasm world scales it to its own. The
			// safety net is wall-clock time, the same on every engine; 0
			// keeps the wasm engine's default (longer on a foreign module).
			lim := wasm.Limits{LuaMaxWork: opts.Limits.MaxWork, EvalTimeout: opts.Limits.EvalTimeout}
			w, err := wasm.New(wasm.Options{Modules: mods, Seed: opts.Seed, Binary: binary, Format: opts.ModuleFormat, Limits: lim})
			if err != nil {
				return nil, fmt.Errorf("starting the wasm engine for %s: %w", name, err)
			}
			return w, nil
		},
	}
}

// LiveEngine describes processes on a live AO network: each world costs
// spawns and signatures on the network, a failure is not replayed to
// shrink it, and two property shards at most talk to the network at once.
// where is what the world talks to (live.Config.Where).
func LiveEngine(where string) adapters.Engine {
	return adapters.Engine{Name: "live (" + where + ")", CostlyWorlds: true, NoShrink: true, Parallel: 2}
}

// Live returns a target whose processes run on the AO network cfg names
// (live.Discover fills what it leaves out from a devnet), with the
// wallets of keys. Roles left out run the reference sources, as for Lua;
// only the given roles are Supplied, or every role when none is given.
//
// Under live.SpawnPublish (a devnet) every source is published once as a
// module and the target's module ids are the network's; under
// live.SpawnEval they are the ids Lua gives them and the world loads each
// source by Eval into a process of the network's aos module.
func Live(ctx context.Context, name string, cfg live.Config, keys live.Keyring, sources Sources, opts Options) (adapters.Target, error) {
	cfg, err := live.Discover(ctx, cfg)
	if err != nil {
		return adapters.Target{}, err
	}
	lt := LuaWith(name, sources, opts)
	all := withStandIns(sources)
	ids := map[string]string{}
	modules := map[string]live.Module{}
	if err := checkDeployed(ctx, cfg, keys, sources, opts.Deployed); err != nil {
		return adapters.Target{}, err
	}
	for role, pid := range opts.Deployed {
		// The role's module id stands for the deployed process: a spawn
		// of it, by the suite or by a process, is untestable.
		id := adapters.DeterministicID("deployed:" + role + ":" + pid)
		ids[role] = id
		modules[id] = live.Module{Name: "the " + role + " under test", Deployed: pid}
	}
	for role, id := range lt.Modules {
		if _, ok := opts.Deployed[role]; ok {
			continue
		}
		file := opts.FileNames[role]
		if file == "" {
			file = role + ".lua"
		}
		if cfg.Spawn != live.SpawnPublish {
			ids[role] = id
			modules[id] = live.Module{Name: file, Source: all[role]}
			continue
		}
		publisher, err := keys.Wallet("module-publisher")
		if err != nil {
			return adapters.Target{}, err
		}
		if ids[role], err = live.Publish(ctx, cfg, publisher, file, all[role]); err != nil {
			return adapters.Target{}, fmt.Errorf("publishing %s as a module: %w", file, err)
		}
	}
	supplied := suppliedOrAll(lt, sources)
	if len(opts.Deployed) > 0 {
		// The deployed processes are certified, with the sources given;
		// the other roles are stand-ins.
		supplied = nil
		for _, role := range roles.Names() {
			_, given := sources[role]
			_, deployed := opts.Deployed[role]
			if given || deployed {
				supplied = append(supplied, role)
			}
		}
	}
	return adapters.Target{
		Name:     name,
		Engine:   LiveEngine(cfg.Where()),
		Modules:  ids,
		Supplied: supplied,
		Deployed: opts.Deployed,
		NewWorld: func() (adapters.World, error) { return live.New(cfg, keys, modules) },
	}, nil
}

// checkDeployed says what is wrong with the deployed processes a live
// target is given: a role that is no role, a role given both as a source
// and as a process, an id that is no process of the network.
func checkDeployed(ctx context.Context, cfg live.Config, keys live.Keyring, sources Sources, deployed map[string]string) error {
	if len(deployed) == 0 {
		return nil
	}
	w, err := live.New(cfg, keys, nil)
	if err != nil {
		return err
	}
	defer w.Close()
	for role, pid := range deployed {
		if _, ok := roles.Get(role); !ok {
			return fmt.Errorf("deployed process %s: %q is not a role (%v)", pid, role, roles.Names())
		}
		if _, ok := sources[role]; ok {
			return fmt.Errorf("the %s is given both as a source and as the deployed process %s: give one", role, pid)
		}
		ok, err := w.HasProcess(ctx, pid)
		if err != nil {
			return fmt.Errorf("looking up the deployed %s %s: %w", role, pid, err)
		}
		if !ok {
			return fmt.Errorf("the deployed %s %s is not a process of the network (%s)", role, pid, cfg.Where())
		}
	}
	return nil
}
