package steps

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cucumber/godog"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/internal/jsonvalue"
)

// registerCommon adds the steps every MIP shares: processes, wallets,
// requests and the shape of replies.
func registerCommon(sc stepContext, s *Scenario) {
	sc.Step(`^(?:a|an|the) (domain|profile|session|puppet) process "([^"]*)"$`, func(role, name string) error {
		_, err := s.Spawn(role, name, anyOwner, nil)
		return err
	})
	sc.Step(`^(?:a|an|the) (domain|profile|session|puppet) process "([^"]*)" owned by wallet "([^"]*)"$`, func(role, name, owner string) error {
		_, err := s.Spawn(role, name, owner, nil)
		return err
	})

	sc.Step(`^wallet "([^"]*)" sends "([^"]*)" to "([^"]*)"$`, func(w, action, target string) error {
		_, err := s.Send(w, target, action, "", nil)
		return err
	})
	sc.Step(`^wallet "([^"]*)" sends "([^"]*)" to "([^"]*)" with data "(.*)"$`, func(w, action, target, data string) error {
		d, err := unescape(data)
		if err != nil {
			return err
		}
		_, err = s.Send(w, target, action, s.Expand(d), nil)
		return err
	})
	sc.Step(`^wallet "([^"]*)" sends "([^"]*)" to "([^"]*)" with data:$`, func(w, action, target string, doc *godog.DocString) error {
		_, err := s.Send(w, target, action, s.Expand(doc.Content), nil)
		return err
	})
	sc.Step(`^wallet "([^"]*)" sends "([^"]*)" to "([^"]*)" with data "(.*)" and tags:$`, func(w, action, target, data string, table *godog.Table) error {
		d, err := unescape(data)
		if err != nil {
			return err
		}
		tags, err := s.tagTable(table)
		if err != nil {
			return err
		}
		_, err = s.Send(w, target, action, s.Expand(d), tags)
		return err
	})
	sc.Step(`^"([^"]*)" dryruns "([^"]*)" on "([^"]*)"$`, func(from, action, target string) error {
		_, err := s.DryRun(from, target, action, "", nil)
		return err
	})
	sc.Step(`^"([^"]*)" dryruns "([^"]*)" on "([^"]*)" with data "(.*)"$`, func(from, action, target, data string) error {
		d, err := unescape(data)
		if err != nil {
			return err
		}
		_, err = s.DryRun(from, target, action, s.Expand(d), nil)
		return err
	})
	sc.Step(`^"([^"]*)" dryruns "([^"]*)" on "([^"]*)" with data:$`, func(from, action, target string, doc *godog.DocString) error {
		_, err := s.DryRun(from, target, action, s.Expand(doc.Content), nil)
		return err
	})

	sc.Step(`^the reply is a success$`, func() error {
		_, err := s.Success()
		return err
	})
	sc.Step(`^the reply is an error "([^"]*)"$`, func(code string) error {
		return s.ExpectError(code)
	})
	// Where the spec fixes no code but MIP00-ERR-2 still holds: an error
	// of the MIP-00 shape whose code is one of MIP-00's.
	sc.Step(`^the reply is an error with a MIP-00 code$`, func() error {
		m, err := s.Reply()
		if err != nil {
			return err
		}
		code := m.Tags.Value("Error")
		if !errorCodes[code] {
			code = "InvalidInput" // any MIP-00 code: errorReply then blames what is wrong
		}
		return s.ExpectError(code)
	})
	sc.Step(`^the reply action is "([^"]*)"$`, func(action string) error {
		m, err := s.Reply()
		if err != nil {
			return err
		}
		if m.Action() != action {
			return fmt.Errorf("reply Action is %s, want %q (Data %s)", clip(m.Action(), 200), action, clip(m.Data, 200))
		}
		return nil
	})
	sc.Step(`^the reply references the request$`, func() error {
		ex, err := s.Last()
		if err != nil {
			return err
		}
		m, err := OneReply(ex)
		if err != nil {
			return err
		}
		want := ex.Request.Tags.Value("Reference")
		if got := m.Tags.Value("X-Reference"); got != want {
			return blamef("MIP00-REP-2", ex.Request.Target, "reply X-Reference is %s, want the request's Reference %q", clip(got, 200), want)
		}
		return nil
	})
	sc.Step(`^the reply data is:$`, func(doc *godog.DocString) error {
		m, err := s.Reply()
		if err != nil {
			return err
		}
		want := s.Expand(doc.Content)
		if err := s.shapeOfData(m, want); err != nil {
			return err
		}
		return JSONEqual(m.Data, want)
	})
	sc.Step(`^the reply data includes:$`, func(doc *godog.DocString) error {
		m, err := s.Reply()
		if err != nil {
			return err
		}
		want := s.Expand(doc.Content)
		if err := s.shapeOfData(m, want); err != nil {
			return err
		}
		return JSONIncludes(m.Data, want)
	})
	sc.Step(`^the reply field "([^"]*)" is "(.*)"$`, func(field, want string) error {
		w, err := unescape(want)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(s.Expand(w))
		return s.replyField(field, string(b))
	})
	sc.Step(`^the reply field "([^"]*)" is (true|false|null|-?[0-9]+|\[\]|\{\})$`, func(field, want string) error {
		return s.replyField(field, want)
	})
	sc.Step(`^the reply has no field "([^"]*)"$`, func(field string) error {
		m, err := s.Reply()
		if err != nil {
			return err
		}
		obj, err := ReplyJSON(m)
		if err != nil {
			return err
		}
		if v, ok := obj[field]; ok {
			return fmt.Errorf("reply has field %q = %v, want none", field, v)
		}
		return nil
	})
	// A request that fails, or one that is not a request, changes nothing:
	// every argument-free read of the process answers afterwards as it did
	// before (MIP00-ATOM-1, MIP00-ACT-1, MIP00-RD-2).
	before := map[string]map[string]string{}
	sc.Step(`^the reads of "([^"]*)" are remembered$`, func(name string) error {
		reads, err := s.readState(name)
		if err != nil {
			return err
		}
		before[name] = reads
		return nil
	})
	sc.Step(`^the reads of "([^"]*)" are as remembered$`, func(name string) error {
		was, ok := before[name]
		if !ok {
			return fmt.Errorf("the reads of %q were not remembered: write \"the reads of %q are remembered\" first", name, name)
		}
		now, err := s.readState(name)
		if err != nil {
			return err
		}
		for _, action := range slices.Sorted(maps.Keys(was)) {
			if err := JSONEqual(now[action], was[action]); err != nil {
				return fmt.Errorf("%s on %s answers differently than before: %w", action, name, err)
			}
		}
		return nil
	})
	sc.Step(`^the (?:address|id) of "([^"]*)" in (upper|lower) case is known as "([^"]*)"$`, func(owner, casing, alias string) error {
		folded, err := s.inCase(owner, casing)
		if err != nil {
			return err
		}
		s.SetProcess(alias, folded)
		return nil
	})
	sc.Step(`^((?:"[^"]*"(?:, | and ))+"[^"]*") read the same "([^"]*)" on "([^"]*)"$`, func(list, action, target string) error {
		return s.sameForReaders(quotedName.FindAllStringSubmatch(list, -1), action, target)
	})
	sc.Step(`^no evaluation failed$`, func() error {
		ex, err := s.Last()
		if err != nil {
			return err
		}
		if d := describeFailures(ex); d != "" {
			return blamef("MIP00-INP-2", failedProcess(ex), "an evaluation failed:%s", d)
		}
		return nil
	})
}

