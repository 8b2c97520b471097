package aonet

import (
	"context"
	"fmt"

	"github.com/mostao/conformance/adapters"
)

// Item is one message waiting to be scheduled.
type Item struct {
	Msg adapters.Message
	// Spawn: the message is a spawn message of module Module, which
	// creates its target; Spawner is the process that asked for it ("" for
	// a wallet's spawn), which gets a Spawned notice.
	Spawn   bool
	Module  string
	Spawner string
	// KeepTime: the message brought its own Timestamp.
	KeepTime bool
	// OwnTarget is the target of the message an assignment delivers again.
	OwnTarget string
}

// Assignment asks for the delivered message Message to be delivered again
// to each of Processes.
type Assignment struct {
	Message   string
	Processes []string
}

// Evaluation is what one delivery gave.
type Evaluation struct {
	Result  adapters.Result
	Handled bool
	// Assignments are those the evaluation asked for.
	Assignments []Assignment
}

// Host is what an engine gives the Router: its processes and how they
// evaluate. Every world-wide limit an engine keeps lives behind it.
type Host interface {
	// NewID is the next message id of the world.
	NewID(kind string) string
	// CheckQueue is called before each delivery with the number of
	// messages waiting and the bytes of their Data: an error ends the call.
	CheckQueue(waiting int, bytes int64) error
	// MakeProcess creates the process of a spawn item. refused, when not
	// empty, is why the spawn was refused without a process (an unknown
	// module); an error ends the call.
	MakeProcess(ctx context.Context, it Item) (refused string, err error)
	// IsProcess reports whether id is a process of the world, and
	// ModuleOf gives its module id.
	IsProcess(id string) bool
	ModuleOf(id string) string
	// Authorities are the Authority values of module, and whether the
	// world knows it.
	Authorities(module string) ([]string, bool)
	// Eval delivers it to its target, with the target's nonce.
	Eval(ctx context.Context, it Item, nonce int64) (Evaluation, error)
	// Discard removes a process whose spawn message could not be carried
	// out.
	Discard(id string)
	// ToWallet is told of each message that leaves the world for a wallet.
	ToWallet(m adapters.Message)
}

// Limits bound what one call of the router may cause.
type Limits struct {
	MaxDeliveriesPerSend int
	MaxSpawnsPerSend     int
}

// Router schedules messages FIFO until the network is quiet: each
// delivered message takes the world clock, which then advances by 1 ms;
// what a process sends goes to the process it names, or leaves the world
// for a wallet; its spawns are created and their spawner notified; its
// assignments deliver a message again elsewhere. Both engines' worlds run
// their calls through one Router.
type Router struct {
	// Clock is the Timestamp the next scheduled message gets.
	Clock int64
	// Messenger is the messenger unit's address.
	Messenger string
	// PushedFor tags every message a process pushes (and every spawn it
	// asks for) with Pushed-For = the id of the message whose evaluation
	// made it, as legacy messenger units do, so that a client of a network
	// in front of the world can follow a trace. Processes see the tag.
	PushedFor bool

	seq    int
	nonces map[string]int64
	// delivered maps the id of every message delivered to a process to
	// the message, so an assignment can deliver it again elsewhere.
	delivered map[string]adapters.Message
}

// NewRouter returns a router whose clock starts at clock.
func NewRouter(clock int64, messenger string) *Router {
	return &Router{Clock: clock, Messenger: messenger, nonces: map[string]int64{}, delivered: map[string]adapters.Message{}}
}

