package steps

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cucumber/godog"

	"github.com/mostao/conformance/adapters"
)

// The MIP-02 Profile steps: profiles, their owners, and what the owners ask
// their profiles to do in chat.
func init() { register(registerProfile) }

func registerProfile(sc stepContext, s *Scenario) {
	// owners remembers which wallet owns each named profile, so steps can
	// speak of "PA" doing something and send as its owner.
	owners := map[string]string{}
	ownerOf := func(profile string) (string, error) {
		w, ok := owners[profile]
		if !ok {
			return "", fmt.Errorf("no profile named %q: write \"wallet ... has a profile %q\" first", profile, profile)
		}
		return w, nil
	}
	// ask sends an owner's request to its profile.
	ask := func(profile, action string, body any) error {
		w, err := ownerOf(profile)
		if err != nil {
			return err
		}
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		_, err = s.Send(w, profile, action, string(data), nil)
		return err
	}
	// must sends an owner's request and requires a success: a step that
	// does so depends on the requirement of that operation.
	must := func(profile, action string, body any) (map[string]any, error) {
		if err := ask(profile, action, body); err != nil {
			return nil, err
		}
		obj, err := s.Success()
		return obj, setup(ownerOperation[action], s.lastTarget(), err)
	}

	sc.Step(`^wallet "([^"]*)" has a profile "([^"]*)"$`, func(w, name string) error {
		if _, err := s.Spawn(RoleProfile, name, w, nil); err != nil {
			return err
		}
		owners[name] = w
		return nil
	})

	sc.Step(`^wallet "([^"]*)" has a profile "([^"]*)" spawned (without a session module|with an empty Session-Module tag|with the puppet module as its session module)$`, func(w, name, how string) error {
		var tags adapters.Tags
		switch how {
		case "with an empty Session-Module tag":
			tags = adapters.Tags{{Name: "Session-Module", Value: ""}}
		case "with the puppet module as its session module":
			// The puppet announces nothing when spawned: the profile
			// learns of its sessions only from their Spawned notices.
			module, ok := s.target.Modules[RolePuppet]
			if !ok {
				return fmt.Errorf("target %s has no module for role %q", s.target.Name, RolePuppet)
			}
			tags = adapters.Tags{{Name: "Session-Module", Value: module}}
		}
		if err := s.spawnRaw(RoleProfile, w, name, "", tags); err != nil {
			return err
		}
		owners[name] = w
		return nil
	})

	// A profile need not run aos Eval (no MIP asks it to): a scenario that
	// uses its owner's Eval checks first, and is untested, not failed, on a
	// profile without it.
	sc.Step(`^the profile "([^"]*)" accepts Eval from its owner$`, func(profile string) error {
		w, err := ownerOf(profile)
		if err != nil {
			return err
		}
		return s.probeEvalOf(w, profile, "the profile does not run aos Eval from its owner, which this scenario uses to make it spawn outside CreateSession")
	})

	// Creating sessions.
	createSession := func(profile, name, kind, others, title string) error {
		ids, err := s.participants(others)
		if err != nil {
			return err
		}
		body := map[string]any{"type": kind, "participants": ids}
		if title != "" {
			body["title"] = title
		}
		obj, err := must(profile, "CreateSession", body)
		if err != nil {
			return err
		}
		session, ok := obj["session"].(string)
		if !ok || session == "" {
			return fmt.Errorf("CreateSession reply has no session id: %s", jsonOf(obj))
		}
		s.SetProcess(name, session)
		creator, err := s.Resolve(profile)
		if err != nil {
			return err
		}
		return s.tookSpawn(name, validSessionSpawn(kind, creator, ids, title))
	}
	sc.Step(`^"([^"]*)" creates a DM "([^"]*)" with "([^"]*)"$`, func(profile, name, peer string) error {
		return createSession(profile, name, "dm", peer, "")
	})
	// Unnamed, a DM is known as "<profile>-<peer>" in later steps.
	sc.Step(`^"([^"]*)" creates a DM with "([^"]*)"$`, func(profile, peer string) error {
		return createSession(profile, profile+"-"+peer, "dm", peer, "")
	})
	sc.Step(`^"([^"]*)" creates a group "([^"]*)" with "([^"]*)"$`, func(profile, name, others string) error {
		return createSession(profile, name, "group", others, "")
	})
	sc.Step(`^"([^"]*)" creates a group "([^"]*)" titled "([^"]*)" with "([^"]*)"$`, func(profile, name, title, others string) error {
		return createSession(profile, name, "group", others, title)
	})
	sc.Step(`^"([^"]*)" asks for a (dm|group) with "([^"]*)"$`, func(profile, kind, others string) error {
		ids, err := s.participants(others)
		if err != nil {
			return err
		}
		return ask(profile, "CreateSession", map[string]any{"type": kind, "participants": ids})
	})
	sc.Step(`^"([^"]*)" asks for a group with (\d+) new participants$`, func(profile string, n int) error {
		ids := make([]string, n)
		for i := range ids {
			ids[i], _ = s.ID(fmt.Sprintf("member-%d", i+1))
		}
		return ask(profile, "CreateSession", map[string]any{"type": "group", "participants": ids})
	})

	// Chatting through a profile.
	sc.Step(`^"([^"]*)" says "(.*)" in "([^"]*)"$`, func(profile, text, session string) error {
		sid, err := s.Resolve(session)
		if err != nil {
			return err
		}
		_, err = must(profile, "SendChatMessage", map[string]any{"session": sid, "content": text})
		return err
	})
	sc.Step(`^"([^"]*)" says (\d+) messages in "([^"]*)"$`, func(profile string, n int, session string) error {
		sid, err := s.Resolve(session)
		if err != nil {
			return err
		}
		for i := 1; i <= n; i++ {
			if _, err := must(profile, "SendChatMessage", map[string]any{"session": sid, "content": fmt.Sprintf("message %d", i)}); err != nil {
				return fmt.Errorf("message %d: %w", i, err)
			}
		}
		return nil
	})
	sc.Step(`^"([^"]*)" tries to say "(.*)" in "([^"]*)"$`, func(profile, text, session string) error {
		sid, err := s.Resolve(session)
		if err != nil {
			return err
		}
		return ask(profile, "SendChatMessage", map[string]any{"session": sid, "content": text})
	})
	sc.Step(`^"([^"]*)" tries to say a message of (\d+) bytes in "([^"]*)"$`, func(profile string, n int, session string) error {
		sid, err := s.Resolve(session)
		if err != nil {
			return err
		}
		return ask(profile, "SendChatMessage", map[string]any{"session": sid, "content": strings.Repeat("m", n)})
	})
	command := func(profile, cmd, session string, args map[string]any) error {
		sid, err := s.Resolve(session)
		if err != nil {
			return err
		}
		return ask(profile, "SessionCommand", map[string]any{"session": sid, "command": cmd, "args": args})
	}
	sc.Step(`^"([^"]*)" (adds|removes) "([^"]*)" (?:to|from) "([^"]*)"$`, func(profile, verb, who, session string) error {
		pid, err := s.Resolve(who)
		if err != nil {
			return err
		}
		cmd := map[string]string{"adds": "AddParticipant", "removes": "RemoveParticipant"}[verb]
		if err := command(profile, cmd, session, map[string]any{"pid": pid}); err != nil {
			return err
		}
		_, err = s.Success()
		return setup(ownerOperation["SessionCommand"], s.lastTarget(), err)
	})
	sc.Step(`^"([^"]*)" leaves "([^"]*)"$`, func(profile, session string) error {
		if err := command(profile, "Leave", session, map[string]any{}); err != nil {
			return err
		}
		_, err := s.Success()
		return setup(ownerOperation["SessionCommand"], s.lastTarget(), err)
	})
	sc.Step(`^"([^"]*)" tries to (add|remove) "([^"]*)" (?:to|from) "([^"]*)"$`, func(profile, verb, who, session string) error {
		pid, err := s.Resolve(who)
		if err != nil {
			return err
		}
		cmd := map[string]string{"add": "AddParticipant", "remove": "RemoveParticipant"}[verb]
		return command(profile, cmd, session, map[string]any{"pid": pid})
	})

	// Read marks.
	sc.Step(`^"([^"]*)" marks "([^"]*)" read up to (\d+)$`, func(profile, session string, upTo int) error {
		sid, err := s.Resolve(session)
		if err != nil {
			return err
		}
		_, err = must(profile, "MarkRead", map[string]any{"session": sid, "upTo": upTo})
		return err
	})
	sc.Step(`^"([^"]*)" marks "([^"]*)" read$`, func(profile, session string) error {
		sid, err := s.Resolve(session)
		if err != nil {
			return err
		}
		_, err = must(profile, "MarkRead", map[string]any{"session": sid})
		return err
	})

	// Trusted session modules.
	sc.Step(`^"([^"]*)" trusts the (puppet|session|domain|profile) module$`, func(profile, role string) error {
		module, ok := s.target.Modules[role]
		if !ok {
			return fmt.Errorf("target %s has no module for role %q", s.target.Name, role)
		}
		_, err := must(profile, "AddSessionModule", map[string]any{"module": module})
		return err
	})
	sc.Step(`^the module of role "([^"]*)" is known as "([^"]*)"$`, func(role, name string) error {
		module, ok := s.target.Modules[role]
		if !ok {
			return fmt.Errorf("target %s has no module for role %q", s.target.Name, role)
		}
		s.SetProcess(name, module)
		return nil
	})

	sc.Step(`^wallet "([^"]*)" sets "([^"]*)" of "([^"]*)" to (\d+) times "([^"]+)"$`, func(w, field, profile string, n int, unit string) error {
		body, _ := json.Marshal(map[string]any{field: strings.Repeat(unit, n)})
		_, err := s.Send(w, profile, "UpdateProfile", string(body), nil)
		return err
	})
	sc.Step(`^wallet "([^"]*)" sends a message of (\d+) times "([^"]+)" to "([^"]*)"$`, func(w string, n int, unit, session string) error {
		u, err := unescape(unit)
		if err != nil {
			return err
		}
		body, _ := json.Marshal(map[string]any{"content": strings.Repeat(u, n)})
		_, err = s.Send(w, session, "SendMessage", string(body), nil)
		return err
	})
	sc.Step(`^"([^"]*)" creates a DM "([^"]*)" with the profile registered as "([^"]*)" on "([^"]*)"$`, func(profile, name, domain, registry string) error {
		obj, err := s.readObject(registry, "QueryDomain", domain)
		if err != nil {
			return err
		}
		pid, ok := obj["pid"].(string)
		if !ok {
			return fmt.Errorf("%s has no pid for %q: %s", registry, domain, jsonOf(obj))
		}
		s.SetProcess("registered:"+domain, pid)
		return createSession(profile, name, "dm", "registered:"+domain, "")
	})

	// Reading a profile.
	sc.Step(`^the profile of "([^"]*)" includes:$`, func(profile string, doc *godog.DocString) error {
		want := s.Expand(doc.Content)
		obj, err := s.readObject(profile, "GetProfile", "", expectedFields(want)...)
		if err != nil {
			return err
		}
		return JSONIncludes(jsonOf(obj), want)
	})
	sc.Step(`^the profile of "([^"]*)" has no field "([^"]*)"$`, func(profile, field string) error {
		obj, err := s.readObject(profile, "GetProfile", "")
		if err != nil {
			return err
		}
		if v, ok := obj[field]; ok {
			return fmt.Errorf("profile %s has %s = %s, want no such field", profile, field, jsonOf(v))
		}
		return nil
	})
	sc.Step(`^the contacts of "([^"]*)" are (.+)$`, func(profile, list string) error {
		obj, err := s.readObject(profile, "GetContacts", "", "contacts")
		if err != nil {
			return err
		}
		items, ok := obj["contacts"].([]any)
		if !ok {
			return fmt.Errorf("GetContacts has no contacts list: %s", jsonOf(obj))
		}
		var got []string
		for _, it := range items {
			c, _ := it.(map[string]any)
			pid, _ := c["pid"].(string)
			got = append(got, pid)
		}
		var want []string
		if list != "none" {
			for _, f := range strings.Split(list, ",") {
				id, err := s.Resolve(strings.TrimSpace(f))
				if err != nil {
					return err
				}
				want = append(want, id)
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			return fmt.Errorf("contacts are %v, want %v (%s)", got, want, list)
		}
		return nil
	})
	sc.Step(`^wallet "([^"]*)" adds (\d+) contacts to "([^"]*)"$`, func(w string, n int, profile string) error {
		for i := 1; i <= n; i++ {
			pid, _ := s.ID(fmt.Sprintf("contact-%d", i))
			body, _ := json.Marshal(map[string]any{"pid": pid})
			if _, err := s.Send(w, profile, "AddContact", string(body), nil); err != nil {
				return err
			}
			if _, err := s.Success(); err != nil {
				return setup("MIP02-CON-1", s.lastTarget(), fmt.Errorf("contact %d: %w", i, err))
			}
		}
		return nil
	})

	// The chat list.
	sc.Step(`^the chat list of "([^"]*)" shows (\d+) sessions?(?: with (\d+) unread)?$`, func(profile string, n int, unread string) error {
		sessions, total, err := s.chatList(profile)
		if err != nil {
			return err
		}
		if len(sessions) != n {
			return fmt.Errorf("chat list of %s shows %d sessions, want %d: %s", profile, len(sessions), n, jsonOf(sessions))
		}
		if unread != "" && strconv.Itoa(total) != unread {
			return fmt.Errorf("chat list of %s shows %d unread, want %s: %s", profile, total, unread, jsonOf(sessions))
		}
		return nil
	})
	sc.Step(`^the chat list of "([^"]*)" shows "([^"]*)" with (\d+) unread$`, func(profile, session string, unread int) error {
		e, err := s.chatEntry(profile, session)
		if err != nil {
			return err
		}
		if e == nil {
			return fmt.Errorf("chat list of %s does not show %s", profile, session)
		}
		return JSONEqual(jsonOf(e["unread"]), strconv.Itoa(unread))
	})
	sc.Step(`^the chat list of "([^"]*)" shows "([^"]*)" with:$`, func(profile, session string, doc *godog.DocString) error {
		e, err := s.chatEntry(profile, session)
		if err != nil {
			return err
		}
		if e == nil {
			return fmt.Errorf("chat list of %s does not show %s", profile, session)
		}
		return JSONIncludes(jsonOf(e), s.Expand(doc.Content))
	})
	// The setup of a scenario whose participants are profiles: each has
	// taken the session's creation notice. Without it the profiles refuse
	// every command about the session, which says nothing of what the
	// scenario checks.
	sc.Step(`^the chat lists of "([^"]*)" show "([^"]*)"$`, func(profiles, session string) error {
		for _, f := range strings.Split(profiles, ",") {
			profile := strings.TrimSpace(f)
			e, err := s.chatEntry(profile, session)
			if err != nil {
				return err
			}
			if e == nil {
				return fmt.Errorf("chat list of %s does not show %s: the profile did not take the session's Session-Created notice", profile, session)
			}
		}
		return nil
	})
	sc.Step(`^the chat list of "([^"]*)" does not show "([^"]*)"$`, func(profile, session string) error {
		e, err := s.chatEntry(profile, session)
		if err != nil {
			return err
		}
		if e != nil {
			return fmt.Errorf("chat list of %s shows %s, want it absent: %s", profile, session, jsonOf(e))
		}
		return nil
	})
	sc.Step(`^the chat list of "([^"]*)" lists (.+) in session id order$`, func(profile, list string) error {
		return s.chatListOrder(profile, list, true)
	})
	sc.Step(`^the chat list of "([^"]*)" lists (.+) in that order$`, func(profile, list string) error {
		return s.chatListOrder(profile, list, false)
	})
}

// ownerOperation is the requirement of each operation an owner asks its
// profile for: what a step that needs the operation to succeed depends on.
var ownerOperation = map[string]string{
	"CreateSession":    "MIP02-SES-2",
	"SendChatMessage":  "MIP02-MSG-1",
	"SessionCommand":   "MIP02-MSG-2",
	"MarkRead":         "MIP02-READ-1",
	"AddSessionModule": "MIP02-TRUST-4",
}

// chatList reads a profile's chat list: its entries and the unread total.
func (s *Scenario) chatList(profile string) ([]map[string]any, int, error) {
	obj, err := s.readObject(profile, "GetChatList", "", "sessions", "unread")
	if err != nil {
		return nil, 0, err
	}
	items, ok := obj["sessions"].([]any)
	if !ok {
		return nil, 0, fmt.Errorf("GetChatList has no sessions list: %s", jsonOf(obj))
	}
	var out []map[string]any
	for _, it := range items {
		e, ok := it.(map[string]any)
		if !ok {
			return nil, 0, fmt.Errorf("a chat list entry is not an object: %s", jsonOf(it))
		}
		out = append(out, e)
	}
	n, ok := obj["unread"].(json.Number)
	if !ok {
		return nil, 0, fmt.Errorf("GetChatList has no unread total: %s", jsonOf(obj))
	}
	total, err := strconv.Atoi(n.String())
	if err != nil {
		return nil, 0, fmt.Errorf("unread total %s is not an integer", n)
	}
	return out, total, nil
}

// chatEntry returns the chat list entry of the named session, or nil.
func (s *Scenario) chatEntry(profile, session string) (map[string]any, error) {
	sessions, _, err := s.chatList(profile)
	if err != nil {
		return nil, err
	}
	sid, err := s.Resolve(session)
	if err != nil {
		return nil, err
	}
	for _, e := range sessions {
		if e["session"] == sid {
			return e, nil
		}
	}
	return nil, nil
}

// chatListOrder checks that a profile's chat list holds exactly the named
// sessions, in the order given, or in ascending id order when byID.
func (s *Scenario) chatListOrder(profile, list string, byID bool) error {
	sessions, _, err := s.chatList(profile)
	if err != nil {
		return err
	}
	var got, want []string
	for _, e := range sessions {
		id, _ := e["session"].(string)
		got = append(got, id)
	}
	for _, f := range strings.Split(list, ",") {
		id, err := s.Resolve(strings.TrimSpace(f))
		if err != nil {
			return err
		}
		want = append(want, id)
	}
	order := list
	if byID {
		sort.Strings(want)
		order = list + " by id, ascending"
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		return fmt.Errorf("chat list of %s is %v, want %v (%s)", profile, got, want, order)
	}
	return nil
}
