package live

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet"
)

// pending is a message scheduled on a process whose result is awaited;
// at is the time it was scheduled, once read.
type pending struct {
	id, pid string
	at      int64
}

// follow reads the result of message id on pid, then of every message its
// evaluation pushed to a process and every process it spawned, until
// nothing is left: the network is quiet for this trace. The deliveries are
// ordered by their scheduled time. What cannot be found in time is an
// adapters.ErrTransport: a trace is complete or it is an error.
func (w *World) follow(ctx context.Context, id, pid string) (adapters.Trace, error) {
	var ds []adapters.Delivery
	seen := map[string]bool{}
	claimed := map[string]bool{}
	queue := []pending{{id: id, pid: pid}}
	finish := func() adapters.Trace { return w.assemble(ds) }
	for len(queue) > 0 {
		if err := ctx.Err(); err != nil {
			return finish(), fmt.Errorf("following the trace of %s, %d messages unread: %w", id, len(queue), err)
		}
		p := queue[0]
		queue = queue[1:]
		if seen[p.pid+"/"+p.id] {
			return finish(), fmt.Errorf("%w: message %s was delivered to process %s twice", adapters.ErrTransport, p.id, p.pid)
		}
		seen[p.pid+"/"+p.id] = true
		if _, err := w.isProcess(ctx, p.pid); err != nil {
			return finish(), err
		}
		msg, res, err := w.delivered(ctx, p.id, p.pid)
		if err != nil {
			return finish(), err
		}
		ds = append(ds, adapters.Delivery{Message: msg, Result: res, Handled: true})
		p.at = msg.Timestamp
		if res.Failed() {
			// aos drops what a failed evaluation queued.
			continue
		}
		for _, out := range res.Messages {
			ok, err := w.isProcess(ctx, out.Target)
			if err != nil {
				return finish(), err
			}
			if !ok {
				continue
			}
			if err := w.receivable(p.pid, out.Target); err != nil {
				return finish(), err
			}
			what := fmt.Sprintf("a message that process %s sent to %s while evaluating %s", p.pid, out.Target, p.id)
			pushed, err := w.findPushed(ctx, what, out.Target, p, claimed, func(m adapters.Message) bool {
				return m.Tags.Value("From-Process") == p.pid && m.Data == out.Data && m.Action() == out.Action()
			})
			if err != nil {
				return finish(), err
			}
			queue = append(queue, pending{id: pushed.ID, pid: out.Target})
		}
		for _, sp := range res.Spawns {
			if err := w.spawnable(p.pid, sp.Tags.Value("Module")); err != nil {
				return finish(), err
			}
			what := fmt.Sprintf("the Spawned notice of a process that %s asked for while evaluating %s (was its module known to the network?)", p.pid, p.id)
			notice, err := w.findPushed(ctx, what, p.pid, p, claimed, func(m adapters.Message) bool {
				return hasTag(m.Tags, "Action", "Spawned") && ValidID(lastValue(m.Tags, "Process"))
			})
			if err != nil {
				return finish(), err
			}
			child := lastValue(notice.Tags, "Process")
			queue = append(queue, pending{id: child, pid: child}, pending{id: notice.ID, pid: p.pid})
		}
	}
	return finish(), nil
}

// spawnable refuses, as adapters.ErrUntestable, a spawn that process pid
// asked for of a module the network cannot run: a module id of the suite's
// own (a source loaded by Eval, which the network has no module of, or a
// role certified as a deployed process). The Spawned notice would never
// come, and waiting for it would end the run as a suite error: the
// scenario or property is untested instead.
func (w *World) spawnable(pid, module string) error {
	m, ours := w.modules[module]
	switch {
	case !ours:
		return nil
	case m.Deployed != "":
		return fmt.Errorf("%w: process %s asked to spawn %s, which is certified as the deployed process %s: a fresh process of it cannot be spawned", adapters.ErrUntestable, pid, m.Name, m.Deployed)
	}
	return fmt.Errorf("%w: process %s asked to spawn module %s, the suite's id for %s; under %s=%s the sources are loaded by Eval and the network has no module of them, so no process can spawn one (a devnet takes %s=%s)",
		adapters.ErrUntestable, pid, module, m.Name, EnvSpawn, SpawnEval, EnvSpawn, SpawnPublish)
}

