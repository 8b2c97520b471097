package processes_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mostao/conformance/models"
	"github.com/mostao/conformance/processes"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// reading is the reference with one point of the spec read another way:
// the way an implementer could have read it before the spec settled it.
type reading struct {
	name string
	role string // steps.RoleProfile or steps.RoleSession
	// edits are pairs of old text (found exactly once in the reference) and
	// the text that takes its place.
	edits [][2]string
	// tag is the requirement whose scenarios judge the reading.
	tag string
}

// ruledOut are readings the spec now rules out (a MUST): the scenarios of
// the requirement must fail each, so the scenario pins the point.
var ruledOut = []reading{
	{"profile-reads-bare-ids", steps.RoleProfile, [][2]string{{
		"  if type(p) == \"table\" and type(p.pid) == \"string\" then\n    return p.pid\n  end\n",
		"  if type(p) == \"string\" then\n    return p\n  end\n  if type(p) == \"table\" and type(p.pid) == \"string\" then\n    return p.pid\n  end\n",
	}}, "MIP02-TRUST-5"},
	{"profile-activity-on-arrival", steps.RoleProfile, [][2]string{{
		"local at = isCount(d.createdAt) and d.createdAt or msg.Timestamp",
		"local at = msg.Timestamp",
	}}, "MIP02-CHAT-6"},
	{"profile-existing-dm-in-session-order", steps.RoleProfile, [][2]string{{
		"participants = all, existing = true",
		"participants = { others[1], ao.id }, existing = true",
	}}, "MIP02-SES-3"},
	{"profile-markread-looks-up-first", steps.RoleProfile, [][2]string{{
		"  if obj.upTo ~= nil and not isCount(obj.upTo) then\n    return fail(msg, op, \"InvalidInput\", \"upTo must be an integer >= 0\")\n  end\n" +
			"  local e = ChatList[obj.session]\n  if not e then\n    return fail(msg, op, \"NotFound\", \"session \" .. obj.session .. \" is not in the chat list\")\n  end\n",
		"  local e = ChatList[obj.session]\n  if not e then\n    return fail(msg, op, \"NotFound\", \"session \" .. obj.session .. \" is not in the chat list\")\n  end\n" +
			"  if obj.upTo ~= nil and not isCount(obj.upTo) then\n    return fail(msg, op, \"InvalidInput\", \"upTo must be an integer >= 0\")\n  end\n",
	}}, "MIP02-CHK-1"},
	{"profile-unknown-session-is-notfound", steps.RoleProfile, [][2]string{{
		"set({ \"session\", \"content\", \"replyTo\" }))\n  if not obj then\n    return fail(msg, op, \"InvalidInput\", err)\n  end\n  if not isId(obj.session) then\n    return fail(msg, op, \"InvalidInput\",",
		"set({ \"session\", \"content\", \"replyTo\" }))\n  if not obj then\n    return fail(msg, op, \"InvalidInput\", err)\n  end\n  if not isId(obj.session) then\n    return fail(msg, op, \"NotFound\",",
	}}, "MIP02-CHK-1"},
	{"profile-re-added-contact-keeps-its-place", steps.RoleProfile, [][2]string{{
		"    table.insert(Contacts, contact)",
		"    FormerPlace = FormerPlace or {}\n    table.insert(Contacts, math.min(FormerPlace[obj.pid] or (#Contacts + 1), #Contacts + 1), contact)",
	}, {
		"  table.remove(Contacts, i)",
		"  FormerPlace = FormerPlace or {}\n  FormerPlace[obj.pid] = i\n  table.remove(Contacts, i)",
	}}, "MIP02-CON-4"},
	{"session-no-session-before-size", steps.RoleSession, [][2]string{{
		"local function oversize(msg, op)\n",
		"local function oversize(msg, op)\n  if not Session then\n    return false\n  end\n",
	}}, "MIP03-INIT-1"},
	{"session-full-before-duplicate", steps.RoleSession, [][2]string{{
		"  if indexOf(obj.pid) then\n    return fail(msg, op, \"InvalidInput\", obj.pid .. \" is already a participant\")\n  end\n" +
			"  if #Session.participants >= MAX_PARTICIPANTS then\n    return fail(msg, op, \"LimitExceeded\", \"a group has at most \" .. MAX_PARTICIPANTS .. \" participants\")\n  end\n",
		"  if #Session.participants >= MAX_PARTICIPANTS then\n    return fail(msg, op, \"LimitExceeded\", \"a group has at most \" .. MAX_PARTICIPANTS .. \" participants\")\n  end\n" +
			"  if indexOf(obj.pid) then\n    return fail(msg, op, \"InvalidInput\", obj.pid .. \" is already a participant\")\n  end\n",
	}}, "MIP03-CHK-1"},
	{"session-white-space-is-malformed", steps.RoleSession, [][2]string{{
		`if type(msg.Data) ~= "string" or string.find(msg.Data, "%S") then`,
		`if type(msg.Data) ~= "string" or msg.Data ~= "" then`,
	}}, "MIP03-GET-1"},
}

