// Package profile is the executable model of a MIP-02 profile as its owner
// and strangers see it on their own: its fields, contacts, trusted session
// modules and the requests that fail before any session is involved. It is
// written from spec/mip-02.md (and MIP-00), never from a Lua implementation.
//
// Sessions are not modelled here: the chat list stays empty, so every
// request naming a session is NotFound, and CreateSession is modelled only
// up to its validation (a valid one spawns a session, which this model
// reports as not covered).
package profile

import (
	"unicode/utf8"

	"github.com/mostao/conformance/models/proto"
)

// FieldLimits are the profile fields and their maximum length in
// characters (MIP02-FLD-1, MIP02-FLD-2).
var FieldLimits = map[string]int{"nickname": 64, "avatar": 2048, "bio": 1024, "pubkey": 4096}

// Limits of MIP-02.
const (
	MaxAlias     = 64
	MaxTitle     = 128
	MaxGroup     = 256
	MaxDataBytes = 4096
)

// dataLimits are the larger Data limits of MIP02-SIZE-1.
var dataLimits = map[string]int{ActUpdate: 32768, ActCreateSession: 32768, ActSendChat: 65536}

// The actions of MIP-02.
const (
	ActGetProfile       = "GetProfile"
	ActUpdate           = "UpdateProfile"
	ActAddContact       = "AddContact"
	ActRemoveContact    = "RemoveContact"
	ActGetContacts      = "GetContacts"
	ActGetChatList      = "GetChatList"
	ActMarkRead         = "MarkRead"
	ActAddSessionModule = "AddSessionModule"
	ActCreateSession    = "CreateSession"
	ActSendChat         = "SendChatMessage"
	ActSessionCommand   = "SessionCommand"
)

var ownerOnly = map[string]bool{ActUpdate: true, ActAddContact: true, ActRemoveContact: true, ActMarkRead: true,
	ActAddSessionModule: true, ActCreateSession: true, ActSendChat: true, ActSessionCommand: true}

var reads = map[string]bool{ActGetProfile: true, ActGetContacts: true, ActGetChatList: true}

// operations lists the Actions of MIP-02.
func operations() []string {
	var out []string
	for _, set := range []map[string]bool{ownerOnly, reads} {
		for op := range set {
			out = append(out, op)
		}
	}
	return out
}

// Notices are the MIP-03 notices a profile reads; from a wallet they are
// never trusted.
var Notices = []string{"Session-Created", "Session-Changed", "Session-Message", "Session-Removed"}

// Contact is one entry of the contact list.
type Contact struct {
	PID      string
	Alias    string
	HasAlias bool
	AddedAt  int64
}

// Model is the state of one profile process.
type Model struct {
	ID        string
	Owner     string
	Fields    map[string]string
	UpdatedAt int64
	Contacts  []Contact
	// Modules are the trusted session modules, the spawn's first.
	Modules []string
}

// New is the state after the spawn message (at ms) from owner, with the
// Session-Module tag sessionModule ("" when the spawn had none).
func New(id, owner, sessionModule string, at int64) *Model {
	m := &Model{ID: id, Owner: owner, Fields: map[string]string{}, UpdatedAt: at}
	if sessionModule != "" {
		m.Modules = []string{sessionModule}
	}
	return m
}

// Clone returns an independent copy.
func (m *Model) Clone() *Model {
	c := *m
	c.Fields = map[string]string{}
	for k, v := range m.Fields {
		c.Fields[k] = v
	}
	c.Contacts = append([]Contact(nil), m.Contacts...)
	c.Modules = append([]string(nil), m.Modules...)
	return &c
}

// View is the profile as GetProfile shows it.
func (m *Model) View() map[string]any {
	v := map[string]any{"pid": m.ID, "owner": m.Owner, "updatedAt": m.UpdatedAt}
	for k, f := range m.Fields {
		v[k] = f
	}
	return v
}

