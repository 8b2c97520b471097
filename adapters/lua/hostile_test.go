package lua

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mostao/conformance/adapters"
)

// Hostile processes: each must end as a failed evaluation of its own kind,
// with a reason naming the limit, never as a hang, a Go fatal error or a
// suite error. Budgets are small so the tests stay cheap; none of them
// measures time.

// hostileCase is one handler body run on an Action "Go".
type hostileCase struct {
	name   string
	src    string // the module; its handler "Go" does the hostile thing
	limits Limits
	kind   adapters.ErrorKind
	reason string // what the error must say
}

func runHostile(t *testing.T, c hostileCase) adapters.Result {
	t.Helper()
	w, alice, pid := newTestWorld(t, c.src, withLimits(c.limits))
	d := send(t, w, alice, pid, "Go", "").Deliveries[0]
	if d.Result.ErrorKind != c.kind || !strings.Contains(d.Result.Error, c.reason) {
		t.Fatalf("got %s %q, want %s naming %q", d.Result.ErrorKind, d.Result.Error, c.kind, c.reason)
	}
	// The process survives its failed message.
	if got := eval(t, w, alice, pid, "return 'alive'"); got != "alive" {
		t.Fatalf("after the failure: %q", got)
	}
	return d.Result
}

func handler(body string) string {
	return `Handlers.add("Go", "Go", function(msg)
` + body + `
end)`
}

// trailingNils makes t a table whose array part ends in 50,000 nils.
const trailingNils = `local t = {} for i = 1, 50000 do t[i] = i end for i = 1, 50000 do t[i] = nil end `

