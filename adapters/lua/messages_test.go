package lua

import (
	"context"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
)

func TestAoSendShape(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	tr := send(t, w, alice, pid, "Eval", `
ao.send({ Target = "`+alice+`", Data = { b = 2, a = { 1, 2 } }, Action = "Out", Zeta = 3, Tags = { { name = "T1", value = "v1" } } })
Send({ Target = "`+alice+`", Data = "plain", Tags = { Beta = "b", Alpha = "a" } })`)
	msgs := tr.RepliesTo(alice)
	if len(msgs) != 2 {
		t.Fatalf("want 2 messages, got %+v", tr)
	}
	m := msgs[0]
	want := adapters.Tags{
		{Name: "Data-Protocol", Value: "ao"}, {Name: "Variant", Value: "ao.TN.1"}, {Name: "Type", Value: "Message"},
		// Content-Type is a root key of the caller's table once ao.send
		// encoded its Data, so it sorts with the other root keys.
		{Name: "Reference", Value: "1"}, {Name: "Action", Value: "Out"},
		{Name: "Content-Type", Value: "application/json"}, {Name: "Zeta", Value: "3"},
		{Name: "T1", Value: "v1"},
		{Name: "From-Process", Value: pid}, {Name: "From-Module", Value: testModuleID},
	}
	if len(m.Tags) != len(want) {
		t.Fatalf("tags %+v", m.Tags)
	}
	for i := range want {
		if m.Tags[i] != want[i] {
			t.Fatalf("tag %d: %+v, want %+v (all %+v)", i, m.Tags[i], want[i], m.Tags)
		}
	}
	if m.Data != `{"a":[1,2],"b":2}` {
		t.Fatalf("data %q", m.Data)
	}
	if m.Anchor != "00000000000000000000000000000001" {
		t.Fatalf("anchor %q", m.Anchor)
	}
	if m.From != pid || m.Owner != w.MessengerUnit() {
		t.Fatalf("from %q owner %q", m.From, m.Owner)
	}
	second := msgs[1]
	if second.Tags.Value("Reference") != "2" || second.Data != "plain" {
		t.Fatalf("second %+v", second)
	}
	if i, j := indexOf(second.Tags, "Alpha"), indexOf(second.Tags, "Beta"); i < 0 || j < 0 || i > j {
		t.Fatalf("map tags not sorted: %+v", second.Tags)
	}
}

func indexOf(tags adapters.Tags, name string) int {
	for i, tag := range tags {
		if tag.Name == name {
			return i
		}
	}
	return -1
}

func TestReplyCarriesXReference(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
Handlers.add("Ask", "Ask", function(msg) msg.reply({ Action = "Answer", Data = "42" }) end)`)
	tr := send(t, w, alice, pid, "Ask", "", adapters.Tag{Name: "Reference", Value: "7"})
	r := tr.RepliesTo(alice)
	if len(r) != 1 || r[0].Tags.Value("X-Reference") != "7" || r[0].Action() != "Answer" {
		t.Fatalf("reply %+v", r)
	}
	// X-Reference of the request wins over its Reference; Reply-To wins over From.
	bob, _ := w.Wallet("bob")
	tr = send(t, w, alice, pid, "Ask", "", adapters.Tag{Name: "Reference", Value: "8"},
		adapters.Tag{Name: "X-Reference", Value: "orig"}, adapters.Tag{Name: "Reply-To", Value: bob}, adapters.Tag{Name: "X-Origin", Value: "o"})
	r = tr.RepliesTo(bob)
	if len(r) != 1 || r[0].Tags.Value("X-Reference") != "orig" || r[0].Tags.Value("X-Origin") != "o" {
		t.Fatalf("reply to Reply-To %+v", tr.ToWallets)
	}
}

func TestForward(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
Handlers.add("Fwd", "Fwd", function(msg) msg.forward(msg.Tags.To, { Extra = "yes" }) end)`)
	bob, _ := w.Wallet("bob")
	tr := send(t, w, alice, pid, "Fwd", "payload", adapters.Tag{Name: "To", Value: bob}, adapters.Tag{Name: "Reference", Value: "3"})
	r := tr.RepliesTo(bob)
	if len(r) != 1 {
		t.Fatalf("forward %+v", tr)
	}
	f := r[0]
	if f.Data != "payload" || f.Action() != "Fwd" || f.Tags.Value("Extra") != "yes" ||
		f.Tags.Value("X-Reference") != "3" || f.Tags.Value("X-Origin") != alice || f.Tags.Value("Reply-To") != alice {
		t.Fatalf("forwarded %+v", f)
	}
}

