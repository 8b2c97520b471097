// Package session is the executable model of a MIP-03 chat session: its
// participants, messages and title, and for each request the new state, the
// reply and the notices the spec requires. It is written from
// spec/mip-03.md (and MIP-00), never from a Lua implementation.
package session

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mostao/conformance/models/proto"
)

// Limits of MIP-03.
const (
	MaxContentBytes = 10000
	MaxParticipants = 256
	MaxTitleChars   = 128
	DefaultLimit    = 50
	MaxLimit        = 100
	// MaxDataBytes is the Data limit of every request but SendMessage
	// (MIP03-SIZE-1, after MIP00-INP-3); MaxSendDataBytes is SendMessage's.
	MaxDataBytes     = 4096
	MaxSendDataBytes = 65536
)

// Participant is one member of a session.
type Participant struct {
	PID  string
	Role string
}

// Message is one stored chat message.
type Message struct {
	ID        int
	From      string
	Timestamp int64
	Content   string
	ReplyTo   int // 0 when none
}

// Model is the state of one session process.
type Model struct {
	ID           string // the session's process id
	Type         string // "dm" or "group"
	Creator      string
	Participants []Participant
	Title        string // "" when none
	CreatedAt    int64
	Messages     []Message
	// Gone are the participants that left or were removed, so that what
	// one of them tries is blamed on MIP03-GRP-5.
	Gone []string
}

// New is the state after a valid spawn by creator with the given
// participants (creator included, in spawn order).
func New(id, typ, creator string, participants []string, title string, createdAt int64) *Model {
	m := &Model{ID: id, Type: typ, Creator: creator, Title: title, CreatedAt: createdAt}
	for _, p := range participants {
		role := "member"
		if typ == "group" && p == creator {
			role = "admin"
		}
		m.Participants = append(m.Participants, Participant{PID: p, Role: role})
	}
	return m
}

// Clone returns an independent copy.
func (m *Model) Clone() *Model {
	c := *m
	c.Participants = append([]Participant(nil), m.Participants...)
	c.Messages = append([]Message(nil), m.Messages...)
	c.Gone = append([]string(nil), m.Gone...)
	return &c
}

// The actions and notices of MIP-03.
const (
	ActSend     = "SendMessage"
	ActGet      = "GetMessages"
	ActInfo     = "GetSessionInfo"
	ActAdd      = "AddParticipant"
	ActRemove   = "RemoveParticipant"
	ActLeave    = "Leave"
	ActSetTitle = "SetTitle"

	NoticeCreated = "Session-Created"
	NoticeMessage = "Session-Message"
	NoticeChanged = "Session-Changed"
	NoticeRemoved = "Session-Removed"
)

func (m *Model) index(pid string) int {
	for i, p := range m.Participants {
		if p.PID == pid {
			return i
		}
	}
	return -1
}

// Info is the session's info (MIP03-INFO-1), with or without messageCount.
func (m *Model) Info(withCount bool) map[string]any {
	parts := make([]any, len(m.Participants))
	for i, p := range m.Participants {
		parts[i] = map[string]any{"pid": p.PID, "role": p.Role}
	}
	v := map[string]any{"session": m.ID, "type": m.Type, "creator": m.Creator, "participants": parts, "createdAt": m.CreatedAt}
	if m.Title != "" {
		v["title"] = m.Title
	}
	if withCount {
		v["messageCount"] = len(m.Messages)
	}
	return v
}

// CreatedNotices are the notices a valid spawn sends (MIP03-INIT-2).
func (m *Model) CreatedNotices() []proto.Reply {
	var out []proto.Reply
	for _, p := range m.Participants {
		out = append(out, proto.Reply{Target: p.PID, Action: NoticeCreated, Data: m.Info(false), Requirement: ReqInitNotices})
	}
	return out
}

