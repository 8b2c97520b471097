package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"pgregory.net/rapid"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/models/proto"
	"github.com/mostao/conformance/roles"
)

// system is the model side of one property: it predicts what the processes
// of a sequence reply to each request.
type system interface {
	// spawned tells the model a process of the sequence exists (its id and
	// the time of its spawn message) and returns the notices its spawn
	// must send.
	spawned(p Process, pid, owner string, participants []string, tags adapters.Tags, at int64) []proto.Reply
	// predict returns the outcome the spec requires for req sent to the
	// process named to, received at now. A send (readOnly false) changes
	// the model; a dryrun never does.
	predict(to string, req proto.Request, now int64, readOnly bool) proto.Outcome
}

// predicted is what the model said for one step, kept as it was and
// written as expectations only when a failure is reported.
type predicted struct {
	replies []proto.Reply
	from    string
}

// expectations writes the model's predictions of every step so far with
// <name> placeholders.
func (r *runner) expectations() [][]Expected {
	out := make([][]Expected, len(r.predicted))
	for i, p := range r.predicted {
		out[i] = make([]Expected, len(p.replies))
		for j, rep := range p.replies {
			out[i][j] = r.expectation(rep, p.from)
		}
	}
	return out
}

// tracedSystem is a system whose predictions need what the network
// assigned along the way (the id of a spawned process, the time a message
// reached another process), read from the trace of the request.
type tracedSystem interface {
	predictTraced(to string, req proto.Request, now int64, tr adapters.Trace) proto.Outcome
}

func hasSpoof(m adapters.Message) bool {
	fp, ok := m.Tags.Get("From-Process")
	return ok && fp != m.From
}

// errSuite marks an error of the suite or the world, not of the target
// (the property could not run).
type errSuite struct{ err error }

func (e errSuite) Error() string { return e.err.Error() }
func (e errSuite) Unwrap() error { return e.err }

// runner plays a sequence against one fresh world and one model, step by
// step, the way steps.Scenario plays a Gherkin scenario (same name
// resolution, same Reference numbering), so that an exported scenario
// replays exactly what the property did.
type runner struct {
	ctx context.Context
	// timeout bounds each world call (Config.CallTimeout): past it the
	// call is a suite error, not a verdict.
	timeout   time.Duration
	target    adapters.Target
	world     adapters.World
	sys       system
	seq       Sequence
	wallets   map[string]string // name -> address, filled as the scenario would
	processes map[string]string // name -> process id
	names     map[string]string // id -> name, for printing ids as <name>
	refs      int
	exchanges []adapters.Exchange
	predicted []predicted
	// spawnExpected are the notices the spawns had to send.
	spawnExpected []Expected
	// blame holds the requirement IDs of the last request that was not a
	// state check: a check that diverges blames the write before it.
	blame []string
	// checked counts, per requirement ID, the requests whose reply was
	// compared against the model on that requirement.
	checked map[string]int
	// onDivergence and onSuiteError are told, before the sequence stops.
	onDivergence func(*Divergence)
	onSuiteError func(error)
}

func newRunner(ctx context.Context, target adapters.Target, seq Sequence, timeout time.Duration) (*runner, error) {
	if target.NewWorld == nil {
		return nil, errSuite{fmt.Errorf("target %q has no world", target.Name)}
	}
	w, err := target.NewWorld()
	if err != nil {
		return nil, errSuite{fmt.Errorf("making a world for %s: %w", target.Name, err)}
	}
	r := &runner{ctx: ctx, timeout: adapters.CallTimeout(timeout), target: target, world: w, seq: seq,
		wallets: map[string]string{}, processes: map[string]string{}, names: map[string]string{},
		checked: map[string]int{}, onDivergence: func(*Divergence) {}, onSuiteError: func(error) {}}
	r.seq.Steps = nil
	return r, nil
}

