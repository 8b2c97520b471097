package lua

import (
	"testing"
)

func TestSmokePingPong(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
local json = require("json")
Handlers.add("Ping", "Ping", function(msg)
  msg.reply({ Action = "Pong", Data = json.encode({ n = 1, got = msg.Data }) })
end)
`)
	tr := send(t, w, alice, pid, "Ping", "hello")
	if len(tr.Deliveries) != 1 || tr.Deliveries[0].Result.Failed() {
		t.Fatalf("deliveries: %+v", tr.Deliveries)
	}
	replies := tr.RepliesTo(alice)
	if len(replies) != 1 {
		t.Fatalf("replies: %+v", tr)
	}
	r := replies[0]
	t.Logf("%+v", r)
	if r.Action() != "Pong" || r.Data != `{"got":"hello","n":1}` || r.From != pid {
		t.Fatalf("reply %+v", r)
	}
}

func TestSmokeDefaultErrorDryRun(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
Count = 0
Handlers.add("Inc", "Inc", function(msg) Count = Count + 1 end)
Handlers.add("Boom", "Boom", function(msg) Count = Count + 100; error("boom") end)
`)
	send(t, w, alice, pid, "Inc", "")
	tr := send(t, w, alice, pid, "Boom", "")
	if !tr.Deliveries[0].Result.Failed() {
		t.Fatalf("Boom did not fail: %+v", tr.Deliveries[0])
	}
	send(t, w, alice, pid, "Other", "x")
	if got := eval(t, w, alice, pid, "return Count .. ' ' .. #Inbox"); got != "1 2" {
		t.Fatalf("Count and Inbox: %q", got)
	}
	res := dry(t, w, alice, pid, "Count = 42; return Count")
	if res.Output != "42" {
		t.Fatalf("dryrun output %q (%s)", res.Output, res.Error)
	}
	if got := eval(t, w, alice, pid, "return Count"); got != "1" {
		t.Fatalf("Count after dryrun: %q", got)
	}
}
