package steps_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/processes/broken"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// TestScenariosAtOnceComeBackInOrder: scenarios that run at once come back
// in the order they run one at a time, with the same outcomes, each with
// its place in that order (Order, increasing).
func TestScenariosAtOnceComeBackInOrder(t *testing.T) {
	old := runtime.GOMAXPROCS(max(4, runtime.GOMAXPROCS(0)))
	defer runtime.GOMAXPROCS(old)
	// A broken domain, so that outcomes differ from one scenario to the
	// next and a scenario out of place shows.
	v, err := broken.Load("domain-no-validation")
	require.NoError(t, err)
	target := targets.Lua("lua:no-validation", targets.Sources{steps.RoleDomain: v.Source})
	type outcome struct {
		uri, name string
		status    steps.Status
		failed    string
	}
	run := func(parallel int) []outcome {
		res, err := steps.Run(context.Background(), steps.Options{Target: target, Tags: "@MIP-01", Parallel: parallel})
		require.NoError(t, err)
		var out []outcome
		for i, r := range res.Scenarios {
			if i > 0 {
				require.Greater(t, r.Order, res.Scenarios[i-1].Order, "scenario %d (%s) is out of order", i+1, r.Name)
			}
			out = append(out, outcome{r.URI, r.Name, r.Status, r.FailedStep})
		}
		return out
	}
	one := run(1)
	require.NotEmpty(t, one)
	failed := 0
	for _, o := range one {
		if o.status != steps.StatusPassed {
			failed++
		}
	}
	require.True(t, failed > 0 && failed < len(one), "%d of %d scenarios failed: the order would not show", failed, len(one))
	require.Equal(t, one, run(4))
}
