package wasm

import (
	"context"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet/aonettest"
	"github.com/mostao/conformance/processes"
)

func domainWorld(b *testing.B) (*World, string, string) {
	b.Helper()
	return aonettest.Spawned(b, func() (*World, error) {
		return New(Options{Modules: map[string]Module{domainModule: {Name: "domain.lua", Source: processes.Domain}}})
	}, domainModule)
}

// BenchmarkSpawn spawns a domain process in a fresh world (module compiled
// and booted once, through the caches).
func BenchmarkSpawn(b *testing.B) {
	domainWorld(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Closed at once, as a certification closes each scenario's world.
		w, _, _ := domainWorld(b)
		w.Close()
	}
}

// BenchmarkSend is one Register and its reply.
func BenchmarkSend(b *testing.B) {
	w, alice, pid := domainWorld(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid,
			Data: `{"name":"alice","pid":"` + pid + `"}`, Tags: adapters.Tags{{Name: "Action", Value: "Register"}}})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDryRun is one QueryDomain dryrun (snapshot, evaluate, restore).
func BenchmarkDryRun(b *testing.B) {
	w, _, pid := domainWorld(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := w.DryRun(context.Background(), adapters.Message{Target: pid, Data: "alice",
			Tags: adapters.Tags{{Name: "Action", Value: "QueryDomain"}}}); err != nil {
			b.Fatal(err)
		}
	}
}
