package steps

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/spec"
)

// The MIP-01 Domain steps, and the MIP-00 checks that read best in its terms.
//
// Steps about names act on the domain they name (`... on "D"`) or, when they
// name none, on the domain process spawned last in the scenario (e.g. by
// `Given a domain process "D"`), so that scenarios read as
// "wallet "bob" registers "shop" to process "P2"". Process arguments such
// as "P2" are resolved like <P2> in data: a process or wallet of the scenario
// by its name, any other name a fixed id that belongs to no process.
func init() { register(registerDomain) }

// quoted matches a step argument between double quotes that may hold Go
// escapes, \" included, so scenarios can write hostile names.
const quoted = `"((?:[^"\\]|\\.)*)"`

// observer is the identity the steps claim when they read the registry by
// dryrun: a party with no name of its own, since reads are public.
const observer = "observer"

// on is the optional `on "D"` that names the domain a step acts on.
const on = `(?: on "([^"]*)")?`

func registerDomain(sc stepContext, s *Scenario) {
	// Requests.
	sc.Step(`^wallet "([^"]*)" has registered `+quoted+` to process "([^"]*)"`+on+`$`, func(w, name, pid, d string) error {
		if err := s.register(d, w, name, pid); err != nil {
			return err
		}
		if _, err := s.Success(); err != nil {
			return setup("MIP01-REG-1", s.lastTarget(), fmt.Errorf("setting up: %w", err))
		}
		return nil
	})
	sc.Step(`^wallet "([^"]*)" registers `+quoted+` to process "([^"]*)"`+on+`$`, func(w, name, pid, d string) error {
		return s.register(d, w, name, pid)
	})
	sc.Step(`^wallet "([^"]*)" registers `+quoted+` to id `+quoted+on+`$`, func(w, name, pid, d string) error {
		n, err := unescape(name)
		if err != nil {
			return err
		}
		p, err := unescape(pid)
		if err != nil {
			return err
		}
		return s.domainRequest(d, w, "Register", map[string]string{"name": n, "pid": p})
	})
	sc.Step(`^wallet "([^"]*)" has renounced `+quoted+on+`$`, func(w, name, d string) error {
		if err := s.renounce(d, w, name); err != nil {
			return err
		}
		if _, err := s.Success(); err != nil {
			return setup("MIP01-REN-1", s.lastTarget(), fmt.Errorf("setting up: %w", err))
		}
		return nil
	})
	sc.Step(`^wallet "([^"]*)" renounces `+quoted+on+`$`, func(w, name, d string) error {
		return s.renounce(d, w, name)
	})
	sc.Step(`^wallets "([^"]*)" and "([^"]*)" register "([^"]*)" to processes "([^"]*)" and "([^"]*)" one right after the other$`,
		func(w1, w2, name, p1, p2 string) error {
			// World.Send runs the network until it is quiet, so this is
			// the burst as the Domain sees it on AO: two requests in
			// scheduler order (MIP01-ORD-1).
			if err := s.register("", w1, name, p1); err != nil {
				return err
			}
			return s.register("", w2, name, p2)
		})
	sc.Step(`^wallet "([^"]*)" sends "([^"]*)" to "([^"]*)" with data `+quoted+` padded with spaces to (\d+) bytes$`,
		func(w, action, target, data string, size int) error {
			d, err := unescape(data)
			if err != nil {
				return err
			}
			d = s.Expand(d)
			if len(d) > size {
				return fmt.Errorf("the data is already %d bytes, more than %d", len(d), size)
			}
			_, err = s.Send(w, target, action, d+strings.Repeat(" ", size-len(d)), nil)
			return err
		})
	// A request that aos hands over decoded (Content-Type:
	// application/json), made to measure: the object gets one more string
	// field, filled so that the compact JSON is exactly size bytes.
	sc.Step(`^wallet "([^"]*)" sends "([^"]*)" to "([^"]*)" with the JSON object `+quoted+` grown by a field "([^"]*)" to (\d+) bytes, tagged Content-Type application/json$`,
		func(w, action, target, data, field string, size int) error {
			d, err := unescape(data)
			if err != nil {
				return err
			}
			d = strings.TrimSpace(s.Expand(d))
			if !strings.HasSuffix(d, "}") || d == "{}" {
				return fmt.Errorf("the data %q is not a JSON object with a field to grow next to", d)
			}
			open := d[:len(d)-1] + `,"` + field + `":"`
			fill := size - len(open) - len(`"}`)
			if fill < 0 {
				return fmt.Errorf("the object is already more than %d bytes", size)
			}
			_, err = s.Send(w, target, action, open+strings.Repeat("a", fill)+`"}`, adapters.Tags{{Name: "Content-Type", Value: "application/json"}})
			return err
		})
	sc.Step(`^wallet "([^"]*)" sends "([^"]*)" to "([^"]*)" with data `+quoted+` repeated (\d+) times$`,
		func(w, action, target, unit string, n int) error {
			u, err := unescape(unit)
			if err != nil {
				return err
			}
			_, err = s.Send(w, target, action, strings.Repeat(u, n), nil)
			return err
		})

	// What came back.
	sc.Step(`^there is no reply$`, func() error {
		ex, err := s.Last()
		if err != nil {
			return err
		}
		if ex.Err != "" {
			return fmt.Errorf("the %s failed: %s", ex.Kind, ex.Err)
		}
		if rs := ex.Replies(); len(rs) != 0 {
			return fmt.Errorf("want no reply to %q, got %d:%s", ex.Request.Action(), len(rs), describeReplies(rs))
		}
		return nil
	})
	sc.Step(`^the reply goes to "([^"]*)" and not to the sender$`, func(to string) error {
		return s.replyGoesTo(to)
	})
	sc.Step(`^the last request of wallet "([^"]*)" got a success$`, func(w string) error {
		v, err := s.lastOf(w)
		if err != nil {
			return err
		}
		_, err = v.Success()
		return err
	})
	sc.Step(`^the last request of wallet "([^"]*)" got the error "([^"]*)"$`, func(w, code string) error {
		v, err := s.lastOf(w)
		if err != nil {
			return err
		}
		return v.ExpectError(code)
	})
	sc.Step(`^the error message is at most (\d+) bytes$`, func(n int) error {
		m, err := s.Reply()
		if err != nil {
			return err
		}
		pid := s.lastTarget()
		obj, err := ReplyJSON(m)
		if err != nil {
			return blame("MIP00-ERR-1", pid, err)
		}
		msg, ok := obj["message"].(string)
		if !ok {
			return blamef("MIP00-ERR-1", pid, "the reply has no message text: %s", clip(m.Data, 300))
		}
		if len(msg) > n {
			return blamef("MIP00-ERR-3", pid, "the error message is %d bytes, want at most %d: %s", len(msg), n, clip(msg, 120))
		}
		return nil
	})

	// The state of the registry, read by dryrun.
	sc.Step(`^querying `+quoted+on+` shows owner "([^"]*)" and process "([^"]*)"$`, func(name, d, owner, pid string) error {
		return s.queryShows(d, name, owner, pid)
	})
	sc.Step(`^querying `+quoted+on+` shows it is free$`, func(name, d string) error {
		return s.queryShows(d, name, "", "")
	})
	// What a query answered about, apart from whether it was right to: a
	// domain that takes the JSON string "\"shop\"" for the name shop
	// (MIP01-QRY-4) answers about shop; one that judges "\"shop\"" a name
	// answers about that, and is wrong on another count (MIP01-QRY-3).
	sc.Step(`^the reply is not about the name `+quoted+`$`, func(name string) error {
		n, err := unescape(name)
		if err != nil {
			return err
		}
		m, err := s.Reply()
		if err != nil {
			return err
		}
		obj, err := ReplyJSON(m)
		if err != nil {
			return blame("MIP00-REP-3", s.lastTarget(), err)
		}
		if obj["name"] == n {
			return fmt.Errorf("the reply is about the name %q: %s", n, clip(m.Data, 300))
		}
		return nil
	})
	sc.Step(`^the domains of "([^"]*)"`+on+` are (.+)$`, func(owner, d, list string) error {
		return s.domainsAre(d, owner, list)
	})
	sc.Step(`^the domains of "([^"]*)" with its address in (upper|lower) case are none$`, func(owner, casing string) error {
		folded, err := s.inCase(owner, casing)
		if err != nil {
			return err
		}
		obj, err := s.read("", "GetDomains", folded, "domains")
		if err != nil {
			return err
		}
		return domainsReply(obj, map[string]any{"owner": folded, "domains": []any{}})
	})
	sc.Step(`^a dryrun and a sent "([^"]*)" from wallet "([^"]*)" to "([^"]*)" with data `+quoted+` give the same reply$`,
		func(action, w, target, data string) error {
			d, err := unescape(data)
			if err != nil {
				return err
			}
			return s.sameReply(action, w, target, s.Expand(d), false)
		})
}

