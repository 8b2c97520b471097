// Package domain is the executable model of a MIP-01 Domain registry: its
// state (name -> owner and pid) and, for each request, the new state and the
// exact replies the spec requires. It is written from spec/mip-00.md and
// spec/mip-01.md, never from a Lua implementation.
package domain

import (
	"sort"

	"github.com/mostao/conformance/models/proto"
)

// Record is one registered name.
type Record struct {
	Owner string
	PID   string
}

// Model is the state of one Domain process.
type Model struct {
	names map[string]Record
}

// New returns the state of a freshly spawned Domain: no names.
func New() *Model { return &Model{names: map[string]Record{}} }

// Clone returns an independent copy (a dryrun evaluates on a copy).
func (m *Model) Clone() *Model {
	c := New()
	for k, v := range m.names {
		c.names[k] = v
	}
	return c
}

// Lookup returns the record of a name.
func (m *Model) Lookup(name string) (Record, bool) {
	r, ok := m.names[name]
	return r, ok
}

// Names returns every registered name, ascending.
func (m *Model) Names() []string {
	out := make([]string, 0, len(m.names))
	for k := range m.names {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// DomainsOf returns the names an owner holds, ascending (byte order).
func (m *Model) DomainsOf(owner string) []string {
	out := []string{}
	for k, r := range m.names {
		if r.Owner == owner {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Handle applies one request to the model and returns what the process must
// reply. A request that fails leaves the state unchanged.
func (m *Model) Handle(req proto.Request) proto.Outcome {
	if len(req.Data) > MaxDataBytes {
		if op, known := operations[req.Action]; known {
			return proto.Fail(op, proto.LimitExceeded, proto.ReqDataLimit)
		}
	}
	switch req.Action {
	case ActQuery:
		return m.query(req)
	case ActGetDomains:
		return m.getDomains(req)
	case ActRegister:
		return m.register(req)
	case ActRenounce:
		return m.renounce(req)
	}
	return proto.Unknown(req.Action, ActQuery, ActGetDomains, ActRegister, ActRenounce)
}

// The actions of MIP-01.
const (
	ActQuery      = "QueryDomain"
	ActGetDomains = "GetDomains"
	ActRegister   = "Register"
	ActRenounce   = "Renounce"
)

var operations = map[string]string{ActQuery: ActQuery, ActGetDomains: ActGetDomains, ActRegister: ActRegister, ActRenounce: ActRenounce}

// readArg reads the one argument of a read query: the field of a JSON object
// when Data is one, else the whole Data (MIP-00 section 1). form names the
// rule broken when Data is an object of the wrong form, "" when it is fine.
func readArg(data, field string) (value string, form string) {
	obj, isObj := proto.DecodeObject(data)
	if !isObj {
		return data, ""
	}
	v, present, isString := proto.StringField(obj, field)
	if !proto.OnlyKeys(obj, field) {
		return "", proto.ReqClosed
	}
	if !present || !isString {
		return "", proto.ReqMalformed
	}
	return v, ""
}

func (m *Model) query(req proto.Request) proto.Outcome {
	name, form := readArg(req.Data, "name")
	if form != "" {
		return proto.Fail(ActQuery, proto.InvalidInput, ReqQueryForm, form)
	}
	if !ValidName(name) {
		return proto.Fail(ActQuery, proto.InvalidInput, ReqQueryInvalid, ReqNameRule)
	}
	var out proto.Outcome
	rule := ReqQuery
	if r, found := m.names[name]; found {
		out = proto.Success(ActQuery, map[string]any{"name": name, "registered": true, "owner": r.Owner, "pid": r.PID}, ReqQuery)
	} else {
		rule = ReqQueryFree
		out = proto.Success(ActQuery, map[string]any{"name": name, "registered": false}, rule)
	}
	// The name is the request's, echoed: a reply that gets it wrong is the
	// query's defect whatever the Register before it stored.
	out.Replies[0].Field, out.Replies[0].FieldRequirement = "name", rule
	return out
}

func (m *Model) getDomains(req proto.Request) proto.Outcome {
	owner, form := readArg(req.Data, "owner")
	if form != "" {
		return proto.Fail(ActGetDomains, proto.InvalidInput, ReqGetDomainsForm, form)
	}
	if !ValidAddress(owner) {
		return proto.Fail(ActGetDomains, proto.InvalidInput, ReqGetDomainsInvalid, ReqPIDRule)
	}
	list := m.DomainsOf(owner)
	reqs := []string{ReqGetDomains}
	switch {
	case len(list) == 0:
		reqs = append(reqs, ReqGetDomainsEmpty)
	case len(list) > 1:
		reqs = append(reqs, proto.ReqListOrder)
	}
	return proto.Success(ActGetDomains, map[string]any{"owner": owner, "domains": toAny(list)}, reqs...)
}

// form checks that Data is a JSON object with exactly the given fields,
// each a string, and returns it; rule names the broken rule otherwise.
func form(data string, fields ...string) (obj map[string]any, rule string) {
	obj, ok := proto.DecodeObject(data)
	if !ok {
		return nil, proto.ReqMalformed
	}
	if !proto.OnlyKeys(obj, fields...) {
		return nil, proto.ReqClosed
	}
	for _, f := range fields {
		if _, present, isString := proto.StringField(obj, f); !present || !isString {
			return nil, proto.ReqMalformed
		}
	}
	return obj, ""
}

func (m *Model) register(req proto.Request) proto.Outcome {
	obj, rule := form(req.Data, "name", "pid")
	if rule != "" {
		return proto.Fail(ActRegister, proto.InvalidInput, ReqRegisterForm, rule)
	}
	name, pid := obj["name"].(string), obj["pid"].(string)
	if !ValidName(name) {
		return proto.Fail(ActRegister, proto.InvalidInput, ReqNameRule, ReqCheckOrder)
	}
	if !ValidAddress(pid) {
		return proto.Fail(ActRegister, proto.InvalidInput, ReqPIDRule, ReqCheckOrder)
	}
	r, taken := m.names[name]
	switch {
	case !taken:
		m.names[name] = Record{Owner: req.From, PID: pid}
		return proto.Success(ActRegister, registered(name, req.From, pid), ReqRegisterFree, proto.ReqIdentity)
	case r.Owner == req.From:
		m.names[name] = Record{Owner: req.From, PID: pid}
		return proto.Success(ActRegister, registered(name, req.From, pid), ReqRegisterReassign)
	default:
		return proto.Fail(ActRegister, proto.NameTaken, ReqRegisterTaken, ReqFirstRegisterWins)
	}
}

func registered(name, owner, pid string) map[string]any {
	return map[string]any{"name": name, "owner": owner, "pid": pid}
}

func (m *Model) renounce(req proto.Request) proto.Outcome {
	obj, rule := form(req.Data, "name")
	if rule != "" {
		return proto.Fail(ActRenounce, proto.InvalidInput, ReqRenounceForm, rule)
	}
	name := obj["name"].(string)
	if !ValidName(name) {
		return proto.Fail(ActRenounce, proto.InvalidInput, ReqRenounceForm, ReqNameRule)
	}
	r, found := m.names[name]
	if !found {
		return proto.Fail(ActRenounce, proto.NotFound, ReqRenounceUnknown, ReqCheckOrder)
	}
	if r.Owner != req.From {
		return proto.Fail(ActRenounce, proto.Unauthorized, ReqRenounceNotOwner)
	}
	delete(m.names, name)
	return proto.Success(ActRenounce, map[string]any{"name": name, "renounced": true}, ReqRenounce)
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