// Handle applies one request, received at now (ms), and returns the reply
// and notices.
func (m *Model) Handle(req proto.Request, now int64) proto.Outcome {
	switch req.Action {
	case ActSend, ActGet, ActInfo, ActAdd, ActRemove, ActLeave, ActSetTitle:
		limit := MaxDataBytes
		if req.Action == ActSend {
			limit = MaxSendDataBytes
		}
		if len(req.Data) > limit {
			return proto.Fail(req.Action, proto.LimitExceeded, ReqSize, proto.ReqDataLimit)
		}
	}
	switch req.Action {
	case ActSend:
		return m.send(req, now)
	case ActGet:
		return m.get(req)
	case ActInfo:
		return proto.Success(ActInfo, m.Info(true), ReqInfo, ReqReadsPublic)
	case ActAdd, ActRemove, ActLeave, ActSetTitle:
		return m.group(req)
	}
	return proto.Unknown(req.Action, ActSend, ActGet, ActInfo, ActAdd, ActRemove, ActLeave, ActSetTitle)
}

// decode reads Data as a closed JSON object of the allowed fields. A field
// given as null is dropped: it is the same as the field left out
// (MIP03-OPT-1), once it is known to be allowed (MIP00-INP-4). nulls names
// that rule when the request leaned on it, for the outcome's requirements.
func decode(data string, allowed ...string) (obj map[string]any, nulls []string, ok bool) {
	obj, ok = proto.DecodeObject(data)
	if !ok || !proto.OnlyKeys(obj, allowed...) {
		return nil, nil, false
	}
	if proto.DropNulls(obj) {
		nulls = []string{ReqOptionalNull}
	}
	return obj, nulls, true
}

// count reads a JSON integer >= 0 (MIP-00's integers).
func count(v any) (int, bool) {
	n, ok := proto.Count(v)
	return int(n), ok
}

func (m *Model) send(req proto.Request, now int64) proto.Outcome {
	if m.index(req.From) < 0 {
		if slices.Contains(m.Gone, req.From) {
			return proto.Fail(ActSend, proto.Unauthorized, ReqGroupLeft, ReqSendParticipants)
		}
		return proto.Fail(ActSend, proto.Unauthorized, ReqSendParticipants, ReqGroupLeft)
	}
	obj, nulls, ok := decode(req.Data, "content", "replyTo")
	if !ok {
		return proto.Fail(ActSend, proto.InvalidInput, ReqSendForm, proto.ReqMalformed)
	}
	content, isString := obj["content"].(string)
	if !isString || len(content) < 1 || len(content) > MaxContentBytes {
		return proto.Fail(ActSend, proto.InvalidInput, ReqSendForm)
	}
	replyTo := 0
	if v, given := obj["replyTo"]; given {
		n, ok := count(v)
		if !ok || n < 1 || n > len(m.Messages) {
			return proto.Fail(ActSend, proto.InvalidInput, ReqSendForm)
		}
		replyTo = n
	}
	msg := Message{ID: len(m.Messages) + 1, From: req.From, Timestamp: now, Content: content, ReplyTo: replyTo}
	m.Messages = append(m.Messages, msg)
	out := proto.Success(ActSend, map[string]any{"id": msg.ID, "timestamp": now}, append([]string{ReqSendNumbering}, nulls...)...)
	out.Leaned = nulls
	notice := map[string]any{"session": m.ID, "id": msg.ID, "from": req.From, "timestamp": now}
	for _, p := range m.Participants {
		if p.PID != req.From {
			out.Replies = append(out.Replies, proto.Reply{Target: p.PID, Action: NoticeMessage, Data: notice, Requirement: ReqSendNotices})
		}
	}
	if len(m.Participants) > 1 {
		out.Requirements = append(out.Requirements, ReqSendNotices)
	}
	return out
}

