// Package proto holds what every MostAO model shares: the request a model
// reads, the replies it predicts, and the MIP-00 reply conventions (the
// "<Op>-Response" / "<Op>-Error" shapes), so that each MIP model states only
// its own rules.
package proto

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Request is one message as a MostAO process sees it, reduced to what the
// models read. From is the identity aos gives the handler (msg.From).
type Request struct {
	From   string
	Action string
	Data   string
	// Timestamp is the message's Timestamp in milliseconds.
	Timestamp int64
}

// Reply is one message a model predicts the process sends.
type Reply struct {
	// Target is where it goes: "" means "back to the requester" (msg.reply).
	Target string
	// Action is the reply's Action tag.
	Action string
	// Error is the Error tag; empty for a success.
	Error string
	// Data is the JSON value of the reply's Data. For an error it holds only
	// {"code": Error}: the human message is free text, checked to be present
	// but never compared.
	Data any
	// Requirement, for a notice, is the rule that has the process send it
	// (MIP03-SEND-4 for a Session-Message): a divergence in this message,
	// or a message of its Action to a participant that was due none, is
	// blamed on it first, not on the rule of the request's reply.
	Requirement string
	// Field and FieldRequirement name a field of a success's Data that a
	// rule of its own decides (updatedAt = now, MIP02-UPD-3): a divergence
	// in that field is blamed on that rule first. The field is the
	// request's own (a time it stamps, a name it echoes), not state an
	// earlier write left: a state check that differs there keeps its own
	// blame rather than blaming the write before it.
	Field, FieldRequirement string
	// Records and RecordRequirement name a list field of a success's Data
	// whose entries are records another rule stored (the messages of
	// GetMessages, stored by MIP03-SEND-3), each an object keyed by "id".
	// When the reply lists the same records as the model, in the same
	// order, and all else agrees, the read selected right and a record's
	// content is wrong: the divergence is blamed on the storing rule first.
	Records, RecordRequirement string
}

// IsError reports whether the reply is a MIP-00 error reply.
func (r Reply) IsError() bool { return r.Error != "" }

// DataJSON renders Data as compact JSON with sorted keys (for display and
// for Gherkin export).
func (r Reply) DataJSON() string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r.Data); err != nil {
		return "<unencodable>"
	}
	return string(bytes.TrimRight(buf.Bytes(), "\n"))
}

// Outcome is what a model predicts for one request: the replies, in order,
// and the requirement IDs that decided them (so a divergence names a rule).
type Outcome struct {
	Replies []Reply
	// Requirements are the IDs of the rules this outcome rests on, the most
	// specific first.
	Requirements []string
	// Leaned are rules the request leaned on to succeed (fields given as
	// null, which count as left out): a target that refuses the request
	// where the model succeeds broke them first.
	Leaned []string
}

// Error codes of MIP-00.
const (
	InvalidInput  = "InvalidInput"
	NotFound      = "NotFound"
	NameTaken     = "NameTaken"
	Unauthorized  = "Unauthorized"
	LimitExceeded = "LimitExceeded"
)

// Success is the outcome of a request that succeeded: one reply
// "<op>-Response" carrying data.
func Success(op string, data map[string]any, reqs ...string) Outcome {
	return Outcome{Replies: []Reply{{Action: op + "-Response", Data: data}}, Requirements: reqs}
}

// Fail is the outcome of a request that failed: one reply "<op>-Error" with
// tag Error = code and Data {"code": code, "message": ...}.
func Fail(op, code string, reqs ...string) Outcome {
	return Outcome{Replies: []Reply{{Action: op + "-Error", Error: code, Data: map[string]any{"code": code}}}, Requirements: reqs}
}

// Silent is the outcome of a message the process must not answer.
func Silent(reqs ...string) Outcome { return Outcome{Requirements: reqs} }

// Unknown is the outcome of an Action that is none of the process's
// operations: no reply (MIP00-ACT-1). An Action that is one of them but for
// its case breaks MIP00-ACT-2 first when it is answered: Actions are
// compared byte for byte.
func Unknown(action string, ops ...string) Outcome {
	for _, op := range ops {
		if strings.EqualFold(action, op) {
			return Silent(ReqActionExact, ReqUnknownAction)
		}
	}
	return Silent(ReqUnknownAction, ReqActionExact)
}

// First puts rule ahead of the outcome's requirements: the rule that
// decides this case, more specific than the operation's own.
func (o Outcome) First(rule string) Outcome {
	o.Requirements = append([]string{rule}, o.Requirements...)
	return o
}

// DecodeObject decodes s as a JSON object. It returns ok=false when s is not
// exactly one JSON object (trailing data, arrays, scalars, invalid JSON).
// Numbers are kept as json.Number so that 1 and 1.5 stay distinct.
func DecodeObject(s string) (map[string]any, bool) {
	// json.Valid rejects trailing data after the value, which a bare
	// Decoder would silently leave unread.
	if !json.Valid([]byte(s)) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	obj, ok := v.(map[string]any)
	return obj, ok
}

// MaxInteger is the largest integer of MIP-00's terms, 2^53 - 1: past it a
// float and a Lua 5.3 integer no longer hold the same values, so a request
// number beyond it is not an integer.
const MaxInteger = 1<<53 - 1

// Count reads v as a JSON integer from 0 to MaxInteger, written without a
// fraction or an exponent. MIP-00 lets a process take a whole number
// written with one (1.0, 1e2) or refuse it; the models refuse it, and the
// generators never send one.
func Count(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok || strings.ContainsAny(n.String(), ".eE") {
		return 0, false
	}
	i, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil || i < 0 || i > MaxInteger {
		return 0, false
	}
	return i, true
}

// StringField returns obj[key] when it is present and a string.
func StringField(obj map[string]any, key string) (value string, present, isString bool) {
	v, ok := obj[key]
	if !ok {
		return "", false, false
	}
	s, ok := v.(string)
	return s, true, ok
}

// OnlyKeys reports whether obj has no key outside allowed.
func OnlyKeys(obj map[string]any, allowed ...string) bool {
	for k := range obj {
		found := false
		for _, a := range allowed {
			if k == a {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// DropNulls deletes the fields of obj given as null and reports whether
// there was one: in MIP-02 and MIP-03 an optional field given as null is the
// same as the field left out (MIP02-OPT-1, MIP03-OPT-1). Call it after
// OnlyKeys, since an unknown field is refused even when null.
func DropNulls(obj map[string]any) bool {
	dropped := false
	for k, v := range obj {
		if v == nil {
			delete(obj, k)
			dropped = true
		}
	}
	return dropped
}
