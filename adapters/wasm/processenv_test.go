package wasm

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
)

// processEnvProbe describes ao.env.Process the same way on every engine:
// its keys, the tag names of TagArray in order, the names of Tags as a map
// (sorted), the values the map holds for the spawn's own tags, whether Id
// and Owner are the process's, and the form of ao.env.Module.Tags. The
// values of the protocol tags are left out: they are ids each world makes.
const processEnvProbe = `
local p = ao.env.Process
local keys = {}
for k in pairs(p) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
local array = {}
for _, t in ipairs(p.TagArray or {}) do array[#array + 1] = t.name end
local map = {}
for k, v in pairs(p.Tags) do
  if type(k) == "string" then map[#map + 1] = k end
end
table.sort(map)
return "keys " .. table.concat(keys, ",") ..
  "; TagArray " .. table.concat(array, ",") ..
  "; Tags " .. table.concat(map, ",") .. " (#Tags " .. #p.Tags .. ")" ..
  "; X=" .. tostring(p.Tags.X) .. " token_id=" .. tostring(p.Tags.token_id) .. " SDK=" .. tostring(p.Tags.SDK) ..
  " Tokenid=" .. tostring(p.Tags.Tokenid) ..
  "; Id " .. tostring(p.Id == ao.id) .. " Owner " .. tostring(p.Owner == Owner) ..
  "; Module.Tags[1] " .. type(ao.env.Module.Tags[1])
`

// processEnvIsAos is what aos 2.0.4 and 2.0.6 give a process spawned with
// tags X=1, X=2, token_id=t and SDK=s: ao.env.Process.Tags is a name ->
// value map of the spawn's tags in which the first of a duplicate name
// wins, the tag array is kept as ao.env.Process.TagArray, and neither is
// normalised (2.0.6 normalises a message's tag names, not these). Id and
// Owner are the process's; ao.env.Module.Tags stays an array.
const processEnvIsAos = "keys Id,Owner,TagArray,Tags" +
	"; TagArray Data-Protocol,Variant,Type,Module,Scheduler,Authority,X,X,token_id,SDK" +
	"; Tags Authority,Data-Protocol,Module,SDK,Scheduler,Type,Variant,X,token_id (#Tags 0)" +
	"; X=1 token_id=t SDK=s Tokenid=nil" +
	"; Id true Owner true" +
	"; Module.Tags[1] table"

// TestProcessEnvIsAos checks ao.env.Process as aos gives it, on the first
// message after the spawn and on a later one (the engine must not build
// the map twice from a map), on every engine and real aos when given.
func TestProcessEnvIsAos(t *testing.T) {
	onEveryAosEngine(t, "", func(t *testing.T, w adapters.World) {
		alice, _ := w.Wallet("alice")
		pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice,
			Tags: adapters.Tags{{Name: "X", Value: "1"}, {Name: "X", Value: "2"}, {Name: "token_id", Value: "t"}, {Name: "SDK", Value: "s"}}})
		require.NoError(t, err)
		require.Equal(t, processEnvIsAos, evalOn(t, w, alice, pid, processEnvProbe), "first message")
		require.Equal(t, processEnvIsAos, evalOn(t, w, alice, pid, processEnvProbe), "a later message")
	})
}
