// Package steps binds the Gherkin scenarios of features/ to a target world.
//
// The step definitions speak of wallets, processes and replies; they reach
// the implementation under test only through adapters.World, so the same
// scenarios certify a Lua source, a compiled module or a live process.
package steps

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v34"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/features"
	"github.com/mostao/conformance/roles"
)

// The roles a target fills with its implementation's modules, as the role
// registry (package roles) names them.
const (
	RoleDomain  = roles.Domain
	RoleProfile = roles.Profile
	RoleSession = roles.Session
	// RolePuppet is the suite's own helper process: it sends whatever its
	// owner tells it to, so scenarios can play a hostile process.
	RolePuppet = roles.Puppet
)

// Target is what the scenarios run against; every scenario gets a fresh
// world from it.
type Target = adapters.Target

// Options select and run scenarios.
type Options struct {
	Target Target
	// Features defaults to the embedded features.FS.
	Features fs.FS
	// Paths inside Features; default: every feature.
	Paths []string
	// Tags is a godog tag expression, e.g. "@MIP-01 && ~@wip".
	Tags string
	// Output receives godog's own progress output; default none.
	Output io.Writer
	// Format is godog's formatter name; default "progress" when Output is
	// set, and none otherwise.
	Format string
	// TestingT, when set, runs every scenario as a subtest of it.
	TestingT *testing.T
	// OnScenario, when set, is called after each scenario (for progress).
	OnScenario func(ScenarioResult)
	// CallTimeout bounds each world call; 0 takes
	// adapters.DefaultCallTimeout.
	CallTimeout time.Duration
	// KeepExchanges keeps the exchanges of every scenario in its result,
	// not only of those that did not pass: what compares one run's
	// replies with another's needs them all.
	KeepExchanges bool
	// BoundExchanges, when set, is applied to a scenario's exchanges after
	// OnScenario has seen them and before its result is kept, once per
	// result; order is the result's Order: an implementation may answer
	// with megabytes, and a run of hundreds of scenarios held all of it
	// until the end.
	BoundExchanges func(order int, exs []adapters.Exchange) []adapters.Exchange
	// Parallel is how many scenarios may run at once, each in a world of
	// its own; 0 and 1 run them one at a time. Scenarios that share one
	// world (Engine.CostlyWorlds) and subtests of TestingT always run one
	// at a time. Results come back in the same order either way.
	Parallel int
}

// Status of a scenario or step.
type Status string

// Scenario statuses. Anything but StatusPassed is not a pass.
const (
	StatusPassed    Status = "passed"
	StatusFailed    Status = "failed"
	StatusUndefined Status = "undefined"
	StatusPending   Status = "pending"
	StatusSkipped   Status = "skipped"
	// StatusPreconditionFailed: a Given (setup) step failed; the scenario
	// never reached what it checks. Blamed names what the setup depends on.
	StatusPreconditionFailed Status = "precondition-failed"
	// StatusUntested: a step found that the target cannot meet a
	// precondition of the scenario (an *Unmet); Error says which.
	StatusUntested Status = "untested"
)

// ScenarioResult is the outcome of one scenario.
type ScenarioResult struct {
	Name   string   `json:"name"`
	URI    string   `json:"uri"`
	Tags   []string `json:"tags"`
	Status Status   `json:"status"`
	// Role is the role the scenario exercises (see ScenarioRole).
	Role string `json:"role,omitempty"`
	// Blamed are the requirements its failure is blamed on, with the role
	// that failed each: one, found as the top of blame.go says; every
	// requirement tag only when nothing named one or a step is undefined.
	Blamed []Blame `json:"blamed,omitempty"`
	// Error says why it did not pass.
	Error string `json:"error,omitempty"`
	// FailedStep is the text of the step that failed.
	FailedStep string `json:"failedStep,omitempty"`
	// Steps are the scenario's steps in order, with their outcomes.
	Steps []StepResult `json:"steps"`
	// Exchanges are the messages the scenario sent and what came back.
	Exchanges []adapters.Exchange `json:"exchanges,omitempty"`
	// SuiteError, when set, says the suite could not carry out one of the
	// scenario's world calls (see adapters.IsSuiteError): the scenario's outcome
	// is no verdict, and the run that holds it is a suite error.
	SuiteError string `json:"suiteError,omitempty"`
	// Order is the scenario's place in the run: godog numbers the
	// scenarios (pickles) in the order it runs them one at a time, and
	// results sorted by Order are in that order.
	Order int `json:"-"`
	// pickleID is godog's id of the scenario, which gives Order.
	pickleID string
}

// StepResult is one step of a scenario and how it ended.
type StepResult struct {
	Keyword  string        `json:"keyword"`
	Text     string        `json:"text"`
	Status   Status        `json:"status"`
	Error    string        `json:"error,omitempty"`
	Duration time.Duration `json:"duration"`
	// Blame is what a failed step is blamed on, when something names it.
	Blame *Blame `json:"blame,omitempty"`
	// ExchangesAfter is how many of the scenario's exchanges had been made
	// when the step ended: the exchanges from the previous step's count up
	// to this one are the step's requests.
	ExchangesAfter int `json:"exchangesAfter,omitempty"`
}

