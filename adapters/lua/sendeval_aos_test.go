package lua

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet"
)

// Send without a Target warns and sends anyway, as on aos: the message
// leaves the world with no Target. Send and Spawn return aos's console
// tables (an output line and the reply helpers), not the queued message.
func TestSendAndSpawnAsOnAOS(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("Loose", "Loose", function() Send({ Data = "lost" }) end)`)
	tr := send(t, w, alice, pid, "Loose", "")
	d := tr.Deliveries[0]
	if d.Result.Failed() || d.Result.Output != "WARN: No target specified for message. Data will be stored, but no process will receive it." {
		t.Fatalf("Send without Target: %+v", d.Result)
	}
	if len(tr.ToWallets) != 1 || tr.ToWallets[0].Target != "" || tr.ToWallets[0].Data != "lost" {
		t.Fatalf("the message was not sent: %+v", tr.ToWallets)
	}
	evalCases(t, w, alice, pid, []struct{ code, want string }{
		{`local r = Send({ Target = "x", Data = "d" }) return r.output .. " " .. type(r.onReply) .. " " .. type(r.receive) .. " " .. tostring(r.Target)`,
			"Message added to outbox function function nil"},
		{`local r = Spawn(ao._module, {}) return r.output .. " " .. type(r.receive) .. " " .. tostring(r.Tags)`,
			"Spawn process request added to outbox function nil"},
	})
}

// Spawn with one argument spawns the process's own module (ao._module).
func TestSpawnWithOneArgumentUsesOwnModule(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("Clone", "Clone", function() Spawn({ Name = "clone" }) end)`)
	tr := send(t, w, alice, pid, "Clone", "")
	if len(tr.Spawned) != 1 {
		t.Fatalf("spawned %v: %+v", tr.Spawned, tr.Deliveries[0].Result)
	}
	for _, d := range tr.Deliveries {
		if d.Message.ID == tr.Spawned[0] {
			if m := d.Message.Tags.Value("Module"); m != testModuleID || d.Message.Tags.Value("Name") != "clone" {
				t.Fatalf("spawn tags %+v", d.Message.Tags)
			}
			return
		}
	}
	t.Fatalf("no spawn delivery: %+v", tr.Deliveries)
}

// ao.send and ao.spawn encode a table Data in the caller's own table (Data
// becomes the JSON text and Content-Type is set), and msg.reply sets the
// reply's Target and X-Reference in the caller's table, as aos does.
func TestSendFillsTheCallersTable(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("Ask", "Ask", function(msg)
		local r = { Data = "yes" }
		msg.reply(r)
		print(r.Target .. " " .. r["X-Reference"])
	end)`)
	evalCases(t, w, alice, pid, []struct{ code, want string }{
		{`local m = { Target = "someone", Data = { a = 1 } } ao.send(m) return m.Data .. " " .. m["Content-Type"]`, `{"a":1} application/json`},
		{`local m = { Data = { b = 2 } } ao.spawn(ao._module, m) return m.Data .. " " .. m["Content-Type"]`, `{"b":2} application/json`},
		{`local m = { Target = "someone", Data = "text" } ao.send(m) return tostring(m["Content-Type"])`, "nil"},
	})
	d := send(t, w, alice, pid, "Ask", "", adapters.Tag{Name: "Reference", Value: "7"}).Deliveries[0]
	if d.Result.Output != alice+" 7" {
		t.Fatalf("reply: %q (%s)", d.Result.Output, d.Result.Error)
	}
}

// Eval as aos's: the code is read as an expression first; a second value
// that is not false or nil is the result's error (so the CU discards the
// state, as for any error); code that does not compile is an error too;
// a first value of false or nil prints nothing.
func TestEvalResultsAsOnAOS(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	for _, c := range []struct {
		code, output, err string
	}{
		{`1 + 1`, "2", ""},
		{`return false`, "", ""},
		{`return nil`, "", ""},
		{`return 1, false`, "1", ""},
		{`X = "kept" return 1, 2`, "", "2"},
		{`X = "kept" return nil, "oops"`, "", "oops"},
		{`return nil, { code = 1 }`, "", "{ code = 1 }"},
		{`x = = 1`, "", `[string "aos"]:1: unexpected symbol near '='`}, // Lua 5.3's wording and chunk name
	} {
		d := send(t, w, alice, pid, "Eval", c.code).Deliveries[0]
		if c.err == "" {
			if d.Result.Failed() || d.Result.Output != c.output {
				t.Errorf("%s: got %+v, want output %q", c.code, d.Result, c.output)
			}
			continue
		}
		if d.Result.ErrorKind != adapters.ErrorHandler || !strings.Contains(d.Result.Error, c.err) {
			t.Errorf("%s: got %s %q, want a handler error with %q", c.code, d.Result.ErrorKind, d.Result.Error, c.err)
		}
	}
	// The errors' changes were discarded (the CU state policy).
	if got := eval(t, w, alice, pid, `return tostring(X)`); got != "nil" {
		t.Fatalf("after the errors: %q", got)
	}
	// Where a handler error keeps its changes, an error returned rather
	// than raised is not kept in Errors, as on aos; a raised one is.
	w, alice, pid = newTestWorld(t, ``, func(o *Options, m *Module) { m.Policy = PolicyModule })
	send(t, w, alice, pid, "Eval", `X = "kept" return nil, "oops"`)
	send(t, w, alice, pid, "Eval", `error("raised")`)
	if got := eval(t, w, alice, pid, `return X .. " " .. #Errors`); got != "kept 1" {
		t.Fatalf("Errors after a returned and a raised error: %q", got)
	}
}

