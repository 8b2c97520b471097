// Package lua is an in-process AO world whose processes run on gopher-lua
// (Lua 5.1) with an aos-compatible runtime.
//
// The parts of aos a process sees (Handlers, ao, message normalisation,
// msg.reply and msg.forward) are plain Lua files under runtime/, loaded into
// every process; the heavy or privileged work (JSON, routing messages,
// limits, state snapshots) is done in Go. Nothing here knows about MostAO.
//
// A World is used by one goroutine at a time; it is not safe for concurrent
// use. Worlds are independent, so tests may run many in parallel.
package lua

import (
	"time"

	"github.com/mostao/conformance/adapters/aonet"
)

// Module is one Lua module a world can spawn.
type Module struct {
	// Name is a file name or label, used in error messages and chunk names.
	Name string
	// Source is Lua 5.1-syntax code loaded after the runtime, on the spawn
	// message (inside its error boundary).
	Source string
	// Profile is the runtime profile; the zero value is ProfileCurrent.
	Profile Profile
	// Policy says what happens to state when a handler errors; the zero
	// value is PolicyCU.
	Policy StatePolicy
	// Authority lists extra addresses the process trusts, added as
	// Authority tags to its spawn message (the world's messenger unit is
	// always an authority).
	Authority []string
	// BootFromWeave loads Source as aos's boot loader does instead: the
	// world adds On-Boot = <the source's transaction on its weave> to each
	// spawn message that has no On-Boot tag, and the process evaluates the
	// code in its _boot handler, where none of its handlers sees the spawn
	// message (it is Inbox[1]). This is how the wasm engine loads code on
	// a real aos module; the Lua engine offers it so that code written for
	// both loadings can be run under each.
	BootFromWeave bool
}

// Profile names a runtime behaviour: aos versions differ in small ways that
// processes can observe.
type Profile string

// The runtime profiles.
const (
	// ProfileAOS204 reproduces aos 2.0.4: the Nonce check warning, the
	// "Message is not trusted by this process!" reply, Authority values
	// taken whole, exact-case string patterns, no tag-name normalisation.
	ProfileAOS204 Profile = "aos-2.0.4"
	// ProfileCurrent reproduces aos 2.0.6 and later: no Nonce check, silent
	// on untrusted messages, Authority split on commas, tag names normalised
	// ("content_type" -> "Content-Type"), case-insensitive string patterns.
	ProfileCurrent Profile = "aos-current"
	// ProfileAOSSQLite is aos-current plus require("lsqlite3"), the
	// aos-sqlite module: SQLite in memory, one connection per
	// open_memory, whose content is part of the process's state.
	ProfileAOSSQLite Profile = "aos-sqlite"
)

// StatePolicy says what happens to a process's state when a handler errors.
type StatePolicy string

// The state policies.
const (
	// PolicyCU keeps the state from before the erroring message, as a
	// Compute Unit does. A process whose spawn message errors keeps failing.
	PolicyCU StatePolicy = "cu"
	// PolicyModule keeps the changes made before the error, as a bare module
	// call does.
	PolicyModule StatePolicy = "module"
)

