package live

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet"
	hb "github.com/mostao/conformance/hyperbeam"
)

// The HyperBEAM back end speaks to one node: data items are pushed as
// ANS-104 (POST /<pid>~process@1.0/push, spawns POST /push), a slot's
// message and result are read at /<pid>~process@1.0/compute/results=<slot>,
// the last slot at /<pid>/slot/current, and read-only evaluations at
// /<pid>~process@1.0/as=execution/compute&<Tag>=<value>. Requests go
// through the same client as the legacy units' (bounded polls, retries,
// adapters.ErrTransport).

// hbState is what a World learned of the node's slots: the slot of each
// message followed, and the slots read (a computed slot never changes).
type hbState struct {
	slotOf map[string]int64  // pid + "/" + message id -> slot
	slots  map[string]hbSlot // pid + "/" + slot -> its message and result
}

func newHBState() hbState {
	return hbState{slotOf: map[string]int64{}, slots: map[string]hbSlot{}}
}

// hbSlot is a node's answer for one computed slot: the message as
// scheduled (the scheduler unit's shape) and its results (the compute
// unit's).
type hbSlot struct {
	Slot int64 `json:"slot"`
	suMessage
	Results cuResult `json:"results"`
}

// hbPushAck is a node's answer to a push.
type hbPushAck struct {
	ID      string `json:"id"`
	Slot    *int64 `json:"slot"`
	Process string `json:"process"`
}

// processURL is the node's URL of pid's process device.
func (w *World) processURL(pid string) string {
	return w.cfg.MU + hb.ProcessPath(pid)
}

// push gives a signed item to the node: a message to its target's
// process, anything else (a spawn, a module) to /push. It keeps the slot
// the node gave the item and returns the item's id.
func (w *World) push(ctx context.Context, raw []byte, id string, it Unsigned) (string, error) {
	h := http.Header{}
	h.Set("Content-Type", hb.ContentType)
	h.Set(hb.CodecHeader, hb.Codec)
	typ := it.Tags.Value("Type")
	u, pid := w.cfg.MU+hb.Push, ""
	switch typ {
	case "Message":
		u, pid = w.processURL(it.Target)+hb.Push, it.Target
	case "Process":
		h.Set(hb.DeviceHeader, hb.ProcessDevice)
		h.Set(hb.ExecutionDeviceHeader, hb.ExecutionDevice)
		pid = id
	}
	a, err := w.c.callWith(ctx, "pushing a data item to the HyperBEAM node", http.MethodPost, u, h, raw, pollMode{})
	if err != nil {
		return "", err
	}
	var ack hbPushAck
	if err := decodeStrict(a.body, &ack); err != nil {
		return "", fmt.Errorf("%w: the HyperBEAM node answered a push with invalid JSON: %v", adapters.ErrTransport, err)
	}
	if ack.ID != id {
		return "", fmt.Errorf("%w: the HyperBEAM node acknowledged id %q for data item %s", adapters.ErrTransport, ack.ID, id)
	}
	if typ == "Process" && a.header.Get(hb.ProcessHeader) != id {
		return "", fmt.Errorf("%w: the HyperBEAM node answered process %q to the spawn of %s", adapters.ErrTransport, a.header.Get(hb.ProcessHeader), id)
	}
	if pid != "" {
		if ack.Slot == nil || *ack.Slot < 0 {
			return "", fmt.Errorf("%w: the HyperBEAM node gave data item %s no slot", adapters.ErrTransport, id)
		}
		w.hb.slotOf[pid+"/"+id] = *ack.Slot
	}
	return id, nil
}

// readSlot polls the node until slot of pid is computed, and keeps it.
func (w *World) readSlot(ctx context.Context, pid string, slot int64) (hbSlot, error) {
	key := pid + "/" + strconv.FormatInt(slot, 10)
	if s, ok := w.hb.slots[key]; ok {
		return s, nil
	}
	var s hbSlot
	u := w.processURL(pid) + hb.Results + strconv.FormatInt(slot, 10)
	if _, err := w.c.getJSON(ctx, fmt.Sprintf("computing slot %d of process %s", slot, pid), u, &s, pollMode{waitNotFound: true}); err != nil {
		return hbSlot{}, err
	}
	if s.Slot != slot {
		return hbSlot{}, fmt.Errorf("%w: the HyperBEAM node answered slot %d for slot %d of process %s", adapters.ErrTransport, s.Slot, slot, pid)
	}
	w.hb.slots[key] = s
	return s, nil
}

