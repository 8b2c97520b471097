package aonet

import (
	"context"
	"errors"
	"fmt"

	"github.com/mostao/conformance/adapters"
)

// ErrSpawnFailed is returned (wrapped, with the reason) by a Network's
// Spawn when the new process's spawn message did not evaluate cleanly. The
// process exists: its id is returned too, and the trace holds the failed
// delivery. Each engine names it as its own ErrSpawnFailed.
var ErrSpawnFailed = errors.New("spawn message failed")

// Engine is what runs a Network's processes: how a process of a module is
// made and how it evaluates a message. Everything else a world does (ids,
// wallets, the checks on what a wallet sends, routing, the trace) is the
// Network's, the same on every engine.
type Engine[P Process] interface {
	// Authorities are the Authority values of module, and whether the
	// world knows it; Modules is how many modules it knows.
	Authorities(module string) ([]string, bool)
	Modules() int
	// SpawnMessage gives the tags and Data of a wallet's spawn message of
	// module, from those the network made (an engine may carry the
	// module's code in them); an error refuses the spawn.
	SpawnMessage(module string, tags adapters.Tags, data string) (adapters.Tags, string, error)
	// NewProcess makes the process of a spawn item, before its spawn
	// message is delivered. refused, when not empty, is why the spawn was
	// refused without a process (UnknownModule); an error ends the call.
	NewProcess(ctx context.Context, it Item) (p P, refused string, err error)
	// Eval delivers it to p, its target, with p's nonce.
	Eval(ctx context.Context, p P, it Item, nonce int64) (Evaluation, error)
	// DryRun evaluates m on p read-only and leaves p as it was.
	DryRun(ctx context.Context, p P, m adapters.Message) (adapters.Result, error)
	// CheckQueue and ToWallet are the Router's (Host): where an engine
	// bounds what a whole world may queue and route.
	CheckQueue(waiting int, bytes int64) error
	ToWallet(m adapters.Message)
}

// UnknownModule is why a spawn of a module the world does not know is
// refused (Engine.NewProcess).
func UnknownModule(module string) string {
	return fmt.Sprintf("spawn refused: unknown module %q", module)
}

// UnknownWallet is the error of a call signed by address, which is no
// wallet of the world.
func UnknownWallet(address string) error {
	return fmt.Errorf("%w: %q is not a wallet of this world (make it with Wallet first)", adapters.ErrUnknownWallet, address)
}

// Network is an in-process AO network on an Engine: it implements
// adapters.World (every engine's world embeds one) and holds what every
// engine shares: the world's ids and wallets, the checks on what a wallet
// spawns and sends, the Router and its clock, the process table and the
// trace. A Network is used by one goroutine at a time.
//
// Routing follows a messenger unit (see the package doc): a wallet's
// message arrives with From = Owner = the wallet (or From = its
// From-Process tag, which a wallet may forge); a process's message arrives
// with From = the sending process and Owner = the messenger unit, which
// every process lists as an Authority. Messages are delivered FIFO until
// the network is quiet; each takes the world clock, which then advances by
// 1 ms.
type Network[P Process] struct {
	engine    Engine[P]
	limits    Limits
	seed      string
	messenger string
	scheduler string
	// router schedules every call's messages and keeps the clock.
	router *Router

	ids       int
	dryruns   int
	wallets   map[string]string // name -> address
	addresses map[string]bool   // wallet addresses
	processes Processes[P]
	trace     adapters.Trace
	closed    bool
}

var _ adapters.World = (*Network[Process])(nil)

// NewNetwork makes an empty network of seed (DefaultSeed when empty) whose
// clock starts at clock (DefaultClock when 0), on engine e, with the
// per-call limits lim. pushedFor sets the Router's PushedFor.
func NewNetwork[P Process](seed string, clock int64, e Engine[P], lim Limits, pushedFor bool) *Network[P] {
	if seed == "" {
		seed = DefaultSeed
	}
	if clock == 0 {
		clock = DefaultClock
	}
	n := &Network[P]{
		engine:    e,
		limits:    lim,
		seed:      seed,
		messenger: MessengerUnit(seed),
		scheduler: SchedulerUnit(seed),
		wallets:   map[string]string{},
		addresses: map[string]bool{},
		processes: Processes[P]{},
	}
	n.router = NewRouter(clock, n.messenger)
	n.router.PushedFor = pushedFor
	return n
}

