package lua

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
)

const policyProbe = `
local hidden = 0
Visible = 0
Handlers.add("Fail", "Fail", function(msg)
  hidden = hidden + 1
  Visible = Visible + 1
  Send({ Target = msg.From, Action = "Queued-Before-Error" })
  error("failing on purpose")
end)
Handlers.add("Show", "Show", function(msg) print(hidden .. " " .. Visible) end)
`

func TestHandlerErrorDropsMessagesAndFollowsPolicy(t *testing.T) {
	for _, c := range []struct {
		policy StatePolicy
		want   string
	}{{PolicyCU, "0 0"}, {PolicyModule, "1 1"}, {"", "0 0"}} {
		t.Run(string(c.policy), func(t *testing.T) {
			w, alice, pid := newTestWorld(t, policyProbe, func(o *Options, m *Module) { m.Policy = c.policy })
			tr := send(t, w, alice, pid, "Fail", "")
			d := tr.Deliveries[0]
			if d.Result.ErrorKind != adapters.ErrorHandler || !strings.Contains(d.Result.Error, "failing on purpose") {
				t.Fatalf("result %+v", d.Result)
			}
			if len(d.Result.Messages) != 0 || len(tr.ToWallets) != 0 || len(tr.Deliveries) != 1 {
				t.Fatalf("messages queued before the error were not dropped: %+v", tr)
			}
			if got := send(t, w, alice, pid, "Show", "").Deliveries[0].Result.Output; got != c.want {
				t.Fatalf("state after error %q, want %q", got, c.want)
			}
		})
	}
}

func TestRollbackReplaysAfterManyMessages(t *testing.T) {
	// More kept messages than checkpointEvery, then an error: the rollback
	// restores the last snapshot and replays what came after it.
	w, alice, pid := newTestWorld(t, `
local n = 0
Items = {}
Handlers.add("Add", "Add", function(msg) n = n + 1; Items[#Items + 1] = msg.Data end)
Handlers.add("Fail", "Fail", function() n = n + 1000; Items = {}; error("x") end)
Handlers.add("Show", "Show", function() print(n .. " " .. #Items .. " " .. tostring(Items[#Items])) end)`)
	for i := 0; i < checkpointEvery+5; i++ {
		send(t, w, alice, pid, "Add", "item")
	}
	send(t, w, alice, pid, "Fail", "")
	want := "37 37 item"
	if got := send(t, w, alice, pid, "Show", "").Deliveries[0].Result.Output; got != want {
		t.Fatalf("after rollback %q, want %q", got, want)
	}
}

func TestInvalidJSONDataIsACrash(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Count = 0
Handlers.add("J", "J", function(msg) Count = Count + 1 end)`)
	for _, data := range []string{"{not json", ""} {
		d := send(t, w, alice, pid, "J", data, adapters.Tag{Name: "Content-Type", Value: "application/json"}).Deliveries[0]
		if d.Result.ErrorKind != adapters.ErrorCrash {
			t.Fatalf("data %q: %+v", data, d.Result)
		}
	}
	if got := eval(t, w, alice, pid, "return Count"); got != "0" {
		t.Fatalf("Count %q", got)
	}
	d := send(t, w, alice, pid, "J", `{"ok":true}`, adapters.Tag{Name: "Content-Type", Value: "application/json"}).Deliveries[0]
	if d.Result.Failed() {
		t.Fatalf("valid JSON: %+v", d.Result)
	}
}

func TestErrorWithATableIsACrash(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("T", "T", function() error({ code = 1 }) end)`)
	d := send(t, w, alice, pid, "T", "").Deliveries[0]
	if d.Result.ErrorKind != adapters.ErrorCrash || !strings.Contains(d.Result.Error, "table") {
		t.Fatalf("%+v", d.Result)
	}
}