// hbDelivered reads message id on pid at the slot the node gave it (a
// spawn is slot 0 of its process).
func (w *World) hbDelivered(ctx context.Context, id, pid string) (adapters.Message, adapters.Result, error) {
	slot, ok := w.hb.slotOf[pid+"/"+id]
	if !ok && id == pid {
		slot, ok = 0, true
	}
	if !ok {
		return adapters.Message{}, adapters.Result{}, fmt.Errorf("%w: no slot is known for message %s on process %s", adapters.ErrTransport, id, pid)
	}
	s, err := w.readSlot(ctx, pid, slot)
	if err != nil {
		return adapters.Message{}, adapters.Result{}, err
	}
	if s.Message.ID != id {
		return adapters.Message{}, adapters.Result{}, fmt.Errorf("%w: slot %d of process %s holds message %q, not %s", adapters.ErrTransport, slot, pid, s.Message.ID, id)
	}
	return s.message(pid), s.Results.result(), nil
}

// currentSlot is the last slot the node assigned on pid; found is false
// when pid is no process there.
func (w *World) currentSlot(ctx context.Context, pid string, mode pollMode) (slot int64, found bool, err error) {
	status, err := w.c.getJSON(ctx, "reading the current slot of process "+pid, w.cfg.MU+"/"+url.PathEscape(pid)+hb.CurrentSlot, &slot, mode)
	if err != nil {
		return 0, false, err
	}
	return slot, status == http.StatusOK, nil
}

// hbIsProcess asks the node for pid's current slot, and reads its spawn
// (slot 0) for its module.
func (w *World) hbIsProcess(ctx context.Context, pid string) (bool, error) {
	_, found, err := w.currentSlot(ctx, pid, pollMode{accept: []int{http.StatusNotFound, http.StatusBadRequest}})
	if err != nil {
		return false, err
	}
	if !found {
		w.processes[pid] = ""
		return false, nil
	}
	s, err := w.readSlot(ctx, pid, 0)
	if err != nil {
		return false, err
	}
	mod := s.Message.Tags.Value("Module")
	if mod == "" {
		mod = "?"
	}
	w.processes[pid] = mod
	return true, nil
}

// hbSearch reads target's slots up to the current one (each once per
// World) for an unclaimed message pushed for parent, scheduled after it,
// that match accepts.
func (w *World) hbSearch(ctx context.Context, target string, parent pending, claimed map[string]bool, match func(adapters.Message) bool) (adapters.Message, error) {
	cur, _, err := w.currentSlot(ctx, target, pollMode{})
	if err != nil {
		return adapters.Message{}, err
	}
	ids := map[string]bool{}
	for slot := int64(0); slot <= cur; slot++ {
		s, err := w.readSlot(ctx, target, slot)
		if err != nil {
			return adapters.Message{}, err
		}
		m := s.message(target)
		if ids[m.ID] {
			return adapters.Message{}, fmt.Errorf("%w: the HyperBEAM node holds message %s twice on process %s", adapters.ErrTransport, m.ID, target)
		}
		ids[m.ID] = true
		if m.Timestamp >= parent.at && !claimed[target+"/"+m.ID] && m.Tags.Value("Pushed-For") == parent.id && match(m) {
			w.hb.slotOf[target+"/"+m.ID] = slot
			return m, nil
		}
	}
	return adapters.Message{}, nil
}

// hbDryRun evaluates m read-only on the node: the tags are the path's
// key=value pairs, in order; the message's own fields travel under the
// lower-case keys id, from, owner, anchor and data.
func (w *World) hbDryRun(ctx context.Context, m adapters.Message, from, owner string) (adapters.Result, error) {
	var b strings.Builder
	b.WriteString(w.processURL(m.Target) + hb.Compute)
	add := func(k, v string) {
		b.WriteString("&" + pathParam(k) + "=" + pathParam(v))
	}
	for _, f := range []struct{ k, v string }{{"id", m.ID}, {"from", from}, {"owner", owner}, {"anchor", m.Anchor}, {"data", m.Data}} {
		if f.v != "" {
			add(f.k, f.v)
		}
	}
	for _, t := range aonet.WithProtocolTags(m.Tags, "Message") {
		add(t.Name, t.Value)
	}
	var r cuResult
	if _, err := w.c.getJSON(ctx, "a read-only evaluation on the HyperBEAM node", b.String(), &r, pollMode{}); err != nil {
		return adapters.Result{}, err
	}
	return r.result(), nil
}

// pathParam escapes s for a key or value of a path's key=value pairs:
// everything but unreserved characters, so & = / and spaces are never
// taken for separators.
func pathParam(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
