package lua

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// evalCases runs each code as an Eval and compares the printed output.
func evalCases(t *testing.T, w *World, owner, pid string, cases []struct{ code, want string }) {
	t.Helper()
	for _, c := range cases {
		if got := eval(t, w, owner, pid, c.code); got != c.want {
			t.Errorf("%s\n got %q, want %q", c.code, got, c.want)
		}
	}
}

// evalError runs code as an Eval that must fail and returns its error.
func evalError(t *testing.T, w *World, owner, pid, code string) string {
	t.Helper()
	d := send(t, w, owner, pid, "Eval", code).Deliveries[0]
	if !d.Result.Failed() {
		t.Fatalf("%s: succeeded with %q, want an error", code, d.Result.Output)
	}
	return d.Result.Error
}

var bothProfiles = []Profile{ProfileAOS204, ProfileCurrent}

func withProfile(p Profile) func(*Options, *Module) {
	return func(_ *Options, m *Module) { m.Profile = p }
}

// The globals every aos process has, in both profiles.
func TestAOSGlobals(t *testing.T) {
	for _, profile := range bothProfiles {
		t.Run(string(profile), func(t *testing.T) {
			w, alice, pid := newTestWorld(t, ``, withProfile(profile))
			evalCases(t, w, alice, pid, []struct{ code, want string }{
				// Utils is the .utils module: curried functional helpers.
				{`return tostring(Utils == require(".utils"))`, "true"},
				{`return table.concat(Utils.map(function(v) return v + 1 end)({1, 2}), ",")`, "2,3"},
				{`return Utils.reduce(function(a, b) return a .. b end, "", {"x", "y"})`, "xy"},
				{`return Utils.prop("a")({a = 7}) .. " " .. tostring(Utils.propEq("a", 7)({a = 7}))`, "7 true"},
				{`return Utils.normalize("content_type") .. " " .. Utils.capitalize("hELLO")`, "Content-Type Hello"},
				// Bell is the BEL character.
				{`return tostring(Bell == string.char(7))`, "true"},
				// Tab maps a tag array to name -> value, the first duplicate winning.
				{`local t = Tab({Tags = {{name = "A", value = "1"}, {name = "A", value = "2"}, {name = "B", value = "3"}}}) return t.A .. t.B`, "13"},
				// Prompt names the process, the aos version and the Inbox size.
				{`return (Prompt():gsub("\27%[%d+m", "")) .. #Inbox`, "aos@aos-2.0.4[Inbox:1]> 1"},
				// Version prints the aos process version.
				{`Version()`, "version: 2.0.4"},
				{`return type(Errors) .. " " .. tostring(Seeded) .. " " .. type(Handlers.coroutines)`, "table true table"},
				// HANDLER_PRINT_LOGS holds what this message printed.
				{`print("one") print("two") return #HANDLER_PRINT_LOGS .. HANDLER_PRINT_LOGS[1]`, "one\ntwo\n2one"},
				{`return Assign({Processes = {ao.id}, Message = "m"}) .. " " .. #ao.outbox.Assignments`, "Assignment added to outbox.\nAssignment added to outbox. 1"},
				// ao._version is aos's, and require("ao") gives ao.
				{`return ao._version .. " " .. tostring(require("ao") == ao)`, "0.0.6 true"},
				{`return type(ao.addAssignable) .. type(ao.removeAssignable) .. type(ao.isAssignable) .. type(ao.assignables)`, "functionfunctionfunctiontable"},
			})
			// Dump writes a Lua literal that reads back as the same value.
			evalCases(t, w, alice, pid, []struct{ code, want string }{
				{`return Dump({b = {1, "two"}, a = true, ["x y"] = 1.5})`, "{\n    a = true,\n    b = {\n        [1] = 1,\n        [2] = \"two\"\n    },\n    [\"x y\"] = 1.5\n}"},
				{`local v = load("return " .. Dump({k = {"a\nb", 3}, [2] = false}))() return v.k[1] .. v.k[2] .. tostring(v[2])`, "a\nb3false"},
				{`local t = {} t.self = t return Dump(t)`, "{\n    self = \"<Circular 1>\"\n}"},
			})
		})
	}
}

