package models

import (
	"fmt"
	"strings"

	"pgregory.net/rapid"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/models/profile"
	"github.com/mostao/conformance/models/proto"
)

// profileSystem is the model side of the MIP-02 property: one profile, its
// owner and strangers, no session.
type profileSystem struct {
	models map[string]*profile.Model
}

func (s *profileSystem) spawned(p Process, pid, owner string, participants []string, tags adapters.Tags, at int64) []proto.Reply {
	s.models[p.Name] = profile.New(pid, owner, tags.Value("Session-Module"), at)
	return nil
}

// errUncovered is a request the generator should never make: the model
// cannot predict it.
type errUncovered struct{ action string }

func (e errUncovered) Error() string {
	return fmt.Sprintf("the profile property generated a %s the model does not cover (a bug of the suite)", e.action)
}

func (s *profileSystem) predict(to string, req proto.Request, now int64, readOnly bool) proto.Outcome {
	m := s.models[strings.Trim(to, "<>")]
	if readOnly {
		m = m.Clone()
	}
	out, covered := m.Handle(req, now)
	if !covered {
		panic(errSuite{errUncovered{req.Action}})
	}
	if readOnly {
		out.Requirements = append(out.Requirements, proto.ReqDryRun)
	}
	return out
}

const profileName = "PA"

var profileWallets = []string{"alice", "bob", "mallory"}

var profileProperty = property{
	mip: "02", name: "profile-owner",
	setup: func(*rapid.T) ([]Process, []string) {
		return []Process{{Name: profileName, Role: "profile", Owner: "alice"}}, []string{"bob", "mallory"}
	},
	model: func(Sequence) system { return &profileSystem{models: map[string]*profile.Model{}} },
	machine: func(r *runner, sys system, limit int) map[string]func(*rapid.T) {
		m := &profileMachine{r: r, sys: sys.(*profileSystem), limit: limit}
		return m.actions()
	},
}

type profileMachine struct {
	r     *runner
	sys   *profileSystem
	limit int
	count int
}

func (m *profileMachine) run(t *rapid.T, s Step) { m.r.step(t, s) }

// sender is the owner three times in four.
func (m *profileMachine) sender(t *rapid.T) string {
	if rapid.IntRange(0, 3).Draw(t, "stranger") == 0 {
		return rapid.SampledFrom(profileWallets).Draw(t, "sender")
	}
	return "alice"
}

func (m *profileMachine) check(t *rapid.T, action string) {
	m.run(t, Step{Kind: "dryrun", From: "observer", To: profileName, Action: action, Check: true})
}

func (m *profileMachine) actions() map[string]func(*rapid.T) {
	acts := map[string]func(*rapid.T){
		"a1-update":         m.update,
		"a2-add-contact":    m.addContact,
		"a3-read":           m.read,
		"a4-remove-contact": m.removeContact,
		"a5-update":         m.update,
		"b1-update-bad":     m.updateBad,
		"b2-session-ops":    m.sessionOps,
		"b3-create-bad":     m.createBad,
		"b4-add-module":     m.addModule,
		"c1-forged-notice":  m.forgedNotice,
		"c2-unknown":        m.unknown,
		"c3-oversized":      m.oversized,
		"c4-reply-to":       m.replyTo,
	}
	return capped(acts, &m.count, m.limit)
}

// fieldValue draws a value for a field: ordinary, at its limit (in one- or
// two-byte characters), one past it, empty, null or not a string.
func fieldValue(t *rapid.T, field string) string {
	limit := profile.FieldLimits[field]
	switch rapid.IntRange(0, 6).Draw(t, field+"-value") {
	case 0, 1:
		return jsonString("Ann " + field)
	case 2:
		return jsonString(strings.Repeat("é", limit))
	case 3:
		return jsonString(strings.Repeat("k", limit))
	case 4:
		return jsonString(strings.Repeat("k", limit+1))
	case 5:
		return "null"
	default:
		return rapid.SampledFrom([]string{`""`, "42", "[]"}).Draw(t, "bad-value")
	}
}

var profileFields = []string{"nickname", "avatar", "bio", "pubkey"}

func (m *profileMachine) update(t *rapid.T) {
	var pairs []string
	for _, f := range profileFields {
		if rapid.IntRange(0, 2).Draw(t, f+"?") == 0 {
			pairs = append(pairs, f, fieldValue(t, f))
		}
	}
	if rapid.IntRange(0, 9).Draw(t, "unknown-field") == 0 {
		pairs = append(pairs, "email", jsonString("a@b.c"))
	}
	m.run(t, Step{Kind: "send", From: m.sender(t), To: profileName, Action: profile.ActUpdate, Data: obj(pairs...)})
	m.check(t, profile.ActGetProfile)
}

