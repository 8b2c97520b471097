package lua

import (
	"context"
	"strconv"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet"
	"github.com/mostao/conformance/adapters/aonet/aonettest"
	"github.com/mostao/conformance/processes"
)

// A module with BootFromWeave is loaded as the wasm engine loads code on a
// real aos module: the world adds On-Boot = <its source's transaction> to
// the spawn, and the code runs in _boot, where none of its handlers sees
// the spawn message, which is Inbox[1]. A module without it runs its code
// with the spawn message, ahead of _boot, so its prepended handler sees it.
func TestBootFromWeaveLoadsAsAOSBootLoader(t *testing.T) {
	src := aonettest.BootProbe
	tx := aonet.CodeTransaction(src)
	for _, c := range []struct {
		weave bool
		want  string
	}{
		{true, "1 false the spawn's own data " + tx + " " + tx},
		{false, "1 true the spawn's own data nil nil"},
	} {
		t.Run("BootFromWeave="+strconv.FormatBool(c.weave), func(t *testing.T) {
			w, err := New(Options{Modules: map[string]Module{testModuleID: {Name: "probe.lua", Source: src, BootFromWeave: c.weave}}})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			alice, _ := w.Wallet("alice")
			pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice, Data: "the spawn's own data"})
			if err != nil {
				t.Fatal(err)
			}
			got := eval(t, w, alice, pid, `local on = ao.env.Process.Tags["On-Boot"]
return Booted .. " " .. tostring(SawSpawn) .. " " .. Inbox[1].Data .. " " .. tostring(Inbox[1].Tags["On-Boot"]) .. " " .. tostring(on)`)
			if got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

// The reference profile and session loaded by aos's boot loader start
// from their spawn message all the same (they read it as Inbox[1]), as
// TestRealAosReferenceProcessesStartFromTheirSpawn checks on real aos.
func TestBootFromWeaveReferenceProcessesStartFromTheirSpawn(t *testing.T) {
	const profileModule, sessionModule = "profile-module-000000000000000000000000000000", "session-module-000000000000000000000000000000"
	w, err := New(Options{Modules: map[string]Module{
		profileModule: {Name: "profile.lua", Source: processes.Profile, BootFromWeave: true},
		sessionModule: {Name: "session.lua", Source: processes.Session, BootFromWeave: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	aonettest.ReferenceStartsFromSpawn(t, w, profileModule, sessionModule)
}
