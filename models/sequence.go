package models

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mostao/conformance/adapters"
)

// Step is one request of a sequence, written with names rather than ids so
// that it reads well, replays in any world and exports to Gherkin: From and
// To are wallet or process names, and Data may hold <name> placeholders that
// resolve the way the Gherkin steps resolve them (see steps.Scenario.Resolve).
type Step struct {
	// Kind is "send" (a wallet signs and sends) or "dryrun" (From is only
	// claimed).
	Kind   string `json:"kind"`
	From   string `json:"from"`
	To     string `json:"to"`
	Action string `json:"action"`
	Data   string `json:"data"`
	// Tags are added after Action (and, for a send, Reference).
	Tags adapters.Tags `json:"tags,omitempty"`
	// Check marks a query the property added to compare the target's state
	// with the model's after a write.
	Check bool `json:"check,omitempty"`
	// Creates is the name the run gave the session this request made a
	// profile spawn (for the Gherkin export, which names it the same way).
	Creates string `json:"creates,omitempty"`
}

// String renders the step as one readable line.
func (s Step) String() string {
	var b strings.Builder
	if s.Kind == "dryrun" {
		fmt.Fprintf(&b, "dryrun %s on %s claiming From=%s", s.Action, s.To, s.From)
	} else {
		fmt.Fprintf(&b, "%s sends %s to %s", s.From, s.Action, s.To)
	}
	if s.Data != "" {
		fmt.Fprintf(&b, " Data=%s", clip(s.Data, 160))
	}
	for _, t := range s.Tags {
		fmt.Fprintf(&b, " [%s=%s]", t.Name, t.Value)
	}
	if s.Check {
		b.WriteString("   (state check)")
	}
	return b.String()
}

// Process is a process a sequence spawns before its first step.
type Process struct {
	Name  string `json:"name"`
	Role  string `json:"role"`
	Owner string `json:"owner"`
	// Kind ("dm" or "group") and With (the other participants' wallet
	// names) describe a session spawned straight from its owner's wallet.
	Kind string   `json:"kind,omitempty"`
	With []string `json:"with,omitempty"`
}

// Sequence is a replayable run of one property: the processes it starts
// with and its steps.
type Sequence struct {
	MIP       string    `json:"mip"`
	Property  string    `json:"property"`
	Seed      uint64    `json:"seed,omitempty"`
	Processes []Process `json:"processes"`
	// Wallets are made before the first step (so that <name> is their
	// address from the start).
	Wallets []string `json:"wallets,omitempty"`
	Steps   []Step   `json:"steps"`
}

// Expected is one reply the model predicted, written with <name>
// placeholders for ids as they resolved when the step ran.
type Expected struct {
	// Target is the wallet or process name the reply goes to.
	Target string `json:"target"`
	Action string `json:"action"`
	Error  string `json:"error,omitempty"`
	// Data is the JSON the reply must carry (for an error, only its code).
	Data string `json:"data"`
	// Notice is true for a message to someone the process notifies, as
	// opposed to the reply to the requester.
	Notice bool `json:"notice,omitempty"`
}

// Divergence is the first point where the target and the model disagreed.
type Divergence struct {
	// Step is the index in Sequence.Steps of the request that diverged.
	Step int `json:"step"`
	// Requirements are the IDs of the rules broken, the most specific first.
	Requirements []string `json:"requirements"`
	// Expected and Got say, in words, what the model predicted and what the
	// target did.
	Expected string `json:"expected"`
	Got      string `json:"got"`
	// Sent are the messages the target sent for that request, written like
	// expectations (for the Gherkin export to assert on unexpected ones).
	Sent []Expected `json:"sent,omitempty"`
	// own says the divergence lies in what the request itself decides (a
	// reply convention aside): a state check keeps its own blame then.
	own bool
}

// Failure is a property's minimal failing sequence and everything needed to
// understand and reproduce it.
type Failure struct {
	Seed       uint64     `json:"seed"`
	Sequence   Sequence   `json:"sequence"`
	Divergence Divergence `json:"divergence"`
	// Expectations are the model's predictions, one list per step.
	Expectations [][]Expected `json:"expectations"`
	// SpawnExpectations are the notices the spawns had to send.
	SpawnExpectations []Expected `json:"spawnExpectations,omitempty"`
	// Replay is a one-line command that reproduces the failure.
	Replay string `json:"replay"`
	// Exchanges are the requests of the minimal sequence and what came back.
	Exchanges []adapters.Exchange `json:"exchanges,omitempty"`
}

// String prints the failure the way a person reads it: the seed, the
// minimal sequence, the first divergence and the replay command.
func (f *Failure) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "MIP-%s property %q failed (seed %d)\n", f.Sequence.MIP, f.Sequence.Property, f.Seed)
	fmt.Fprintf(&b, "minimal sequence (%d requests):\n", len(f.Sequence.Steps))
	for _, p := range f.Sequence.Processes {
		fmt.Fprintf(&b, "  %s spawns %s process %s", p.Owner, p.Role, p.Name)
		if p.Kind != "" {
			fmt.Fprintf(&b, " (a %s with %s)", p.Kind, strings.Join(p.With, ", "))
		}
		b.WriteString("\n")
	}
	for i, s := range f.Sequence.Steps {
		mark := " "
		if i == f.Divergence.Step {
			mark = ">"
		}
		fmt.Fprintf(&b, " %s%2d. %s\n", mark, i+1, s)
	}
	if f.Divergence.Step < 0 {
		fmt.Fprintf(&b, "first divergence at the spawn (%s):\n", strings.Join(f.Divergence.Requirements, ", "))
	} else {
		fmt.Fprintf(&b, "first divergence at request %d (%s):\n", f.Divergence.Step+1, strings.Join(f.Divergence.Requirements, ", "))
	}
	fmt.Fprintf(&b, "  expected: %s\n", f.Divergence.Expected)
	fmt.Fprintf(&b, "  got:      %s\n", f.Divergence.Got)
	fmt.Fprintf(&b, "replay: %s\n", f.Replay)
	return b.String()
}

// WriteSequence writes the failure as indented JSON, the file that
// ReadSequence and `mostao replay` read back.
func WriteSequence(w io.Writer, f *Failure) error {
	if f == nil {
		return fmt.Errorf("models: no failure to write")
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(f)
}

// ReadSequence reads what WriteSequence wrote (or a bare Sequence) and
// returns its sequence.
func ReadSequence(r io.Reader) (Sequence, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return Sequence{}, fmt.Errorf("models: reading a sequence: %w", err)
	}
	var probe struct {
		Sequence *Sequence `json:"sequence"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return Sequence{}, fmt.Errorf("models: a sequence file is JSON written by WriteSequence: %w", err)
	}
	seq := Sequence{}
	if probe.Sequence != nil {
		seq = *probe.Sequence
	} else if err := json.Unmarshal(raw, &seq); err != nil {
		return Sequence{}, fmt.Errorf("models: reading a sequence: %w", err)
	}
	if seq.MIP == "" || len(seq.Processes) == 0 {
		return Sequence{}, fmt.Errorf("models: the file holds no sequence (it needs a mip, processes and steps)")
	}
	for i, s := range seq.Steps {
		if s.Kind != "send" && s.Kind != "dryrun" {
			return Sequence{}, fmt.Errorf("models: step %d: kind %q is neither send nor dryrun", i+1, s.Kind)
		}
	}
	return seq, nil
}

func clip(s string, n int) string {
	q := fmt.Sprintf("%q", s)
	if len(q) <= n {
		return q
	}
	return q[:n] + fmt.Sprintf("...(%d bytes)", len(s))
}
