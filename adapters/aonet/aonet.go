// Package aonet is the engine-neutral part of the small AO network every
// in-process engine runs: the identities (wallets, the messenger and
// scheduler units, message ids) derived from a world's seed, and the shape
// of the messages a client signs and the messenger unit pushes. The Lua and
// the wasm engine both build their messages here, so that the same calls
// give the same ids, tags and timestamps on either, and their replies can
// be compared (mostao certify --engines).
//
// Routing follows a messenger unit: a wallet's message arrives with From =
// Owner = the wallet (or From = its From-Process tag, which a wallet may
// forge); a process's message arrives with From = the sending process, tags
// From-Process and From-Module set by the network (any the process set are
// replaced), and Owner = the messenger unit, which every process lists as
// an Authority.
package aonet

import (
	"fmt"
	"strconv"

	"github.com/mostao/conformance/adapters"
)

// DefaultClock is the Timestamp of a world's first scheduled message.
const DefaultClock int64 = 1_700_000_000_000

// BlockHeight is the Block-Height every message carries: the world has no
// blocks, and a fixed height keeps results reproducible.
const BlockHeight int64 = 1_500_000

// DefaultSeed is the seed of a world that names none.
const DefaultSeed = "mostao"

// DryRunFrom is the sender of a dryrun that names none, as client
// libraries send it.
const DryRunFrom = "1234"

// ID is the n-th id of a kind ("message") in the world of seed.
func ID(seed, kind string, n int) string {
	return adapters.DeterministicID(seed + "/" + kind + "/" + strconv.Itoa(n))
}

// WalletAddress is the address of the named wallet in the world of seed.
func WalletAddress(seed, name string) string {
	return adapters.DeterministicID(seed + "/wallet/" + name)
}

// CodeTransaction is the id a world gives to a module's source when it
// publishes it on its weave, the transactions a process reads with aos's
// boot loader (On-Boot = <transaction id>): derived from the source alone,
// so the same code has the same id in every world and on every engine.
func CodeTransaction(source string) string {
	return adapters.DeterministicID("mostao-code/" + source)
}

// MessengerUnit is the address that signs messages pushed between
// processes in the world of seed; SchedulerUnit the scheduler every spawn
// names.
func MessengerUnit(seed string) string { return adapters.DeterministicID(seed + "/messenger-unit") }

// SchedulerUnit: see MessengerUnit.
func SchedulerUnit(seed string) string { return adapters.DeterministicID(seed + "/scheduler-unit") }

// WithProtocolTags puts before tags the tags a client puts on every message
// it signs (Data-Protocol, Variant, Type), unless tags has them already.
func WithProtocolTags(tags adapters.Tags, typ string) adapters.Tags {
	out := make(adapters.Tags, 0, len(tags)+3)
	for _, t := range []adapters.Tag{{Name: "Data-Protocol", Value: "ao"}, {Name: "Variant", Value: "ao.TN.1"}, {Name: "Type", Value: typ}} {
		if _, ok := tags.Get(t.Name); !ok {
			out = append(out, t)
		}
	}
	return append(out, tags...)
}

// AuthorityTags lists the Authority tags a spawn message needs: the
// messenger unit (unless have lists it already) and the module's own
// authorities.
func AuthorityTags(messenger string, authorities []string, have adapters.Tags) adapters.Tags {
	var out adapters.Tags
	listed := false
	for _, t := range have {
		if t.Name == "Authority" && t.Value == messenger {
			listed = true
		}
	}
	if !listed {
		out = append(out, adapters.Tag{Name: "Authority", Value: messenger})
	}
	for _, a := range authorities {
		out = append(out, adapters.Tag{Name: "Authority", Value: a})
	}
	return out
}