// Limits bound what one evaluation, one send and one world may do, so a bad
// process gives a clear verdict instead of a hang. Zero fields take the
// defaults.
//
// Computation is bounded by counted work, not by time, so the same process
// gets the same verdict on any machine and under any load: one unit per Lua
// instruction the VM executes, plus what library functions written in Go
// charge for the work they do (see docs/engine.md). Memory is bounded by the
// size of what library functions may build (MaxStringBytes), by a
// table-entry and string-byte count of the process's reachable state taken
// at each snapshot (MaxStateEntries, MaxStateBytes), by what an evaluation
// may send and print, and, as a last net, by the Go heap growth observed
// while an evaluation runs (MaxEvalHeapGrowth).
type Limits struct {
	// MaxWork bounds the work of one evaluation, in units (default
	// DefaultMaxWork) -> ErrorComputeLimit.
	MaxWork int64
	// MaxWorldWork bounds the work of every evaluation of a world together
	// (default DefaultMaxWorldWork); past it every evaluation fails with
	// ErrorComputeLimit naming the limit. It keeps a slow process from
	// holding a certification for minutes.
	MaxWorldWork int64
	// EvalTimeout is a wall-clock safety net far above MaxWork (default
	// 60s). When it fires the evaluation gives no verdict: Send, Spawn and
	// DryRun return an error wrapping adapters.ErrTooSlow.
	EvalTimeout time.Duration
	// MaxStateEntries bounds the table entries reachable from a process's
	// globals (default 5,000,000) -> ErrorMemoryLimit, for that message and
	// every later one. Checked at each snapshot, dryruns' included.
	MaxStateEntries int
	// MaxStateBytes bounds the bytes of strings reachable from a process's
	// globals, counted once per reference (default 512 MiB) ->
	// ErrorMemoryLimit, for that message and every later one.
	MaxStateBytes int64
	// MaxStringBytes bounds a string or buffer a library function builds
	// (string.rep, gsub, table.concat, string.pack, json.encode, ...; default
	// 64 MiB). A larger result is refused before it is built, with a Lua
	// error; the evaluation fails with ErrorMemoryLimit.
	MaxStringBytes int
	// MaxEvalHeapGrowth bounds how much the Go heap may grow while one
	// evaluation runs (default 1 GiB) -> ErrorMemoryLimit. The heap is
	// shared by everything in the Go process, so keep this generous: it is
	// the last net, the bounds above come first.
	MaxEvalHeapGrowth int64
	// MaxSourceBytes bounds a source compiled (a module, an Eval, load;
	// default 1 MiB) and MaxSourceDepth the nesting of its syntax tree
	// (default 1000 levels), both checked before gopher-lua's recursive
	// compiler runs.
	MaxSourceBytes int
	MaxSourceDepth int
	// MaxOutputBytes bounds the printed output an evaluation keeps (default
	// 64 KiB); MaxDataBytes the Data kept of each message it sends (default
	// 8 MiB). Longer text is clipped and ends with a note saying so.
	MaxOutputBytes int
	MaxDataBytes   int
	// MaxOutboxBytes bounds the Data of all messages of one evaluation
	// together (default 16 MiB) -> ErrorMemoryLimit, nothing sent.
	MaxOutboxBytes int
	// MaxMessagesPerEval bounds outbox messages plus spawns of one
	// evaluation (default 1000) -> ErrorComputeLimit.
	MaxMessagesPerEval int
	// MaxDeliveriesPerSend bounds deliveries caused by one Send or Spawn
	// (default 10000); past it the call returns adapters.ErrMessageLimit.
	MaxDeliveriesPerSend int
	// MaxSpawnsPerSend bounds processes spawned by one Send or Spawn
	// (default 100); past it the call returns adapters.ErrMessageLimit.
	MaxSpawnsPerSend int
	// MaxQueuedMessages and MaxQueuedBytes bound the messages waiting for
	// delivery during one Send or Spawn (defaults 10000 and 256 MiB); past
	// them the call returns adapters.ErrMessageLimit.
	MaxQueuedMessages int
	MaxQueuedBytes    int64
	// MaxMessagesPerWorld bounds the messages a world routes (deliveries
	// and messages to wallets; default 100,000) and MaxSpawnsPerWorld the
	// processes it spawns (default 1000); past them evaluations fail with
	// ErrorComputeLimit naming the limit.
	MaxMessagesPerWorld int
	MaxSpawnsPerWorld   int
}

// The default work budgets. DefaultMaxWork is about 50 times the work of the
// reference processes' heaviest message (210,000 units: a session's spawn
// message, which compiles the module, for a 256-member group) and takes
// about a tenth of a second; a world may spend ten such budgets. docs/engine.md
// has the measurements.
const (
	DefaultMaxWork      int64 = 10_000_000
	DefaultMaxWorldWork int64 = 100_000_000
)

func (l Limits) withDefaults() Limits {
	defaults := []struct {
		v   *int
		def int
	}{
		{&l.MaxStateEntries, 5_000_000},
		{&l.MaxStringBytes, 64 << 20},
		{&l.MaxSourceBytes, 1 << 20},
		{&l.MaxSourceDepth, 1000},
		{&l.MaxOutputBytes, 64 << 10},
		{&l.MaxDataBytes, 8 << 20},
		{&l.MaxOutboxBytes, 16 << 20},
		{&l.MaxMessagesPerEval, 1000},
		{&l.MaxDeliveriesPerSend, 10000},
		{&l.MaxSpawnsPerSend, 100},
		{&l.MaxQueuedMessages, 10000},
		{&l.MaxMessagesPerWorld, 100_000},
		{&l.MaxSpawnsPerWorld, 1000},
	}
	for _, d := range defaults {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	if l.MaxWork <= 0 {
		l.MaxWork = DefaultMaxWork
	}
	if l.MaxWorldWork <= 0 {
		l.MaxWorldWork = DefaultMaxWorldWork
	}
	if l.EvalTimeout <= 0 {
		l.EvalTimeout = 60 * time.Second
	}
	if l.MaxStateBytes <= 0 {
		l.MaxStateBytes = 512 << 20
	}
	if l.MaxEvalHeapGrowth <= 0 {
		l.MaxEvalHeapGrowth = 1 << 30
	}
	if l.MaxQueuedBytes <= 0 {
		l.MaxQueuedBytes = 256 << 20
	}
	return l
}

// Options configure a world.
type Options struct {
	// Modules maps module ids to modules. Ids are opaque strings; callers
	// use 43-character ids like real AO module ids.
	Modules map[string]Module
	// Seed derives every id (wallets, messages, processes); default "mostao".
	Seed string
	// Clock is the Timestamp (ms) of the first scheduled message; default
	// 1_700_000_000_000. Each scheduled message advances it by 1 ms.
	Clock int64
	// Limits bound evaluations and sends.
	Limits Limits
	// PushedFor tags every message a process pushes (and every spawn it
	// asks for) with Pushed-For = the id of the message whose evaluation
	// made it, as legacy messenger units do, so a client of a network in
	// front of the world can follow a trace. Processes see the tag.
	PushedFor bool
}

// DefaultClock is the Timestamp of a world's first scheduled message
// (aonet.DefaultClock, as on every engine).
const DefaultClock = aonet.DefaultClock

// BlockHeight is the Block-Height every message carries: the world has no
// blocks, and a fixed height keeps results reproducible.
const BlockHeight = aonet.BlockHeight
