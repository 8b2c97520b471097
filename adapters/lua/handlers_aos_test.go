package lua

import (
	"context"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
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

// Pattern matching as aos 2.0.4 and 2.0.6 do it (issue 12 §2): a string
// pattern compares with Action exactly in both; a table pattern folds case
// on 2.0.6 only, Lua patterns included (both the value and the pattern are
// lower-cased, so "^%D+$" is read as "^%d+$"); both read a key on the root
// of msg and in msg.Tags and match against both values; on 2.0.4 a Lua
// pattern and a key present on only one of them make string.match raise,
// 2.0.6 reads the missing value as "" (TestTablePatternsAreAos in
// adapters/wasm checks it on real aos).
func TestPatternMatchingPerProfile(t *testing.T) {
	pat := func(p string) string {
		return `Handlers.add("a", ` + p + `, function() print("ran:a") end)`
	}
	cases := []struct {
		name    string
		profile Profile
		setup   string
		tags    adapters.Tags
		want    string // handlers that ran
		wantErr string
	}{
		{"2.0.6: string pattern is exact", ProfileCurrent, pat(`"Ping"`), adapters.Tags{{Name: "Action", Value: "ping"}}, "default", ""},
		{"2.0.4: string pattern is exact", ProfileAOS204, pat(`"Ping"`), adapters.Tags{{Name: "Action", Value: "ping"}}, "default", ""},
		{"2.0.6: string pattern, same case", ProfileCurrent, pat(`"Ping"`), adapters.Tags{{Name: "Action", Value: "Ping"}}, "a", ""},
		{"2.0.6: table value folds case", ProfileCurrent, pat(`{ Action = "Ping" }`), adapters.Tags{{Name: "Action", Value: "PING"}}, "a", ""},
		{"2.0.4: table value is exact", ProfileAOS204, pat(`{ Action = "Ping" }`), adapters.Tags{{Name: "Action", Value: "PING"}}, "default", ""},
		{"2.0.6: Lua pattern folds case", ProfileCurrent, pat(`{ Color = "^R.D$" }`), adapters.Tags{{Name: "Color", Value: "red"}}, "a", ""},
		{"2.0.4: Lua pattern is exact", ProfileAOS204, pat(`{ Color = "^R.D$" }`), adapters.Tags{{Name: "Color", Value: "red"}}, "default", ""},
		{"2.0.6: %D is lower-cased to %d", ProfileCurrent, pat(`{ Amount = "^%D+$" }`), adapters.Tags{{Name: "Amount", Value: "123"}}, "a", ""},
		{"2.0.6: %D lower-cased no longer takes letters", ProfileCurrent, pat(`{ Amount = "^%D+$" }`), adapters.Tags{{Name: "Amount", Value: "abc"}}, "default", ""},
		{"2.0.4: %D takes letters", ProfileAOS204, pat(`{ Amount = "^%D+$" }`), adapters.Tags{{Name: "Amount", Value: "abc"}}, "a", ""},
		{"2.0.4: %D refuses digits", ProfileAOS204, pat(`{ Amount = "^%D+$" }`), adapters.Tags{{Name: "Amount", Value: "123"}}, "default", ""},
		{"2.0.4: key missing on root and tags does not match", ProfileAOS204, pat(`{ Color = "^r" }`), nil, "default", ""},
		{"2.0.4: key on the root only makes match raise", ProfileAOS204, pat(`{ From = "^%w" }`), nil, "", "bad argument #1 to 'match'"},
		{"2.0.6: key on the root only matches", ProfileCurrent, pat(`{ From = "^%w" }`), nil, "a", ""},
		{"2.0.4: a tag kept off the root matches through msg.Tags", ProfileAOS204, pat(`{ Type = "Message" }`), nil, "a", ""},
		{"2.0.6: a tag kept off the root matches through msg.Tags", ProfileCurrent, pat(`{ Type = "Message" }`), nil, "a", ""},
		{"2.0.6: a number spec never matches", ProfileCurrent, pat(`{ Amount = 5 }`), adapters.Tags{{Name: "Amount", Value: "5"}}, "default", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, alice, pid := newTestWorld(t, c.setup, func(o *Options, m *Module) { m.Profile = c.profile })
			d := send(t, w, alice, pid, "", "", c.tags...).Deliveries[0]
			if c.wantErr != "" {
				if d.Result.ErrorKind != adapters.ErrorHandler || !strings.Contains(d.Result.Error, c.wantErr) {
					t.Fatalf("want a handler error with %q, got %s %q", c.wantErr, d.Result.ErrorKind, d.Result.Error)
				}
				return
			}
			if d.Result.Failed() {
				t.Fatalf("failed: %s", d.Result.Error)
			}
			if got := ran(d); got != c.want {
				t.Fatalf("ran %q, want %q", got, c.want)
			}
		})
	}
}

// How often aos calls a pattern: handlers.evaluate calls a function pattern
// once per message; a function inside a table pattern is called twice,
// with the root value, then with the msg.Tags value, on both versions
// (TestPatternCallsAreAos in adapters/wasm checks it on real aos).
func TestPatternCallsPerMessage(t *testing.T) {
	const module = `
		FnCalls, ValueCalls, Seen = 0, 0, {}
		Handlers.add("fn", function(m) FnCalls = FnCalls + 1 return "continue" end, function() end)
		Handlers.add("value", { Color = function(v) ValueCalls = ValueCalls + 1 Seen[#Seen + 1] = tostring(v) return v == "red" end }, function() end)`
	perProfile(t, module, map[Profile]string{ProfileCurrent: "1 2 red,red", ProfileAOS204: "1 2 red,red"},
		func(t *testing.T, w *World, alice, pid string) string {
			send(t, w, alice, pid, "", "", adapters.Tag{Name: "Color", Value: "red"})
			return eval(t, w, alice, pid, `return FnCalls .. " " .. ValueCalls .. " " .. table.concat(Seen, ",")`)
		})
}

