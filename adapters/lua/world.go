package lua

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/mostao/conformance/adapters"
)

// ErrSpawnFailed is returned (wrapped, with the reason) by Spawn when the new
// process's spawn message did not evaluate cleanly. The process exists: its
// id is returned too, and the trace holds the failed delivery.
var ErrSpawnFailed = errors.New("spawn message failed")

// World is an in-process AO network of gopher-lua processes. It implements
// adapters.World. A World is used by one goroutine at a time.
//
// Routing follows a messenger unit: a wallet's message arrives with From =
// Owner = the wallet (or From = its From-Process tag, which a wallet may
// forge, and which the trust rule then refuses); a process's message
// arrives with From = the sending process, tags From-Process and
// From-Module set by the world (any the process set are replaced), and
// Owner = the messenger unit, which every process lists as an Authority.
// Messages are delivered in FIFO order until the network is quiet. Each
// delivered message takes the world clock, which then advances by 1 ms.
type World struct {
	opts   Options
	limits Limits
	seed   string
	clock  int64

	ids       int
	dryruns   int
	seq       int
	wallets   map[string]string // name -> address
	addresses map[string]bool   // wallet addresses
	processes map[string]*process
	nonces    map[string]int64
	// delivered maps the id of every message delivered to a process to the
	// message, so an assignment can deliver it again elsewhere.
	delivered map[string]adapters.Message
	// compiled caches each module's compiled source.
	compiled map[string]*compiledModule
	trace    adapters.Trace
	closed   bool

	// workLeft, messages and spawns count what the whole world did, against
	// MaxWorldWork, MaxMessagesPerWorld and MaxSpawnsPerWorld.
	workLeft int64
	// replayWork is the work of rollbacks' replays, counted in WorkDone
	// only.
	replayWork int64
	messages   int
	spawns     int

	messenger string
	scheduler string
}

var _ adapters.World = (*World)(nil)

// New makes an empty world.
func New(opts Options) (*World, error) {
	if _, err := loadRuntime(); err != nil {
		return nil, err
	}
	if opts.Seed == "" {
		opts.Seed = "mostao"
	}
	if opts.Clock == 0 {
		opts.Clock = DefaultClock
	}
	w := &World{
		opts:      opts,
		limits:    opts.Limits.withDefaults(),
		seed:      opts.Seed,
		clock:     opts.Clock,
		wallets:   map[string]string{},
		addresses: map[string]bool{},
		processes: map[string]*process{},
		nonces:    map[string]int64{},
		delivered: map[string]adapters.Message{},
		compiled:  map[string]*compiledModule{},
	}
	w.workLeft = w.limits.MaxWorldWork
	w.messenger = adapters.DeterministicID(w.seed + "/messenger-unit")
	w.scheduler = adapters.DeterministicID(w.seed + "/scheduler-unit")
	return w, nil
}

// SchedulerUnit returns the address every spawn message names as its
// Scheduler.
func (w *World) SchedulerUnit() string { return w.scheduler }

// MessengerUnit returns the address that signs messages pushed between
// processes. Every process lists it as an Authority.
func (w *World) MessengerUnit() string { return w.messenger }

// processWork is the work charged to a world for making a process (a Lua
// state with its libraries and the runtime loaded, before the spawn message
// runs): about 1.2 ms of CPU measured by BenchmarkSpawn, what some 50,000
// instructions cost.
const processWork = 50_000

// WorkDone is the work this world's evaluations have done, in units (see
// Limits.MaxWork): what adapters.RunWork adds to a run's count. Replays of a
// rollback count again here (they cost their time again, and the same on
// every machine), though not against MaxWorldWork, which counted them when
// they first ran.
func (w *World) WorkDone() int64 { return w.limits.MaxWorldWork - w.workLeft + w.replayWork }

var _ adapters.WorkCounter = (*World)(nil)

// Clock returns the Timestamp the next scheduled message will get.
func (w *World) Clock() int64 { return w.clock }

func (w *World) newID(kind string) string {
	w.ids++
	return adapters.DeterministicID(w.seed + "/" + kind + "/" + strconv.Itoa(w.ids))
}

