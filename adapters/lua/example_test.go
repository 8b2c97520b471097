package lua_test

import (
	"context"
	"fmt"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/lua"
)

// A world with one module: spawn a process, send it a message, read the
// reply, and query it read-only.
func Example() {
	const moduleID = "ping-module-00000000000000000000000000000000"
	w, err := lua.New(lua.Options{Modules: map[string]lua.Module{
		moduleID: {Name: "ping.lua", Source: `
Pings = 0
Handlers.add("Ping", "Ping", function(msg)
  Pings = Pings + 1
  msg.reply({ Action = "Pong", Data = tostring(Pings) })
end)`},
	}})
	if err != nil {
		panic(err)
	}
	defer w.Close()
	ctx := context.Background()
	alice, _ := w.Wallet("alice")
	pid, err := w.Spawn(ctx, adapters.SpawnRequest{Module: moduleID, From: alice})
	if err != nil {
		panic(err)
	}
	ping := adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Ping"}}}
	trace, _ := w.Send(ctx, ping)
	reply := trace.RepliesTo(alice)[0]
	fmt.Println(reply.Action(), reply.Data)

	res, _ := w.DryRun(ctx, ping)
	fmt.Println("dryrun:", res.Messages[0].Data)
	trace, _ = w.Send(ctx, ping)
	fmt.Println("after the dryrun:", trace.RepliesTo(alice)[0].Data)
	// Output:
	// Pong 1
	// dryrun: 2
	// after the dryrun: 2
}
