package steps_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mostao/conformance/processes"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// runOne runs a one-scenario feature against a domain role of the given
// source and returns that scenario's result.
func runOne(t *testing.T, domain, feature string) steps.ScenarioResult {
	t.Helper()
	return runOneAs(t, steps.RoleDomain, domain, feature)
}

// runOneAs runs a one-scenario feature against the given source in a role
// (the reference in the others) and returns that scenario's result.
func runOneAs(t *testing.T, role, source, feature string) steps.ScenarioResult {
	t.Helper()
	target := targets.Lua("lua:test-"+role, targets.Sources{role: source})
	fsys := fstest.MapFS{"t.feature": {Data: []byte(feature)}}
	res, err := steps.Run(context.Background(), steps.Options{Target: target, Features: fsys})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Scenarios) != 1 {
		t.Fatalf("ran %d scenarios, want 1", len(res.Scenarios))
	}
	return res.Scenarios[0]
}

// A process that answers every request with the given Lua reply table.
func answering(reply string) string {
	return `Handlers.add("any", function(msg) return msg.Action ~= nil end, function(msg)
  ` + reply + `
end)
`
}

// Each case is a process that must fail the step: before, each passed it.
func TestStepsRefuseWrongAnswers(t *testing.T) {
	for _, c := range []struct{ name, domain, steps string }{
		{
			// The same error by dryrun and by message is no public read.
			name:   "a read refused alike both ways",
			domain: answering(`msg.reply({ Action = msg.Action .. "-Error", Error = "Unauthorized", Data = '{"code":"Unauthorized","message":"no"}' })`),
			steps: `    Given a domain process "D"
    Then a dryrun and a sent "GetProfile" from wallet "stranger" to "D" give the same reply`,
		},
		{
			// An error answer to a process has the whole MIP-00 shape.
			name:   "an error to a process with the wrong Action and Data",
			domain: answering(`msg.reply({ Action = "Nope-Error", Error = "Unauthorized", Data = "no" })`),
			steps: `    Given a domain process "G"
    And a puppet process "X" owned by wallet "mallory"
    When wallet "mallory" has "X" send "SendMessage" to "G" with data:
      """
      {"content": "spam"}
      """
    Then "G" answered "X" with an error "Unauthorized"`,
		},
		{
			// Something sent back to the sender, even without X-Reference.
			name: "a Reply-To request that also writes to the sender",
			domain: answering(`msg.reply({ Action = msg.Action .. "-Response", Data = "{}" })
  ao.send({ Target = msg.From, Action = msg.Action .. "-Response", Data = "{}" })`),
			steps: `    Given a domain process "D"
    When wallet "bob" sends "QueryDomain" to "D" with data "shop" and tags:
      | Reply-To | <P9> |
    Then the reply goes to "P9" and not to the sender`,
		},
		{
			// What goes to Reply-To must be the reply, not any message.
			name:   "a Reply-To request answered with another Action",
			domain: answering(`msg.reply({ Action = "Something-Else", Data = "{}" })`),
			steps: `    Given a domain process "D"
    When wallet "bob" sends "QueryDomain" to "D" with data "shop" and tags:
      | Reply-To | <P9> |
    Then the reply goes to "P9" and not to the sender`,
		},
		{
			// A domain that unquotes a JSON string answers about the
			// unquoted name.
			name:   "a query of a JSON string answered about the name inside",
			domain: answering(`msg.reply({ Action = msg.Action .. "-Response", Data = '{"name":"shop","registered":false}' })`),
			steps: `    Given a domain process "D"
    When "bob" dryruns "QueryDomain" on "D" with data "\"shop\""
    Then the reply is not about the name "shop"`,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc := runOne(t, c.domain, "Feature: f\n  Scenario: s\n"+c.steps+"\n")
			_, then, _ := strings.Cut(c.steps, "Then ")
			then, _, _ = strings.Cut(then, "\n")
			if sc.Status != steps.StatusFailed || sc.FailedStep != then {
				t.Errorf("status %s at %q, want a failure at %q", sc.Status, sc.FailedStep, then)
			}
			t.Logf("%s: %s", sc.FailedStep, sc.Error)
		})
	}
}