// Wallet returns the address of the named wallet, creating it on first use.
func (w *World) Wallet(name string) (string, error) {
	if w.closed {
		return "", adapters.ErrClosed
	}
	if a, ok := w.wallets[name]; ok {
		return a, nil
	}
	a := adapters.DeterministicID(w.seed + "/wallet/" + name)
	w.wallets[name] = a
	w.addresses[a] = true
	return a, nil
}

// protocolTags are the tags a client puts on every message it signs.
func withProtocolTags(tags adapters.Tags, typ string) adapters.Tags {
	out := make(adapters.Tags, 0, len(tags)+3)
	for _, t := range []adapters.Tag{{Name: "Data-Protocol", Value: "ao"}, {Name: "Variant", Value: "ao.TN.1"}, {Name: "Type", Value: typ}} {
		if _, ok := tags.Get(t.Name); !ok {
			out = append(out, t)
		}
	}
	return append(out, tags...)
}

// Spawn creates a process of module p.Module owned by the wallet p.From,
// delivers its spawn message and runs the network until it is quiet.
func (w *World) Spawn(ctx context.Context, req adapters.SpawnRequest) (string, error) {
	pid, _, err := w.SpawnTraced(ctx, req, "")
	return pid, err
}

// Admit makes an address a wallet of this world, so that it may spawn and
// send: a network in front of the world (package devnet) verifies the
// signatures of its clients' messages and admits their signers.
func (w *World) Admit(address string) {
	w.addresses[address] = true
}

// AddModule registers a module after the world was made (a network in
// front of the world publishes modules as its clients upload them). An id
// already registered keeps its module.
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