// start spawns the sequence's processes and makes its wallets. A
// divergence here (wrong spawn notices) is returned like a step's.
func (r *runner) start() (*Divergence, error) {
	if a, ok := r.sys.(interface{ attach(*runner) }); ok {
		a.attach(r)
	}
	for _, p := range r.seq.Processes {
		if d, err := r.spawn(p); err != nil || d != nil {
			return d, err
		}
	}
	for _, w := range r.seq.Wallets {
		if _, err := r.wallet(w); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

func (r *runner) close() {
	if r.world != nil {
		r.world.Close()
		r.world = nil
	}
}

func (r *runner) wallet(name string) (string, error) {
	if a, ok := r.wallets[name]; ok {
		return a, nil
	}
	a, err := r.world.Wallet(name)
	if err != nil {
		return "", errSuite{fmt.Errorf("wallet %q: %w", name, err)}
	}
	r.wallets[name] = a
	r.names[a] = name
	return a, nil
}

// spawn starts one process the way the Gherkin steps do: a role's process
// owned by a wallet, or (for a session) a session spawned by a wallet with
// the given wallets as the other participants.
func (r *runner) spawn(p Process) (*Divergence, error) {
	module, ok := r.target.Modules[p.Role]
	if !ok {
		return nil, errSuite{fmt.Errorf("target %s has no module for role %q", r.target.Name, p.Role)}
	}
	from, err := r.wallet(p.Owner)
	if err != nil {
		return nil, err
	}
	req := adapters.SpawnRequest{Module: module, From: from}
	var participants []string
	switch {
	case p.Role == roles.Session:
		participants = []string{from}
		for _, w := range p.With {
			a, err := r.wallet(w)
			if err != nil {
				return nil, err
			}
			participants = append(participants, a)
		}
		body, _ := json.Marshal(map[string]any{"type": p.Kind, "participants": participants})
		req.Data = string(body)
	case p.Role == roles.Profile:
		if session, ok := r.target.Modules[roles.Session]; ok {
			req.Tags = adapters.Tags{{Name: "Session-Module", Value: session}}
		}
	}
	before := len(r.world.Trace().ToWallets)
	ctx, cancel := context.WithTimeout(r.ctx, r.timeout)
	defer cancel()
	pid, err := r.world.Spawn(ctx, req)
	r.exchanges = append(r.exchanges, adapters.Exchange{Kind: "spawn", Request: adapters.Message{From: from, Target: pid, Data: req.Data, Tags: append(adapters.Tags{{Name: "Module", Value: module}}, req.Tags...)}})
	if err != nil {
		if isSuiteError(err) || r.ctx.Err() != nil {
			return nil, errSuite{fmt.Errorf("spawning %s process %q: %w", p.Role, p.Name, err)}
		}
		// The target's own process failed to start (its source does not
		// compile, its spawn handler errors or loops): a verdict, not an
		// error of the suite.
		return &Divergence{Step: -1, Requirements: []string{proto.ReqNoCrash},
			Expected: fmt.Sprintf("the %s process %s starts", p.Role, p.Name),
			Got:      fmt.Sprintf("spawning it failed: %v", err)}, nil
	}
	r.processes[p.Name] = pid
	r.names[pid] = p.Name
	all := r.world.Trace()
	var at int64
	for _, d := range all.Deliveries {
		if d.Message.Target == pid {
			at = d.Message.Timestamp
			break
		}
	}
	want := r.sys.spawned(p, pid, from, participants, req.Tags, at)
	got := all.ToWallets[min(before, len(all.ToWallets)):]
	for _, n := range want {
		r.spawnExpected = append(r.spawnExpected, r.expectation(n, from))
	}
	ex := adapters.Exchange{Kind: "spawn", Request: adapters.Message{From: from, Target: pid}, Trace: &adapters.Trace{ToWallets: got}}
	if d := compare(ex, from, proto.Outcome{Replies: want, Requirements: []string{"MIP03-INIT-2"}}); d != nil {
		if p.Role == roles.Session && len(got) == 0 && r.refusedSpawn(pid) {
			// No notice because no session: the spawn's rule broke, not
			// the notices' (the steps tell it the same way).
			d.Requirements = append([]string{"MIP03-INIT-1"}, d.Requirements...)
		}
		d.Step = -1
		d.Expected, d.Got = r.template(d.Expected), r.template(d.Got)
		d.Sent = r.sent(ex, "")
		return d, nil
	}
	if p.Role == roles.Session {
		r.checked["MIP03-INIT-2"]++ // the notices of a session's creation
	}
	return nil, nil
}

// refusedSpawn says whether the session pid, which sent no notice at its
// valid spawn, answers GetSessionInfo with NotFound: it did not take the
// spawn (MIP03-INIT-1). The dryrun is not one of the sequence's requests.
func (r *runner) refusedSpawn(pid string) bool {
	ctx, cancel := context.WithTimeout(r.ctx, r.timeout)
	defer cancel()
	res, err := r.world.DryRun(ctx, adapters.Message{From: r.resolve("observer"), Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "GetSessionInfo"}}})
	if err != nil {
		return false
	}
	for _, m := range res.Messages {
		if m.Action() == "GetSessionInfo-Error" && m.Tags.Value("Error") == "NotFound" {
			return true
		}
	}
	return false
}

