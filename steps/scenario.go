package steps

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/internal/jsonvalue"
	"github.com/mostao/conformance/roles"
)

// call returns the context of one world call: the step's context (godog's,
// which the run's context cancels) bounded by the run's call timeout, a
// safety net far above what the engine's counted bounds allow a call to
// cost. When it fires, the call gives no verdict and the run is a suite
// error (adapters.IsSuiteError).
func (s *Scenario) call() (context.Context, context.CancelFunc) {
	ctx := s.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	return context.WithTimeout(ctx, adapters.CallTimeout(s.timeout))
}

// noteSuiteError keeps the first suite error of the scenario's world calls,
// and the first call that stops the scenario without a verdict: refused for
// want of run work (adapters.ErrRunWork), or one the target cannot carry
// out in a way that says anything of the implementation
// (adapters.ErrUntestable).
func (s *Scenario) noteSuiteError(err error) {
	if s.suiteErr == nil && adapters.IsSuiteError(err) {
		s.suiteErr = err
	}
	if s.stopped == nil && (errors.Is(err, adapters.ErrRunWork) || errors.Is(err, adapters.ErrUntestable)) {
		s.stopped = err
	}
}

// Scenario is the state of one running scenario: its world, the names it
// gave to wallets and processes, and every exchange so far.
type Scenario struct {
	target Target
	// ctx is the context of the step that runs (godog's step context);
	// timeout bounds each world call (0: adapters.DefaultCallTimeout).
	ctx       context.Context
	timeout   time.Duration
	world     adapters.World
	wallets   map[string]string // name -> address
	processes map[string]string // name -> process id
	free      map[string]bool   // names written as <name> that name no wallet or process
	exchanges []adapters.Exchange
	refs      int
	// suiteErr is the first error of a world call that says the suite, not
	// the implementation, could not go on (see adapters.IsSuiteError).
	suiteErr error
	// stopped is the first world call refused because the run's work bound
	// was spent, or untestable on the target: the scenario did not run to
	// its end, and is untested.
	stopped error
	// tags are the scenario's tags, without "@".
	tags []string
	// before is how much of the world's trace was there when the scenario
	// started: a world shared by the scenarios (Engine.CostlyWorlds) holds
	// the earlier ones' too.
	before adapters.Trace
}

func (s *Scenario) start() error {
	w, err := s.target.NewWorld()
	if err != nil {
		return fmt.Errorf("making a world for %s: %w", s.target.Name, err)
	}
	s.world = w
	s.before = w.Trace()
	s.wallets = map[string]string{}
	s.processes = map[string]string{}
	s.free = map[string]bool{}
	s.exchanges = nil
	s.suiteErr = nil
	s.stopped = nil
	s.refs = 0
	return nil
}

func (s *Scenario) close() error {
	if s.world == nil {
		return nil
	}
	err := s.world.Close()
	s.world = nil
	return err
}

// World returns the scenario's world.
func (s *Scenario) World() adapters.World { return s.world }

// trace is what the world delivered since the scenario started.
func (s *Scenario) trace() adapters.Trace {
	all := s.world.Trace()
	return adapters.Trace{
		Deliveries: all.Deliveries[min(len(s.before.Deliveries), len(all.Deliveries)):],
		ToWallets:  all.ToWallets[min(len(s.before.ToWallets), len(all.ToWallets)):],
		Spawned:    all.Spawned[min(len(s.before.Spawned), len(all.Spawned)):],
	}
}

// Wallet returns the address of the named wallet, creating it on first use.
func (s *Scenario) Wallet(name string) (string, error) {
	if a, ok := s.wallets[name]; ok {
		return a, nil
	}
	a, err := s.world.Wallet(name)
	if err != nil {
		return "", err
	}
	s.wallets[name] = a
	return a, nil
}