func TestHostileProcessesEndAtTheirLimit(t *testing.T) {
	small := Limits{MaxWork: 2_000_000, MaxStringBytes: 4 << 20}
	compute, memory := adapters.ErrorComputeLimit, adapters.ErrorMemoryLimit
	cases := []hostileCase{
		{"looping handler", handler(`while true do end`), small, compute, "MaxWork"},
		{"loop that swallows the stop with pcall", handler(`while true do pcall(function() while true do end end) end`), small, compute, "MaxWork"},
		{"looping pattern function", `Handlers.add("Go", function(msg) if msg.Action == "Go" then while true do end end return false end, function() end)`, small, compute, "MaxWork"},
		{"looping coroutine", handler(`coroutine.wrap(function() while true do end end)()`), small, compute, "MaxWork"},
		{"looping coroutine made inside a coroutine", handler(`coroutine.wrap(function() coroutine.wrap(function() while true do end end)() end)()`), small, compute, "MaxWork"},
		{"collectgarbage in a loop", handler(`while true do collectgarbage() end`), small, compute, "MaxWork"},
		{"string.rep of an empty string 2^53 times", handler(`string.rep("", 2^53)`), small, compute, "MaxWork"},
		{"string.rep past the size bound", handler(`pcall(string.rep, "x", 1e12) while true do end`), small, memory, "MaxStringBytes"},
		{"backtracking string.find", handler(`string.find(string.rep("a", 40), string.rep("a*", 40) .. "b")`), small, compute, "MaxWork"},
		{"backtracking string.match in gmatch", handler(`for _ in string.gmatch(string.rep("a", 40), string.rep("a*", 40) .. "b") do end`), small, compute, "MaxWork"},
		{"gsub of every byte by the whole string", handler(`local s = string.rep("x", 2^20) s:gsub(".", s)`), Limits{MaxWork: 50_000_000, MaxStringBytes: 4 << 20}, memory, "MaxStringBytes"},
		{"table.concat of 400 references to a big string", handler(`local s = string.rep("x", 2^20) local t = {} for i = 1, 400 do t[i] = s end table.concat(t)`), small, memory, "MaxStringBytes"},
		{"table.move over 2^52 slots", handler(`table.move({}, 1, 2^52, 1)`), small, compute, "MaxWork"},
		{"string.pack of a 10^12-byte field", handler(`string.pack("c1000000000000", "")`), small, memory, "MaxStringBytes"},
		{"string.format with a huge width", handler(`string.format("%099999999d", 1)`), small, adapters.ErrorHandler, "width"},
		{"json.encode of shared sub-tables", handler(`local json = require("json") local t = {} for i = 1, 60 do t = { t, t } end json.encode(t)`), small, compute, "MaxWork"},
		{"json.encode of a table nested 3,000,000 deep", handler(`local json = require("json") local t = {} for i = 1, 3000000 do t = { t } end json.encode(t)`), small, compute, "MaxWork"},
		{"json.encode of a table nested 5,000 deep", handler(`local json = require("json") local t = {} for i = 1, 5000 do t = { t } end pcall(json.encode, t) while true do end`), small, memory, "nested"},
		{"table.unpack of a wide range in a loop", handler(`while true do local t = { table.unpack({}, 1, 1000) } end`), small, compute, "MaxWork"},
		{"load of a million nested table constructors", handler(`load("return " .. string.rep("{", 1e6) .. string.rep("}", 1e6))`), Limits{MaxWork: 50_000_000}, compute, "MaxSourceBytes"},
		{"load of a million nested do-end blocks", handler(`load(string.rep("do ", 1e6) .. string.rep("end ", 1e6))`), Limits{MaxWork: 50_000_000}, compute, "MaxSourceBytes"},
		{"load of deep but small code", handler(`load("return " .. string.rep("{", 50000) .. string.rep("}", 50000))`), small, compute, "MaxSourceDepth"},
		{"load of deep code", handler(`load(string.rep("do ", 5000) .. string.rep("end ", 5000))`), small, compute, "MaxSourceDepth"},
		{"os.date of a huge format", handler(`os.date(string.rep("%c", 2^20))`), small, memory, "MaxStringBytes"},
		{"load in a loop", handler(`while true do load("return 1") end`), small, compute, "MaxWork"},
		{"string.format %q of a string of zero bytes", handler(`local s = ("\0"):rep(2 * 1048576) string.format("%q", s)`), small, memory, "MaxStringBytes"},
		{"a string doubled by ..", handler(`local s = ("x"):rep(16) for i = 1, 40 do s = s .. s end`), Limits{}, memory, "MaxStringBytes"},
		{"a long string appended to in a loop", handler(`local s = ("x"):rep(1048576) while true do s = s .. "x" end`), small, compute, "MaxWork"},
		{"two long strings ordered in a loop", handler(`local a, b = ("x"):rep(2^20) .. "a", ("x"):rep(2^20) .. "b" while true do local _ = a < b end`), small, compute, "MaxWork"},
		{"two long strings ordered by >= in a loop", handler(`local a, b = ("x"):rep(2^20) .. "a", ("x"):rep(2^20) .. "b" while true do local _ = b >= a end`), small, compute, "MaxWork"},
		{"two equal long strings compared in a loop", handler(`local a, b = ("x"):rep(2^20) .. "a", ("x"):rep(2^20) .. "a" while a == b do end`), small, compute, "MaxWork"},
		{"many varargs copied into a table in a loop", handler(`local big = {} for i = 1, 100000 do big[i] = i end local function g(...) while true do local t = {...} end end g(table.unpack(big))`), Limits{MaxWork: 5_000_000}, compute, "MaxWork"},
		{"many varargs passed on in a loop", handler(`local big = {} for i = 1, 100000 do big[i] = i end local function f() end local function g(...) while true do f(...) end end g(table.unpack(big))`), Limits{MaxWork: 5_000_000}, compute, "MaxWork"},
		{"utf8.len of a long string in a loop", handler(`local s = ("x"):rep(2^21) while true do local _ = utf8.len(s) end`), small, compute, "MaxWork"},
		{"rawget of a long key in a loop", handler(`local s, t = ("x"):rep(2^21), {} while true do local _ = rawget(t, s) end`), small, compute, "MaxWork"},
		{"rawset of a long key in a loop", handler(`local s, t = ("x"):rep(2^21), {} while true do rawset(t, s, 1) end`), small, compute, "MaxWork"},
		{"pairs over a long key in a loop", handler(`local s = ("x"):rep(2^21) local t = {[s] = 1} while true do for _ in pairs(t) do end end`), small, compute, "MaxWork"},
		{"rawequal of two long strings in a loop", handler(`local a, b = ("x"):rep(2^21), ("x"):rep(2^21) while true do local _ = rawequal(a, b) end`), small, compute, "MaxWork"},
		{"tonumber of a long numeral in a loop", handler(`local s = ("1"):rep(2^21) while true do local _ = tonumber(s) end`), small, compute, "MaxWork"},
		{"// of a long numeral in a loop", handler(`local s = ("1"):rep(2^21) while true do local _ = s // 1 end`), small, compute, "MaxWork"},
		{"a digest of a long string in a loop", handler(`local crypto = require(".crypto") local s = ("x"):rep(2^21) while true do crypto.digest.sha2_256(s) end`), small, compute, "MaxWork"},
		{"pbkdf2 of 2^24 iterations", handler(`require(".crypto").kdf.pbkdf2("p", "s", 2^24, 65536)`), small, compute, "MaxWork"},
		{"two long strings told apart in a loop", handler(`local a, b = ("x"):rep(2^20) .. "a", ("x"):rep(2^20) .. "b" while a ~= b do end`), small, compute, "MaxWork"},
		{"arithmetic on a long numeral in a loop", handler(`local s = ("0"):rep(2^21) .. "1" while true do local _ = s + 1 end`), small, compute, "MaxWork"},
		{"negation of a long numeral in a loop", handler(`local s = ("0"):rep(2^21) .. "1" while true do local _ = -s end`), small, compute, "MaxWork"},
		{"arithmetic on a long numeral once getmetatable(\"\") lost its metamethods", handler(`local mt = getmetatable("") for _, e in ipairs({"__add", "__sub", "__mul", "__div", "__pow", "__unm"}) do mt[e] = nil rawset(mt, e, nil) end debug.getmetatable("").__add = nil local s = ("0"):rep(2^21) .. "1" while true do local _ = s + 1 end`), small, compute, "MaxWork"},
		{"arithmetic on a long numeral after debug.setmetatable(\"\", {})", handler(`pcall(debug.setmetatable, "", {}) local s = ("0"):rep(2^21) .. "1" while true do local _ = s + 1 end`), small, compute, "MaxWork"},
		{"failed arithmetic on a long numeral caught in a loop", handler(`local s = ("0"):rep(2^21) .. "1" while true do pcall(function() return s * {} end) end`), small, compute, "MaxWork"},
		{"error with a long message caught in a loop", handler(`local s = ("x"):rep(2^21) while true do pcall(error, s, 2) end`), small, compute, "MaxWork"},
		{"assert with a long message caught in a loop", handler(`local s = ("x"):rep(2^21) while true do pcall(assert, false, s) end`), small, compute, "MaxWork"},
		{"table.sort of long strings in a loop", handler(`local t = {} for i = 1, 16 do t[i] = ("x"):rep(2^18) .. string.char(64 + i) end while true do table.sort(t) end`), small, compute, "MaxWork"},
		{"debug.traceback deep in a recursion in a loop", handler(`local function f(n) if n == 0 then while true do debug.traceback() end end return f(n - 1) end f(150)`), small, compute, "MaxWork"},
		{"string.find with a long pattern in a loop", handler(`local p = ("x"):rep(2^20) .. "%d" while true do local _ = string.find("a", p) end`), small, compute, "MaxWork"},
		{"string.gmatch with a long pattern in a loop", handler(`local p = ("x"):rep(2^20) .. "%d" while true do for _ in string.gmatch("a", p) do end end`), small, compute, "MaxWork"},
		// Costs inside single table instructions (tablecost.go).
		{"a long key read in a loop", handler(`local s, t = ("x"):rep(2^21), {} while true do local _ = t[s] end`), small, compute, "MaxWork"},
		{"a long key read from msg.Tags in a loop", handler(`local s = ("x"):rep(2^21) while true do local _ = msg.Tags[s] end`), small, compute, "MaxWork"},
		{"a long key written in a loop", handler(`local s, t = ("x"):rep(2^21), {} while true do t[s] = 1 end`), small, compute, "MaxWork"},
		{"a long key written by a multiple assignment in a loop", handler(`local s, t = ("x"):rep(2^21), {} while true do t.x, t[s] = 1, 2 end`), small, compute, "MaxWork"},
		{"a long key in a table constructor in a loop", handler(`local s = ("x"):rep(2^21) while true do local _ = { [s] = 1 } end`), small, compute, "MaxWork"},
		{"a long constant key in a loop", handler(`local t = {} while true do t["` + strings.Repeat("k", 1<<16) + `"] = 1 end`), small, compute, "MaxWork"},
		{"an integer key 6e7 past an empty array part", handler(`local t = {} t[6e7] = 1`), small, compute, "MaxWork"},
		{"an integer key held in a variable far past the array part", handler(`local t, k = {}, 6e7 t[k] = 1`), small, compute, "MaxWork"},
		{"integer keys 10^5 past an empty array part in a loop", handler(`while true do local t = {} t[100000] = 1 end`), small, compute, "MaxWork"},
		{"a far integer key in a table constructor", handler(`local _ = { [6e7] = 1 }`), small, compute, "MaxWork"},
		{"rawset of a far integer key", handler(`rawset({}, 6e7, 1)`), small, compute, "MaxWork"},
		{"table.move to a far destination", handler(`table.move({ 1 }, 1, 1, 6e7)`), small, compute, "MaxWork"},
		{"# of a table ending in 50,000 nils in a loop", handler(trailingNils + `while true do local _ = #t end`), small, compute, "MaxWork"},
		{"rawlen of a table ending in 50,000 nils in a loop", handler(trailingNils + `while true do local _ = rawlen(t) end`), small, compute, "MaxWork"},
		{"table.insert in a table ending in 50,000 nils in a loop", handler(trailingNils + `while true do table.insert(t, 1) t[1] = nil end`), small, compute, "MaxWork"},
		{"table.concat of a table ending in 50,000 nils in a loop", handler(trailingNils + `while true do table.concat(t) end`), small, compute, "MaxWork"},
		{"json.encode of a table ending in 50,000 nils in a loop", handler(trailingNils + `t[1] = 1 local json = require("json") while true do json.encode(t) end`), small, compute, "MaxWork"},
		{"next over 50,000 nils in a loop", handler(trailingNils + `while true do local _ = next(t) end`), small, compute, "MaxWork"},
		{"next over 50,000 deleted keys in a loop", handler(`local t = {} for i = 1, 50000 do t["k" .. i] = i end for i = 1, 50000 do t["k" .. i] = nil end t.last = 1 while true do local _ = next(t) end`), Limits{MaxWork: 5_000_000}, compute, "MaxWork"},
	}
	// gopher-lua's library functions read a numeral string given for a
	// number whole (shims.go, numeralArgsWork).
	for _, call := range []string{`math.floor(n)`, `math.max(n, n)`, `math.fmod(n, 7)`, `string.sub("abc", n)`, `string.rep("x", n)`,
		`string.find("a", "a", n)`, `table.concat({}, "", n)`, `table.unpack({}, n, 0)`, `table.move({}, n, 0, 1)`, `select(n, 1)`,
		`os.date("%Y", n)`, `os.difftime(n, n)`, `string.pack("i", n)`, `require(".bint")(n)`, `math.random(n, n)`} {
		cases = append(cases, hostileCase{"a long numeral given to " + call + " in a loop",
			handler(`local n = ("0"):rep(2^21) .. "1" while true do pcall(function() return ` + call + ` end) end`), small, compute, "MaxWork"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runHostile(t, c) })
	}
}

