package aonet

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
)

func TestSendMessageShape(t *testing.T) {
	require.Error(t, CheckSigner(adapters.Message{From: "a", Owner: "b"}), "a wallet signs as itself")
	require.NoError(t, CheckSigner(adapters.Message{From: "a"}))

	m := adapters.Message{From: "alice", Target: "P", Tags: adapters.Tags{{Name: "Action", Value: "X"}, {Name: "From-Process", Value: "Q"}}}
	msg, keep := SendMessage(m, func() string { return "id1" })
	require.False(t, keep)
	require.Equal(t, "id1", msg.ID)
	require.Equal(t, "alice", msg.Owner, "the wallet signs")
	require.Equal(t, "Q", msg.From, "a From-Process tag gives From (which the trust rule then judges)")
	require.Equal(t, "Type", msg.Tags[2].Name)
	require.Equal(t, "Message", msg.Tags[2].Value)

	m.Timestamp = 5
	msg, keep = SendMessage(m, func() string { return "id2" })
	require.True(t, keep)
	require.Equal(t, BlockHeight, msg.BlockHeight)
}

func TestDryRunMessageDefaults(t *testing.T) {
	msg := DryRunMessage(adapters.Message{Target: "P"}, func() string { return "d1" }, 42)
	require.Equal(t, DryRunFrom, msg.From)
	require.Equal(t, DryRunFrom, msg.Owner)
	require.Equal(t, "d1", msg.ID)
	require.Equal(t, int64(42), msg.Timestamp)
	require.Equal(t, BlockHeight, msg.BlockHeight)
}

func TestOutgoingReplacesTheSendersTags(t *testing.T) {
	out := Outgoing("id", "MU", "P", "M", adapters.Message{Target: "T", Data: "d",
		Tags: adapters.Tags{{Name: "From-Process", Value: "forged"}, {Name: "Action", Value: "A"}}})
	require.Equal(t, adapters.Tags{{Name: "Action", Value: "A"}, {Name: "From-Process", Value: "P"}, {Name: "From-Module", Value: "M"}}, out.Tags)
	require.Equal(t, "MU", out.Owner)
	require.Equal(t, "P", out.From)

	n := SpawnedNotice("n", "MU", "S", adapters.Message{Tags: adapters.Tags{{Name: "X", Value: "1"}}}, "new")
	require.Equal(t, "S", n.Target)
	require.Equal(t, "new", n.Tags.Value("Process"))
	require.Equal(t, "Spawned", n.Tags.Value("Action"))
}

func TestAuthorityTagsListTheMessengerOnce(t *testing.T) {
	require.Len(t, AuthorityTags("MU", []string{"A"}, nil), 2)
	require.Len(t, AuthorityTags("MU", []string{"A"}, adapters.Tags{{Name: "Authority", Value: "MU"}}), 1)
	tags := SpawnTags("mod", "SU", "MU", nil, adapters.Tags{{Name: "Name", Value: "n"}})
	require.Equal(t, "mod", tags.Value("Module"))
	require.Equal(t, "Process", tags.Value("Type"))
	require.Equal(t, "n", tags[len(tags)-1].Value)
}

func TestBoundOutboxFailsAnEvaluationThatQueuedTooMuch(t *testing.T) {
	two := adapters.Result{Messages: []adapters.Message{{Target: "a"}}, Spawns: []adapters.Message{{}}, Output: "o"}
	res := two
	require.False(t, BoundOutbox(&res, 2), "at the limit")
	require.Equal(t, two, res)
	require.True(t, BoundOutbox(&res, 1))
	require.Equal(t, adapters.ErrorComputeLimit, res.ErrorKind)
	require.Empty(t, res.Messages, "nothing queued leaves")
	require.Contains(t, res.Error, "queued 2 messages and spawns, more than the limit of 1 (MaxMessagesPerEval)")
	failed := adapters.Result{Error: "boom", ErrorKind: adapters.ErrorHandler, Messages: two.Messages}
	require.False(t, BoundOutbox(&failed, 0), "a failure is already kept from leaving")
	require.Equal(t, "process P failed on its spawn message and keeps failing: boom", SpawnFailedForGood("P", "boom"))
}