// ao.Nonce is the Nonce of the last message handled.
func TestAONonce(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("N", "N", function(msg) print(tostring(ao.Nonce) .. "/" .. tostring(msg.Nonce)) end)`)
	first := send(t, w, alice, pid, "N", "").Deliveries[0].Result.Output
	second := eval(t, w, alice, pid, `return ao.Nonce`)
	// The N message's nonce was current while it ran; after it ao.Nonce is it.
	parts := strings.Split(first, "/")
	if len(parts) != 2 || parts[1] == "nil" {
		t.Fatalf("N printed %q", first)
	}
	if second != parts[1] {
		t.Fatalf("ao.Nonce after the N message = %q, want %q", second, parts[1])
	}
}

// An Eval error is recorded in Errors (seen under the module policy; a
// Compute Unit discards the state of an erroring message).
func TestErrorsRecordsEvalErrors(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``, func(_ *Options, m *Module) { m.Policy = PolicyModule })
	evalError(t, w, alice, pid, `error("boom")`)
	if got := eval(t, w, alice, pid, `return #Errors .. " " .. tostring(Errors[1]:find("boom") ~= nil)`); got != "1 true" {
		t.Fatalf("Errors: %q", got)
	}
}

// Handlers.coroutines lists the handlers waiting in Receive.
func TestHandlersCoroutines(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("Wait", "Wait", function() Receive({Action = "Go"}) end)`)
	if got := eval(t, w, alice, pid, `return #Handlers.coroutines`); got != "0" {
		t.Fatalf("before: %q", got)
	}
	send(t, w, alice, pid, "Wait", "")
	if got := eval(t, w, alice, pid, `return #Handlers.coroutines .. " " .. coroutine.status(Handlers.coroutines[1])`); got != "1 suspended" {
		t.Fatalf("while waiting: %q", got)
	}
	send(t, w, alice, pid, "Go", "")
	if got := eval(t, w, alice, pid, `return #Handlers.coroutines`); got != "0" {
		t.Fatalf("after: %q", got)
	}
}

// Lua 5.3, which aos runs, has no loadstring, unpack, setfenv, getfenv or
// module: a process that uses them fails on AO, so it fails here too.
// What Lua 5.2 left that aos keeps (bit32, math.log10) is here.
func TestLua51NamesAbsent(t *testing.T) {
	for _, profile := range bothProfiles {
		t.Run(string(profile), func(t *testing.T) {
			w, alice, pid := newTestWorld(t, ``, withProfile(profile))
			evalCases(t, w, alice, pid, []struct{ code, want string }{
				{`return tostring(loadstring) .. tostring(unpack) .. tostring(setfenv) .. tostring(getfenv) .. tostring(module)`, "nilnilnilnilnil"},
				// Gone with them: Lua 5.1 compatibility that Lua 5.3 keeps only under LUA_COMPAT_5_1.
				{`return tostring(table.getn) .. tostring(table.maxn) .. tostring(string.gfind) .. tostring(math.mod) .. tostring(package.loaders) .. tostring(newproxy) .. tostring(package.seeall)`, "nilnilnilnilnilnilnil"},
				// Kept by LUA_COMPAT_5_2, with which aos is built.
				{`return type(math.log10) .. " " .. type(bit32.band) .. " " .. math.log10(100)`, "function function 2"},
				{`return type(package.searchers) .. " " .. type(require("json"))`, "table table"},
				{`return select(2, table.unpack({1, 2}))`, "2"},
				{`return Utils.compose(function(a, b) return a + b end, function(x) return x, x * 2 end)(3)`, "9"},
			})
			if e := evalError(t, w, alice, pid, `return unpack({1})`); !strings.Contains(e, "attempt to call") {
				t.Errorf("unpack: %s", e)
			}
		})
	}
}