func (c Contact) view() map[string]any {
	v := map[string]any{"pid": c.PID, "addedAt": c.AddedAt}
	if c.HasAlias {
		v["alias"] = c.Alias
	}
	return v
}

// Handle applies one request received at now and returns the reply.
// covered is false for a request the model does not cover (a valid
// CreateSession, which spawns a session).
func (m *Model) Handle(req proto.Request, now int64) (out proto.Outcome, covered bool) {
	op := req.Action
	for _, n := range Notices {
		if op == n {
			// A wallet's message is never a session's notice.
			return proto.Silent(ReqTrustNew, ReqTrustKnown, ReqNoticeSilent), true
		}
	}
	if !ownerOnly[op] && !reads[op] {
		return proto.Unknown(op, operations()...), true
	}
	limit := MaxDataBytes
	if l, ok := dataLimits[op]; ok {
		limit = l
	}
	if len(req.Data) > limit {
		return proto.Fail(op, proto.LimitExceeded, ReqSize, proto.ReqDataLimit), true
	}
	if ownerOnly[op] && req.From != m.Owner {
		return proto.Fail(op, proto.Unauthorized, ReqOwner, proto.ReqIdentity), true
	}
	switch op {
	case ActGetProfile:
		return proto.Success(op, m.View(), ReqGet, ReqReadsPublic), true
	case ActGetContacts:
		list := make([]any, len(m.Contacts))
		for i, c := range m.Contacts {
			list[i] = c.view()
		}
		return proto.Success(op, map[string]any{"contacts": list}, ReqGetContacts, ReqReadsPublic), true
	case ActGetChatList:
		return proto.Success(op, map[string]any{"sessions": []any{}, "unread": 0}, ReqChatList, ReqReadsPublic), true
	case ActUpdate:
		return m.update(req, now), true
	case ActAddContact:
		return m.addContact(req, now), true
	case ActRemoveContact:
		return m.removeContact(req), true
	case ActAddSessionModule:
		return m.addModule(req), true
	case ActMarkRead:
		return m.markRead(req), true
	case ActSendChat:
		return m.sendChat(req), true
	case ActSessionCommand:
		return m.command(req), true
	case ActCreateSession:
		return m.createSession(req)
	}
	return proto.Silent(proto.ReqUnknownAction), true
}

func chars(s string) int { return utf8.RuneCountInString(s) }

// object decodes a closed JSON object of the allowed fields. A field given
// as null is dropped: it is the same as the field left out (MIP02-OPT-1),
// once it is known to be allowed (MIP00-INP-4). nulls names that rule when
// the request leaned on it, for the outcome's requirements.
func object(data string, allowed ...string) (obj map[string]any, nulls []string, ok bool) {
	obj, ok = proto.DecodeObject(data)
	if !ok || !proto.OnlyKeys(obj, allowed...) {
		return nil, nil, false
	}
	if proto.DropNulls(obj) {
		nulls = []string{ReqOptionalNull}
	}
	return obj, nulls, true
}

