package models

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/mostao/conformance/models/proto"
	"github.com/mostao/conformance/roles"
	"github.com/mostao/conformance/spec"
)

var (
	catalogueOnce sync.Once
	catalogue     *spec.Catalogue
)

// levelOf returns the level of a requirement ID in the embedded catalogue,
// "MUST" when the catalogue does not know it (a scenario must carry one
// level tag; the coverage test then reports the unknown ID).
func levelOf(id string) string {
	catalogueOnce.Do(func() { catalogue, _ = spec.Load() })
	if catalogue != nil {
		if r, ok := catalogue.Get(id); ok {
			return string(r.Level)
		}
	}
	return string(spec.Must)
}

// ExportGherkin writes a failure as a Gherkin feature holding one scenario,
// tagged @regression, with the level and the requirement ID of the first
// divergence, written with the step sentences of package steps. Committed
// into features/, it keeps the counterexample after the generators change.
// The scenario asserts every reply up to the divergence, so it fails at the
// same request, the same way.
func ExportGherkin(f *Failure) string {
	if f == nil {
		return ""
	}
	var b strings.Builder
	req := proto.ReqOneReply
	if len(f.Divergence.Requirements) > 0 {
		req = f.Divergence.Requirements[0]
	}
	fmt.Fprintf(&b, "@MIP-%s\n", f.Sequence.MIP)
	fmt.Fprintf(&b, "Feature: Regression found by the MIP-%s model (%s, seed %d)\n\n", f.Sequence.MIP, f.Sequence.Property, f.Seed)
	fmt.Fprintf(&b, "  The minimal sequence on which a target and the model disagreed.\n")
	fmt.Fprintf(&b, "  Expected: %s\n", oneLine(f.Divergence.Expected))
	fmt.Fprintf(&b, "  Got: %s\n\n", oneLine(f.Divergence.Got))
	fmt.Fprintf(&b, "  @regression @%s @%s\n", levelOf(req), req)
	fmt.Fprintf(&b, "  Scenario: %s (model %s, seed %d)\n", strings.Join(f.Divergence.Requirements, " "), f.Sequence.Property, f.Seed)
	for i, p := range f.Sequence.Processes {
		kw := "Given"
		if i > 0 {
			kw = "And"
		}
		switch {
		case p.Role == roles.Profile:
			// This form also makes the wallet the profile's owner for the
			// steps that speak through a profile ("creates a DM").
			fmt.Fprintf(&b, "    %s wallet %q has a profile %q\n", kw, p.Owner, p.Name)
		case p.Role == roles.Session && p.Kind != "":
			fmt.Fprintf(&b, "    %s wallet %q spawns a %s session %q with %q\n", kw, p.Owner, p.Kind, p.Name, strings.Join(p.With, ", "))
		case p.Owner == "deployer":
			fmt.Fprintf(&b, "    %s a %s process %q\n", kw, p.Role, p.Name)
		default:
			fmt.Fprintf(&b, "    %s a %s process %q owned by wallet %q\n", kw, p.Role, p.Name, p.Owner)
		}
	}
	for _, w := range f.Sequence.Wallets {
		fmt.Fprintf(&b, "    And a wallet %q\n", w)
	}
	counts := notices{n: map[[2]string]int{}}
	sender := ""
	if len(f.Sequence.Processes) > 0 {
		sender = f.Sequence.Processes[0].Name
	}
	for _, e := range f.SpawnExpectations {
		counts.n[[2]string{e.Target, e.Action}]++
	}
	if f.Divergence.Step < 0 {
		// The notices of the spawns are what diverged: Then steps, so that
		// a failure is the implementation's, not a failed setup.
		counts.write(&b, "Then", sender, f.SpawnExpectations, f.Divergence.Sent)
		return b.String()
	}
	for i, s := range f.Sequence.Steps {
		var exp []Expected
		if i < len(f.Expectations) {
			exp = f.Expectations[i]
		}
		writeRequest(&b, s)
		var replies, sent []Expected
		for _, e := range exp {
			if e.Notice {
				if s.Kind == "send" {
					counts.n[[2]string{e.Target, e.Action}]++
					sent = append(sent, e)
				}
			} else {
				replies = append(replies, e)
			}
		}
		writeExpectations(&b, s, replies, len(sent) > 0 && noticesTo(sent, s.From))
		var extra []Expected
		if i == f.Divergence.Step {
			extra = f.Divergence.Sent
		}
		counts.write(&b, "And", s.To, sent, extra)
		if i == f.Divergence.Step {
			break
		}
	}
	return b.String()
}

// notices counts, per receiver and Action, the notices the model expects a
// scenario's world to hold so far (the count steps count over the whole
// world).
type notices struct{ n map[[2]string]int }

// write asserts the notices of one request: the count of each kind the
// model expected (and of each kind the target sent, at the divergence) and
// the content of the last of each expected kind.
// The first line starts with lead ("Then" right after the Given steps), the
// others with "And".
func (c notices) write(b *strings.Builder, lead, from string, expected, actual []Expected) {
	keyword := func() string {
		k := lead
		lead = "And"
		return k
	}
	seen := map[[2]string]bool{}
	var order [][2]string
	for _, list := range [][]Expected{expected, actual} {
		for _, e := range list {
			k := [2]string{e.Target, e.Action}
			if !e.Notice || seen[k] {
				continue
			}
			seen[k] = true
			order = append(order, k)
		}
	}
	for _, k := range order {
		fmt.Fprintf(b, "    %s %q has received %d %q notices from %q\n", keyword(), k[0], c.n[k], k[1], from)
	}
	last := map[[2]string]Expected{}
	for _, e := range expected {
		last[[2]string{e.Target, e.Action}] = e
	}
	for _, k := range order {
		if e, ok := last[k]; ok {
			fmt.Fprintf(b, "    %s the last %q notice from %q to %q includes:\n", keyword(), k[1], from, k[0])
			docString(b, e.Data)
		}
	}
}

