package lua

import (
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
)

const trustProbe = `Handlers.add("Probe", "Probe", function(msg) print("handled from " .. msg.From) end)`

func TestForgedFromProcessIsNotHandled(t *testing.T) {
	for _, profile := range []Profile{ProfileCurrent, ProfileAOS204} {
		t.Run(string(profile), func(t *testing.T) {
			w, alice, pid := newTestWorld(t, trustProbe, func(o *Options, m *Module) { m.Profile = profile })
			mallory, _ := w.Wallet("mallory")
			tr := send(t, w, mallory, pid, "Probe", "", adapters.Tag{Name: "From-Process", Value: alice})
			d := tr.Deliveries[0]
			if d.Handled || strings.Contains(d.Result.Output, "handled") || !strings.Contains(d.Result.Output, "Message is not trusted! From: "+alice+" - Owner: "+mallory) {
				t.Fatalf("a forged From was handled: %+v", d)
			}
			if d.Message.From != alice || d.Message.Owner != mallory {
				t.Fatalf("delivered From %q Owner %q", d.Message.From, d.Message.Owner)
			}
			replies := tr.RepliesTo(alice)
			if profile == ProfileAOS204 {
				if len(replies) != 1 || replies[0].Data != "Message is not trusted by this process!" {
					t.Fatalf("2.0.4 should tell the claimed sender: %+v", tr.ToWallets)
				}
			} else if len(tr.ToWallets) != 0 {
				t.Fatalf("current profile should stay silent: %+v", tr.ToWallets)
			}
			// A wallet's own message is trusted.
			if d := send(t, w, mallory, pid, "Probe", "").Deliveries[0]; !d.Handled || !strings.HasSuffix(d.Result.Output, "handled from "+mallory) {
				t.Fatalf("own message: %+v", d)
			}
		})
	}
}

func TestAuthorityTagsAreTrusted(t *testing.T) {
	for _, c := range []struct {
		profile Profile
		trusted bool
	}{{ProfileCurrent, true}, {ProfileAOS204, false}} {
		t.Run(string(c.profile), func(t *testing.T) {
			var w *World
			// The signer is listed in a comma-separated Authority value.
			w, _, _ = newTestWorld(t, ``)
			signer, _ := w.Wallet("relay")
			w2, alice, pid := newTestWorld(t, trustProbe, func(o *Options, m *Module) {
				m.Profile = c.profile
				m.Authority = []string{"someone-else," + signer}
			})
			signer2, _ := w2.Wallet("relay")
			if signer2 != signer {
				t.Fatal("wallets are not deterministic across worlds")
			}
			d := send(t, w2, signer2, pid, "Probe", "", adapters.Tag{Name: "From-Process", Value: alice}).Deliveries[0]
			if d.Handled != c.trusted {
				t.Fatalf("handled %v, want %v (%+v)", d.Handled, c.trusted, d)
			}
		})
	}
}

func TestNonceWarningOnlyIn204(t *testing.T) {
	for _, c := range []struct {
		profile Profile
		warn    bool
	}{{ProfileAOS204, true}, {ProfileCurrent, false}} {
		t.Run(string(c.profile), func(t *testing.T) {
			w, alice, pid := newTestWorld(t, `Handlers.add("Boom", "Boom", function() error("boom") end)`,
				func(o *Options, m *Module) { m.Profile = c.profile })
			send(t, w, alice, pid, "Boom", "") // errors: the stored nonce does not advance
			d := send(t, w, alice, pid, "Other", "").Deliveries[0]
			if got := strings.Contains(d.Result.Output, "WARNING: expected Nonce"); got != c.warn {
				t.Fatalf("warning %v, want %v: %q", got, c.warn, d.Result.Output)
			}
		})
	}
}
