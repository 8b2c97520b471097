package lua

import (
	"context"
	"errors"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet/aonettest"
)

// testModuleID is the id tests spawn their module under.
const testModuleID = aonettest.ModuleID

// newTestWorld makes a world with one module holding src, a wallet "alice"
// and a spawned process.
func newTestWorld(t testing.TB, src string, tweak ...func(*Options, *Module)) (*World, string, string) {
	t.Helper()
	return aonettest.OneModule(t, Options{}, Module{Name: "test.lua", Source: src}, tweak, func(opts Options, mod Module) (*World, error) {
		opts.Modules = map[string]Module{testModuleID: mod}
		return New(opts)
	})
}

// send sends an Action with Data from a wallet and fails the test on error.
var send = aonettest.Send

// eval runs Lua as the owner and returns the printed output; it fails the
// test when the evaluation failed.
func eval(t testing.TB, w *World, owner, pid, code string) string {
	t.Helper()
	tr := send(t, w, owner, pid, "Eval", code)
	d := tr.Deliveries[0]
	if d.Result.Failed() {
		t.Fatalf("eval %q: %s", code, d.Result.Error)
	}
	return d.Result.Output
}

// dry evaluates Lua read-only via a dryrun of an Eval... dryruns have no
// Owner check by themselves, so the caller claims to be the owner.
func dry(t testing.TB, w *World, owner, pid, code string) adapters.Result {
	t.Helper()
	res, err := w.DryRun(context.Background(), adapters.Message{From: owner, Target: pid, Data: code, Tags: adapters.Tags{{Name: "Action", Value: "Eval"}}})
	if err != nil {
		t.Fatalf("dryrun: %v", err)
	}
	return res
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