// perProfile runs check on a fresh process of module under each profile and
// compares what it returns with that profile's answer in want.
func perProfile(t *testing.T, module string, want map[Profile]string, check func(t *testing.T, w *World, alice, pid string) string) {
	for _, profile := range []Profile{ProfileCurrent, ProfileAOS204} {
		t.Run(string(profile), func(t *testing.T) {
			w, alice, pid := newTestWorld(t, module, func(o *Options, m *Module) { m.Profile = profile })
			if got := check(t, w, alice, pid); got != want[profile] {
				t.Fatalf("got %q, want %q", got, want[profile])
			}
		})
	}
}

// hasMatchingTagOf answers 0, not false, when no value matches, and the
// match of hasMatchingTag otherwise; continue turns any match into 1.
func TestHandlersUtilsResults(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	evalCases(t, w, alice, pid, []struct{ code, want string }{
		{`return Handlers.utils.hasMatchingTagOf("Color", {"red", "blue"})({ Tags = { Color = "green" } })`, "0"},
		{`return Handlers.utils.hasMatchingTagOf("Color", {"red", "blue"})({ Tags = { Color = "blue" } })`, "true"},
		{`return Handlers.utils.continue(function() return "break" end)({})`, "1"},
		{`return Handlers.utils.continue(function() return 0 end)({})`, "0"},
	})
}

// Tag names on aos 2.0.6 are normalised: "_" becomes "-", each part starts
// upper-case and the rest is lower-case; the raw name is left nowhere (not
// on msg, not in msg.Tags, not in msg.TagArray). aos 2.0.4 keeps the names
// as sent.
func TestTagNamesPerProfile(t *testing.T) {
	const module = `
		Handlers.add("show", { Action = "Show" }, function(m)
			local names = {}
			for _, tag in ipairs(m.TagArray) do names[#names + 1] = tag.name end
			print(table.concat(names, ",") .. "|" .. tostring(m.TokenId) .. " " .. tostring(m.Tokenid) ..
				" " .. tostring(m.Tags.SDK) .. " " .. tostring(m.Tags.Sdk) .. " " .. tostring(m["Content-Type"]) ..
				" " .. tostring(m.content_type))
		end)`
	tags := adapters.Tags{{Name: "TokenId", Value: "t"}, {Name: "SDK", Value: "s"}, {Name: "content_type", Value: "c"}}
	perProfile(t, module, map[Profile]string{
		ProfileCurrent: "Data-Protocol,Variant,Type,Action,Tokenid,Sdk,Content-Type|nil t nil s c nil",
		ProfileAOS204:  "Data-Protocol,Variant,Type,Action,TokenId,SDK,content_type|t nil s nil nil c",
	}, func(t *testing.T, w *World, alice, pid string) string {
		return send(t, w, alice, pid, "Show", "", tags...).Deliveries[0].Result.Output
	})
	w, alice, pid := newTestWorld(t, ``)
	evalCases(t, w, alice, pid, []struct{ code, want string }{
		{`return Utils.normalize("x-REFERENCE") .. " " .. Utils.normalize("reply_to") .. " " .. Utils.normalize("ID") .. " " .. Utils.normalize("9lives-a")`, "X-Reference Reply-To Id 9lives-A"},
	})
}

// A message whose Target is another process reaches a process only by
// assignment; aos refuses it ("Assignment is not trusted!", and a reply to
// its sender) unless an assignable matches it. ao.removeAssignable takes
// the permission back.
func TestAssignmentsNeedAnAssignable(t *testing.T) {
	w, alice, a := newTestWorld(t, `
Handlers.add("Note", "Note", function(msg) print("noted " .. msg.Data .. " for " .. msg.Target) end)
Handlers.add("Share", "Share", function(msg) ao.assign({ Processes = { msg.Tags.Peer }, Message = msg.Tags.Id }) end)`)
	b, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
	if err != nil {
		t.Fatal(err)
	}
	note := send(t, w, alice, a, "Note", "hello").Deliveries[0].Message
	share := func() adapters.Delivery {
		t.Helper()
		tr := send(t, w, alice, a, "Share", "", adapters.Tag{Name: "Peer", Value: b}, adapters.Tag{Name: "Id", Value: note.ID})
		if len(tr.Deliveries) != 2 {
			t.Fatalf("deliveries %+v", tr.Deliveries)
		}
		return tr.Deliveries[1]
	}
	refused := func(d adapters.Delivery) {
		t.Helper()
		want := "Assignment is not trusted! From: " + alice + " - Owner: " + alice
		if d.Handled || d.Result.Output != want || len(d.Result.Messages) != 1 ||
			d.Result.Messages[0].Target != alice || d.Result.Messages[0].Data != "Assignment is not trusted by this process!" {
			t.Fatalf("want the assignment refused, got %+v", d)
		}
	}
	refused(share())
	eval(t, w, alice, b, `ao.addAssignable("notes", { Action = "Note" })`)
	if d := share(); !d.Handled || d.Result.Output != "noted hello for "+a {
		t.Fatalf("assignable: %+v", d)
	}
	if got := eval(t, w, alice, b, `ao.removeAssignable("notes") return #ao.assignables`); got != "0" {
		t.Fatalf("assignables left: %q", got)
	}
	refused(share())
}