// aos seeds .chance on the first message from its Block-Height followed
// by the byte sum of its Owner, Module and Id, sets Seeded, and makes
// math.random draw from .chance: a fresh process's draws are those of
// chance.seed with that number, and math.randomseed changes none of them.
func TestMathRandomSeed(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	sum := 0
	for _, b := range []byte(alice + testModuleID + pid) {
		sum += int(b)
	}
	seed := strconv.FormatInt(BlockHeight, 10) + strconv.Itoa(sum)
	code := `local a, b, c = math.random(), math.random(10), math.random(5, 6)
		math.randomseed(1)
		local d = math.random(1000000)
		local chance = require(".chance")
		chance.seed(` + seed + `)
		local x, y, z, v = chance.random(), chance.integer(1, 10), chance.integer(5, 6), chance.integer(1, 1000000)
		return tostring(Seeded and a == x and b == y and c == z and d == v)`
	if got := eval(t, w, alice, pid, code); got != "true" {
		t.Fatalf("math.random does not draw from .chance seeded with %s: %q", seed, got)
	}
	// Two processes of the same spawn draw the same numbers.
	w2, alice2, pid2 := newTestWorld(t, ``)
	w3, alice3, pid3 := newTestWorld(t, ``)
	draw := `return math.random(1000000) .. " " .. math.random()`
	if a, b := eval(t, w2, alice2, pid2, draw), eval(t, w3, alice3, pid3, draw); a != b {
		t.Fatalf("same spawn, different draws: %q and %q", a, b)
	}
}

// math.random keeps within its bounds and fails as aos's does: its bounds
// go to chance.integer unchecked by Lua's rules, which compares them.
// (TestMathRandomIsAosChanceOnEveryEngine in adapters/wasm pins the
// numbers and texts against real aos.)
func TestMathRandomArguments(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	evalCases(t, w, alice, pid, []struct{ code, want string }{
		{`local ok = true for i = 1, 200 do local r = math.random() ok = ok and r >= 0 and r < 1 end return tostring(ok)`, "true"},
		{`local seen = {} for i = 1, 300 do local r = math.random(3) seen[r] = true assert(r >= 1 and r <= 3 and r % 1 == 0) end return tostring(seen[1] and seen[2] and seen[3])`, "true"},
		{`for i = 1, 100 do local r = math.random(-2, 2) assert(r >= -2 and r <= 2 and r % 1 == 0) end return math.random(7, 7)`, "7"},
		{`local r = math.random(1, 2, 3) return tostring(r >= 0 and r < 1)`, "true"},
		{`return tostring(pcall(math.randomseed, 5))`, "true"},
	})
	for code, want := range map[string]string{
		`math.random(0)`:      `[string ".chance"]:201: max must bigger than min`,
		`math.random(5, 1)`:   `[string ".chance"]:201: max must bigger than min`,
		`math.random("x")`:    `[string ".chance"]:201: attempt to compare number with string`,
		`math.random({}, {})`: `[string ".chance"]:201: attempt to compare two table values`,
		// Two strings compare as strings, then fail in the arithmetic.
		`math.random("a", "b")`:  `[string ".chance"]:203: attempt to perform arithmetic on a string value (local 'max')`,
		`math.random("a", "5")`:  `[string ".chance"]:201: max must bigger than min`,
		`math.random("0", "b")`:  `[string ".chance"]:203: attempt to perform arithmetic on a string value (local 'max')`,
		`math.random("a", "b5")`: `[string ".chance"]:203: attempt to perform arithmetic on a string value (local 'max')`,
		`math.random("1x", "2")`: `[string ".chance"]:203: attempt to perform arithmetic on a string value (local 'min')`,
		`math.randomseed()`:      "bad argument #1 to 'randomseed' (number expected, got no value)",
	} {
		if e := evalError(t, w, alice, pid, code); !strings.Contains(e, want) {
			t.Errorf("%s: error %q, want %q", code, e, want)
		}
	}
}