// domain returns the scenario's name of the domain a step acts on: the one
// it names, else the domain process spawned last.
func (s *Scenario) domain(named string) (string, error) {
	if named != "" {
		if _, err := s.Process(named); err != nil {
			return "", err
		}
		return named, nil
	}
	module := s.target.Modules[RoleDomain]
	for i := len(s.exchanges) - 1; i >= 0; i-- {
		ex := s.exchanges[i]
		if ex.Kind != "spawn" || ex.Err != "" || ex.Request.Tags.Value("Module") != module {
			continue
		}
		for name, pid := range s.processes {
			if pid == ex.Request.Target {
				return name, nil
			}
		}
	}
	return "", fmt.Errorf("no domain process in this scenario: start with `Given a domain process \"D\"`")
}

// domainRequest sends a request whose Data is the JSON object of fields to
// the domain, from the named wallet.
func (s *Scenario) domainRequest(domain, wallet, action string, fields map[string]string) error {
	d, err := s.domain(domain)
	if err != nil {
		return err
	}
	data, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	_, err = s.Send(wallet, d, action, string(data), nil)
	return err
}

func (s *Scenario) register(domain, wallet, name, pid string) error {
	n, err := unescape(name)
	if err != nil {
		return err
	}
	id, err := s.ID(pid)
	if err != nil {
		return err
	}
	return s.domainRequest(domain, wallet, "Register", map[string]string{"name": n, "pid": id})
}