func (m *Model) get(req proto.Request) proto.Outcome {
	obj := map[string]any{}
	var nulls []string
	// Empty Data, or white space alone, asks for every default (MIP03-GET-1).
	if strings.TrimSpace(req.Data) != "" {
		var ok bool
		if obj, nulls, ok = decode(req.Data, "after", "before", "limit", "order"); !ok {
			return proto.Fail(ActGet, proto.InvalidInput, ReqGetForm, proto.ReqMalformed)
		}
	}
	after, before, limit, desc := 0, -1, DefaultLimit, false
	if v, given := obj["after"]; given {
		n, ok := count(v)
		if !ok {
			return proto.Fail(ActGet, proto.InvalidInput, ReqGetForm)
		}
		after = n
	}
	if v, given := obj["before"]; given {
		n, ok := count(v)
		if !ok {
			return proto.Fail(ActGet, proto.InvalidInput, ReqGetForm)
		}
		before = n
	}
	if v, given := obj["limit"]; given {
		n, ok := count(v)
		if !ok || n < 1 || n > MaxLimit {
			return proto.Fail(ActGet, proto.InvalidInput, ReqGetForm)
		}
		limit = n
	}
	if v, given := obj["order"]; given {
		switch v {
		case "asc":
		case "desc":
			desc = true
		default:
			return proto.Fail(ActGet, proto.InvalidInput, ReqGetForm)
		}
	}
	var sel []Message
	for _, msg := range m.Messages {
		if msg.ID > after && (before < 0 || msg.ID < before) {
			sel = append(sel, msg)
		}
	}
	if desc {
		for i, j := 0, len(sel)-1; i < j; i, j = i+1, j-1 {
			sel[i], sel[j] = sel[j], sel[i]
		}
	}
	page := sel
	if len(page) > limit {
		page = page[:limit]
	}
	list := make([]any, len(page))
	for i, msg := range page {
		e := map[string]any{"id": msg.ID, "from": msg.From, "timestamp": msg.Timestamp, "content": msg.Content}
		if msg.ReplyTo > 0 {
			e["replyTo"] = msg.ReplyTo
		}
		list[i] = e
	}
	var cursor any
	hasMore := len(sel) > len(page)
	if hasMore {
		cursor = page[len(page)-1].ID
	}
	out := proto.Success(ActGet, map[string]any{"messages": list, "hasMore": hasMore, "nextCursor": cursor}, append([]string{ReqGet, ReqGetPaging, ReqReadsPublic}, nulls...)...)
	out.Leaned = nulls
	// The read selects the messages; what each holds (sender, time,
	// content, reply link) is what SendMessage stored (MIP03-SEND-3).
	out.Replies[0].Records, out.Replies[0].RecordRequirement = "messages", ReqSendNumbering
	if m.index(req.From) < 0 {
		// Anyone may read: for a reader that is not a participant, that
		// is the rule that decides the answer.
		out = out.First(ReqReadsPublic)
	}
	return out
}

// titleOK reports whether v is a title of 1 to 128 characters.
func titleOK(v any) (string, bool) {
	s, ok := v.(string)
	n := utf8.RuneCountInString(s)
	return s, ok && n >= 1 && n <= MaxTitleChars
}