// On-Boot: the spawn message goes to the Inbox (without the default
// handler's line), the boot code runs, and the value it returns is printed.
func TestOnBootAsOnAOS(t *testing.T) {
	w, err := New(Options{Modules: map[string]Module{testModuleID: {Name: "m.lua", Source: ``}}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	alice, _ := w.Wallet("alice")
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		req    adapters.SpawnRequest
		output string
		booted string
	}{
		{"without On-Boot", adapters.SpawnRequest{Module: testModuleID, From: alice}, "", "nil"},
		{"On-Boot = Data", adapters.SpawnRequest{Module: testModuleID, From: alice,
			Tags: adapters.Tags{{Name: "On-Boot", Value: "Data"}}, Data: `Booted = "yes" return "booted"`}, "booted", "yes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			pid, err := w.Spawn(ctx, c.req)
			if err != nil {
				t.Fatal(err)
			}
			all := w.Trace().Deliveries
			d := all[len(all)-1]
			if d.Message.ID != pid || d.Result.Failed() || d.Result.Output != c.output {
				t.Fatalf("spawn delivery %+v, want output %q", d, c.output)
			}
			if got := eval(t, w, alice, pid, `return #Inbox .. " " .. tostring(Inbox[1].Id == ao.id) .. " " .. tostring(Booted)`); got != "1 true "+c.booted {
				t.Fatalf("Inbox: %q", got)
			}
		})
	}
}

