package lua

import (
	"context"
	"errors"
	"testing"

	"github.com/mostao/conformance/adapters"
)

const relaySource = `
Handlers.add("Relay", Handlers.utils.hasMatchingTag("Action", "Relay"), function(msg)
  ao.send({ Target = ao.id, Action = "Echo", Data = msg.Data })
end)
Handlers.add("Echo", Handlers.utils.hasMatchingTag("Action", "Echo"), function(msg)
  SeenPushedFor = msg["Pushed-For"]
end)
`

// TestPushedForNamesTheParentMessage: with Options.PushedFor every pushed
// message carries the id of the message whose evaluation made it, and the
// process sees the tag; without it (the default) no message has one.
func TestPushedForNamesTheParentMessage(t *testing.T) {
	for _, on := range []bool{true, false} {
		w, alice, pid := newTestWorld(t, relaySource, func(o *Options, _ *Module) { o.PushedFor = on })
		tr := send(t, w, alice, pid, "Relay", "x")
		if len(tr.Deliveries) != 2 {
			t.Fatalf("deliveries: %+v", tr.Deliveries)
		}
		got, has := tr.Deliveries[1].Message.Tags.Get("Pushed-For")
		if on && (!has || got != tr.Deliveries[0].Message.ID) {
			t.Errorf("Pushed-For %q, want the parent %s", got, tr.Deliveries[0].Message.ID)
		}
		if !on && has {
			t.Errorf("Pushed-For without the option: %q", got)
		}
		if seen := eval(t, w, alice, pid, "return SeenPushedFor"); on && seen != got {
			t.Errorf("the process saw Pushed-For %q, want %q", seen, got)
		}
	}
}

// TestAdmittedSignersSpawnAndSendWithTheirIDs: a network in front of the
// world admits a signer and names the ids (the data items' ids); a taken
// id is refused.
func TestAdmittedSignersSpawnAndSendWithTheirIDs(t *testing.T) {
	w, _, _ := newTestWorld(t, relaySource)
	signer := adapters.DeterministicID("an external signer")
	pid := adapters.DeterministicID("a signed spawn")
	if _, err := w.Send(context.Background(), adapters.Message{From: signer, Target: pid}); !errors.Is(err, adapters.ErrUnknownWallet) {
		t.Fatalf("a signer not admitted sent: %v", err)
	}
	w.Admit(signer)
	got, tr, err := w.SpawnTraced(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: signer}, pid)
	if err != nil || got != pid || !w.HasProcess(pid) || len(tr.Deliveries) != 1 || tr.Deliveries[0].Message.Owner != signer {
		t.Fatalf("spawn as %s: %v %s %+v", pid, err, got, tr)
	}
	if _, _, err := w.SpawnTraced(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: signer}, pid); err == nil {
		t.Error("a taken process id was spawned again")
	}
	id := adapters.DeterministicID("a signed message")
	tr2, err := w.Send(context.Background(), adapters.Message{ID: id, From: signer, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Relay"}}})
	if err != nil || tr2.Deliveries[0].Message.ID != id {
		t.Fatalf("send with id %s: %v %+v", id, err, tr2)
	}
}