// receivable refuses, as adapters.ErrUntestable, a message from process
// from to a process whose spawn named a module of the suite's own (a
// profile told which module its sessions run). That module is not on the
// network: the sessions run the network's aos module, as every process
// loaded by Eval does, so the receiver cannot tell a session of it from
// any other process, and what it makes of the message says nothing of the
// implementation.
func (w *World) receivable(from, to string) error {
	name, ok := w.trusting[to]
	if !ok {
		return nil
	}
	return fmt.Errorf("%w: process %s sent a message to %s, which was spawned naming %s as a module; under %s=%s every process runs the network's aos module, so %s cannot tell a process of %s from any other",
		adapters.ErrUntestable, from, to, name, EnvSpawn, SpawnEval, to, name)
}

// assemble orders what was followed into a trace: deliveries by scheduled
// time, numbered on from the world's count; the messages to wallets in the
// order they were sent; the processes spawned.
func (w *World) assemble(ds []adapters.Delivery) adapters.Trace {
	sortDeliveries(ds)
	var tr adapters.Trace
	for _, d := range ds {
		w.seq++
		d.Seq = w.seq
		tr.Deliveries = append(tr.Deliveries, d)
		if d.Message.ID == d.Message.Target {
			tr.Spawned = append(tr.Spawned, d.Message.ID)
		}
		if d.Result.Failed() {
			continue
		}
		pid := d.Message.Target
		for k, out := range d.Result.Messages {
			if mod, known := w.processes[out.Target]; known && mod != "" {
				continue
			}
			// The message as the messenger unit pushes it, stamped with
			// the time of the evaluation that sent it.
			m := aonet.Outgoing(adapters.DeterministicID(d.Message.ID+"/"+pid+"/out/"+strconv.Itoa(k)), w.cfg.Authority, pid, w.processes[pid], out)
			m.Timestamp, m.BlockHeight = d.Message.Timestamp, d.Message.BlockHeight
			tr.ToWallets = append(tr.ToWallets, m)
		}
	}
	return tr
}

func hasTag(tags adapters.Tags, name, value string) bool {
	for _, t := range tags {
		if t.Name == name && t.Value == value {
			return true
		}
	}
	return false
}

func lastValue(tags adapters.Tags, name string) string {
	v := ""
	for _, t := range tags {
		if t.Name == name {
			v = t.Value
		}
	}
	return v
}

// delivered reads message id as scheduled on pid and its result, from
// the back end the configuration names.
func (w *World) delivered(ctx context.Context, id, pid string) (adapters.Message, adapters.Result, error) {
	if w.cfg.hyperbeam() {
		return w.hbDelivered(ctx, id, pid)
	}
	msg, err := w.scheduled(ctx, id, pid)
	if err != nil {
		return msg, adapters.Result{}, err
	}
	res, err := w.resultOf(ctx, id, pid)
	return msg, res, err
}

// scheduled reads message id as the scheduler unit scheduled it on pid,
// waiting until it is there.
func (w *World) scheduled(ctx context.Context, id, pid string) (adapters.Message, error) {
	var s suMessage
	u := w.cfg.SU + "/" + url.PathEscape(id) + "?process-id=" + url.QueryEscape(pid)
	if _, err := w.c.getJSON(ctx, "reading message "+id+" from the scheduler unit", u, &s, pollMode{waitNotFound: true}); err != nil {
		return adapters.Message{}, err
	}
	if s.Message.ID != id {
		return adapters.Message{}, fmt.Errorf("%w: the scheduler unit answered message %q for %s", adapters.ErrTransport, s.Message.ID, id)
	}
	return s.message(pid), nil
}