func TestSpawnErrorUnderCUKeepsFailing(t *testing.T) {
	src := `Ready = true
error("cannot start")`
	for _, c := range []struct {
		policy StatePolicy
		broken bool
	}{{PolicyCU, true}, {PolicyModule, false}} {
		t.Run(string(c.policy), func(t *testing.T) {
			w, err := New(Options{Modules: map[string]Module{testModuleID: {Name: "bad.lua", Source: src, Policy: c.policy}}})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			alice, _ := w.Wallet("alice")
			pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
			if !errors.Is(err, ErrSpawnFailed) || pid == "" || !strings.Contains(err.Error(), "cannot start") {
				t.Fatalf("spawn: %q %v", pid, err)
			}
			d := send(t, w, alice, pid, "Eval", "return tostring(Ready)").Deliveries[0]
			if c.broken {
				if !d.Result.Failed() || !strings.Contains(d.Result.Error, "cannot start") || d.Handled {
					t.Fatalf("a process whose spawn failed under cu must keep failing: %+v", d)
				}
			} else if d.Result.Failed() || d.Result.Output != "true" {
				t.Fatalf("under module policy the process keeps what ran: %+v", d)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	cases := []struct {
		src, want string
		kind      adapters.ErrorKind
	}{
		{"local x = 1\nlocal y = 9007199254740993", "bad.lua:2: an integer literal beyond 2^53", adapters.ErrorUnsupported},
		{"local a = 1\nlocal b = 1 << 60", "bad.lua:2: the bitwise operator '<<' gives 1152921504606846976, beyond 2^53", adapters.ErrorUnsupported},
		{"local a = 1\nlocal b = (2^60) & 1", "bad.lua:2: the bitwise operator '&' on 1152921504606846976, beyond 2^53", adapters.ErrorUnsupported},
		{"local s = '//' .. [[ a & b ]] -- a | b\nlocal x = = 1", "bad.lua:2: unexpected symbol near '='", adapters.ErrorCrash},
		{"local s = 'a\\q'", "bad.lua:1: invalid escape sequence", adapters.ErrorCrash},
		{"function (", "does not compile", adapters.ErrorCrash},
	}
	for _, c := range cases {
		w, err := New(Options{Modules: map[string]Module{testModuleID: {Name: "bad.lua", Source: c.src}}})
		if err != nil {
			t.Fatal(err)
		}
		alice, _ := w.Wallet("alice")
		_, err = w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
		tr := w.Trace()
		w.Close()
		if err == nil || len(tr.Deliveries) != 1 {
			t.Fatalf("%q: spawn err %v", c.src, err)
		}
		r := tr.Deliveries[0].Result
		if r.ErrorKind != c.kind || !strings.Contains(r.Error, c.want) {
			t.Errorf("%q: got %s %q, want %s containing %q", c.src, r.ErrorKind, r.Error, c.kind, c.want)
		}
	}
}

func TestEvalOfLua53IsExplained(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	if got := eval(t, w, alice, pid, "return 7 // 2 .. ' ' .. (6 & 3 | 8) .. ' ' .. '\\x41\\u{e9}'"); got != "3 10 A\u00e9" {
		t.Fatalf("Lua 5.3 operators in an Eval give %q", got)
	}
	d := send(t, w, alice, pid, "Eval", "local x = 1\nreturn x << 62").Deliveries[0]
	if !strings.Contains(d.Result.Error, `[string "aos"]:2: the bitwise operator '<<' gives 4611686018427387904, beyond 2^53`) || d.Result.ErrorKind != adapters.ErrorUnsupported {
		t.Fatalf("%+v", d.Result)
	}
}

func TestEvalOnlyFromOwner(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Secret = "s"`)
	bob, _ := w.Wallet("bob")
	d := send(t, w, bob, pid, "Eval", `Secret = "stolen"`).Deliveries[0]
	if d.Result.Failed() || !strings.Contains(d.Result.Output, "New Message From") {
		t.Fatalf("a non-owner Eval should fall to the Inbox: %+v", d)
	}
	if got := eval(t, w, alice, pid, "return Secret"); got != "s" {
		t.Fatalf("Secret %q", got)
	}
}

func TestWorldErrors(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	ctx := context.Background()
	if _, err := w.Send(ctx, adapters.Message{From: "not-a-wallet", Target: pid}); !errors.Is(err, adapters.ErrUnknownWallet) {
		t.Fatalf("unknown wallet: %v", err)
	}
	if _, err := w.Send(ctx, adapters.Message{From: alice, Target: "nowhere"}); !errors.Is(err, adapters.ErrUnknownProcess) {
		t.Fatalf("unknown process: %v", err)
	}
	if _, err := w.DryRun(ctx, adapters.Message{From: alice, Target: "nowhere"}); !errors.Is(err, adapters.ErrUnknownProcess) {
		t.Fatalf("dryrun unknown process: %v", err)
	}
	if _, err := w.Spawn(ctx, adapters.SpawnRequest{Module: testModuleID, From: "not-a-wallet"}); !errors.Is(err, adapters.ErrUnknownWallet) {
		t.Fatalf("spawn by unknown wallet: %v", err)
	}
	w.Close()
	if _, err := w.Send(ctx, adapters.Message{From: alice, Target: pid}); !errors.Is(err, adapters.ErrClosed) {
		t.Fatalf("closed: %v", err)
	}
}

func TestWorldsAreDeterministic(t *testing.T) {
	run := func() (string, adapters.Trace) {
		w, alice, pid := newTestWorld(t, `Handlers.add("R", "R", function(msg) msg.reply({ Data = tostring(math.random(1000000)) }) end)`)
		send(t, w, alice, pid, "R", "")
		return pid, w.Trace()
	}
	p1, t1 := run()
	p2, t2 := run()
	if p1 != p2 || len(p1) != 43 || len(t1.ToWallets) != 1 || t1.ToWallets[0].Data != t2.ToWallets[0].Data || t1.ToWallets[0].ID != t2.ToWallets[0].ID {
		t.Fatalf("not deterministic: %s %s %+v %+v", p1, p2, t1.ToWallets, t2.ToWallets)
	}
	w, _ := New(Options{Seed: "other"})
	a, _ := w.Wallet("alice")
	w2, _ := New(Options{})
	b, _ := w2.Wallet("alice")
	if a == b || len(a) != 43 {
		t.Fatalf("seed does not change wallets: %s %s", a, b)
	}
}
