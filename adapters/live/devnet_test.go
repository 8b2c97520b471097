package live

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/devnet"
)

// startDevnet serves a devnet on loopback for one test.
func startDevnet(t *testing.T, decode devnet.Decoder) (*devnet.Network, string) {
	t.Helper()
	n, err := devnet.New(devnet.Options{Decode: decode, Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(n)
	t.Cleanup(func() { srv.Close(); n.Close() })
	return n, srv.URL
}

const echoSource = `
Handlers.add("Ping", Handlers.utils.hasMatchingTag("Action", "Ping"), function(msg)
  msg.reply({ Action = "Pong", Data = "pong:" .. msg.Data })
end)
Handlers.add("Relay", Handlers.utils.hasMatchingTag("Action", "Relay"), function(msg)
  ao.send({ Target = msg.Data, Action = "Ping", Data = "relayed" })
end)
Handlers.add("Pong", Handlers.utils.hasMatchingTag("Action", "Pong"), function(msg)
  Pongs = (Pongs or 0) + 1
end)
Handlers.add("Count", Handlers.utils.hasMatchingTag("Action", "Count"), function(msg)
  msg.reply({ Data = tostring(Pongs or 0) })
end)
`

// A wallet's message to a process that relays to another: the trace holds
// every delivery (the send, the relayed Ping, the Pong back), in the
// scheduled order, and the reply to the wallet; a dry run reads the state.
func TestFollowsATraceThroughTheDevnet(t *testing.T) {
	followATrace(t, BackendLegacy)
}

// TestHyperBEAMFollowsATraceThroughTheDevnet: the same through the
// devnet's HyperBEAM routes (pushes, slots, read-only compute).
func TestHyperBEAMFollowsATraceThroughTheDevnet(t *testing.T) {
	followATrace(t, BackendHyperBEAM)
}

// followATrace relays, pings and dry-runs on the devnet through backend,
// under both ways of spawning.
func followATrace(t *testing.T, backend string) {
	for _, mode := range []string{SpawnPublish, SpawnEval} {
		t.Run(mode, func(t *testing.T) {
			_, url := startDevnet(t, fakeDecode)
			ctx := context.Background()
			cfg, err := Discover(ctx, Config{MU: url, SU: url, CU: url, Spawn: mode, Backend: backend})
			if err != nil {
				t.Fatal(err)
			}
			keys := &fakeKeyring{}
			modules := map[string]Module{}
			module := "echo-module-id"
			if mode == SpawnPublish {
				s, _ := keys.Wallet("deployer")
				if module, err = Publish(ctx, cfg, s, "echo.lua", echoSource); err != nil {
					t.Fatal(err)
				}
			} else {
				modules[module] = Module{Name: "echo.lua", Source: echoSource}
			}
			w, err := New(cfg, keys, modules)
			if err != nil {
				t.Fatal(err)
			}
			alice, _ := w.Wallet("alice")
			a, err := w.Spawn(ctx, adapters.SpawnRequest{Module: module, From: alice})
			if err != nil {
				t.Fatal(err)
			}
			b, err := w.Spawn(ctx, adapters.SpawnRequest{Module: module, From: alice})
			if err != nil {
				t.Fatal(err)
			}
			tr, err := w.Send(ctx, adapters.Message{From: alice, Target: a, Tags: adapters.Tags{{Name: "Action", Value: "Relay"}}, Data: b})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range tr.Deliveries {
				got = append(got, d.Message.Action()+"@"+d.Message.Target[:4])
				if d.Result.Failed() {
					t.Errorf("%s failed: %s", d.Message.Action(), d.Result.Error)
				}
			}
			want := []string{"Relay@" + a[:4], "Ping@" + b[:4], "Pong@" + a[:4]}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("deliveries %v, want %v", got, want)
			}
			for i := 1; i < len(tr.Deliveries); i++ {
				if tr.Deliveries[i].Message.Timestamp <= tr.Deliveries[i-1].Message.Timestamp {
					t.Errorf("deliveries out of order: %+v", tr.Deliveries)
				}
			}
			if tr.Deliveries[1].Message.From != a || tr.Deliveries[1].Message.Owner != cfg.Authority {
				t.Errorf("a pushed message comes from its process and is signed by the messenger: %+v", tr.Deliveries[1].Message)
			}
			tr, err = w.Send(ctx, adapters.Message{From: alice, Target: a, Tags: adapters.Tags{{Name: "Action", Value: "Ping"}}, Data: "x"})
			if err != nil {
				t.Fatal(err)
			}
			if r := tr.RepliesTo(alice); len(r) != 1 || r[0].Data != "pong:x" || r[0].Tags.Value("From-Process") != a {
				t.Fatalf("reply to the wallet: %+v", tr.ToWallets)
			}
			res, err := w.DryRun(ctx, adapters.Message{Target: a, Tags: adapters.Tags{{Name: "Action", Value: "Count"}}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Messages) != 1 || res.Messages[0].Data != "1" {
				t.Fatalf("dry run: %+v", res)
			}
			if _, err := w.Send(ctx, adapters.Message{From: alice, Target: adapters.DeterministicID("nothing")}); !errorsIs(err, adapters.ErrUnknownProcess) {
				t.Fatalf("a send to no process: %v", err)
			}
		})
	}
}
