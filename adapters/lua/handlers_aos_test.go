package lua

import (
	"strings"
	"testing"
)

// handlerNames lists the process's handler names, in order.
const handlerNames = `local n = {} for i, h in ipairs(Handlers.list) do n[i] = h.name end return table.concat(n, ",")`

// Handlers.before/after on a name no handler has do nothing on aos; a
// module that does it still loads, with all its other handlers.
func TestHandlersBeforeAfterMissingDoNothing(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
		Handlers.add("a", "A", function() print("ran:a") end)
		Handlers.before("missing").add("b", "B", function() print("ran:b") end)
		Handlers.after("missing").add("c", "C", function() print("ran:c") end)
		Handlers.add("d", "D", function() print("ran:d") end)`)
	if got := eval(t, w, alice, pid, handlerNames); got != "_eval,_default,a,d" {
		t.Fatalf("handlers: %q", got)
	}
	if got := send(t, w, alice, pid, "D", "").Deliveries[0].Result.Output; got != "ran:d" {
		t.Fatalf("D: %q", got)
	}
}

// before/after insert next to the named handler; add returns nothing and
// does not replace a handler of the same name elsewhere, as on aos.
func TestHandlersBeforeAfterInsert(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
		Handlers.add("m", "M", function() end)
		Handlers.add("x", "X", function() end)`)
	evalCases(t, w, alice, pid, []struct{ code, want string }{
		{`return select("#", Handlers.before("m").add("b", "B", function() end))`, "0"},
		{`Handlers.after("m").add("x", "X", function() end) ` + handlerNames, "_eval,_default,b,m,x,x"},
		{`return type(Handlers.before("m").append)`, "nil"},
	})
	if e := evalError(t, w, alice, pid, `Handlers.before(5)`); !strings.Contains(e, "Handler name MUST be a string") {
		t.Errorf("before(5): %s", e)
	}
}

// prepend, append and once return nothing on aos; add returns the number
// of handlers.
func TestHandlersReturnValues(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	evalCases(t, w, alice, pid, []struct{ code, want string }{
		{`return select("#", Handlers.prepend("p", "P", function() end))`, "0"},
		{`return select("#", Handlers.append("q", "Q", function() end))`, "0"},
		{`return select("#", Handlers.once("o", "O", function() end))`, "0"},
		{`return tostring(Handlers.add("r", "R", function() end) == #Handlers.list)`, "true"},
	})
}

// Anonymous once handlers are named _once_0, _once_1...; once("Name", fn),
// with two arguments, is anonymous too, its first argument the pattern.
func TestHandlersOnceNames(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
		Handlers.once({ Action = "First" }, function() print("ran:first") end)
		Handlers.once("Name", function() print("ran:name") end)
		Handlers.once("named", "Third", function() print("ran:third") end)`)
	if got := eval(t, w, alice, pid, handlerNames); got != "named,_once_1,_once_0,_eval,_default" {
		t.Fatalf("handlers: %q", got)
	}
	if got := send(t, w, alice, pid, "Name", "").Deliveries[0].Result.Output; got != "ran:name" {
		t.Fatalf("Action = Name: %q", got)
	}
	if got := eval(t, w, alice, pid, handlerNames); got != "named,_once_0,_eval,_default" {
		t.Fatalf("after it ran once: %q", got)
	}
}