// resolve mirrors steps.Scenario.Resolve: a process, then a wallet already
// used, else a fixed id derived from the name (which an exported scenario
// writes as the placeholder <name>, as the steps require).
func (r *runner) resolve(name string) string {
	name = strings.TrimSuffix(strings.TrimPrefix(name, "<"), ">")
	if of, ok := strings.CutPrefix(name, "upper:"); ok {
		// The id of a wallet or process in upper case: another address,
		// which the target must not take for it (MIP00-ID-2). Steps read
		// the same form.
		id := strings.ToUpper(r.resolve(of))
		r.names[id] = name
		return id
	}
	if p, ok := r.processes[name]; ok {
		return p
	}
	if a, ok := r.wallets[name]; ok {
		return a
	}
	id := adapters.DeterministicID("mostao-name:" + name)
	if _, known := r.names[id]; !known {
		r.names[id] = name
	}
	return id
}

var aliasRef = regexp.MustCompile(`<([A-Za-z0-9_.:-]+)>`)

func (r *runner) expand(text string) string {
	return aliasRef.ReplaceAllStringFunc(text, r.resolve)
}

// template replaces every id the run knows by its <name>, for printing
// expectations the way a scenario writes them.
func (r *runner) template(text string) string {
	for id, name := range r.names {
		if strings.Contains(text, id) {
			text = strings.ReplaceAll(text, id, "<"+name+">")
		}
	}
	return text
}

func (r *runner) expectation(rep proto.Reply, from string) Expected {
	target := rep.Target
	if target == "" {
		target = from
	}
	name := r.names[target]
	if name == "" {
		name = target
	}
	return Expected{Target: name, Action: rep.Action, Error: rep.Error, Data: r.template(rep.DataJSON()), Notice: rep.Target != ""}
}

