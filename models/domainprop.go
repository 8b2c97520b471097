package models

import (
	"bytes"
	"encoding/json"
	"strings"

	"pgregory.net/rapid"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/models/domain"
	"github.com/mostao/conformance/models/proto"
)

// domainSystem is the model side of the MIP-01 property: one Domain model
// per domain process of the sequence.
type domainSystem struct {
	models map[string]*domain.Model
}

func (s *domainSystem) spawned(p Process, pid, owner string, participants []string, tags adapters.Tags, at int64) []proto.Reply {
	return nil
}

func (s *domainSystem) predict(to string, req proto.Request, now int64, readOnly bool) proto.Outcome {
	m := s.models[strings.Trim(to, "<>")]
	if readOnly {
		m = m.Clone()
	}
	out := m.Handle(req)
	if readOnly {
		out.Requirements = append(out.Requirements, proto.ReqDryRun, proto.ReqReadsPublic)
	}
	return out
}

// The cast of the domain property: few wallets, names and pids, so that
// sequences collide often (the same name from two wallets, a renounce by
// the owner and by another).
var (
	domainWallets = []string{"alice", "bob", "carol"}
	domainPIDs    = []string{"P1", "P2", "P3"}
	// validNames holds names at the edges of the rule: one character, 32
	// characters, '-' and '_' inside.
	validNames = []string{"shop", "a", "x-1", "0_9", "abcdefghijklmnopqrstuvwxyz012345"}
	// invalidNames breaks the rule once each: empty, 33 characters, upper
	// case, a leading or trailing '-'/'_', a space, a quote, a newline, '%',
	// non-ASCII, a dot.
	invalidNames = []string{"", "abcdefghijklmnopqrstuvwxyz0123456", "Shop", "-shop", "shop_", "sh op", `a"b`, "a\nb", "50%", "é", "shop.", "SHOP"}
	// invalidAddresses are near-misses of a 43-character base64url id.
	invalidAddresses = []string{"", "short", strings.Repeat("A", 42), strings.Repeat("A", 44), strings.Repeat("A", 42) + "+", strings.Repeat("A", 42) + "="}
	// malformedData is Data that is not one JSON object.
	malformedData  = []string{"", "not json", "{", "[]", "null", `"shop"`, "42", `{"name":"shop"}}`, `{"name":"shop",}`}
	unknownActions = []string{"register", "Query", "Info", "RegisterDomain", "Register "}
)

const domainName = "D"

// domainProperty is the MIP-01 state machine: one domain process, three
// wallets, every operation valid and invalid.
var domainProperty = property{
	mip: "01", name: "domain-registry",
	setup: func(*rapid.T) ([]Process, []string) {
		return []Process{{Name: domainName, Role: "domain", Owner: "deployer"}}, nil
	},
	model: func(Sequence) system {
		return &domainSystem{models: map[string]*domain.Model{domainName: domain.New()}}
	},
	machine: func(r *runner, sys system, limit int) map[string]func(*rapid.T) {
		m := &domainMachine{r: r, sys: sys.(*domainSystem), limit: limit}
		return m.actions()
	},
}

// domainMachine generates the steps of the MIP-01 property and runs them.
type domainMachine struct {
	r     *runner
	sys   *domainSystem
	limit int
	count int
}

func (m *domainMachine) model() *domain.Model { return m.sys.models[domainName] }

// jsonString encodes s as a JSON string without HTML escaping.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimRight(b.String(), "\n")
}

func obj(pairs ...string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i+1 < len(pairs); i += 2 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(jsonString(pairs[i]))
		b.WriteString(": ")
		b.WriteString(pairs[i+1])
	}
	b.WriteString("}")
	return b.String()
}

// run executes a step; the runner ends the sequence at a divergence.
func (m *domainMachine) run(t *rapid.T, s Step) { m.r.step(t, s) }

// checkName queries a name after a write, so that a write that replied
// right but changed the wrong thing is seen at once.
func (m *domainMachine) checkName(t *rapid.T, name string) {
	if !domain.ValidName(name) {
		return
	}
	m.run(t, Step{Kind: "dryrun", From: "observer", To: domainName, Action: domain.ActQuery, Data: name, Check: true})
}

func (m *domainMachine) budget() bool {
	if m.count >= m.limit {
		return false
	}
	m.count++
	return true
}

