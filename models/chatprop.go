package models

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"pgregory.net/rapid"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/models/profile"
	"github.com/mostao/conformance/models/proto"
	"github.com/mostao/conformance/models/session"
)

// The MIP-02 chat property: three profiles, each owned by its wallet, that
// create DMs and groups through their profiles, chat, and mark read. The
// model follows each request through the network (the profile spawns or
// relays, the session answers and notifies the other profiles) and predicts
// the owner's reply; the chat lists are then read back from every profile
// and compared. Ids and times the network assigns (a new session's id, the
// time a session stamps a message with) are read from the trace.

// chatEntry is one session in a profile's chat list.
type chatEntry struct {
	session, typ, creator, title string
	lastMessageID, readUpTo      int
	lastActivity                 int64
	unread                       map[int]bool
}

// chatProfile is the part of a profile the chat property follows.
type chatProfile struct {
	id, owner string
	dms       map[string]string // peer -> session
	list      map[string]*chatEntry
}

type chatSystem struct {
	profiles map[string]*chatProfile // by process name
	byID     map[string]*chatProfile
	sessions map[string]*session.Model
	// r is the runner of the sequence (to name the sessions it spawns).
	r *runner
	// order holds the names of the sessions, in the order spawned.
	order []string
}

func (s *chatSystem) attach(r *runner) { s.r = r }

// name gives a newly spawned session its name in the run: S1, S2, ...
func (s *chatSystem) name(pid string) string {
	name := "S" + strconv.Itoa(len(s.order)+1)
	s.order = append(s.order, name)
	s.r.processes[name] = pid
	s.r.names[pid] = name
	return name
}

func (s *chatSystem) spawned(p Process, pid, owner string, participants []string, tags adapters.Tags, at int64) []proto.Reply {
	cp := &chatProfile{id: pid, owner: owner, dms: map[string]string{}, list: map[string]*chatEntry{}}
	s.profiles[p.Name], s.byID[pid] = cp, cp
	return nil
}

// predict without a trace is a read (the chat property only reads by
// dryrun).
func (s *chatSystem) predict(to string, req proto.Request, now int64, readOnly bool) proto.Outcome {
	p := s.profiles[strings.Trim(to, "<>")]
	if req.Action != profile.ActGetChatList {
		panic(errSuite{errUncovered{req.Action + " by dryrun"}})
	}
	return p.chatList()
}

func (p *chatProfile) chatList() proto.Outcome {
	var entries []*chatEntry
	total := 0
	for _, e := range p.list {
		entries = append(entries, e)
		total += len(e.unread)
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].lastActivity != entries[j].lastActivity {
			return entries[i].lastActivity > entries[j].lastActivity
		}
		return entries[i].session < entries[j].session
	})
	list := make([]any, len(entries))
	for i, e := range entries {
		v := map[string]any{"session": e.session, "type": e.typ, "creator": e.creator, "lastMessageId": e.lastMessageID,
			"lastActivity": e.lastActivity, "readUpTo": e.readUpTo, "unread": len(e.unread)}
		if e.title != "" {
			v["title"] = e.title
		}
		list[i] = v
	}
	reqs := []string{profile.ReqChatList, profile.ReqReadsPublic}
	if len(entries) > 0 {
		reqs = append(reqs, "MIP02-CHAT-1", "MIP02-CHAT-6")
	}
	return proto.Success(profile.ActGetChatList, map[string]any{"sessions": list, "unread": total}, reqs...)
}

// deliveryTime returns the time the first message with this target and
// Action was delivered in the trace.
func deliveryTime(tr adapters.Trace, target, action string) (int64, bool) {
	for _, d := range tr.Deliveries {
		if d.Message.Target == target && (action == "" || d.Message.Action() == action) {
			return d.Message.Timestamp, true
		}
	}
	return 0, false
}

// predictTraced follows an owner's request to its profile through the
// network.
func (s *chatSystem) predictTraced(to string, req proto.Request, now int64, tr adapters.Trace) proto.Outcome {
	p := s.profiles[strings.Trim(to, "<>")]
	obj, _ := proto.DecodeObject(req.Data)
	switch req.Action {
	case profile.ActCreateSession:
		return s.create(p, obj, tr)
	case profile.ActSendChat:
		return s.say(p, obj, tr)
	case profile.ActMarkRead:
		return p.markRead(obj)
	case profile.ActSessionCommand:
		return s.command(p, obj)
	}
	panic(errSuite{errUncovered{req.Action}})
}

