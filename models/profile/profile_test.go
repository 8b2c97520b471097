package profile

import (
	"strings"
	"testing"

	"github.com/mostao/conformance/models/proto"
)

// MIP02-OPT-1 and MIP02-CHK-1 as the model follows them: null is a field
// left out, and the whole Data is judged before the chat list is looked at.
func TestSettledPoints(t *testing.T) {
	owner, pid, peer := strings.Repeat("O", 43), strings.Repeat("P", 43), strings.Repeat("Q", 43)
	m := New(pid, owner, strings.Repeat("M", 43), 1)
	for _, c := range []struct{ action, data, want string }{
		{ActMarkRead, `{"session":"` + peer + `","upTo":null}`, proto.NotFound},
		{ActMarkRead, `{"session":"` + peer + `","upTo":-1}`, proto.InvalidInput},
		{ActMarkRead, `{"session":"short"}`, proto.InvalidInput},
		{ActMarkRead, `{"session":"` + peer + `","note":null}`, proto.InvalidInput},
		{ActSendChat, `{"session":"` + peer + `","content":"hi","replyTo":null}`, proto.NotFound},
		{ActSendChat, `{"session":"short","content":"hi"}`, proto.InvalidInput},
		{ActSessionCommand, `{"session":"` + peer + `","command":"Leave","args":null}`, proto.NotFound},
	} {
		out, covered := m.Handle(proto.Request{From: owner, Action: c.action, Data: c.data}, 2)
		if !covered || len(out.Replies) != 1 || out.Replies[0].Error != c.want {
			t.Errorf("%s %s: %+v, want %s", c.action, c.data, out.Replies, c.want)
		}
	}
	// A DM whose title is null is a valid DM: the model stops at the spawn,
	// which it does not cover, instead of refusing it.
	if out, covered := m.Handle(proto.Request{From: owner, Action: ActCreateSession, Data: `{"type":"dm","participants":["` + peer + `"],"title":null}`}, 3); covered {
		t.Errorf("a DM with a null title was refused: %+v", out.Replies)
	}
}