// A name no wallet or process has is an error in a step, so that a typo in
// a negative check ("malory" owns nothing) fails instead of passing on an
// id nobody uses. An id placeholder <name> is the id of no process, and
// the bare name may then stand for it.
func TestUnknownNamesAreErrors(t *testing.T) {
	const background = `Feature: f
  Scenario: s
    Given a domain process "D"
    And wallet "mallory" has registered "shop" to process "P1"
`
	typo := runOne(t, processes.Domain, background+`    Then the domains of "malory" are none
`)
	if typo.Status != steps.StatusFailed || !strings.Contains(typo.Error, `unknown name "malory"`) {
		t.Errorf("a typo in a negative step: %s %q, want a failure naming the unknown name", typo.Status, typo.Error)
	}
	declared := runOne(t, processes.Domain, background+`    Then the domains of "mallory" are "shop"
    And querying "shop" shows owner "mallory" and process "P1"
    When wallet "bob" sends "QueryDomain" to "D" with data "shop" and tags:
      | Reply-To | <P9> |
    Then the reply goes to "P9" and not to the sender
`)
	if declared.Status != steps.StatusPassed {
		t.Errorf("declared names: %s at %q: %s", declared.Status, declared.FailedStep, declared.Error)
	}
}

// The steps that compare reads (before and after a request, or claiming
// several readers) fail on a session whose reads differ: before, each case
// passed them by construction only on the reference.
func TestReadComparisonsSeeADifference(t *testing.T) {
	for _, c := range []struct{ name, session, steps string }{
		{
			// A message that is no request changed what a read shows.
			name: "a silent message that changes the state",
			session: answering(`if msg.Action == "Poke" then
    Pokes = (Pokes or 0) + 1
    return
  end
  msg.reply({ Action = msg.Action .. "-Response", Data = '{"pokes":' .. (Pokes or 0) .. '}' })`),
			steps: `    Given wallet "alice" spawns a dm session "S" with "bob"
    And the reads of "S" are remembered
    When wallet "alice" sends "Poke" to "S"
    Then the reads of "S" are as remembered`,
		},
		{
			// A read that answers each reader about itself is not public.
			name:    "a read that depends on who asks",
			session: answering(`msg.reply({ Action = msg.Action .. "-Response", Data = '{"reader":"' .. msg.From .. '"}' })`),
			steps: `    Given wallet "alice" spawns a dm session "S" with "bob"
    Then "alice" and "mallory" read the same "GetSessionInfo" on "S"`,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc := runOneAs(t, steps.RoleSession, c.session, "Feature: f\n  Scenario: s\n"+c.steps+"\n")
			_, then, _ := strings.Cut(c.steps, "Then ")
			then, _, _ = strings.Cut(then, "\n")
			if sc.Status != steps.StatusFailed || sc.FailedStep != then {
				t.Errorf("status %s at %q, want a failure at %q", sc.Status, sc.FailedStep, then)
			}
			t.Logf("%s: %s", sc.FailedStep, sc.Error)
		})
	}
}

// The precondition that profiles have taken a session's creation notice
// looks at every profile named, not the first alone: a profile left out of
// the group fails it, as a precondition (a Given step).
func TestChatListsPreconditionChecksEveryProfile(t *testing.T) {
	res, err := steps.Run(context.Background(), steps.Options{Target: targets.Reference(), Features: fstest.MapFS{"t.feature": {Data: []byte(`Feature: f
  Scenario: s
    Given wallet "alice" has a profile "PA"
    And wallet "bob" has a profile "PB"
    And wallet "carol" has a profile "PC"
    And "PA" creates a group "G" with "PB"
    And the chat lists of "PA, PB" show "G"
    And the chat lists of "PA, PB, PC" show "G"
`)}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Scenarios) != 1 {
		t.Fatalf("ran %d scenarios, want 1", len(res.Scenarios))
	}
	sc := res.Scenarios[0]
	if sc.Status != steps.StatusPreconditionFailed || sc.FailedStep != `the chat lists of "PA, PB, PC" show "G"` || !strings.Contains(sc.Error, "chat list of PC does not show G") {
		t.Errorf("status %s at %q (%s), want a failed precondition: PC does not show G", sc.Status, sc.FailedStep, sc.Error)
	}
}