// Process returns the id of the named process.
func (s *Scenario) Process(name string) (string, error) {
	if p, ok := s.processes[name]; ok {
		return p, nil
	}
	return "", fmt.Errorf("no process named %q in this scenario (spawn it first)", name)
}

// SetProcess names a process id, for processes created by other processes.
func (s *Scenario) SetProcess(name, pid string) { s.processes[name] = pid }

// Spawn creates a process of the given role owned by the named wallet and
// names it.
func (s *Scenario) Spawn(role, name, owner string, tags adapters.Tags) (string, error) {
	if pid, ok := s.target.Deployed[role]; ok {
		return s.useDeployed(role, name, owner, pid, len(tags) > 0)
	}
	module, ok := s.target.Modules[role]
	if !ok {
		return "", fmt.Errorf("target %s has no module for role %q", s.target.Name, role)
	}
	from, err := s.Wallet(owner)
	if err != nil {
		return "", err
	}
	if role == RoleProfile {
		// A profile learns which module its sessions run from its spawn
		// message (MIP-02), so the suite can point it at the session
		// implementation under test.
		if session, ok := s.target.Modules[RoleSession]; ok {
			tags = append(adapters.Tags{{Name: "Session-Module", Value: session}}, tags...)
		}
	}
	ctx, cancel := s.call()
	defer cancel()
	pid, err := s.world.Spawn(ctx, adapters.SpawnRequest{Module: module, From: from, Tags: tags})
	s.noteSuiteError(err)
	ex := adapters.Exchange{Kind: "spawn", Request: adapters.Message{From: from, Target: pid, Tags: append(adapters.Tags{{Name: "Module", Value: module}}, tags...)}}
	if err != nil {
		ex.Err = err.Error()
		s.exchanges = append(s.exchanges, ex)
		return "", spawnFailure(role, fmt.Errorf("spawning %s process %q: %w", role, name, err))
	}
	s.exchanges = append(s.exchanges, ex)
	s.processes[name] = pid
	return pid, nil
}

// spawnFailure blames a process that could not be spawned (its source does
// not load, its spawn handler fails) on its role: a session learns what it is
// from its spawn (MIP03-INIT-1); any other process must not fail on the
// spawn message, its first input (MIP00-INP-2). The suite's puppet is no
// implementation's.
func spawnFailure(role string, err error) error {
	switch role {
	case RoleSession:
		return &Failure{Requirement: "MIP03-INIT-1", Role: role, Setup: true, Err: err}
	}
	if _, ok := roles.Get(role); ok {
		return &Failure{Requirement: "MIP00-INP-2", Role: role, Setup: true, Err: err}
	}
	return err
}

// Send sends a request from the named wallet to the named process (or any
// id, in <angle brackets> form) with an Action tag, Data and extra tags. Like
// a client library, it adds a Reference tag so replies can be matched.
func (s *Scenario) Send(wallet, target, action, data string, tags adapters.Tags) (adapters.Exchange, error) {
	from, err := s.Wallet(wallet)
	if err != nil {
		return adapters.Exchange{}, err
	}
	to, err := s.Resolve(target)
	if err != nil {
		return adapters.Exchange{}, err
	}
	s.refs++
	all := adapters.Tags{}
	if action != "" {
		all = append(all, adapters.Tag{Name: "Action", Value: action})
	}
	all = append(all, adapters.Tag{Name: "Reference", Value: strconv.Itoa(s.refs)})
	all = append(all, tags...)
	m := adapters.Message{From: from, Target: to, Data: data, Tags: all}
	ctx, cancel := s.call()
	defer cancel()
	tr, err := s.world.Send(ctx, m)
	s.noteSuiteError(err)
	ex := adapters.Exchange{Kind: "send", Request: m, Trace: &tr}
	if err != nil {
		ex.Err = err.Error()
	}
	s.exchanges = append(s.exchanges, ex)
	if err != nil {
		return ex, fmt.Errorf("sending %s to %s: %w", action, target, err)
	}
	return ex, nil
}