// SchedulerUnit returns the address every spawn message names as its
// Scheduler.
func (n *Network[P]) SchedulerUnit() string { return n.scheduler }

// MessengerUnit returns the address that signs messages pushed between
// processes. Every process lists it as an Authority.
func (n *Network[P]) MessengerUnit() string { return n.messenger }

// Clock returns the Timestamp the next scheduled message will get.
func (n *Network[P]) Clock() int64 { return n.router.Clock }

// Process returns the process id (the zero P when id is no process of
// the network), for an engine's own look at its processes.
func (n *Network[P]) Process(id string) P { return n.processes[id] }

// HasProcess reports whether id is a process of this network.
func (n *Network[P]) HasProcess(id string) bool { return n.processes.IsProcess(id) }

func (n *Network[P]) newID(kind string) string {
	n.ids++
	return ID(n.seed, kind, n.ids)
}

// newDryRunID is the id of a dryrun that brings none: dryruns are counted
// apart from messages, so a dryrun changes no later message's id.
func (n *Network[P]) newDryRunID() string {
	n.dryruns++
	return ID(n.seed, "dryrun", n.dryruns)
}

// Wallet returns the address of the named wallet, creating it on first use.
func (n *Network[P]) Wallet(name string) (string, error) {
	if n.closed {
		return "", adapters.ErrClosed
	}
	if a, ok := n.wallets[name]; ok {
		return a, nil
	}
	a := WalletAddress(n.seed, name)
	n.wallets[name] = a
	n.addresses[a] = true
	return a, nil
}

// Admit makes an address a wallet of this network, so that it may spawn
// and send: a network in front of the world (package devnet) verifies the
// signatures of its clients' messages and admits their signers.
func (n *Network[P]) Admit(address string) { n.addresses[address] = true }

// checkWallet refuses a call once the network is closed, or signed by an
// address that is no wallet of it.
func (n *Network[P]) checkWallet(address string) error {
	if n.closed {
		return adapters.ErrClosed
	}
	if !n.addresses[address] {
		return UnknownWallet(address)
	}
	return nil
}

// Spawn creates a process of module req.Module owned by the wallet
// req.From, delivers its spawn message and runs the network until it is
// quiet.
func (n *Network[P]) Spawn(ctx context.Context, req adapters.SpawnRequest) (string, error) {
	pid, _, err := n.SpawnTraced(ctx, req, "")
	return pid, err
}

