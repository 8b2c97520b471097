package wasm

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
)

func TestDryRunLeavesStateUnchanged(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
Value = "before"
Handlers.add("set", "Set", function(msg)
  Value = msg.Data
  Big = string.rep("x", 8 * 1024 * 1024) -- grows memory past the image
  msg.reply({ Data = "set " .. Value })
end)
Handlers.add("get", "Get", function(msg) msg.reply({ Data = Value }) end)
`)
	p := w.Process(pid)
	ctx := context.Background()
	before := p.take(ctx)
	res, err := w.DryRun(ctx, adapters.Message{From: alice, Target: pid, Data: "after", Tags: adapters.Tags{{Name: "Action", Value: "Set"}}})
	require.NoError(t, err)
	require.False(t, res.Failed(), res.Error)
	require.Equal(t, "set after", res.Messages[0].Data)
	after := p.take(ctx)
	require.Equal(t, before.sp, after.sp)
	require.Equal(t, len(before.mem), len(after.mem), "memory size")
	require.True(t, bytes.Equal(before.mem, after.mem), "linear memory changed")
	tr := send(t, w, alice, pid, "Get", "")
	require.Equal(t, "before", tr.ToWallets[0].Data)
}