// Results of one run, in the order the scenarios run one at a time.
type Results struct {
	Scenarios []ScenarioResult
	// Status is godog's exit status: 0 when every scenario passed.
	Status int
}

// Run runs the selected scenarios against the target with godog in strict
// mode: an undefined or pending step fails its scenario. Every world call
// gets the context of its step, which ctx cancels.
//
// Each scenario gets a fresh world, unless the target's engine says worlds
// are costly (Engine.CostlyWorlds): then the scenarios share one world, each
// spawning processes of its own in it.
func Run(ctx context.Context, opts Options) (res Results, err error) {
	if opts.Target.NewWorld == nil {
		return Results{}, fmt.Errorf("steps: target %q has no world", opts.Target.Name)
	}
	if opts.Target.Engine.CostlyWorlds {
		var done func() error
		opts.Target, done = adapters.Share(opts.Target)
		defer func() {
			if cerr := done(); cerr != nil && err == nil {
				err = fmt.Errorf("steps: closing the shared world of %s: %w", opts.Target.Name, cerr)
			}
		}()
	}
	fsys := opts.Features
	if fsys == nil {
		fsys = features.FS
	}
	paths := opts.Paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	out := opts.Output
	format := opts.Format
	if out == nil {
		out = io.Discard
		if format == "" {
			format = silentFormat
		}
	}
	if format == "" {
		format = "progress"
	}
	parallel := max(opts.Parallel, 1)
	if opts.Target.Engine.CostlyWorlds || opts.TestingT != nil {
		parallel = 1
	}
	// record is called as each scenario ends, from as many goroutines as
	// scenarios run at once: the lock keeps OnScenario's calls apart.
	var mu sync.Mutex
	record := func(r ScenarioResult) {
		mu.Lock()
		defer mu.Unlock()
		if opts.OnScenario != nil {
			opts.OnScenario(r)
		}
		if opts.BoundExchanges != nil {
			r.Exchanges = opts.BoundExchanges(r.Order, r.Exchanges)
		}
		res.Scenarios = append(res.Scenarios, r)
	}
	ann := &annotations{fsys: fsys, files: map[string][]PickleInfo{}}
	suite := godog.TestSuite{
		Name: "mostao",
		ScenarioInitializer: func(sc *godog.ScenarioContext) {
			initScenario(sc, opts, ann, record)
		},
		Options: &godog.Options{
			Format:         format,
			Paths:          paths,
			FS:             fsys,
			Tags:           opts.Tags,
			Output:         out,
			Strict:         true,
			NoColors:       true,
			Concurrency:    parallel,
			TestingT:       opts.TestingT,
			DefaultContext: ctx,
		},
	}
	res.Status = suite.Run()
	slices.SortStableFunc(res.Scenarios, func(a, b ScenarioResult) int { return cmp.Compare(a.Order, b.Order) })
	for _, r := range res.Scenarios {
		if r.Order < 0 {
			return Results{}, fmt.Errorf("steps: scenario %q (%s) has no place in the run order: godog gave it the id %q, not a number", r.Name, r.URI, r.pickleID)
		}
	}
	return res, nil
}