// On-Boot = <transaction id>: the process reads the transaction from the
// world's weave (the source of every module the world runs, by
// aonet.CodeTransaction, as on the wasm engine) and aos's _boot handler
// evaluates it as an Eval. As on aos, the spawn message goes to the Inbox
// and is that handler's alone: none of the loaded code's handlers sees it,
// so the code finds it as Inbox[1]. A transaction the weave does not hold
// fails the spawn message.
func TestOnBootFromTheWeaveAsOnAOS(t *testing.T) {
	src := `Booted = (Booted or 0) + 1
SawSpawn = SawSpawn or false
Handlers.prepend("probe", function(m) return "continue" end, function(m)
  if m.Id == ao.id then SawSpawn = true end
end)
return "loaded"`
	const probeModule = "probe-module-00000000000000000000000000000000"
	w, err := New(Options{Modules: map[string]Module{
		testModuleID: {Name: "m.lua", Source: ``},
		probeModule:  {Name: "probe.lua", Source: src},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	alice, _ := w.Wallet("alice")
	ctx := context.Background()
	tx := aonet.CodeTransaction(src)
	pid, err := w.Spawn(ctx, adapters.SpawnRequest{Module: testModuleID, From: alice,
		Tags: adapters.Tags{{Name: "On-Boot", Value: tx}}, Data: "the spawn's own data"})
	if err != nil {
		t.Fatal(err)
	}
	all := w.Trace().Deliveries
	if d := all[len(all)-1]; d.Message.ID != pid || d.Result.Failed() || d.Result.Output != "loaded" {
		t.Fatalf("spawn delivery %+v, want the loaded code's value printed", d)
	}
	send(t, w, alice, pid, "Ping", "")
	if got := eval(t, w, alice, pid, `return tostring(Booted) .. " " .. tostring(SawSpawn) .. " " .. tostring(Inbox[1].Data) .. " " .. Inbox[1].Tags["On-Boot"]`); got != "1 false the spawn's own data "+tx {
		t.Fatalf("after booting from the weave: %q", got)
	}

	_, err = w.Spawn(ctx, adapters.SpawnRequest{Module: testModuleID, From: alice,
		Tags: adapters.Tags{{Name: "On-Boot", Value: aonet.CodeTransaction("other")}}})
	if !errors.Is(err, ErrSpawnFailed) || !strings.Contains(err.Error(), "not on this world's weave") {
		t.Fatalf("a spawn booting from a transaction the weave does not hold: %v", err)
	}
}

// aos's process.handle reads ao, Handlers and require from the globals on
// every message, so a process that removes or replaces them changes how its
// messages are handled, or crashes: a process that passes here only because
// the runtime kept its own references would fail on AO.
func TestTheRuntimeReadsItsGlobalsAsAosDoes(t *testing.T) {
	src := `Handlers.add("Ping", "Ping", function(msg) print("pong " .. (type(msg.Data) == "table" and "table" or msg.Data)) end)
Handlers.add("NoHandlers", "NoHandlers", function() Handlers = nil end)
Handlers.add("NoAo", "NoAo", function() ao = nil end)
Handlers.add("NoRequire", "NoRequire", function() require = nil end)
Handlers.add("OwnHandlers", "OwnHandlers", function()
  Handlers = { coroutines = {}, evaluate = function(msg) print("mine " .. msg.Action) end }
end)
Handlers.add("OwnJson", "OwnJson", function()
  package.loaded.json = { decode = function(s) return "decoded by the process" end }
end)`
	jsonTag := adapters.Tag{Name: "Content-Type", Value: "application/json"}
	for _, c := range []struct {
		name, breaker string
		// breakCrashes: the message that removes the global crashes
		// itself (aos reads it again before the message ends).
		breakCrashes bool
		// next is what the next Ping (with JSON Data) gives: a crash, or
		// this output. (A crashed message's state is discarded, as the
		// CU discards it, so after a crash the globals are back.)
		next string
	}{
		{"Handlers removed", "NoHandlers", true, "pong table"},
		{"ao removed", "NoAo", true, "pong table"},
		{"require removed", "NoRequire", false, "crash"},
		{"Handlers replaced", "OwnHandlers", false, "mine Ping"},
		{"json replaced", "OwnJson", false, "pong decoded by the process"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w, alice, pid := newTestWorld(t, src)
			d := send(t, w, alice, pid, c.breaker, "").Deliveries[0]
			if crashed := d.Result.ErrorKind == adapters.ErrorCrash; crashed != c.breakCrashes {
				t.Fatalf("%s: crashed %v, want %v: %+v", c.breaker, crashed, c.breakCrashes, d.Result)
			}
			d = send(t, w, alice, pid, "Ping", `{"a":1}`, jsonTag).Deliveries[0]
			switch {
			case c.next == "crash":
				if d.Result.ErrorKind != adapters.ErrorCrash {
					t.Fatalf("the message after %s: %+v, want a crash", c.breaker, d.Result)
				}
			case d.Result.Failed() || d.Result.Output != c.next:
				t.Fatalf("the message after %s: %+v, want output %q", c.breaker, d.Result, c.next)
			}
		})
	}
}

// A module's own code runs before its first message is handled, as a
// module's code runs on AO before any message: a Handlers.evaluate it wraps
// already handles the spawn message.
func TestModuleCodeWrapsTheSpawnsEvaluation(t *testing.T) {
	w, alice, pid := newTestWorld(t, `local inner = Handlers.evaluate
Handlers.evaluate = function(msg, env)
  Seen = (Seen or "") .. tostring(msg.Tags.Type) .. ";"
  return inner(msg, env)
end`)
	// The wrapper sees the spawn message, then the Eval that reads it.
	if got := eval(t, w, alice, pid, "return Seen"); got != "Process;Message;" {
		t.Fatalf("the wrapper saw %q, want the spawn message and the Eval (Process;Message;)", got)
	}
}
