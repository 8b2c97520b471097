package aonet

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
)

// fakeHost runs processes whose replies are fixed per Action: "Ping" sends
// "Pong" to P2 and replies to the sender; "Spawn" asks for a process of
// module "m"; "Loop" sends "Loop" to itself.
type fakeHost struct {
	ids       int
	processes map[string]string // id -> module
	wallets   []adapters.Message
	queueErr  error
}

func (h *fakeHost) NewID(kind string) string { h.ids++; return fmt.Sprintf("%s-%d", kind, h.ids) }

func (h *fakeHost) CheckQueue(int, int64) error { return h.queueErr }

func (h *fakeHost) MakeProcess(_ context.Context, it Item) (string, error) {
	if it.Module != "m" {
		return "unknown module " + it.Module, nil
	}
	h.processes[it.Msg.ID] = it.Module
	return "", nil
}

func (h *fakeHost) IsProcess(id string) bool { _, ok := h.processes[id]; return ok }

func (h *fakeHost) ModuleOf(id string) string { return h.processes[id] }

func (h *fakeHost) Authorities(module string) ([]string, bool) { return nil, module == "m" }

func (h *fakeHost) Eval(_ context.Context, it Item, nonce int64) (Evaluation, error) {
	var ev Evaluation
	ev.Handled = true
	switch it.Msg.Action() {
	case "Ping":
		ev.Result.Messages = []adapters.Message{
			{Target: "P2", Tags: adapters.Tags{{Name: "Action", Value: "Pong"}}},
			{Target: it.Msg.From, Tags: adapters.Tags{{Name: "Action", Value: "Ping-Reply"}}, Data: fmt.Sprint(nonce)},
		}
	case "Spawn":
		ev.Result.Spawns = []adapters.Message{{Tags: adapters.Tags{{Name: "Module", Value: "m"}}}}
	case "Loop":
		ev.Result.Messages = []adapters.Message{{Target: it.Msg.Target, Tags: adapters.Tags{{Name: "Action", Value: "Loop"}}}}
	}
	return ev, nil
}

func (h *fakeHost) Discard(id string) { delete(h.processes, id) }

func (h *fakeHost) ToWallet(m adapters.Message) { h.wallets = append(h.wallets, m) }

var lim = Limits{MaxDeliveriesPerSend: 20, MaxSpawnsPerSend: 2}

func TestRouterDeliversFIFOAndStampsTheClock(t *testing.T) {
	h := &fakeHost{processes: map[string]string{"P1": "m", "P2": "m"}}
	r := NewRouter(100, "MU")
	ping := adapters.Message{ID: "x", From: "alice", Target: "P1", Tags: adapters.Tags{{Name: "Action", Value: "Ping"}}}
	tr, err := r.Run(context.Background(), h, lim, []Item{{Msg: ping}})
	require.NoError(t, err)
	require.Len(t, tr.Deliveries, 2)
	require.Equal(t, "P1", tr.Deliveries[0].Message.Target)
	require.Equal(t, int64(100), tr.Deliveries[0].Message.Timestamp)
	pong := tr.Deliveries[1].Message
	require.Equal(t, "P2", pong.Target)
	require.Equal(t, int64(101), pong.Timestamp, "each delivery advances the clock by 1 ms")
	require.Equal(t, "P1", pong.Tags.Value("From-Process"))
	require.Equal(t, "MU", pong.Owner)
	require.Len(t, tr.ToWallets, 1)
	require.Equal(t, "alice", tr.ToWallets[0].Target)
	require.Equal(t, "0", tr.ToWallets[0].Data, "the first message to P1 has nonce 0")
	require.Equal(t, tr.ToWallets, h.wallets)
	require.Equal(t, int64(102), r.Clock)

	tr, err = r.Run(context.Background(), h, lim, []Item{{Msg: ping}})
	require.NoError(t, err)
	require.Equal(t, "1", tr.ToWallets[0].Data, "nonces count per process across calls")
}

func TestRouterSpawnsAndNotifiesTheSpawner(t *testing.T) {
	h := &fakeHost{processes: map[string]string{"P1": "m"}}
	r := NewRouter(0, "MU")
	tr, err := r.Run(context.Background(), h, lim, []Item{{Msg: adapters.Message{ID: "s", From: "alice", Target: "P1", Tags: adapters.Tags{{Name: "Action", Value: "Spawn"}}}}})
	require.NoError(t, err)
	require.Len(t, tr.Spawned, 1)
	pid := tr.Spawned[0]
	require.True(t, h.IsProcess(pid))
	last := tr.Deliveries[len(tr.Deliveries)-1].Message
	require.Equal(t, "Spawned", last.Action())
	require.Equal(t, pid, last.Tags.Value("Process"))
	require.Equal(t, "P1", last.Target)

	tr, err = r.Run(context.Background(), h, lim, []Item{{Msg: adapters.Message{ID: "q", Target: "q"}, Spawn: true, Module: "other"}})
	require.NoError(t, err)
	require.Equal(t, "unknown module other", tr.Deliveries[0].Result.Error, "a refused spawn is recorded, not an error")
}

func TestRouterBoundsAStormAndHonoursItsHost(t *testing.T) {
	h := &fakeHost{processes: map[string]string{"P1": "m"}}
	r := NewRouter(0, "MU")
	loop := Item{Msg: adapters.Message{ID: "l", Target: "P1", Tags: adapters.Tags{{Name: "Action", Value: "Loop"}}}}
	tr, err := r.Run(context.Background(), h, lim, []Item{loop})
	require.ErrorIs(t, err, adapters.ErrMessageLimit)
	require.Len(t, tr.Deliveries, lim.MaxDeliveriesPerSend, "the trace keeps what happened before the bound")

	h.queueErr = errors.New("queue full")
	_, err = r.Run(context.Background(), h, lim, []Item{loop})
	require.ErrorIs(t, err, h.queueErr)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h.queueErr = nil
	_, err = r.Run(ctx, h, lim, []Item{loop})
	require.ErrorIs(t, err, context.Canceled)
}