// resultOf polls the compute unit for the result of message id on pid.
func (w *World) resultOf(ctx context.Context, id, pid string) (adapters.Result, error) {
	var r cuResult
	u := w.cfg.CU + "/result/" + url.PathEscape(id) + "?process-id=" + url.QueryEscape(pid)
	if _, err := w.c.getJSON(ctx, "reading the result of message "+id+" on process "+pid, u, &r, pollMode{waitNotFound: true}); err != nil {
		return adapters.Result{}, err
	}
	return r.result(), nil
}

// findPushed waits until target's schedule holds (what describes it) a message pushed for
// parent (its Pushed-For tag) that match accepts and that no earlier search
// claimed, and claims it. A schedule that lists one message twice is a
// transport error.
func (w *World) findPushed(ctx context.Context, what, target string, parent pending, claimed map[string]bool, match func(adapters.Message) bool) (adapters.Message, error) {
	deadline := time.Now().Add(w.cfg.ResultTimeout)
	wait := w.cfg.PollInterval
	search := w.searchSchedule
	if w.cfg.hyperbeam() {
		search = w.hbSearch
	}
	for {
		found, err := search(ctx, target, parent, claimed, match)
		if err != nil {
			return adapters.Message{}, err
		}
		if found.ID != "" {
			claimed[target+"/"+found.ID] = true
			return found, nil
		}
		if time.Now().Add(wait).After(deadline) {
			return adapters.Message{}, fmt.Errorf("%w: %s was not scheduled within %s: the trace cannot be completed",
				adapters.ErrTransport, what, w.cfg.ResultTimeout)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return adapters.Message{}, fmt.Errorf("waiting for a message pushed to %s: %w", target, ctx.Err())
		case <-t.C:
		}
		wait = min(wait*2, w.cfg.MaxPollInterval)
	}
}

// maxSchedulePages bounds the pages read in one search of a schedule.
const maxSchedulePages = 1000

// searchSchedule reads target's schedule once, page by page from the
// parent's time on (what it pushed was scheduled after it), for an
// unclaimed message pushed for parent that match accepts.
func (w *World) searchSchedule(ctx context.Context, target string, parent pending, claimed map[string]bool, match func(adapters.Message) bool) (adapters.Message, error) {
	ids := map[string]bool{}
	from := strconv.FormatInt(parent.at-1, 10)
	for range maxSchedulePages {
		u := w.cfg.SU + "/" + url.PathEscape(target) + "?limit=1000&from=" + url.QueryEscape(from)
		var page schedulePage
		if _, err := w.c.getJSON(ctx, "reading the schedule of process "+target, u, &page, pollMode{}); err != nil {
			return adapters.Message{}, err
		}
		var found adapters.Message
		for _, e := range page.Edges {
			m := e.Node.message(target)
			if ids[m.ID] {
				return adapters.Message{}, fmt.Errorf("%w: the scheduler unit lists message %s twice on process %s", adapters.ErrTransport, m.ID, target)
			}
			ids[m.ID] = true
			if found.ID == "" && !claimed[target+"/"+m.ID] && m.Tags.Value("Pushed-For") == parent.id && match(m) {
				found = m
			}
		}
		if found.ID != "" {
			return found, nil
		}
		if !page.PageInfo.HasNextPage || len(page.Edges) == 0 {
			return adapters.Message{}, nil
		}
		next := page.Edges[len(page.Edges)-1].Cursor
		if next == from {
			return adapters.Message{}, fmt.Errorf("%w: the scheduler unit's schedule of %s does not advance past cursor %s", adapters.ErrTransport, target, from)
		}
		from = next
	}
	return adapters.Message{}, fmt.Errorf("%w: the schedule of %s has more than %d pages", adapters.ErrTransport, target, maxSchedulePages)
}
