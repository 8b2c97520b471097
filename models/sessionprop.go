package models

import (
	"strconv"
	"strings"

	"pgregory.net/rapid"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/models/proto"
	"github.com/mostao/conformance/models/session"
)

// sessionSystem is the model side of the MIP-03 property: one session
// spawned straight from a wallet (its creator), with wallets as the other
// participants. A session authorizes by msg.From and cannot tell a wallet
// from a profile, so wallets stand in for profiles and every notice the
// session sends comes back to the suite.
type sessionSystem struct {
	models map[string]*session.Model
}

func (s *sessionSystem) spawned(p Process, pid, owner string, participants []string, tags adapters.Tags, at int64) []proto.Reply {
	m := session.New(pid, p.Kind, owner, participants, "", at)
	s.models[p.Name] = m
	return m.CreatedNotices()
}

func (s *sessionSystem) predict(to string, req proto.Request, now int64, readOnly bool) proto.Outcome {
	m := s.models[strings.Trim(to, "<>")]
	if readOnly {
		m = m.Clone()
	}
	out := m.Handle(req, now)
	if readOnly {
		out.Requirements = append(out.Requirements, session.ReqReadsPublic)
	}
	return out
}

const sessionName = "S"

// The cast of the session property: alice creates the session; bob (and,
// in a group, carol) take part; dave may be added; mallory never is.
var sessionWallets = []string{"alice", "bob", "carol", "dave", "mallory"}

var sessionProperty = property{
	mip: "03", name: "chat-session",
	setup: func(t *rapid.T) ([]Process, []string) {
		p := Process{Name: sessionName, Role: "session", Owner: "alice", Kind: "dm", With: []string{"bob"}}
		if rapid.Bool().Draw(t, "group") {
			p.Kind, p.With = "group", []string{"bob", "carol"}
		}
		return []Process{p}, []string{"dave", "mallory"}
	},
	model: func(Sequence) system { return &sessionSystem{models: map[string]*session.Model{}} },
	machine: func(r *runner, sys system, limit int) map[string]func(*rapid.T) {
		m := &sessionMachine{r: r, sys: sys.(*sessionSystem), limit: limit}
		return m.actions()
	},
}

type sessionMachine struct {
	r     *runner
	sys   *sessionSystem
	limit int
	count int
}

func (m *sessionMachine) model() *session.Model { return m.sys.models[sessionName] }

func (m *sessionMachine) run(t *rapid.T, s Step) { m.r.step(t, s) }

