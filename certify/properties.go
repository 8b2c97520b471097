package certify

import (
	"context"
	"errors"
	"fmt"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/models"
	"github.com/mostao/conformance/reports"
)

// runProperties runs the model-based properties of the selected MIPs (none
// when cfg.Checks is 0 or a single scenario was asked for) and turns each
// outcome into a check.
//
// Each property's shards may spend a share of work in proportion to their
// sequences (models.Config.SearchWork): the bound is counted per shard,
// whose sequences run one after another, so where it is met is the same on
// any machine. A MIP whose properties met it keeps none of their outcomes
// (they are untested), nor do the MIPs after it, and stopped says so.
func runProperties(ctx context.Context, cfg Config, mips []string, factor int64) (checks []reports.Check, stopped string, err error) {
	if cfg.Checks <= 0 || cfg.Scenario != "" {
		return nil, "", nil
	}
	command := cfg.Reproduce
	for _, mip := range mips {
		if mip == "00" {
			continue // MIP-00 conventions are checked inside every other MIP's properties
		}
		if stopped != "" {
			checks = append(checks, untestedProperties(mip, stopped))
			continue
		}
		if cfg.Progress != nil {
			cfg.Progress(Progress{Next: fmt.Sprintf("MIP-%s model-based properties (%d sequences)", mip, cfg.Checks)})
		}
		search, shrink := propertyWork(mip, cfg.Steps, factor, cfg.Target.Engine.Scale())
		outs, err := models.Check(ctx, cfg.Target, mip, models.Config{Checks: cfg.Checks, Steps: cfg.Steps, Seed: propertySeed(cfg.Seed), Command: command,
			SearchWork: search, ShrinkWork: shrink, CallTimeout: cfg.CallTimeout})
		if errors.Is(err, models.ErrNoProperties) {
			continue
		}
		if errors.Is(err, adapters.ErrRunWork) {
			stopped = stoppedText(fmt.Sprintf("the MIP-%s properties", mip), factor)
			checks = append(checks, untestedProperties(mip, stopped))
			continue
		}
		if errors.Is(err, adapters.ErrUntestable) {
			// The target cannot run them (a live network that cannot
			// spawn what they need): untested, with the reason, and the
			// other MIPs still run.
			checks = append(checks, untestedProperties(mip, err.Error()))
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("running the MIP-%s properties: %w", mip, err)
		}
		for _, o := range outs {
			// The user asked for checks: a property that ran none cannot
			// vouch for anything, and silence would read as a pass.
			if o.Untested() {
				return nil, "", fmt.Errorf("the MIP-%s property %s ran no sequence of the %d asked for", mip, o.Property, cfg.Checks)
			}
			checks = append(checks, propertyCheck(o))
		}
	}
	return checks, stopped, nil
}

// propertySeed is the seed the properties run with: the models' fixed
// default when none is given.
func propertySeed(seed int64) uint64 {
	if seed == 0 {
		return models.DefaultSeed
	}
	return uint64(seed)
}

// propertyCheck turns a property's outcome into a check. A passing property
// covers the requirements its requests checked. A failing one stopped at
// its first divergence, so it did not run to the end: it fails the
// requirements of that divergence and vouches for nothing else. One that
// ran no sequence is untested: not passed, and covering nothing.
func propertyCheck(o models.Outcome) reports.Check {
	c := reports.Check{
		Kind: reports.Property,
		Name: fmt.Sprintf("MIP-%s property %s", o.MIP, o.Property),
		URI:  "models:" + o.MIP + "/" + o.Property,
	}
	if o.Untested() {
		c.Status = "untested"
		c.Error = "no sequence ran"
		return c
	}
	if o.Failure == nil {
		c.Requirements = o.Covered
		c.Passed = true
		c.Status = "passed"
		return c
	}
	f := o.Failure
	c.Requirements = o.Failed
	c.Status = "failed"
	c.Error = f.String()
	if i := f.Divergence.Step; i >= 0 && i < len(f.Sequence.Steps) {
		c.FailedStep = f.Sequence.Steps[i].String()
	}
	c.Exchanges = f.Exchanges
	c.Reproducer = f.Replay
	return c
}
