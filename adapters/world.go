// Package adapters defines the one interface every kind of target implements:
// a small AO world in which processes are spawned, wallets send messages, and
// everything delivered is traced.
//
// Nothing here knows about MostAO or Gherkin. The Lua engine (adapters/lua)
// and the wasm engine (adapters/wasm) implement World in process, both on the
// engine-neutral network of adapters/aonet; adapters/live implements it on an
// AO network over HTTP.
package adapters

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
)

// Tag is one AO message tag. Tags are ordered and names may repeat.
type Tag struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Tags is an ordered tag list.
type Tags []Tag

// Get returns the value of the first tag with the given name.
func (t Tags) Get(name string) (string, bool) {
	for _, tag := range t {
		if tag.Name == name {
			return tag.Value, true
		}
	}
	return "", false
}

// Value returns the value of the first tag with the given name, or "".
func (t Tags) Value(name string) string {
	v, _ := t.Get(name)
	return v
}

// Message is an AO message as the network routes it.
type Message struct {
	// ID is the message id. A world assigns one when it is empty.
	ID string `json:"id,omitempty"`
	// From is the sender's identity: a wallet address for a wallet's message,
	// the sending process id for a message pushed from a process.
	From string `json:"from"`
	// Owner is the signer. For a wallet's own message it equals From; for a
	// pushed message it is the messenger unit. Empty means "same as From".
	Owner  string `json:"owner,omitempty"`
	Target string `json:"target"`
	Anchor string `json:"anchor,omitempty"`
	Data   string `json:"data"`
	Tags   Tags   `json:"tags"`
	// Timestamp in milliseconds. Zero on a request means "the world's clock".
	Timestamp   int64 `json:"timestamp,omitempty"`
	BlockHeight int64 `json:"blockHeight,omitempty"`
}

// Action returns the value of the message's Action tag.
func (m Message) Action() string { return m.Tags.Value("Action") }

// SpawnRequest asks a world for a new process.
type SpawnRequest struct {
	// Module is a module id the world knows (for the Lua engine: a key of its
	// module registry).
	Module string
	// From is the wallet that spawns the process; it becomes the process Owner.
	From string
	// Tags are added to the spawn message (after the protocol tags).
	Tags Tags
	// Data is the spawn message's Data ("NODATA" when empty, as aos sends it).
	Data string
}

// ErrorKind classifies why an evaluation did not succeed.
type ErrorKind string

// The kinds of evaluation failure.
const (
	// ErrorHandler: a handler raised a Lua error; aos returns {Error = ...}
	// and drops the messages queued during that evaluation.
	ErrorHandler ErrorKind = "handler"
	// ErrorCrash: the module call itself failed (a Lua error escaped
	// process.handle, e.g. invalid JSON Data with a JSON Content-Type).
	ErrorCrash ErrorKind = "crash"
	// ErrorComputeLimit: the evaluation ran past its instruction or time budget.
	ErrorComputeLimit ErrorKind = "compute-limit"
	// ErrorMemoryLimit: the process grew past its memory bound.
	ErrorMemoryLimit ErrorKind = "memory-limit"
	// ErrorUnsupported: the source uses a construct the engine cannot run
	// exactly (for the Lua engine: a Lua 5.3 integer beyond 2^53, which its
	// float64 numbers cannot hold).
	ErrorUnsupported ErrorKind = "unsupported"
)

// Result is what one evaluation of one message produced, in the shape of an
// aos result.
type Result struct {
	// Messages is the outbox, in order.
	Messages []Message `json:"messages,omitempty"`
	// Spawns are the spawn requests queued, in order.
	Spawns []Message `json:"spawns,omitempty"`
	// Output is the printed text.
	Output string `json:"output,omitempty"`
	// Error is the error text when the evaluation failed; ErrorKind says how.
	Error     string    `json:"error,omitempty"`
	ErrorKind ErrorKind `json:"errorKind,omitempty"`
}

// Failed reports whether the evaluation failed.
func (r Result) Failed() bool { return r.Error != "" }

// Delivery is one message delivered to one process, with what its evaluation produced.
type Delivery struct {
	// Seq numbers deliveries from 1 over the life of a world.
	Seq     int     `json:"seq"`
	Message Message `json:"message"`
	Result  Result  `json:"result"`
	// Handled is false when the runtime refused the message before any
	// handler ran (an untrusted sender, for example).
	Handled bool `json:"handled"`
}

// Trace is the record of everything a send caused, in delivery order.
type Trace struct {
	// Deliveries are the messages processes evaluated.
	Deliveries []Delivery `json:"deliveries"`
	// ToWallets are the messages whose target is not a process (replies to
	// wallets and any other message leaving the world), in the order sent.
	ToWallets []Message `json:"toWallets"`
	// Spawned lists the ids of processes created, in order.
	Spawned []string `json:"spawned,omitempty"`
}

// RepliesTo returns the messages of the trace that went to the given wallet.
func (t Trace) RepliesTo(wallet string) []Message {
	var out []Message
	for _, m := range t.ToWallets {
		if m.Target == wallet {
			out = append(out, m)
		}
	}
	return out
}