func (s *Scenario) renounce(domain, wallet, name string) error {
	n, err := unescape(name)
	if err != nil {
		return err
	}
	return s.domainRequest(domain, wallet, "Renounce", map[string]string{"name": n})
}

// read makes a read on the domain by dryrun, claiming to be the observer,
// and returns its success object.
// The fields the step reads are checked against the read's reply shape.
func (s *Scenario) read(domain, action, data string, fields ...string) (map[string]any, error) {
	d, err := s.domain(domain)
	if err != nil {
		return nil, err
	}
	if _, err := s.DryRun(observer, d, action, data, nil); err != nil {
		return nil, err
	}
	obj, err := s.Success(fields...)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", action, data, err)
	}
	return obj, nil
}

// queryShows checks what QueryDomain says of a name: registered to owner and
// pid, or free when owner is empty.
func (s *Scenario) queryShows(domain, name, owner, pid string) error {
	n, err := unescape(name)
	if err != nil {
		return err
	}
	obj, err := s.read(domain, "QueryDomain", n, "name", "registered")
	if err != nil {
		// A query of a valid name that is not answered with a success is
		// the query's own defect, whatever the scenario checks with it.
		if owner == "" {
			return blame("MIP01-QRY-2", "", err)
		}
		return blame("MIP01-QRY-1", "", err)
	}
	got, _ := json.Marshal(obj)
	// A reply without a field its rule lists for that state, or about
	// another name, is the read's own defect, whatever the scenario checks
	// with it.
	rule, fields := "MIP01-QRY-1", []string{"registered", "owner", "pid"}
	if owner == "" {
		rule, fields = "MIP01-QRY-2", []string{"registered"}
	}
	if obj["name"] != n {
		return blamef(rule, "", "QueryDomain %q answered about name %v: %s", n, obj["name"], got)
	}
	for _, f := range fields {
		if _, ok := obj[f]; !ok {
			return blamef(rule, "", "QueryDomain %q answered without its field %q: %s", n, f, got)
		}
	}
	if owner == "" {
		if obj["registered"] != false {
			return fmt.Errorf("want %q free, QueryDomain says %s", n, got)
		}
		if _, has := obj["owner"]; has {
			return fmt.Errorf("a free name has no owner, QueryDomain says %s", got)
		}
		return nil
	}
	wantOwner, err := s.Resolve(owner)
	if err != nil {
		return err
	}
	wantPID, err := s.Resolve(pid)
	if err != nil {
		return err
	}
	if obj["registered"] != true || obj["owner"] != wantOwner || obj["pid"] != wantPID {
		return fmt.Errorf("want %q registered to owner %s (%s) and pid %s (%s), QueryDomain says %s",
			n, owner, wantOwner, pid, wantPID, got)
	}
	return nil
}