func noticesTo(list []Expected, who string) bool {
	for _, e := range list {
		if e.Target == who {
			return true
		}
	}
	return false
}

func writeRequest(b *strings.Builder, s Step) {
	if s.Creates != "" {
		if line, ok := createLine(s); ok {
			b.WriteString(line)
			return
		}
	}
	var head string
	if s.Kind == "dryrun" {
		head = fmt.Sprintf("    When %q dryruns %q on %q", s.From, s.Action, s.To)
	} else {
		head = fmt.Sprintf("    When wallet %q sends %q to %q", s.From, s.Action, s.To)
	}
	switch {
	case len(s.Tags) > 0:
		// Only the send step with a tag table exists; it takes Data inline.
		fmt.Fprintf(b, "%s with data %s and tags:\n", head, inline(s.Data))
		for _, t := range s.Tags {
			fmt.Fprintf(b, "      | %s | %s |\n", cell(t.Name), cell(t.Value))
		}
	case s.Data == "":
		b.WriteString(head + "\n")
	case docStringSafe(s.Data):
		fmt.Fprintf(b, "%s with data:\n", head)
		docString(b, s.Data)
	default:
		fmt.Fprintf(b, "%s with data %s\n", head, inline(s.Data))
	}
}

// createLine writes a CreateSession that spawned a session with the step
// that names the new session, so later steps can speak of it.
func createLine(s Step) (string, bool) {
	var body struct {
		Type         string   `json:"type"`
		Participants []string `json:"participants"`
		Title        string   `json:"title"`
	}
	if err := json.Unmarshal([]byte(s.Data), &body); err != nil {
		return "", false
	}
	var names []string
	for _, p := range body.Participants {
		m := aliasRef.FindStringSubmatch(p)
		if m == nil || m[0] != p {
			return "", false
		}
		names = append(names, m[1])
	}
	with := strings.Join(names, ", ")
	switch {
	case body.Type == "dm" && len(names) == 1:
		return fmt.Sprintf("    When %q creates a DM %q with %q\n", s.To, s.Creates, with), true
	case body.Type == "group" && body.Title != "":
		return fmt.Sprintf("    When %q creates a group %q titled %q with %q\n", s.To, s.Creates, body.Title, with), true
	case body.Type == "group":
		return fmt.Sprintf("    When %q creates a group %q with %q\n", s.To, s.Creates, with), true
	}
	return "", false
}

// writeExpectations asserts the reply of one request. When the requester
// also gets notices from the same request, it picks the reply out by its
// X-Reference ("the answer ...") rather than by being the only message.
func writeExpectations(b *strings.Builder, s Step, exp []Expected, alsoNotified bool) {
	reply, data := "reply", "reply"
	if alsoNotified {
		reply, data = "answer", "answer"
	}
	switch {
	case len(exp) == 0 && s.Kind == "send":
		fmt.Fprintf(b, "    Then %q sent nothing in the last request\n", s.To)
	case len(exp) == 0:
		// No step asserts a dryrun's silence; no property expects one.
		b.WriteString("    # the model expects no reply to this dryrun\n")
	case len(exp) == 1 && exp[0].Error != "":
		b.WriteString("    Then the reply is an error " + strconv.Quote(exp[0].Error) + "\n")
	case len(exp) == 1:
		fmt.Fprintf(b, "    Then the %s is a success\n", reply)
		fmt.Fprintf(b, "    And the %s data is:\n", data)
		docString(b, exp[0].Data)
	default:
		// No step sentence asserts several replies; the models never
		// predict more than one for a request.
		fmt.Fprintf(b, "    # the model predicted %d replies here\n", len(exp))
	}
	if len(exp) == 1 && s.Kind == "send" && !alsoNotified {
		b.WriteString("    And the reply references the request\n")
	}
	if to, ok := s.Tags.Get("Reply-To"); ok && len(exp) == 1 && s.Kind == "send" {
		fmt.Fprintf(b, "    And the reply goes to %q and not to the sender\n", strings.TrimSuffix(strings.TrimPrefix(to, "<"), ">"))
	}
}

// inline quotes data for a step's "(.*)" argument, which the steps read
// with Go escapes.
func inline(data string) string {
	q := strconv.Quote(data)
	return q
}

func docStringSafe(s string) bool {
	if strings.ContainsAny(s, "\r\n\t") || strings.Contains(s, `"""`) || strings.TrimSpace(s) != s {
		return false
	}
	for _, c := range s {
		if c < 0x20 {
			return false
		}
	}
	return true
}

func docString(b *strings.Builder, s string) {
	b.WriteString("      \"\"\"\n")
	for _, line := range strings.Split(s, "\n") {
		b.WriteString("      " + line + "\n")
	}
	b.WriteString("      \"\"\"\n")
}

func cell(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "|", `\|`, "\n", `\n`)
	return r.Replace(s)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