// SpawnTraced is Spawn that also returns what the spawn caused. A non-empty
// id is the new process's id (the id of its spawn message, signed
// elsewhere) instead of one the world derives.
func (w *World) SpawnTraced(ctx context.Context, req adapters.SpawnRequest, id string) (string, adapters.Trace, error) {
	if w.closed {
		return "", adapters.Trace{}, adapters.ErrClosed
	}
	if !w.addresses[req.From] {
		return "", adapters.Trace{}, fmt.Errorf("%w: %q is not a wallet of this world (make it with Wallet first)", adapters.ErrUnknownWallet, req.From)
	}
	mod, ok := w.opts.Modules[req.Module]
	if !ok {
		return "", adapters.Trace{}, fmt.Errorf("%w: %q (this world knows %d modules)", adapters.ErrUnknownModule, req.Module, len(w.opts.Modules))
	}
	pid := id
	if pid == "" {
		pid = w.newID("message")
	} else if _, taken := w.processes[pid]; taken {
		return "", adapters.Trace{}, fmt.Errorf("process %s already exists", pid)
	}
	tags := withProtocolTags(adapters.Tags{{Name: "Module", Value: req.Module}, {Name: "Scheduler", Value: w.scheduler}}, "Process")
	tags = append(tags, w.authorityTags(mod, nil)...)
	tags = append(tags, req.Tags...)
	data := req.Data
	if data == "" {
		data = "NODATA"
	}
	msg := adapters.Message{ID: pid, From: req.From, Owner: req.From, Target: pid, Data: data, Tags: tags}
	tr, err := w.run(ctx, []item{{msg: msg, spawn: true, module: req.Module}})
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

// authorityTags lists the Authority tags a spawn message needs: the
// messenger unit (unless already listed) and the module's own authorities.
func (w *World) authorityTags(mod Module, have adapters.Tags) adapters.Tags {
	var out adapters.Tags
	listed := false
	for _, t := range have {
		if t.Name == "Authority" && t.Value == w.messenger {
			listed = true
		}
	}
	if !listed {
		out = append(out, adapters.Tag{Name: "Authority", Value: w.messenger})
	}
	for _, a := range mod.Authority {
		out = append(out, adapters.Tag{Name: "Authority", Value: a})
	}
	return out
}

// Send delivers a message signed by the wallet m.From, then everything it
// causes, until the network is quiet. A non-zero m.Timestamp (and
// m.BlockHeight) is used for that message instead of the world clock; the
// clock still advances.
func (w *World) Send(ctx context.Context, m adapters.Message) (adapters.Trace, error) {
	if w.closed {
		return adapters.Trace{}, adapters.ErrClosed
	}
	if !w.addresses[m.From] {
		return adapters.Trace{}, fmt.Errorf("%w: %q is not a wallet of this world (make it with Wallet first)", adapters.ErrUnknownWallet, m.From)
	}
	if m.Owner != "" && m.Owner != m.From {
		return adapters.Trace{}, fmt.Errorf("a wallet signs as itself: Owner %q differs from From %q (to claim another sender, set a From-Process tag)", m.Owner, m.From)
	}
	if _, ok := w.processes[m.Target]; !ok {
		return adapters.Trace{}, fmt.Errorf("%w: %q is not a process of this world", adapters.ErrUnknownProcess, m.Target)
	}
	msg := m
	if msg.ID == "" {
		msg.ID = w.newID("message")
	}
	msg.Owner = m.From
	if fp, ok := m.Tags.Get("From-Process"); ok {
		msg.From = fp
	}
	msg.Tags = withProtocolTags(m.Tags, "Message")
	keep := m.Timestamp != 0
	if keep && msg.BlockHeight == 0 {
		msg.BlockHeight = BlockHeight
	}
	tr, err := w.run(ctx, []item{{msg: msg, keepTime: keep}})
	w.trace.Append(tr)
	return tr, err
}

// DryRun evaluates m on its target read-only and leaves the process as it
// was. From may be anything (default "1234", as client libraries send);
// Owner defaults to From. The world clock does not advance.
func (w *World) DryRun(ctx context.Context, m adapters.Message) (adapters.Result, error) {
	if w.closed {
		return adapters.Result{}, adapters.ErrClosed
	}
	p, ok := w.processes[m.Target]
	if !ok {
		return adapters.Result{}, fmt.Errorf("%w: %q is not a process of this world", adapters.ErrUnknownProcess, m.Target)
	}
	msg := m
	if msg.From == "" {
		msg.From = "1234"
	}
	if msg.Owner == "" {
		msg.Owner = msg.From
	}
	if msg.ID == "" {
		w.dryruns++
		msg.ID = adapters.DeterministicID(w.seed + "/dryrun/" + strconv.Itoa(w.dryruns))
	}
	if fp, ok := m.Tags.Get("From-Process"); ok {
		msg.From = fp
	}
	msg.Tags = withProtocolTags(m.Tags, "Message")
	if msg.Timestamp == 0 {
		msg.Timestamp = w.clock
	}
	if msg.BlockHeight == 0 {
		msg.BlockHeight = BlockHeight
	}
	res, _, err := p.eval(ctx, delivery{msg: msg, readOnly: true, nonce: -1}, w.evalLimits())
	return res, err
}

// Trace returns everything delivered since the world was made.
func (w *World) Trace() adapters.Trace {
	var t adapters.Trace
	t.Append(w.trace)
	return t
}

// Close releases every process. Later calls fail with adapters.ErrClosed.
func (w *World) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	for _, p := range w.processes {
		p.close()
	}
	w.processes = nil
	return nil
}

func (w *World) evalLimits() evalLimits {
	return evalLimits{
		work:       w.limits.MaxWork,
		worldLeft:  &w.workLeft,
		replayed:   &w.replayWork,
		safety:     w.limits.EvalTimeout,
		output:     w.limits.MaxOutputBytes,
		data:       w.limits.MaxDataBytes,
		outbox:     w.limits.MaxOutboxBytes,
		maxString:  w.limits.MaxStringBytes,
		source:     sourceBounds{bytes: w.limits.MaxSourceBytes, depth: w.limits.MaxSourceDepth},
		heapGrowth: w.limits.MaxEvalHeapGrowth,
		entries:    w.limits.MaxStateEntries,
		bytes:      w.limits.MaxStateBytes,
		messages:   w.limits.MaxMessagesPerEval,
	}
}

// overWorldLimit says why the world refuses to evaluate anything more
// ("" while it may): a bound on the whole world's messages or spawns.
func (w *World) overWorldLimit(spawn bool) string {
	if w.messages >= w.limits.MaxMessagesPerWorld {
		return fmt.Sprintf("this world has routed %d messages, its limit (MaxMessagesPerWorld): a message storm, or a process too slow to certify", w.messages)
	}
	if spawn && w.spawns >= w.limits.MaxSpawnsPerWorld {
		return fmt.Sprintf("this world has spawned %d processes, its limit (MaxSpawnsPerWorld)", w.spawns)
	}
	return ""
}