// SpawnTags are the tags of a wallet's spawn message of module: the
// protocol tags, Module and Scheduler, the Authority tags, then the
// request's own.
func SpawnTags(module, scheduler, messenger string, authorities []string, extra adapters.Tags) adapters.Tags {
	tags := WithProtocolTags(adapters.Tags{{Name: "Module", Value: module}, {Name: "Scheduler", Value: scheduler}}, "Process")
	tags = append(tags, AuthorityTags(messenger, authorities, nil)...)
	return append(tags, extra...)
}

// CheckSigner refuses a wallet's message whose Owner is not its From: a
// wallet signs as itself.
func CheckSigner(m adapters.Message) error {
	if m.Owner != "" && m.Owner != m.From {
		return fmt.Errorf("a wallet signs as itself: Owner %q differs from From %q (to claim another sender, set a From-Process tag)", m.Owner, m.From)
	}
	return nil
}

// SendMessage is the message a wallet's Send delivers (CheckSigner has
// passed): signed by m.From, From taken from a From-Process tag when there
// is one, the protocol tags added, and an id from newID when m has none.
// keepTime says that m brought its own Timestamp, which the message keeps
// (with BlockHeight when it has none).
func SendMessage(m adapters.Message, newID func() string) (msg adapters.Message, keepTime bool) {
	msg = m
	if msg.ID == "" {
		msg.ID = newID()
	}
	msg.Owner = m.From
	if fp, ok := m.Tags.Get("From-Process"); ok {
		msg.From = fp
	}
	msg.Tags = WithProtocolTags(m.Tags, "Message")
	keepTime = m.Timestamp != 0
	if keepTime && msg.BlockHeight == 0 {
		msg.BlockHeight = BlockHeight
	}
	return msg, keepTime
}

// DryRunMessage is the message a DryRun evaluates: From defaults to
// DryRunFrom and Owner to From, a From-Process tag gives From, the
// protocol tags are added, the id comes from newID when m has none, and
// the Timestamp is the world's clock when m has none.
func DryRunMessage(m adapters.Message, newID func() string, clock int64) adapters.Message {
	msg := m
	if msg.From == "" {
		msg.From = DryRunFrom
	}
	if msg.Owner == "" {
		msg.Owner = msg.From
	}
	if msg.ID == "" {
		msg.ID = newID()
	}
	if fp, ok := m.Tags.Get("From-Process"); ok {
		msg.From = fp
	}
	msg.Tags = WithProtocolTags(m.Tags, "Message")
	if msg.Timestamp == 0 {
		msg.Timestamp = clock
	}
	if msg.BlockHeight == 0 {
		msg.BlockHeight = BlockHeight
	}
	return msg
}

// Outgoing turns an outbox entry of process pid (of module moduleID) into
// the network message the messenger unit pushes, with the id id.
func Outgoing(id, messenger, pid, moduleID string, m adapters.Message) adapters.Message {
	tags := make(adapters.Tags, 0, len(m.Tags)+2)
	for _, t := range m.Tags {
		if t.Name != "From-Process" && t.Name != "From-Module" {
			tags = append(tags, t)
		}
	}
	tags = append(tags, adapters.Tag{Name: "From-Process", Value: pid}, adapters.Tag{Name: "From-Module", Value: moduleID})
	return adapters.Message{ID: id, From: pid, Owner: messenger, Target: m.Target, Anchor: m.Anchor, Data: m.Data, Tags: tags}
}

// SpawnedNotice is the message (with the id id) a spawner gets once the
// process pid it spawned exists: the spawn's tags plus Action = Spawned and
// Process = pid.
func SpawnedNotice(id, messenger, spawner string, spawn adapters.Message, pid string) adapters.Message {
	tags := make(adapters.Tags, 0, len(spawn.Tags)+2)
	tags = append(tags, spawn.Tags...)
	tags = append(tags, adapters.Tag{Name: "Action", Value: "Spawned"}, adapters.Tag{Name: "Process", Value: pid})
	return adapters.Message{ID: id, From: spawner, Owner: messenger, Target: spawner, Data: "", Tags: tags}
}