// domainsAre checks GetDomains of an owner against a list such as
// `"a", "b"` or `none`, in that order.
func (s *Scenario) domainsAre(domain, owner, list string) error {
	id, err := s.Resolve(owner)
	if err != nil {
		return err
	}
	want := []any{}
	if strings.TrimSpace(list) != "none" {
		for _, f := range strings.Split(list, ",") {
			name, err := strconv.Unquote(strings.TrimSpace(f))
			if err != nil {
				return fmt.Errorf("the list %s: write names in double quotes, or none", list)
			}
			want = append(want, name)
		}
	}
	obj, err := s.read(domain, "GetDomains", id, "owner", "domains")
	if err != nil {
		// GetDomains of an owner's address that is not answered with a
		// success is GetDomains' own defect, whatever the scenario checks
		// with it.
		if len(want) == 0 {
			return blame("MIP01-GET-3", "", err)
		}
		return blame("MIP01-GET-1", "", err)
	}
	return domainsReply(obj, map[string]any{"owner": id, "domains": want})
}

// domainsReply compares a GetDomains reply obj with the one expected. A
// reply without one of its fields is the read's own defect, whatever the
// scenario checks with it: an owner of no name gets an empty list, never
// none (MIP01-GET-3), and every reply names its owner (MIP01-GET-1).
func domainsReply(obj, want map[string]any) error {
	gotJSON, _ := json.Marshal(obj)
	for _, f := range []string{"domains", "owner"} {
		if _, ok := obj[f]; !ok {
			return blamef(spec.StateShapeRequirement("GetDomains", f, want, obj), "", "GetDomains answered without its field %q: %s", f, gotJSON)
		}
	}
	wantJSON, _ := json.Marshal(want)
	return JSONEqual(string(gotJSON), string(wantJSON))
}

