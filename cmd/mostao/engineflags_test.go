package main

import (
	"strings"
	"testing"
	"time"
)

// TestTargetFlagsAnEngineCannotHonourAreRefused: a target flag the engine
// the sources run on cannot honour is a usage error (exit 2) naming the
// flag, not a flag that silently does nothing: the SQLite runtime on the
// wasm module, a runtime on a module that is its own (real aos has no
// setup export, nor has testdata/trap.wasm), wallets with no live target,
// the work budget, the safety net and the runtime on a live network, and
// a target of another engine for mutate, whose mutants run on Lua. The
// live target's URL is never reached: the flags are refused first.
func TestTargetFlagsAnEngineCannotHonourAreRefused(t *testing.T) {
	const nowhere = "live:http://127.0.0.1:1"
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"certify", "--target", "wasm:", "--runtime", "aos-sqlite"}, "--runtime aos-sqlite: the wasm engine's module has no lsqlite3"},
		{[]string{"certify", "--engines", "lua,wasm", "--runtime", "aos-sqlite"}, "--runtime aos-sqlite: the wasm engine's module has no lsqlite3"},
		{[]string{"bench", "--target", "wasm:", "--runtime", "aos-sqlite"}, "--runtime aos-sqlite: the wasm engine's module has no lsqlite3"},
		{[]string{"certify", "--target", "wasm:../../adapters/wasm/testdata/trap.wasm", "--runtime", "aos-2.0.4"}, "is its own runtime"},
		{[]string{"certify", "--target", "wasm:", "--wallets", dir}, "--wallets: only a live target"},
		{[]string{"certify", "--wallets", dir}, "--wallets: only a live target"},
		{[]string{"certify", "--engines", "lua,wasm", "--wallets", dir}, "--wallets: only a live target"},
		{[]string{"certify", "--target", nowhere, "--max-work", "1000"}, "--max-work: a live target"},
		{[]string{"certify", "--target", nowhere, "--eval-timeout", "1m"}, "--eval-timeout: a live target"},
		{[]string{"certify", "--target", nowhere, "--runtime", "aos-2.0.4"}, "--runtime aos-2.0.4: a live target"},
		{[]string{"certify", "--engines", "lua,live", "--max-work", "1000"}, "--max-work: a live target"},
		{[]string{"mutate", "--target", "wasm:"}, "mutants run on the Lua engine only"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) { cannotRun(t, c.args, c.want) })
	}
}

// TestTargetFlagsTheEnginesHonourAreTaken: --wallets goes with any run
// that has a live engine among its engines, and the wasm engine takes the
// work budget, the safety net and the aos 2.0.4 runtime (whose effect on
// a process is checked in targets).
func TestTargetFlagsTheEnginesHonourAreTaken(t *testing.T) {
	scheme := func(name string) targetScheme {
		s, _, err := findScheme(name + ":")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	f := targetFlags{wallets: t.TempDir(), engines: []targetScheme{scheme("lua"), scheme("live")}}
	if err := f.honoured(scheme("lua"), &targetInputs{}); err != nil {
		t.Errorf("--engines lua,live --wallets: %v", err)
	}
	f = targetFlags{maxWork: 1000, evalTimeout: time.Second, runtime: "aos-2.0.4"}
	if err := f.honoured(scheme("wasm"), &targetInputs{}); err != nil {
		t.Errorf("--target wasm: with the budget, the safety net and a runtime: %v", err)
	}
}