// pickName draws a name, preferring registered ones when there are some,
// so that writes meet owners.
func (m *domainMachine) pickName(t *rapid.T) string {
	taken := m.model().Names()
	if len(taken) > 0 && rapid.Bool().Draw(t, "registered") {
		return rapid.SampledFrom(taken).Draw(t, "name")
	}
	return rapid.SampledFrom(validNames).Draw(t, "name")
}

func (m *domainMachine) actions() map[string]func(*rapid.T) {
	// rapid shrinks towards the first action in key order, so the simplest
	// actions come first: a minimal sequence reads as plain registers and
	// renounces where it can.
	acts := map[string]func(*rapid.T){
		"a1-register":       m.register,
		"a2-renounce":       m.renounce,
		"a3-query":          m.query,
		"a4-get-domains":    m.getDomains,
		"a5-register":       m.register,
		"a6-renounce":       m.renounce,
		"b1-register-bad":   m.registerBad,
		"b2-renounce-bad":   m.renounceBad,
		"b3-query-bad":      m.queryBad,
		"c1-race":           m.race,
		"c2-dryrun-write":   m.dryrunWrite,
		"c3-spoof":          m.spoof,
		"c4-unknown-action": m.unknownAction,
		"c5-oversized-data": m.oversized,
		"c6-reply-to":       m.replyTo,
	}
	out := make(map[string]func(*rapid.T), len(acts))
	for k, f := range acts {
		f := f
		out[k] = func(t *rapid.T) {
			if m.budget() {
				f(t)
			}
		}
	}
	return out
}

func (m *domainMachine) register(t *rapid.T) {
	w := rapid.SampledFrom(domainWallets).Draw(t, "wallet")
	name := m.pickName(t)
	pid := rapid.SampledFrom(domainPIDs).Draw(t, "pid")
	s := Step{Kind: "send", From: w, To: domainName, Action: domain.ActRegister, Data: obj("name", jsonString(name), "pid", jsonString("<"+pid+">"))}
	if rapid.IntRange(0, 4).Draw(t, "content-type") == 4 {
		// aos tags Data sent as a Lua table this way and hands the handler
		// the decoded table; the request is the same (MIP00-ACT-3).
		s.Tags = adapters.Tags{{Name: "Content-Type", Value: "application/json"}}
	}
	m.run(t, s)
	m.checkName(t, name)
}

// race is two wallets registering one name back to back: the first wins.
func (m *domainMachine) race(t *rapid.T) {
	a := rapid.SampledFrom(domainWallets).Draw(t, "first")
	b := rapid.SampledFrom(domainWallets).Filter(func(s string) bool { return s != a }).Draw(t, "second")
	name := rapid.SampledFrom(validNames).Draw(t, "name")
	m.run(t, Step{Kind: "send", From: a, To: domainName, Action: domain.ActRegister, Data: obj("name", jsonString(name), "pid", jsonString("<P1>"))})
	m.run(t, Step{Kind: "send", From: b, To: domainName, Action: domain.ActRegister, Data: obj("name", jsonString(name), "pid", jsonString("<P2>"))})
	m.checkName(t, name)
}

func (m *domainMachine) renounce(t *rapid.T) {
	w := rapid.SampledFrom(domainWallets).Draw(t, "wallet")
	name := m.pickName(t)
	if r, ok := m.model().Lookup(name); ok && rapid.Bool().Draw(t, "as-owner") {
		if n, known := m.r.names[r.Owner]; known {
			w = n
		}
	}
	m.run(t, Step{Kind: "send", From: w, To: domainName, Action: domain.ActRenounce, Data: obj("name", jsonString(name))})
	m.checkName(t, name)
}