// allowed are the other readings of a MAY: a process that takes one must
// pass every MIP-02 and MIP-03 scenario, so the suite accepts both.
var allowed = []reading{
	{"session-ignores-unknown-spawn-fields", steps.RoleSession, [][2]string{{
		`  local d = decodeObject(msg.Data, set({ "type", "participants", "title" }))`,
		"  local ok, d = pcall(json.decode, type(msg.Data) == \"string\" and msg.Data or \"\")\n  if not ok or type(d) ~= \"table\" then\n    d = nil\n  end",
	}}, "MIP03-INIT-4"},
	{"profile-checks-module-and-title-first", steps.RoleProfile, [][2]string{{
		"  local obj, err = decodeObject(msg.Data, set({ \"type\", \"participants\", \"title\" }))\n",
		"  if trustedModules()[1] == nil then\n    return fail(msg, op, \"InvalidInput\", \"this profile was spawned without a Session-Module tag\")\n  end\n" +
			"  local obj, err = decodeObject(msg.Data, set({ \"type\", \"participants\", \"title\" }))\n",
	}, {
		"    if #others + 1 > MAX_GROUP then\n      return fail(msg, op, \"LimitExceeded\", \"a group has at most \" .. MAX_GROUP .. \" participants\")\n    end\n",
		"    if obj.title ~= nil and (type(obj.title) ~= \"string\" or chars(obj.title) < 1) then\n      return fail(msg, op, \"InvalidInput\", \"title must not be empty\")\n    end\n" +
			"    if #others + 1 > MAX_GROUP then\n      return fail(msg, op, \"LimitExceeded\", \"a group has at most \" .. MAX_GROUP .. \" participants\")\n    end\n",
	}}, "MIP02-CHK-2"},
	{"profile-refuses-content-length", steps.RoleProfile, [][2]string{{
		"    return fail(msg, op, \"InvalidInput\", \"content must be a string\")\n  end\n",
		"    return fail(msg, op, \"InvalidInput\", \"content must be a string\")\n  end\n" +
			"  if #obj.content < 1 or #obj.content > 10000 then\n    return fail(msg, op, \"InvalidInput\", \"content must be 1 to 10000 bytes\")\n  end\n",
	}}, "MIP02-MSG-3"},
	{"profile-lists-only-on-its-addition", steps.RoleProfile, [][2]string{{
		"  elseif ChatList[msg.From] == nil then\n    introduce(msg, d)",
		"  elseif ChatList[msg.From] == nil and type(d.change) == \"table\" and d.change.kind == \"added\" and d.change.pid == ao.id then\n    introduce(msg, d)",
	}}, "MIP02-CHAT-7"},
	{"session-notices-before-reply", steps.RoleSession, [][2]string{{
		"  reply(msg, op, { session = ao.id, participants = participantList() })\n  changed(\"added\", obj.pid, nil)",
		"  changed(\"added\", obj.pid, nil)\n  reply(msg, op, { session = ao.id, participants = participantList() })",
	}, {
		"  reply(msg, op, { id = m.id, timestamp = m.timestamp })\n  local notice = json.encode({ session = ao.id, id = m.id, from = m.from, timestamp = m.timestamp })\n" +
			"  for _, p in ipairs(Session.participants) do\n    if p.pid ~= msg.From then\n      notify(p.pid, \"Session-Message\", notice)\n    end\n  end\n",
		"  local notice = json.encode({ session = ao.id, id = m.id, from = m.from, timestamp = m.timestamp })\n" +
			"  for _, p in ipairs(Session.participants) do\n    if p.pid ~= msg.From then\n      notify(p.pid, \"Session-Message\", notice)\n    end\n  end\n" +
			"  reply(msg, op, { id = m.id, timestamp = m.timestamp })\n",
	}}, "MIP03-ORD-1"},
}