// pickSender prefers a current participant, so that most requests are
// allowed.
func (m *sessionMachine) pickSender(t *rapid.T) string {
	if rapid.IntRange(0, 3).Draw(t, "outsider") == 0 {
		return rapid.SampledFrom(sessionWallets).Draw(t, "sender")
	}
	var names []string
	for _, p := range m.model().Participants {
		if n, ok := m.r.names[p.PID]; ok {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return rapid.SampledFrom(sessionWallets).Draw(t, "sender")
	}
	return rapid.SampledFrom(names).Draw(t, "sender")
}

// checkInfo reads the session's info after a write.
func (m *sessionMachine) checkInfo(t *rapid.T) {
	m.run(t, Step{Kind: "dryrun", From: "observer", To: sessionName, Action: session.ActInfo, Check: true})
}

func (m *sessionMachine) actions() map[string]func(*rapid.T) {
	acts := map[string]func(*rapid.T){
		"a1-send":         m.send,
		"a2-get":          m.get,
		"a3-send":         m.send,
		"a4-info":         m.info,
		"b1-add":          m.add,
		"b2-remove":       m.remove,
		"b3-leave":        m.leave,
		"b4-title":        m.title,
		"c1-send-bad":     m.sendBad,
		"c2-get-bad":      m.getBad,
		"c3-unknown":      m.unknown,
		"c4-send-at-edge": m.sendEdge,
		"c5-reply-to":     m.replyTo,
	}
	return capped(acts, &m.count, m.limit)
}

func (m *sessionMachine) send(t *rapid.T) {
	w := m.pickSender(t)
	data := obj("content", jsonString("hello "+strconv.Itoa(len(m.model().Messages)+1)))
	if n := len(m.model().Messages); n > 0 && rapid.Bool().Draw(t, "reply") {
		// 0 stands for null: no reply link (MIP03-OPT-1).
		replyTo := "null"
		if id := rapid.IntRange(0, n).Draw(t, "replyTo"); id > 0 {
			replyTo = strconv.Itoa(id)
		}
		data = obj("content", jsonString("re"), "replyTo", replyTo)
	}
	m.run(t, Step{Kind: "send", From: w, To: sessionName, Action: session.ActSend, Data: data})
	m.checkInfo(t)
}

// sendEdge sends requests at a size limit and one byte past it: content of
// 10,000 bytes, SendMessage Data of 65536 bytes, other Data of 4096.
func (m *sessionMachine) sendEdge(t *rapid.T) {
	w := m.pickSender(t)
	past := rapid.IntRange(0, 1).Draw(t, "past")
	s := Step{Kind: "send", From: w, To: sessionName}
	switch rapid.IntRange(0, 2).Draw(t, "edge") {
	case 0:
		s.Action, s.Data = session.ActSend, obj("content", jsonString(strings.Repeat("m", session.MaxContentBytes+past)))
	case 1:
		s.Action, s.Data = session.ActSend, padTo(obj("content", `"padded"`), session.MaxSendDataBytes+past)
	case 2:
		s.Action, s.Data = session.ActGet, padTo(obj("limit", "1"), session.MaxDataBytes+past)
	}
	m.run(t, s)
	m.checkInfo(t)
}

func (m *sessionMachine) sendBad(t *rapid.T) {
	w := m.pickSender(t)
	n := len(m.model().Messages)
	var data string
	switch rapid.IntRange(0, 5).Draw(t, "flaw") {
	case 0:
		data = obj("content", `""`)
	case 1:
		data = obj("content", "42")
	case 2:
		data = obj("content", `"x"`, "replyTo", strconv.Itoa(n+1))
	case 3:
		data = obj("content", `"x"`, "replyTo", rapid.SampledFrom([]string{"0", "-1", "1.5", `"1"`}).Draw(t, "bad-replyTo"))
	case 4:
		data = obj("content", `"x"`, "extra", "true")
	case 5:
		data = rapid.SampledFrom(malformedData).Draw(t, "data")
	}
	m.run(t, Step{Kind: "send", From: w, To: sessionName, Action: session.ActSend, Data: data})
	m.checkInfo(t)
}

// readStep is a read from anyone, sent or dryrun.
func (m *sessionMachine) readStep(t *rapid.T, action, data string) Step {
	w := rapid.SampledFrom(sessionWallets).Draw(t, "reader")
	kind := rapid.SampledFrom([]string{"dryrun", "send"}).Draw(t, "kind")
	return Step{Kind: kind, From: w, To: sessionName, Action: action, Data: data}
}

func (m *sessionMachine) get(t *rapid.T) {
	n := len(m.model().Messages)
	var pairs []string
	if rapid.Bool().Draw(t, "after?") {
		pairs = append(pairs, "after", strconv.Itoa(rapid.IntRange(0, n+1).Draw(t, "after")))
	}
	if rapid.Bool().Draw(t, "before?") {
		pairs = append(pairs, "before", strconv.Itoa(rapid.IntRange(0, n+2).Draw(t, "before")))
	}
	if rapid.Bool().Draw(t, "limit?") {
		pairs = append(pairs, "limit", strconv.Itoa(rapid.SampledFrom([]int{1, 2, 3, 100}).Draw(t, "limit")))
	}
	if rapid.Bool().Draw(t, "order?") {
		pairs = append(pairs, "order", rapid.SampledFrom([]string{`"asc"`, `"desc"`, "null"}).Draw(t, "order"))
	}
	// No Data, or white space alone, asks for every default (MIP03-GET-1).
	data := rapid.SampledFrom([]string{"", " \n"}).Draw(t, "empty")
	if len(pairs) > 0 || rapid.Bool().Draw(t, "braces") {
		data = obj(pairs...)
	}
	m.run(t, m.readStep(t, session.ActGet, data))
}

func (m *sessionMachine) getBad(t *rapid.T) {
	var data string
	switch rapid.IntRange(0, 4).Draw(t, "flaw") {
	case 0:
		data = obj("limit", rapid.SampledFrom([]string{"0", "101", "-1", "1.5", `"10"`}).Draw(t, "bad-limit"))
	case 1:
		data = obj(rapid.SampledFrom([]string{"after", "before"}).Draw(t, "bound"), rapid.SampledFrom([]string{"-1", "1.5", `"2"`}).Draw(t, "bad-bound"))
	case 2:
		data = obj("order", rapid.SampledFrom([]string{`"up"`, `"ASC"`, "1"}).Draw(t, "bad-order"))
	case 3:
		data = obj("page", "1")
	case 4:
		data = rapid.SampledFrom([]string{"not json", "[]", "42", `"asc"`}).Draw(t, "data")
	}
	m.run(t, m.readStep(t, session.ActGet, data))
}

func (m *sessionMachine) info(t *rapid.T) {
	m.run(t, m.readStep(t, session.ActInfo, ""))
}

func (m *sessionMachine) pickPID(t *rapid.T) string {
	switch rapid.IntRange(0, 6).Draw(t, "pid-kind") {
	case 0:
		return jsonString(rapid.SampledFrom(invalidAddresses).Draw(t, "bad-pid"))
	case 1:
		return "42"
	case 2:
		// A wallet's address in another case: a different address.
		return jsonString("<upper:" + rapid.SampledFrom(sessionWallets).Draw(t, "pid") + ">")
	}
	return jsonString("<" + rapid.SampledFrom(sessionWallets).Draw(t, "pid") + ">")
}

func (m *sessionMachine) add(t *rapid.T) {
	m.run(t, Step{Kind: "send", From: m.admin(t), To: sessionName, Action: session.ActAdd, Data: obj("pid", m.pickPID(t))})
	m.checkInfo(t)
}

func (m *sessionMachine) remove(t *rapid.T) {
	m.run(t, Step{Kind: "send", From: m.admin(t), To: sessionName, Action: session.ActRemove, Data: obj("pid", m.pickPID(t))})
	m.checkInfo(t)
}

// admin is usually the creator, sometimes anyone.
func (m *sessionMachine) admin(t *rapid.T) string {
	if rapid.IntRange(0, 3).Draw(t, "not-admin") == 0 {
		return m.pickSender(t)
	}
	return "alice"
}

func (m *sessionMachine) leave(t *rapid.T) {
	m.run(t, Step{Kind: "send", From: m.pickSender(t), To: sessionName, Action: session.ActLeave})
	m.checkInfo(t)
}

func (m *sessionMachine) title(t *rapid.T) {
	var v string
	switch rapid.IntRange(0, 5).Draw(t, "title") {
	case 0, 1:
		v = jsonString("book club")
	case 2:
		v = jsonString(strings.Repeat("é", session.MaxTitleChars))
	case 3:
		v = jsonString(strings.Repeat("t", session.MaxTitleChars+1))
	case 4:
		v = `""`
	case 5:
		v = "7"
	}
	m.run(t, Step{Kind: "send", From: m.admin(t), To: sessionName, Action: session.ActSetTitle, Data: obj("title", v)})
	m.checkInfo(t)
}

// replyTo sends a message or a read tagged Reply-To: the answer must go
// to that address (MIP00-REP-2), the notices still to the participants.
func (m *sessionMachine) replyTo(t *rapid.T) {
	s := Step{Kind: "send", From: m.pickSender(t), To: sessionName, Tags: adapters.Tags{{Name: "Reply-To", Value: "<" + replyAddress + ">"}}}
	if rapid.Bool().Draw(t, "read") {
		s.Action = session.ActInfo
	} else {
		s.Action, s.Data = session.ActSend, obj("content", jsonString("to R1"))
	}
	m.run(t, s)
	m.checkInfo(t)
}

// unknown sends what is not a request: a wrong-case action, or a notice a
// wallet forges.
func (m *sessionMachine) unknown(t *rapid.T) {
	action := rapid.SampledFrom([]string{"sendmessage", "Session-Created", "Session-Message", "SendMessage-Response", "Info"}).Draw(t, "action")
	m.run(t, Step{Kind: "send", From: m.pickSender(t), To: sessionName, Action: action, Data: obj("content", `"x"`)})
	m.checkInfo(t)
}