func (m *domainMachine) registerBad(t *rapid.T) {
	w := rapid.SampledFrom(domainWallets).Draw(t, "wallet")
	name := rapid.SampledFrom(validNames).Draw(t, "name")
	pid := jsonString("<P1>")
	var data string
	switch rapid.IntRange(0, 8).Draw(t, "flaw") {
	case 0:
		data = obj("name", jsonString(rapid.SampledFrom(invalidNames).Draw(t, "bad-name")), "pid", pid)
	case 1:
		data = obj("name", jsonString(name), "pid", jsonString(rapid.SampledFrom(invalidAddresses).Draw(t, "bad-pid")))
	case 2:
		data = obj("name", jsonString(name))
	case 3:
		data = obj("pid", pid)
	case 4:
		data = obj("name", jsonString(name), "pid", pid, "extra", "1")
	case 5:
		data = obj("name", rapid.SampledFrom([]string{"123", "null", "true", `["shop"]`, `{"n":"shop"}`}).Draw(t, "bad-type"), "pid", pid)
	case 6:
		data = obj("name", jsonString(name), "pid", rapid.SampledFrom([]string{"null", "43", "[]"}).Draw(t, "bad-type"))
	case 7:
		data = rapid.SampledFrom(malformedData).Draw(t, "data")
	case 8:
		data = jsonString(name)
	}
	m.run(t, Step{Kind: "send", From: w, To: domainName, Action: domain.ActRegister, Data: data})
	m.checkName(t, name)
}

func (m *domainMachine) renounceBad(t *rapid.T) {
	w := rapid.SampledFrom(domainWallets).Draw(t, "wallet")
	name := m.pickName(t)
	var data string
	switch rapid.IntRange(0, 4).Draw(t, "flaw") {
	case 0:
		data = obj("name", jsonString(rapid.SampledFrom(invalidNames).Draw(t, "bad-name")))
	case 1:
		data = obj("name", jsonString(name), "extra", "true")
	case 2:
		data = obj("name", rapid.SampledFrom([]string{"123", "null", `["shop"]`}).Draw(t, "bad-type"))
	case 3:
		data = rapid.SampledFrom(malformedData).Draw(t, "data")
	case 4:
		data = name
	}
	m.run(t, Step{Kind: "send", From: w, To: domainName, Action: domain.ActRenounce, Data: data})
	m.checkName(t, name)
}

// readStep is a read, sent by a wallet or dryrun with a claimed From.
func (m *domainMachine) readStep(t *rapid.T, action, data string) Step {
	w := rapid.SampledFrom(domainWallets).Draw(t, "wallet")
	kind := rapid.SampledFrom([]string{"dryrun", "send"}).Draw(t, "kind")
	return Step{Kind: kind, From: w, To: domainName, Action: action, Data: data}
}

func (m *domainMachine) query(t *rapid.T) {
	name := m.pickName(t)
	data := name
	if rapid.Bool().Draw(t, "object") {
		data = obj("name", jsonString(name))
	}
	m.run(t, m.readStep(t, domain.ActQuery, data))
}

func (m *domainMachine) queryBad(t *rapid.T) {
	var data string
	switch rapid.IntRange(0, 3).Draw(t, "flaw") {
	case 0:
		data = rapid.SampledFrom(invalidNames).Draw(t, "bad-name")
	case 1:
		data = obj("name", jsonString(rapid.SampledFrom(invalidNames).Draw(t, "bad-name")))
	case 2:
		data = obj("name", rapid.SampledFrom([]string{"123", "null", `["shop"]`}).Draw(t, "bad-type"))
	case 3:
		data = obj("name", jsonString("shop"), "extra", "1")
	}
	m.run(t, m.readStep(t, domain.ActQuery, data))
}

func (m *domainMachine) getDomains(t *rapid.T) {
	var owner string
	switch rapid.IntRange(0, 2).Draw(t, "owner-kind") {
	case 0, 1:
		owner = "<" + rapid.SampledFrom(domainWallets).Draw(t, "owner") + ">"
	case 2:
		owner = rapid.SampledFrom(invalidAddresses).Draw(t, "bad-owner")
	}
	data := owner
	if rapid.Bool().Draw(t, "object") {
		data = obj("owner", jsonString(owner))
	}
	m.run(t, m.readStep(t, domain.ActGetDomains, data))
}

// dryrunWrite is a Register or Renounce through dryrun, claiming to come
// from any wallet: it is answered but must change nothing.
func (m *domainMachine) dryrunWrite(t *rapid.T) {
	w := rapid.SampledFrom(domainWallets).Draw(t, "claimed")
	name := m.pickName(t)
	s := Step{Kind: "dryrun", From: w, To: domainName, Action: domain.ActRenounce, Data: obj("name", jsonString(name))}
	if rapid.Bool().Draw(t, "register") {
		s.Action = domain.ActRegister
		s.Data = obj("name", jsonString(name), "pid", jsonString("<P3>"))
	}
	m.run(t, s)
	m.checkName(t, name)
}

