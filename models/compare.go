package models

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/internal/jsonvalue"
	"github.com/mostao/conformance/models/proto"
	"github.com/mostao/conformance/spec"
)

// compare checks what the target did for one request against the model's
// outcome. from is the requester's id (where replies go). Messages are
// matched target by target; to one target they are compared in Action
// order, since the spec orders a reply and the notices of one request only
// by who receives them.
func compare(ex adapters.Exchange, from string, want proto.Outcome) *Divergence {
	d := compareRaw(ex, from, want)
	if d != nil {
		// Described only now: most requests agree, and describing costs.
		d.Expected = describeOutcome(want, from)
	}
	return d
}

func compareRaw(ex adapters.Exchange, from string, want proto.Outcome) *Divergence {
	got, failures := actual(ex)
	const expected = ""
	diverge := func(reqs []string, detail string) *Divergence {
		return &Divergence{Requirements: dedupe(reqs), Expected: expected, Got: detail}
	}
	if ex.Err != "" {
		return diverge(append([]string{proto.ReqNoCrash}, want.Requirements...),
			fmt.Sprintf("the %s failed: %s%s", ex.Kind, ex.Err, failures))
	}
	byTarget := map[string][]proto.Reply{}
	var targets []string
	for _, w := range want.Replies {
		t := w.Target
		if t == "" {
			t = from
		}
		if _, seen := byTarget[t]; !seen {
			targets = append(targets, t)
		}
		byTarget[t] = append(byTarget[t], w)
	}
	gotBy := map[string][]adapters.Message{}
	var stray []adapters.Message
	for _, m := range got {
		if _, expectedThere := byTarget[m.Target]; !expectedThere {
			stray = append(stray, m)
			continue
		}
		gotBy[m.Target] = append(gotBy[m.Target], m)
	}
	// A reply that went to the sender when the request named another
	// Reply-To: the routing is the divergence, not a missing reply.
	if from != ex.Request.From && len(byTarget[from]) > 0 && len(gotBy[from]) == 0 {
		for _, m := range stray {
			if m.Target == ex.Request.From && isReplyTo(m, ex) {
				return diverge(append([]string{proto.ReqReplyTarget}, want.Requirements...),
					fmt.Sprintf("the reply went to the sender, not to Reply-To: %s", describeMessages([]adapters.Message{m}))+failures)
			}
		}
	}
	// The requester's reply first: when it is wrong, that is the clearest
	// account of the divergence.
	if i := indexOf(targets, from); i > 0 {
		targets = append([]string{from}, append(targets[:i:i], targets[i+1:]...)...)
	}
	if len(targets) > 0 && targets[0] == from {
		if d := compareTarget(ex, from, from, byTarget[from], gotBy[from], want, expected, failures); d != nil {
			return d
		}
		targets = targets[1:]
	}
	for _, m := range stray {
		reqs := want.Requirements
		switch {
		case isReplyTo(m, ex) && m.Tags.Value("X-Reference") == ex.Request.Tags.Value("Reference") && countExpectedReplies(want.Replies) > 0:
			// A reply was due, and went elsewhere.
			reqs = append([]string{proto.ReqReplyTarget}, reqs...)
		case isReplyTo(m, ex):
			// No reply was due (an unknown Action): answering at all
			// breaks the request's own rules.
		default:
			// A notice to someone due none breaks the rule of whom that
			// notice goes to.
			reqs = noticeFirst(noticeRule(want, m.Action()), reqs)
		}
		return diverge(reqs, fmt.Sprintf("a message to %s: %s", m.Target, describeMessages([]adapters.Message{m}))+failures)
	}
	for _, t := range targets {
		if d := compareTarget(ex, from, t, byTarget[t], gotBy[t], want, expected, failures); d != nil {
			return d
		}
	}
	return nil
}