// Run delivers queue and everything it causes. On error the trace holds
// what happened before it.
func (r *Router) Run(ctx context.Context, h Host, lim Limits, queue []Item) (adapters.Trace, error) {
	var tr adapters.Trace
	deliveries, spawns := 0, 0
	var queued int64 // bytes of Data waiting in queue
	for _, it := range queue {
		queued += int64(len(it.Msg.Data))
	}
	for len(queue) > 0 {
		if err := ctx.Err(); err != nil {
			return tr, fmt.Errorf("stopped with %d messages undelivered: %w", len(queue), err)
		}
		if err := h.CheckQueue(len(queue), queued); err != nil {
			return tr, err
		}
		it := queue[0]
		queue = queue[1:]
		queued -= int64(len(it.Msg.Data))
		if deliveries >= lim.MaxDeliveriesPerSend {
			last := tr.Deliveries[len(tr.Deliveries)-1].Message
			return tr, fmt.Errorf("%w: %d deliveries caused by one call (MaxDeliveriesPerSend); %d more were queued, the last delivered was %q on process %s: a message storm?",
				adapters.ErrMessageLimit, deliveries, len(queue)+1, last.Action(), last.Target)
		}
		if !it.KeepTime {
			it.Msg.Timestamp = r.Clock
			it.Msg.BlockHeight = BlockHeight
		}
		if it.Spawn {
			if spawns >= lim.MaxSpawnsPerSend {
				return tr, fmt.Errorf("%w: %d spawns caused by one call (MaxSpawnsPerSend)", adapters.ErrMessageLimit, spawns)
			}
			spawns++
			refused, err := h.MakeProcess(ctx, it)
			if err != nil {
				return tr, fmt.Errorf("creating process %s: %w", it.Msg.ID, err)
			}
			if refused != "" {
				r.seq++
				tr.Deliveries = append(tr.Deliveries, adapters.Delivery{Seq: r.seq, Message: it.Msg, Handled: false,
					Result: adapters.Result{Error: refused, ErrorKind: adapters.ErrorCrash}})
				continue
			}
		}
		pid := it.Msg.Target
		if !h.IsProcess(pid) {
			// Checked when queued; a process never disappears.
			return tr, fmt.Errorf("%w: %q", adapters.ErrUnknownProcess, pid)
		}
		r.Clock++
		deliveries++
		nonce := r.nonces[pid]
		r.nonces[pid]++
		ev, err := h.Eval(ctx, it, nonce)
		if err != nil {
			if it.Spawn {
				// The process never finished being created.
				h.Discard(pid)
			}
			return tr, fmt.Errorf("evaluating message %s on process %s: %w", it.Msg.ID, pid, err)
		}
		res := ev.Result
		r.seq++
		tr.Deliveries = append(tr.Deliveries, adapters.Delivery{Seq: r.seq, Message: it.Msg, Result: res, Handled: ev.Handled})
		if _, seen := r.delivered[it.Msg.ID]; !seen {
			r.delivered[it.Msg.ID] = it.Msg
		}
		if it.Spawn {
			tr.Spawned = append(tr.Spawned, pid)
			if it.Spawner != "" {
				queue = append(queue, Item{Msg: SpawnedNotice(h.NewID("message"), r.Messenger, it.Spawner, it.Msg, pid)})
			}
		}
		if res.Failed() {
			continue
		}
		module := h.ModuleOf(pid)
		for _, m := range res.Messages {
			out := r.pushed(h, pid, module, m, it.Msg.ID)
			if h.IsProcess(out.Target) {
				queue = append(queue, Item{Msg: out})
				queued += int64(len(out.Data))
			} else {
				out.Timestamp = r.Clock
				out.BlockHeight = BlockHeight
				tr.ToWallets = append(tr.ToWallets, out)
				h.ToWallet(out)
			}
		}
		for _, s := range res.Spawns {
			out := r.pushed(h, pid, module, s, it.Msg.ID)
			out.Target = out.ID
			spawned := out.Tags.Value("Module")
			if auth, ok := h.Authorities(spawned); ok {
				out.Tags = append(out.Tags, AuthorityTags(r.Messenger, auth, out.Tags)...)
			}
			queue = append(queue, Item{Msg: out, Spawn: true, Module: spawned, Spawner: pid})
		}
		// Assignments: the named message, delivered again (same id, From,
		// Owner, tags and data) to each listed process. Unknown messages
		// or processes are skipped, as a scheduler would refuse them.
		for _, a := range ev.Assignments {
			orig, ok := r.delivered[a.Message]
			if !ok {
				continue
			}
			for _, target := range a.Processes {
				if h.IsProcess(target) {
					m := orig
					m.Target = target
					queue = append(queue, Item{Msg: m, OwnTarget: orig.Target})
					queued += int64(len(m.Data))
				}
			}
		}
	}
	return tr, nil
}

// pushed is the network message the messenger unit pushes for an outbox
// entry m of process pid, made while evaluating the message parent.
func (r *Router) pushed(h Host, pid, module string, m adapters.Message, parent string) adapters.Message {
	out := Outgoing(h.NewID("message"), r.Messenger, pid, module, m)
	if r.PushedFor {
		tags := make(adapters.Tags, 0, len(out.Tags)+1)
		for _, t := range out.Tags {
			if t.Name != "Pushed-For" {
				tags = append(tags, t)
			}
		}
		out.Tags = append(tags, adapters.Tag{Name: "Pushed-For", Value: parent})
	}
	return out
}

// Process is what a world's process table needs of a process.
type Process interface {
	// ModuleID is the id of the module the process runs.
	ModuleID() string
	// Close releases what runs the process.
	Close()
}

// Processes is a world's process table, by process id: it gives a Host
// its IsProcess, ModuleOf and Discard.
type Processes[P Process] map[string]P

// IsProcess reports whether id is a process of the table.
func (ps Processes[P]) IsProcess(id string) bool {
	_, ok := ps[id]
	return ok
}

// ModuleOf is the module id of process id ("" for no process).
func (ps Processes[P]) ModuleOf(id string) string {
	if p, ok := ps[id]; ok {
		return p.ModuleID()
	}
	return ""
}

// Discard closes and removes process id.
func (ps Processes[P]) Discard(id string) {
	if p, ok := ps[id]; ok {
		delete(ps, id)
		p.Close()
	}
}