// exec runs one step on the world and the model and compares them. It
// returns the divergence, if any; an error means the suite could not run.
func (r *runner) exec(s Step) (d *Divergence, err error) {
	defer func() {
		if v := recover(); v != nil {
			e, ok := v.(errSuite)
			if !ok {
				panic(v)
			}
			d, err = nil, e
		}
	}()
	idx := len(r.seq.Steps)
	r.seq.Steps = append(r.seq.Steps, s)
	if _, ok := r.processes[strings.Trim(s.To, "<>")]; !ok {
		return nil, errSuite{fmt.Errorf("step %d targets %q, which is not a process of the sequence", idx+1, s.To)}
	}
	to := r.resolve(s.To)
	ctx, cancel := context.WithTimeout(r.ctx, r.timeout)
	defer cancel()

	var (
		ex      adapters.Exchange
		outcome proto.Outcome
		from    string
		// callErr is the world's error as a value: suite errors are told
		// by type, never by a text an implementation could forge.
		callErr error
	)
	tags := adapters.Tags{}
	if s.Action != "" {
		tags = append(tags, adapters.Tag{Name: "Action", Value: s.Action})
	}
	switch s.Kind {
	case "send":
		var err error
		if from, err = r.wallet(s.From); err != nil {
			return nil, err
		}
		r.refs++
		tags = append(tags, adapters.Tag{Name: "Reference", Value: strconv.Itoa(r.refs)})
		for _, t := range s.Tags {
			tags = append(tags, adapters.Tag{Name: t.Name, Value: r.expand(t.Value)})
		}
		msg := adapters.Message{From: from, Target: to, Data: r.expand(s.Data), Tags: tags}
		tr, err := r.world.Send(ctx, msg)
		ex = adapters.Exchange{Kind: "send", Request: msg, Trace: &tr}
		if callErr = err; err != nil {
			ex.Err = err.Error()
		}
		// The time of the request is an input the network assigns: read it
		// from the delivery before predicting.
		var now int64
		if len(tr.Deliveries) > 0 {
			now = tr.Deliveries[0].Message.Timestamp
		}
		if ts, ok := r.sys.(tracedSystem); ok && !hasSpoof(msg) {
			outcome = ts.predictTraced(s.To, proto.Request{From: msg.From, Action: msg.Action(), Data: msg.Data, Timestamp: now}, now, tr)
		} else {
			outcome = r.predictSend(s.To, msg, now)
		}
	case "dryrun":
		from = r.resolve(s.From)
		for _, t := range s.Tags {
			tags = append(tags, adapters.Tag{Name: t.Name, Value: r.expand(t.Value)})
		}
		msg := adapters.Message{From: from, Target: to, Data: r.expand(s.Data), Tags: tags}
		res, err := r.world.DryRun(ctx, msg)
		ex = adapters.Exchange{Kind: "dryrun", Request: msg, Result: &res}
		if callErr = err; err != nil {
			ex.Err = err.Error()
		}
		outcome = r.sys.predict(s.To, proto.Request{From: from, Action: s.Action, Data: msg.Data}, 0, true)
	default:
		return nil, errSuite{fmt.Errorf("step %d: kind %q is neither send nor dryrun", idx+1, s.Kind)}
	}
	r.exchanges = append(r.exchanges, ex)
	if err := r.ctx.Err(); err != nil {
		return nil, errSuite{err}
	}
	if isSuiteError(callErr) {
		return nil, errSuite{fmt.Errorf("step %d (%s): %w", idx+1, s, callErr)}
	}
	// Replies go to Reply-To when the request names one (MIP00-REP-2).
	replyTo := from
	if s.Kind == "send" {
		replyTo = ex.ReplyTarget()
	}
	r.predicted = append(r.predicted, predicted{replies: outcome.Replies, from: replyTo})
	d = compare(ex, replyTo, outcome)
	for _, id := range checkedBy(s.Kind, outcome) {
		r.checked[id]++
	}
	if s.Check && d != nil && !ownConvention(d) && !d.own {
		// The state the check reads is not the model's: the write before
		// it is to blame. A check that breaks a convention of its own reply
		// (two replies, a crash, the reply's shape), or differs in a field
		// the read itself defines (the name it echoes), is the read's
		// defect, whatever the write did, and keeps its own blame.
		d.Requirements = dedupe(append(append([]string(nil), r.blame...), d.Requirements...))
	}
	if !s.Check {
		r.blame = blameOf(s, outcome)
	}
	if d != nil {
		d.Step = idx
		d.Expected = r.template(d.Expected)
		d.Got = r.template(d.Got)
		d.Sent = r.sent(ex, replyTo)
	}
	return d, nil
}