// source applies a reading's edits to its reference source.
func (r reading) source(t *testing.T) string {
	t.Helper()
	src := map[string]string{steps.RoleProfile: processes.Profile, steps.RoleSession: processes.Session}[r.role]
	for i, e := range r.edits {
		if n := strings.Count(src, e[0]); n != 1 {
			t.Fatalf("%s: edit %d: its old text occurs %d times in the reference %s, want once (did the reference change?):\n%s", r.name, i+1, n, r.role, e[0])
		}
		src = strings.Replace(src, e[0], e[1], 1)
	}
	return src
}

// TestReferenceReadingsRuledOut runs, for each reading the spec rules out,
// the scenarios of its requirement against the reference so edited: at
// least one must fail. It is the proof that each settled point is pinned by
// a scenario, not only stated.
func TestReferenceReadingsRuledOut(t *testing.T) {
	for _, r := range ruledOut {
		t.Run(r.name, func(t *testing.T) {
			res := runTaggedMIP0203(t, targets.Lua("reading:"+r.name, targets.Sources{r.role: r.source(t)}), "@"+r.tag)
			var failed []string
			for _, sc := range res {
				if sc.Status != steps.StatusPassed {
					failed = append(failed, sc.Name+": "+firstLineMIP0203(sc.Error))
				}
			}
			if len(failed) == 0 {
				t.Fatalf("the reading %s passes every scenario of %s (%d ran): no scenario pins the point", r.name, r.tag, len(res))
			}
			t.Logf("%s fails %d of %d scenarios of %s:\n  %s", r.name, len(failed), len(res), r.tag, strings.Join(failed, "\n  "))
		})
	}
}

// TestReferenceReadingsAllowed runs every MIP-02 and MIP-03 scenario, and
// the model-based properties of the reading's MIP, against the reference
// edited to take the other reading of each MAY: all must pass, and the
// MAY's own scenarios must have run.
func TestReferenceReadingsAllowed(t *testing.T) {
	for _, r := range allowed {
		t.Run(r.name, func(t *testing.T) {
			target := targets.Lua("reading:"+r.name, targets.Sources{r.role: r.source(t)})
			mip := map[string]string{steps.RoleProfile: "02", steps.RoleSession: "03"}[r.role]
			out, err := models.Check(context.Background(), target, mip, models.Config{Checks: 16, Steps: 30})
			if err != nil {
				t.Fatalf("the properties of MIP-%s could not run: %v", mip, err)
			}
			for _, o := range out {
				if o.Failure != nil {
					t.Errorf("the model rejects an allowed reading:\n%s", o.Failure)
				}
			}
			res := runTaggedMIP0203(t, target, "@MIP-02,@MIP-03")
			own := 0
			for _, sc := range res {
				for _, tag := range sc.Tags {
					if tag == r.tag {
						own++
						break
					}
				}
				if sc.Status != steps.StatusPassed {
					t.Errorf("%s (%s): %s at %q: %s", sc.Name, sc.URI, sc.Status, sc.FailedStep, firstLineMIP0203(sc.Error))
				}
			}
			if own == 0 {
				t.Fatalf("no scenario tagged %s ran", r.tag)
			}
		})
	}
}
