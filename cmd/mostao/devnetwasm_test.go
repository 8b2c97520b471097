package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters/wasm"
	"github.com/mostao/conformance/devnet"
)

// certifyThroughWasmDevnet certifies the reference through a devnet that
// computes on the bundled compiled module, and requires the verdicts of
// the wasm engine in process (--target wasm:) with the same arguments.
func certifyThroughWasmDevnet(t *testing.T, args ...string) {
	t.Helper()
	n, err := devnet.New(devnet.Options{Wasm: wasm.DefaultModule})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(n)
	t.Cleanup(func() { srv.Close(); n.Close() })

	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	var info struct{ Engine string }
	err = json.NewDecoder(resp.Body).Decode(&info)
	resp.Body.Close()
	if err != nil || info.Engine != "wasm" {
		t.Fatalf("GET / says engine %q (%v), want wasm", info.Engine, err)
	}

	certifyAgainst(t, srv.URL, "", "legacy AO units at ", []string{"--target", "wasm:"}, args...)
}

// TestWasmDevnetCertifiesAFlow: a devnet computing on the bundled compiled
// module certifies the DM flow (profiles spawning a session, signed
// ANS-104 items and all) with the wasm engine's verdicts.
func TestWasmDevnetCertifiesAFlow(t *testing.T) {
	certifyThroughWasmDevnet(t, "--scenario", "features/flows/dm.feature", "--checks", "0")
}

// TestWasmDevnetCertifiesTheReference: every scenario of every MIP gives
// the same verdict through the wasm devnet as on the wasm engine.
func TestWasmDevnetCertifiesTheReference(t *testing.T) {
	if testing.Short() {
		t.Skip("certifies every MIP through the wasm devnet (minutes); -short runs TestWasmDevnetCertifiesAFlow")
	}
	certifyThroughWasmDevnet(t, "--checks", "0")
}

// TestDevnetEngineFlags: --engine and --module choose what computes, and a
// module the wasm engine cannot run, or a format without a module engine,
// is refused before anything serves.
func TestDevnetEngineFlags(t *testing.T) {
	for _, c := range []struct {
		engine, module, format string
		wasm                   bool
		fails                  string
	}{
		{engine: "lua"},
		{engine: "wasm", wasm: true},
		{engine: "lua", module: "../../adapters/wasm/module/mostao-lua53.wasm", wasm: true},
		{engine: "wasm", module: "../../go.mod", fails: "--module"},
		{engine: "lua", format: "wasm64-unknown-emscripten-draft_2024_02_15", fails: "--module-format"},
		{engine: "java", fails: "want lua or wasm"},
	} {
		var opts devnet.Options
		err := devnetEngine(&opts, c.engine, c.module, c.format)
		switch {
		case c.fails != "":
			if err == nil || !strings.Contains(err.Error(), c.fails) {
				t.Errorf("%+v: error %v, want one naming %s", c, err, c.fails)
			}
		case err != nil:
			t.Errorf("%+v: %v", c, err)
		case (opts.Wasm != nil) != c.wasm:
			t.Errorf("%+v: wasm module set %v, want %v", c, opts.Wasm != nil, c.wasm)
		}
	}
}