func TestCompilerBombsInTheModuleFailTheSpawn(t *testing.T) {
	for name, c := range map[string]struct{ src, reason string }{
		"a million nested table constructors": {"return " + strings.Repeat("{", 1e6) + strings.Repeat("}", 1e6), "MaxSourceBytes"},
		"deep nesting in a small file":        {"return " + strings.Repeat("{", 20000) + strings.Repeat("}", 20000), "MaxSourceDepth"},
		"load-time code that loops":           {"while true do end", "MaxWork"},
	} {
		t.Run(name, func(t *testing.T) {
			w, err := New(Options{Modules: map[string]Module{testModuleID: {Name: "bomb.lua", Source: c.src}}, Limits: Limits{MaxWork: 1_000_000}})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			alice, _ := w.Wallet("alice")
			_, err = w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
			if !errors.Is(err, ErrSpawnFailed) || !strings.Contains(err.Error(), c.reason) {
				t.Fatalf("spawn: %v", err)
			}
			d := w.Trace().Deliveries[0]
			if d.Result.ErrorKind != adapters.ErrorComputeLimit {
				t.Fatalf("spawn message: %+v", d.Result)
			}
		})
	}
}

func TestOutputAndDataAreClipped(t *testing.T) {
	w, alice, pid := newTestWorld(t, handler(`
for i = 1, 200 do print(string.rep("p", 1000)) end
msg.reply({ Data = string.rep("d", 5000) })`), withLimits(Limits{MaxOutputBytes: 1000, MaxDataBytes: 2000}))
	tr := send(t, w, alice, pid, "Go", "")
	res := tr.Deliveries[0].Result
	if res.Failed() || len(res.Output) > 1100 || !strings.Contains(res.Output, "clipped") || !strings.Contains(res.Output, "200199 bytes in all") {
		t.Fatalf("output of %d bytes: %q", len(res.Output), res.Output[max(0, len(res.Output)-100):])
	}
	reply := tr.RepliesTo(alice)
	if len(reply) != 1 || len(reply[0].Data) > 2100 || !strings.HasSuffix(reply[0].Data, "[clipped by the engine: 5000 bytes in all, 2000 kept]") {
		t.Fatalf("reply: %+v", reply)
	}
}

