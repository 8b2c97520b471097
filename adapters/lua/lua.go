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

import "time"

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

// Limits bound what one evaluation and one send may do, so a bad process
// gives a clear verdict instead of a hang. Zero fields take the defaults.
//
// gopher-lua has no instruction counter or allocation hook, so there is no
// instruction budget: computation is bounded by time (EvalTimeout), memory
// by a table-entry and string-byte count of the process's reachable state
// taken at each snapshot, every 32 kept messages (MaxStateEntries,
// MaxStateBytes), and by the Go heap growth observed while an evaluation
// runs (MaxEvalHeapGrowth).
type Limits struct {
	// EvalTimeout bounds one evaluation (default 2s) -> ErrorComputeLimit.
	EvalTimeout time.Duration
	// MaxStateEntries bounds the table entries reachable from a process's
	// globals (default 5,000,000) -> ErrorMemoryLimit, for that message and
	// every later one.
	MaxStateEntries int
	// MaxStateBytes bounds the bytes of strings reachable from a process's
	// globals, counted once per reference (default 512 MiB) ->
	// ErrorMemoryLimit, for that message and every later one.
	MaxStateBytes int64
	// MaxEvalHeapGrowth bounds how much the Go heap may grow while one
	// evaluation runs (default 1 GiB) -> ErrorMemoryLimit. The heap is
	// shared by everything in the Go process, so keep this generous.
	MaxEvalHeapGrowth int64
	// MaxMessagesPerEval bounds outbox messages plus spawns of one
	// evaluation (default 1000) -> ErrorComputeLimit.
	MaxMessagesPerEval int
	// MaxDeliveriesPerSend bounds deliveries caused by one Send or Spawn
	// (default 10000); past it the call returns adapters.ErrMessageLimit.
	MaxDeliveriesPerSend int
	// MaxSpawnsPerSend bounds processes spawned by one Send or Spawn
	// (default 100); past it the call returns adapters.ErrMessageLimit.
	MaxSpawnsPerSend int
}

func (l Limits) withDefaults() Limits {
	if l.EvalTimeout <= 0 {
		l.EvalTimeout = 2 * time.Second
	}
	if l.MaxStateEntries <= 0 {
		l.MaxStateEntries = 5_000_000
	}
	if l.MaxStateBytes <= 0 {
		l.MaxStateBytes = 512 << 20
	}
	if l.MaxEvalHeapGrowth <= 0 {
		l.MaxEvalHeapGrowth = 1 << 30
	}
	if l.MaxMessagesPerEval <= 0 {
		l.MaxMessagesPerEval = 1000
	}
	if l.MaxDeliveriesPerSend <= 0 {
		l.MaxDeliveriesPerSend = 10000
	}
	if l.MaxSpawnsPerSend <= 0 {
		l.MaxSpawnsPerSend = 100
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
}

// DefaultClock is the Timestamp of a world's first scheduled message.
const DefaultClock int64 = 1_700_000_000_000

// BlockHeight is the Block-Height every message carries: the world has no
// blocks, and a fixed height keeps results reproducible.
const BlockHeight int64 = 1_500_000