// compareTarget compares the messages one target got with the model's.
func compareTarget(ex adapters.Exchange, from, t string, w []proto.Reply, g []adapters.Message, want proto.Outcome, expected, failures string) *Divergence {
	if len(g) != len(w) {
		var reqs []string
		switch {
		case len(g) == 0 && failures != "":
			reqs = []string{proto.ReqNoCrash}
		case t == from && countReplies(g, ex) != countExpectedReplies(w):
			reqs = []string{proto.ReqOneReply}
		case t == from && unexplained(g, ex, want):
			// The requester got a message that is neither the reply nor a
			// notice of the request: one message too many for it.
			reqs = []string{proto.ReqOneReply}
		}
		if len(reqs) == 0 {
			// A notice more or less than due breaks the rule of whom that
			// notice goes to (the sender of a message gets none).
			for _, m := range g {
				if !isReplyTo(m, ex) && noticeRule(want, m.Action()) != "" {
					reqs = []string{noticeRule(want, m.Action())}
					break
				}
			}
			for _, x := range w {
				if len(reqs) == 0 && x.Requirement != "" {
					reqs = []string{x.Requirement}
				}
			}
		}
		detail := describeMessages(g)
		if t != from {
			detail = fmt.Sprintf("to %s: %s", t, detail)
		}
		return &Divergence{Requirements: dedupe(append(reqs, want.Requirements...)), Expected: expected, Got: detail + failures}
	}
	w = append([]proto.Reply(nil), w...)
	g = append([]adapters.Message(nil), g...)
	sort.SliceStable(w, func(i, j int) bool { return w[i].Action < w[j].Action })
	sort.SliceStable(g, func(i, j int) bool { return g[i].Action() < g[j].Action() })
	for i := range w {
		if d := compareOne(ex, from, w[i], g[i], g, want, failures); d != nil {
			d.Expected = expected
			return d
		}
	}
	return nil
}

// unexplained says whether one of the messages is neither a reply to the
// request nor a notice of an Action the model predicts for it.
func unexplained(g []adapters.Message, ex adapters.Exchange, want proto.Outcome) bool {
	for _, m := range g {
		if isReplyTo(m, ex) {
			continue
		}
		predicted := false
		for _, w := range want.Replies {
			predicted = predicted || w.Action == m.Action()
		}
		if !predicted {
			return true
		}
	}
	return false
}

// noticeRule is the rule of the notices of an Action the model predicts
// for a request (proto.Reply.Requirement), "" when it predicts none.
func noticeRule(want proto.Outcome, action string) string {
	for _, w := range want.Replies {
		if w.Target != "" && w.Action == action && w.Requirement != "" {
			return w.Requirement
		}
	}
	return ""
}

// decodeData decodes a reply's Data, nil when it is not JSON.
func decodeData(data string) any {
	v, err := jsonvalue.Decode(data)
	if err != nil {
		return nil
	}
	return v
}

// readErred says whether m, the reply to a read made without Data that
// the model answers with a success, is an error no other rule explains:
// not Unauthorized (the rule that reads are public) nor LimitExceeded.
func readErred(ex adapters.Exchange, w proto.Reply, m adapters.Message) bool {
	action := ex.Request.Action()
	if _, ok := spec.ReadShape(action); !ok || strings.TrimSpace(ex.Request.Data) != "" {
		return false
	}
	code := m.Tags.Value("Error")
	return !w.IsError() && w.Target == "" && m.Action() == action+"-Error" && code != "" && code != "Unauthorized" && code != "LimitExceeded"
}

// shapeRule returns the rule of the read's reply shape
// (spec.ShapeRequirement, or spec.StateShapeRequirement for the state the
// model's reply is of) when m, the read's success reply, lacks a field the
// model's reply has and that rule lists; "" otherwise.
func shapeRule(action string, m adapters.Message, w proto.Reply) string {
	if w.Target != "" || m.Action() != action+"-Response" {
		return ""
	}
	g, e := objects(decodeData(m.Data), w)
	if g == nil {
		return ""
	}
	fields := make([]string, 0, len(e))
	for k := range e {
		fields = append(fields, k)
	}
	sort.Strings(fields)
	for _, f := range fields {
		if _, has := g[f]; has {
			continue
		}
		if rule := spec.ShapeRequirement(action, f); rule != "" {
			return rule
		}
		if rule := spec.StateShapeRequirement(action, f, e, g); rule != "" {
			return rule
		}
	}
	return ""
}

// objects returns a reply's Data and the model's as JSON objects, both nil
// when either is not one.
func objects(got any, w proto.Reply) (gm, em map[string]any) {
	e, err := jsonvalue.Normalize(w.Data)
	if err != nil {
		return nil, nil
	}
	gm, _ = got.(map[string]any)
	em, _ = e.(map[string]any)
	if gm == nil || em == nil {
		return nil, nil
	}
	return gm, em
}

// fieldDiffers says whether a reply's Data differs from the model's in the
// field the model names (Reply.Field).
func fieldDiffers(got any, w proto.Reply) bool {
	gm, em := objects(got, w)
	return gm != nil && !jsonvalue.Equal(gm[w.Field], em[w.Field])
}

