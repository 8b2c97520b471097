package wasm

import (
	"context"
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
func send(t testing.TB, w adapters.World, from, to, action, data string) adapters.Trace {
	t.Helper()
	tags := adapters.Tags{}
	if action != "" {
		tags = append(tags, adapters.Tag{Name: "Action", Value: action})
	}
	tr, err := w.Send(context.Background(), adapters.Message{From: from, Target: to, Data: data, Tags: tags})
	if err != nil {
		t.Fatalf("send %s: %v", action, err)
	}
	return tr
}
