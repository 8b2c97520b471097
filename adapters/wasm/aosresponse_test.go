package wasm

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
)

// TestAosResultTableIsRead: the result table a real aos module returns,
// as aos's json encodes it, reads as the reduced envelope of our module.
func TestAosResultTableIsRead(t *testing.T) {
	aos := `{"ok":true,"response":{"Output":{"data":"Registered","prompt":"aos> ","print":true},
		"Messages":[{"Target":"T1","Anchor":"00000000000000000000000000000001","Data":{"n":1},
			"Tags":[{"name":"Action","value":"Reply"},{"name":"Count","value":3}]}],
		"Spawns":{},"Assignments":{},"GasUsed":0}}`
	e, err := parseEnvelope(aos)
	require.NoError(t, err)
	require.True(t, *e.OK)
	r := e.Response
	require.Nil(t, r.Error)
	require.Equal(t, "Registered", r.Output)
	require.Empty(t, r.Spawns)
	require.Empty(t, r.Assignments)
	require.Len(t, r.Messages, 1)
	require.Equal(t, wireOutgoing{Target: "T1", Anchor: "00000000000000000000000000000001", Data: `{"n":1}`,
		Tags: adapters.Tags{{Name: "Action", Value: "Reply"}, {Name: "Count", Value: "3"}}}, r.Messages[0])

	// Output as a table, an Error, a message whose Tags are an object.
	e, err = parseEnvelope(`{"ok":true,"response":{"Output":{"data":{"a":[1,2]}},"Messages":[{"Target":"X","Tags":{"B":"2","A":"1"}}]}}`)
	require.NoError(t, err)
	require.Equal(t, `{"a":[1,2]}`, e.Response.Output)
	require.Equal(t, adapters.Tags{{Name: "A", Value: "1"}, {Name: "B", Value: "2"}}, e.Response.Messages[0].Tags)
	e, err = parseEnvelope(`{"ok":true,"response":{"Error":"[string \"aos\"]:1: boom"}}`)
	require.NoError(t, err)
	require.Equal(t, `[string "aos"]:1: boom`, *e.Response.Error)
	e, err = parseEnvelope(`{"ok":false,"response":{"Error":{"code":1}}}`)
	require.NoError(t, err)
	require.False(t, *e.OK)
	require.Equal(t, `{"code":1}`, *e.Response.Error)

	// Our own reduced envelope reads as before.
	e, err = parseEnvelope(`{"ok":true,"response":{"Output":"hi","Messages":[],"Spawns":[],"Assignments":[{"Message":"m","Processes":["p"]}],"Untrusted":true}}`)
	require.NoError(t, err)
	require.Equal(t, "hi", e.Response.Output)
	require.True(t, e.Response.Untrusted)
	require.Equal(t, []string{"p"}, e.Response.Assignments[0].Processes)

	for _, bad := range []string{`{"ok":true,"response":{"Messages":"x"}}`, `not json`} {
		_, err := parseEnvelope(bad)
		require.Error(t, err, bad)
	}
}