// onlyRecordsDiffer says whether a reply's Data agrees with the model's
// but for the contents of the records in the field w.Records: every other
// field equal, and the same records, by "id", in the same order.
func onlyRecordsDiffer(got any, w proto.Reply) bool {
	gm, em := objects(got, w)
	if gm == nil || len(gm) != len(em) {
		return false
	}
	for k, ev := range em {
		gv, present := gm[k]
		if !present || (k != w.Records && !jsonvalue.Equal(gv, ev)) {
			return false
		}
	}
	gl, _ := gm[w.Records].([]any)
	el, _ := em[w.Records].([]any)
	if len(gl) != len(el) {
		return false
	}
	for i := range el {
		g, _ := gl[i].(map[string]any)
		e, _ := el[i].(map[string]any)
		if g == nil || e == nil || !jsonvalue.Equal(g["id"], e["id"]) {
			return false
		}
	}
	return true
}

// noticeFirst puts a notice's own rule ahead of the request's rules.
func noticeFirst(rule string, reqs []string) []string {
	if rule == "" {
		return reqs
	}
	return append([]string{rule}, reqs...)
}

// replyConventions are the MIP-00 rules every reply keeps whatever the
// state: one reply, its target and X-Reference, the shape of a success and
// of an error, no handler error, whole numbers as JSON integers. compare
// names one of them first only when the reply itself broke it.
var replyConventions = map[string]bool{
	proto.ReqOneReply: true, proto.ReqReplyTarget: true, proto.ReqSuccessShape: true,
	proto.ReqErrorShape: true, proto.ReqNoCrash: true, proto.ReqWholeNumbers: true,
}