// Success checks that the latest request got exactly one success reply,
// "<Action>-Response" with a JSON object in Data, and returns that object.
// The fields the step reads are checked against the read's reply shape
// (lacksShape): a reply without one its rule lists fails that rule.
func (s *Scenario) Success(fields ...string) (map[string]any, error) {
	ex, err := s.Last()
	if err != nil {
		return nil, err
	}
	m, err := OneReply(ex)
	if err != nil {
		return nil, err
	}
	want := ex.Request.Action() + "-Response"
	if m.Action() != want {
		detail := clip(m.Data, 300)
		if code := m.Tags.Value("Error"); code != "" {
			detail = "error " + clip(code, 200) + ": " + detail
		}
		err := fmt.Errorf("reply Action is %s, want %q (%s)", clip(m.Action(), 200), want, detail)
		if m.Action() == ex.Request.Action()+"-Error" {
			return nil, s.readErr(ex, m, err) // an error where a success was due: what the step checks
		}
		return nil, blame("MIP00-REP-3", ex.Request.Target, err)
	}
	if code, ok := m.Tags.Get("Error"); ok {
		return nil, blamef("MIP00-REP-3", ex.Request.Target, "success reply carries an Error tag %q", code)
	}
	obj, err := ReplyJSON(m)
	if err != nil {
		return nil, blame("MIP00-REP-3", ex.Request.Target, err)
	}
	return obj, lacksShape(ex.Request.Action(), ex.Request.Target, obj, fields...)
}

// ExpectError checks that the latest request got exactly one error reply of
// the MIP-00 shape: Action "<Action>-Error", tag Error = code, and Data
// {"code": code, "message": non-empty text}.
func (s *Scenario) ExpectError(code string) error {
	ex, err := s.Last()
	if err != nil {
		return err
	}
	m, err := OneReply(ex)
	if err != nil {
		return err
	}
	return errorReply(m, ex.Request.Action(), ex.Request.Target, code)
}

