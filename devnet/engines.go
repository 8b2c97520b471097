package devnet

import (
	"context"
	"errors"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/adapters/wasm"
)

// world is what the devnet asks of the engine world behind it: the Lua
// engine's (adapters/lua), or the wasm engine's (adapters/wasm) running a
// compiled AO module.
type world interface {
	HasProcess(id string) bool
	SchedulerUnit() string
	MessengerUnit() string
	Close() error
	Clock() int64
	Admit(address string)
	DryRun(ctx context.Context, m adapters.Message) (adapters.Result, error)
	Send(ctx context.Context, m adapters.Message) (adapters.Trace, error)
	SpawnTraced(ctx context.Context, req adapters.SpawnRequest, id string) (string, adapters.Trace, error)
	// addSource registers Lua source as module id (a published module).
	addSource(id, name, source string)
	// spawnFailed says whether err is the engine's "the spawn message
	// failed" (the implementation's, not the network's).
	spawnFailed(err error) bool
}

// luaWorld is a world of the Lua engine.
type luaWorld struct{ *lua.World }

func (w luaWorld) addSource(id, name, source string) {
	w.AddModule(id, lua.Module{Name: name, Source: source})
}

func (luaWorld) spawnFailed(err error) bool { return errors.Is(err, lua.ErrSpawnFailed) }

// wasmWorld is a world of the wasm engine.
type wasmWorld struct{ *wasm.World }

func (w wasmWorld) addSource(id, name, source string) {
	w.AddModule(id, wasm.Module{Name: name, Source: source})
}

func (wasmWorld) spawnFailed(err error) bool { return errors.Is(err, wasm.ErrSpawnFailed) }

// newWorld makes the engine world opts ask for, whose one module (base,
// the empty aos process) runs nothing until its owner Evals source into it.
func newWorld(opts Options, base string) (world, error) {
	if opts.Wasm == nil {
		w, err := lua.New(lua.Options{
			Seed:      opts.Seed,
			Limits:    opts.Limits,
			PushedFor: true,
			Modules:   map[string]lua.Module{base: {Name: "aos", Source: ""}},
		})
		if err != nil {
			return nil, err
		}
		return luaWorld{w}, nil
	}
	// The flag counts in the Lua engine's units; the wasm world scales
	// them by the module's own factor (larger on a module without our
	// setup export, such as real aos).
	limits := wasm.Limits{EvalTimeout: opts.Limits.EvalTimeout, LuaMaxWork: opts.Limits.MaxWork}
	w, err := wasm.NewNetworked(wasm.Options{
		Seed:    opts.Seed,
		Binary:  opts.Wasm,
		Format:  opts.WasmFormat,
		Limits:  limits,
		Modules: map[string]wasm.Module{base: {Name: "aos", Source: ""}},
	})
	if err != nil {
		return nil, err
	}
	return wasmWorld{w}, nil
}
