// Package aonettest holds the test helpers the tests of every in-process
// engine (adapters/lua, adapters/wasm) share: a world with one spawned
// process, and a wallet's send that fails the test on error.
package aonettest

import (
	"context"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// ModuleID is the id tests spawn their module under.
const ModuleID = "test-module-0000000000000000000000000000000"

// Spawned makes a world with newWorld (closed when the test ends), a
// wallet "alice" and a process of module she spawned; it fails the test
// when any of them cannot be made.
func Spawned[W adapters.World](t testing.TB, newWorld func() (W, error), module string) (w W, alice, pid string) {
	t.Helper()
	w, err := newWorld()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	alice, err = w.Wallet("alice")
	if err != nil {
		t.Fatal(err)
	}
	pid, err = w.Spawn(context.Background(), adapters.SpawnRequest{Module: module, From: alice})
	if err != nil {
		t.Fatalf("spawn: %v", err)
	}
	return w, alice, pid
}

// Send sends an Action (none when empty) with Data and tags from a wallet,
// and fails the test on error.
func Send(t testing.TB, w adapters.World, from, to, action, data string, tags ...adapters.Tag) adapters.Trace {
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

// OneModule is Spawned on a world of one module, ModuleID: tweak changes
// the engine's options and its module (which holds the process's source),
// then newWorld makes the world of the options with the module as
// ModuleID.
func OneModule[W adapters.World, O, M any](t testing.TB, opts O, mod M, tweak []func(*O, *M), newWorld func(O, M) (W, error)) (W, string, string) {
	t.Helper()
	for _, f := range tweak {
		f(&opts, &mod)
	}
	return Spawned(t, func() (W, error) { return newWorld(opts, mod) }, ModuleID)
}