// errorReply checks that m is the error reply of the MIP-00 shape that the
// process pid gave to a request of Action op: Action "<op>-Error", tag
// Error = code, and Data {"code": code, "message": non-empty text}.
func errorReply(m adapters.Message, op, pid, code string) error {
	want := op + "-Error"
	if m.Action() != want {
		err := fmt.Errorf("reply Action is %s, want %q with Error %s (Data %s)", clip(m.Action(), 200), want, code, clip(m.Data, 300))
		if m.Action() == op+"-Response" {
			return err // a success where an error was due: what the step checks
		}
		return blame("MIP00-ERR-1", pid, err)
	}
	if got := m.Tags.Value("Error"); got != code {
		err := fmt.Errorf("reply Error tag is %s, want %q (Data %s)", clip(got, 200), code, clip(m.Data, 300))
		if got == "" {
			return blame("MIP00-ERR-1", pid, err)
		}
		if !errorCodes[got] {
			return blame("MIP00-ERR-2", pid, err) // a code MIP-00 does not have
		}
		return err // another error than the one due: what the step checks
	}
	obj, err := ReplyJSON(m)
	if err != nil {
		return blame("MIP00-ERR-1", pid, err)
	}
	if obj["code"] != code {
		return blamef("MIP00-ERR-1", pid, "error Data code is %v, want %q", obj["code"], code)
	}
	if msg, _ := obj["message"].(string); strings.TrimSpace(msg) == "" {
		return blamef("MIP00-ERR-1", pid, "error Data has no human message: %s", clip(m.Data, 300))
	}
	return nil
}

// errorCodes are the error codes of MIP-00 (MIP00-ERR-2).
var errorCodes = map[string]bool{"InvalidInput": true, "NotFound": true, "NameTaken": true, "Unauthorized": true, "LimitExceeded": true}

func (s *Scenario) replyField(field, wantJSON string) error {
	m, err := s.Reply()
	if err != nil {
		return err
	}
	obj, err := ReplyJSON(m)
	if err != nil {
		return err
	}
	got, ok := obj[field]
	if !ok {
		if err := s.replyShape(m, obj, field); err != nil {
			return err
		}
		// The field as a reply the step expects: which rule defines a
		// domain read's reply depends on it (stateShape).
		if want, jerr := json.Marshal(map[string]json.RawMessage{field: json.RawMessage(wantJSON)}); jerr == nil {
			if err := s.stateShape(m, obj, string(want)); err != nil {
				return err
			}
		}
		err := fmt.Errorf("reply has no field %q: %s", field, clip(m.Data, 300))
		if ex, lerr := s.Last(); lerr == nil {
			// An error where the read's success was due (readErr).
			return s.readErr(ex, m, err)
		}
		return err
	}
	gotJSON, _ := json.Marshal(got)
	return JSONEqual(string(gotJSON), wantJSON)
}

// tagTable reads a two-column table of tag names and values.
func (s *Scenario) tagTable(t *godog.Table) (adapters.Tags, error) {
	var tags adapters.Tags
	for _, row := range t.Rows {
		if len(row.Cells) != 2 {
			return nil, fmt.Errorf("a tag table has two columns, name and value")
		}
		tags = append(tags, adapters.Tag{Name: row.Cells[0].Value, Value: s.Expand(row.Cells[1].Value)})
	}
	return tags, nil
}

// unescape reads the text between a step's quotes with Go escapes (\n, \t,
// \", \\, \u00e9), so scenarios can write control characters.
func unescape(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	u, err := strconv.Unquote(`"` + s + `"`)
	if err != nil {
		return "", fmt.Errorf("bad escape in %q: %w", s, err)
	}
	return u, nil
}

// JSONEqual reports whether got and want hold the same JSON value (object
// keys in any order). A number the scenario writes as an integer must be
// the same JSON integer in got (MIP00-NUM-1): 1.0 is not 1.
func JSONEqual(got, want string) error {
	g, err := decodeAny(got)
	if err != nil {
		return fmt.Errorf("got is not JSON: %s", clip(got, 300))
	}
	w, err := decodeAny(want)
	if err != nil {
		return fmt.Errorf("expected value in the scenario is not JSON: %v", err)
	}
	if !jsonvalue.Equal(g, w) {
		return wholeNumberBlame(g, w, fmt.Errorf("got %s, want %s", compact(got), compact(want)))
	}
	return nil
}

// wholeNumberBlame blames a difference on MIP00-NUM-1 when the values are
// the same but for a whole number written as a float (1.0 for 1): the
// assertion's own rule failed, not the rule of the value it compared.
func wholeNumberBlame(got, want any, err error) error {
	if jsonvalue.EqualByValue(got, want) {
		return blame("MIP00-NUM-1", "", fmt.Errorf("a whole quantity is not written as a JSON integer: %w", err))
	}
	return err
}

