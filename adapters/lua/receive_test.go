package lua

import (
	"context"
	"github.com/mostao/conformance/adapters"
	"strings"
	"testing"
)

// Yielding across pcall is a gopher-lua limit (issues 45 and 306): Receive
// inside pcall cannot suspend. It must fail the message cleanly, never
// crash the engine, and the process must keep working.
func TestReceiveInsidePcallFailsCleanly(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
Handlers.add("Wait", "Wait", function(msg)
  local ok, err = pcall(function() return Receive({ Action = "Never" }) end)
  print("pcall returned " .. tostring(ok) .. " " .. tostring(err))
end)`)
	d := send(t, w, alice, pid, "Wait", "").Deliveries[0]
	if d.Result.Failed() || !strings.Contains(d.Result.Output, "pcall returned false") || !strings.Contains(d.Result.Output, "cannot wait inside pcall") {
		t.Fatalf("want pcall to report the limit: %+v", d.Result)
	}
	if got := eval(t, w, alice, pid, "return 'alive'"); got != "alive" {
		t.Fatalf("after: %q", got)
	}
}

func TestPcallStillWorks(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	got := eval(t, w, alice, pid, `local a, b, c = pcall(function(x) return x, 2 end, 1)
local d, e = pcall(error, "E", 0)
local f, g = xpcall(function() error("X", 0) end, function(m) return "handled " .. m end)
return table.concat({ tostring(a), b, c, tostring(d), e, tostring(f), g }, " ")`)
	if got != "true 1 2 false E false handled X" {
		t.Fatalf("%q", got)
	}
	_ = context.Background()
}

// A dryrun while a handler waits in Receive must not consume the wait,
// even when the dryrun message is the awaited one.
func TestDryRunDoesNotConsumeAPendingReceive(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
Handlers.add("Wait", "Wait", function(msg)
  local m = Receive({ Action = "Go" })
  Got = (Got or "") .. m.Data
end)`)
	send(t, w, alice, pid, "Wait", "")
	res, err := w.DryRun(context.Background(), adapters.Message{From: alice, Target: pid, Data: "dry", Tags: adapters.Tags{{Name: "Action", Value: "Go"}}})
	if err != nil || res.Failed() {
		t.Fatalf("dryrun: %v %+v", err, res)
	}
	send(t, w, alice, pid, "Go", "real")
	if got := eval(t, w, alice, pid, "return Got"); got != "real" {
		t.Fatalf("Got %q", got)
	}
}

// A rollback while a handler waits must keep the wait.
func TestRollbackKeepsAPendingReceive(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
Handlers.add("Wait", "Wait", function(msg)
  local m = Receive({ Action = "Go" })
  Got = m.Data
end)
Handlers.add("Fail", "Fail", function() error("x") end)`)
	send(t, w, alice, pid, "Wait", "")
	for i := 0; i < checkpointEvery+3; i++ {
		send(t, w, alice, pid, "Other", "")
	}
	send(t, w, alice, pid, "Fail", "")
	send(t, w, alice, pid, "Go", "after rollback")
	if got := eval(t, w, alice, pid, "return Got"); got != "after rollback" {
		t.Fatalf("Got %q", got)
	}
}