// DryRun evaluates a read-only request on the named process, claiming to
// come from the named wallet or process (a dryrun can claim anything).
func (s *Scenario) DryRun(claimed, target, action, data string, tags adapters.Tags) (adapters.Exchange, error) {
	from, err := s.Resolve(claimed)
	if err != nil {
		from, err = s.Wallet(claimed)
		if err != nil {
			return adapters.Exchange{}, err
		}
	}
	to, err := s.Resolve(target)
	if err != nil {
		return adapters.Exchange{}, err
	}
	all := adapters.Tags{}
	if action != "" {
		all = append(all, adapters.Tag{Name: "Action", Value: action})
	}
	all = append(all, tags...)
	m := adapters.Message{From: from, Target: to, Data: data, Tags: all}
	ctx, cancel := s.call()
	defer cancel()
	r, err := s.world.DryRun(ctx, m)
	s.noteSuiteError(err)
	ex := adapters.Exchange{Kind: "dryrun", Request: m, Result: &r}
	if err != nil {
		ex.Err = err.Error()
	}
	s.exchanges = append(s.exchanges, ex)
	if err != nil {
		return ex, fmt.Errorf("dryrun %s on %s: %w", action, target, err)
	}
	return ex, nil
}

// Last returns the latest send or dryrun.
func (s *Scenario) Last() (adapters.Exchange, error) {
	for i := len(s.exchanges) - 1; i >= 0; i-- {
		if s.exchanges[i].Kind != "spawn" {
			return s.exchanges[i], nil
		}
	}
	return adapters.Exchange{}, fmt.Errorf("no request has been made yet")
}

// Reply returns the one reply to the latest request, failing unless there
// is exactly one (MostAO requires exactly one reply per request).
func (s *Scenario) Reply() (adapters.Message, error) {
	ex, err := s.Last()
	if err != nil {
		return adapters.Message{}, err
	}
	return OneReply(ex)
}

// OneReply returns the single reply of an exchange, or an error that says
// what came back instead.
func OneReply(ex adapters.Exchange) (adapters.Message, error) {
	if ex.Err != "" {
		return adapters.Message{}, fmt.Errorf("the %s of %q failed: %s", ex.Kind, ex.Request.Action(), ex.Err)
	}
	replies := ex.Replies()
	if len(replies) > 1 {
		// A requester that takes part in a session also gets its notices;
		// they are not replies (a notice the sender should not get is
		// MIP03-SEND-4's, which its scenarios check), so that one defect
		// is not also blamed on MIP00-REP-1.
		var answers []adapters.Message
		for _, m := range replies {
			if strings.HasPrefix(m.Action(), ex.Request.Action()+"-") {
				answers = append(answers, m)
			}
		}
		if len(answers) == 1 {
			return answers[0], nil
		}
	}
	if len(replies) != 1 {
		return adapters.Message{}, blamef(replyCountRequirement(ex, len(replies)), ex.Request.Target,
			"expected exactly one reply to %s %q, got %d%s%s",
			ex.Kind, ex.Request.Action(), len(replies), describeReplies(replies), describeFailures(ex))
	}
	return replies[0], nil
}

// replyCountRequirement is what a wrong number of replies breaks: silence
// because the evaluation of the request failed (a handler error, a crash, a
// limit) is MIP00-INP-2; any other count but one is MIP00-REP-1.
func replyCountRequirement(ex adapters.Exchange, n int) string {
	if n == 0 && failedProcess(ex) == ex.Request.Target {
		return "MIP00-INP-2"
	}
	return "MIP00-REP-1"
}

// failedProcess is the first process whose evaluation failed in an
// exchange, "" when none did.
func failedProcess(ex adapters.Exchange) string {
	if ex.Result != nil && ex.Result.Failed() {
		return ex.Request.Target
	}
	if ex.Trace != nil {
		for _, d := range ex.Trace.Deliveries {
			if d.Result.Failed() {
				return d.Message.Target
			}
		}
	}
	return ""
}