// SpawnTraced is Spawn that also returns what the spawn caused. A non-empty
// id is the new process's id (the id of its spawn message, signed
// elsewhere) instead of one the network derives.
func (n *Network[P]) SpawnTraced(ctx context.Context, req adapters.SpawnRequest, id string) (string, adapters.Trace, error) {
	if err := n.checkWallet(req.From); err != nil {
		return "", adapters.Trace{}, err
	}
	auth, ok := n.engine.Authorities(req.Module)
	if !ok {
		return "", adapters.Trace{}, fmt.Errorf("%w: %q (this world knows %d modules)", adapters.ErrUnknownModule, req.Module, n.engine.Modules())
	}
	tags, data, err := n.engine.SpawnMessage(req.Module, SpawnTags(req.Module, n.scheduler, n.messenger, auth, req.Tags), req.Data)
	if err != nil {
		return "", adapters.Trace{}, err
	}
	if data == "" {
		data = "NODATA"
	}
	pid := id
	if pid == "" {
		pid = n.newID("message")
	} else if n.processes.IsProcess(pid) {
		return "", adapters.Trace{}, fmt.Errorf("process %s already exists", pid)
	}
	msg := adapters.Message{ID: pid, From: req.From, Owner: req.From, Target: pid, Data: data, Tags: tags}
	tr, err := n.run(ctx, Item{Msg: msg, Spawn: true, Module: req.Module})
	n.trace.Append(tr)
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

// Send delivers a message signed by the wallet m.From, then everything it
// causes, until the network is quiet. A non-zero m.Timestamp (and
// m.BlockHeight) is used for that message instead of the world clock; the
// clock still advances.
func (n *Network[P]) Send(ctx context.Context, m adapters.Message) (adapters.Trace, error) {
	if err := n.checkWallet(m.From); err != nil {
		return adapters.Trace{}, err
	}
	if err := CheckSigner(m); err != nil {
		return adapters.Trace{}, err
	}
	if !n.processes.IsProcess(m.Target) {
		return adapters.Trace{}, fmt.Errorf("%w: %q is not a process of this world", adapters.ErrUnknownProcess, m.Target)
	}
	msg, keep := SendMessage(m, func() string { return n.newID("message") })
	tr, err := n.run(ctx, Item{Msg: msg, KeepTime: keep})
	n.trace.Append(tr)
	return tr, err
}

// DryRun evaluates m on its target read-only and leaves the process as it
// was. From may be anything (default DryRunFrom, as client libraries
// send); Owner defaults to From. The world clock does not advance.
func (n *Network[P]) DryRun(ctx context.Context, m adapters.Message) (adapters.Result, error) {
	if n.closed {
		return adapters.Result{}, adapters.ErrClosed
	}
	p, ok := n.processes[m.Target]
	if !ok {
		return adapters.Result{}, fmt.Errorf("%w: %q is not a process of this world", adapters.ErrUnknownProcess, m.Target)
	}
	return n.engine.DryRun(ctx, p, DryRunMessage(m, n.newDryRunID, n.router.Clock))
}

// Trace returns everything delivered since the network was made.
func (n *Network[P]) Trace() adapters.Trace {
	var t adapters.Trace
	t.Append(n.trace)
	return t
}

// Close releases every process. Later calls fail with adapters.ErrClosed.
func (n *Network[P]) Close() error {
	if n.closed {
		return nil
	}
	n.closed = true
	for _, p := range n.processes {
		p.Close()
	}
	n.processes = nil
	return nil
}

// run schedules the call's first message and everything it causes, FIFO,
// until the network is quiet.
func (n *Network[P]) run(ctx context.Context, first Item) (adapters.Trace, error) {
	return n.router.Run(ctx, host[P]{n}, n.limits, []Item{first})
}

// host is the network as its Router sees it: the process table, and the
// engine that makes and runs the processes.
type host[P Process] struct{ n *Network[P] }

func (h host[P]) NewID(kind string) string { return h.n.newID(kind) }

func (h host[P]) CheckQueue(waiting int, bytes int64) error {
	return h.n.engine.CheckQueue(waiting, bytes)
}

func (h host[P]) MakeProcess(ctx context.Context, it Item) (string, error) {
	p, refused, err := h.n.engine.NewProcess(ctx, it)
	if err != nil || refused != "" {
		return refused, err
	}
	h.n.processes[it.Msg.ID] = p
	return "", nil
}

func (h host[P]) IsProcess(id string) bool    { return h.n.processes.IsProcess(id) }
func (h host[P]) ModuleOf(id string) string   { return h.n.processes.ModuleOf(id) }
func (h host[P]) Discard(id string)           { h.n.processes.Discard(id) }
func (h host[P]) ToWallet(m adapters.Message) { h.n.engine.ToWallet(m) }

func (h host[P]) Authorities(module string) ([]string, bool) {
	return h.n.engine.Authorities(module)
}

func (h host[P]) Eval(ctx context.Context, it Item, nonce int64) (Evaluation, error) {
	return h.n.engine.Eval(ctx, h.n.processes[it.Msg.Target], it, nonce)
}
