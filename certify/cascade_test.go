package certify

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/processes"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/roles"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// brokenDomain certifies MIP-01 of the reference domain with edits of its
// source (pairs of old and new text; the scenarios only).
func brokenDomain(t *testing.T, edits ...string) reports.Run {
	t.Helper()
	return brokenDomainOn(t, []string{"01"}, edits...)
}

// brokenDomainOn is brokenDomain for the MIPs given.
func brokenDomainOn(t *testing.T, mips []string, edits ...string) reports.Run {
	t.Helper()
	src := processes.Domain
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(src, edits[i]) {
			t.Fatalf("the reference domain has no %q to edit", edits[i])
		}
		src = strings.Replace(src, edits[i], edits[i+1], 1)
	}
	run, err := Run(context.Background(), Config{
		Target: targets.Lua("broken", targets.Sources{steps.RoleDomain: src}),
		MIPs:   mips,
		Date:   fixedDate,
	})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func failingMusts(run reports.Run) []string {
	var out []string
	for _, r := range run.Requirements {
		if r.Verdict == reports.Fail && r.Level == "MUST" {
			out = append(out, r.ID)
		}
	}
	return out
}

// TestOneDefectOneRedLine: a Register that always fails broke, before
// cascades were found, eight MUSTs of the domain: every scenario that
// registers a name on its way to checking something else (the names a
// Register takes, its Data limit, the owner it records, a reply to
// Reply-To) failed its own requirement. Those failures depart from the
// reference where MIP01-REG-1's own scenario does, so they are blamed on
// it, and their requirements are untested; a second defect, which departs
// elsewhere, keeps its own red line.
func TestOneDefectOneRedLine(t *testing.T) {
	registerFails := []string{
		`operation("Register", register)`,
		`operation("Register", function() return nil, failure("InvalidInput", "no") end)`,
	}
	queryFails := []string{
		`operation("QueryDomain", queryDomain)`,
		`operation("QueryDomain", function() return nil, failure("NotFound", "no") end)`,
	}
	cases := []struct {
		name  string
		edits []string
		want  []string
	}{
		{"Register always fails", registerFails, []string{"MIP01-REG-1"}},
		{"and QueryDomain too", append(slices.Clone(registerFails), queryFails...), []string{"MIP01-QRY-2", "MIP01-QRY-3", "MIP01-QRY-4", "MIP01-REG-1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			run := brokenDomain(t, tc.edits...)
			if got := failingMusts(run); !slices.Equal(got, tc.want) {
				t.Fatalf("failing MUSTs %v, want %v; first errors:\n%s", got, tc.want, firstErrors(run, 5))
			}
			cascades := 0
			for _, r := range run.Requirements {
				for _, c := range r.Checks {
					if c.Status != reports.StatusCascade {
						continue
					}
					cascades++
					if len(c.Blamed) != 1 || c.Blamed[0].ID != "MIP01-REG-1" || c.Blamed[0].Role != steps.RoleDomain {
						t.Errorf("cascade %q is blamed on %v", c.Name, c.Blamed)
					}
					if !strings.Contains(c.Error, "the same defect as MIP01-REG-1 (domain)") || !strings.Contains(c.Error, "Register-Error (Error InvalidInput) where the reference's is Register-Response") {
						t.Errorf("cascade %q does not say what it shares: %s", c.Name, c.Error)
					}
				}
			}
			if cascades == 0 {
				t.Error("no check was found to be a cascade")
			}
			// What a cascade took its blame from is untested, never passed.
			verdicts := map[string]reports.Verdict{}
			for _, r := range run.Requirements {
				verdicts[r.ID+" "+r.Role] = r.Verdict
			}
			for _, r := range run.Requirements {
				for _, c := range r.Checks {
					for _, b := range c.Cascaded {
						if v := verdicts[b.ID+" "+b.Role]; v == reports.Pass {
							t.Errorf("%s passes, though the cascade %q took its failure", b, c.Name)
						}
					}
				}
			}
		})
	}
}