func describeReplies(ms []adapters.Message) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "\n  reply Action=%s Data=%s", clip(m.Action(), 200), clip(m.Data, 200))
	}
	return b.String()
}

// describeFailures names the evaluations that failed in an exchange, so that
// "no reply" comes with its cause (a handler error, a crash, a limit).
func describeFailures(ex adapters.Exchange) string {
	var b strings.Builder
	if ex.Result != nil && ex.Result.Failed() {
		fmt.Fprintf(&b, "\n  the evaluation failed (%s): %s", ex.Result.ErrorKind, clip(ex.Result.Error, 300))
	}
	if ex.Trace != nil {
		for _, d := range ex.Trace.Deliveries {
			if d.Result.Failed() {
				fmt.Fprintf(&b, "\n  %s on %s failed (%s): %s", d.Message.Action(), short(d.Message.Target), d.Result.ErrorKind, clip(d.Result.Error, 300))
			}
		}
	}
	return b.String()
}

func clip(s string, n int) string {
	if len(s) <= n {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:n]) + fmt.Sprintf("...(%d bytes)", len(s))
}

func short(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

var aliasRef = regexp.MustCompile(`<([A-Za-z0-9_.:-]+)>`)

// Resolve turns a name into an id: the wallet or process of the scenario of
// that name. Any other name must be written as an id placeholder, <name>:
// it is then a fixed 43-character id derived from the name (an id that
// belongs to no process), and the bare name may be used for it afterwards.
// Any other bare name is an error, so that a typo in a step ("malory")
// fails instead of checking an id nobody uses.
//
// <upper:name> is the id of the wallet or process name in upper case: an
// address that differs from it only in case, which ids must not be taken for
// (MIP00-ID-2).
func (s *Scenario) Resolve(name string) (string, error) {
	placeholder := strings.HasPrefix(name, "<") && strings.HasSuffix(name, ">")
	name = strings.TrimSuffix(strings.TrimPrefix(name, "<"), ">")
	if of, ok := strings.CutPrefix(name, "upper:"); ok {
		id, err := s.Resolve(of)
		if err != nil {
			return "", err
		}
		return strings.ToUpper(id), nil
	}
	if p, ok := s.processes[name]; ok {
		return p, nil
	}
	if a, ok := s.wallets[name]; ok {
		return a, nil
	}
	if name == "" {
		return "", fmt.Errorf("empty name")
	}
	if !placeholder && !s.free[name] {
		return "", fmt.Errorf("unknown name %q: no wallet or process of this scenario has it (write <%s> for the id of no process)", name, name)
	}
	s.free[name] = true
	return adapters.DeterministicID("mostao-name:" + name), nil
}

// ID resolves an argument that a step defines as an id that may belong to
// no process (the pid a name is registered to, a generated member): a name
// no wallet or process has is taken as the placeholder <name>.
func (s *Scenario) ID(name string) (string, error) {
	return s.Resolve("<" + strings.TrimSuffix(strings.TrimPrefix(name, "<"), ">") + ">")
}

// Expand replaces every <name> in text with the id Resolve gives it.
func (s *Scenario) Expand(text string) string {
	return aliasRef.ReplaceAllStringFunc(text, func(m string) string {
		id, err := s.Resolve(m)
		if err != nil {
			return m
		}
		return id
	})
}

// ReplyJSON decodes the Data of a reply as exactly one JSON object, numbers
// kept as written; anything after the object makes it no JSON object.
func ReplyJSON(m adapters.Message) (map[string]any, error) {
	v, err := jsonvalue.DecodeObject(m.Data)
	if err != nil {
		return nil, fmt.Errorf("reply %s: Data is not a JSON object (%v): %s", clip(m.Action(), 200), err, clip(m.Data, 200))
	}
	return v, nil
}
