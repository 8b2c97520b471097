package lua

import (
	"context"
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
