package wasm

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/processes"
)

const domainModule = "domain-module-000000000000000000000000000000"

// bothEngines makes a Lua world and a wasm world, each with the reference
// domain process spawned by the same wallet.
func bothEngines(t *testing.T) (map[string]adapters.World, map[string]string, string) {
	return spawnOnBoth(t, domainModule, "domain.lua", processes.Domain)
}

// spawnOnBoth makes a Lua world and a wasm world, each with a process of
// the module id (named name, with source) spawned by the wallet alice.
func spawnOnBoth(t *testing.T, id, name, source string) (map[string]adapters.World, map[string]string, string) {
	t.Helper()
	lw, err := lua.New(lua.Options{Modules: map[string]lua.Module{id: {Name: name, Source: source}}})
	require.NoError(t, err)
	ww, err := New(Options{Modules: map[string]Module{id: {Name: name, Source: source}}})
	require.NoError(t, err)
	t.Cleanup(func() { lw.Close(); ww.Close() })
	worlds := map[string]adapters.World{"lua": lw, "wasm": ww}
	pids := map[string]string{}
	var alice string
	for name, w := range worlds {
		alice, _ = w.Wallet("alice")
		pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: id, From: alice})
		require.NoError(t, err, name)
		pids[name] = pid
	}
	return worlds, pids, alice
}

// reply is what a client sees of a reply: its target, data and tags
// (the ids depend on how many messages each engine's spawn made).
type reply struct {
	Target, Data string
	Tags         adapters.Tags
}

func replies(tr adapters.Trace, wallet string) []reply {
	var out []reply
	for _, m := range tr.RepliesTo(wallet) {
		out = append(out, reply{m.Target, m.Data, m.Tags})
	}
	return out
}

func TestDomainRepliesMatchLuaEngine(t *testing.T) {
	worlds, pids, alice := bothEngines(t)
	steps := []struct{ action, data string }{
		{"Register", `{"name":"alice","pid":"` + pids["lua"] + `"}`},
		{"QueryDomain", `{"name":"alice"}`},
		{"QueryDomain", `nobody`},
		{"Register", `{"name":"Not A Name","pid":"x"}`},
		{"Register", `{"name":"alice","pid":"` + pids["lua"] + `"}`},
		{"GetDomains", alice},
		{"Renounce", `{"name":"alice"}`},
		{"QueryDomain", `{"name":"alice"}`},
		{"Register", `not json`},
	}
	for _, s := range steps {
		got := map[string][]reply{}
		for name, w := range worlds {
			tr := send(t, w, alice, pids[name], s.action, s.data)
			for _, d := range tr.Deliveries {
				require.False(t, d.Result.Failed(), "%s %s on %s: %s", s.action, s.data, name, d.Result.Error)
			}
			got[name] = replies(tr, alice)
		}
		require.NotEmpty(t, got["lua"], "%s %s: the Lua engine sent no reply", s.action, s.data)
		require.Equal(t, got["lua"], got["wasm"], "%s %s", s.action, s.data)
	}
	// Dryruns of a read give the same outbox on both engines.
	dry := map[string][]reply{}
	for name, w := range worlds {
		res, err := w.DryRun(context.Background(), adapters.Message{Target: pids[name], Data: `alice`, Tags: adapters.Tags{{Name: "Action", Value: "QueryDomain"}}})
		require.NoError(t, err)
		require.False(t, res.Failed(), res.Error)
		for _, m := range res.Messages {
			dry[name] = append(dry[name], reply{m.Target, m.Data, m.Tags})
		}
	}
	require.NotEmpty(t, dry["lua"])
	require.Equal(t, dry["lua"], dry["wasm"])
}