// TestAFailedSetupIsBlamedOnTheDefectItShares: a domain that refuses names
// with an underscore answers those Registers as a broken Register would.
// MIP01-REG-1's own scenarios pass, so nothing is a cascade and the names'
// rule fails; and a scenario whose setup registers such a name, which lost
// its precondition to MIP01-REG-1 before, is blamed on the names' rule.
func TestAFailedSetupIsBlamedOnTheDefectItShares(t *testing.T) {
	run := brokenDomain(t, `local function isName(s)`, `local function isName(s)
  if type(s) == "string" and s:find("_", 1, true) then return false end`)
	if got, want := failingMusts(run), []string{"MIP01-NAME-1"}; !slices.Equal(got, want) {
		t.Fatalf("failing MUSTs %v, want %v", got, want)
	}
	moved := 0
	for _, r := range run.Requirements {
		for _, c := range r.Checks {
			if c.Status == reports.StatusPreconditionFailed && strings.Contains(c.Error, "the same defect as MIP01-NAME-1 (domain)") {
				moved++
			}
		}
	}
	if moved == 0 {
		t.Error("no failed setup was blamed on MIP01-NAME-1")
	}
}

func msg(action, data string, tags ...string) adapters.Message {
	m := adapters.Message{Data: data, Tags: adapters.Tags{{Name: "Action", Value: action}}}
	for i := 0; i+1 < len(tags); i += 2 {
		m.Tags = append(m.Tags, adapters.Tag{Name: tags[i], Value: tags[i+1]})
	}
	return m
}

func sent(request adapters.Message, replies ...adapters.Message) adapters.Exchange {
	request.From = "wallet"
	for i := range replies {
		replies[i].Target = "wallet"
	}
	return adapters.Exchange{Kind: "send", Request: request, Trace: &adapters.Trace{
		Deliveries: []adapters.Delivery{{Seq: 1, Message: request}},
		ToWallets:  replies,
	}}
}

