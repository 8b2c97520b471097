package models

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mostao/conformance/internal/cputime"
	"github.com/mostao/conformance/processes"
	"github.com/mostao/conformance/processes/broken"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// budget is the property budget of the tests: the full default (1000
// sequences of up to 50 requests per MIP) normally, a fifth of the
// sequences under -short. Check runs exactly the sequences it is given,
// in and out of -short.
func budget() Config {
	if testing.Short() {
		return Config{Checks: 200, Steps: 50}
	}
	return Config{Checks: 1000, Steps: 50}
}

func TestReferenceDomainPasses(t *testing.T) {
	out, err := Check(context.Background(), targets.Reference(), "01", budget())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out {
		if o.Failure != nil {
			t.Fatalf("the reference domain fails the model:\n%s", o.Failure)
		}
		if want := budget().Checks; o.Sequences != want {
			t.Fatalf("%s ran %d sequences, want %d", o.Property, o.Sequences, want)
		}
		t.Logf("%s: %d sequences, %d requests, %d requirements covered", o.Property, o.Sequences, o.Steps, len(o.Covered))
	}
}

// brokenFixtures returns the broken fixtures of a role by file name.
func brokenFixtures(t *testing.T, role string) map[string]string {
	variants, err := broken.ForRole(role)
	if err != nil {
		t.Fatal(err)
	}
	if len(variants) == 0 {
		t.Fatalf("no broken %s variants in processes/broken", role)
	}
	out := map[string]string{}
	for _, v := range variants {
		out[v.Name] = v.Source
	}
	return out
}

// Each broken variant is found, shrunk to at most 4 requests, written out as
// a Gherkin scenario that fails under godog at the same request (and passes
// on the reference), and replays from its file.
func TestBrokenDomainsAreFound(t *testing.T) { testBroken(t, "domain", "01") }

func TestBrokenSessionsAreFound(t *testing.T) { testBroken(t, "session", "03") }

func testBroken(t *testing.T, role, mip string) {
	for file, src := range brokenFixtures(t, role) {
		t.Run(file, func(t *testing.T) { checkBroken(t, file, role, mip, src) })
	}
}

// A profile that never counts unread messages: the chat property finds it
// (no fixture needed: it is the reference with one line changed).
func TestProfileThatNeverCountsUnreadIsFound(t *testing.T) {
	src := strings.Replace(processes.Profile, "e.unreadCount = e.unreadCount + 1", "e.unreadCount = e.unreadCount + 0", 1)
	if src == processes.Profile {
		// A missing anchor would silently drop this check: fail, so that
		// the edit is brought up to date with the reference.
		t.Fatal("the reference profile no longer counts unread with that line: update the edit")
	}
	checkBroken(t, "profile-unread-not-counted", "profile", "02", src)
}

// A profile and a session that answer successes with ao.send to the
// sender, ignoring Reply-To: the properties' Reply-To requests find them
// (the scenarios check Reply-To on the domain only).
func TestProcessesThatIgnoreReplyToAreFound(t *testing.T) {
	reply := `msg.reply({ Action = action .. "-Response", Data = json.encode(data) })`
	toSender := `ao.send({ Target = msg.From, Action = action .. "-Response", Data = json.encode(data), ["X-Reference"] = msg.Reference })`
	for _, c := range []struct{ role, mip, reference string }{
		{"profile", "02", processes.Profile},
		{"session", "03", processes.Session},
	} {
		t.Run(c.role, func(t *testing.T) {
			src := strings.Replace(c.reference, reply, toSender, 1)
			if src == c.reference {
				t.Fatalf("the reference %s no longer answers with %s", c.role, reply)
			}
			checkBroken(t, c.role+"-ignores-reply-to", c.role, c.mip, src)
		})
	}
}

