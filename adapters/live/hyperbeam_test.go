package live

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// hbRoute says whether r is one of the HyperBEAM routes (or GET /, the
// node's information).
func hbRoute(r *http.Request) bool {
	p := r.URL.Path
	return p == "/" || p == "/push" || strings.Contains(p, "~process@1.0/") || strings.HasSuffix(p, "/slot/current")
}

// TestHyperBEAMUsesOnlyItsRoutes: with every legacy route failing, a
// relayed send is followed through slots and a dry run answers.
func TestHyperBEAMUsesOnlyItsRoutes(t *testing.T) {
	var legacy atomic.Int32
	fn := newFaultNetOn(t, BackendHyperBEAM, func(w http.ResponseWriter, r *http.Request) bool {
		if hbRoute(r) {
			return false
		}
		legacy.Add(1)
		http.Error(w, "no legacy units here", http.StatusNotFound)
		return true
	})
	ctx := context.Background()
	tr, err := fn.world.Send(ctx, adapters.Message{From: fn.alice, Target: fn.pid, Tags: adapters.Tags{{Name: "Action", Value: "Relay"}}, Data: fn.peer})
	if err != nil || len(tr.Deliveries) != 3 {
		t.Fatalf("err %v, %d deliveries", err, len(tr.Deliveries))
	}
	res, err := fn.world.DryRun(ctx, adapters.Message{Target: fn.pid, Tags: adapters.Tags{{Name: "Action", Value: "Count"}}})
	if err != nil || len(res.Messages) != 1 || res.Messages[0].Data != "1" {
		t.Fatalf("dry run: %v %+v", err, res)
	}
	if legacy.Load() != 0 {
		t.Errorf("%d requests to legacy routes", legacy.Load())
	}
}

// TestHyperBEAMFaultPushRefused: a node that refuses a push (as it does
// an item whose signature does not verify) gives a suite error, at once.
func TestHyperBEAMFaultPushRefused(t *testing.T) {
	fn := newFaultNetOn(t, BackendHyperBEAM, func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/push") {
			return false
		}
		http.Error(w, `{"error":"invalid data item: the signature does not verify"}`, http.StatusBadRequest)
		return true
	})
	fn.sendFails(t, "answered 400")
}

// TestHyperBEAMFaultRejectedSignature: the devnet's own refusal of a
// forged item on the push route is a suite error.
func TestHyperBEAMFaultRejectedSignature(t *testing.T) {
	fn := newFaultNetOn(t, BackendHyperBEAM, func(http.ResponseWriter, *http.Request) bool { return false })
	fn.world.wallets[fn.alice] = fakeSigner{addr: fn.alice, mu: new(sync.Mutex), n: new(int), forge: true}
	fn.sendFails(t, "does not verify")
}

// TestHyperBEAMFaultSlotNeverComputes: a slot the node assigned but never
// computes (202, then 404) ends the wait within the result timeout.
func TestHyperBEAMFaultSlotNeverComputes(t *testing.T) {
	for _, status := range []int{http.StatusAccepted, http.StatusNotFound} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			fn := newFaultNetOn(t, BackendHyperBEAM, func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.Contains(r.URL.Path, "/compute/results=") {
					return false
				}
				w.WriteHeader(status)
				return true
			})
			fn.sendFails(t, "no final answer")
		})
	}
}

// TestHyperBEAMFaultPushedMessageNeverScheduled: a message the outbox
// sent that never reaches the target's slots is a suite error.
func TestHyperBEAMFaultPushedMessageNeverScheduled(t *testing.T) {
	var fn *faultNet
	fn = newFaultNetOn(t, BackendHyperBEAM, func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/"+fn.peer+"/slot/current" {
			return false
		}
		w.Write([]byte("0"))
		return true
	})
	fn.sendFails(t, "was not scheduled")
}

// TestHyperBEAMFaultWrongSlot: a node that answers another slot than the
// one asked for is a suite error.
func TestHyperBEAMFaultWrongSlot(t *testing.T) {
	fn := newFaultNetOn(t, BackendHyperBEAM, func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/compute/results=1") {
			return false
		}
		r.URL.Path = strings.TrimSuffix(r.URL.Path, "1") + "0"
		return false
	})
	fn.sendFails(t, "answered slot 0")
}

// TestFromEnvSelectsTheBackEnd: hb+ before the URL (in the target or in
// MOSTAO_LIVE_URL) selects the HyperBEAM back end at the URL after it;
// without it the legacy units; a bare hb+ is no URL.
func TestFromEnvSelectsTheBackEnd(t *testing.T) {
	for _, env := range []string{EnvMU, EnvSU, EnvCU, EnvSpawn, EnvTimeout} {
		t.Setenv(env, "")
	}
	t.Setenv(EnvURL, "")
	for _, c := range []struct{ target, env, backend, url string }{
		{"hb+http://node:8734", "", BackendHyperBEAM, "http://node:8734"},
		{"http://units:8734", "", BackendLegacy, "http://units:8734"},
		{"", "hb+https://node", BackendHyperBEAM, "https://node"},
	} {
		t.Setenv(EnvURL, c.env)
		cfg, err := FromEnv(c.target)
		if err != nil {
			t.Fatalf("%q: %v", c.target, err)
		}
		if cfg.Backend != c.backend || cfg.MU != c.url || cfg.SU != c.url || cfg.CU != c.url {
			t.Errorf("%q (env %q): %+v", c.target, c.env, cfg)
		}
		if want := map[string]string{BackendHyperBEAM: "HyperBEAM node at ", BackendLegacy: "legacy AO units at "}[c.backend] + c.url; cfg.Where() != want {
			t.Errorf("Where() = %q, want %q", cfg.Where(), want)
		}
	}
	t.Setenv(EnvURL, "")
	if _, err := FromEnv("hb+"); err == nil || !strings.Contains(err.Error(), EnvURL) {
		t.Errorf("hb+ with no URL: %v", err)
	}
}
