package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/spec"
	"github.com/mostao/conformance/targets"
)

func TestExchangesReadAsASequence(t *testing.T) {
	target := targets.Reference()
	w, err := target.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	alice, _ := w.Wallet("alice")
	deployer, _ := w.Wallet("deployer")
	w.Close()
	pid := adapters.DeterministicID("some process")
	other := adapters.DeterministicID("another process")
	exs := []adapters.Exchange{
		{Kind: "spawn", Request: adapters.Message{From: deployer, Target: pid, Tags: adapters.Tags{{Name: "Module", Value: target.Modules["domain"]}}}},
		{Kind: "send", Request: adapters.Message{From: alice, Target: pid, Data: `{"owner":"` + alice + `"}`, Tags: adapters.Tags{{Name: "Action", Value: "Register"}, {Name: "Reference", Value: "1"}}},
			Trace: &adapters.Trace{
				Deliveries: []adapters.Delivery{
					{Seq: 2, Handled: true, Message: adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Register"}}},
						Result: adapters.Result{Messages: []adapters.Message{
							{Target: alice, Data: "two\nlines", Tags: adapters.Tags{{Name: "Action", Value: "Register-Response"}, {Name: "Data-Protocol", Value: "ao"}}},
							{Target: other, Tags: adapters.Tags{{Name: "Action", Value: "Notice"}}},
						}}},
					{Seq: 3, Handled: true, Message: adapters.Message{From: pid, Target: other, Tags: adapters.Tags{{Name: "Action", Value: "Notice"}}},
						Result: adapters.Result{Error: "boom", ErrorKind: adapters.ErrorHandler}},
				},
				ToWallets: []adapters.Message{{Target: alice}},
			}},
		{Kind: "dryrun", Request: adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "QueryDomain"}}},
			Result: &adapters.Result{}, Err: "world is closed"},
	}
	var buf bytes.Buffer
	writeExchanges(&buf, exs, newLabeler(target, []string{"alice"}), "")
	got := buf.String()
	for _, want := range []string{
		"spawn domain#1(" + pid[:8] + ") by deployer\n",
		"send alice -> domain#1(" + pid[:8] + "): Action=Register Reference=1 Data={\"owner\":\"<alice>\"}\n",
		"  domain#1(" + pid[:8] + ") evaluated it\n",
		"    replies -> alice: Action=Register-Response Data=\"two\\nlines\"\n",
		"    sends -> " + other[:8] + ": Action=Notice\n",
		"  #3 domain#1(" + pid[:8] + ") -> " + other[:8] + ": Action=Notice\n",
		"    error (handler): \"boom\"\n",
		"  => 1 reply to alice\n",
		"dryrun as alice on domain#1(" + pid[:8] + "): Action=QueryDomain\n",
		"  (sent nothing)\n",
		"  world error: world is closed\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Data-Protocol") {
		t.Errorf("protocol tags are noise and must not be printed:\n%s", got)
	}
}

// TestUntestedMUSTsSayWhy: the terminal names each untested MUST with the
// reason its check gave (a precondition the target did not meet), or says
// that no check reached it; an untested MUST never reads as a pass.
func TestUntestedMUSTsSayWhy(t *testing.T) {
	run := reports.Run{Requirements: []reports.Requirement{
		{ID: "MIP02-TRUST-1", MIP: "02", Level: spec.Must, Role: "profile", Verdict: reports.Untested, Checks: []reports.Check{
			{Kind: reports.Scenario, Name: "forged notice", URI: "features/mip02/trust.feature:31", Status: reports.StatusUntested,
				Error: "untested: the session module does not accept Eval from its owner\nmore"}}},
		{ID: "MIP02-GET-1", MIP: "02", Level: spec.Must, Role: "profile", Verdict: reports.Untested},
		{ID: "MIP02-GET-2", MIP: "02", Level: spec.Should, Role: "profile", Verdict: reports.Untested},
	}}
	var b bytes.Buffer
	printUntested(&b, run)
	out := b.String()
	for _, want := range []string{"MIP02-TRUST-1 as the profile: scenario", "does not accept Eval", "MIP02-GET-1 as the profile: no check of this run reached it"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "GET-2") || strings.Contains(out, "more") {
		t.Errorf("a SHOULD or a second line of a reason is printed:\n%s", out)
	}
}