func TestProcessToProcessDeliveryIsFIFO(t *testing.T) {
	w, alice, a := newTestWorld(t, `
Handlers.add("Start", "Start", function(msg)
  Send({ Target = msg.Tags.Peer, Action = "One" })
  Send({ Target = msg.Tags.Peer, Action = "Two" })
end)
Handlers.add("Ack", "Ack", function(msg) print("ack " .. msg.Data) end)`)
	b, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
	if err != nil {
		t.Fatal(err)
	}
	eval(t, w, alice, b, `Handlers.add("Any", { Action = { "One", "Two" } }, function(msg)
  msg.reply({ Action = "Ack", Data = msg.Action .. " from " .. msg.From .. " module " .. msg.Tags["From-Module"] .. " owner-is-mu " .. tostring(msg.Owner ~= msg.From) })
end)`)
	tr := send(t, w, alice, a, "Start", "", adapters.Tag{Name: "Peer", Value: b})
	var order []string
	for _, d := range tr.Deliveries {
		order = append(order, d.Message.Target[:4]+":"+d.Message.Action())
	}
	want := []string{a[:4] + ":Start", b[:4] + ":One", b[:4] + ":Two", a[:4] + ":Ack", a[:4] + ":Ack"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Fatalf("order %v, want %v", order, want)
	}
	if got := tr.Deliveries[3].Result.Output; got != "ack One from "+a+" module "+testModuleID+" owner-is-mu true" {
		t.Fatalf("ack output %q", got)
	}
	for i := 1; i < len(tr.Deliveries); i++ {
		if tr.Deliveries[i].Message.Timestamp != tr.Deliveries[i-1].Message.Timestamp+1 {
			t.Fatalf("clock does not advance 1ms per scheduled message: %d then %d", tr.Deliveries[i-1].Message.Timestamp, tr.Deliveries[i].Message.Timestamp)
		}
		if tr.Deliveries[i].Seq != tr.Deliveries[i-1].Seq+1 {
			t.Fatalf("seq not consecutive")
		}
	}
}

func TestMessageAsTheProcessSeesIt(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
Handlers.add("Look", "Look", function(msg)
  print(table.concat({ msg.Id, msg.From, msg.Owner, msg.Target, tostring(msg.Timestamp), tostring(msg["Block-Height"]),
    tostring(msg["Read-Only"]), msg.Color, msg.Tags.Color, msg.TagArray[1].name, tostring(msg.Type), tostring(os.time()),
    msg["Content-Type"], msg.Data.k, Owner, Name }, "|"))
end)`, func(o *Options, m *Module) { o.Clock = 5000 })
	tr := send(t, w, alice, pid, "Look", `{"k":"v"}`,
		adapters.Tag{Name: "Color", Value: "first"}, adapters.Tag{Name: "Color", Value: "last"},
		adapters.Tag{Name: "content_type", Value: "application/json"})
	d := tr.Deliveries[0]
	if d.Result.Failed() {
		t.Fatal(d.Result.Error)
	}
	parts := strings.Split(d.Result.Output, "|")
	want := []string{d.Message.ID, alice, alice, pid, "5001", "1500000", "false", "last", "first", "Data-Protocol", "nil", "5001", "application/json", "v", alice, "aos"}
	if len(parts) != len(want) {
		t.Fatalf("output %q", d.Result.Output)
	}
	for i := range want {
		if parts[i] != want[i] {
			t.Fatalf("field %d: %q, want %q (output %q)", i, parts[i], want[i], d.Result.Output)
		}
	}
}

func TestTagNamesAreNotNormalisedIn204(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
Handlers.add("Look", "Look", function(msg) print(tostring(msg["Content-Type"]) .. " " .. tostring(msg.content_type) .. " " .. type(msg.Data)) end)`,
		func(o *Options, m *Module) { m.Profile = ProfileAOS204 })
	tr := send(t, w, alice, pid, "Look", `{"k":"v"}`, adapters.Tag{Name: "content_type", Value: "application/json"})
	if got := tr.Deliveries[0].Result.Output; got != "nil application/json string" {
		t.Fatalf("2.0.4 output %q", got)
	}
}

