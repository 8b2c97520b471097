package wasm_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/wasm"
	"github.com/mostao/conformance/certify"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// wasmReference is the reference processes (and the suite's puppet) on the
// wasm engine, with the module ids the Lua reference target uses.
func wasmReference() adapters.Target {
	lua := targets.Reference()
	sources := targets.ReferenceSources()
	sources[steps.RolePuppet] = steps.PuppetSource
	modules := map[string]wasm.Module{}
	for role, id := range lua.Modules {
		modules[id] = wasm.Module{Name: role + ".lua", Source: sources[role]}
	}
	return adapters.Target{
		Name:     "wasm:mostao-lua53.wasm (reference)",
		Modules:  lua.Modules,
		Supplied: lua.Supplied,
		NewWorld: func() (adapters.World, error) { return wasm.New(wasm.Options{Modules: modules}) },
	}
}

// TestReferenceVerdictsMatchLuaEngine certifies the reference processes
// on both engines (scenarios only, no properties) and compares every
// requirement's verdict.
func TestReferenceVerdictsMatchLuaEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("certifies the reference processes twice (about a minute); run without -short")
	}
	date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	verdicts := map[string]map[string]string{}
	for name, target := range map[string]adapters.Target{"lua": targets.Reference(), "wasm": wasmReference()} {
		start := time.Now()
		run, err := certify.Run(context.Background(), certify.Config{Target: target, Date: date})
		require.NoError(t, err, name)
		t.Logf("%s: %d requirements in %s", name, len(run.Requirements), time.Since(start))
		verdicts[name] = map[string]string{}
		for _, r := range run.Requirements {
			verdicts[name][r.ID+" "+r.Role] = string(r.Verdict)
			if name == "wasm" && r.Verdict != "pass" {
				for _, c := range r.Checks {
					if !c.Passed {
						t.Logf("wasm %s: %s: %s: %s", r.ID, c.Name, c.FailedStep, c.Error)
					}
				}
			}
		}
	}
	var keys []string
	for k := range verdicts["lua"] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	require.NotEmpty(t, keys)
	for _, k := range keys {
		if verdicts["lua"][k] != verdicts["wasm"][k] {
			t.Errorf("requirement %s: %s on the Lua engine, %s on the wasm engine", k, verdicts["lua"][k], verdicts["wasm"][k])
		}
	}
	require.Equal(t, len(verdicts["lua"]), len(verdicts["wasm"]))
}
