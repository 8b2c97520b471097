package devnet

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/mostao/conformance/adapters"
	hb "github.com/mostao/conformance/hyperbeam"
)

// The HyperBEAM routes: a subset of a HyperBEAM node's process device in
// front of the same world as the legacy units, so a process spawned
// through either is seen by both. A process's slots are its schedule's
// positions (slot 0 is its spawn). The devnet's processes run Lua; a spawn
// names hyperbeam.ExecutionDevice, what aos processes name, for them.
const processSuffix = hb.ProcessSuffix

// isHyperBEAM says whether path (without its leading /) is a HyperBEAM
// route.
func isHyperBEAM(path string) bool {
	return path == "push" || strings.Contains(path, processSuffix+"/") || strings.HasSuffix(path, hb.CurrentSlot)
}

// hyperbeam routes a HyperBEAM request.
func (n *Network) hyperbeam(w http.ResponseWriter, r *http.Request, path string) {
	if pid, ok := strings.CutSuffix(path, hb.CurrentSlot); ok && r.Method == http.MethodGet {
		n.currentSlot(w, pid)
		return
	}
	if path == "push" {
		if r.Method != http.MethodPost {
			writeError(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		n.push(w, r, "")
		return
	}
	pid, rest, _ := strings.Cut(path, processSuffix+"/")
	switch {
	case "/"+rest == hb.Push && r.Method == http.MethodPost:
		n.push(w, r, pid)
	case r.Method != http.MethodGet:
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
	case strings.HasPrefix("/"+rest, hb.Results):
		n.slot(w, pid, strings.TrimPrefix("/"+rest, hb.Results))
	case strings.HasPrefix("/"+rest, hb.Compute):
		// The pairs are read from the escaped path: an escaped & or =
		// inside a tag is no separator.
		raw := r.URL.EscapedPath()
		_, pairs, _ := strings.Cut(raw, hb.Compute)
		n.compute(w, pid, pairs)
	default:
		writeError(w, http.StatusNotFound, "no such route")
	}
}

// push takes a signed ANS-104 item: to pid's process (a message), or
// with pid "" a spawn or a module. It answers the item's id and slot; a
// spawn also names its process in the process header.
func (n *Network) push(w http.ResponseWriter, r *http.Request, pid string) {
	if ct := r.Header.Get("Content-Type"); ct != hb.ContentType {
		writeError(w, http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q: a push is %s", ct, hb.ContentType))
		return
	}
	if c := r.Header.Get(hb.CodecHeader); c != hb.Codec {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("codec-device %q: this node decodes %s only", c, hb.Codec))
		return
	}
	it, ok := n.readItem(w, r)
	if !ok {
		return
	}
	typ := it.Tags.Value("Type")
	switch {
	case pid != "" && (typ != "Message" || it.Target != pid):
		writeError(w, http.StatusBadRequest, fmt.Sprintf("a push to process %s is a Type=Message item with that Target (Type %q, Target %q)", pid, typ, it.Target))
		return
	case pid == "" && typ == "Message":
		writeError(w, http.StatusBadRequest, "a message is pushed to its process: POST /<pid>"+processSuffix+"/push")
		return
	case pid == "" && typ == "Process":
		if r.Header.Get(hb.DeviceHeader) != hb.ProcessDevice || r.Header.Get(hb.ExecutionDeviceHeader) != hb.ExecutionDevice {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("a spawn names device %s and execution-device %s", hb.ProcessDevice, hb.ExecutionDevice))
			return
		}
		pid = it.ID
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.carryOut(w, it) {
		return
	}
	ack := map[string]any{"id": it.ID}
	if rec, ok := n.results[pid+"/"+it.ID]; ok {
		ack["slot"] = rec.nonce
		ack["process"] = pid
		w.Header().Set(hb.SlotHeader, strconv.Itoa(rec.nonce))
		if typ == "Process" {
			w.Header().Set(hb.ProcessHeader, pid)
		}
	}
	writeJSON(w, http.StatusOK, ack)
}

// currentSlot is GET /<pid>/slot/current: the last slot assigned.
func (n *Network) currentSlot(w http.ResponseWriter, pid string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	sched, ok := n.scheduleOf(w, pid)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, len(sched)-1)
}

// slot is GET /<pid>~process@1.0/compute/results=<slot>: the message
// scheduled at slot, as the scheduler shows it, and its results.
func (n *Network) slot(w http.ResponseWriter, pid, which string) {
	slot, err := strconv.Atoi(which)
	if err != nil || slot < 0 {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("slot %q is not a number", which))
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	sched := n.schedules[pid]
	if !n.world.HasProcess(pid) || slot >= len(sched) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no slot %d on process %s", slot, pid))
		return
	}
	out := messageJSON(sched[slot])
	out["slot"] = slot
	out["results"] = ToJSON(sched[slot].result)
	writeJSON(w, http.StatusOK, out)
}

// compute is the read-only GET /<pid>~process@1.0/as=execution/compute&...:
// each &key=value is a tag, in order, except the message's own fields
// id, from, owner, anchor and data.
func (n *Network) compute(w http.ResponseWriter, pid, pairs string) {
	m := adapters.Message{Target: pid}
	for _, p := range strings.Split(pairs, "&") {
		if p == "" {
			continue
		}
		rk, rv, _ := strings.Cut(p, "=")
		k, err1 := url.PathUnescape(rk)
		v, err2 := url.PathUnescape(rv)
		if err1 != nil || err2 != nil {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("%q is not an escaped key=value", p))
			return
		}
		switch k {
		case "id":
			m.ID = v
		case "from":
			m.From = v
		case "owner":
			m.Owner = v
		case "anchor":
			m.Anchor = v
		case "data":
			m.Data = v
		default:
			m.Tags = append(m.Tags, adapters.Tag{Name: k, Value: v})
		}
	}
	if m.From == "" {
		m.From = m.Owner
	}
	n.evaluate(w, m)
}

// evaluate runs m read-only on its target and answers the result.
func (n *Network) evaluate(w http.ResponseWriter, m adapters.Message) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.world.HasProcess(m.Target) {
		writeError(w, http.StatusNotFound, "process not found")
		return
	}
	ctx, cancel := context.WithTimeout(n.ctx, adapters.CallTimeout(n.opts.CallTimeout))
	defer cancel()
	res, err := n.world.DryRun(ctx, m)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, ToJSON(res))
}

// readItem reads and verifies a posted data item; when it cannot, it
// answers the error and returns false.
func (n *Network) readItem(w http.ResponseWriter, r *http.Request) (Item, bool) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, MaxItemBytes+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, "reading the data item: "+err.Error())
		return Item{}, false
	}
	if len(raw) > MaxItemBytes {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("a data item is at most %d bytes", MaxItemBytes))
		return Item{}, false
	}
	it, err := n.opts.Decode(raw)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid data item: "+err.Error())
		return Item{}, false
	}
	return it, true
}