func (m *profileMachine) updateBad(t *rapid.T) {
	data := rapid.SampledFrom([]string{"", "not json", "[]", `"nickname"`, "null", "42", `{"nickname":"a",}`}).Draw(t, "data")
	m.run(t, Step{Kind: "send", From: m.sender(t), To: profileName, Action: profile.ActUpdate, Data: data})
	m.check(t, profile.ActGetProfile)
}

// contactPID draws a contact: one of a few process ids, a wallet, or not
// an id.
func contactPID(t *rapid.T) string {
	switch rapid.IntRange(0, 5).Draw(t, "contact-kind") {
	case 0:
		return jsonString(rapid.SampledFrom(invalidAddresses).Draw(t, "bad-pid"))
	case 1:
		return jsonString("<" + rapid.SampledFrom(profileWallets).Draw(t, "wallet") + ">")
	}
	return jsonString("<" + rapid.SampledFrom(domainPIDs).Draw(t, "pid") + ">")
}

func (m *profileMachine) addContact(t *rapid.T) {
	pairs := []string{"pid", contactPID(t)}
	switch rapid.IntRange(0, 6).Draw(t, "alias") {
	case 1, 2:
		pairs = append(pairs, "alias", jsonString("friend"))
	case 3:
		pairs = append(pairs, "alias", "null")
	case 4:
		pairs = append(pairs, "alias", jsonString(strings.Repeat("é", profile.MaxAlias)))
	case 5:
		pairs = append(pairs, "alias", rapid.SampledFrom([]string{`""`, jsonString(strings.Repeat("a", profile.MaxAlias+1)), "7"}).Draw(t, "bad-alias"))
	case 6:
		pairs = append(pairs, "note", jsonString("x"))
	}
	m.run(t, Step{Kind: "send", From: m.sender(t), To: profileName, Action: profile.ActAddContact, Data: obj(pairs...)})
	m.check(t, profile.ActGetContacts)
}

func (m *profileMachine) removeContact(t *rapid.T) {
	m.run(t, Step{Kind: "send", From: m.sender(t), To: profileName, Action: profile.ActRemoveContact, Data: obj("pid", contactPID(t))})
	m.check(t, profile.ActGetContacts)
}

// read is a public read, sent or dryrun, by anyone, with Data it ignores.
func (m *profileMachine) read(t *rapid.T) {
	action := rapid.SampledFrom([]string{profile.ActGetProfile, profile.ActGetContacts, profile.ActGetChatList}).Draw(t, "read")
	data := rapid.SampledFrom([]string{"", "{}", "x", `{"any":"thing"}`}).Draw(t, "data")
	kind := rapid.SampledFrom([]string{"dryrun", "send"}).Draw(t, "kind")
	m.run(t, Step{Kind: kind, From: rapid.SampledFrom(profileWallets).Draw(t, "reader"), To: profileName, Action: action, Data: data})
}

// replyTo sends a read or an AddContact tagged Reply-To: the answer must
// go to that address (MIP00-REP-2), whoever sent the request.
func (m *profileMachine) replyTo(t *rapid.T) {
	s := Step{Kind: "send", From: m.sender(t), To: profileName, Tags: adapters.Tags{{Name: "Reply-To", Value: "<" + replyAddress + ">"}}}
	if rapid.Bool().Draw(t, "read") {
		s.Action = profile.ActGetProfile
	} else {
		s.Action, s.Data = profile.ActAddContact, obj("pid", jsonString("<P2>"), "alias", jsonString("two"))
	}
	m.run(t, s)
	m.check(t, profile.ActGetContacts)
}