// ownConvention says whether a divergence is first a break of a reply
// convention by the request's own reply.
func ownConvention(d *Divergence) bool {
	return len(d.Requirements) > 0 && replyConventions[d.Requirements[0]]
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

// isReplyTo reports whether m looks like the reply to the request of ex.
func isReplyTo(m adapters.Message, ex adapters.Exchange) bool {
	return strings.HasPrefix(m.Action(), ex.Request.Action()+"-")
}

func compareOne(ex adapters.Exchange, from string, w proto.Reply, m adapters.Message, all []adapters.Message, want proto.Outcome, failures string) *Divergence {
	diverge := func(reqs []string, detail string) *Divergence {
		return &Divergence{Requirements: dedupe(reqs), Got: detail}
	}
	if m.Action() != w.Action || m.Tags.Value("Error") != w.Error {
		reqs := want.Requirements
		own := false
		switch {
		case strings.HasPrefix(m.Action(), ex.Request.Action()+"-") && !w.IsError() && m.Tags.Value("Error") == "":
			reqs = append([]string{proto.ReqSuccessShape}, reqs...)
		case !w.IsError() && m.Tags.Value("Error") == proto.InvalidInput && len(want.Leaned) > 0:
			// Refused where the model succeeds, on a request that leaned
			// on a rule to succeed: that rule first.
			reqs = append(slices.Clone(want.Leaned), reqs...)
		case readErred(ex, w, m):
			// A read with valid arguments always succeeds: its error is
			// the read's own defect, not the state's, so a state check
			// keeps it.
			reqs, own = noticeFirst(spec.ReadRequirement(ex.Request.Action()), reqs), true
		default:
			reqs = noticeFirst(w.Requirement, reqs)
		}
		d := diverge(reqs, describeMessages(all)+failures)
		d.own = own
		return d
	}
	if ex.Kind == "send" && w.Target == "" {
		if ref, want := m.Tags.Value("X-Reference"), ex.Request.Tags.Value("Reference"); ref != want {
			return diverge([]string{proto.ReqReplyTarget}, fmt.Sprintf("reply X-Reference %q, the request's Reference is %q: %s", ref, want, describeMessages(all)))
		}
	}
	if problem := compareData(m.Data, w); problem != "" {
		reqs, own := want.Requirements, false
		switch {
		case w.IsError():
			reqs = append([]string{proto.ReqErrorShape}, reqs...)
		case problem == wholeNumberProblem:
			// The value is right but for a whole number written as a
			// float: the divergence is MIP00-NUM-1's, whatever the request.
			reqs = []string{proto.ReqWholeNumbers}
		case shapeRule(ex.Request.Action(), m, w) != "":
			// A read's reply without a field its rule always gives is
			// that rule's defect, not the state's: a state check keeps it.
			reqs, own = noticeFirst(shapeRule(ex.Request.Action(), m, w), reqs), true
		case w.Field != "" && fieldDiffers(decodeData(m.Data), w):
			reqs, own = noticeFirst(w.FieldRequirement, reqs), true
		case w.Records != "" && onlyRecordsDiffer(decodeData(m.Data), w):
			reqs = noticeFirst(w.RecordRequirement, reqs)
		default:
			reqs = noticeFirst(w.Requirement, reqs)
		}
		detail := problem + ": " + describeMessages([]adapters.Message{m})
		if w.Target != "" {
			detail = fmt.Sprintf("%s %s to %s", problem, describeMessages([]adapters.Message{m}), m.Target)
		}
		d := diverge(reqs, detail)
		d.own = own
		return d
	}
	return nil
}

// compareData compares a reply's Data with the model's: a success by JSON
// value; an error by its code and the presence of a human message.
// A number the model holds as a Go integer must be a JSON integer in the
// reply (MIP00-NUM-1): 1.0 differs from 1.
func compareData(data string, w proto.Reply) string {
	g, err := jsonvalue.Decode(data)
	if err != nil {
		return "Data is not JSON"
	}
	if w.IsError() {
		obj, ok := g.(map[string]any)
		if !ok {
			return "error Data is not a JSON object"
		}
		if obj["code"] != w.Error {
			return fmt.Sprintf("error Data code is %v, want %q", obj["code"], w.Error)
		}
		if msg, _ := obj["message"].(string); strings.TrimSpace(msg) == "" {
			return "error Data has no human message"
		}
		return ""
	}
	e, err := jsonvalue.Normalize(w.Data)
	if err != nil {
		return fmt.Sprintf("the model's Data cannot be written as JSON: %v", err)
	}
	if !jsonvalue.Equal(g, e) {
		if jsonvalue.EqualByValue(g, e) {
			return wholeNumberProblem
		}
		return "Data differs"
	}
	return ""
}

// wholeNumberProblem is compareData's finding when a reply differs from the
// model only by a whole number written with a fraction or an exponent.
const wholeNumberProblem = "a whole quantity is not written as a JSON integer"

// actual returns the messages that answered a request (for a send, every
// message that left the world; for a dryrun, the result's outbox) and a
// description of any evaluation that failed.
func actual(ex adapters.Exchange) ([]adapters.Message, string) {
	var b strings.Builder
	var out []adapters.Message
	if ex.Result != nil {
		out = ex.Result.Messages
		if ex.Result.Failed() {
			fmt.Fprintf(&b, "; the evaluation failed (%s): %s", ex.Result.ErrorKind, clip(ex.Result.Error, 300))
		}
	}
	if ex.Trace != nil {
		out = ex.Trace.ToWallets
		for _, d := range ex.Trace.Deliveries {
			if d.Result.Failed() {
				fmt.Fprintf(&b, "; %s failed (%s): %s", d.Message.Action(), d.Result.ErrorKind, clip(d.Result.Error, 300))
			}
		}
	}
	return out, b.String()
}

func describeOutcome(o proto.Outcome, from string) string {
	if len(o.Replies) == 0 {
		return "no reply"
	}
	parts := make([]string, len(o.Replies))
	for i, r := range o.Replies {
		if r.IsError() {
			parts[i] = fmt.Sprintf("%s with Error=%s", r.Action, r.Error)
		} else {
			parts[i] = fmt.Sprintf("%s %s", r.Action, r.DataJSON())
		}
		if r.Target != "" && r.Target != from {
			parts[i] = r.Action + " " + r.DataJSON() + " to " + r.Target
		}
	}
	return strings.Join(parts, "; ")
}

func describeMessages(ms []adapters.Message) string {
	if len(ms) == 0 {
		return "no reply"
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		// Every part is the implementation's: each is clipped, so that a
		// reply of megabytes costs a divergence no more than a short one.
		s := clipRaw(m.Action(), 200)
		if s == "" {
			s = "(no Action)"
		}
		if code, ok := m.Tags.Get("Error"); ok {
			s += " with Error=" + clipRaw(code, 200)
		}
		parts[i] = s + " " + clipRaw(m.Data, 300)
	}
	if len(ms) > 1 {
		return fmt.Sprintf("%d messages: %s", len(ms), strings.Join(parts, "; "))
	}
	return parts[0]
}

// clipRaw clips a text of the implementation's for a divergence, its line
// breaks written as escapes: a divergence is printed a line per field, and
// an Action holding "\nresult: PASS" must not start a line of its own.
func clipRaw(s string, n int) string {
	if len(s) > n {
		s = s[:n] + fmt.Sprintf("...(%d bytes)", len(s))
	}
	return lineBreaks.Replace(s)
}

var lineBreaks = strings.NewReplacer("\n", `\n`, "\r", `\r`)

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func countReplies(ms []adapters.Message, ex adapters.Exchange) int {
	n := 0
	for _, m := range ms {
		if isReplyTo(m, ex) {
			n++
		}
	}
	return n
}

func countExpectedReplies(ws []proto.Reply) int {
	n := 0
	for _, w := range ws {
		if w.Target == "" {
			n++
		}
	}
	return n
}
