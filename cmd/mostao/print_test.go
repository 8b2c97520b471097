package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
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
