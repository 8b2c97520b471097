package live

import (
	"context"
	"testing"
	"time"

	"github.com/mostao/conformance/adapters"
)

// A spawner asks for a process of the module its Data names; a notifier
// tells the process its Data names that it exists.
const spawnerSource = `
Handlers.add("Make", Handlers.utils.hasMatchingTag("Action", "Make"), function(msg)
  ao.spawn(msg.Data, {})
end)
Handlers.add("Notify", Handlers.utils.hasMatchingTag("Action", "Notify"), function(msg)
  ao.send({ Target = msg.Data, Action = "Hello" })
end)
`

// untestableWorld is a world on a devnet under SpawnEval with the spawner
// as module "spawner" and a deployed process standing for module "deployed".
func untestableWorld(t *testing.T) (*World, string) {
	t.Helper()
	_, url := startDevnet(t, fakeDecode)
	cfg, err := Discover(context.Background(), Config{MU: url, SU: url, CU: url, Spawn: SpawnEval, ResultTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	w, err := New(cfg, &fakeKeyring{}, map[string]Module{
		"spawner":  {Name: "spawner.lua", Source: spawnerSource},
		"deployed": {Name: "the domain under test", Deployed: adapters.DeterministicID("deployed")},
	})
	if err != nil {
		t.Fatal(err)
	}
	alice, _ := w.Wallet("alice")
	return w, alice
}

// untestable requires err to be adapters.ErrUntestable and no suite error.
func untestable(t *testing.T, what string, err error) {
	t.Helper()
	if !errorsIs(err, adapters.ErrUntestable) || adapters.IsSuiteError(err) {
		t.Fatalf("%s: %v, want adapters.ErrUntestable and no suite error", what, err)
	}
}

// TestSpawnOfASuiteModuleIsUntestable: under SpawnEval a process that asks
// for a process of a module only the suite knows (the sources are loaded by
// Eval) would wait for a Spawned notice that never comes: the world says at
// once that the call is untestable, rather than a suite error after its
// result timeout.
func TestSpawnOfASuiteModuleIsUntestable(t *testing.T) {
	w, alice := untestableWorld(t)
	ctx := context.Background()
	p, err := w.Spawn(ctx, adapters.SpawnRequest{Module: "spawner", From: alice})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = w.Send(ctx, adapters.Message{From: alice, Target: p, Tags: adapters.Tags{{Name: "Action", Value: "Make"}}, Data: "spawner"})
	untestable(t, "a process spawning a suite module", err)
	if time.Since(start) > 30*time.Second {
		t.Errorf("the world waited %s before saying so", time.Since(start))
	}
}

// TestADeployedRoleCannotBeSpawned: a module that stands for a deployed
// process is no module: spawning it, by a wallet or by a process, is
// untestable.
func TestADeployedRoleCannotBeSpawned(t *testing.T) {
	w, alice := untestableWorld(t)
	ctx := context.Background()
	_, err := w.Spawn(ctx, adapters.SpawnRequest{Module: "deployed", From: alice})
	untestable(t, "spawning the deployed role", err)
	p, err := w.Spawn(ctx, adapters.SpawnRequest{Module: "spawner", From: alice})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.Send(ctx, adapters.Message{From: alice, Target: p, Tags: adapters.Tags{{Name: "Action", Value: "Make"}}, Data: "deployed"})
	untestable(t, "a process spawning the deployed role", err)
}

// TestAMessageToAProcessTrustingASuiteModuleIsUntestable: under SpawnEval
// every process runs the network's aos module, so a process spawned naming
// a suite-only module (a profile's Session-Module) cannot tell a process of
// it from any other: a message a process sends it is untestable, while a
// wallet's message to it is followed as usual.
func TestAMessageToAProcessTrustingASuiteModuleIsUntestable(t *testing.T) {
	w, alice := untestableWorld(t)
	ctx := context.Background()
	trusting, err := w.Spawn(ctx, adapters.SpawnRequest{Module: "spawner", From: alice, Tags: adapters.Tags{{Name: "Session-Module", Value: "spawner"}}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := w.Spawn(ctx, adapters.SpawnRequest{Module: "spawner", From: alice})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Send(ctx, adapters.Message{From: alice, Target: trusting, Tags: adapters.Tags{{Name: "Action", Value: "Notify"}}, Data: alice}); err != nil {
		t.Fatalf("a wallet's message to the trusting process: %v", err)
	}
	_, err = w.Send(ctx, adapters.Message{From: alice, Target: other, Tags: adapters.Tags{{Name: "Action", Value: "Notify"}}, Data: trusting})
	untestable(t, "a process's message to the trusting process", err)
}

// TestSpawnWithDataUnderEvalIsUntestable: under SpawnEval the spawn
// message is evaluated before the source is loaded, so a spawn with Data
// of its own (a session's participants) is untestable, and nothing is
// posted.
func TestSpawnWithDataUnderEvalIsUntestable(t *testing.T) {
	w, alice := untestableWorld(t)
	_, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: "spawner", From: alice, Data: `{"type":"dm"}`})
	untestable(t, "a spawn with Data under eval", err)
	if n := len(w.Trace().Deliveries); n != 0 {
		t.Errorf("%d deliveries: the spawn was posted", n)
	}
}