func TestSpawnAndSpawnedNotice(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
Handlers.add("Make", "Make", function(msg)
  local s = Spawn("`+testModuleID+`", { Data = "child data", Tags = { Role = "child" } })
  print("spawn queued")
end)
Handlers.add("Spawned", "Spawned", function(msg)
  print("spawned " .. msg.Process .. " ref " .. msg.Reference .. " from-self " .. tostring(msg.From == ao.id))
end)`)
	tr := send(t, w, alice, pid, "Make", "")
	if len(tr.Spawned) != 1 {
		t.Fatalf("spawned %+v", tr)
	}
	child := tr.Spawned[0]
	if len(tr.Deliveries) != 3 {
		t.Fatalf("deliveries %+v", tr.Deliveries)
	}
	sm := tr.Deliveries[1].Message
	if sm.ID != child || sm.Data != "child data" || sm.Tags.Value("Type") != "Process" || sm.Tags.Value("Module") != testModuleID ||
		sm.Tags.Value("From-Process") != pid || sm.Tags.Value("Role") != "child" {
		t.Fatalf("spawn message %+v", sm)
	}
	if got := tr.Deliveries[2].Result.Output; got != "spawned "+child+" ref 1 from-self true" {
		t.Fatalf("notice output %q", got)
	}
	// The child's Owner is its spawner, and it trusts messages pushed to it.
	out := eval(t, w, alice, pid, `Send({ Target = "`+child+`", Action = "Eval", Data = "return Owner" })`)
	_ = out
	tr = w.Trace()
	last := tr.Deliveries[len(tr.Deliveries)-1]
	if last.Message.Target != child || last.Result.Output != pid || !last.Handled {
		t.Fatalf("child eval from spawner: %+v", last)
	}
}

func TestSpawnOfUnknownModuleIsRecorded(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("Make", "Make", function(msg) Spawn("no-such-module", {}) end)`)
	tr := send(t, w, alice, pid, "Make", "")
	if len(tr.Spawned) != 0 || len(tr.Deliveries) != 2 || tr.Deliveries[1].Handled || !strings.Contains(tr.Deliveries[1].Result.Error, "unknown module") {
		t.Fatalf("trace %+v", tr)
	}
	if _, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: "nope", From: alice}); err == nil || !errorsIs(err, adapters.ErrUnknownModule) {
		t.Fatalf("wallet spawn of unknown module: %v", err)
	}
}

func TestReceiveWaitsForAReply(t *testing.T) {
	w, alice, a := newTestWorld(t, `
Handlers.add("Ask", "Ask", function(msg)
  local answer = Send({ Target = msg.Tags.Peer, Action = "Question" }).receive()
  print("got " .. answer.Data)
  msg.reply({ Data = "answer was " .. answer.Data })
end)`)
	b, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
	if err != nil {
		t.Fatal(err)
	}
	eval(t, w, alice, b, `Handlers.add("Q", "Question", function(msg) msg.reply({ Data = "forty-two" }) end)`)
	tr := send(t, w, alice, a, "Ask", "", adapters.Tag{Name: "Peer", Value: b})
	r := tr.RepliesTo(alice)
	if len(r) != 1 || r[0].Data != "answer was forty-two" {
		t.Fatalf("receive flow: %+v", tr)
	}
}