// sameReply makes the same read by dryrun and by a sent message from one
// wallet, and checks that both replies agree (Action, Error tag and Data)
// and that the message's reply has the MIP-00 shape of a success or of an
// error; with success, it must be a success.
func (s *Scenario) sameReply(action, wallet, target, data string, success bool) error {
	dry, err := s.DryRun(wallet, target, action, data, nil)
	if err != nil {
		return err
	}
	d, err := OneReply(dry)
	if err != nil {
		return fmt.Errorf("by dryrun: %w", err)
	}
	sent, err := s.Send(wallet, target, action, data, nil)
	if err != nil {
		return err
	}
	m, err := OneReply(sent)
	if err != nil {
		return fmt.Errorf("by message: %w", err)
	}
	if d.Action() != m.Action() || d.Tags.Value("Error") != m.Tags.Value("Error") {
		return fmt.Errorf("dryrun replied %s (Error %s), the message got %s (Error %s)",
			clip(d.Action(), 200), clip(d.Tags.Value("Error"), 200), clip(m.Action(), 200), clip(m.Tags.Value("Error"), 200))
	}
	if err := JSONEqual(m.Data, d.Data); err != nil {
		return fmt.Errorf("the message's reply differs from the dryrun's: %w", err)
	}
	view := &Scenario{target: s.target, exchanges: []adapters.Exchange{sent}}
	if code, isError := m.Tags.Get("Error"); isError && !success {
		return view.ExpectError(code)
	}
	_, err = view.Success()
	return err
}

// replyGoesTo checks that the latest send was answered once, at the given
// address (its Reply-To), with X-Reference = its Reference, and that nothing
// went back to the sender.
func (s *Scenario) replyGoesTo(to string) error {
	ex, err := s.Last()
	if err != nil {
		return err
	}
	if ex.Trace == nil {
		return fmt.Errorf("the last request was a %s; Reply-To is checked on a sent message", ex.Kind)
	}
	if ex.Err != "" {
		return fmt.Errorf("the send failed: %s", ex.Err)
	}
	id, err := s.Resolve(to)
	if err != nil {
		return err
	}
	var there []adapters.Message
	for _, m := range ex.Trace.ToWallets {
		if m.Target == id {
			there = append(there, m)
		}
	}
	if len(there) != 1 {
		req := "MIP00-REP-2" // answered, but not there
		switch {
		case len(there) > 1:
			req = "MIP00-REP-1"
		case len(ex.Trace.ToWallets) == 0:
			req = replyCountRequirement(ex, 0) // not answered at all
		}
		return blamef(req, ex.Request.Target, "want one reply sent to %s (%s), got %d%s%s", to, id, len(there), describeReplies(there), describeFailures(ex))
	}
	// Nothing at all goes back to the sender: a reply without X-Reference
	// is a reply all the same.
	if back := ex.Trace.RepliesTo(ex.Request.From); len(back) != 0 {
		return blamef("MIP00-REP-2", ex.Request.Target, "want nothing sent back to the sender, got %d:%s", len(back), describeReplies(back))
	}
	if got, want := there[0].Tags.Value("X-Reference"), ex.Request.Tags.Value("Reference"); got != want {
		return blamef("MIP00-REP-2", ex.Request.Target, "reply X-Reference is %s, want the request's Reference %q", clip(got, 200), want)
	}
	// The redirected message is the reply: "<Op>-Response" or "<Op>-Error".
	op := ex.Request.Action()
	if a := there[0].Action(); a != op+"-Response" && a != op+"-Error" {
		return blamef("MIP00-REP-3", ex.Request.Target, "the message sent to %s has Action %s, want %q or %q", to, clip(a, 200), op+"-Response", op+"-Error")
	}
	return nil
}

// lastTarget is the process the latest request went to, "" before any.
func (s *Scenario) lastTarget() string {
	ex, err := s.Last()
	if err != nil {
		return ""
	}
	return ex.Request.Target
}

// lastOf returns a view of the scenario holding only the latest request of
// the named wallet, so that Success and ExpectError judge that request.
func (s *Scenario) lastOf(wallet string) (*Scenario, error) {
	addr, err := s.Wallet(wallet)
	if err != nil {
		return nil, err
	}
	for i := len(s.exchanges) - 1; i >= 0; i-- {
		ex := s.exchanges[i]
		if ex.Kind != "spawn" && ex.Request.From == addr {
			return &Scenario{target: s.target, exchanges: []adapters.Exchange{ex}}, nil
		}
	}
	return nil, fmt.Errorf("wallet %q has made no request", wallet)
}