func checkBroken(t *testing.T, file, role, mip, src string) {
	{
		{
			target := targets.Lua("lua:"+file, targets.Sources{role: src})
			// The MIP's properties in turn, up to the first that fails (what
			// Check does, without running the rest once one has failed).
			var o Outcome
			for _, p := range properties[mip] {
				x, err := checkProperty(context.Background(), target, p, budget().withDefaults())
				if err != nil {
					t.Fatal(err)
				}
				if x.Failure != nil {
					o = x
					break
				}
			}
			f := o.Failure
			if f == nil {
				t.Fatalf("%s passed the model; it must not", file)
			}
			t.Logf("\n%s", f)
			if n := len(f.Sequence.Steps); n > 4 {
				t.Errorf("the minimal sequence has %d requests, want at most 4", n)
			}
			if len(o.Failed) == 0 || o.Failed[0] != f.Divergence.Requirements[0] {
				t.Errorf("Failed = %v, want the divergence's requirements %v", o.Failed, f.Divergence.Requirements)
			}

			feature := ExportGherkin(f)
			t.Logf("exported regression scenario:\n%s", feature)
			for _, tag := range []string{"@regression", "@" + f.Divergence.Requirements[0], "@MUST"} {
				if !strings.Contains(feature, tag) {
					t.Errorf("the exported scenario lacks the tag %s:\n%s", tag, feature)
				}
			}
			fsys := fstest.MapFS{"regression.feature": {Data: []byte(feature)}}
			res, err := steps.Run(context.Background(), steps.Options{Target: target, Features: fsys})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Scenarios) != 1 || res.Scenarios[0].Status != steps.StatusFailed {
				t.Fatalf("the exported scenario did not fail on %s: %+v\n%s", file, res.Scenarios, feature)
			}
			if got := requestsBeforeFailure(res.Scenarios[0]); got != f.Divergence.Step+1 {
				t.Errorf("the scenario failed after request %d (%s: %s), the model diverged at request %d\n%s",
					got, res.Scenarios[0].FailedStep, res.Scenarios[0].Error, f.Divergence.Step+1, feature)
			}
			ref, err := steps.Run(context.Background(), steps.Options{Target: targets.Reference(), Features: fsys})
			if err != nil {
				t.Fatal(err)
			}
			if len(ref.Scenarios) != 1 || ref.Scenarios[0].Status != steps.StatusPassed {
				t.Errorf("the exported scenario does not pass on the reference: %+v", ref.Scenarios)
			}

			var buf bytes.Buffer
			if err := WriteSequence(&buf, f); err != nil {
				t.Fatal(err)
			}
			seq, err := ReadSequence(&buf)
			if err != nil {
				t.Fatal(err)
			}
			again, err := Replay(context.Background(), target, seq)
			if err != nil {
				t.Fatal(err)
			}
			if again == nil || again.Divergence.Step != f.Divergence.Step || again.Divergence.Got != f.Divergence.Got {
				t.Errorf("replay gave %v, want the same divergence as\n%s", again, f)
			}
			if clean, err := Replay(context.Background(), targets.Reference(), seq); err != nil || clean != nil {
				t.Errorf("replay on the reference: %v %v", clean, err)
			}
		}
	}
}

// BenchmarkDomainSteps measures generated requests per second against the
// reference domain on the Lua engine, the property's whole loop included
// (generation, the world, the model, the comparison). steps/s is the wall
// rate, with the property's shards on every core; steps/cpu-s divides by
// the CPU time used on all cores, the rate one core would give.
func BenchmarkDomainSteps(b *testing.B) {
	target := targets.Reference()
	total := 0
	cpu, _ := cputime.Used()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := Check(context.Background(), target, "01", Config{Checks: 64, Steps: 50, Seed: uint64(i + 1)})
		if err != nil {
			b.Fatal(err)
		}
		if out[0].Failure != nil {
			b.Fatalf("reference failed:\n%s", out[0].Failure)
		}
		total += out[0].Steps
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "steps/s")
	if now, ok := cputime.Used(); ok {
		b.ReportMetric(float64(total)/(now-cpu).Seconds(), "steps/cpu-s")
	}
}

func TestReferenceSessionPasses(t *testing.T) {
	out, err := Check(context.Background(), targets.Reference(), "03", budget())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out {
		if o.Failure != nil {
			t.Fatalf("the reference session fails the model:\n%s", o.Failure)
		}
		t.Logf("%s: %d sequences, %d requests, %d requirements covered", o.Property, o.Sequences, o.Steps, len(o.Covered))
	}
}

