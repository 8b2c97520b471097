package lua

import (
	"context"
	"errors"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// testModuleID is the id tests spawn their module under.
const testModuleID = "test-module-0000000000000000000000000000000"

// newTestWorld makes a world with one module holding src, a wallet "alice"
// and a spawned process.
func newTestWorld(t testing.TB, src string, tweak ...func(*Options, *Module)) (*World, string, string) {
	t.Helper()
	mod := Module{Name: "test.lua", Source: src}
	opts := Options{Modules: map[string]Module{}}
	for _, f := range tweak {
		f(&opts, &mod)
	}
	opts.Modules[testModuleID] = mod
	w, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	alice, _ := w.Wallet("alice")
	pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
	if err != nil {
		t.Fatalf("spawn: %v", err)
	}
	return w, alice, pid
}

// send sends an Action with Data from a wallet and fails the test on error.
func send(t testing.TB, w *World, from, to, action, data string, tags ...adapters.Tag) adapters.Trace {
	t.Helper()
	all := adapters.Tags{}
	if action != "" {
		all = append(all, adapters.Tag{Name: "Action", Value: action})
	}
	all = append(all, tags...)
	tr, err := w.Send(context.Background(), adapters.Message{From: from, Target: to, Data: data, Tags: all})
	if err != nil {
		t.Fatalf("send %s: %v", action, err)
	}
	return tr
}

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