func TestAssignDeliversAnExistingMessage(t *testing.T) {
	w, alice, a := newTestWorld(t, `
ao.addAssignable("notes", { Action = "Note" })
Handlers.add("Note", "Note", function(msg) print("noted " .. msg.Data .. " from " .. msg.From) end)
Handlers.add("Share", "Share", function(msg) ao.assign({ Processes = { msg.Tags.Peer }, Message = msg.Tags.Id }) end)`)
	b, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
	if err != nil {
		t.Fatal(err)
	}
	first := send(t, w, alice, a, "Note", "hello").Deliveries[0].Message
	tr := send(t, w, alice, a, "Share", "", adapters.Tag{Name: "Peer", Value: b}, adapters.Tag{Name: "Id", Value: first.ID})
	if len(tr.Deliveries) != 2 {
		t.Fatalf("deliveries %+v", tr.Deliveries)
	}
	d := tr.Deliveries[1]
	if d.Message.ID != first.ID || d.Message.Target != b || d.Result.Output != "noted hello from "+alice {
		t.Fatalf("assigned delivery %+v", d)
	}
}

func TestMessagesToUnknownTargetsLeaveTheWorld(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("Out", "Out", function(msg) Send({ Target = "somewhere-outside", Data = "bye" }) end)`)
	tr := send(t, w, alice, pid, "Out", "")
	if len(tr.ToWallets) != 1 || tr.ToWallets[0].Target != "somewhere-outside" || tr.ToWallets[0].From != pid || tr.ToWallets[0].ID == "" {
		t.Fatalf("%+v", tr)
	}
	if len(tr.Deliveries) != 1 {
		t.Fatalf("a message to a non-process was delivered: %+v", tr.Deliveries)
	}
}

func TestNameTagAndOwner(t *testing.T) {
	w, err := New(Options{Modules: map[string]Module{testModuleID: {Source: ``}}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	alice, _ := w.Wallet("alice")
	pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice, Tags: adapters.Tags{{Name: "Name", Value: "registry"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := eval(t, w, alice, pid, `return Name .. " " .. tostring(Owner == ao.env.Process.Owner) .. " " .. tostring(ao.id == "`+pid+`") .. " " .. Inbox[1].Id`); got != "registry true true "+pid {
		t.Fatalf("%q", got)
	}
}

func TestCallerTimestampIsKept(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("T", "T", function(msg) print(os.time() .. " " .. msg["Block-Height"]) end)`)
	tr, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Timestamp: 42, Tags: adapters.Tags{{Name: "Action", Value: "T"}}})
	if err != nil || tr.Deliveries[0].Result.Output != "42 1500000" {
		t.Fatalf("%v %+v", err, tr.Deliveries)
	}
	if d := send(t, w, alice, pid, "T", "").Deliveries[0]; d.Message.Timestamp != DefaultClock+2 {
		t.Fatalf("clock after a fixed timestamp: %d", d.Message.Timestamp)
	}
}

func TestUtilsReplyOnReplyAndSpawnReceive(t *testing.T) {
	w, alice, a := newTestWorld(t, `
Handlers.add("Hi", "Hi", Handlers.utils.reply("hello back"))
Handlers.add("Ask", "Ask", function(msg)
  Send({ Target = msg.Tags.Peer, Action = "Hi" }).onReply(function(r) print("onReply got " .. r.Data) end)
end)
Handlers.add("Make", "Make", function(msg)
  local notice = Spawn(ao._module, {}).receive()
  msg.reply({ Data = "made " .. notice.Process })
end)`)
	if r := send(t, w, alice, a, "Hi", "").RepliesTo(alice); len(r) != 1 || r[0].Data != "hello back" {
		t.Fatalf("utils.reply: %+v", r)
	}
	b, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
	if err != nil {
		t.Fatal(err)
	}
	tr := send(t, w, alice, a, "Ask", "", adapters.Tag{Name: "Peer", Value: b})
	last := tr.Deliveries[len(tr.Deliveries)-1]
	if last.Message.Target != a || last.Result.Output != "onReply got hello back" {
		t.Fatalf("onReply: %+v", tr.Deliveries)
	}
	tr = send(t, w, alice, a, "Make", "")
	r := tr.RepliesTo(alice)
	if len(tr.Spawned) != 1 || len(r) != 1 || r[0].Data != "made "+tr.Spawned[0] {
		t.Fatalf("Spawn().receive(): %+v", tr)
	}
}