func isID(v any) bool {
	s, ok := v.(string)
	if !ok || len(s) != 43 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// isCount reports whether v is a JSON integer >= 0 (MIP-00's integers).
func isCount(v any) bool {
	_, ok := proto.Count(v)
	return ok
}

func (m *Model) update(req proto.Request, now int64) proto.Outcome {
	obj, ok := proto.DecodeObject(req.Data)
	if !ok {
		return proto.Fail(ActUpdate, proto.InvalidInput, ReqUpdateForm, proto.ReqMalformed)
	}
	for k, v := range obj {
		limit, known := FieldLimits[k]
		if !known {
			return proto.Fail(ActUpdate, proto.InvalidInput, ReqFieldKnown, proto.ReqClosed)
		}
		if v == nil {
			continue
		}
		s, isString := v.(string)
		if !isString {
			return proto.Fail(ActUpdate, proto.InvalidInput, ReqFieldKnown)
		}
		if n := chars(s); n < 1 || n > limit {
			rule := ReqFieldOther
			if k == "nickname" {
				rule = ReqNickname
			}
			return proto.Fail(ActUpdate, proto.InvalidInput, rule, ReqUpdateForm)
		}
	}
	reqs := []string{ReqUpdateMerge, ReqUpdateNull, ReqUpdateReply}
	for k, v := range obj {
		if v == nil {
			delete(m.Fields, k)
			// A field given as null is the rule that decides this update.
			reqs = []string{ReqUpdateNull, ReqUpdateMerge, ReqUpdateReply}
		} else {
			m.Fields[k] = v.(string)
		}
	}
	m.UpdatedAt = now
	out := proto.Success(ActUpdate, m.View(), reqs...)
	out.Replies[0].Field, out.Replies[0].FieldRequirement = "updatedAt", ReqUpdateReply
	return out
}

func (m *Model) contact(pid string) int {
	for i, c := range m.Contacts {
		if c.PID == pid {
			return i
		}
	}
	return -1
}

func (m *Model) addContact(req proto.Request, now int64) proto.Outcome {
	obj, _, ok := object(req.Data, "pid", "alias")
	if !ok || !isID(obj["pid"]) {
		return proto.Fail(ActAddContact, proto.InvalidInput, ReqAddContact, proto.ReqMalformed)
	}
	c := Contact{PID: obj["pid"].(string), AddedAt: now}
	if a, given := obj["alias"]; given {
		s, isString := a.(string)
		if !isString || chars(s) < 1 || chars(s) > MaxAlias {
			return proto.Fail(ActAddContact, proto.InvalidInput, ReqAddContact)
		}
		c.Alias, c.HasAlias = s, true
	}
	if i := m.contact(c.PID); i >= 0 {
		m.Contacts[i].Alias, m.Contacts[i].HasAlias = c.Alias, c.HasAlias
		return proto.Success(ActAddContact, m.Contacts[i].view(), ReqContactAgain)
	}
	m.Contacts = append(m.Contacts, c)
	return proto.Success(ActAddContact, c.view(), ReqAddContact)
}

func (m *Model) removeContact(req proto.Request) proto.Outcome {
	obj, _, ok := object(req.Data, "pid")
	if !ok || !isID(obj["pid"]) {
		return proto.Fail(ActRemoveContact, proto.InvalidInput, ReqRemoveContact, proto.ReqMalformed)
	}
	pid := obj["pid"].(string)
	i := m.contact(pid)
	if i < 0 {
		return proto.Fail(ActRemoveContact, proto.NotFound, ReqRemoveContact)
	}
	m.Contacts = append(m.Contacts[:i:i], m.Contacts[i+1:]...)
	return proto.Success(ActRemoveContact, map[string]any{"pid": pid, "removed": true}, ReqRemoveContact)
}

func (m *Model) addModule(req proto.Request) proto.Outcome {
	obj, _, ok := object(req.Data, "module")
	if !ok || !isID(obj["module"]) {
		return proto.Fail(ActAddSessionModule, proto.InvalidInput, ReqAddModule, proto.ReqMalformed)
	}
	mod := obj["module"].(string)
	found := false
	for _, x := range m.Modules {
		found = found || x == mod
	}
	if !found {
		m.Modules = append(m.Modules, mod)
	}
	list := make([]any, len(m.Modules))
	for i, x := range m.Modules {
		list[i] = x
	}
	return proto.Success(ActAddSessionModule, map[string]any{"sessionModules": list}, ReqAddModule)
}

// markRead: with no session listed, a well-formed MarkRead is NotFound; the
// whole Data is judged first (MIP02-CHK-1).
func (m *Model) markRead(req proto.Request) proto.Outcome {
	obj, nulls, ok := object(req.Data, "session", "upTo")
	if !ok || !isID(obj["session"]) {
		return proto.Fail(ActMarkRead, proto.InvalidInput, ReqMarkRead, ReqCheckOrder, proto.ReqMalformed)
	}
	if v, given := obj["upTo"]; given && !isCount(v) {
		return proto.Fail(ActMarkRead, proto.InvalidInput, ReqMarkRead, ReqCheckOrder)
	}
	return proto.Fail(ActMarkRead, proto.NotFound, append([]string{ReqMarkRead, ReqCheckOrder}, nulls...)...)
}

func (m *Model) sendChat(req proto.Request) proto.Outcome {
	obj, nulls, ok := object(req.Data, "session", "content", "replyTo")
	if !ok || !isID(obj["session"]) {
		return proto.Fail(ActSendChat, proto.InvalidInput, ReqSendChat, ReqCheckOrder, proto.ReqMalformed)
	}
	if _, isString := obj["content"].(string); !isString {
		return proto.Fail(ActSendChat, proto.InvalidInput, ReqSendChat, ReqCheckOrder)
	}
	if v, given := obj["replyTo"]; given && !isCount(v) {
		return proto.Fail(ActSendChat, proto.InvalidInput, ReqSendChat, ReqCheckOrder)
	}
	return proto.Fail(ActSendChat, proto.NotFound, append([]string{ReqSendChat, ReqCheckOrder}, nulls...)...)
}

var commands = map[string]bool{"AddParticipant": true, "RemoveParticipant": true, "Leave": true, "SetTitle": true}

func (m *Model) command(req proto.Request) proto.Outcome {
	obj, nulls, ok := object(req.Data, "session", "command", "args")
	if !ok || !isID(obj["session"]) {
		return proto.Fail(ActSessionCommand, proto.InvalidInput, ReqCommand, ReqCheckOrder, proto.ReqMalformed)
	}
	if c, isString := obj["command"].(string); !isString || !commands[c] {
		return proto.Fail(ActSessionCommand, proto.InvalidInput, ReqCommand, ReqCheckOrder)
	}
	if v, given := obj["args"]; given {
		if _, isObj := v.(map[string]any); !isObj {
			return proto.Fail(ActSessionCommand, proto.InvalidInput, ReqCommand, ReqCheckOrder)
		}
	}
	return proto.Fail(ActSessionCommand, proto.NotFound, append([]string{ReqCommand, ReqCheckOrder}, nulls...)...)
}

func (m *Model) createSession(req proto.Request) (proto.Outcome, bool) {
	bad := func(reqs ...string) (proto.Outcome, bool) {
		return proto.Fail(ActCreateSession, proto.InvalidInput, append([]string{ReqCreate}, reqs...)...), true
	}
	obj, _, ok := object(req.Data, "type", "participants", "title")
	if !ok {
		return bad(proto.ReqMalformed)
	}
	typ := obj["type"]
	if typ != "dm" && typ != "group" {
		return bad()
	}
	list, isList := obj["participants"].([]any)
	if !isList {
		return bad()
	}
	seen := map[string]bool{}
	for _, p := range list {
		if !isID(p) || p.(string) == m.ID || seen[p.(string)] {
			return bad()
		}
		seen[p.(string)] = true
	}
	_, hasTitle := obj["title"]
	if typ == "dm" {
		if len(list) != 1 || hasTitle {
			return bad()
		}
	} else {
		if len(list) < 1 {
			return bad()
		}
		if len(list)+1 > MaxGroup {
			return proto.Fail(ActCreateSession, proto.LimitExceeded, ReqCreate), true
		}
		if hasTitle {
			s, isString := obj["title"].(string)
			if !isString || chars(s) < 1 || chars(s) > MaxTitle {
				return bad()
			}
		}
	}
	if len(m.Modules) == 0 {
		return bad(ReqSessionModule)
	}
	return proto.Outcome{}, false
}
