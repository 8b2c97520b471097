package lua

import (
	"context"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// stateProbe holds state in every place a dryrun could leak into.
const stateProbe = `
local counter = 0                -- an upvalue
Nested = { a = { b = { c = 1 } } }
Meta = setmetatable({}, { __index = function() return "from-meta" end })
Handlers.add("Count", "Count", function(msg) counter = counter + 1 end)
function Describe()
  return table.concat({
    tostring(counter), tostring(Nested.a.b.c), tostring(Nested.a.extra), tostring(Meta.anything),
    tostring(#Handlers.list), tostring(ao.reference), tostring(math.random(1000000)), tostring(#Inbox),
    tostring(rawget(_G, "Leaked")), tostring(getmetatable(Meta) ~= nil),
  }, " ")
end
`

// mutate changes all of it, from inside a handler and from the dryrun's own code.
const mutate = `
Handlers.add("Count", "Count", function(msg) end)  -- replace in place
for i = 1, 5 do Send({ Target = ao.id, Action = "Count" }) end
Nested.a.b.c = 99; Nested.a.extra = "x"; Nested.a.b = { c = 100 }
setmetatable(Meta, nil)
Handlers.add("New", "New", function() end)
math.random(); math.random()
table.insert(Inbox, { Data = "fake" })
Leaked = true
`

func TestDryRunLeavesEverythingAsItWas(t *testing.T) {
	w, alice, pid := newTestWorld(t, stateProbe)
	send(t, w, alice, pid, "Count", "")
	before := eval(t, w, alice, pid, "return Describe()")
	// Bump the upvalue through the real handler inside the dryrun, then
	// change everything else.
	res, err := w.DryRun(context.Background(), adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Count"}}})
	if err != nil || res.Failed() {
		t.Fatalf("dryrun Count: %v %+v", err, res)
	}
	if r := dry(t, w, alice, pid, mutate+" return Describe()"); r.Failed() || r.Output == before {
		t.Fatalf("the dryrun did not see its own changes: %+v (before %q)", r, before)
	}
	// Eval itself advances nothing visible: compare with a fresh Describe.
	after := eval(t, w, alice, pid, "return Describe()")
	// Describe draws a random number, so compare the state with the random
	// draw of the same position: both evals are the first draw after the
	// same state, so they must be equal.
	if after != before2(t, before) {
		t.Fatalf("state leaked from the dryrun:\n before %q\n after  %q", before, after)
	}
}

// before2 exists to make the intent explicit: the second Describe is the
// second draw of math.random, so it is compared with a replay below.
func before2(t *testing.T, before string) string {
	t.Helper()
	w, alice, pid := newTestWorld(t, stateProbe)
	send(t, w, alice, pid, "Count", "")
	if got := eval(t, w, alice, pid, "return Describe()"); got != before {
		t.Fatalf("worlds are not deterministic: %q vs %q", got, before)
	}
	return eval(t, w, alice, pid, "return Describe()")
}

func TestDryRunUpvalueCounter(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
local n = 0
Handlers.add("Next", "Next", function(msg) n = n + 1; msg.reply({ Data = tostring(n) }) end)`)
	for i := 0; i < 3; i++ {
		res, err := w.DryRun(context.Background(), adapters.Message{From: "anyone", Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Next"}}})
		if err != nil || len(res.Messages) != 1 || res.Messages[0].Data != "1" {
			t.Fatalf("dryrun %d: %v %+v", i, err, res)
		}
	}
	tr := send(t, w, alice, pid, "Next", "")
	if r := tr.RepliesTo(alice); len(r) != 1 || r[0].Data != "1" {
		t.Fatalf("real send after dryruns: %+v", tr)
	}
}

func TestDryRunIsReadOnlyAndUntraced(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("RO", "RO", function(msg) msg.reply({ Data = tostring(msg["Read-Only"]) .. " " .. msg.Owner }) end)`)
	clock := w.Clock()
	deliveries := len(w.Trace().Deliveries)
	res, err := w.DryRun(context.Background(), adapters.Message{From: "claimed", Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "RO"}}})
	if err != nil || len(res.Messages) != 1 || res.Messages[0].Data != "true claimed" {
		t.Fatalf("dryrun: %v %+v", err, res)
	}
	if w.Clock() != clock || len(w.Trace().Deliveries) != deliveries {
		t.Fatal("a dryrun moved the clock or was traced")
	}
	_ = alice
}

func TestDryRunOfHandlerErrorReportsIt(t *testing.T) {
	w, _, pid := newTestWorld(t, `Handlers.add("Bad", "Bad", function() error("bad dryrun") end)`)
	res, err := w.DryRun(context.Background(), adapters.Message{Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Bad"}}})
	if err != nil || res.ErrorKind != adapters.ErrorHandler {
		t.Fatalf("%v %+v", err, res)
	}
}

// The metatables of numbers, strings, booleans, nil and functions, which
// debug.setmetatable sets for every value of the type, are state too: a
// dryrun that sets them leaves them as they were, and so does a message
// whose error rolls the state back. (debug.setmetatable of a string is
// refused: TestStringsMetatableIsAos.)
func TestDryRunRestoresTheMetatablesOfTypes(t *testing.T) {
	w, alice, pid := newTestWorld(t, "")
	set := `debug.setmetatable(1, {__index = function() return "leaked" end})
debug.setmetatable(true, {__index = function() return "leaked" end})
debug.setmetatable(nil, {__index = function() return "leaked" end})
debug.setmetatable(print, {__index = function() return "leaked" end})
getmetatable("").__index = function() return "leaked" end
return (5).x`
	if r := dry(t, w, alice, pid, set); r.Failed() || r.Output != "leaked" {
		t.Fatalf("the dryrun did not see its own metatables: %+v", r)
	}
	check := `return tostring(pcall(function() return (5).x end)) .. tostring(pcall(function() return (true).x end)) .. tostring(pcall(function() return (nil).x end)) .. tostring(pcall(function() return print.x end)) .. ("abc"):upper()`
	if got := eval(t, w, alice, pid, check); got != "falsefalsefalsefalseABC" {
		t.Fatalf("the metatables of types leaked from the dryrun: %q", got)
	}
	if d := send(t, w, alice, pid, "Eval", set+"\nerror('rolled back')").Deliveries[0]; !d.Result.Failed() {
		t.Fatalf("the message did not fail: %+v", d.Result)
	}
	if got := eval(t, w, alice, pid, check); got != "falsefalsefalsefalseABC" {
		t.Fatalf("the metatables of types survived a rollback: %q", got)
	}
}
