package steps

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cucumber/godog"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/spec"
)

// The MIP-03 Chat session steps, and the steps that look into what
// processes sent each other (notices, relayed answers), which MIP-02 uses too.
func init() { register(registerSession) }

func registerSession(sc stepContext, s *Scenario) {
	// A session spawned straight from a wallet: the wallet is its creator
	// (the spawner) and a participant, so scenarios can talk to the session
	// without a profile in between. The session cannot tell a wallet from a
	// profile, and MIP-03 does not ask it to.
	sc.Step(`^wallet "([^"]*)" spawns a (dm|group) session "([^"]*)" with "([^"]*)"$`, func(w, kind, name, others string) error {
		creator, err := s.Wallet(w)
		if err != nil {
			return err
		}
		ids, err := s.participants(others)
		if err != nil {
			return err
		}
		body, _ := json.Marshal(map[string]any{"type": kind, "participants": append([]string{creator}, ids...)})
		if err := s.spawnSession(w, name, string(body)); err != nil {
			return err
		}
		return s.tookSpawn(name, validSessionData(creator))
	})
	sc.Step(`^wallet "([^"]*)" spawns a session "([^"]*)" with data:$`, func(w, name string, doc *godog.DocString) error {
		if _, err := s.Wallet(w); err != nil {
			return err
		}
		return s.spawnSession(w, name, s.Expand(doc.Content))
	})

	// A smoke step for scenarios that forge notices through aos Eval on a
	// session process the attacker spawned: a session module whose runtime
	// lacks Eval cannot play that part, and the scenario is untested, not
	// failed (the profile it is about did nothing wrong).
	sc.Step(`^the session module accepts Eval from its owner$`, func() error {
		return s.probeEval()
	})
	sc.Step(`^wallet "([^"]*)" sends a message of (\d+) bytes to "([^"]*)"$`, func(w string, n int, session string) error {
		body, _ := json.Marshal(map[string]any{"content": strings.Repeat("m", n)})
		_, err := s.Send(w, session, "SendMessage", string(body), nil)
		return err
	})
	// Scenarios that send messages as their setup then name them by id
	// (1, 2, 3, ...): each must get the session's next id (MIP03-SEND-3),
	// or what the scenario checks with the ids would fail for the
	// numbering's fault, a requirement it does not check.
	sc.Step(`^wallet "([^"]*)" sends (\d+) messages? to "([^"]*)"$`, func(w string, n int, session string) error {
		sid, err := s.Resolve(session)
		if err != nil {
			return err
		}
		next := s.sentMessages(sid) + 1
		for i := 1; i <= n; i++ {
			body, _ := json.Marshal(map[string]any{"content": fmt.Sprintf("message %d", i)})
			if _, err := s.Send(w, session, "SendMessage", string(body), nil); err != nil {
				return err
			}
			obj, err := s.Success()
			if err != nil {
				return setup("MIP03-SEND-1", s.lastTarget(), fmt.Errorf("message %d: %w", i, err))
			}
			if got := jsonOf(obj["id"]); got != strconv.Itoa(next) {
				return setup("MIP03-SEND-3", s.lastTarget(), fmt.Errorf("message %d got id %s, want %d: a session numbers its messages 1, 2, 3, ... in the order it takes them", i, got, next))
			}
			next++
		}
		return nil
	})

	sc.Step(`^the reply lists messages (.+)$`, func(list string) error {
		obj, err := s.Success("messages")
		if err != nil {
			return err
		}
		got, err := messageIDs(obj)
		if err != nil {
			return err
		}
		want := []int{}
		if list != "none" {
			for _, f := range strings.Split(list, ",") {
				n, err := strconv.Atoi(strings.TrimSpace(f))
				if err != nil {
					return fmt.Errorf("message list %q: %w", list, err)
				}
				want = append(want, n)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("reply lists messages %v, want %v", got, want)
		}
		return nil
	})
	sc.Step(`^the session "([^"]*)" holds (\d+) messages?$`, func(session string, n int) error {
		info, err := s.readObject(session, "GetSessionInfo", "", "messageCount")
		if err != nil {
			// The read's own defect, whatever the scenario counts with it.
			return blame("MIP03-INFO-1", "", err)
		}
		switch info["messageCount"].(type) {
		case float64, json.Number:
		default:
			// The reply's own shape, whatever the scenario counts with it.
			return blamef("MIP03-INFO-1", "", "GetSessionInfo has no messageCount number: %s", clip(jsonOf(info), 300))
		}
		return JSONEqual(jsonOf(info["messageCount"]), strconv.Itoa(n))
	})
	sc.Step(`^the participants of "([^"]*)" are (.+)$`, func(session, list string) error {
		info, err := s.readObject(session, "GetSessionInfo", "", "participants")
		if err != nil {
			return err
		}
		var want []map[string]string
		for _, f := range strings.Split(list, ",") {
			name, role, ok := strings.Cut(strings.TrimSpace(f), " as ")
			if !ok {
				return fmt.Errorf("write participants as \"<name> as <role>, ...\", got %q", f)
			}
			pid, err := s.Resolve(name)
			if err != nil {
				return err
			}
			want = append(want, map[string]string{"pid": pid, "role": role})
		}
		w, _ := json.Marshal(want)
		return JSONEqual(jsonOf(info["participants"]), string(w))
	})

	// Notices: counted over everything the world delivered, so a notice sent
	// at spawn time counts as well as one sent because of a request.
	sc.Step(`^"([^"]*)" has received (\d+) "([^"]*)" notices? from "([^"]*)"$`, func(to string, n int, action, from string) error {
		got, err := s.messagesBetween(from, to, action)
		if err != nil {
			return err
		}
		if len(got) != n {
			return fmt.Errorf("%s received %d %q notices from %s, want %d", to, len(got), action, from, n)
		}
		return nil
	})
	sc.Step(`^the last "([^"]*)" notice from "([^"]*)" to "([^"]*)" includes:$`, func(action, from, to string, doc *godog.DocString) error {
		got, err := s.messagesBetween(from, to, action)
		if err != nil {
			return err
		}
		if len(got) == 0 {
			return fmt.Errorf("%s sent no %q notice to %s", from, action, to)
		}
		return JSONIncludes(got[len(got)-1].Data, s.Expand(doc.Content))
	})

	// The puppet sends what its owner tells it to: the way scenarios play a
	// hostile process.
	sc.Step(`^wallet "([^"]*)" has "([^"]*)" send "([^"]*)" to "([^"]*)" with data:$`, func(w, puppet, action, target string, doc *godog.DocString) error {
		to, err := s.Resolve(target)
		if err != nil {
			return err
		}
		order, _ := json.Marshal(map[string]any{
			"Target": to,
			"Data":   s.Expand(doc.Content),
			"Tags":   map[string]string{"Action": action},
		})
		if _, err := s.Send(w, puppet, "Relay", string(order), nil); err != nil {
			return err
		}
		m, err := s.Reply()
		if err != nil {
			return fmt.Errorf("the puppet did not confirm the relay: %w", err)
		}
		if m.Action() != "Relay-Response" {
			return fmt.Errorf("the puppet refused the relay: %s %s", m.Action(), clip(m.Data, 200))
		}
		return nil
	})
	sc.Step(`^"([^"]*)" answered "([^"]*)" with an error "([^"]*)"$`, func(from, to, code string) error {
		ms, err := s.lastSent(from, to)
		if err != nil {
			return err
		}
		if len(ms) != 1 {
			// One answer per request is MIP-00's rule, whoever asked; no
			// answer because the process crashed is a crash (MIP00-INP-2).
			pid, _ := s.Resolve(from)
			req := "MIP00-REP-1"
			if ex, err := s.Last(); err == nil && len(ms) == 0 && failedProcess(ex) == pid {
				req = "MIP00-INP-2"
			}
			return blamef(req, pid, "%s sent %d messages to %s in the last request, want exactly one error reply%s", from, len(ms), to, describeReplies(ms))
		}
		// The request it answers is what "to" sent "from" in that request.
		asked, err := s.lastSent(to, from)
		if err != nil {
			return err
		}
		if len(asked) == 0 {
			return fmt.Errorf("%s sent %s nothing in the last request: there is nothing to answer", to, from)
		}
		if err := errorReply(ms[0], asked[len(asked)-1].Action(), ms[0].From, code); err != nil {
			return fmt.Errorf("%s's answer to %s: %w", from, to, err)
		}
		return nil
	})
	sc.Step(`^"([^"]*)" answered "([^"]*)" with a success including:$`, func(from, to string, doc *godog.DocString) error {
		ms, err := s.lastSent(from, to)
		if err != nil {
			return err
		}
		pid, _ := s.Resolve(from)
		if len(ms) != 1 {
			req := "MIP00-REP-1"
			if ex, err := s.Last(); err == nil && len(ms) == 0 && failedProcess(ex) == pid {
				req = "MIP00-INP-2"
			}
			return blamef(req, pid, "%s sent %d messages to %s in the last request, want exactly one success reply%s", from, len(ms), to, describeReplies(ms))
		}
		asked, err := s.lastSent(to, from)
		if err != nil {
			return err
		}
		if len(asked) == 0 {
			return fmt.Errorf("%s sent %s nothing in the last request: there is nothing to answer", to, from)
		}
		m, op := ms[0], asked[len(asked)-1].Action()
		if m.Action() != op+"-Response" {
			err := fmt.Errorf("%s's answer to %s is %s, want %q (%s)", from, to, clip(m.Action(), 200), op+"-Response", clip(m.Data, 300))
			if m.Action() == op+"-Error" {
				return err // an error where a success was due: what the step checks
			}
			return blame("MIP00-REP-3", pid, err)
		}
		if code, ok := m.Tags.Get("Error"); ok {
			return blamef("MIP00-REP-3", pid, "success reply carries an Error tag %q", code)
		}
		return JSONIncludes(m.Data, s.Expand(doc.Content))
	})
	sc.Step(`^"([^"]*)" sent nothing in the last request$`, func(from string) error {
		ms, err := s.lastSent(from, "")
		if err != nil {
			return err
		}
		if len(ms) != 0 {
			return fmt.Errorf("%s sent %d messages, want none:%s", from, len(ms), describeReplies(ms))
		}
		return nil
	})

	remembered := map[string]string{}
	sc.Step(`^the reply field "([^"]*)" is remembered as "([^"]*)"$`, func(field, name string) error {
		obj, err := s.Success(field)
		if err != nil {
			return err
		}
		v, ok := obj[field]
		if !ok {
			return fmt.Errorf("reply has no field %q: %s", field, jsonOf(obj))
		}
		remembered[name] = jsonOf(v)
		return nil
	})
	sc.Step(`^the reply field "([^"]*)" is the remembered "([^"]*)"$`, func(field, name string) error {
		want, ok := remembered[name]
		if !ok {
			return fmt.Errorf("nothing was remembered as %q", name)
		}
		return s.replyField(field, want)
	})
	sc.Step(`^wallet "([^"]*)" spawns a group session "([^"]*)" with (\d+) others$`, func(w, name string, n int) error {
		creator, err := s.Wallet(w)
		if err != nil {
			return err
		}
		ids := []string{creator}
		for i := 1; i <= n; i++ {
			id, _ := s.ID(fmt.Sprintf("member-%d", i))
			ids = append(ids, id)
		}
		body, _ := json.Marshal(map[string]any{"type": "group", "participants": ids})
		if err := s.spawnSession(w, name, string(body)); err != nil {
			return err
		}
		return s.tookSpawn(name, validSessionData(creator))
	})
	sc.Step(`^the reply has (\d+) participants$`, func(n int) error {
		obj, err := s.Success("participants")
		if err != nil {
			return err
		}
		list, ok := obj["participants"].([]any)
		if !ok {
			return fmt.Errorf("reply has no participants list: %s", clip(jsonOf(obj), 300))
		}
		if len(list) != n {
			return fmt.Errorf("reply has %d participants, want %d", len(list), n)
		}
		return nil
	})
	sc.Step(`^wallet "([^"]*)" sets the title of "([^"]*)" to (\d+) times "([^"]+)"$`, func(w, session string, n int, unit string) error {
		body, _ := json.Marshal(map[string]any{"title": strings.Repeat(unit, n)})
		_, err := s.Send(w, session, "SetTitle", string(body), nil)
		return err
	})
	replyMessage := func(id int) (map[string]any, error) {
		obj, err := s.Success("messages")
		if err != nil {
			return nil, err
		}
		list, _ := obj["messages"].([]any)
		for _, v := range list {
			m, _ := v.(map[string]any)
			if n, ok := m["id"].(json.Number); ok && n.String() == strconv.Itoa(id) {
				return m, nil
			}
		}
		return nil, fmt.Errorf("reply lists no message %d: %s", id, clip(jsonOf(obj), 300))
	}
	sc.Step(`^the reply message (\d+) includes:$`, func(id int, doc *godog.DocString) error {
		m, err := replyMessage(id)
		if err != nil {
			return err
		}
		return JSONIncludes(jsonOf(m), s.Expand(doc.Content))
	})
	sc.Step(`^the reply message (\d+) has a positive "([^"]*)"$`, func(id int, field string) error {
		m, err := replyMessage(id)
		if err != nil {
			return err
		}
		n, ok := m[field].(json.Number)
		if !ok {
			return fmt.Errorf("message %d has %s = %s, want an integer", id, field, jsonOf(m[field]))
		}
		if err := positiveInteger(n); err != nil {
			return fmt.Errorf("message %d has %s = %s: %w", id, field, n, err)
		}
		return nil
	})
	sc.Step(`^the reply message (\d+) field "([^"]*)" is the remembered "([^"]*)"$`, func(id int, field, name string) error {
		want, ok := remembered[name]
		if !ok {
			return fmt.Errorf("nothing was remembered as %q", name)
		}
		m, err := replyMessage(id)
		if err != nil {
			return err
		}
		got, ok := m[field]
		if !ok {
			return fmt.Errorf("message %d has no field %q: %s", id, field, jsonOf(m))
		}
		if err := JSONEqual(jsonOf(got), want); err != nil {
			return fmt.Errorf("message %d field %q: %w", id, field, err)
		}
		return nil
	})
	sc.Step(`^the answer is a success$`, func() error {
		_, err := s.answerSuccess()
		return err
	})
	sc.Step(`^the answer data is:$`, func(doc *godog.DocString) error {
		m, err := s.answerSuccess()
		if err != nil {
			return err
		}
		return JSONEqual(m.Data, s.Expand(doc.Content))
	})
	sc.Step(`^a wallet "([^"]*)"$`, func(w string) error {
		_, err := s.Wallet(w)
		return err
	})
	sc.Step(`^the reply field "([^"]*)" is the time of the request$`, func(field string) error {
		ex, err := s.Last()
		if err != nil {
			return err
		}
		if ex.Trace == nil || len(ex.Trace.Deliveries) == 0 {
			return fmt.Errorf("the last request has no delivery to read its time from")
		}
		at := ex.Trace.Deliveries[0].Message.Timestamp
		return s.replyField(field, strconv.FormatInt(at, 10))
	})
	sc.Step(`^the reply field "([^"]*)" is a positive integer$`, func(field string) error {
		obj, err := s.Success(field)
		if err != nil {
			return err
		}
		n, ok := obj[field].(json.Number)
		if !ok {
			return fmt.Errorf("reply field %q is %s, want an integer", field, jsonOf(obj[field]))
		}
		if err := positiveInteger(n); err != nil {
			return fmt.Errorf("reply field %q is %s: %w", field, n, err)
		}
		return nil
	})
	sc.Step(`^"([^"]*)" runs the (session|profile|domain|puppet) module$`, func(name, role string) error {
		pid, err := s.Resolve(name)
		if err != nil {
			return err
		}
		want := s.target.Modules[role]
		spawn, err := s.spawnMessage(name, pid)
		if err != nil {
			return err
		}
		if got := spawn.Tags.Value("Module"); got != want {
			return fmt.Errorf("%s was spawned from module %q, want the %s module %q", name, got, role, want)
		}
		return nil
	})
	// A new profile is dated by its spawn (MIP02-GET-1): the time the
	// world gave the spawn message, as the trace recorded it.
	sc.Step(`^the reply field "([^"]*)" is the time of the spawn of "([^"]*)"$`, func(field, name string) error {
		pid, err := s.Resolve(name)
		if err != nil {
			return err
		}
		spawn, err := s.spawnMessage(name, pid)
		if err != nil {
			return err
		}
		return s.replyField(field, strconv.FormatInt(spawn.Timestamp, 10))
	})
	sc.Step(`^a dryrun and a sent "([^"]*)" from wallet "([^"]*)" to "([^"]*)" give the same reply$`, func(action, w, target string) error {
		// A read without Data is public: both must be the same success.
		return s.sameReply(action, w, target, "", true)
	})
}

// spawnMessage returns the spawn message of the named process pid as the
// world delivered it in this scenario: a process's id is its spawn
// message's id.
func (s *Scenario) spawnMessage(name, pid string) (adapters.Message, error) {
	for _, d := range s.trace().Deliveries {
		if d.Message.Target == pid && d.Message.ID == pid {
			return d.Message, nil
		}
	}
	return adapters.Message{}, fmt.Errorf("no spawn message of %s in the trace", name)
}

// probeEval spawns a session from a wallet of its own and asks it, by aos
// Eval from that owner, to send the owner a message: unless the message
// arrives, the scenario is untested (an *Unmet).
func (s *Scenario) probeEval() error {
	const owner, peer, name = "eval-probe-owner", "eval-probe-peer", "eval-probe-session"
	o, err := s.Wallet(owner)
	if err != nil {
		return err
	}
	p, err := s.Wallet(peer)
	if err != nil {
		return err
	}
	body, _ := json.Marshal(map[string]any{"type": "dm", "participants": []string{o, p}})
	if err := s.spawnSession(owner, name, string(body)); err != nil {
		return err
	}
	return s.probeEvalOf(owner, name, "the session module does not run aos Eval from its owner, which this scenario uses to forge notices from a session the attacker spawned")
}

// probeEvalOf asks process target, by aos Eval from wallet w, to send w a
// message: unless the message arrives, the scenario is untested (an
// *Unmet with the reason given).
func (s *Scenario) probeEvalOf(w, target, reason string) error {
	o, err := s.Wallet(w)
	if err != nil {
		return err
	}
	ex, err := s.Send(w, target, "Eval", fmt.Sprintf(`ao.send({Target = %q, Action = "Eval-Probe"})`, o), nil)
	if err != nil {
		return err
	}
	for _, m := range ex.Trace.RepliesTo(o) {
		if m.Action() == "Eval-Probe" {
			return nil
		}
	}
	return &Unmet{Reason: reason}
}

// participants resolves a comma list of names: a process of the scenario by
// its name, otherwise a wallet of that name (created on first use).
func (s *Scenario) participants(list string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(list, ",") {
		name := strings.TrimSpace(f)
		if name == "" {
			continue
		}
		if pid, ok := s.processes[name]; ok {
			out = append(out, pid)
			continue
		}
		if strings.HasPrefix(name, "<") {
			id, err := s.Resolve(name)
			if err != nil {
				return nil, err
			}
			out = append(out, id)
			continue
		}
		a, err := s.Wallet(name)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// spawnSession spawns a session process straight from a wallet with the
// given spawn Data.
func (s *Scenario) spawnSession(w, name, data string) error {
	return s.spawnRaw(RoleSession, w, name, data, nil)
}

// tookSpawn checks that a session spawned with valid Data took its spawn
// (MIP03-INIT-1), which every scenario built on the session depends on as
// a whole: a session that refuses valid spawns fails MIP03-INIT-1, not the
// rule of each request the scenarios then make. A session that sent a
// Session-Created notice took it; one that sent none is asked
// GetSessionInfo (a dryrun the scenario does not record), and refused it
// when the answer is an error NotFound. Anything else is left to the
// scenario's own checks. valid, when given, says whether the spawn Data
// the session got is valid (a profile spawned it, and may have sent
// another, and a step may be asked for a session no spawn makes valid):
// the check is made only then, as an invalid spawn is the spawner's
// defect, or what the scenario checks.
func (s *Scenario) tookSpawn(name string, valid func(data string) bool) error {
	if _, deployed := s.target.Deployed[RoleSession]; deployed {
		return nil
	}
	pid, err := s.Resolve(name)
	if err != nil {
		return err
	}
	spawnData, spawned := "", false
	for _, m := range routed(s.trace()) {
		if m.From == pid && m.Action() == "Session-Created" {
			return nil
		}
		if m.Target == pid && !spawned {
			spawnData, spawned = m.Data, true
		}
	}
	if !spawned || !valid(spawnData) {
		return nil
	}
	reader, err := s.Wallet("reader")
	if err != nil {
		return err
	}
	ctx, cancel := s.call()
	defer cancel()
	r, err := s.world.DryRun(ctx, adapters.Message{From: reader, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "GetSessionInfo"}}})
	s.noteSuiteError(err)
	if err != nil {
		return nil // the scenario's next request meets it too
	}
	for _, m := range r.Messages {
		if m.Action() == "GetSessionInfo-Error" && m.Tags.Value("Error") == "NotFound" {
			return blamef("MIP03-INIT-1", pid, "session %q answers GetSessionInfo with NotFound after a valid spawn, and sent no Session-Created notice: it did not take its spawn", name)
		}
	}
	return nil
}

// sessionID is the shape of an id (MIP-00): 43 characters of base64url.
var sessionID = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// validSessionData returns a check that spawn Data makes a valid session
// of its creator under MIP03-INIT-1: type dm or group, distinct ids that
// include the creator, 2 for a DM and 2 to 256 for a group, a title of 1 to
// 128 characters on a group only, and no other field. A field given as
// null (MIP03-OPT-1 makes it absent) is not judged here: its rule's own
// scenarios judge it.
func validSessionData(creator string) func(string) bool {
	return func(data string) bool {
		var d map[string]any
		dec := json.NewDecoder(strings.NewReader(data))
		if dec.Decode(&d) != nil || dec.More() {
			return false
		}
		for k, v := range d {
			if v == nil || k != "type" && k != "participants" && k != "title" {
				return false
			}
		}
		list, ok := d["participants"].([]any)
		if !ok {
			return false
		}
		seen, hasCreator := map[string]bool{}, false
		for _, v := range list {
			id, ok := v.(string)
			if !ok || !sessionID.MatchString(id) || seen[id] {
				return false
			}
			seen[id], hasCreator = true, hasCreator || id == creator
		}
		title, titled := d["title"]
		switch d["type"] {
		case "dm":
			return hasCreator && len(list) == 2 && !titled
		case "group":
			if t, ok := title.(string); titled && (!ok || utf8.RuneCountInString(t) < 1 || utf8.RuneCountInString(t) > 128) {
				return false
			}
			return hasCreator && len(list) >= 2 && len(list) <= 256
		}
		return false
	}
}

// validSessionSpawn returns a check that spawn Data is the session a
// profile was asked for, and valid (validSessionData): the type, the
// profile and the other participants once each in any order, the title
// when one was asked, and nothing else.
func validSessionSpawn(kind, creator string, others []string, title string) func(string) bool {
	valid := validSessionData(creator)
	return func(data string) bool {
		if !valid(data) {
			return false
		}
		var d struct {
			Type         string   `json:"type"`
			Participants []string `json:"participants"`
			Title        *string  `json:"title"`
		}
		dec := json.NewDecoder(strings.NewReader(data))
		dec.DisallowUnknownFields()
		if dec.Decode(&d) != nil || d.Type != kind || (title == "") != (d.Title == nil) || d.Title != nil && *d.Title != title {
			return false
		}
		want := append([]string{creator}, others...)
		got := slices.Clone(d.Participants)
		slices.Sort(want)
		slices.Sort(got)
		return slices.Equal(got, want) && len(slices.Compact(got)) == len(want)
	}
}

// spawnRaw spawns a process of a role from a wallet exactly as asked: the
// given Data and no tags (Scenario.Spawn adds a profile's Session-Module;
// some scenarios need a process without it, or a session with spawn Data).
func (s *Scenario) spawnRaw(role, w, name, data string, tags adapters.Tags) error {
	if pid, ok := s.target.Deployed[role]; ok {
		_, err := s.useDeployed(role, name, w, pid, true)
		return err
	}
	module, ok := s.target.Modules[role]
	if !ok {
		return fmt.Errorf("target %s has no module for role %q", s.target.Name, role)
	}
	from, err := s.Wallet(w)
	if err != nil {
		return err
	}
	ctx, cancel := s.call()
	defer cancel()
	before := s.world.Trace()
	pid, err := s.world.Spawn(ctx, adapters.SpawnRequest{Module: module, From: from, Data: data, Tags: tags})
	s.noteSuiteError(err)
	ex := adapters.Exchange{Kind: "spawn", Request: adapters.Message{From: from, Target: pid, Data: data, Tags: append(adapters.Tags{{Name: "Module", Value: module}}, tags...)}}
	if err != nil {
		ex.Err = err.Error()
	} else {
		// What the spawn caused (a session's creation notices), so that
		// the spawn can be compared with the reference's as any request.
		all := s.world.Trace()
		ex.Trace = &adapters.Trace{
			Deliveries: all.Deliveries[min(len(before.Deliveries), len(all.Deliveries)):],
			ToWallets:  all.ToWallets[min(len(before.ToWallets), len(all.ToWallets)):],
			Spawned:    all.Spawned[min(len(before.Spawned), len(all.Spawned)):],
		}
	}
	s.exchanges = append(s.exchanges, ex)
	if err != nil {
		return spawnFailure(role, fmt.Errorf("spawning %s process %q: %w", role, name, err))
	}
	s.SetProcess(name, pid)
	return nil
}

// readObject dryruns a read of the state, with valid arguments, as an
// anonymous wallet and returns its success Data. An error reply is the
// read's defect, and the fields the step reads are checked against the
// read's reply shape (lacksShape).
func (s *Scenario) readObject(target, action, data string, fields ...string) (map[string]any, error) {
	ex, err := s.DryRun("reader", target, action, data, nil)
	if err != nil {
		return nil, err
	}
	m, err := OneReply(ex)
	if err != nil {
		return nil, err
	}
	if m.Action() != action+"-Response" {
		err := fmt.Errorf("%s on %s replied %s, want %q (Data %s)", action, target, clip(m.Action(), 200), action+"-Response", clip(m.Data, 300))
		if m.Action() == action+"-Error" {
			// A read of the state, made with valid arguments, that errs
			// is the read's own defect (spec.ReadRequirement), whatever
			// the step checks with what it reads; Unauthorized is the
			// rule that reads are public, which the scenarios check.
			if rule := spec.ReadRequirement(action); rule != "" && strings.TrimSpace(data) == "" && readRefusal(m, action) && s.announced(ex.Request.Target) {
				return nil, blame(rule, ex.Request.Target, err)
			}
			return nil, err // an error where a success was due: what the step checks
		}
		return nil, blame("MIP00-REP-3", ex.Request.Target, err)
	}
	obj, err := ReplyJSON(m)
	if err != nil {
		return nil, blame("MIP00-REP-3", ex.Request.Target, err)
	}
	return obj, lacksShape(action, ex.Request.Target, obj, fields...)
}

// messagesBetween returns every message the world routed from one named
// party to another with the given Action, in order.
func (s *Scenario) messagesBetween(from, to, action string) ([]adapters.Message, error) {
	f, err := s.Resolve(from)
	if err != nil {
		return nil, err
	}
	t, err := s.Resolve(to)
	if err != nil {
		return nil, err
	}
	var out []adapters.Message
	for _, m := range routed(s.trace()) {
		if m.From == f && m.Target == t && m.Action() == action {
			out = append(out, m)
		}
	}
	return out, nil
}

// lastSent returns the messages a named process sent during the latest
// request (to the named target, or to anyone when to is "").
func (s *Scenario) lastSent(from, to string) ([]adapters.Message, error) {
	ex, err := s.lastSend()
	if err != nil {
		return nil, err
	}
	f, err := s.Resolve(from)
	if err != nil {
		return nil, err
	}
	t := ""
	if to != "" {
		if t, err = s.Resolve(to); err != nil {
			return nil, err
		}
	}
	var out []adapters.Message
	for _, m := range routed(*ex.Trace) {
		if m.From == f && (t == "" || m.Target == t) {
			out = append(out, m)
		}
	}
	return out, nil
}

// lastSend returns the latest sent request (dryruns made since, to read
// state, do not count): its trace shows what processes sent each other.
func (s *Scenario) lastSend() (adapters.Exchange, error) {
	for i := len(s.exchanges) - 1; i >= 0; i-- {
		if s.exchanges[i].Kind == "send" {
			return s.exchanges[i], nil
		}
	}
	return adapters.Exchange{}, fmt.Errorf("no message has been sent yet")
}

// answer returns the one reply to the latest request among everything its
// sender received: the message that carries X-Reference = the request's
// Reference. A wallet that takes part in a session also receives the
// session's notices, which are not replies and carry no X-Reference.
func (s *Scenario) answer() (adapters.Message, error) {
	ex, err := s.Last()
	if err != nil {
		return adapters.Message{}, err
	}
	if ex.Err != "" {
		return adapters.Message{}, fmt.Errorf("the %s of %q failed: %s", ex.Kind, ex.Request.Action(), ex.Err)
	}
	ref := ex.Request.Tags.Value("Reference")
	var out []adapters.Message
	for _, m := range ex.Replies() {
		if m.Tags.Value("X-Reference") == ref {
			out = append(out, m)
		}
	}
	if len(out) != 1 {
		req := replyCountRequirement(ex, len(out))
		if len(out) == 0 && len(ex.Replies()) > 0 {
			req = "MIP00-REP-2" // answered, but not with the request's reference
		}
		return adapters.Message{}, blamef(req, ex.Request.Target, "expected exactly one reply with X-Reference %q to %q, got %d%s%s", ref, ex.Request.Action(), len(out), describeReplies(ex.Replies()), describeFailures(ex))
	}
	return out[0], nil
}

// answerSuccess checks that the answer to the latest request is a success
// of the MIP-00 shape.
func (s *Scenario) answerSuccess() (adapters.Message, error) {
	m, err := s.answer()
	if err != nil {
		return m, err
	}
	ex, _ := s.Last()
	pid := ex.Request.Target
	if want := ex.Request.Action() + "-Response"; m.Action() != want {
		err := fmt.Errorf("answer Action is %q, want %q (Error %q, Data %s)", m.Action(), want, m.Tags.Value("Error"), clip(m.Data, 300))
		if m.Action() == ex.Request.Action()+"-Error" {
			return m, s.readErr(ex, m, err) // an error where a success was due: what the step checks
		}
		return m, blame("MIP00-REP-3", pid, err)
	}
	if code, ok := m.Tags.Get("Error"); ok {
		return m, blamef("MIP00-REP-3", pid, "success answer carries an Error tag %q", code)
	}
	if _, err := ReplyJSON(m); err != nil {
		return m, blame("MIP00-REP-3", pid, err)
	}
	return m, nil
}

// routed lists every message of a trace: those delivered to processes and
// those that left the world, in trace order within each kind.
func routed(t adapters.Trace) []adapters.Message {
	out := make([]adapters.Message, 0, len(t.Deliveries)+len(t.ToWallets))
	for _, d := range t.Deliveries {
		out = append(out, d.Message)
	}
	return append(out, t.ToWallets...)
}

// sentMessages counts the SendMessage requests to a session that the
// scenario has sent and the session took (a SendMessage-Response): the ids
// it has given so far, when every message came straight from a wallet, as
// in the scenarios that send messages as their setup.
func (s *Scenario) sentMessages(sid string) int {
	n := 0
	for _, ex := range s.exchanges {
		if ex.Kind != "send" || ex.Request.Target != sid || ex.Request.Action() != "SendMessage" {
			continue
		}
		if m, err := OneReply(ex); err == nil && m.Action() == "SendMessage-Response" {
			n++
		}
	}
	return n
}

// messageIDs reads the ids of a GetMessages reply, in order.
func messageIDs(obj map[string]any) ([]int, error) {
	list, ok := obj["messages"].([]any)
	if !ok {
		return nil, fmt.Errorf("reply has no messages list: %s", jsonOf(obj))
	}
	ids := []int{}
	for _, v := range list {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("a message is not an object: %s", jsonOf(v))
		}
		n, ok := m["id"].(json.Number)
		if !ok {
			return nil, fmt.Errorf("a message id is not a number: %s", jsonOf(m))
		}
		i, err := strconv.Atoi(n.String())
		if err != nil {
			return nil, fmt.Errorf("message id %s is not an integer", n)
		}
		ids = append(ids, i)
	}
	return ids, nil
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// positiveInteger checks a JSON number is a positive integer. A positive
// whole number written with a fraction or an exponent (1.0, 1e3) has the
// right value in the wrong form: that is MIP00-NUM-1's failure.
func positiveInteger(n json.Number) error {
	if i, err := strconv.ParseInt(n.String(), 10, 64); err == nil && i > 0 {
		return nil
	}
	if f, err := n.Float64(); err == nil && f > 0 && f == math.Trunc(f) {
		return blame("MIP00-NUM-1", "", fmt.Errorf("want a positive integer, written as a JSON integer"))
	}
	return fmt.Errorf("want a positive integer")
}
