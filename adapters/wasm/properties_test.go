package wasm_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/wasm"
	"github.com/mostao/conformance/certify"
	"github.com/mostao/conformance/models"
	"github.com/mostao/conformance/processes/broken"
	"github.com/mostao/conformance/targets"
)

// propertySteps keeps the generated sequences short: a request costs some
// twenty times as much on this engine as on the Lua engine, and a failure
// is shrunk by replaying many sequences.
const propertySteps = 10

// checkOnWasm runs a MIP's properties on the wasm engine with the work
// bounds a certification gives them (certify.PropertyWork).
func checkOnWasm(t *testing.T, target adapters.Target, mip string, checks int) []models.Outcome {
	t.Helper()
	search, shrink := certify.PropertyWork(target.Engine, mip, propertySteps)
	outs, err := models.Check(context.Background(), target, mip, models.Config{
		Checks: checks, Steps: propertySteps, SearchWork: search, ShrinkWork: shrink,
	})
	require.NoError(t, err, "MIP-%s", mip)
	require.NotEmpty(t, outs, "MIP-%s has no property", mip)
	return outs
}

// TestReferencePassesItsPropertiesOnWasm: the model-based properties of
// every MIP run on the wasm engine, and the reference processes pass them.
func TestReferencePassesItsPropertiesOnWasm(t *testing.T) {
	target := targets.Wasm("wasm:", nil, nil, targets.Options{})
	for _, mip := range []string{"01", "02", "03"} {
		for _, o := range checkOnWasm(t, target, mip, 2) {
			require.Positive(t, o.Sequences, "MIP-%s %s ran no sequence", mip, o.Property)
			require.NotEmpty(t, o.Covered, "MIP-%s %s covered nothing", mip, o.Property)
			if o.Failure != nil {
				t.Errorf("the reference fails MIP-%s %s on the wasm engine: %s", mip, o.Property, o.Failure)
			}
		}
	}
}

// TestPropertyCatchesABrokenDomainOnWasm: a broken variant whose domain
// hands a taken name to a second owner is caught by the MIP-01 property on
// the wasm engine, on the requirement it breaks, and the failure is shrunk.
func TestPropertyCatchesABrokenDomainOnWasm(t *testing.T) {
	v, err := broken.Load("domain-hijack")
	require.NoError(t, err)
	target := targets.Wasm("wasm:", nil, targets.Sources{"domain": v.Source}, targets.Options{})
	outs := checkOnWasm(t, target, "01", 8)
	f := outs[0].Failure
	require.NotNil(t, f, "the MIP-01 property passes domain-hijack on the wasm engine")
	require.True(t, slices.Contains(outs[0].Failed, "MIP01-REG-3"), "failed %v, want MIP01-REG-3", outs[0].Failed)
	require.LessOrEqual(t, len(f.Sequence.Steps), 4, "the failure was not shrunk:\n%s", f)
}

// TestRunWorkBoundsPropertiesOnWasm: the wasm world counts its work
// (adapters.WorkCounter), so the run's work bound stops its properties.
func TestRunWorkBoundsPropertiesOnWasm(t *testing.T) {
	target := targets.Wasm("wasm:", nil, nil, targets.Options{})
	_, err := models.Check(context.Background(), target, "01", models.Config{Checks: 2, Steps: propertySteps, SearchWork: 1_000, ShrinkWork: 1_000})
	require.Error(t, err)
	require.True(t, errors.Is(err, adapters.ErrRunWork), "err = %v, want ErrRunWork", err)
}

// TestEngineBoundsTheParallelShards: the wasm engine asks for fresh worlds
// and shrinking, and bounds the shards that run at once by their memory.
func TestEngineBoundsTheParallelShards(t *testing.T) {
	e := targets.Wasm("wasm:", nil, nil, targets.Options{}).Engine
	require.Equal(t, wasm.ParallelShards, e.Parallel)
	require.False(t, e.CostlyWorlds)
	require.False(t, e.NoShrink)
}
