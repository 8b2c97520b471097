package wasm

import (
	"context"
	"path"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
)

// onAosVersions is onEveryAosEngine with an answer per aos version: want204
// on the aos-2.0.4 profile and real aos 2.0.4 (wasm32), want206 on the
// current profiles, our own module and real aos 2.0.6 (wasm64). check gets
// a spawned process and returns what is compared.
func onAosVersions(t *testing.T, src, want204, want206 string, check func(t *testing.T, w adapters.World, alice, pid string, v206 bool) string) {
	t.Helper()
	onEveryAosEngine(t, src, func(t *testing.T, w adapters.World) {
		name := path.Base(t.Name())
		v206 := name != "aos-2.0.4" && name != "real_aos_wasm32"
		want := want204
		if v206 {
			want = want206
		}
		alice, _ := w.Wallet("alice")
		pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
		require.NoError(t, err)
		require.Equal(t, want, check(t, w, alice, pid, v206))
	})
}

// patternCallsProbe counts the calls of a function pattern and of a
// function inside a table pattern, and what the latter was given.
const patternCallsProbe = `
FnCalls, ValueCalls, Seen = 0, 0, {}
Handlers.add("fn", function(m) if m.Tags.Color then FnCalls = FnCalls + 1 end return "continue" end, function() end)
Handlers.add("value", { Color = function(v) ValueCalls = ValueCalls + 1 Seen[#Seen + 1] = tostring(v) return v == "red" end }, function() end)
`

// TestPatternCallsAreAos states how often aos calls a pattern for one
// message, on the engines and real aos (the Lua engine's
// TestPatternCallsPerMessage holds the same answers): a function pattern
// once, a function inside a table pattern twice (with the root value, then
// with the msg.Tags value), on 2.0.4 and 2.0.6 alike.
func TestPatternCallsAreAos(t *testing.T) {
	onAosVersions(t, patternCallsProbe, "1 2 red,red", "1 2 red,red", func(t *testing.T, w adapters.World, alice, pid string, _ bool) string {
		send(t, w, alice, pid, "", "", adapters.Tag{Name: "Color", Value: "red"})
		return evalOn(t, w, alice, pid, `return FnCalls .. " " .. ValueCalls .. " " .. table.concat(Seen, ",")`)
	})
}

// tablePatternsProbe records which table patterns match a message and what
// a function spec is given. Every handler goes on (continue), so each is
// tried.
const tablePatternsProbe = `
Matched, Seen = {}, {}
local function on(name, spec)
  Handlers.add(name, Handlers.utils.continue(spec), function() Matched[#Matched + 1] = name end)
end
on("fn", { Color = function(v) Seen[#Seen + 1] = tostring(v) return false end })
on("protocol", { ["Data-Protocol"] = "ao" })
on("protocol-case", { ["Data-Protocol"] = "AO" })
on("last", { Color = "Blue" })
on("first", { Color = "Red" })
on("case", { Color = "red" })
on("cron-false", { Cron = false })
`

// tablePatternsProbe206 adds the patterns that raise on aos 2.0.4 (a Lua
// pattern tested against the root's missing value): on 2.0.6 the missing
// value reads as "" and both are lower-cased.
const tablePatternsProbe206 = `
on("protocol-pattern", { ["Data-Protocol"] = "^AO$" })
on("protocol-empty", { ["Data-Protocol"] = "^$" })
return 1`

// TestTablePatternsAreAos states how aos matches a table pattern: the key
// is read on the root of msg and in msg.Tags, on 2.0.4 and 2.0.6 alike, and
// the key matches if either value does. So a tag only msg.Tags holds
// (Data-Protocol) matches, a duplicate tag matches by its last value (the
// root's) and its first (msg.Tags'), and a function spec is called with
// both. 2.0.6 lower-cases value and spec; false (Cron) is absent.
func TestTablePatternsAreAos(t *testing.T) {
	onAosVersions(t, "", "Blue,Red | protocol,last,first", "Blue,Red | protocol,protocol-case,last,first,case,protocol-pattern,protocol-empty",
		func(t *testing.T, w adapters.World, alice, pid string, v206 bool) string {
			src := tablePatternsProbe
			if v206 {
				src += tablePatternsProbe206
			}
			evalOn(t, w, alice, pid, src)
			send(t, w, alice, pid, "", "", adapters.Tag{Name: "Color", Value: "Red"}, adapters.Tag{Name: "Color", Value: "Blue"})
			return evalOn(t, w, alice, pid, `return table.concat(Seen, ",") .. " | " .. table.concat(Matched, ",")`)
		})
}
