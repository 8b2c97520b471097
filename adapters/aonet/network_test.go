package aonet

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
)

// fakeProc is a process of fakeEngine.
type fakeProc struct {
	module string
	closed bool
}

func (p *fakeProc) ModuleID() string { return p.module }
func (p *fakeProc) Close()           { p.closed = true }

// fakeEngine knows module "m" (whose processes reply "Pong" to a "Ping"
// and fail a spawn message tagged Fail) and module "boot", whose spawn
// message must carry no Data; it records what it evaluated.
type fakeEngine struct {
	evaluated []adapters.Message
	dryruns   []adapters.Message
	made      []*fakeProc
}

func (e *fakeEngine) Authorities(module string) ([]string, bool) {
	switch module {
	case "m":
		return []string{"A"}, true
	case "boot":
		return nil, true
	}
	return nil, false
}

func (e *fakeEngine) Modules() int { return 2 }

func (e *fakeEngine) SpawnMessage(module string, tags adapters.Tags, data string) (adapters.Tags, string, error) {
	if module != "boot" {
		return tags, data, nil
	}
	if data != "" {
		return nil, "", errors.New("boot takes no Data")
	}
	return append(tags, adapters.Tag{Name: "On-Boot", Value: "Data"}), "code", nil
}

func (e *fakeEngine) NewProcess(_ context.Context, it Item) (*fakeProc, string, error) {
	if _, ok := e.Authorities(it.Module); !ok {
		return nil, UnknownModule(it.Module), nil
	}
	p := &fakeProc{module: it.Module}
	e.made = append(e.made, p)
	return p, "", nil
}

func (e *fakeEngine) Eval(_ context.Context, _ *fakeProc, it Item, _ int64) (Evaluation, error) {
	e.evaluated = append(e.evaluated, it.Msg)
	ev := Evaluation{Handled: true}
	if _, fail := it.Msg.Tags.Get("Fail"); fail {
		ev.Result = adapters.Result{Error: "spawn failed here", ErrorKind: adapters.ErrorHandler}
	}
	if it.Msg.Action() == "Ping" {
		ev.Result.Messages = []adapters.Message{{Target: it.Msg.From, Tags: adapters.Tags{{Name: "Action", Value: "Pong"}}}}
	}
	return ev, nil
}

func (e *fakeEngine) DryRun(_ context.Context, _ *fakeProc, m adapters.Message) (adapters.Result, error) {
	e.dryruns = append(e.dryruns, m)
	return adapters.Result{Output: "dry"}, nil
}

func (e *fakeEngine) CheckQueue(int, int64) error { return nil }
func (e *fakeEngine) ToWallet(adapters.Message)   {}

func newFakeNetwork(t *testing.T) (*Network[*fakeProc], *fakeEngine, string, string) {
	t.Helper()
	e := &fakeEngine{}
	n := NewNetwork[*fakeProc]("", 0, e, Limits{MaxDeliveriesPerSend: 10, MaxSpawnsPerSend: 2}, false)
	alice, err := n.Wallet("alice")
	require.NoError(t, err)
	pid, err := n.Spawn(context.Background(), adapters.SpawnRequest{Module: "m", From: alice})
	require.NoError(t, err)
	return n, e, alice, pid
}