// TestDepartureComparesWhatEnginesShare: the first difference from the
// reference is read in the tags and the shape of JSON Data, never in
// strings, which hold ids another engine assigns otherwise.
func TestDepartureComparesWhatEnginesShare(t *testing.T) {
	reg := msg("Register", `{"name":"shop","pid":"P1"}`)
	ok := msg("Register-Response", `{"name":"shop","owner":"A","pid":"P1","n":2,"ok":true,"list":[1,2],"at":1764633600000}`)
	cases := []struct {
		name string
		got  adapters.Message
		want string
	}{
		{"the same", ok, ""},
		{"other ids", msg("Register-Response", `{"name":"shop","owner":"B","pid":"P9","n":2,"ok":true,"list":[1,2],"extra":1,"at":1764633600000}`), ""},
		{"another timestamp", msg("Register-Response", `{"name":"shop","owner":"A","pid":"P1","n":2,"ok":true,"list":[1,2],"at":1764633600001}`), ""},
		{"an error", msg("Register-Error", `{"code":"InvalidInput"}`, "Error", "InvalidInput"), "Register-Error (Error InvalidInput) where the reference's is Register-Response"},
		{"a field missing", msg("Register-Response", `{"name":"shop","owner":"A","n":2,"ok":true,"list":[1,2],"at":1}`), `Register-Response with Data has no field "pid"`},
		{"a number", msg("Register-Response", `{"name":"shop","owner":"A","pid":"P1","n":3,"ok":true,"list":[1,2],"at":1}`), "Register-Response with Data.n is 3 where the reference's is 2"},
		{"a boolean", msg("Register-Response", `{"name":"shop","owner":"A","pid":"P1","n":2,"ok":"yes","list":[1,2],"at":1}`), "Register-Response with Data.ok is a string where the reference's is true"},
		{"a list", msg("Register-Response", `{"name":"shop","owner":"A","pid":"P1","n":2,"ok":true,"list":[1],"at":1}`), "Register-Response with Data.list has 1 items where the reference's has 2"},
		{"not JSON", msg("Register-Response", `shop`), "Register-Response with Data that is not JSON where the reference's is"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := departure([]adapters.Exchange{sent(reg, tc.got)}, []adapters.Exchange{sent(reg, ok)})
			if got != tc.want {
				t.Errorf("departure %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("another number of replies", func(t *testing.T) {
		got, _ := departure([]adapters.Exchange{sent(reg, ok, ok)}, []adapters.Exchange{sent(reg, ok)})
		if want := "a send of Register caused 3 messages where the reference's caused 2"; got != want {
			t.Errorf("departure %q, want %q", got, want)
		}
	})
	t.Run("requests that part ways", func(t *testing.T) {
		other := msg("Renounce", `{"name":"shop"}`)
		bad := msg("Register-Error", `{}`, "Error", "InvalidInput")
		if got, _ := departure([]adapters.Exchange{sent(other, bad)}, []adapters.Exchange{sent(reg, ok)}); got != "" {
			t.Errorf("departure %q of runs that sent different requests", got)
		}
	})
}

// TestACascadeStaysInItsRole: a session whose GetSessionInfo leaves out
// messageCount fails a flow across a profile and the session, whose failure
// is blamed on the profile (MIP02-MSG-1), at the same departure as its own
// scenarios. Their failures are the session's: moving them onto the
// profile, a role this run does not judge, certified the broken session.
func TestACascadeStaysInItsRole(t *testing.T) {
	const line = "    v.messageCount = #Messages\n"
	if !strings.Contains(processes.Session, line) {
		t.Fatalf("the reference session has no %q", line)
	}
	src := strings.Replace(processes.Session, line, "", 1)
	run, err := Run(context.Background(), Config{
		Target: targets.Lua("broken", targets.Sources{steps.RoleSession: src}),
		MIPs:   []string{"03"},
		Date:   fixedDate,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := failingMusts(run); !slices.Contains(got, "MIP03-INFO-1") {
		t.Fatalf("failing MUSTs %v, want MIP03-INFO-1 among them", got)
	}
	for _, r := range run.Requirements {
		for _, c := range r.Checks {
			for _, b := range c.Blamed {
				if c.Status == reports.StatusCascade && b.Role != steps.RoleSession {
					t.Errorf("cascade %q was moved onto %v", c.Name, b)
				}
			}
		}
	}
}

// TestACascadeKeepsItsLevel: a profile that trusts a session module
// without checking it is an id fails MIP00-INP-1 (a MUST) at the same
// departure as MIP02-TRUST-4, a SHOULD that a setup depends on: moving the
// MUST's failure onto the SHOULD left only a warning, and the profile
// certified.
func TestACascadeKeepsItsLevel(t *testing.T) {
	const guard = `  if not isId(obj.module) then
    return fail(msg, op, "InvalidInput", "module must be a 43-character id")
  end
`
	if !strings.Contains(processes.Profile, guard) {
		t.Fatal("the reference profile has no module check to remove")
	}
	src := strings.Replace(processes.Profile, guard, "", 1)
	run, err := Run(context.Background(), Config{
		Target: targets.Lua("broken", targets.Sources{steps.RoleProfile: src}),
		MIPs:   []string{"02"},
		Date:   fixedDate,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := failingMusts(run); !slices.Contains(got, "MIP00-INP-1") {
		t.Fatalf("failing MUSTs %v, want MIP00-INP-1 among them", got)
	}
}

// TestACascadeIsWhereTheFoundationFails: a domain whose Register replies
// without the owner and whose Renounce always answers NotFound. Renounce's
// scenarios first depart from the reference at their setup's Register (no
// owner), which passed, and fail later, at the Renounce: that departure is
// not MIP01-REN-1's, and nothing is moved onto MIP01-REN-1 for it (the
// failures with the owner missing are MIP01-REG-1's, whose own scenario
// fails there).
func TestACascadeIsWhereTheFoundationFails(t *testing.T) {
	run := brokenDomain(t,
		`return { name = req.name, owner = msg.From, pid = req.pid }`, `return { name = req.name, pid = req.pid }`,
		`operation("Renounce", renounce)`, `operation("Renounce", function() return nil, failure("NotFound", "no") end)`)
	got := failingMusts(run)
	for _, want := range []string{"MIP01-REG-1", "MIP01-REN-1"} {
		if !slices.Contains(got, want) {
			t.Errorf("failing MUSTs %v, want %s among them", got, want)
		}
	}
	for _, r := range run.Requirements {
		for _, c := range r.Checks {
			if c.Status == reports.StatusCascade && c.Blamed[0].ID == "MIP01-REN-1" {
				t.Errorf("%q (%v) was moved onto MIP01-REN-1, whose scenarios depart at a setup that passed", c.Name, c.Cascaded)
			}
		}
	}
}

// TestACascadeNeedsARowToGoTo: certifying MIP-00 alone, MIP01-REG-1 has no
// row; failures moved onto it were lost, and a domain whose Register always
// fails lost MUSTs it failed.
func TestACascadeNeedsARowToGoTo(t *testing.T) {
	run := brokenDomainOn(t, []string{"00"}, `operation("Register", register)`,
		`operation("Register", function() return nil, failure("InvalidInput", "no") end)`)
	if run.Summary.OK || !slices.Contains(failingMusts(run), "MIP00-ID-1") {
		t.Fatalf("failing MUSTs %v, want MIP00-ID-1 among them", failingMusts(run))
	}
	for _, r := range run.Requirements {
		for _, c := range r.Checks {
			if c.Status == reports.StatusCascade {
				t.Errorf("%q is a cascade onto %v, which this run does not judge", c.Name, c.Blamed)
			}
		}
	}
}

// TestASessionDefectIsOneRedLine: a session defect that every scenario
// meets is one red line, scenarios and properties together. A session
// that refuses valid spawns (it takes ids of 42 characters) failed 18
// MUSTs, the rule of every request the scenarios then made; it fails
// MIP03-INIT-1, whose setups (a session spawned from a wallet or created
// by a profile) check that the session took its spawn. A session that
// names its count "message_count" failed five (every rule whose check
// reads the count); a reply without a field its read's rule lists fails
// that rule (spec.ShapeRequirement). A GetSessionInfo that always answers
// NotFound failed eight: a read whose Data is ignored always succeeds, so
// its error is its own rule's defect (spec.ReadShape).
func TestASessionDefectIsOneRedLine(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new string
		want     string
	}{
		{"refuses valid spawns", `#s == 43 and`, `#s == 42 and`, "MIP03-INIT-1"},
		{"misnames messageCount", `v.messageCount = #Messages`, `v.message_count = #Messages`, "MIP03-INFO-1"},
		{"GetSessionInfo always NotFound", `  reply(msg, "GetSessionInfo", info(true))`, `  fail(msg, "GetSessionInfo", "NotFound", "gone")`, "MIP03-INFO-1"},
		// The key scanner off by one: fields given as null are refused
		// (MIP03-OPT-1), so a spawn with a null title is refused, and a
		// GetMessages of null fields; neither is the read's defect
		// (a session that never said it was created holds no session),
		// nor the paging rule's (the request leaned on the null rule).
		{"refuses fields given as null", `local j = i + 1`, `local j = i + 0`, "MIP03-OPT-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			oneRedLine(t, steps.RoleSession, tc.old, tc.new, tc.want, "00", "03")
		})
	}
}

// TestAnExtraMessageIsOneReplyTooMany: a domain that sends the requester a
// message of its own beside each QueryDomain's reply by dryrun failed MIP01-REG-1
// through the property (a state check after a Register), not the rule it
// breaks: the requester got a message that is neither the reply nor a
// notice the model predicts, one message too many (MIP00-REP-1).
func TestAnExtraMessageIsOneReplyTooMany(t *testing.T) {
	src := strings.Replace(processes.Domain, "local function queryDomain(msg)\n",
		"local function queryDomain(msg)\n  if msg[\"Read-Only\"] or msg.Tags[\"Read-Only\"] then ao.send({ Target = msg.From, Action = \"X\" }) end\n", 1)
	if src == processes.Domain {
		t.Fatal("the reference domain has no queryDomain to edit")
	}
	run := brokenWithProperties(t, steps.RoleDomain, src, "00", "01")
	if got := failingMusts(run); !slices.Equal(got, []string{"MIP00-REP-1"}) {
		t.Fatalf("failing MUSTs %v, want [MIP00-REP-1]; first errors:\n%s", got, firstErrors(run, 8))
	}
}

// TestAnAnswerToAnUnknownActionIsNotARoutingFault: a domain that answers
// every Action it does not know with an error breaks the rules of unknown
// Actions (MIP00-ACT-1, and ACT-2 for another case of a known one); the
// property blamed its reply to a lowercase "register" on MIP00-REP-2, as if
// a due reply had gone to the wrong place.
func TestAnAnswerToAnUnknownActionIsNotARoutingFault(t *testing.T) {
	src := processes.Domain + `
Handlers.append("all", function() return true end, function(m)
  m.reply({ Action = (m.Action or "") .. "-Error", Error = "InvalidInput", Data = '{"code":"InvalidInput","message":"x"}' })
end)
`
	run := brokenWithProperties(t, steps.RoleDomain, src, "00", "01")
	if got := failingMusts(run); !slices.Equal(got, []string{"MIP00-ACT-1", "MIP00-ACT-2"}) {
		t.Fatalf("failing MUSTs %v, want [MIP00-ACT-1 MIP00-ACT-2]; first errors:\n%s", got, firstErrors(run, 8))
	}
}

// brokenWithProperties certifies a role's broken source on the MIPs given,
// scenarios and 20 sequences per property.
func brokenWithProperties(t *testing.T, role, src string, mips ...string) reports.Run {
	t.Helper()
	run, err := Run(context.Background(), Config{
		Target: targets.Lua("broken", targets.Sources{role: src}),
		MIPs:   mips,
		Checks: 20,
		Date:   fixedDate,
	})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// TestADomainReadDefectIsOneRedLine: a domain read's reply without a field
// it holds in every state breaks the rule that defines that reply for the
// state read (MIP01-QRY-1 for a registered name, QRY-2 for a free one,
// GET-1, GET-3 for an owner of no name), and only that: the scenarios and
// the property that read the domain to check a Renounce, a failed Register
// or an owner byte for byte blamed it on their own rules too.
func TestADomainReadDefectIsOneRedLine(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new string
		want     string
	}{
		{"free name without registered", `    return { name = name, registered = false }`, `    return { name = name }`, "MIP01-QRY-2"},
		{"free name without name", `    return { name = name, registered = false }`, `    return { registered = false }`, "MIP01-QRY-2"},
		{"registered name without registered", `  return { name = name, registered = true, owner = record.owner, pid = record.pid }`,
			`  return { name = name, owner = record.owner, pid = record.pid }`, "MIP01-QRY-1"},
		{"no domains for an owner of none", `  return { owner = owner, domains = names }`, `  return { owner = owner, domains = #names > 0 and names or nil }`, "MIP01-GET-3"},
		{"GetDomains without owner", `  return { owner = owner, domains = names }`, `  return { domains = names }`, "MIP01-GET-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			oneRedLine(t, steps.RoleDomain, tc.old, tc.new, tc.want, "00", "01")
		})
	}
}

// oneRedLine certifies the reference source of role with old replaced by
// new (scenarios and properties of mips), and checks that want is the one
// MUST that fails.
func oneRedLine(t *testing.T, role, old, new, want string, mips ...string) {
	t.Helper()
	ref := roles.References()[role]
	if !strings.Contains(ref, old) {
		t.Fatalf("the reference %s has no %q to edit", role, old)
	}
	run := brokenWithProperties(t, role, strings.Replace(ref, old, new, 1), mips...)
	if got := failingMusts(run); !slices.Equal(got, []string{want}) {
		t.Fatalf("failing MUSTs %v, want [%s]; first errors:\n%s", got, want, firstErrors(run, 8))
	}
}