// .chance is the reference 32-bit Mersenne Twister (MT19937).
func TestChanceIsMT19937(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	// The reference outputs for seed 5489, and the 10000th one (the value
	// C++11 requires of std::mt19937).
	evalCases(t, w, alice, pid, []struct{ code, want string }{
		{`local c = require(".chance") c.seed(5489) local out = {} for i = 1, 4 do out[i] = string.format("%d", c.random() * 4294967296) end return table.concat(out, " ")`, "3499211612 581869302 3890346734 3586334585"},
		{`local c = require(".chance") c.seed(5489) local r for i = 1, 10000 do r = c.random() end return string.format("%d", r * 4294967296)`, "4123659995"},
		{`local c = require(".chance") c.seed(1) return string.format("%d", c.random() * 4294967296)`, "1791095845"},
		{`local c = require(".chance") c.seed(42) local ok = true for i = 1, 100 do local r = c.integer(3, 5) ok = ok and r >= 3 and r <= 5 end return tostring(ok)`, "true"},
	})
}

// The process's module carries a real Module-Format, per profile.
func TestModuleFormat(t *testing.T) {
	for profile, want := range map[Profile]string{
		ProfileAOS204:  "wasm32-unknown-emscripten4",
		ProfileCurrent: "wasm64-unknown-emscripten-draft_2024_02_15",
	} {
		w, alice, pid := newTestWorld(t, ``, withProfile(profile))
		got := eval(t, w, alice, pid, `for _, tag in ipairs(ao.env.Module.Tags) do if tag.name == "Module-Format" then return tag.value end end`)
		if got != want {
			t.Errorf("%s: Module-Format %q, want %q", profile, got, want)
		}
	}
}

// os.date reads the message's Timestamp (in UTC), never the host clock;
// os.time() is that Timestamp in milliseconds, as aos gives it.
func TestOSDateFromTimestamp(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	// DefaultClock is 2023-11-14 22:13:20 UTC; the spawn took the first ms.
	evalCases(t, w, alice, pid, []struct{ code, want string }{
		{`return os.time()`, strconv.FormatInt(DefaultClock+1, 10)},
		{`return os.date("%Y-%m-%d %H:%M:%S")`, "2023-11-14 22:13:20"},
		{`return os.date("!%Y-%m-%dT%H:%M:%SZ")`, "2023-11-14T22:13:20Z"},
		{`return os.date()`, "Tue Nov 14 22:13:20 2023"},
		{`local t = os.date("*t") return t.year .. " " .. t.month .. " " .. t.day .. " " .. t.yday .. " " .. t.wday .. " " .. tostring(t.isdst)`, "2023 11 14 318 3 false"},
		{`return os.date("%c", 0)`, "Thu Jan  1 00:00:00 1970"},
		{`return os.date("%j %a %A %b %B %p %I %y %e %D %%", 86400 * 59)`, "060 Sun Sunday Mar March AM 12 70  1 03/01/70 %"},
	})
	if e := evalError(t, w, alice, pid, `return os.date("%Q")`); !strings.Contains(e, "invalid conversion specifier '%Q'") {
		t.Errorf("os.date(%%Q): %s", e)
	}
	// A later message reads a later time.
	before := eval(t, w, alice, pid, `return os.time()`)
	res, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Timestamp: DefaultClock + 86_400_000, Data: `return os.date("%F")`, Tags: adapters.Tags{{Name: "Action", Value: "Eval"}}})
	if err != nil || res.Deliveries[0].Result.Output != "2023-11-15" {
		t.Fatalf("a day later (after %s): %v %+v", before, err, res.Deliveries[0].Result)
	}
}

// The generator's state is process state: a dryrun or an erroring message
// (under the CU policy) that draws leaves the next draw as it was.
func TestMathRandomStateRollsBack(t *testing.T) {
	draw := `return math.random(1000000) .. " " .. math.random()`
	w, alice, pid := newTestWorld(t, ``)
	if res := dry(t, w, alice, pid, `for i = 1, 700 do math.random() end return 1`); res.Failed() {
		t.Fatalf("dryrun: %s", res.Error)
	}
	evalError(t, w, alice, pid, `for i = 1, 700 do math.random() end error("undone")`)
	got := eval(t, w, alice, pid, draw)
	w2, alice2, pid2 := newTestWorld(t, ``)
	// The first world sent one more message (the failed Eval): same seed,
	// since the seed comes from the spawn message only.
	if want := eval(t, w2, alice2, pid2, draw); got != want {
		t.Fatalf("after a dryrun and an undone message: %q, want %q", got, want)
	}
}
