package wasm

import (
	"context"
	"fmt"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet"
)

// What a network in front of a world (package devnet) asks of it beyond
// adapters.World, as of the Lua engine's world: its clients sign their
// own messages and spawns elsewhere, upload modules, and read the clock.

// NewNetworked makes a world for a network in front of it: every message
// a process pushes, and every spawn it asks for, carries Pushed-For = the
// id of the message whose evaluation made it, as legacy messenger units
// tag them (lua.Options.PushedFor on the Lua engine).
func NewNetworked(opts Options) (*World, error) {
	w, err := New(opts)
	if err != nil {
		return nil, err
	}
	w.router.PushedFor = true
	return w, nil
}

// SchedulerUnit returns the address spawn messages name as their Scheduler.
func (w *World) SchedulerUnit() string { return w.scheduler }

// Clock is the timestamp the next scheduled message takes.
func (w *World) Clock() int64 { return w.router.Clock }

// Admit makes an address a wallet of this world, so that it may spawn and
// send: the network verified the signature of its message.
func (w *World) Admit(address string) { w.addresses[address] = true }

// AddModule registers a module after the world was made (the network's
// clients upload them). An id already registered keeps its module.
func (w *World) AddModule(id string, mod Module) {
	if _, ok := w.opts.Modules[id]; ok {
		return
	}
	if w.opts.Modules == nil {
		w.opts.Modules = map[string]Module{}
	}
	w.opts.Modules[id] = mod
}

// HasProcess reports whether id is a process of this world.
func (w *World) HasProcess(id string) bool {
	_, ok := w.processes[id]
	return ok
}

// SpawnTraced is Spawn under a given process id (the id of the spawn
// message, which the client signed), also returning what the spawn
// caused. It is Spawn's code but for the id (Spawn derives one), kept
// here so that the world's own file stays the engine's.
func (w *World) SpawnTraced(ctx context.Context, req adapters.SpawnRequest, pid string) (string, adapters.Trace, error) {
	if w.closed {
		return "", adapters.Trace{}, adapters.ErrClosed
	}
	if !w.addresses[req.From] {
		return "", adapters.Trace{}, fmt.Errorf("%w: %q is not a wallet of this world", adapters.ErrUnknownWallet, req.From)
	}
	mod, ok := w.opts.Modules[req.Module]
	if !ok {
		return "", adapters.Trace{}, fmt.Errorf("%w: %q (this world knows %d modules)", adapters.ErrUnknownModule, req.Module, len(w.opts.Modules))
	}
	if _, taken := w.processes[pid]; taken || pid == "" {
		return "", adapters.Trace{}, fmt.Errorf("process id %q is empty or taken", pid)
	}
	tags := aonet.SpawnTags(req.Module, w.scheduler, w.messenger, mod.Authority, req.Tags)
	data := req.Data
	if mod.Source != "" && !w.eng.setup {
		// The module loads its code as AO does: the spawn's Data, On-Boot.
		if data != "" && data != "NODATA" {
			return "", adapters.Trace{}, fmt.Errorf("module %q loads its code as the spawn's Data (On-Boot): the spawn cannot carry Data of its own", req.Module)
		}
		data = mod.Source
		tags = append(tags, adapters.Tag{Name: "On-Boot", Value: "Data"})
	}
	if data == "" {
		data = "NODATA"
	}
	msg := adapters.Message{ID: pid, From: req.From, Owner: req.From, Target: pid, Data: data, Tags: tags}
	tr, err := w.run(ctx, aonet.Item{Msg: msg, Spawn: true, Module: req.Module})
	w.trace.Append(tr)
	if err != nil {
		return pid, tr, err
	}
	for _, d := range tr.Deliveries {
		if d.Message.ID == pid && d.Result.Failed() {
			return pid, tr, fmt.Errorf("%w: process %s (module %s): %s", ErrSpawnFailed, pid, req.Module, d.Result.Error)
		}
	}
	return pid, tr, nil
}