func TestNetworkSpawnsAndRoutesAsEveryEngine(t *testing.T) {
	n, e, alice, pid := newFakeNetwork(t)
	require.Equal(t, WalletAddress(DefaultSeed, "alice"), alice, "the default seed names the wallets")
	require.Equal(t, ID(DefaultSeed, "message", 1), pid)
	require.True(t, n.HasProcess(pid))
	require.NotNil(t, n.Process(pid))
	spawn := e.evaluated[0]
	require.Equal(t, "NODATA", spawn.Data)
	require.Equal(t, n.SchedulerUnit(), spawn.Tags.Value("Scheduler"))
	require.Equal(t, adapters.Tags{{Name: "Authority", Value: n.MessengerUnit()}, {Name: "Authority", Value: "A"}},
		adapters.Tags{spawn.Tags[5], spawn.Tags[6]}, "the messenger unit, then the module's authorities")
	require.Equal(t, DefaultClock, spawn.Timestamp)

	tr, err := n.Send(context.Background(), adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Ping"}}})
	require.NoError(t, err)
	require.Len(t, tr.ToWallets, 1)
	require.Equal(t, "Pong", tr.RepliesTo(alice)[0].Action())
	require.Equal(t, n.MessengerUnit(), tr.ToWallets[0].Owner)
	require.Equal(t, DefaultClock+2, n.Clock())
	require.Len(t, n.Trace().Deliveries, 2, "the trace holds the spawn and the send")

	// A network in front of the world names the spawn's id and admits
	// its signer.
	n.Admit("signer")
	got, tr, err := n.SpawnTraced(context.Background(), adapters.SpawnRequest{Module: "m", From: "signer"}, "given-id")
	require.NoError(t, err)
	require.Equal(t, "given-id", got)
	require.Equal(t, []string{"given-id"}, tr.Spawned)
	_, _, err = n.SpawnTraced(context.Background(), adapters.SpawnRequest{Module: "m", From: "signer"}, "given-id")
	require.ErrorContains(t, err, "already exists")
}

func TestNetworkChecksWhatAWalletSends(t *testing.T) {
	n, _, alice, pid := newFakeNetwork(t)
	ctx := context.Background()

	_, err := n.Send(ctx, adapters.Message{From: "stranger", Target: pid})
	require.ErrorIs(t, err, adapters.ErrUnknownWallet)
	_, err = n.Spawn(ctx, adapters.SpawnRequest{Module: "m", From: "stranger"})
	require.ErrorIs(t, err, adapters.ErrUnknownWallet)
	_, err = n.Send(ctx, adapters.Message{From: alice, Owner: "someone", Target: pid})
	require.ErrorContains(t, err, "a wallet signs as itself")
	_, err = n.Send(ctx, adapters.Message{From: alice, Target: "nobody"})
	require.ErrorIs(t, err, adapters.ErrUnknownProcess)
	_, err = n.DryRun(ctx, adapters.Message{Target: "nobody"})
	require.ErrorIs(t, err, adapters.ErrUnknownProcess)
	_, err = n.Spawn(ctx, adapters.SpawnRequest{Module: "x", From: alice})
	require.ErrorIs(t, err, adapters.ErrUnknownModule)
	require.ErrorContains(t, err, "this world knows 2 modules")
	_, err = n.Spawn(ctx, adapters.SpawnRequest{Module: "boot", From: alice, Data: "mine"})
	require.ErrorContains(t, err, "boot takes no Data", "the engine may refuse a spawn message")
	require.Len(t, n.Trace().Deliveries, 1, "nothing refused was delivered")
}

func TestNetworkSpawnMessageIsTheEngines(t *testing.T) {
	n, e, alice, _ := newFakeNetwork(t)
	_, err := n.Spawn(context.Background(), adapters.SpawnRequest{Module: "boot", From: alice})
	require.NoError(t, err)
	spawn := e.evaluated[len(e.evaluated)-1]
	require.Equal(t, "code", spawn.Data)
	require.Equal(t, "Data", spawn.Tags.Value("On-Boot"))
}

func TestNetworkSpawnFailureKeepsTheProcess(t *testing.T) {
	n, _, alice, _ := newFakeNetwork(t)
	pid, err := n.Spawn(context.Background(), adapters.SpawnRequest{Module: "m", From: alice, Tags: adapters.Tags{{Name: "Fail", Value: "1"}}})
	require.ErrorIs(t, err, ErrSpawnFailed)
	require.ErrorContains(t, err, "spawn failed here")
	require.True(t, n.HasProcess(pid), "the process exists; its spawn message failed")
}

func TestNetworkDryRunDefaultsAndLeavesTheClock(t *testing.T) {
	n, e, alice, pid := newFakeNetwork(t)
	clock := n.Clock()
	res, err := n.DryRun(context.Background(), adapters.Message{Target: pid})
	require.NoError(t, err)
	require.Equal(t, "dry", res.Output)
	m := e.dryruns[0]
	require.Equal(t, DryRunFrom, m.From)
	require.Equal(t, DryRunFrom, m.Owner)
	require.Equal(t, ID(DefaultSeed, "dryrun", 1), m.ID)
	require.Equal(t, clock, m.Timestamp)
	require.Equal(t, clock, n.Clock(), "a dryrun does not advance the clock")

	tr, err := n.Send(context.Background(), adapters.Message{From: alice, Target: pid})
	require.NoError(t, err)
	require.Equal(t, ID(DefaultSeed, "message", 2), tr.Deliveries[0].Message.ID, "a dryrun takes no message id")
}

func TestNetworkClosedRefusesEveryCall(t *testing.T) {
	n, e, alice, pid := newFakeNetwork(t)
	require.NoError(t, n.Close())
	require.True(t, e.made[0].closed, "closing the network closes its processes")
	require.NoError(t, n.Close(), "closing twice is no error")
	ctx := context.Background()
	_, err := n.Wallet("bob")
	require.ErrorIs(t, err, adapters.ErrClosed)
	_, err = n.Spawn(ctx, adapters.SpawnRequest{Module: "m", From: alice})
	require.ErrorIs(t, err, adapters.ErrClosed)
	_, err = n.Send(ctx, adapters.Message{From: alice, Target: pid})
	require.ErrorIs(t, err, adapters.ErrClosed)
	_, err = n.DryRun(ctx, adapters.Message{Target: pid})
	require.ErrorIs(t, err, adapters.ErrClosed)
}