// Append adds another trace's records after this one's.
func (t *Trace) Append(o Trace) {
	t.Deliveries = append(t.Deliveries, o.Deliveries...)
	t.ToWallets = append(t.ToWallets, o.ToWallets...)
	t.Spawned = append(t.Spawned, o.Spawned...)
}

// Exchange is one request a client made and everything that came of it:
// what scenarios assert on and what failure reports print.
type Exchange struct {
	// Kind is "spawn", "send" or "dryrun".
	Kind    string  `json:"kind"`
	Request Message `json:"request"`
	// Trace is what a send caused.
	Trace *Trace `json:"trace,omitempty"`
	// Result is what a dryrun returned.
	Result *Result `json:"result,omitempty"`
	// Err is the world's error, if the call failed.
	Err string `json:"error,omitempty"`
}

// ReplyTarget is where the request's reply goes, as aos msg.reply sends
// it: the request's Reply-To tag when it has one, else its sender.
func (e Exchange) ReplyTarget() string {
	if to, ok := e.Request.Tags.Get("Reply-To"); ok {
		return to
	}
	return e.Request.From
}

// Replies returns the messages that answered the request: for a send, the
// messages that left the world for its ReplyTarget; for a dryrun, the
// result's outbox.
func (e Exchange) Replies() []Message {
	switch {
	case e.Result != nil:
		return e.Result.Messages
	case e.Trace != nil:
		return e.Trace.RepliesTo(e.ReplyTarget())
	}
	return nil
}

// World is a small AO network: the one interface the steps, the models and
// the command line use, whatever engine runs the processes.
//
// Implementations are deterministic for the same sequence of calls: the same
// wallet names, process ids, message ids and timestamps.
type World interface {
	// Wallet returns the address of the wallet with this name, creating it on
	// first use. The same name always gives the same 43-character address.
	Wallet(name string) (string, error)
	// Spawn creates a process owned by p.From, delivers its spawn message and
	// runs the network until it is quiet. It returns the new process id.
	Spawn(ctx context.Context, p SpawnRequest) (string, error)
	// Send delivers a message signed as the wallet m.From, then every message
	// it causes, in FIFO order, until the network is quiet. On error the
	// trace holds what happened before the error.
	Send(ctx context.Context, m Message) (Trace, error)
	// DryRun evaluates m on its target read-only and leaves the process
	// exactly as it was. The caller may claim any From.
	DryRun(ctx context.Context, m Message) (Result, error)
	// Trace returns everything delivered since the world was made.
	Trace() Trace
	// Close releases the world. Later calls fail.
	Close() error
}

// Target is something to certify: a way to make fresh worlds and the module
// id that fills each named role in them (for MostAO: "domain", "profile",
// "session"; this package gives the names no meaning).
type Target struct {
	// Name says what is certified, e.g. "lua:processes (reference)".
	Name string
	// Engine names what runs the worlds and says what the suite may ask
	// of them (fresh worlds, shrinking, parallel calls).
	Engine Engine
	// NewWorld makes a fresh, empty world.
	NewWorld func() (World, error)
	// Modules maps each role to the module id that world spawns for it.
	Modules map[string]string
	// Supplied lists the roles whose modules are the implementation being
	// certified; the other roles of Modules are stand-ins (for MostAO, the
	// reference sources) that earn no verdict. Empty means every role.
	Supplied []string
	// Deployed maps a role to a process already running on the target's
	// network that is the role's implementation: it is certified as it
	// is, in the state it has, and no fresh process of the role can be
	// spawned (the world refuses with ErrUntestable). A scenario may use
	// it only where it needs no fresh state and no ownership of it.
	Deployed map[string]string
}

// Errors a World returns for calls it could not carry out. Which of them
// are the suite's and not the implementation's is IsSuiteError's to say.
var (
	// ErrClosed: the world was closed.
	ErrClosed = errors.New("world is closed")
	// ErrUnknownProcess: the target is not a process of this world.
	ErrUnknownProcess = errors.New("unknown process")
	// ErrUnknownModule: a spawn named a module the world does not know.
	ErrUnknownModule = errors.New("unknown module")
	// ErrUnknownWallet: a send was signed by a wallet the world did not make.
	ErrUnknownWallet = errors.New("unknown wallet")
	// ErrMessageLimit: a send caused more deliveries or spawns than the
	// world allows (a message storm), or more messages than it may queue.
	// The implementation caused it: it is a verdict, not a suite error.
	ErrMessageLimit = errors.New("message limit reached")
	// ErrTooSlow: the machine is too slow for this run. An evaluation hit
	// the engine's wall-clock safety net, which sits far above the work
	// budget that bounds computation (a process that loops is stopped by
	// its work budget, deterministically, and gets a verdict). This error
	// gives no verdict about the implementation: the run is a suite error
	// (exit 2) and should be retried on a less loaded machine or with a
	// larger safety net.
	ErrTooSlow = errors.New("the machine is too slow for this run")
)

// DeterministicID derives a 43-character base64url id (the shape of an
// Arweave address or AO id) from a seed string.
func DeterministicID(seed string) string {
	sum := sha256.Sum256([]byte(seed))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
