package steps

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// The steps of the scenarios that pin a point the spec settles by letting an
// implementation choose between two readings (a MAY): each accepts exactly
// the readings the spec allows and nothing else. And the steps that compare
// two values the network assigns, which a scenario cannot write down.
func init() { register(registerSpec) }

func registerSpec(sc stepContext, s *Scenario) {
	sc.Step(`^the reply is an error "([^"]*)" or "([^"]*)"$`, func(a, b string) error {
		errA := s.ExpectError(a)
		if errA == nil {
			return nil
		}
		if s.ExpectError(b) == nil {
			return nil
		}
		return fmt.Errorf("want an error %q or %q: %w", a, b, errA)
	})
	sc.Step(`^the chat list of "([^"]*)" shows (\d+) or (\d+) sessions$`, func(profile string, a, b int) error {
		sessions, _, err := s.chatList(profile)
		if err != nil {
			return err
		}
		if len(sessions) != a && len(sessions) != b {
			return fmt.Errorf("chat list of %s shows %d sessions, want %d or %d: %s", profile, len(sessions), a, b, jsonOf(sessions))
		}
		return nil
	})
	sc.Step(`^"([^"]*)" is a whole (dm|group) session or no session at all$`, s.wholeOrNoSession)
	askGroup := func(w, profile string, n int, title string) error {
		ids := make([]string, n)
		for i := range ids {
			// <member-N> is the id of no process: a valid participant.
			id, err := s.Resolve(fmt.Sprintf("<member-%d>", i+1))
			if err != nil {
				return err
			}
			ids[i] = id
		}
		body, _ := json.Marshal(map[string]any{"type": "group", "participants": ids, "title": title})
		_, err := s.Send(w, profile, "CreateSession", string(body), nil)
		return err
	}
	sc.Step(`^wallet "([^"]*)" asks "([^"]*)" for a group with (\d+) new participants titled "(.*)"$`, askGroup)
	// A title at the length limits, counted in characters, not bytes.
	sc.Step(`^wallet "([^"]*)" asks "([^"]*)" for a group with (\d+) new participants titled (\d+) times "([^"]+)"$`, func(w, profile string, n, times int, unit string) error {
		return askGroup(w, profile, n, strings.Repeat(unit, times))
	})
	sc.Step(`^the chat list of "([^"]*)" shows "([^"]*)" with lastActivity = its createdAt, earlier than the last request$`, s.activitySinceCreation)
}

// wholeOrNoSession checks the two readings MIP03-INIT-4 allows for a spawn
// the session may or may not accept: a whole session (its info answers with
// the given type, and every participant got one Session-Created), or no
// session (NotFound, and no Session-Created to anyone). Anything between,
// such as a session that answers but told no one, fails.
func (s *Scenario) wholeOrNoSession(name, kind string) error {
	sid, err := s.Process(name)
	if err != nil {
		return err
	}
	created := 0
	for _, m := range routed(s.trace()) {
		if m.From == sid && m.Action() == "Session-Created" {
			created++
		}
	}
	ex, err := s.DryRun("reader", name, "GetSessionInfo", "", nil)
	if err != nil {
		return err
	}
	m, err := OneReply(ex)
	if err != nil {
		return err
	}
	switch m.Action() {
	case "GetSessionInfo-Error":
		if err := s.ExpectError("NotFound"); err != nil {
			return fmt.Errorf("%s is no session, so it must answer NotFound: %w", name, err)
		}
		if created != 0 {
			return fmt.Errorf("%s answers NotFound, yet it sent %d Session-Created notices", name, created)
		}
		return nil
	case "GetSessionInfo-Response":
		info, err := ReplyJSON(m)
		if err != nil {
			return err
		}
		if info["type"] != kind {
			return fmt.Errorf("%s is a session of type %v, want %q: %s", name, info["type"], kind, clip(m.Data, 300))
		}
		parts, _ := info["participants"].([]any)
		if len(parts) == 0 || created != len(parts) {
			return fmt.Errorf("%s answers as a session of %d participants but sent %d Session-Created notices, want one each", name, len(parts), created)
		}
		return nil
	}
	return fmt.Errorf("GetSessionInfo on %s replied %q, want a success or an error NotFound (Data %s)", name, m.Action(), clip(m.Data, 300))
}

// activitySinceCreation checks MIP02-CHAT-6 for a session the profile
// learned of after its creation: the entry's lastActivity is the session's
// createdAt (from GetSessionInfo), and that time is before the latest sent
// request, so that the check tells it apart from the time a notice arrived.
func (s *Scenario) activitySinceCreation(profile, session string) error {
	last, err := s.lastSend()
	if err != nil {
		return err
	}
	if last.Trace == nil || len(last.Trace.Deliveries) == 0 {
		return fmt.Errorf("the last request has no delivery to read its time from")
	}
	at := last.Trace.Deliveries[0].Message.Timestamp
	info, err := s.readObject(session, "GetSessionInfo", "", "createdAt")
	if err != nil {
		return err
	}
	created, ok := info["createdAt"].(json.Number)
	if !ok {
		return fmt.Errorf("GetSessionInfo of %s has createdAt %s, want an integer", session, jsonOf(info["createdAt"]))
	}
	c, err := strconv.ParseInt(created.String(), 10, 64)
	if err != nil {
		return fmt.Errorf("GetSessionInfo of %s has createdAt %s, want an integer", session, created)
	}
	if c >= at {
		return fmt.Errorf("%s was created at %d, not before the last request (%d): the scenario cannot tell the two times apart", session, c, at)
	}
	e, err := s.chatEntry(profile, session)
	if err != nil {
		return err
	}
	if e == nil {
		return fmt.Errorf("chat list of %s does not show %s", profile, session)
	}
	return JSONEqual(jsonOf(e["lastActivity"]), created.String())
}
