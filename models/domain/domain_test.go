package domain

import (
	"strings"
	"testing"

	"github.com/mostao/conformance/models/proto"
)

var (
	alice = strings.Repeat("A", 43)
	bob   = strings.Repeat("B", 43)
	pid1  = strings.Repeat("p", 43)
	pid2  = strings.Repeat("q", 43)
)

func reply(t *testing.T, o proto.Outcome) proto.Reply {
	t.Helper()
	if len(o.Replies) != 1 {
		t.Fatalf("want exactly one reply, got %d", len(o.Replies))
	}
	return o.Replies[0]
}

func code(t *testing.T, o proto.Outcome) string { return reply(t, o).Error }

// The examples of spec/mip-01.md, one by one.
func TestSpecExamples(t *testing.T) {
	m := New()
	reg := func(from, name, pid string) proto.Outcome {
		return m.Handle(proto.Request{From: from, Action: ActRegister, Data: `{"name":"` + name + `","pid":"` + pid + `"}`})
	}
	if c := code(t, reg(alice, "shop", pid1)); c != "" {
		t.Fatalf("register of a free name: %s", c)
	}
	// MIP01-REG-3 and MIP01-CHK-1: taken, but an invalid pid is judged first.
	if c := code(t, reg(bob, "shop", pid2)); c != proto.NameTaken {
		t.Errorf("taken name: %q", c)
	}
	if c := code(t, reg(bob, "shop", "short")); c != proto.InvalidInput {
		t.Errorf("taken name with an invalid pid: %q, want InvalidInput", c)
	}
	// MIP01-REG-2: the owner reassigns, same pid again is a success.
	if c := code(t, reg(alice, "shop", pid2)); c != "" {
		t.Errorf("reassign: %q", c)
	}
	if r, _ := m.Lookup("shop"); r.PID != pid2 || r.Owner != alice {
		t.Errorf("after reassign: %+v", r)
	}
	// MIP-00 section 1: the raw and the object forms ask the same thing;
	// '"shop"' is a name with quotes; 123 and null are names.
	raw := reply(t, m.Handle(proto.Request{Action: ActQuery, Data: "shop"}))
	objForm := reply(t, m.Handle(proto.Request{Action: ActQuery, Data: `{"name":"shop"}`}))
	if raw.DataJSON() != objForm.DataJSON() || raw.Error != "" {
		t.Errorf("raw %s vs object %s", raw.DataJSON(), objForm.DataJSON())
	}
	if c := code(t, m.Handle(proto.Request{Action: ActQuery, Data: `"shop"`})); c != proto.InvalidInput {
		t.Errorf(`'"shop"': %q`, c)
	}
	for _, n := range []string{"123", "null"} {
		r := reply(t, m.Handle(proto.Request{Action: ActQuery, Data: n}))
		if r.Error != "" || r.Data.(map[string]any)["name"] != n {
			t.Errorf("%s: %s %s", n, r.Error, r.DataJSON())
		}
	}
	// MIP01-NAME-1: never folded.
	if c := code(t, m.Handle(proto.Request{Action: ActQuery, Data: "Shop"})); c != proto.InvalidInput {
		t.Errorf("Shop: %q", c)
	}
	// MIP01-REN-2: a free name is NotFound whoever asks; REN-3; REN-1.
	ren := func(from, name string) proto.Outcome {
		return m.Handle(proto.Request{From: from, Action: ActRenounce, Data: `{"name":"` + name + `"}`})
	}
	if c := code(t, ren(bob, "free")); c != proto.NotFound {
		t.Errorf("renounce of a free name: %q", c)
	}
	if c := code(t, ren(bob, "shop")); c != proto.Unauthorized {
		t.Errorf("renounce by another: %q", c)
	}
	if c := code(t, ren(alice, "shop")); c != "" {
		t.Errorf("renounce by the owner: %q", c)
	}
	// MIP01-GET-3: an owner with none gets [].
	g := reply(t, m.Handle(proto.Request{Action: ActGetDomains, Data: alice}))
	if g.DataJSON() != `{"domains":[],"owner":"`+alice+`"}` {
		t.Errorf("GetDomains: %s", g.DataJSON())
	}
	// MIP01-ORD-1: after a renounce, another sender's Register succeeds.
	if c := code(t, reg(bob, "shop", pid1)); c != "" {
		t.Errorf("register after renounce: %q", c)
	}
}

// MIP00-INP-3: 4096 bytes are judged on content, 4097 are LimitExceeded
// before anything else; MIP00-INP-4: objects are closed; MIP00-ACT-1.
func TestLimitsAndForms(t *testing.T) {
	m := New()
	body := `{"name":"shop","pid":"` + pid1 + `"}`
	at := "{" + strings.Repeat(" ", 4096-len(body)) + body[1:]
	if len(at) != 4096 {
		t.Fatalf("built %d bytes", len(at))
	}
	if c := code(t, m.Handle(proto.Request{From: alice, Action: ActRegister, Data: at})); c != "" {
		t.Errorf("4096 bytes: %q", c)
	}
	if c := code(t, m.Handle(proto.Request{From: alice, Action: ActRegister, Data: at + " "})); c != proto.LimitExceeded {
		t.Errorf("4097 bytes: %q", c)
	}
	if c := code(t, m.Handle(proto.Request{From: alice, Action: ActRegister, Data: `{"name":"x","pid":"` + pid1 + `","owner":"` + bob + `"}`})); c != proto.InvalidInput {
		t.Errorf("unknown field: %q", c)
	}
	for _, action := range []string{"register", "REGISTER", "Register-Response", ""} {
		if o := m.Handle(proto.Request{From: alice, Action: action, Data: body}); len(o.Replies) != 0 {
			t.Errorf("%q got a reply", action)
		}
	}
	for _, d := range []string{"", "[]", "null", `"x"`, "42", `{"name":"a","pid":"` + pid1 + `"}x`} {
		if c := code(t, m.Handle(proto.Request{From: alice, Action: ActRegister, Data: d})); c != proto.InvalidInput {
			t.Errorf("Register %q: %q", d, c)
		}
	}
}

func TestNameRule(t *testing.T) {
	for name, ok := range map[string]bool{
		"a": true, "0": true, "x-1": true, "a_b": true, strings.Repeat("a", 32): true,
		"": false, strings.Repeat("a", 33): false, "-a": false, "a-": false, "_a": false, "a_": false,
		"Shop": false, "a b": false, "a.b": false, "a%": false, "é": false, `a"b`: false, "a\nb": false,
	} {
		if ValidName(name) != ok {
			t.Errorf("ValidName(%q) = %v", name, !ok)
		}
	}
}
