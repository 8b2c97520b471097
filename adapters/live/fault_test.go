package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/arweave/wallet/wallettest"
	"github.com/mostao/conformance/devnet"
)

// faultConfig waits little: every fault must end in a bounded time set by
// the configuration, not by the test's own deadline.
func faultConfig(url string) Config {
	return Config{MU: url, SU: url, CU: url, Spawn: SpawnPublish,
		RequestTimeout: 200 * time.Millisecond, ResultTimeout: time.Second,
		PollInterval: 5 * time.Millisecond, MaxPollInterval: 50 * time.Millisecond, MaxAttempts: 4}
}

// faultNet is a devnet behind a proxy that, once armed, answers the
// requests fault picks in its own way.
type faultNet struct {
	armed atomic.Bool
	net   *devnet.Network
	world *World
	alice string
	pid   string // a process spawned before the fault was armed
	peer  string // another, for traces that cross processes
}

// fault decides a request: it answers it and returns true, or leaves it
// to the devnet.
type fault func(w http.ResponseWriter, r *http.Request) bool

func newFaultNet(t *testing.T, f fault) *faultNet {
	t.Helper()
	return newFaultNetOn(t, BackendLegacy, f)
}

// newFaultNetOn is newFaultNet spoken to through backend.
func newFaultNetOn(t *testing.T, backend string, f fault) *faultNet {
	t.Helper()
	n, err := devnet.New(devnet.Options{Decode: fakeDecode})
	if err != nil {
		t.Fatal(err)
	}
	fn := &faultNet{net: n}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fn.armed.Load() && f(w, r) {
			return
		}
		n.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); n.Close() })
	ctx := context.Background()
	fc := faultConfig(srv.URL)
	fc.Backend = backend
	cfg, err := Discover(ctx, fc)
	if err != nil {
		t.Fatal(err)
	}
	keys := &fakeKeyring{}
	s, _ := keys.Wallet("deployer")
	module, err := Publish(ctx, cfg, s, "echo.lua", echoSource)
	if err != nil {
		t.Fatal(err)
	}
	if fn.world, err = New(cfg, keys, nil); err != nil {
		t.Fatal(err)
	}
	fn.alice, _ = fn.world.Wallet("alice")
	for _, p := range []*string{&fn.pid, &fn.peer} {
		if *p, err = fn.world.Spawn(ctx, adapters.SpawnRequest{Module: module, From: fn.alice}); err != nil {
			t.Fatal(err)
		}
	}
	fn.armed.Store(true)
	return fn
}

// sendFails sends a Relay (a trace across two processes) and checks that
// the call ends with a suite error of the transport before the test's own
// deadline.
func (fn *faultNet) sendFails(t *testing.T, want string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := fn.world.Send(ctx, adapters.Message{From: fn.alice, Target: fn.pid, Tags: adapters.Tags{{Name: "Action", Value: "Relay"}}, Data: fn.peer})
	checkTransportError(t, ctx, err, want)
}

func checkTransportError(t *testing.T, ctx context.Context, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatal("the call succeeded through a broken network")
	}
	if ctx.Err() != nil {
		t.Fatalf("the wait was not bounded by the configuration: %v", err)
	}
	if !errors.Is(err, adapters.ErrTransport) || !adapters.IsSuiteError(err) {
		t.Fatalf("not a suite error of the transport: %v", err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("the error does not say %q: %v", want, err)
	}
}

func isResult(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/result/") }

// results answers the compute unit's result requests with h.
func results(h http.HandlerFunc) fault {
	return func(w http.ResponseWriter, r *http.Request) bool {
		if !isResult(r) {
			return false
		}
		h(w, r)
		return true
	}
}

// scheduleOf answers the requests for the schedule of (*fn).peer with h.
func scheduleOf(fn **faultNet, h http.HandlerFunc) fault {
	return func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/"+(*fn).peer || r.URL.Query().Get("process-id") != "" {
			return false
		}
		h(w, r)
		return true
	}
}

func TestFaultTimeout(t *testing.T) {
	fn := newFaultNet(t, results(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	fn.sendFails(t, "deadline exceeded")
}

func TestFaultServerError(t *testing.T) {
	fn := newFaultNet(t, results(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "upstream exploded", http.StatusBadGateway)
	}))
	fn.sendFails(t, "failed 4 times, the last with 502")
}

func TestFaultRateLimitedForever(t *testing.T) {
	var calls atomic.Int32
	fn := newFaultNet(t, func(w http.ResponseWriter, r *http.Request) bool {
		calls.Add(1)
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
		return true
	})
	fn.sendFails(t, "429")
	if calls.Load() < 2 {
		t.Errorf("a 429 was not retried (%d calls)", calls.Load())
	}
}