// initScenario registers every step and the hooks that give each scenario a
// fresh world and record its result, with what its failure is blamed on.
func initScenario(sc *godog.ScenarioContext, opts Options, ann *annotations, record func(ScenarioResult)) {
	s := &Scenario{target: opts.Target, timeout: opts.CallTimeout}
	var failedStep, failure string
	var status Status = StatusPassed
	var stepResults []StepResult
	var stepStart time.Time
	var tags []string
	var info *PickleInfo
	var blamed []Blame
	order := -1
	var pickleID string

	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		tags = make([]string, 0, len(p.Tags))
		for _, t := range p.Tags {
			tags = append(tags, strings.TrimPrefix(t.Name, "@"))
		}
		texts := make([]string, len(p.Steps))
		for i, st := range p.Steps {
			texts[i] = st.Text
		}
		info = ann.find(p.Uri, p.Name, texts)
		pickleID = p.Id
		if n, err := strconv.Atoi(p.Id); err == nil && n >= 0 {
			order = n
		}
		s.ctx = ctx
		s.tags = tags
		return ctx, s.start()
	})
	sc.StepContext().Before(func(ctx context.Context, st *godog.Step) (context.Context, error) {
		stepStart = time.Now()
		// The step's world calls run under its context: cancelling the
		// run stops the call in progress.
		s.ctx = ctx
		return ctx, nil
	})
	sc.StepContext().After(func(ctx context.Context, st *godog.Step, st2 godog.StepResultStatus, err error) (context.Context, error) {
		step := StepInfo{Text: st.Text, Type: st.Type}
		if i := len(stepResults); info != nil && i < len(info.Steps) && info.Steps[i].Text == st.Text {
			step = info.Steps[i]
		}
		sr := StepResult{Keyword: keyword(st.Type), Text: st.Text, Status: Status(st2.String()), Duration: time.Since(stepStart),
			ExchangesAfter: len(s.exchanges)}
		if err != nil {
			sr.Error = clipError(err.Error())
		}
		if st2 == godog.StepFailed && err != nil {
			if b, ok := s.resolveBlame(err, step, tags); ok {
				sr.Blame = &b
				sr.Error = b.String() + ": " + sr.Error
			}
		}
		stepResults = append(stepResults, sr)
		if status != StatusPassed {
			return ctx, nil
		}
		var unmet *Unmet
		switch {
		case st2 == godog.StepFailed:
			status, failedStep, failure = StatusFailed, st.Text, sr.Error
			if st.Type == messages.PickleStepType_CONTEXT {
				status = StatusPreconditionFailed
				failure = "precondition failed: " + sr.Error
			}
			if sr.Blame != nil {
				blamed = []Blame{*sr.Blame}
			}
		case st2 == godog.StepSkipped && errors.As(err, &unmet):
			status, failedStep, failure = StatusUntested, st.Text, unmet.Error()
		case st2 == godog.StepUndefined:
			status, failedStep, failure = StatusUndefined, st.Text, "step is not defined"
		case st2 == godog.StepPending:
			status, failedStep, failure = StatusPending, st.Text, "step is pending"
		}
		return ctx, nil
	})
	sc.After(func(ctx context.Context, p *godog.Scenario, err error) (context.Context, error) {
		if err != nil && status == StatusPassed {
			status, failure = StatusFailed, err.Error()
		}
		if s.stopped != nil {
			// The run's work bound was spent before the scenario ended:
			// whatever its steps saw says nothing about the implementation.
			status, failure, blamed = StatusUntested, "untested: "+s.stopped.Error(), nil
		}
		sorted := append([]string(nil), tags...)
		sort.Strings(sorted)
		r := ScenarioResult{
			Name: p.Name, URI: p.Uri, Tags: sorted, Status: status, Role: ScenarioRole(sorted),
			Error: failure, FailedStep: failedStep, Order: order, pickleID: pickleID,
		}
		r.Blamed = blamed
		if len(blamed) == 0 && s.stopped == nil && (status == StatusFailed || status == StatusUndefined || status == StatusPending) {
			// Nothing named the requirement: every tag is blamed, which
			// the features' own test keeps from happening to a failed
			// assertion; an undefined step is the suite's fault, loud.
			for _, t := range sorted {
				if requirementID.MatchString(t) {
					r.Blamed = append(r.Blamed, Blame{Requirement: t, Role: s.defaultRole(t, sorted)})
				}
			}
		}
		r.Steps = stepResults
		if s.suiteErr != nil {
			r.SuiteError = s.suiteErr.Error()
		}
		if status != StatusPassed || opts.KeepExchanges {
			r.Exchanges = s.exchanges
		}
		record(r)
		return ctx, s.close()
	})
	steps := stepContext{sc}
	registerCommon(steps, s)
	for _, register := range registries {
		register(steps, s)
	}
}

// registries are the MIP-specific step sets; each file adds itself in init.
var registries []func(stepContext, *Scenario)

// register adds a MIP-specific step set.
func register(f func(stepContext, *Scenario)) { registries = append(registries, f) }

// keyword gives the Gherkin keyword of a step from its type (the compiled
// scenario keeps the type, not the word: "And" reads as its predecessor's).
func keyword(t messages.PickleStepType) string {
	switch t {
	case messages.PickleStepType_CONTEXT:
		return "Given "
	case messages.PickleStepType_ACTION:
		return "When "
	case messages.PickleStepType_OUTCOME:
		return "Then "
	}
	return "* "
}

// silentFormat is a godog formatter that writes nothing: the suite records
// results itself, and godog's own formatters write every failed step's
// error again at the end, which for an implementation that answers with
// megabytes was most of the run's time.
const silentFormat = "mostao-silent"

func init() {
	godog.Format(silentFormat, "writes nothing (the suite records results)", func(suite string, out io.Writer) godog.Formatter {
		return silentFormatter{godog.NewBaseFmt(suite, out)}
	})
}

type silentFormatter struct{ *godog.BaseFmt }

// Summary writes nothing.
func (silentFormatter) Summary() {}

// maxErrorBytes bounds the text kept of a step's error: it quotes what
// the implementation sent, which may be megabytes, and every report
// holds it.
const maxErrorBytes = 4096

// clipError is an error text bounded to maxErrorBytes, saying how much
// was left out.
func clipError(s string) string {
	if len(s) <= maxErrorBytes {
		return s
	}
	return fmt.Sprintf("%s... (%d bytes left out)", strings.ToValidUTF8(s[:maxErrorBytes], ""), len(s)-maxErrorBytes)
}