// sessionOps name a session the profile does not list: well formed they are
// NotFound, malformed InvalidInput, from a stranger Unauthorized.
func (m *profileMachine) sessionOps(t *rapid.T) {
	session := jsonString("<S1>")
	if rapid.IntRange(0, 4).Draw(t, "bad-session") == 0 {
		session = jsonString("short")
	}
	var action, data string
	switch rapid.IntRange(0, 2).Draw(t, "op") {
	case 0:
		action = profile.ActMarkRead
		data = obj("session", session, "upTo", rapid.SampledFrom([]string{"0", "3", "-1", "1.5", `"2"`, "null"}).Draw(t, "upTo"))
		if rapid.Bool().Draw(t, "no-upTo") {
			data = obj("session", session)
		}
	case 1:
		action = profile.ActSendChat
		data = obj("session", session, "content", rapid.SampledFrom([]string{`"hi"`, "42"}).Draw(t, "content"))
	case 2:
		action = profile.ActSessionCommand
		data = obj("session", session, "command", jsonString(rapid.SampledFrom([]string{"SetTitle", "Leave", "Delete"}).Draw(t, "command")))
	}
	if rapid.IntRange(0, 5).Draw(t, "extra") == 0 {
		data = data[:len(data)-1] + `, "extra": 1}`
	}
	m.run(t, Step{Kind: "send", From: m.sender(t), To: profileName, Action: action, Data: data})
}

// createBad asks for sessions that must be refused before any spawn: a DM
// with oneself, with no peer or two, with a title; an empty group; a peer
// listed twice; a type that does not exist; a participant that is not an
// id. A stranger's request is refused whatever it holds.
func (m *profileMachine) createBad(t *rapid.T) {
	from := m.sender(t)
	var data string
	switch rapid.IntRange(0, 7).Draw(t, "flaw") {
	case 0:
		data = `{"type": "dm", "participants": ["<PA>"]}`
	case 1:
		data = `{"type": "dm", "participants": []}`
	case 2:
		data = `{"type": "dm", "participants": ["<P1>", "<P2>"]}`
	case 3:
		data = `{"type": "dm", "participants": ["<P1>"], "title": "us"}`
	case 4:
		data = `{"type": "group", "participants": []}`
	case 5:
		data = `{"type": "group", "participants": ["<P1>", "<P1>"]}`
	case 6:
		data = `{"type": "channel", "participants": ["<P1>"]}`
	case 7:
		data = `{"type": "group", "participants": ["short"]}`
	}
	if from != "alice" && rapid.Bool().Draw(t, "valid") {
		data = `{"type": "dm", "participants": ["<P1>"]}`
	}
	m.run(t, Step{Kind: "send", From: from, To: profileName, Action: profile.ActCreateSession, Data: data})
}

func (m *profileMachine) addModule(t *rapid.T) {
	mod := jsonString("<" + rapid.SampledFrom([]string{"M1", "M2"}).Draw(t, "module") + ">")
	if rapid.IntRange(0, 3).Draw(t, "bad-module") == 0 {
		mod = jsonString("short")
	}
	m.run(t, Step{Kind: "send", From: m.sender(t), To: profileName, Action: profile.ActAddSessionModule, Data: obj("module", mod)})
}

// forgedNotice is a wallet sending what only a session may send.
func (m *profileMachine) forgedNotice(t *rapid.T) {
	action := rapid.SampledFrom(profile.Notices).Draw(t, "notice")
	data := `{"session": "<S1>", "type": "dm", "creator": "<mallory>", "participants": [{"pid": "<PA>", "role": "member"}, {"pid": "<S1>", "role": "member"}], "createdAt": 1}`
	if action == "Session-Message" {
		data = `{"session": "<S1>", "id": 1, "from": "<mallory>", "timestamp": 1}`
	}
	m.run(t, Step{Kind: "send", From: rapid.SampledFrom(profileWallets).Draw(t, "forger"), To: profileName, Action: action, Data: data})
	m.check(t, profile.ActGetChatList)
}

func (m *profileMachine) unknown(t *rapid.T) {
	action := rapid.SampledFrom([]string{"updateprofile", "GetProfile-Response", "Eval2", "Info"}).Draw(t, "action")
	m.run(t, Step{Kind: "send", From: m.sender(t), To: profileName, Action: action, Data: `{"nickname": "x"}`})
	m.check(t, profile.ActGetProfile)
}

// oversized is Data at a size limit and one byte past it: 4096 for most
// requests, 32768 for UpdateProfile.
func (m *profileMachine) oversized(t *rapid.T) {
	past := rapid.IntRange(0, 1).Draw(t, "past")
	s := Step{Kind: "send", From: m.sender(t), To: profileName}
	if rapid.Bool().Draw(t, "update") {
		s.Action, s.Data = profile.ActUpdate, padTo(obj("bio", jsonString("padded")), 32768+past)
	} else {
		s.Action, s.Data = profile.ActAddContact, padTo(obj("pid", jsonString("<P1>")), profile.MaxDataBytes+past)
	}
	m.run(t, s)
	m.check(t, profile.ActGetProfile)
}