func TestReferenceProfilePasses(t *testing.T) {
	out, err := Check(context.Background(), targets.Reference(), "02", budget())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out {
		if o.Failure != nil {
			t.Fatalf("the reference profile fails the model:\n%s", o.Failure)
		}
		t.Logf("%s: %d sequences, %d requests, %d requirements covered", o.Property, o.Sequences, o.Steps, len(o.Covered))
	}
}

func TestBrokenProfilesAreFound(t *testing.T) { testBroken(t, "profile", "02") }

// A domain that cannot start is a verdict naming the failure, not an error
// of the suite.
func TestDomainThatDoesNotCompileFails(t *testing.T) {
	target := targets.Lua("lua:broken-syntax", targets.Sources{"domain": "Handlers.add(\"Register\", function(msg) msg.reply({Data = 'x'}) -- unclosed\n"})
	out, err := Check(context.Background(), target, "01", Config{Checks: 5, Steps: 5})
	if err != nil {
		t.Fatalf("a target that does not compile is a verdict, got a suite error: %v", err)
	}
	f := out[0].Failure
	if f == nil || f.Divergence.Step != -1 || !strings.Contains(f.Divergence.Got, "spawning it failed") {
		t.Fatalf("want a divergence at the spawn, got %v", f)
	}
	// No request ran to the end: the property vouches for nothing.
	if len(out[0].Covered) != 0 || out[0].Sequences != 0 {
		t.Errorf("a domain that never started: %d sequences, covered %v; want none", out[0].Sequences, out[0].Covered)
	}
	t.Logf("\n%s", f)
}

// A Config runs exactly its number of sequences, under -short too (where
// rapid alone would run a fifth of them, rounded down to none), and every
// requirement it covers was checked by some request.
func TestChecksRunsItsSequencesAndCreditsOnlyWhatRan(t *testing.T) {
	out, err := Check(context.Background(), targets.Reference(), "01", Config{Checks: 3, Steps: 5})
	if err != nil {
		t.Fatal(err)
	}
	o := out[0]
	if o.Failure != nil || o.Sequences != 3 || o.Untested() {
		t.Fatalf("%s: %d sequences (untested %v), failure %v; want 3 passing", o.Property, o.Sequences, o.Untested(), o.Failure)
	}
	if len(o.Covered) != len(o.Checked) {
		t.Errorf("covered %v, checked %v: not the same requirements", o.Covered, o.Checked)
	}
	for _, id := range o.Covered {
		if o.Checked[id] <= 0 {
			t.Errorf("%s is covered but no request checked it", id)
		}
	}
}

// A property whose shards ran no sequence is untested and covers nothing.
func TestNoSequenceCoversNothing(t *testing.T) {
	o, failing, err := combine(domainProperty, []*shard{{checked: map[string]int{}, rec: &recorder{}}, nil})
	if err != nil || failing != nil {
		t.Fatal(err, failing)
	}
	if !o.Untested() || len(o.Covered) != 0 {
		t.Errorf("no sequence ran: untested %v, covered %v; want untested and nothing covered", o.Untested(), o.Covered)
	}
}

func TestReferenceChatPasses(t *testing.T) {
	p, _ := findProperty("02", "profile-chat")
	o, err := checkProperty(context.Background(), targets.Reference(), p, Config{Checks: 100, Steps: 30}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if o.Failure != nil {
		t.Fatalf("the reference fails the chat model:\n%s\n%s", o.Failure, ExportGherkin(o.Failure))
	}
	// The generator must reach the interesting outcomes, not only errors.
	for _, id := range []string{"MIP02-CHAT-1", "MIP02-CHAT-3", "MIP02-CHAT-5", "MIP02-READ-2", "MIP02-SES-3", "MIP03-GRP-6"} {
		found := false
		for _, c := range o.Covered {
			found = found || c == id
		}
		if !found {
			t.Errorf("no sequence reached %s; covered %v", id, o.Covered)
		}
	}
	t.Logf("%s: %d sequences, %d requests", o.Property, o.Sequences, o.Steps)
}