func TestErrorTextIsClipped(t *testing.T) {
	w, alice, pid := newTestWorld(t, handler(`error(string.rep("e", 100000))`), withLimits(Limits{MaxOutputBytes: 1000}))
	d := send(t, w, alice, pid, "Go", "").Deliveries[0]
	if !d.Result.Failed() || len(d.Result.Error) > 1100 || !strings.Contains(d.Result.Error, "clipped by the engine") {
		t.Errorf("%s error of %d bytes: %.200q", d.Result.ErrorKind, len(d.Result.Error), d.Result.Error)
	}
}

func TestOutboxBytesBound(t *testing.T) {
	w, alice, pid := newTestWorld(t, handler(`local s = string.rep("d", 3000) for i = 1, 10 do msg.reply({ Data = s }) end`),
		withLimits(Limits{MaxOutboxBytes: 20000}))
	tr := send(t, w, alice, pid, "Go", "")
	if r := tr.Deliveries[0].Result; r.ErrorKind != adapters.ErrorMemoryLimit || !strings.Contains(r.Error, "MaxOutboxBytes") || len(tr.ToWallets) != 0 {
		t.Fatalf("%+v", tr)
	}
}

// TestStateGrowthInOneHandlerIsCaught: a handler that keeps a lot of state
// in one message is checked against the bound right away, not 32 messages
// later.
func TestStateGrowthInOneHandlerIsCaught(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Big = {}
`+handler(`for i = 1, 16 do Big[i] = string.rep("x", 2^20) .. i end`), withLimits(Limits{MaxStateBytes: 8 << 20}))
	d := send(t, w, alice, pid, "Go", "").Deliveries[0]
	if d.Result.ErrorKind != adapters.ErrorMemoryLimit || !strings.Contains(d.Result.Error, "MaxStateBytes") {
		t.Fatalf("%+v", d.Result)
	}
}

// TestDryRunChecksTheStateBound: the snapshot a dryrun takes is checked
// like any other.
func TestDryRunChecksTheStateBound(t *testing.T) {
	// Concatenation builds the strings, so no library function reports them
	// as built and no send checks the size before the 32nd message.
	w, alice, pid := newTestWorld(t, `Big = {} Seed = string.rep("x", 100000)
`+handler(`Big[#Big + 1] = Seed .. #Big`), withLimits(Limits{MaxStateBytes: 1 << 20}))
	for i := 0; i < 12; i++ {
		if r := send(t, w, alice, pid, "Go", "").Deliveries[0].Result; r.Failed() {
			t.Fatalf("send %d failed before any dryrun: %+v", i, r)
		}
	}
	res := dry(t, w, alice, pid, "return #Big")
	if res.ErrorKind != adapters.ErrorMemoryLimit || !strings.Contains(res.Error, "MaxStateBytes") {
		t.Fatalf("dryrun: %+v", res)
	}
}

func TestFanOutQueueIsBounded(t *testing.T) {
	w, alice, a := newTestWorld(t, `Handlers.add("Fan", "Fan", function(msg)
  for i = 1, 50 do Send({ Target = ao.id, Action = "Fan" }) end
end)`, withLimits(Limits{MaxQueuedMessages: 500}))
	_, err := w.Send(context.Background(), adapters.Message{From: alice, Target: a, Tags: adapters.Tags{{Name: "Action", Value: "Fan"}}})
	if !errors.Is(err, adapters.ErrMessageLimit) || !strings.Contains(err.Error(), "MaxQueuedMessages") {
		t.Fatalf("%v", err)
	}
}

// TestWorldBoundsEndASlowOrStormyProcess: past the world's work, message
// or spawn bound, every evaluation fails with the limit named, as a verdict.
func TestWorldBoundsEndASlowOrStormyProcess(t *testing.T) {
	slow := handler(`local n = 0 for i = 1, 100000 do n = n + i end msg.reply({ Data = "done" })`)
	for _, c := range []struct {
		name   string
		src    string
		limits Limits
		action string
		reason string
	}{
		{"work", slow, Limits{MaxWorldWork: 2_000_000}, "Go", "MaxWorldWork"},
		{"messages", handler(`for i = 1, 30 do msg.reply({ Data = "x" }) end`), Limits{MaxMessagesPerWorld: 100}, "Go", "MaxMessagesPerWorld"},
		{"spawns", handler(`Spawn(ao._module, {})`), Limits{MaxSpawnsPerWorld: 3}, "Go", "MaxSpawnsPerWorld"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w, alice, pid := newTestWorld(t, c.src, withLimits(c.limits))
			var last adapters.Trace
			for i := 0; i < 40; i++ {
				tr, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: c.action}}})
				if err != nil {
					t.Fatalf("send %d: %v", i, err)
				}
				last = tr
			}
			found := false
			for _, d := range last.Deliveries {
				if d.Result.ErrorKind == adapters.ErrorComputeLimit && strings.Contains(d.Result.Error, c.reason) {
					found = true
				}
			}
			if !found {
				t.Fatalf("the last send did not fail with %s: %+v", c.reason, last.Deliveries)
			}
		})
	}
}

