package lua

import (
	"context"
	"strings"
	"testing"

	glua "github.com/yuin/gopher-lua"

	"github.com/mostao/conformance/adapters"
)

// forEachHash must give exactly what LTable.Next gives after the array
// part, in the same order: deleted keys skipped, keys set again kept at
// their first place, numbers past the array part and other key types too.
func TestForEachHashIsNextsOrder(t *testing.T) {
	L := glua.NewState()
	defer L.Close()
	if err := L.DoString(`
T = { 10, 20, 30 }
T.b = 1; T.a = 2; T[100] = 3; T[true] = 4; T.c = 5
T.a = nil; T.d = 6; T.a = 7; T[2.5] = 8; T[100] = nil
E = {}
G = { x = 1 }; G.x = nil
`); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"T", "E", "G"} {
		tb := L.GetGlobal(name).(*glua.LTable)
		var want, got []glua.LValue
		for k, v := tb.Next(hashStart(tb.MaxN())); k != glua.LNil; k, v = tb.Next(k) {
			want = append(want, k, v)
		}
		forEachHash(tb, func(k, v glua.LValue) { got = append(got, k, v) })
		if len(got) != len(want) {
			t.Fatalf("%s: forEachHash gave %v, Next %v", name, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: forEachHash gave %v, Next %v", name, got, want)
			}
		}
	}
	if !keysFound {
		t.Log("gopher-lua's key slice was not found: forEachHash fell back to Next")
	}
}

// A dryrun and a rollback leave a table's entries and its pairs order as
// they were, however the evaluation changed them.
func TestRestoreKeepsPairsOrder(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
T = {}
for _, k in ipairs({ "k", "e", "y", "s" }) do T[k] = k end
T.e = nil
function order() local o = {} for k in pairs(T) do o[#o + 1] = k end return table.concat(o, ",") end
Handlers.add("Mess", "Mess", function(msg)
  T.k = nil; T.z = "z"; T.e = "e"; T.y = nil
  if msg.Data == "fail" then error("undo") end
  print(order())
end)
Handlers.add("Order", "Order", function() print(order()) end)`)
	want := "k,y,s"
	ctx := context.Background()
	for _, data := range []string{"dry", "fail"} {
		if data == "dry" {
			res, err := w.DryRun(ctx, adapters.Message{From: alice, Target: pid, Data: data, Tags: adapters.Tags{{Name: "Action", Value: "Mess"}}})
			if err != nil || res.Output != "e,s,z" {
				t.Fatalf("dryrun: %v %q", err, res.Output)
			}
		} else {
			send(t, w, alice, pid, "Mess", data)
		}
		if got := send(t, w, alice, pid, "Order", "").Deliveries[0].Result.Output; got != want {
			t.Fatalf("after a %s: pairs order %q, want %q", data, got, want)
		}
	}
}

// A table made by newKeyedTable behaves as one made by CreateTable: the
// same entries in the same pairs order, through more keys than its room,
// deletions and keys set again.
func TestKeyedTableIsATable(t *testing.T) {
	L := glua.NewState()
	defer L.Close()
	keyed, plain := newKeyedTable(L, 0, 2), L.CreateTable(0, 2)
	for _, tb := range []*glua.LTable{keyed, plain} {
		tb.RawSetString("name", glua.LString("n"))
		tb.RawSetString("value", glua.LString("v"))
		L.SetGlobal("T", tb)
		if err := L.DoString(`
for i = 1, 20 do T["k" .. i] = i end
T.name = nil; T.k3 = nil; T[1] = "one"; T[true] = 1; T.name = "again"; T.k3 = 3
`); err != nil {
			t.Fatal(err)
		}
	}
	var want, got []glua.LValue
	for k, v := plain.Next(glua.LNil); k != glua.LNil; k, v = plain.Next(k) {
		want = append(want, k, v)
	}
	for k, v := keyed.Next(glua.LNil); k != glua.LNil; k, v = keyed.Next(k) {
		got = append(got, k, v)
	}
	if len(got) != len(want) || len(got) != 2*24 {
		t.Fatalf("newKeyedTable's table holds %v, CreateTable's %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("newKeyedTable's table holds %v, CreateTable's %v", got, want)
		}
	}
}

// Tables the engine fills from Go must list their keys in the same order
// in every process: pairs gives the order keys were set in, and filling a
// table by ranging over a Go map set them in an order that changed from
// run to run (bint, bit32 and .chance did). Ten processes list every
// table reachable from the globals and the modules aos code requires.
func TestPairsOrderOfTheRuntimeIsFixed(t *testing.T) {
	const walk = `
local mods = { ".bint", ".chance", ".crypto", ".base64", "json", ".utils", ".stringify", ".pretty", ".handlers-utils" }
for _, m in ipairs(mods) do pcall(require, m) end
Bint256 = require(".bint")(256)
local seen, out = {}, {}
local function list(tbl, path)
  if seen[tbl] then return end
  seen[tbl] = true
  for k, v in pairs(tbl) do
    local name = (type(k) == "string" or type(k) == "number") and tostring(k) or "<" .. type(k) .. ">"
    out[#out + 1] = path .. "." .. name
    if type(v) == "table" then list(v, path .. "." .. name) end
  end
end
list(_G, "_G")
list(package.loaded, "loaded")
print(#out, table.concat(out, " "))`
	var first string
	for i := range 10 {
		w, alice, pid := newTestWorld(t, "")
		got := eval(t, w, alice, pid, walk)
		if i == 0 {
			first = got
			continue
		}
		if got != first {
			a, b := strings.Fields(got), strings.Fields(first)
			for j := range min(len(a), len(b)) {
				if a[j] != b[j] {
					t.Fatalf("process %d lists the runtime's tables in another order than process 0: entry %d is %s, was %s", i, j, a[j], b[j])
				}
			}
			t.Fatalf("process %d lists %d entries, process 0 %d", i, len(a), len(b))
		}
	}
}
