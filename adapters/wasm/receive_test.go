package wasm

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
)

func TestReceiveWaitsAcrossMessagesAndInsidePcall(t *testing.T) {
	// A handler waits in Receive (a coroutine kept in linear memory between
	// messages), and does so inside pcall, which real Lua 5.3 allows and
	// the Lua engine refuses (gopher-lua cannot yield across pcall).
	w, err := New(Options{Modules: map[string]Module{
		"echo": {Name: "echo.lua", Source: `Handlers.add("ping", "Ping", function(msg) msg.reply({ Data = "pong " .. msg.Data }) end)`},
		"asker": {Name: "asker.lua", Source: `
Handlers.add("ask", "Ask", function(msg)
  local ok, r = pcall(function()
    return ao.send({ Target = msg.Data, Action = "Ping", Data = "1" }).receive()
  end)
  msg.reply({ Data = ok and ("got " .. r.Data) or ("failed: " .. tostring(r)) })
end)`},
	}})
	require.NoError(t, err)
	defer w.Close()
	ctx := context.Background()
	alice, _ := w.Wallet("alice")
	echo, err := w.Spawn(ctx, adapters.SpawnRequest{Module: "echo", From: alice})
	require.NoError(t, err)
	asker, err := w.Spawn(ctx, adapters.SpawnRequest{Module: "asker", From: alice})
	require.NoError(t, err)
	tr := send(t, w, alice, asker, "Ask", echo)
	require.Len(t, tr.ToWallets, 1)
	require.Equal(t, "got pong 1", tr.ToWallets[0].Data)
	tr = send(t, w, alice, asker, "Ask", echo)
	require.Equal(t, "got pong 1", tr.ToWallets[0].Data)
}

func TestDryRunDoesNotResumeAWaitingHandler(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
Handlers.add("ask", "Ask", function(msg)
  local m = Receive({ Action = "Answer" })
  msg.reply({ Data = "answer " .. m.Data })
end)`)
	tr := send(t, w, alice, pid, "Ask", "")
	require.Empty(t, tr.ToWallets)
	res, err := w.DryRun(context.Background(), adapters.Message{From: alice, Target: pid, Data: "dry",
		Tags: adapters.Tags{{Name: "Action", Value: "Answer"}}})
	require.NoError(t, err)
	require.Len(t, res.Messages, 1)
	require.Equal(t, "answer dry", res.Messages[0].Data)
	// The handler still waits: the real answer resumes it.
	tr = send(t, w, alice, pid, "Answer", "real")
	require.Len(t, tr.ToWallets, 1)
	require.Equal(t, "answer real", tr.ToWallets[0].Data)
}