// spoof is a wallet whose message claims, by a From-Process tag, to come
// from another identity.
func (m *domainMachine) spoof(t *rapid.T) {
	w := rapid.SampledFrom(domainWallets).Draw(t, "wallet")
	victim := rapid.SampledFrom(domainWallets).Filter(func(s string) bool { return s != w }).Draw(t, "victim")
	name := m.pickName(t)
	s := Step{Kind: "send", From: w, To: domainName, Action: domain.ActRenounce, Data: obj("name", jsonString(name)),
		Tags: adapters.Tags{{Name: "From-Process", Value: "<" + victim + ">"}}}
	if rapid.Bool().Draw(t, "register") {
		s.Action = domain.ActRegister
		s.Data = obj("name", jsonString(name), "pid", jsonString("<P2>"))
	}
	// The victim must be a wallet of the world so that <victim> is its address.
	if _, err := m.r.wallet(victim); err != nil {
		m.r.onSuiteError(err)
		t.Fatalf("%v", err)
	}
	m.run(t, s)
	m.checkName(t, name)
}

// replyTo sends a request tagged Reply-To with an address that is neither
// a wallet nor a process of the sequence: the one reply must go there, with
// the request's reference, and nothing to the sender (MIP00-REP-2), while
// the sender stays the one who registers or renounces.
func (m *domainMachine) replyTo(t *rapid.T) {
	w := rapid.SampledFrom(domainWallets).Draw(t, "wallet")
	name := m.pickName(t)
	s := Step{Kind: "send", From: w, To: domainName, Tags: adapters.Tags{{Name: "Reply-To", Value: "<" + replyAddress + ">"}}}
	switch rapid.IntRange(0, 2).Draw(t, "operation") {
	case 0:
		s.Action, s.Data = domain.ActQuery, name
	case 1:
		s.Action, s.Data = domain.ActRegister, obj("name", jsonString(name), "pid", jsonString("<P3>"))
	default:
		s.Action, s.Data = domain.ActRenounce, obj("name", jsonString(name))
	}
	m.run(t, s)
	m.checkName(t, name)
}

// replyAddress names the Reply-To of the domain property's requests.
const replyAddress = "R1"

func (m *domainMachine) unknownAction(t *rapid.T) {
	w := rapid.SampledFrom(domainWallets).Draw(t, "wallet")
	action := rapid.SampledFrom(unknownActions).Draw(t, "action")
	name := rapid.SampledFrom(validNames).Draw(t, "name")
	m.run(t, Step{Kind: "send", From: w, To: domainName, Action: action, Data: obj("name", jsonString(name), "pid", jsonString("<P1>"))})
	m.checkName(t, name)
}

// oversized is a request whose Data is exactly at the size limit (judged
// on its content) or one byte past it (LimitExceeded before anything else).
func (m *domainMachine) oversized(t *rapid.T) {
	w := rapid.SampledFrom(domainWallets).Draw(t, "wallet")
	name := rapid.SampledFrom(validNames).Draw(t, "name")
	size := domain.MaxDataBytes + rapid.IntRange(0, 1).Draw(t, "past")
	var action, data string
	switch rapid.IntRange(0, 2).Draw(t, "shape") {
	case 0:
		// A valid Register padded with white space: a success at the limit.
		action = domain.ActRegister
		data = padTo(obj("name", jsonString(name), "pid", jsonString("<P1>")), size)
	case 1:
		// A raw QueryDomain name of the full size: an invalid name.
		action = domain.ActQuery
		data = strings.Repeat("a", size)
	case 2:
		action = domain.ActRenounce
		data = padTo(obj("name", jsonString(name)), size)
	}
	m.run(t, Step{Kind: "send", From: w, To: domainName, Action: action, Data: data})
	m.checkName(t, name)
}

// padTo pads a JSON object with spaces after its opening brace up to size
// bytes once ids are expanded (an <alias> in Data stands for 43 bytes).
func padTo(object string, size int) string {
	expanded := len(aliasRef.ReplaceAllString(object, strings.Repeat("i", 43)))
	if expanded >= size {
		return object
	}
	return "{" + strings.Repeat(" ", size-expanded) + object[1:]
}
