package wasm

// What a network in front of a world (package devnet) asks of it beyond
// adapters.World, as of the Lua engine's world: the rest (SpawnTraced,
// Admit, Clock, HasProcess) is aonet.Network's.

// NewNetworked makes a world for a network in front of it: every message
// a process pushes, and every spawn it asks for, carries Pushed-For = the
// id of the message whose evaluation made it, as legacy messenger units
// tag them (Options.PushedFor).
func NewNetworked(opts Options) (*World, error) {
	opts.PushedFor = true
	return New(opts)
}

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
	w.weave.add(mod)
}