func strList(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func toAnyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func (s *chatSystem) create(p *chatProfile, obj map[string]any, tr adapters.Trace) proto.Outcome {
	typ := obj["type"].(string)
	others := strList(obj["participants"])
	all := append([]string{p.id}, others...)
	if typ == "dm" {
		if sid, ok := p.dms[others[0]]; ok {
			return proto.Success(profile.ActCreateSession, map[string]any{"session": sid, "type": "dm", "participants": toAnyList(all), "existing": true}, "MIP02-SES-3")
		}
	}
	if len(tr.Spawned) == 0 {
		// The target spawned nothing: predict the reply it owed, which
		// names a session that does not exist.
		return proto.Success(profile.ActCreateSession, map[string]any{"session": "<no session spawned>", "type": typ, "participants": toAnyList(all), "existing": false}, "MIP02-SES-2")
	}
	sid := tr.Spawned[0]
	name := s.name(sid)
	if n := len(s.r.seq.Steps); n > 0 {
		s.r.seq.Steps[n-1].Creates = name
	}
	at, _ := deliveryTime(tr, sid, "")
	title := ""
	if t, ok := obj["title"].(string); ok {
		title = t
	}
	m := session.New(sid, typ, p.id, all, title, at)
	s.sessions[sid] = m
	for _, pid := range all {
		if q, ok := s.byID[pid]; ok {
			q.list[sid] = &chatEntry{session: sid, typ: typ, creator: p.id, title: title, lastActivity: at, unread: map[int]bool{}}
			if typ == "dm" && q != p {
				if _, known := q.dms[p.id]; !known {
					q.dms[p.id] = sid
				}
			}
		}
	}
	if typ == "dm" {
		if _, known := p.dms[others[0]]; !known {
			p.dms[others[0]] = sid
		}
	}
	return proto.Success(profile.ActCreateSession, map[string]any{"session": sid, "type": typ, "participants": toAnyList(all), "existing": false},
		"MIP02-CHAT-1", "MIP02-SES-2", "MIP02-TRUST-1", session.ReqInitNotices)
}

func (s *chatSystem) say(p *chatProfile, obj map[string]any, tr adapters.Trace) proto.Outcome {
	sid := obj["session"].(string)
	content := obj["content"].(string)
	m := s.sessions[sid]
	at, _ := deliveryTime(tr, sid, session.ActSend)
	out := m.Handle(proto.Request{From: p.id, Action: session.ActSend, Data: `{"content":` + jsonString(content) + `}`}, at)
	r := out.Replies[0]
	if r.IsError() {
		return proto.Fail(profile.ActSendChat, r.Error, "MIP02-MSG-1", session.ReqSendForm)
	}
	id := r.Data.(map[string]any)["id"].(int)
	if e := p.list[sid]; e != nil && id > e.lastMessageID {
		e.lastMessageID, e.lastActivity = id, at
	}
	s.deliver(m, out.Replies[1:])
	return proto.Success(profile.ActSendChat, map[string]any{"session": sid, "id": id, "timestamp": at},
		"MIP02-CHAT-3", "MIP02-CHAT-4", "MIP02-MSG-1", session.ReqSendNotices)
}

// deliver applies a session's notices to the profiles they go to, as
// MIP-02 sections 5 and 6 say a profile takes them.
func (s *chatSystem) deliver(m *session.Model, notices []proto.Reply) {
	for _, n := range notices {
		q, ok := s.byID[n.Target]
		if !ok {
			continue
		}
		d := n.Data.(map[string]any)
		e := q.list[m.ID]
		switch n.Action {
		case session.NoticeMessage:
			if e == nil {
				continue
			}
			id, at := d["id"].(int), d["timestamp"].(int64)
			if id > e.lastMessageID {
				e.lastMessageID, e.lastActivity = id, at
			}
			if d["from"] != q.id && id > e.readUpTo {
				e.unread[id] = true
			}
		case session.NoticeChanged:
			title, _ := d["title"].(string)
			if e != nil {
				e.title = title
				continue
			}
			// Added to a group: the notice introduces the session.
			q.list[m.ID] = &chatEntry{session: m.ID, typ: m.Type, creator: m.Creator, title: title, lastActivity: m.CreatedAt, unread: map[int]bool{}}
		case session.NoticeRemoved:
			delete(q.list, m.ID)
		}
	}
}

// command relays a group command through the profile to the session and
// back.
func (s *chatSystem) command(p *chatProfile, obj map[string]any) proto.Outcome {
	sid := obj["session"].(string)
	cmd := obj["command"].(string)
	args := map[string]any{}
	if a, ok := obj["args"].(map[string]any); ok {
		args = a
	}
	raw, _ := json.Marshal(args)
	m := s.sessions[sid]
	out := m.Handle(proto.Request{From: p.id, Action: cmd, Data: string(raw)}, 0)
	r := out.Replies[0]
	if r.IsError() {
		return proto.Fail(profile.ActSessionCommand, r.Error, "MIP02-MSG-2")
	}
	s.deliver(m, out.Replies[1:])
	return proto.Success(profile.ActSessionCommand, map[string]any{"session": sid, "command": cmd, "result": r.Data},
		"MIP02-CHAT-5", "MIP02-MSG-2", "MIP02-TRUST-1", session.ReqGroupNotices)
}

func (p *chatProfile) markRead(obj map[string]any) proto.Outcome {
	sid := obj["session"].(string)
	e := p.list[sid]
	if e == nil {
		return proto.Fail(profile.ActMarkRead, proto.NotFound, profile.ReqMarkRead)
	}
	mark := e.lastMessageID
	reqs := []string{profile.ReqMarkRead, "MIP02-READ-2"}
	// An upTo given as null is left out (MIP02-OPT-1).
	if v, given := obj["upTo"].(json.Number); given {
		n, _ := strconv.Atoi(v.String())
		if n < mark {
			mark = n
		}
		if n > e.lastMessageID || n < e.readUpTo {
			// The mark would pass the last message or move back: the
			// rule that holds it (MIP02-READ-2) decides this request.
			reqs = []string{"MIP02-READ-2", profile.ReqMarkRead}
		}
	} else if _, null := obj["upTo"]; null {
		reqs = append(reqs, profile.ReqOptionalNull)
	}
	if mark > e.readUpTo {
		e.readUpTo = mark
		for id := range e.unread {
			if id <= mark {
				delete(e.unread, id)
			}
		}
	}
	return proto.Success(profile.ActMarkRead, map[string]any{"session": sid, "readUpTo": e.readUpTo, "unread": len(e.unread)}, reqs...)
}

var chatProfiles = []string{"PA", "PB", "PC"}
var chatOwners = map[string]string{"PA": "alice", "PB": "bob", "PC": "carol"}

var chatProperty = property{
	mip: "02", name: "profile-chat",
	setup: func(*rapid.T) ([]Process, []string) {
		var ps []Process
		for _, n := range chatProfiles {
			ps = append(ps, Process{Name: n, Role: "profile", Owner: chatOwners[n]})
		}
		return ps, nil
	},
	model: func(Sequence) system {
		return &chatSystem{profiles: map[string]*chatProfile{}, byID: map[string]*chatProfile{}, sessions: map[string]*session.Model{}}
	},
	machine: func(r *runner, sys system, limit int) map[string]func(*rapid.T) {
		m := &chatMachine{r: r, sys: sys.(*chatSystem), limit: limit}
		return m.actions()
	},
}

type chatMachine struct {
	r     *runner
	sys   *chatSystem
	limit int
	count int
	// checked holds, per profile, the chat list the model predicted when
	// the profile's list was last read back and matched.
	checked map[string]string
}

func (m *chatMachine) run(t *rapid.T, s Step) { m.r.step(t, s) }

// checkLists reads back the chat list of every profile that the request
// just sent may have changed: one that a message reached, or whose list the
// model now predicts otherwise. A profile that received nothing holds the
// state it had when its list last matched the model, and the model
// predicts that same list: reading it again would compare the same reply
// with the same prediction. (Such reads were a third of the property's
// requests.)
func (m *chatMachine) checkLists(t *rapid.T) {
	if m.checked == nil {
		m.checked = map[string]string{}
	}
	reached := map[string]bool{}
	if n := len(m.r.exchanges); n > 0 && m.r.exchanges[n-1].Trace != nil {
		for _, d := range m.r.exchanges[n-1].Trace.Deliveries {
			reached[d.Message.Target] = true
		}
	}
	for _, p := range chatProfiles {
		want, err := json.Marshal(m.sys.profiles[p].chatList())
		if err != nil {
			panic(errSuite{err})
		}
		last, read := m.checked[p]
		if read && last == string(want) && !reached[m.r.processes[p]] {
			continue
		}
		m.run(t, Step{Kind: "dryrun", From: "observer", To: p, Action: profile.ActGetChatList, Check: true})
		m.checked[p] = string(want)
	}
}

func (m *chatMachine) actions() map[string]func(*rapid.T) {
	acts := map[string]func(*rapid.T){
		"a1-dm":        m.dm,
		"a2-say":       m.say,
		"a3-mark-read": m.markRead,
		"a4-say":       m.say,
		"b1-group":     m.group,
		"b2-command":   m.command,
	}
	return capped(acts, &m.count, m.limit)
}

func (m *chatMachine) dm(t *rapid.T) {
	p := rapid.SampledFrom(chatProfiles).Draw(t, "profile")
	peer := rapid.SampledFrom(chatProfiles).Filter(func(s string) bool { return s != p }).Draw(t, "peer")
	data := `{"participants":["<` + peer + `>"],"type":"dm"}`
	m.run(t, Step{Kind: "send", From: chatOwners[p], To: p, Action: profile.ActCreateSession, Data: data})
	m.checkLists(t)
}

func (m *chatMachine) group(t *rapid.T) {
	p := rapid.SampledFrom(chatProfiles).Draw(t, "profile")
	var others []string
	for _, q := range chatProfiles {
		if q != p {
			others = append(others, `"<`+q+`>"`)
		}
	}
	data := `{"participants":[` + strings.Join(others, ",") + `],"type":"group"}`
	if rapid.Bool().Draw(t, "titled") {
		data = `{"participants":[` + strings.Join(others, ",") + `],"title":"club","type":"group"}`
	}
	m.run(t, Step{Kind: "send", From: chatOwners[p], To: p, Action: profile.ActCreateSession, Data: data})
	m.checkLists(t)
}

// listed returns the sessions a profile lists, by name, in spawn order.
func (m *chatMachine) listed(p string) []string {
	var out []string
	for _, n := range m.sys.order {
		if _, ok := m.sys.profiles[p].list[m.r.processes[n]]; ok {
			out = append(out, n)
		}
	}
	return out
}

func (m *chatMachine) say(t *rapid.T) {
	p := rapid.SampledFrom(chatProfiles).Draw(t, "profile")
	listed := m.listed(p)
	if len(listed) == 0 {
		return
	}
	s := rapid.SampledFrom(listed).Draw(t, "session")
	content := rapid.SampledFrom([]string{"hi", "hello there", ""}).Draw(t, "content")
	data := `{"content":` + jsonString(content) + `,"session":"<` + s + `>"}`
	m.run(t, Step{Kind: "send", From: chatOwners[p], To: p, Action: profile.ActSendChat, Data: data})
	m.checkLists(t)
}

func (m *chatMachine) markRead(t *rapid.T) {
	p := rapid.SampledFrom(chatProfiles).Draw(t, "profile")
	listed := m.listed(p)
	if len(listed) == 0 {
		return
	}
	s := rapid.SampledFrom(listed).Draw(t, "session")
	data := `{"session":"<` + s + `>"}`
	if rapid.Bool().Draw(t, "upTo?") {
		// -1 stands for null, which is the same as no upTo (MIP02-OPT-1).
		upTo := "null"
		if n := rapid.IntRange(-1, 6).Draw(t, "upTo"); n >= 0 {
			upTo = strconv.Itoa(n)
		}
		data = `{"session":"<` + s + `>","upTo":` + upTo + `}`
	}
	m.run(t, Step{Kind: "send", From: chatOwners[p], To: p, Action: profile.ActMarkRead, Data: data})
	m.checkLists(t)
}

// command asks a profile to relay a group command to a session it lists:
// a title, leaving, removing or adding a profile.
func (m *chatMachine) command(t *rapid.T) {
	p := rapid.SampledFrom(chatProfiles).Draw(t, "profile")
	listed := m.listed(p)
	if len(listed) == 0 {
		return
	}
	s := rapid.SampledFrom(listed).Draw(t, "session")
	var data string
	switch rapid.IntRange(0, 3).Draw(t, "command") {
	case 0:
		data = `{"args":{"title":` + jsonString(rapid.SampledFrom([]string{"club", "book club", ""}).Draw(t, "title")) + `},"command":"SetTitle","session":"<` + s + `>"}`
	case 1:
		data = `{"command":"Leave","session":"<` + s + `>"}`
	case 2, 3:
		cmd := "RemoveParticipant"
		if rapid.Bool().Draw(t, "add") {
			cmd = "AddParticipant"
		}
		who := rapid.SampledFrom(chatProfiles).Draw(t, "who")
		data = `{"args":{"pid":"<` + who + `>"},"command":"` + cmd + `","session":"<` + s + `>"}`
	}
	m.run(t, Step{Kind: "send", From: chatOwners[p], To: p, Action: profile.ActSessionCommand, Data: data})
	m.checkLists(t)
}