// A 429 that passes is honoured: the send completes.
func TestFaultRateLimitedOnceIsRetried(t *testing.T) {
	var limited atomic.Int32
	fn := newFaultNet(t, func(w http.ResponseWriter, r *http.Request) bool {
		if !isResult(r) || limited.Add(1) > 2 {
			return false
		}
		w.WriteHeader(http.StatusTooManyRequests)
		return true
	})
	tr, err := fn.world.Send(context.Background(), adapters.Message{From: fn.alice, Target: fn.pid, Tags: adapters.Tags{{Name: "Action", Value: "Relay"}}, Data: fn.peer})
	if err != nil || len(tr.Deliveries) != 3 {
		t.Fatalf("err %v, %d deliveries", err, len(tr.Deliveries))
	}
}

func TestFaultStillComputingForever(t *testing.T) {
	fn := newFaultNet(t, results(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	}))
	fn.sendFails(t, "202 (still computing)")
}

func TestFaultTruncatedJSON(t *testing.T) {
	fn := newFaultNet(t, results(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"Messages":[{"Target":"`))
	}))
	fn.sendFails(t, "invalid JSON")
}

func TestFaultInvalidJSON(t *testing.T) {
	fn := newFaultNet(t, results(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`<html>Bad Gateway</html>`))
	}))
	fn.sendFails(t, "invalid JSON")
}

func TestFaultResultNeverArrives(t *testing.T) {
	fn := newFaultNet(t, results(func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r)
	}))
	fn.sendFails(t, "404 (not there yet)")
}

// A pushed message that never reaches its target's schedule: the trace
// cannot be completed, and says so.
func TestFaultPushedMessageNeverScheduled(t *testing.T) {
	var fn *faultNet
	fn = newFaultNet(t, scheduleOf(&fn, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"page_info":{"has_next_page":false},"edges":[]}`))
	}))
	fn.sendFails(t, "the trace cannot be completed")
}

// Two answers in one: the result arrives twice.
func TestFaultResultArrivesTwice(t *testing.T) {
	fn := newFaultNet(t, results(func(w http.ResponseWriter, r *http.Request) {
		one := `{"Messages":[],"Spawns":[],"Output":""}`
		w.Write([]byte(one + "\n" + one))
	}))
	fn.sendFails(t, "more than one JSON value")
}

// The scheduler lists one pushed message twice: delivered twice is no
// trace the suite can judge.
func TestFaultMessageScheduledTwice(t *testing.T) {
	var fn *faultNet
	fn = newFaultNet(t, scheduleOf(&fn, func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		fn.net.ServeHTTP(rec, r)
		var page map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
			t.Error(err)
			return
		}
		edges, _ := page["edges"].([]any)
		page["edges"] = append(edges, edges...)
		json.NewEncoder(w).Encode(page)
	}))
	fn.sendFails(t, "twice")
}

// A messenger unit that refuses the signature: the item was not taken,
// and that is the suite's failure, not the implementation's.
func TestFaultRejectedSignature(t *testing.T) {
	n, err := devnet.New(devnet.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(n)
	t.Cleanup(func() { srv.Close(); n.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg, err := Discover(ctx, faultConfig(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	good := WalletSigner{W: wallettest.Wallet(t)}
	module, err := Publish(ctx, cfg, good, "echo.lua", echoSource)
	if err != nil {
		t.Fatalf("a well-signed item was refused: %v", err)
	}
	w, err := New(cfg, tamperKeyring{good}, nil)
	if err != nil {
		t.Fatal(err)
	}
	alice, _ := w.Wallet("alice")
	_, err = w.Spawn(ctx, adapters.SpawnRequest{Module: module, From: alice})
	checkTransportError(t, ctx, err, "signature does not verify")
}

// tamperKeyring signs with one wallet and then flips a bit of the
// signature.
type tamperKeyring struct{ s Signer }

func (k tamperKeyring) Wallet(string) (Signer, error) { return tamperSigner(k), nil }

type tamperSigner struct{ s Signer }

func (t tamperSigner) Address() string { return t.s.Address() }

func (t tamperSigner) Sign(u Unsigned) ([]byte, string, error) {
	raw, id, err := t.s.Sign(u)
	if err != nil {
		return nil, "", err
	}
	raw = bytes.Clone(raw)
	raw[100] ^= 1 // inside the signature, after the 2-byte type
	return raw, id, nil
}