// TestSafetyNetIsNotAVerdict: when the wall-clock safety net fires, the
// world returns adapters.ErrTooSlow, not a compute-limit result.
func TestSafetyNetIsNotAVerdict(t *testing.T) {
	w, alice, pid := newTestWorld(t, handler(`while true do end`), withLimits(Limits{MaxWork: 1 << 50}))
	// Set after the spawn, which must not be what the net catches.
	w.limits.EvalTimeout = time.Millisecond
	_, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Go"}}})
	if !errors.Is(err, adapters.ErrTooSlow) {
		t.Fatalf("send: %v", err)
	}
	_, err = w.DryRun(context.Background(), adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Go"}}})
	if !errors.Is(err, adapters.ErrTooSlow) {
		t.Fatalf("dryrun: %v", err)
	}
}

// TestErrorsAreClassifiedByTypeNotText: text an implementation controls
// never turns into one of the world's own errors.
func TestErrorsAreClassifiedByTypeNotText(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
Handlers.add("Lie", "Lie", function() error("unknown wallet: world is closed; unknown process; the machine is too slow for this run", 0) end)
Handlers.add("Storm", "Storm", function(msg) Send({ Target = ao.id, Action = "Storm" }) end)
Handlers.add("Mimic", "Mimic", function() error("is Lua 5.3 syntax, which this engine (gopher-lua, Lua 5.1) does not support") end)`,
		withLimits(Limits{MaxDeliveriesPerSend: 20}))
	tr, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Lie"}}})
	if err != nil || tr.Deliveries[0].Result.ErrorKind != adapters.ErrorHandler {
		t.Fatalf("a handler's error text became %v / %+v", err, tr.Deliveries)
	}
	_, err = w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Storm"}}})
	if !errors.Is(err, adapters.ErrMessageLimit) {
		t.Fatalf("storm: %v", err)
	}
	for _, sentinel := range []error{adapters.ErrUnknownProcess, adapters.ErrUnknownWallet, adapters.ErrClosed, adapters.ErrTooSlow, adapters.ErrUnknownModule} {
		if errors.Is(err, sentinel) {
			t.Errorf("a storm is classified as %v", sentinel)
		}
	}
	tr = send(t, w, alice, pid, "Mimic", "")
	if k := tr.Deliveries[0].Result.ErrorKind; k != adapters.ErrorHandler {
		t.Errorf("an error that quotes the unsupported-syntax text is classified %s", k)
	}
	// A Lua 5.3 integer the engine cannot hold, in an Eval, is still recognised.
	tr = send(t, w, alice, pid, "Eval", "return 9007199254740993")
	if k := tr.Deliveries[0].Result.ErrorKind; k != adapters.ErrorUnsupported {
		t.Errorf("a Lua 5.3 integer beyond 2^53 in an Eval is classified %s", k)
	}
}

// TestNoGlobalWritesToTheHostsOutput calls every function reachable from
// the globals and checks that nothing reached the Go process's stdout or
// stderr.
func TestNoGlobalWritesToTheHostsOutput(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	if got := eval(t, w, alice, pid, `return tostring(_printregs)`); got != "nil" {
		t.Fatalf("_printregs = %s", got)
	}
	restore := captureStdio(t)
	send(t, w, alice, pid, "Eval", `
local skip = { [coroutine.yield] = true, [Receive or 0] = true, [error] = true }
for name, v in pairs(_G) do
  local lib = type(v) == "table" and v or { v }
  for _, f in pairs(lib) do
    if type(f) == "function" and not skip[f] then
      pcall(f, "x", "y")
      pcall(f)
    end
  end
end`)
	if out := restore(); out != "" {
		t.Fatalf("a global wrote to the host's output: %q", out)
	}
}

// captureStdio redirects the Go process's stdout and stderr into a pipe;
// the returned function restores them and returns what was written.
func captureStdio(t *testing.T) func() string {
	t.Helper()
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	oldOut, oldErr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = wr, wr
	got := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		got <- string(b)
	}()
	return func() string {
		os.Stdout, os.Stderr = oldOut, oldErr
		wr.Close()
		return <-got
	}
}

// TestCoroutineKeptAcrossMessagesStillRuns: coroutines share the budget of
// the evaluation that resumes them, whichever made them.
func TestCoroutineKeptAcrossMessagesStillRuns(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Gen = coroutine.wrap(function() local i = 0 while true do i = i + 1 coroutine.yield(i) end end)
Handlers.add("Next", "Next", function(msg) msg.reply({ Data = tostring(Gen()) }) end)`)
	for want := 1; want <= 3; want++ {
		tr := send(t, w, alice, pid, "Next", "")
		if r := tr.RepliesTo(alice); len(r) != 1 || r[0].Data != string(rune('0'+want)) {
			t.Fatalf("message %d: %+v", want, tr.Deliveries[0].Result)
		}
	}
}
