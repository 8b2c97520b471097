package aonettest

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
)

// BootProbe is module code that counts its loadings in Booted and sets
// SawSpawn when a handler it prepends sees the process's spawn message:
// the way code is loaded (with the spawn, or by aos's boot loader after
// it) shows in both.
const BootProbe = `Booted = (Booted or 0) + 1
SawSpawn = SawSpawn or false
Handlers.prepend("probe", function(m) return "continue" end, function(m)
  if m.Id == ao.id then SawSpawn = true end
end)`

// ReferenceStartsFromSpawn checks that the reference session and profile,
// running in w as sessionModule and profileModule, start from their spawn
// message: a session spawned with its configuration as Data notifies its
// participants at once and dates itself from the spawn (MIP03-INIT-2), and
// a new profile's updatedAt is its spawn's time (MIP02-GET-1), not that of
// the first message after it. Engines check it under each way they load
// the code (with the spawn, or by aos's boot loader, which hands the code
// the spawn message only as Inbox[1]).
func ReferenceStartsFromSpawn(t testing.TB, w adapters.World, profileModule, sessionModule string) {
	t.Helper()
	ctx := context.Background()
	alice, _ := w.Wallet("alice")
	bob, _ := w.Wallet("bob")

	before := len(w.Trace().Deliveries)
	sid, err := w.Spawn(ctx, adapters.SpawnRequest{Module: sessionModule, From: alice,
		Data: `{"type": "group", "participants": ["` + alice + `", "` + bob + `"], "title": "t"}`})
	require.NoError(t, err)
	spawned := w.Trace().Deliveries[before]
	require.Equal(t, sid, spawned.Message.ID)
	var notified []string
	for _, m := range spawned.Result.Messages {
		if v, _ := m.Tags.Get("Action"); v == "Session-Created" {
			notified = append(notified, m.Target)
		}
	}
	require.Equal(t, []string{alice, bob}, notified, "Session-Created to every participant, from the spawn message")
	info, err := w.DryRun(ctx, adapters.Message{From: alice, Target: sid, Tags: adapters.Tags{{Name: "Action", Value: "GetSessionInfo"}}})
	require.NoError(t, err)
	require.Len(t, info.Messages, 1)
	require.Contains(t, info.Messages[0].Data, `"createdAt":`+strconv.FormatInt(spawned.Message.Timestamp, 10))

	before = len(w.Trace().Deliveries)
	pid, err := w.Spawn(ctx, adapters.SpawnRequest{Module: profileModule, From: alice, Tags: adapters.Tags{{Name: "Session-Module", Value: sessionModule}}})
	require.NoError(t, err)
	at := w.Trace().Deliveries[before].Message.Timestamp
	Send(t, w, alice, pid, "Ping", "")
	got, err := w.DryRun(ctx, adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "GetProfile"}}})
	require.NoError(t, err)
	require.Len(t, got.Messages, 1)
	require.Contains(t, got.Messages[0].Data, `"updatedAt":`+strconv.FormatInt(at, 10))
}