func (m *Model) group(req proto.Request) proto.Outcome {
	op := req.Action
	i := m.index(req.From)
	if i < 0 {
		return proto.Fail(op, proto.Unauthorized, ReqGroupLeft, ReqGroupOrder, ReqCheckOrder)
	}
	if m.Type != "group" {
		return proto.Fail(op, proto.InvalidInput, ReqDMFixed, ReqCheckOrder)
	}
	if op != ActLeave && req.From != m.Creator {
		return proto.Fail(op, proto.Unauthorized, ReqGroupOrder, ReqCheckOrder)
	}
	switch op {
	case ActLeave:
		if req.From == m.Creator {
			return proto.Fail(op, proto.InvalidInput, ReqLeave)
		}
		m.Participants = append(m.Participants[:i:i], m.Participants[i+1:]...)
		out := proto.Success(op, map[string]any{"session": m.ID, "left": true}, ReqLeave)
		return m.changed(out, "left", req.From, req.From)
	case ActSetTitle:
		obj, _, ok := decode(req.Data, "title")
		if !ok {
			return proto.Fail(op, proto.InvalidInput, ReqSetTitle, proto.ReqMalformed)
		}
		title, ok := titleOK(obj["title"])
		if !ok {
			return proto.Fail(op, proto.InvalidInput, ReqSetTitle)
		}
		m.Title = title
		out := proto.Success(op, map[string]any{"session": m.ID, "title": title}, ReqSetTitle)
		return m.changed(out, "title", "", "")
	}
	obj, _, ok := decode(req.Data, "pid")
	if !ok {
		return proto.Fail(op, proto.InvalidInput, ReqGroupOrder, proto.ReqMalformed)
	}
	pid, isString := obj["pid"].(string)
	if !isString || !validID(pid) {
		return proto.Fail(op, proto.InvalidInput, ReqGroupOrder, ReqCheckOrder)
	}
	j := m.index(pid)
	if j < 0 && m.foldedIndex(pid) >= 0 {
		// The pid is a participant's but for its case: another id
		// (MIP00-ID-2), which the outcome below treats as such.
		return m.groupPID(op, pid, j).First(proto.ReqIDExact)
	}
	return m.groupPID(op, pid, j)
}

// foldedIndex is index with the case of ids folded: a pid that is found
// here and not by index differs from a participant's only by case.
func (m *Model) foldedIndex(pid string) int {
	for i, p := range m.Participants {
		if strings.EqualFold(p.PID, pid) {
			return i
		}
	}
	return -1
}

// groupPID is the rest of AddParticipant and RemoveParticipant, on a valid
// pid whose index among the participants is j (-1 when none).
func (m *Model) groupPID(op, pid string, j int) proto.Outcome {
	if op == ActAdd {
		// A pid already in is wrong whatever the group's size, so it is
		// judged before the size (MIP03-CHK-1).
		if j >= 0 {
			return proto.Fail(op, proto.InvalidInput, ReqAdd, ReqCheckOrder)
		}
		if len(m.Participants) >= MaxParticipants {
			return proto.Fail(op, proto.LimitExceeded, ReqAdd, ReqCheckOrder)
		}
		m.Participants = append(m.Participants, Participant{PID: pid, Role: "member"})
		out := proto.Success(op, map[string]any{"session": m.ID, "participants": m.Info(false)["participants"]}, ReqAdd)
		return m.changed(out, "added", pid, "")
	}
	if j < 0 {
		return proto.Fail(op, proto.NotFound, ReqRemove)
	}
	if pid == m.Creator {
		return proto.Fail(op, proto.InvalidInput, ReqRemove)
	}
	m.Participants = append(m.Participants[:j:j], m.Participants[j+1:]...)
	out := proto.Success(op, map[string]any{"session": m.ID, "participants": m.Info(false)["participants"]}, ReqRemove)
	return m.changed(out, "removed", pid, pid)
}

// changed adds the notices of a group change: Session-Changed to every
// participant after it, Session-Removed to one who left or was removed.
func (m *Model) changed(out proto.Outcome, kind, pid, gone string) proto.Outcome {
	v := m.Info(false)
	change := map[string]any{"kind": kind}
	if pid != "" {
		change["pid"] = pid
	}
	v["change"] = change
	for _, p := range m.Participants {
		out.Replies = append(out.Replies, proto.Reply{Target: p.PID, Action: NoticeChanged, Data: v, Requirement: ReqGroupNotices})
	}
	if gone != "" {
		m.Gone = append(m.Gone, gone)
		out.Replies = append(out.Replies, proto.Reply{Target: gone, Action: NoticeRemoved, Data: map[string]any{"session": m.ID, "reason": kind}, Requirement: ReqGroupNotices})
	}
	out.Requirements = append(out.Requirements, ReqGroupNotices)
	return out
}

func validID(s string) bool {
	if len(s) != 43 {
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
