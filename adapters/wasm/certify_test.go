package wasm_test

import (
	"context"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/wasm"
	"github.com/mostao/conformance/certify"
	"github.com/mostao/conformance/processes/broken"
	"github.com/mostao/conformance/roles"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// wasmTarget is targets.Lua(name, sources) on the wasm engine: the same
// roles, module ids and sources (the reference for roles not given, and
// the suite's puppet).
func wasmTarget(name string, sources targets.Sources) adapters.Target {
	return wasmTargetOn(name, sources, nil)
}

// wasmTargetOn is wasmTarget on another compiled module (nil: the bundled
// one).
func wasmTargetOn(name string, sources targets.Sources, binary []byte) adapters.Target {
	lua := targets.Lua(name, sources)
	all := targets.ReferenceSources()
	for role, src := range sources {
		all[role] = src
	}
	all[roles.Puppet] = roles.PuppetSource
	modules := map[string]wasm.Module{}
	for role, id := range lua.Modules {
		modules[id] = wasm.Module{Name: role + ".lua", Source: all[role]}
	}
	return adapters.Target{
		Name:     "wasm:" + name,
		Engine:   wasm.Engine(),
		Modules:  lua.Modules,
		Supplied: lua.Supplied,
		NewWorld: func() (adapters.World, error) { return wasm.New(wasm.Options{Modules: modules, Binary: binary}) },
	}
}

func wasmReference() adapters.Target { return wasmTarget("reference", nil) }

// TestReferenceVerdictsMatchLuaEngine certifies the reference processes
// on both engines (scenarios only, no properties) and compares every
// requirement's verdict.
func TestReferenceVerdictsMatchLuaEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("certifies the reference processes twice (about a minute); run without -short")
	}
	requireSameVerdicts(t, wasmReference())
}

// requireSameVerdicts certifies the reference processes on the Lua engine
// and on wasmTarget and requires the same verdict for every requirement.
func requireSameVerdicts(t *testing.T, wasmTarget adapters.Target) {
	diffs, _ := verdictDifferences(t, context.Background(), certify.Config{}, wasmTarget)
	for _, k := range sortedKeys(diffs) {
		t.Errorf("requirement %s: %s", k, diffs[k])
	}
}

// verdictDifferences certifies the reference processes (scenarios only)
// on the Lua engine and on wasmTarget, with cfg's CallTimeout and MIPs,
// the whole bounded by ctx, and returns the requirements whose verdicts
// differ ("MIP01-REG-1 domain" -> "pass on the Lua engine, fail on the
// wasm engine") and every verdict of the Lua engine. The wasm run's failed
// checks are logged.
func verdictDifferences(t *testing.T, ctx context.Context, cfg certify.Config, wasmTarget adapters.Target) (map[string]string, map[string]string) {
	t.Helper()
	date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	verdicts := map[string]map[string]string{}
	for _, name := range []string{"lua", "wasm"} {
		target := targets.Reference()
		if name == "wasm" {
			target = wasmTarget
		}
		start := time.Now()
		cfg.Target, cfg.Date = target, date
		run, err := certify.Run(ctx, cfg)
		if ctx.Err() != nil {
			t.Fatalf("%s: the certification did not end within its time (stopped after %s): %v", name, time.Since(start).Round(time.Second), ctx.Err())
		}
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
	require.NotEmpty(t, verdicts["lua"])
	require.Equal(t, len(verdicts["lua"]), len(verdicts["wasm"]))
	diffs := map[string]string{}
	for k, v := range verdicts["lua"] {
		if w := verdicts["wasm"][k]; w != v {
			diffs[k] = v + " on the Lua engine, " + w + " on the wasm engine"
		}
	}
	return diffs, verdicts["lua"]
}

// sortedKeys is m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// requirementID matches a scenario's requirement tags ("@MIP01-REG-3").
var requirementID = regexp.MustCompile(`^@?MIP[0-9]{2}-[A-Z]+-[0-9]+$`)

// TestBrokenVariantsCaughtAsOnLuaEngine runs the scenarios of each broken
// variant's MIP (and MIP-00) on both engines: the same requirements fail.
func TestBrokenVariantsCaughtAsOnLuaEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every broken variant on both engines (minutes); run without -short")
	}
	variants, err := broken.All()
	require.NoError(t, err)
	mip := map[string]string{steps.RoleDomain: "@MIP-01", steps.RoleProfile: "@MIP-02", steps.RoleSession: "@MIP-03"}
	for _, v := range variants {
		t.Run(v.Name, func(t *testing.T) {
			failed := map[string][]string{}
			for engine, target := range map[string]adapters.Target{
				"lua":  targets.Lua(v.Name, targets.Sources{v.Role: v.Source}),
				"wasm": wasmTarget(v.Name, targets.Sources{v.Role: v.Source}),
			} {
				res, err := steps.Run(context.Background(), steps.Options{Target: target, Tags: "@MIP-00," + mip[v.Role]})
				require.NoError(t, err, engine)
				seen := map[string]bool{}
				for _, sc := range res.Scenarios {
					if sc.Status == steps.StatusPassed {
						continue
					}
					for _, tag := range sc.Tags {
						if requirementID.MatchString(tag) && !seen[tag] {
							seen[tag] = true
							failed[engine] = append(failed[engine], tag)
						}
					}
				}
				sort.Strings(failed[engine])
			}
			require.NotEmpty(t, failed["lua"], "the Lua engine catches nothing")
			require.Equal(t, failed["lua"], failed["wasm"])
		})
	}
}
