package reports_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/reports/internal/sample"
)

// troubledRun is the failing sample with one more failure whose exchange
// has every kind of trouble: a handler error, a message refused before any
// handler, a spawn, no reply to the sender, a crash in a dryrun and a world
// error.
func troubledRun() reports.Run {
	run := sample.Failing()
	alice, d := adapters.DeterministicID("wallet:alice"), adapters.DeterministicID("process:D")
	child := adapters.DeterministicID("process:child")
	send := adapters.Message{From: alice, Target: d, Data: "x", Tags: adapters.Tags{{Name: "Action", Value: "Transfer"}}}
	push := adapters.Message{From: d, Target: child, Tags: adapters.Tags{{Name: "Action", Value: "Sync"}}}
	check := reports.Check{
		Kind: reports.Property, Name: "domain model agrees with the target", URI: "models/domain",
		Requirements: []string{"MIP01-REG-3"}, Status: "failed", Error: "step 3: the target crashed",
		Names: map[string]string{alice: "alice", d: "D"},
		Exchanges: []adapters.Exchange{
			{Kind: "send", Request: send, Trace: &adapters.Trace{
				Deliveries: []adapters.Delivery{
					{Seq: 1, Message: send, Handled: true, Result: adapters.Result{Error: "attempt to index a nil value", ErrorKind: adapters.ErrorHandler}},
					{Seq: 2, Message: push, Handled: false},
				},
				Spawned: []string{child},
			}},
			{Kind: "dryrun", Request: send, Result: &adapters.Result{Error: "invalid JSON", ErrorKind: adapters.ErrorCrash}},
			{Kind: "send", Request: send, Err: "message limit reached"},
		},
		Reproducer: "mostao certify --seed 7 --property domain",
	}
	for i := range run.Requirements {
		if run.Requirements[i].ID == "MIP01-REG-3" {
			run.Requirements[i].Checks = append(run.Requirements[i].Checks, check)
			run.Requirements[i].Verdict = reports.Fail
		}
	}
	run.Summary = reports.Summarize(run.Requirements)
	return run
}

func TestExchangeTroubleIsShown(t *testing.T) {
	run := troubledRun()
	var md, page bytes.Buffer
	if err := reports.WriteMarkdown(&md, run); err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteHTML(&page, run); err != nil {
		t.Fatal(err)
	}
	short := adapters.DeterministicID("process:child")[:8]
	for _, want := range []string{
		"delivered #1 alice -> D  Action=Transfer",
		"handler error: attempt to index a nil value",
		"(refused before any handler)",
		"spawned " + short,
		"(no reply to the sender)",
		"crash error: invalid JSON",
		"world error: message limit reached",
		"reproduce: mostao certify --seed 7 --property domain",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	for _, want := range []string{
		"handler error: attempt to index a nil value",
		"refused before any handler",
		"no reply to the sender",
		"crash error: invalid JSON",
		"world error: message limit reached",
		`title="` + adapters.DeterministicID("process:child") + `"`,
	} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

// TestLongDataIsClipped: an implementation answering with megabytes does
// not make a report of megabytes.
func TestLongDataIsClipped(t *testing.T) {
	run := sample.Failing()
	big := strings.Repeat("é", 1<<20)
	for i := range run.Requirements {
		for j := range run.Requirements[i].Checks {
			for k := range run.Requirements[i].Checks[j].Exchanges {
				run.Requirements[i].Checks[j].Exchanges[k].Request.Data = big
			}
		}
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"markdown": func(b *bytes.Buffer) error { return reports.WriteMarkdown(b, run) },
		"html":     func(b *bytes.Buffer) error { return reports.WriteHTML(b, run) },
		"junit":    func(b *bytes.Buffer) error { return reports.WriteJUnit(b, run) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		if b.Len() > 200_000 {
			t.Errorf("%s: %d bytes for a run with huge Data; want it clipped", name, b.Len())
		}
		if !strings.Contains(b.String(), "more bytes)") {
			t.Errorf("%s: clipped data must say how much was left out", name)
		}
	}
}