// item is one thing waiting to be scheduled: a message for a process, or a
// spawn message that creates its target first.
type item struct {
	msg     adapters.Message
	spawn   bool
	module  string
	spawner *process // the process that asked for the spawn, if any
	// keepTime: the caller set Timestamp (and maybe Block-Height) itself.
	keepTime bool
	// ownTarget is the message's own Target when it is delivered by
	// assignment to another process (msg.Target): the process sees it, as
	// on AO, and refuses the message unless it made it assignable.
	ownTarget string
}

// run schedules queue and everything it causes, FIFO, until quiet.
func (w *World) run(ctx context.Context, queue []item) (adapters.Trace, error) {
	var tr adapters.Trace
	deliveries, spawns := 0, 0
	var queued int64 // bytes of Data waiting in queue
	for _, it := range queue {
		queued += int64(len(it.msg.Data))
	}
	for len(queue) > 0 {
		if err := ctx.Err(); err != nil {
			return tr, fmt.Errorf("stopped with %d messages undelivered: %w", len(queue), err)
		}
		if len(queue) > w.limits.MaxQueuedMessages || queued > w.limits.MaxQueuedBytes {
			return tr, fmt.Errorf("%w: %d messages (%d bytes of Data) wait for delivery, more than MaxQueuedMessages (%d) or MaxQueuedBytes (%d): a fan-out storm?",
				adapters.ErrMessageLimit, len(queue), queued, w.limits.MaxQueuedMessages, w.limits.MaxQueuedBytes)
		}
		it := queue[0]
		queue = queue[1:]
		queued -= int64(len(it.msg.Data))
		if deliveries >= w.limits.MaxDeliveriesPerSend {
			return tr, fmt.Errorf("%w: %d deliveries caused by one call (MaxDeliveriesPerSend); %d more were queued, the last delivered was %q on process %s: a message storm?",
				adapters.ErrMessageLimit, deliveries, len(queue)+1, tr.Deliveries[len(tr.Deliveries)-1].Message.Action(), tr.Deliveries[len(tr.Deliveries)-1].Message.Target)
		}
		if !it.keepTime {
			it.msg.Timestamp = w.clock
			it.msg.BlockHeight = BlockHeight
		}
		if it.spawn {
			if spawns >= w.limits.MaxSpawnsPerSend {
				return tr, fmt.Errorf("%w: %d spawns caused by one call (MaxSpawnsPerSend)", adapters.ErrMessageLimit, spawns)
			}
			spawns++
			over := w.overWorldLimit(true)
			w.spawns++
			mod, ok := w.opts.Modules[it.module]
			if !ok {
				w.seq++
				tr.Deliveries = append(tr.Deliveries, adapters.Delivery{Seq: w.seq, Message: it.msg, Handled: false,
					Result: adapters.Result{Error: fmt.Sprintf("spawn refused: unknown module %q", it.module), ErrorKind: adapters.ErrorCrash}})
				continue
			}
			code, ok := w.compiled[it.module]
			if !ok {
				code = compileModule(it.module, mod, sourceBounds{bytes: w.limits.MaxSourceBytes, depth: w.limits.MaxSourceDepth})
				w.compiled[it.module] = code
			}
			p, err := newProcess(it.msg.ID, it.module, mod, code, it.msg, it.msg.From)
			if err != nil {
				return tr, fmt.Errorf("creating process %s: %w", it.msg.ID, err)
			}
			// Making the process is work the world did, though no Lua
			// instruction counted it: a chain of spawns costs its time.
			w.workLeft -= processWork
			if over != "" && p.broken == "" {
				// Past the world's bound the process exists but cannot run:
				// its every message fails with the limit.
				p.broken, p.brokenKind = over, adapters.ErrorComputeLimit
			}
			w.processes[p.id] = p
		}
		p, ok := w.processes[it.msg.Target]
		if !ok {
			// Checked when queued; a process never disappears.
			return tr, fmt.Errorf("%w: %q", adapters.ErrUnknownProcess, it.msg.Target)
		}
		w.clock++
		deliveries++
		nonce := w.nonces[p.id]
		w.nonces[p.id]++
		var res adapters.Result
		var handled bool
		var err error
		if over := w.overWorldLimit(false); over != "" {
			res = adapters.Result{Error: over, ErrorKind: adapters.ErrorComputeLimit}
		} else {
			res, handled, err = p.eval(ctx, delivery{msg: it.msg, nonce: nonce, ownTarget: it.ownTarget}, w.evalLimits())
		}
		w.messages++
		if err != nil {
			if it.spawn {
				// The process never finished being created.
				delete(w.processes, p.id)
				p.close()
			}
			return tr, fmt.Errorf("evaluating message %s on process %s: %w", it.msg.ID, p.id, err)
		}
		w.seq++
		tr.Deliveries = append(tr.Deliveries, adapters.Delivery{Seq: w.seq, Message: it.msg, Result: res, Handled: handled})
		if _, seen := w.delivered[it.msg.ID]; !seen {
			w.delivered[it.msg.ID] = it.msg
		}
		if it.spawn {
			tr.Spawned = append(tr.Spawned, p.id)
			if it.spawner != nil {
				queue = append(queue, item{msg: w.spawnedNotice(it, p.id)})
			}
		}
		if res.Failed() {
			continue
		}
		for _, m := range res.Messages {
			out := w.outgoing(p, m, it.msg.ID)
			if _, isProcess := w.processes[out.Target]; isProcess {
				queue = append(queue, item{msg: out})
				queued += int64(len(out.Data))
			} else {
				out.Timestamp = w.clock
				out.BlockHeight = BlockHeight
				tr.ToWallets = append(tr.ToWallets, out)
				w.messages++
			}
		}
		for _, s := range res.Spawns {
			out := w.outgoing(p, s, it.msg.ID)
			out.Target = out.ID
			module := out.Tags.Value("Module")
			if mod, ok := w.opts.Modules[module]; ok {
				out.Tags = append(out.Tags, w.authorityTags(mod, out.Tags)...)
			}
			queue = append(queue, item{msg: out, spawn: true, module: module, spawner: p})
		}
		// Assignments: the named message, delivered again (same id, From,
		// Owner, tags and data) to each listed process. Unknown messages or
		// processes are skipped, as a scheduler would refuse them.
		for _, a := range p.assignments {
			orig, ok := w.delivered[a.message]
			if !ok {
				continue
			}
			for _, target := range a.processes {
				if _, ok := w.processes[target]; ok {
					m := orig
					m.Target = target
					queue = append(queue, item{msg: m, ownTarget: orig.Target})
					queued += int64(len(m.Data))
				}
			}
		}
	}
	return tr, nil
}