// checkedBy lists the requirements the comparison of one request checks:
// those of the model's outcome, and the MIP-00 reply conventions that
// compare applies to the replies the model predicted (one reply, its
// target and X-Reference for a send, a success's or an error's shape).
// Every request is checked for not crashing.
func checkedBy(kind string, o proto.Outcome) []string {
	out := append([]string{proto.ReqNoCrash}, o.Requirements...)
	for _, w := range o.Replies {
		if w.Target != "" {
			continue // a notice, not the reply
		}
		out = append(out, proto.ReqOneReply)
		if kind == "send" {
			out = append(out, proto.ReqReplyTarget)
		}
		if w.IsError() {
			out = append(out, proto.ReqErrorShape)
		} else {
			out = append(out, proto.ReqSuccessShape)
		}
	}
	return dedupe(out)
}

// blameOf names the rules a request's effect on the state rests on, for the
// state checks that follow it.
func blameOf(s Step, o proto.Outcome) []string {
	var out []string
	switch {
	case s.Kind == "dryrun":
		out = append(out, proto.ReqDryRunNoChange)
	case len(o.Replies) > 0 && o.Replies[0].IsError():
		out = append(out, proto.ReqAtomic)
	}
	return append(out, o.Requirements...)
}

// predictSend applies the MIP-00 identity rule before the model: a wallet
// that tags its message From-Process with another identity is not trusted
// by the runtime, so no handler runs and nothing is answered.
func (r *runner) predictSend(to string, msg adapters.Message, now int64) proto.Outcome {
	if fp, ok := msg.Tags.Get("From-Process"); ok && fp != msg.From {
		return proto.Silent(proto.ReqIdentity)
	}
	out := r.sys.predict(to, proto.Request{From: msg.From, Action: msg.Action(), Data: msg.Data, Timestamp: now}, now, false)
	if _, ok := msg.Tags.Get("Content-Type"); ok {
		out.Requirements = append(out.Requirements, proto.ReqContentType)
	}
	return out
}

// isSuiteError tells errors of the world's own making (a closed world, an
// unknown wallet, a machine too slow for the run, an engine or transport
// that failed: adapters.IsSuiteError) from those a target causes (a storm, a
// limit), by the sentinel the world wraps: a target chooses its error texts
// and Actions, so a text that merely contains "unknown wallet" is the
// target's. Two more end a sequence here without a verdict: a refusal for
// want of run work (adapters.ErrRunWork, which Check returns for the
// caller's own verdict), a call the target cannot carry out in a way that
// says anything of the implementation (adapters.ErrUntestable, which Check
// returns too: the property is untested), and an unknown process, which a sequence never
// addresses (every step targets a process it spawned).
func isSuiteError(err error) bool {
	return adapters.IsSuiteError(err) || errors.Is(err, adapters.ErrRunWork) || errors.Is(err, adapters.ErrUnknownProcess) || errors.Is(err, adapters.ErrUntestable)
}

// step runs one step inside a rapid property and stops the sequence (with
// t.Fatalf) at a divergence or when the suite cannot go on.
func (r *runner) step(t *rapid.T, s Step) {
	d, err := r.exec(s)
	if err != nil {
		r.onSuiteError(err)
		t.Fatalf("the suite could not run: %v", err)
	}
	if d != nil {
		r.onDivergence(d)
		t.Fatalf("divergence at request %d: expected %s, got %s", d.Step+1, d.Expected, d.Got)
	}
}

// sent writes what the target sent for one exchange as expectations, a
// message to anyone but the requester counting as a notice.
func (r *runner) sent(ex adapters.Exchange, from string) []Expected {
	got, _ := actual(ex)
	out := make([]Expected, 0, len(got))
	for _, m := range got {
		name := r.names[m.Target]
		if name == "" {
			name = m.Target
		}
		out = append(out, Expected{Target: name, Action: m.Action(), Error: m.Tags.Value("Error"), Data: r.template(m.Data), Notice: m.Target != from || !isReplyTo(m, ex)})
	}
	return out
}
