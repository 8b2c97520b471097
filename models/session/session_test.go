package session

import (
	"strconv"
	"strings"
	"testing"

	"github.com/mostao/conformance/models/proto"
)

var (
	alice = strings.Repeat("A", 43)
	bob   = strings.Repeat("B", 43)
	carol = strings.Repeat("C", 43)
	sid   = strings.Repeat("S", 43)
)

func group(t *testing.T, n int) *Model {
	m := New(sid, "group", alice, []string{alice, bob, carol}, "", 1000)
	for i := 0; i < n; i++ {
		o := m.Handle(proto.Request{From: bob, Action: ActSend, Data: `{"content":"m"}`}, int64(2000+i))
		if len(o.Replies) != 3 || o.Replies[0].Error != "" {
			t.Fatalf("send %d: %+v", i, o.Replies)
		}
	}
	return m
}

// MIP03-GET-1/2: pages, cursors, both orders, past the end.
func TestPaging(t *testing.T) {
	m := group(t, 5)
	for data, want := range map[string]string{
		``:                                      `1,2,3,4,5|false|<nil>`,
		`{"limit":2}`:                           `1,2|true|2`,
		`{"after":2,"limit":2}`:                 `3,4|true|4`,
		`{"after":4,"limit":2}`:                 `5|false|<nil>`,
		`{"order":"desc","limit":2}`:            `5,4|true|4`,
		`{"before":4,"order":"desc","limit":2}`: `3,2|true|2`,
		`{"after":1,"before":3}`:                `2|false|<nil>`,
		`{"after":10}`:                          `|false|<nil>`,
		`{"before":1}`:                          `|false|<nil>`,
		`{"after":0,"before":6,"limit":100}`:    `1,2,3,4,5|false|<nil>`,
		`{"after":3,"order":"desc"}`:            `5,4|false|<nil>`,
		`{"after":2,"before":5,"order":"desc"}`: `4,3|false|<nil>`,
		`{"after":2,"before":5,"order":"desc","limit":1}`: `4|true|4`,
	} {
		o := m.Handle(proto.Request{Action: ActGet, Data: data}, 0)
		r := o.Replies[0]
		if r.Error != "" {
			t.Errorf("%s: %s", data, r.Error)
			continue
		}
		v := r.Data.(map[string]any)
		var ids []string
		for _, e := range v["messages"].([]any) {
			ids = append(ids, strconv.Itoa(e.(map[string]any)["id"].(int)))
		}
		got := strings.Join(ids, ",") + "|" + map[bool]string{true: "true", false: "false"}[v["hasMore"].(bool)] + "|" + str(v["nextCursor"])
		if got != want {
			t.Errorf("%s: got %s, want %s", data, got, want)
		}
	}
	for _, bad := range []string{`{"limit":0}`, `{"limit":101}`, `{"limit":1.5}`, `{"limit":"2"}`, `{"after":-1}`, `{"page":1}`, `[]`, `x`} {
		if c := m.Handle(proto.Request{Action: ActGet, Data: bad}, 0).Replies[0].Error; c != proto.InvalidInput {
			t.Errorf("%s: %q", bad, c)
		}
	}
}

func str(v any) string {
	if v == nil {
		return "<nil>"
	}
	return strconv.Itoa(v.(int))
}

// MIP03-SEND-4, GRP-3, GRP-5, DM-1.
func TestNoticesAndGroupRules(t *testing.T) {
	m := group(t, 0)
	o := m.Handle(proto.Request{From: alice, Action: ActSend, Data: `{"content":"hi"}`}, 5)
	for _, r := range o.Replies[1:] {
		if r.Target == alice {
			t.Errorf("the sender got its own notice")
		}
	}
	if c := m.Handle(proto.Request{From: alice, Action: ActLeave}, 6).Replies[0].Error; c != proto.InvalidInput {
		t.Errorf("admin leaves: %q", c)
	}
	o = m.Handle(proto.Request{From: bob, Action: ActLeave}, 7)
	if len(o.Replies) != 4 || o.Replies[3].Target != bob || o.Replies[3].Action != NoticeRemoved {
		t.Errorf("leave: %+v", o.Replies)
	}
	if c := m.Handle(proto.Request{From: bob, Action: ActSend, Data: `{"content":"back"}`}, 8).Replies[0].Error; c != proto.Unauthorized {
		t.Errorf("a departed member sends: %q", c)
	}
	dm := New(sid, "dm", alice, []string{alice, bob}, "", 1)
	if c := dm.Handle(proto.Request{From: bob, Action: ActSetTitle, Data: `{"title":"x"}`}, 2).Replies[0].Error; c != proto.InvalidInput {
		t.Errorf("SetTitle on a DM by a participant: %q", c)
	}
	if c := dm.Handle(proto.Request{From: carol, Action: ActSetTitle, Data: `{"title":"x"}`}, 2).Replies[0].Error; c != proto.Unauthorized {
		t.Errorf("SetTitle on a DM by an outsider: %q", c)
	}
	if c := dm.Handle(proto.Request{From: carol, Action: ActSetTitle, Data: strings.Repeat(" ", 4097)}, 2).Replies[0].Error; c != proto.LimitExceeded {
		t.Errorf("4097 bytes: %q", c)
	}
}

// MIP03-OPT-1, MIP03-GET-1, MIP03-CHK-1: the points the spec settled that
// the model follows: null is a field left out, white space alone is an empty
// query, and a pid already in a full group is InvalidInput.
func TestSettledPoints(t *testing.T) {
	m := group(t, 3)
	for _, data := range []string{`{"after":null,"before":null,"limit":null,"order":null}`, " \n", ""} {
		o := m.Handle(proto.Request{Action: ActGet, Data: data}, 0)
		if r := o.Replies[0]; r.Error != "" || len(r.Data.(map[string]any)["messages"].([]any)) != 3 {
			t.Errorf("GetMessages %q: %+v", data, r)
		}
	}
	if c := m.Handle(proto.Request{Action: ActGet, Data: `{"cursor":null}`}, 0).Replies[0].Error; c != proto.InvalidInput {
		t.Errorf("an unknown field given as null: %q, want InvalidInput", c)
	}
	o := m.Handle(proto.Request{From: bob, Action: ActSend, Data: `{"content":"x","replyTo":null}`}, 9)
	if r := o.Replies[0]; r.Error != "" || m.Messages[3].ReplyTo != 0 {
		t.Errorf("replyTo null: %+v, stored %+v", r, m.Messages[3])
	}
	var others []string
	for i := 0; i < MaxParticipants-1; i++ {
		others = append(others, strings.Repeat("m", 40)+strconv.Itoa(100+i))
	}
	full := New(sid, "group", alice, append([]string{alice}, others...), "", 1)
	if c := full.Handle(proto.Request{From: alice, Action: ActAdd, Data: `{"pid":"` + others[6] + `"}`}, 2).Replies[0].Error; c != proto.InvalidInput {
		t.Errorf("a pid already in a full group: %q, want InvalidInput", c)
	}
	if c := full.Handle(proto.Request{From: alice, Action: ActAdd, Data: `{"pid":"` + bob + `"}`}, 2).Replies[0].Error; c != proto.LimitExceeded {
		t.Errorf("a new pid in a full group: %q, want LimitExceeded", c)
	}
}
