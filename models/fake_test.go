package models

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/models/domain"
)

// fakeDomain is a second, independent Go implementation of the Domain used
// to test the property machinery without the Lua engine. Its bug field
// switches on one known defect.
type fakeDomain struct {
	bug   string
	names map[string][2]string // name -> owner, pid
}

func (d *fakeDomain) clone() *fakeDomain {
	c := &fakeDomain{bug: d.bug, names: map[string][2]string{}}
	for k, v := range d.names {
		c.names[k] = v
	}
	return c
}

type fakeReply struct {
	action, code string
	data         any
}

func (d *fakeDomain) handle(from, action, data string) ([]fakeReply, error) {
	okr := func(v any) []fakeReply { return []fakeReply{{action: action + "-Response", data: v}} }
	bad := func(code string) []fakeReply {
		return []fakeReply{{action: action + "-Error", code: code, data: map[string]any{"code": code, "message": "no: " + code}}}
	}
	valid := domain.ValidName
	if d.bug == "no-validation" {
		valid = func(string) bool { return true }
	}
	switch action {
	case "QueryDomain", "GetDomains", "Register", "Renounce":
	default:
		return nil, nil
	}
	if len(data) > 4096 {
		return bad("LimitExceeded"), nil
	}
	var obj map[string]any
	err := json.Unmarshal([]byte(data), &obj)
	if err != nil && d.bug == "crash" && (action == "Register" || action == "Renounce") {
		return nil, fmt.Errorf("json decode: %v", err)
	}
	str := func(k string) (string, bool) { s, ok := obj[k].(string); return s, ok }
	switch action {
	case "QueryDomain", "GetDomains":
		field := map[string]string{"QueryDomain": "name", "GetDomains": "owner"}[action]
		arg := data
		if err == nil && obj != nil {
			s, ok := str(field)
			if !ok || len(obj) != 1 {
				return bad("InvalidInput"), nil
			}
			arg = s
		}
		if action == "QueryDomain" {
			if !valid(arg) {
				return bad("InvalidInput"), nil
			}
			if r, ok := d.names[arg]; ok {
				return okr(map[string]any{"name": arg, "registered": true, "owner": r[0], "pid": r[1]}), nil
			}
			return okr(map[string]any{"name": arg, "registered": false}), nil
		}
		if !domain.ValidAddress(arg) {
			return bad("InvalidInput"), nil
		}
		list := []string{}
		for k, r := range d.names {
			if r[0] == arg {
				list = append(list, k)
			}
		}
		sort.Strings(list)
		return okr(map[string]any{"owner": arg, "domains": list}), nil
	case "Register":
		name, ok1 := str("name")
		pid, ok2 := str("pid")
		if err != nil || obj == nil || !ok1 || !ok2 || len(obj) != 2 || !valid(name) || !domain.ValidAddress(pid) {
			return bad("InvalidInput"), nil
		}
		// rare-hijack: a hijack that only one wallet can make, of one name
		// (for tests that need a failure most sequences miss).
		rare := d.bug == "rare-hijack" && len(name) == 32 && len(d.names) >= 2 && from == adapters.DeterministicID("fake-wallet:carol")
		if r, taken := d.names[name]; taken && r[0] != from && d.bug != "hijack" && !rare {
			return bad("NameTaken"), nil
		}
		d.names[name] = [2]string{from, pid}
		return okr(map[string]any{"name": name, "owner": from, "pid": pid}), nil
	default: // Renounce
		name, ok1 := str("name")
		if err != nil || obj == nil || !ok1 || len(obj) != 1 || !valid(name) {
			return bad("InvalidInput"), nil
		}
		r, found := d.names[name]
		if !found {
			return bad("NotFound"), nil
		}
		if r[0] != from {
			if d.bug == "double-reply" {
				return append(bad("Unauthorized"), okr(map[string]any{"name": name, "renounced": true})...), nil
			}
			return bad("Unauthorized"), nil
		}
		if d.bug != "renounce-noop" {
			delete(d.names, name)
		}
		return okr(map[string]any{"name": name, "renounced": true}), nil
	}
}

// fakeWorld is an adapters.World over fakeDomain processes.
type fakeWorld struct {
	bug   string
	procs map[string]*fakeDomain
	n     int
}

func fakeTarget(bug string) adapters.Target {
	return adapters.Target{Name: "fake:" + bug, Modules: map[string]string{"domain": "fake-domain"},
		NewWorld: func() (adapters.World, error) { return &fakeWorld{bug: bug, procs: map[string]*fakeDomain{}}, nil }}
}

func (w *fakeWorld) Wallet(name string) (string, error) {
	return adapters.DeterministicID("fake-wallet:" + name), nil
}

func (w *fakeWorld) Spawn(ctx context.Context, p adapters.SpawnRequest) (string, error) {
	w.n++
	pid := adapters.DeterministicID("fake-process:" + strconv.Itoa(w.n))
	w.procs[pid] = &fakeDomain{bug: w.bug, names: map[string][2]string{}}
	return pid, nil
}

func (w *fakeWorld) eval(d *fakeDomain, m adapters.Message) adapters.Result {
	if fp, ok := m.Tags.Get("From-Process"); ok && fp != m.From {
		return adapters.Result{}
	}
	replies, err := d.handle(m.From, m.Action(), m.Data)
	if err != nil {
		return adapters.Result{Error: err.Error(), ErrorKind: adapters.ErrorHandler}
	}
	var out []adapters.Message
	for _, r := range replies {
		raw, _ := json.Marshal(r.data)
		tags := adapters.Tags{{Name: "Action", Value: r.action}}
		if r.code != "" {
			tags = append(tags, adapters.Tag{Name: "Error", Value: r.code})
		}
		if ref, ok := m.Tags.Get("Reference"); ok {
			tags = append(tags, adapters.Tag{Name: "X-Reference", Value: ref})
		}
		// aos msg.reply answers Reply-To when the request names one; the
		// ignores-reply-to bug always answers the sender.
		to := m.From
		if rt, ok := m.Tags.Get("Reply-To"); ok && w.bug != "ignores-reply-to" {
			to = rt
		}
		out = append(out, adapters.Message{From: m.Target, Target: to, Data: string(raw), Tags: tags})
	}
	return adapters.Result{Messages: out}
}

func (w *fakeWorld) Send(ctx context.Context, m adapters.Message) (adapters.Trace, error) {
	d, ok := w.procs[m.Target]
	if !ok {
		return adapters.Trace{}, adapters.ErrUnknownProcess
	}
	res := w.eval(d, m)
	return adapters.Trace{Deliveries: []adapters.Delivery{{Seq: 1, Message: m, Result: res, Handled: true}}, ToWallets: res.Messages}, nil
}

func (w *fakeWorld) DryRun(ctx context.Context, m adapters.Message) (adapters.Result, error) {
	d, ok := w.procs[m.Target]
	if !ok {
		return adapters.Result{}, adapters.ErrUnknownProcess
	}
	return w.eval(d.clone(), m), nil
}

func (w *fakeWorld) Trace() adapters.Trace { return adapters.Trace{} }
func (w *fakeWorld) Close() error          { return nil }
