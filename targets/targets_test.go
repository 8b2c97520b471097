package targets

import (
	"context"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/processes"
	"github.com/mostao/conformance/steps"
)

// echoDomain replies to every Ping with Pong, so a test can see that the
// role really runs the source it was given.
const echoDomain = `
Handlers.add("Ping", "Ping", function(msg)
  msg.reply({ Action = "Pong", Data = "pong:" .. (msg.Data or "") })
end)
`

func spawn(t *testing.T, target adapters.Target, role string) (adapters.World, string, string) {
	t.Helper()
	w, err := target.NewWorld()
	if err != nil {
		t.Fatalf("NewWorld: %v", err)
	}
	t.Cleanup(func() { _ = w.Close() })
	alice, err := w.Wallet("alice")
	if err != nil {
		t.Fatalf("Wallet: %v", err)
	}
	pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: target.Modules[role], From: alice})
	if err != nil {
		t.Fatalf("spawning the %s: %v", role, err)
	}
	return w, alice, pid
}

func TestReferenceDomainReceivesMessages(t *testing.T) {
	target := Reference()
	for _, role := range []string{steps.RoleDomain, steps.RoleProfile, steps.RoleSession, steps.RolePuppet} {
		if target.Modules[role] == "" {
			t.Fatalf("reference target has no module for role %q", role)
		}
	}
	w, alice, pid := spawn(t, target, steps.RoleDomain)
	tr, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Data: "shop",
		Tags: adapters.Tags{{Name: "Action", Value: "QueryDomain"}}})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(tr.Deliveries) == 0 || tr.Deliveries[0].Message.Target != pid {
		t.Fatalf("the message was not delivered to the domain %s: %+v", pid, tr)
	}
}

func TestLuaRunsTheGivenSourceAndFallsBack(t *testing.T) {
	target := Lua("lua:echo", Sources{steps.RoleDomain: echoDomain})
	if got, want := target.Modules[steps.RoleDomain], ModuleID(steps.RoleDomain, echoDomain); got != want {
		t.Fatalf("domain module id = %q, want %q", got, want)
	}
	if got, want := target.Modules[steps.RoleProfile], ModuleID(steps.RoleProfile, processes.Profile); got != want {
		t.Fatalf("a role left out must fall back to the reference: profile module id = %q, want %q", got, want)
	}
	if got, want := target.Modules[steps.RolePuppet], ModuleID(steps.RolePuppet, steps.PuppetSource); got != want {
		t.Fatalf("puppet module id = %q, want %q", got, want)
	}

	w, alice, pid := spawn(t, target, steps.RoleDomain)
	tr, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Data: "x",
		Tags: adapters.Tags{{Name: "Action", Value: "Ping"}}})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	replies := tr.RepliesTo(alice)
	if len(replies) != 1 || replies[0].Action() != "Pong" || replies[0].Data != "pong:x" {
		t.Fatalf("want one Pong reply with data pong:x, got %+v", replies)
	}
}

func TestModuleIDsDependOnRoleAndSource(t *testing.T) {
	a := ModuleID("domain", "x")
	if len(a) != 43 {
		t.Fatalf("module id %q is not 43 characters", a)
	}
	if a != ModuleID("domain", "x") {
		t.Fatal("module id is not deterministic")
	}
	if a == ModuleID("domain", "y") || a == ModuleID("profile", "x") {
		t.Fatal("different role or source gave the same module id")
	}
}

func TestWorldsAreIndependentAndDeterministic(t *testing.T) {
	target := Lua("lua:echo", Sources{steps.RoleDomain: echoDomain})
	_, _, pid1 := spawn(t, target, steps.RoleDomain)
	_, _, pid2 := spawn(t, target, steps.RoleDomain)
	if pid1 != pid2 {
		t.Fatalf("two fresh worlds gave different process ids for the same spawn: %s, %s", pid1, pid2)
	}
}

func TestOptionsReachTheEngine(t *testing.T) {
	loop := `Handlers.add("spin", "Spin", function(msg) while true do end end)`
	target := LuaWith("lua:loop", Sources{steps.RoleDomain: loop}, Options{
		FileNames: map[string]string{steps.RoleDomain: "my/loop.lua"},
		Limits:    lua.Limits{MaxWork: 1_000_000},
	})
	w, alice, pid := spawn(t, target, steps.RoleDomain)
	tr, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Spin"}}})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(tr.Deliveries) != 1 || tr.Deliveries[0].Result.ErrorKind != adapters.ErrorComputeLimit {
		t.Fatalf("want the loop ended by the compute limit, got %+v", tr.Deliveries)
	}

	broken := LuaWith("lua:broken", Sources{steps.RoleDomain: "Handlers.add("}, Options{
		FileNames: map[string]string{steps.RoleDomain: "my/broken.lua"},
	})
	w2, err := broken.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	bob, _ := w2.Wallet("bob")
	_, err = w2.Spawn(context.Background(), adapters.SpawnRequest{Module: broken.Modules[steps.RoleDomain], From: bob})
	if err == nil || !strings.Contains(err.Error(), "my/broken.lua") {
		t.Fatalf("a source that does not compile must fail its spawn naming its file, got %v", err)
	}
}