// outgoing turns an outbox entry of p, made while evaluating message
// parent, into a network message pushed by the messenger unit.
func (w *World) outgoing(p *process, m adapters.Message, parent string) adapters.Message {
	tags := make(adapters.Tags, 0, len(m.Tags)+3)
	for _, t := range m.Tags {
		if t.Name != "From-Process" && t.Name != "From-Module" && (!w.opts.PushedFor || t.Name != "Pushed-For") {
			tags = append(tags, t)
		}
	}
	tags = append(tags, adapters.Tag{Name: "From-Process", Value: p.id}, adapters.Tag{Name: "From-Module", Value: p.moduleID})
	if w.opts.PushedFor {
		tags = append(tags, adapters.Tag{Name: "Pushed-For", Value: parent})
	}
	return adapters.Message{ID: w.newID("message"), From: p.id, Owner: w.messenger, Target: m.Target, Anchor: m.Anchor, Data: m.Data, Tags: tags}
}

// spawnedNotice is the message a spawner gets once its process exists: the
// spawn's tags plus Action = Spawned and Process = the new id.
func (w *World) spawnedNotice(it item, pid string) adapters.Message {
	tags := make(adapters.Tags, 0, len(it.msg.Tags)+2)
	tags = append(tags, it.msg.Tags...)
	tags = append(tags, adapters.Tag{Name: "Action", Value: "Spawned"}, adapters.Tag{Name: "Process", Value: pid})
	// The spawn message carries the Pushed-For of the message that asked
	// for it, and so does this notice: a client finds both by it.
	return adapters.Message{ID: w.newID("message"), From: it.spawner.id, Owner: w.messenger, Target: it.spawner.id, Data: "", Tags: tags}
}