// JSONIncludes reports whether the JSON object got has every field of want
// with an equal value (compared as JSONEqual does).
func JSONIncludes(got, want string) error {
	g, err := decodeAny(got)
	if err != nil {
		return fmt.Errorf("got is not JSON: %s", clip(got, 300))
	}
	w, err := decodeAny(want)
	if err != nil {
		return fmt.Errorf("expected value in the scenario is not JSON: %v", err)
	}
	gm, ok1 := g.(map[string]any)
	wm, ok2 := w.(map[string]any)
	if !ok1 || !ok2 {
		return fmt.Errorf("includes compares JSON objects; got %s", compact(got))
	}
	// Fields in a fixed order, a real difference before one only in how a
	// whole number is written: the same reply gets the same finding, and
	// the same blame, on every run.
	var numberOnly error
	for _, k := range slices.Sorted(maps.Keys(wm)) {
		wv := wm[k]
		gv, ok := gm[k]
		if !ok {
			return fmt.Errorf("field %q missing in %s", k, compact(got))
		}
		if jsonvalue.Equal(gv, wv) {
			continue
		}
		err := wholeNumberBlame(gv, wv, fmt.Errorf("field %q is %s, want %s", k, jsonvalue.Compact(gv), jsonvalue.Compact(wv)))
		if !jsonvalue.EqualByValue(gv, wv) {
			return err
		}
		if numberOnly == nil {
			numberOnly = err
		}
	}
	return numberOnly
}

// decodeAny decodes exactly one JSON value, numbers kept as written.
func decodeAny(s string) (any, error) { return jsonvalue.Decode(s) }

func compact(s string) string {
	v, err := decodeAny(s)
	if err != nil {
		return clip(s, 300)
	}
	return clip(jsonvalue.Compact(v), 500)
}

// stateReads are the reads without arguments of each role: together they
// show all the state its MIP defines, so that reading them before and
// after a request shows whether it changed anything. Every read of a domain
// names what it reads, so a domain has none.
var stateReads = map[string][]string{
	RoleProfile: {"GetProfile", "GetContacts", "GetChatList"},
	RoleSession: {"GetSessionInfo", "GetMessages"},
}

// readState makes every argument-free read of the named process by dryrun
// and returns each success Data as JSON, by Action.
func (s *Scenario) readState(name string) (map[string]string, error) {
	pid, err := s.Resolve(name)
	if err != nil {
		return nil, err
	}
	role := s.roleOf(pid)
	reads := stateReads[role]
	if len(reads) == 0 {
		return nil, fmt.Errorf("%s is no profile or session (role %q): it has no reads without arguments that show its state", name, role)
	}
	out := map[string]string{}
	for _, action := range reads {
		obj, err := s.readObject(name, action, "")
		if err != nil {
			return nil, err
		}
		out[action] = jsonOf(obj)
	}
	return out, nil
}

// quotedName is one name of a list such as `"alice", "mallory" and "PA"`.
var quotedName = regexp.MustCompile(`"([^"]*)"`)

// sameForReaders dryruns a read claiming each of the named readers in turn:
// the first must get a success, and every other the same reply (Action,
// Error tag and Data), since reads are public (MIP00-RD-3).
func (s *Scenario) sameForReaders(readers [][]string, action, target string) error {
	var first adapters.Message
	for i, r := range readers {
		ex, err := s.DryRun(r[1], target, action, "", nil)
		if err != nil {
			return err
		}
		if i == 0 {
			if _, err := s.Success(); err != nil {
				return fmt.Errorf("%s claiming %s: %w", action, r[1], err)
			}
			first, _ = OneReply(ex)
			continue
		}
		m, err := OneReply(ex)
		if err != nil {
			return fmt.Errorf("%s claiming %s: %w", action, r[1], err)
		}
		if m.Action() != first.Action() || m.Tags.Value("Error") != first.Tags.Value("Error") {
			return fmt.Errorf("%s claiming %s got %s (Error %s), claiming %s %s", action, r[1], clip(m.Action(), 200), clip(m.Tags.Value("Error"), 200), readers[0][1], clip(first.Action(), 200))
		}
		if err := JSONEqual(m.Data, first.Data); err != nil {
			return fmt.Errorf("%s claiming %s differs from the read claiming %s: %w", action, r[1], readers[0][1], err)
		}
	}
	return nil
}

// inCase returns the id of a named wallet or process in upper or lower
// case, and an error when that is the id itself: the scenario would then
// compare nothing.
func (s *Scenario) inCase(name, casing string) (string, error) {
	id, err := s.Resolve(name)
	if err != nil {
		return "", err
	}
	folded := strings.ToUpper(id)
	if casing == "lower" {
		folded = strings.ToLower(id)
	}
	if folded == id {
		return "", fmt.Errorf("the id of %q, %s, reads the same in %s case: pick another name", name, id, casing)
	}
	return folded, nil
}
