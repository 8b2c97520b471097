package models

import (
	"context"
	"testing"

	"github.com/mostao/conformance/processes/broken"
	"github.com/mostao/conformance/targets"
)

// A divergence blames the rule that broke first, for the broken variants
// the properties catch. A state check that follows a write blames the write
// when the state it reads differs from the model's (a renounce that did
// nothing), but a state check whose own reply breaks a reply convention is
// the read's defect: a profile that answers every success twice fails
// MIP00-REP-1 at its GetChatList, not the MIP02-CHAT-1 of the CreateSession
// before it. A notice to a participant due none breaks the rule of whom the
// notice goes to (MIP03-SEND-4), not the reply's (MIP03-SEND-3).
func TestDivergencesBlameTheRuleThatBroke(t *testing.T) {
	chat := Sequence{MIP: "02", Property: "profile-chat",
		Processes: []Process{{Name: "PA", Role: "profile", Owner: "alice"}, {Name: "PB", Role: "profile", Owner: "bob"}, {Name: "PC", Role: "profile", Owner: "carol"}},
		Steps: []Step{
			{Kind: "send", From: "alice", To: "PA", Action: "CreateSession", Data: `{"participants":["<PB>","<PC>"],"type":"group"}`, Creates: "S1"},
			{Kind: "dryrun", From: "observer", To: "PA", Action: "GetChatList", Check: true},
		}}
	registry := Sequence{MIP: "01", Property: "domain-registry",
		Processes: []Process{{Name: "D", Role: "domain", Owner: "deployer"}},
		Steps: []Step{
			{Kind: "send", From: "alice", To: "D", Action: "Register", Data: `{"name": "shop", "pid": "<P1>"}`},
			{Kind: "send", From: "alice", To: "D", Action: "Renounce", Data: `{"name": "shop"}`},
			{Kind: "dryrun", From: "observer", To: "D", Action: "QueryDomain", Data: "shop", Check: true},
		}}
	send := Sequence{MIP: "03", Property: "chat-session",
		Processes: []Process{{Name: "S", Role: "session", Owner: "alice", Kind: "dm", With: []string{"bob"}}},
		Steps:     []Step{{Kind: "send", From: "alice", To: "S", Action: "SendMessage", Data: `{"content": "hi"}`}},
	}
	owner := func(steps ...Step) Sequence {
		return Sequence{MIP: "02", Property: "profile-owner", Processes: []Process{{Name: "PA", Role: "profile", Owner: "alice"}}, Steps: steps}
	}
	group := func(steps ...Step) Sequence {
		return Sequence{MIP: "03", Property: "chat-session",
			Processes: []Process{{Name: "S", Role: "session", Owner: "alice", Kind: "group", With: []string{"bob", "carol"}}}, Steps: steps}
	}
	for _, c := range []struct {
		variant string
		seq     Sequence
		step    int
		blame   string
	}{
		{"profile-double-reply", chat, 1, "MIP00-REP-1"},
		{"domain-renounce-noop", registry, 2, "MIP01-REN-1"},
		{"session-notify-sender", send, 0, "MIP03-SEND-4"},
		// The rule that decides the request comes before the operation's.
		{"profile-null-ignored", owner(
			Step{Kind: "send", From: "alice", To: "PA", Action: "UpdateProfile", Data: `{"nickname": "Ann"}`},
			Step{Kind: "send", From: "alice", To: "PA", Action: "UpdateProfile", Data: `{"nickname": null}`}), 1, "MIP02-UPD-2"},
		{"profile-update-keeps-time", owner(
			Step{Kind: "send", From: "alice", To: "PA", Action: "UpdateProfile", Data: `{"nickname": "Ann"}`}), 0, "MIP02-UPD-3"},
		{"profile-action-any-case", owner(
			Step{Kind: "send", From: "alice", To: "PA", Action: "updateprofile", Data: `{"nickname": "x"}`}), 0, "MIP00-ACT-2"},
		{"profile-float-timestamp", owner(
			Step{Kind: "send", From: "alice", To: "PA", Action: "UpdateProfile", Data: `{"nickname": 5}`},
			Step{Kind: "dryrun", From: "observer", To: "PA", Action: "GetProfile", Check: true}), 1, "MIP00-NUM-1"},
		{"profile-read-mark-passes-last", Sequence{MIP: "02", Property: "profile-chat", Processes: chat.Processes, Steps: []Step{chat.Steps[0],
			{Kind: "send", From: "alice", To: "PA", Action: "MarkRead", Data: `{"session":"<S1>","upTo":1}`}}}, 1, "MIP02-READ-2"},
		{"session-removed-can-send", group(
			Step{Kind: "send", From: "alice", To: "S", Action: "RemoveParticipant", Data: `{"pid": "<bob>"}`},
			Step{Kind: "send", From: "bob", To: "S", Action: "SendMessage", Data: `{"content": "still here"}`}), 1, "MIP03-GRP-5"},
		{"session-sent-reads-private", group(
			Step{Kind: "send", From: "mallory", To: "S", Action: "GetMessages"}), 0, "MIP03-READ-1"},
		// A state check whose reply differs in a field the read itself
		// defines (the name QueryDomain echoes) is the read's defect, not
		// the Register's before it.
		{"domain-query-without-name", Sequence{MIP: "01", Property: "domain-registry", Processes: registry.Processes, Steps: []Step{registry.Steps[0],
			{Kind: "dryrun", From: "observer", To: "D", Action: "QueryDomain", Data: "shop", Check: true}}}, 1, "MIP01-QRY-1"},
		// A read that selects the right messages but shows one stored
		// without its reply link shows the defect of the rule that stores
		// a message (MIP03-SEND-3), not of the read's selection.
		{"session-drops-reply-link", group(
			Step{Kind: "send", From: "alice", To: "S", Action: "SendMessage", Data: `{"content": "question?"}`},
			Step{Kind: "send", From: "bob", To: "S", Action: "SendMessage", Data: `{"content": "answer", "replyTo": 1}`},
			Step{Kind: "dryrun", From: "observer", To: "S", Action: "GetMessages"}), 2, "MIP03-SEND-3"},
		{"session-ids-case-folded", group(
			Step{Kind: "send", From: "alice", To: "S", Action: "RemoveParticipant", Data: `{"pid": "<upper:alice>"}`}), 0, "MIP00-ID-2"},
	} {
		t.Run(c.variant, func(t *testing.T) {
			v, err := broken.Load(c.variant)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Replay(context.Background(), targets.Lua("broken:"+v.Name, targets.Sources{v.Role: v.Source}), c.seq)
			if err != nil {
				t.Fatal(err)
			}
			if f == nil {
				t.Fatalf("%s replays the sequence without a divergence", c.variant)
			}
			if f.Divergence.Step != c.step || len(f.Divergence.Requirements) == 0 || f.Divergence.Requirements[0] != c.blame {
				t.Errorf("divergence at step %d blaming %v, want step %d blaming %s first\n%s", f.Divergence.Step, f.Divergence.Requirements, c.step, c.blame, f)
			}
		})
	}
}
