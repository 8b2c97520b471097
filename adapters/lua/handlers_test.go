package lua

import (
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// ran returns the handler names a delivery printed with "ran:", in order,
// plus "default" when _default took the message.
func ran(d adapters.Delivery) string {
	var out []string
	for _, line := range strings.Split(d.Result.Output, "\n") {
		switch {
		case strings.HasPrefix(line, "ran:"):
			out = append(out, strings.TrimPrefix(line, "ran:"))
		case strings.HasPrefix(line, "New Message From"):
			out = append(out, "default")
		}
	}
	return strings.Join(out, ",")
}

func TestHandlerSemantics(t *testing.T) {
	cases := []struct {
		name    string
		profile Profile
		setup   string
		tags    adapters.Tags
		data    string
		want    string // handlers that ran, in order
		wantErr string // substring of the result error
	}{
		{name: "string pattern matches Action exactly",
			setup: `Handlers.add("a", "Ping", function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Action", Value: "Ping"}}, want: "a"},
		{name: "string pattern does not match another Action",
			setup: `Handlers.add("a", "Ping", function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Action", Value: "Pong"}}, want: "default"},
		{name: "string pattern is exact in the current profile (aos 2.0.6)",
			setup: `Handlers.add("a", "Ping", function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Action", Value: "ping"}}, want: "default"},
		{name: "string pattern is exact in aos 2.0.4", profile: ProfileAOS204,
			setup: `Handlers.add("a", "Ping", function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Action", Value: "ping"}}, want: "default"},
		{name: "two-argument add uses the name as Action",
			setup: `Handlers.add("Ping", function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Action", Value: "Ping"}}, want: "a"},
		{name: "function pattern true runs and stops",
			setup: `Handlers.add("a", function() return true end, function() print("ran:a") end)
			        Handlers.add("b", function() return true end, function() print("ran:b") end)`,
			want: "a"},
		{name: "-1 and break stop",
			setup: `Handlers.add("a", function() return -1 end, function() print("ran:a") end)
			        Handlers.add("b", function() return "break" end, function() print("ran:b") end)`,
			want: "a"},
		{name: "1 and continue go on, then default",
			setup: `Handlers.add("a", function() return 1 end, function() print("ran:a") end)
			        Handlers.add("b", function() return "continue" end, function() print("ran:b") end)`,
			want: "a,b,default"},
		{name: "continue then break skips default",
			setup: `Handlers.add("a", function() return "continue" end, function() print("ran:a") end)
			        Handlers.add("b", function() return "break" end, function() print("ran:b") end)`,
			want: "a,b"},
		{name: "false, 0 and other strings skip",
			setup: `Handlers.add("a", function() return false end, function() print("ran:a") end)
			        Handlers.add("b", function() return 0 end, function() print("ran:b") end)
			        Handlers.add("c", function() return "skip" end, function() print("ran:c") end)`,
			want: "default"},
		{name: "a pattern returning nil is an error",
			setup:   `Handlers.add("a", function() end, function() print("ran:a") end)`,
			wantErr: "pattern returned nil"},
		{name: "table pattern: every key must match",
			setup: `Handlers.add("a", { Action = "Ping", Color = "red" }, function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Action", Value: "Ping"}, {Name: "Color", Value: "blue"}}, want: "default"},
		{name: "table pattern: all keys match",
			setup: `Handlers.add("a", { Action = "Ping", Color = "red" }, function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Action", Value: "Ping"}, {Name: "Color", Value: "red"}}, want: "a"},
		{name: "table pattern: '_' needs the key present",
			setup: `Handlers.add("a", { Color = "_" }, function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Action", Value: "Ping"}}, want: "default"},
		{name: "table pattern: '_' matches any value",
			setup: `Handlers.add("a", { Color = "_" }, function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Color", Value: "anything"}}, want: "a"},
		{name: "table pattern: empty table matches every message",
			setup: `Handlers.add("a", {}, function() print("ran:a") end)`, want: "a"},
		{name: "table pattern: any-of list",
			setup: `Handlers.add("a", { Action = { "Ping", "Pong" } }, function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Action", Value: "Pong"}}, want: "a"},
		{name: "table pattern: Lua pattern when magic characters",
			setup: `Handlers.add("a", { Action = "^Get%a+$" }, function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Action", Value: "GetThing"}}, want: "a"},
		{name: "table pattern: dash alone is not magic",
			setup: `Handlers.add("a", { Action = "Get-Info" }, function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Action", Value: "GetInfo"}}, want: "default"},
		{name: "table pattern: function value gets (value, msg)",
			setup: `Handlers.add("a", { Amount = function(v, m) return tonumber(v) > 10 and m.Action == "Pay" end }, function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Action", Value: "Pay"}, {Name: "Amount", Value: "11"}}, want: "a"},
		{name: "table pattern: case-insensitive value in current profile",
			setup: `Handlers.add("a", { Color = "Red" }, function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Color", Value: "RED"}}, want: "a"},
		{name: "table pattern: exact value in 2.0.4", profile: ProfileAOS204,
			setup: `Handlers.add("a", { Color = "Red" }, function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Color", Value: "RED"}}, want: "default"},
		{name: "table pattern matches a root key set by the runtime",
			setup: `Handlers.add("a", { From = "_" }, function() print("ran:a") end)`, want: "a"},
		{name: "prepend runs first",
			setup: `Handlers.add("a", {}, function() print("ran:a") end)
			        Handlers.prepend("b", {}, function() print("ran:b") end)`,
			want: "b"},
		{name: "adding an existing name replaces it in place",
			setup: `Handlers.add("a", function() return "continue" end, function() print("ran:a") end)
			        Handlers.add("b", function() return "continue" end, function() print("ran:b") end)
			        Handlers.add("a", function() return "continue" end, function() print("ran:a2") end)`,
			want: "a2,b,default"},
		{name: "before and after",
			setup: `Handlers.add("m", function() return "continue" end, function() print("ran:m") end)
			        Handlers.before("m").add("b", function() return "continue" end, function() print("ran:b") end)
			        Handlers.after("m").add("c", function() return "continue" end, function() print("ran:c") end)`,
			want: "b,m,c,default"},
		{name: "remove",
			setup: `Handlers.add("a", {}, function() print("ran:a") end)
			        Handlers.remove("a")`,
			want: "default"},
		{name: "once runs first and only once",
			setup: `Handlers.add("a", {}, function() print("ran:a") end)
			        Handlers.once("o", {}, function() print("ran:o") end)`,
			want: "o"},
		{name: "maxRuns removal skips the next handler for that message",
			setup: `Handlers.add("a", function() return "continue" end, function() print("ran:a") end, 1)
			        Handlers.add("b", function() return "continue" end, function() print("ran:b") end)
			        Handlers.add("c", function() return "continue" end, function() print("ran:c") end)`,
			want: "a,c,default"},
		{name: "handle as resolver table",
			setup: `Handlers.add("a", {}, { [function(m) return m.Color == "red" end] = function() print("ran:red") end })`,
			tags:  adapters.Tags{{Name: "Color", Value: "red"}}, want: "red"},
		{name: "Handlers.utils.hasMatchingTag",
			setup: `Handlers.add("a", Handlers.utils.hasMatchingTag("Color", "red"), function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Color", Value: "red"}}, want: "a"},
		{name: "Handlers.utils.hasMatchingTagOf",
			setup: `Handlers.add("a", Handlers.utils.hasMatchingTagOf("Color", {"red", "blue"}), function() print("ran:a") end)`,
			tags:  adapters.Tags{{Name: "Color", Value: "blue"}}, want: "a"},
		{name: "Handlers.utils.hasMatchingData",
			setup: `Handlers.add("a", Handlers.utils.hasMatchingData("xyz"), function() print("ran:a") end)`,
			data:  "xyz", want: "a"},
		{name: "Handlers.utils.continue turns a match into go on",
			setup: `Handlers.add("a", Handlers.utils.continue({ Color = "red" }), function() print("ran:a") end)
			        Handlers.add("b", { Color = "red" }, function() print("ran:b") end)`,
			tags: adapters.Tags{{Name: "Color", Value: "red"}}, want: "a,b"},
		{name: "a handler error fails the message",
			setup:   `Handlers.add("a", {}, function() error("no way") end)`,
			wantErr: "no way"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The handlers are added by an Eval, so they do not see the
			// spawn message.
			w, alice, pid := newTestWorld(t, ``, func(o *Options, m *Module) { m.Profile = c.profile })
			eval(t, w, alice, pid, c.setup)
			tags := append(adapters.Tags{}, c.tags...)
			tr := send(t, w, alice, pid, "", c.data, tags...)
			d := tr.Deliveries[0]
			if c.wantErr != "" {
				if !strings.Contains(d.Result.Error, c.wantErr) || d.Result.ErrorKind != adapters.ErrorHandler {
					t.Fatalf("want handler error containing %q, got %q (%s)", c.wantErr, d.Result.Error, d.Result.ErrorKind)
				}
				return
			}
			if d.Result.Failed() {
				t.Fatalf("failed: %s", d.Result.Error)
			}
			if got := ran(d); got != c.want {
				t.Fatalf("ran %q, want %q (output %q)", got, c.want, d.Result.Output)
			}
		})
	}
}

func TestOnceHandlerIsGoneAfterItRan(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.once("o", { Action = "X" }, function() print("ran:o") end)`)
	if got := ran(send(t, w, alice, pid, "X", "").Deliveries[0]); got != "o" {
		t.Fatalf("first: %q", got)
	}
	if got := ran(send(t, w, alice, pid, "X", "").Deliveries[0]); got != "default" {
		t.Fatalf("second: %q", got)
	}
}

func TestMaxRunsZeroNeverExpires(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("z", { Action = "X" }, function() print("ran:z") end, 0)`)
	for i := 0; i < 3; i++ {
		if got := ran(send(t, w, alice, pid, "X", "").Deliveries[0]); got != "z" {
			t.Fatalf("run %d: %q", i, got)
		}
	}
}

func TestDefaultPutsMessagesInInbox(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	send(t, w, alice, pid, "Hello", "one")
	send(t, w, alice, pid, "Hello", "two")
	// The spawn message is the first entry.
	if got := eval(t, w, alice, pid, `return #Inbox .. " " .. Inbox[2].Data .. " " .. Inbox[3].Data .. " " .. Inbox[3].Action`); got != "3 one two Hello" {
		t.Fatalf("Inbox: %q", got)
	}
}
