package steps

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"

	gherkin "github.com/cucumber/gherkin/go/v42"
	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v34"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/roles"
	"github.com/mostao/conformance/spec"
)

// A failed step is blamed on one requirement, found in this order:
//
//  1. the assertion's own requirement: a *Failure error (exactly one reply
//     is MIP00-REP-1, X-Reference MIP00-REP-2, the error shape MIP00-ERR-1,
//     ...), with the role of the process that answered;
//  2. the step's annotation in the feature file, a comment line
//     "# checks <ID>" above it (it holds for the steps after it too, up to
//     the next annotation);
//  3. the requirement the step depends on as a whole, a *Failure marked
//     Setup (a Register that sets the scenario up: MIP01-REG-1);
//  4. for a When or Then step, the scenario's requirement tag when it has
//     exactly one (features/ has a test that no other case is left).
//
// A Given step sets the scenario up: when it fails, the scenario's
// precondition failed; it is blamed on the requirement the setup depends on
// and neither passes nor fails the scenario's own requirements.

// Failure is a failed assertion that names the requirement it checks.
type Failure struct {
	// Requirement is the ID of the requirement the assertion checks.
	Requirement string
	// Role is the role of the process that failed it; when empty, the role
	// of Process.
	Role string
	// Process is the id of the process that answered, to find its role.
	Process string
	// Setup marks the requirement a step depends on as a whole (a Register
	// that sets a scenario up depends on MIP01-REG-1), rather than one an
	// assertion checks: an annotation of the step names the requirement
	// better, and wins over it.
	Setup bool
	Err   error
}

func (f *Failure) Error() string { return f.Err.Error() }
func (f *Failure) Unwrap() error { return f.Err }

// blame makes err a failure of the requirement, unless it already names
// one: the innermost assertion knows best what it checked.
func blame(requirement, process string, err error) error {
	if err == nil {
		return nil
	}
	var f *Failure
	if errors.As(err, &f) {
		return err
	}
	return &Failure{Requirement: requirement, Process: process, Err: err}
}

// setup blames err, unless it already names a requirement, on the
// requirement the step depends on as a whole (see Failure.Setup).
func setup(requirement, process string, err error) error {
	if err == nil {
		return nil
	}
	var f *Failure
	if errors.As(err, &f) {
		return err
	}
	return &Failure{Requirement: requirement, Process: process, Setup: true, Err: err}
}

// foundations are the requirements whose operation a scenario's setup
// needs to succeed (the requirements setup names): a Register, a Renounce,
// a contact added, a session that took its spawn, a chat message sent, and
// each owner operation of a
// profile (ownerOperation).
var foundations = []string{"MIP01-REG-1", "MIP01-REN-1", "MIP02-CON-1", "MIP03-INIT-1", "MIP03-SEND-1", "MIP03-SEND-3"}

// IsFoundation says whether a requirement is one a scenario's setup
// depends on as a whole (see Failure.Setup): when it fails, scenarios
// built on its operation fail with it, and a failure of theirs that is
// the same defect is blamed on it (the certify package compares them).
func IsFoundation(id string) bool {
	if slices.Contains(foundations, id) {
		return true
	}
	for _, req := range ownerOperation {
		if req == id {
			return true
		}
	}
	return false
}

// blamef is blame with a formatted error.
func blamef(requirement, process, format string, args ...any) error {
	return &Failure{Requirement: requirement, Process: process, Err: fmt.Errorf(format, args...)}
}

// Unmet is returned by a step that finds that the target cannot meet a
// precondition of the scenario (a session module without aos Eval, say):
// the scenario is untested, with the reason, rather than failed. It skips
// the rest of the scenario.
type Unmet struct{ Reason string }

func (u *Unmet) Error() string { return "untested: " + u.Reason }

// Unwrap makes godog skip the scenario's remaining steps.
func (u *Unmet) Unwrap() error { return godog.ErrSkip }

// Blame is the requirement a scenario's failure is blamed on, and the role
// (domain, profile, session) whose implementation failed it.
type Blame struct {
	Requirement string `json:"requirement"`
	Role        string `json:"role,omitempty"`
}

// String reads "MIP00-REP-1 (domain)".
func (b Blame) String() string {
	if b.Role == "" {
		return b.Requirement
	}
	return b.Requirement + " (" + b.Role + ")"
}

// mipOf is the MIP of a requirement ID, "01" of "MIP01-REG-3".
func mipOf(id string) string {
	if len(id) >= 5 && strings.HasPrefix(id, "MIP") {
		return id[3:5]
	}
	return ""
}

// requirementID is a requirement tag without "@".
var requirementID = regexp.MustCompile(`^MIP[0-9]{2}-[A-Z]+-[0-9]+$`)

// ScenarioRole is the role a scenario exercises, from its tags (without
// "@"): its role tag (@domain, @profile, @session, which MIP-00 scenarios
// carry), else the roles of its MIP tags, joined by "+" for a flow across
// MIPs; "" when there is none.
func ScenarioRole(tags []string) string {
	var mips []string
	for _, t := range tags {
		if _, ok := roles.Get(t); ok {
			return t
		}
		if m, ok := strings.CutPrefix(t, "MIP-"); ok && roles.OfMIP(m) != "" {
			mips = append(mips, roles.OfMIP(m))
		}
	}
	return strings.Join(mips, "+")
}

// Annotation is the comment that names the requirement the step below it
// (and those after it) checks: "# checks MIP01-REG-3". In a Scenario
// Outline it may name an Examples column instead, "# checks <rule>", so
// that each row names its own requirement.
var Annotation = regexp.MustCompile(`^\s*#\s*checks\s+(\S+)\s*$`)

// placeholder is an annotation naming an Examples column.
var placeholder = regexp.MustCompile(`^<([A-Za-z0-9_ -]+)>$`)

// PickleInfo is one compiled scenario of a feature file (a row of an
// outline is one) with what each of its steps checks.
type PickleInfo struct {
	URI   string
	Line  int // of the Scenario keyword
	Name  string
	Tags  []string // without "@"
	Steps []StepInfo
}

// StepInfo is one step of a compiled scenario.
type StepInfo struct {
	Text string
	Type messages.PickleStepType
	Line int
	// Checks is the requirement its annotation names, "" when none does.
	Checks string
	// Annotated is true when the annotation sits right above this step
	// (false when it is inherited from an earlier step).
	Annotated bool
}

// ParseFeature parses one feature file of fsys, and returns the id
// generator that must compile its pickles (gherkin.Pickles) so that their
// AST ids match the document's.
func ParseFeature(fsys fs.FS, path string) (*messages.GherkinDocument, func() string, error) {
	f, err := fsys.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	newID := (&messages.Incrementing{}).NewId
	doc, err := gherkin.ParseGherkinDocument(f, newID)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return doc, newID, nil
}

// ReadFeature compiles one feature file as godog does and reads the
// annotations of its steps. An annotation that is not a requirement ID is
// an error.
func ReadFeature(fsys fs.FS, path string) ([]PickleInfo, error) {
	doc, newID, err := ParseFeature(fsys, path)
	if err != nil {
		return nil, err
	}
	comments := map[int]string{} // line -> requirement named there
	for _, c := range doc.Comments {
		if m := Annotation.FindStringSubmatch(c.Text); m != nil {
			if !requirementID.MatchString(m[1]) && !placeholder.MatchString(m[1]) {
				return nil, fmt.Errorf("%s:%d: %q names no requirement ID", path, c.Location.Line, strings.TrimSpace(c.Text))
			}
			comments[int(c.Location.Line)] = m[1]
		}
	}
	rows := map[string]map[string]string{} // Examples row AST id -> column -> value
	lines := map[string]int{}              // AST id -> line
	inherited := map[string]string{}       // step AST id -> annotation in force
	own := map[string]bool{}
	scenario := func(sc *messages.Scenario) {
		lines[sc.Id] = int(sc.Location.Line)
		for _, ex := range sc.Examples {
			if ex.TableHeader == nil {
				continue
			}
			for _, row := range ex.TableBody {
				cells := map[string]string{}
				for i, c := range row.Cells {
					if i < len(ex.TableHeader.Cells) {
						cells[ex.TableHeader.Cells[i].Value] = c.Value
					}
				}
				rows[row.Id] = cells
			}
		}
		current := ""
		for _, st := range sc.Steps {
			l := int(st.Location.Line)
			lines[st.Id] = l
			if c, ok := comments[l-1]; ok {
				current, own[st.Id] = c, true
			}
			inherited[st.Id] = current
		}
	}
	background := func(b *messages.Background) {
		for _, st := range b.Steps {
			lines[st.Id] = int(st.Location.Line)
		}
	}
	if doc.Feature != nil {
		for _, c := range doc.Feature.Children {
			if c.Background != nil {
				background(c.Background)
			}
			if c.Scenario != nil {
				scenario(c.Scenario)
			}
			if c.Rule != nil {
				for _, rc := range c.Rule.Children {
					if rc.Background != nil {
						background(rc.Background)
					}
					if rc.Scenario != nil {
						scenario(rc.Scenario)
					}
				}
			}
		}
	}
	var out []PickleInfo
	for _, p := range gherkin.Pickles(*doc, path, newID) {
		pi := PickleInfo{URI: path, Name: p.Name}
		if len(p.AstNodeIds) > 0 {
			pi.Line = lines[p.AstNodeIds[0]]
		}
		for _, t := range p.Tags {
			pi.Tags = append(pi.Tags, strings.TrimPrefix(t.Name, "@"))
		}
		for _, st := range p.Steps {
			si := StepInfo{Text: st.Text, Type: st.Type}
			if len(st.AstNodeIds) > 0 {
				id := st.AstNodeIds[0]
				si.Line, si.Checks, si.Annotated = lines[id], inherited[id], own[id]
			}
			if m := placeholder.FindStringSubmatch(si.Checks); m != nil {
				// "# checks <rule>" in an outline: each Examples row names
				// its requirement in its "rule" column.
				var v string
				if len(p.AstNodeIds) > 1 {
					v = rows[p.AstNodeIds[1]][m[1]]
				}
				if !requirementID.MatchString(v) {
					return nil, fmt.Errorf("%s:%d: the annotation %s takes a requirement ID from the Examples column %q, which has %q", path, si.Line, si.Checks, m[1], v)
				}
				si.Checks = v
			}
			pi.Steps = append(pi.Steps, si)
		}
		out = append(out, pi)
	}
	return out, nil
}

// annotations reads each feature file once per run and finds the compiled
// scenario of a running pickle.
type annotations struct {
	fsys  fs.FS
	mu    sync.Mutex
	files map[string][]PickleInfo
}

// find returns the compiled scenario with this file, name and step texts,
// or nil (a feature that cannot be read again has no annotations).
func (a *annotations) find(uri, name string, texts []string) *PickleInfo {
	if m := trailingLine.FindStringSubmatch(uri); m != nil {
		uri = m[1]
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	ps, ok := a.files[uri]
	if !ok {
		ps, _ = ReadFeature(a.fsys, uri)
		a.files[uri] = ps
	}
	for i := range ps {
		p := &ps[i]
		if p.Name != name || len(p.Steps) != len(texts) {
			continue
		}
		same := true
		for k, st := range p.Steps {
			if st.Text != texts[k] {
				same = false
				break
			}
		}
		if same {
			return p
		}
	}
	return nil
}

var trailingLine = regexp.MustCompile(`^(.*):([0-9]+)$`)

// intrinsic lists the steps whose assertions each name their own
// requirement (a *Failure), with the requirements they check; full is true
// when every way the step can fail names one, so the step needs no
// annotation.
var intrinsic = []struct {
	pattern *regexp.Regexp
	checks  []string
	full    bool
}{
	{regexp.MustCompile(`^the reply references the request$`), []string{"MIP00-REP-1", "MIP00-REP-2"}, true},
	{regexp.MustCompile(`^the reply goes to "[^"]*" and not to the sender$`), []string{"MIP00-REP-2"}, true},
	{regexp.MustCompile(`^no evaluation failed$`), []string{"MIP00-INP-2"}, true},
	{regexp.MustCompile(`^the error message is at most \d+ bytes$`), []string{"MIP00-REP-1", "MIP00-ERR-1", "MIP00-ERR-3"}, true},
	{regexp.MustCompile(`^the reply is a success$`), []string{"MIP00-REP-1", "MIP00-REP-3"}, false},
	{regexp.MustCompile(`^the reply is an error "[^"]*"$`), []string{"MIP00-REP-1", "MIP00-ERR-1", "MIP00-ERR-2"}, false},
	{regexp.MustCompile(`^the answer is a success$`), []string{"MIP00-REP-1", "MIP00-REP-2", "MIP00-REP-3"}, false},
	// Requests that assert nothing: they fail only when the world itself
	// cannot carry them (a suite error), so they need no annotation.
	{regexp.MustCompile(`^wallet "[^"]*" sends "[^"]*" to "[^"]*"(?: with data.*)?$`), nil, true},
	{regexp.MustCompile(`^"[^"]*" dryruns "[^"]*" on "[^"]*"(?: with data.*)?$`), nil, true},
	{regexp.MustCompile(`^wallet "[^"]*" (?:registers|renounces) .*$`), nil, true},
	{regexp.MustCompile(`^wallets "[^"]*" and "[^"]*" register .*$`), nil, true},
	{regexp.MustCompile(`^"[^"]*" (?:tries to|asks for) .*$`), nil, true},
	// The suite's puppet relays a message: it fails only if the puppet,
	// the suite's own process, does.
	{regexp.MustCompile(`^wallet "[^"]*" has "[^"]*" send "[^"]*" to "[^"]*" with data:$`), nil, true},
}

// IntrinsicChecks returns the requirements a step's own assertions check,
// and whether every failure of the step names one of them (so that it
// needs no annotation).
func IntrinsicChecks(text string) (checks []string, full bool) {
	for _, in := range intrinsic {
		if in.pattern.MatchString(text) {
			return in.checks, in.full
		}
	}
	return nil, false
}

// roleOf is the role of the module a process of the scenario was spawned
// from: by a step, or by another process (a profile's session). The suite's
// puppet and unknown ids have no role.
func (s *Scenario) roleOf(pid string) string {
	if pid == "" {
		return ""
	}
	module := ""
	for _, ex := range s.exchanges {
		if ex.Kind == "spawn" && ex.Request.Target == pid {
			module = ex.Request.Tags.Value("Module")
		}
	}
	if module == "" && s.world != nil {
		for _, d := range s.trace().Deliveries {
			if d.Message.ID == pid && d.Message.Target == pid {
				module = d.Message.Tags.Value("Module")
				break
			}
		}
	}
	if module == "" {
		return ""
	}
	for _, role := range roles.Names() {
		if s.target.Modules[role] == module {
			return role
		}
	}
	return ""
}

// resolveBlame finds what a failed step is blamed on (see the top of this
// file); ok is false when nothing names a requirement.
func (s *Scenario) resolveBlame(err error, step StepInfo, tags []string) (b Blame, ok bool) {
	var f *Failure
	if errors.As(err, &f) && (!f.Setup || step.Checks == "") {
		role := f.Role
		if role == "" {
			role = s.roleOf(f.Process)
		}
		if role == "" {
			role = s.defaultRole(f.Requirement, tags)
		}
		return Blame{Requirement: f.Requirement, Role: role}, true
	}
	req := step.Checks
	if req == "" && step.Type != messages.PickleStepType_CONTEXT {
		var ids []string
		for _, t := range tags {
			if requirementID.MatchString(t) {
				ids = append(ids, t)
			}
		}
		if len(ids) == 1 {
			req = ids[0]
		}
	}
	if req == "" {
		return Blame{}, false
	}
	return Blame{Requirement: req, Role: s.defaultRole(req, tags)}, true
}

// defaultRole is the role a requirement is judged for when the assertion
// did not say: its MIP's role, or for MIP-00 the scenario's role tag, else
// the role of the process the latest request went to.
func (s *Scenario) defaultRole(req string, tags []string) string {
	if r := roles.OfMIP(mipOf(req)); r != "" {
		return r
	}
	if r := ScenarioRole(tags); r != "" && !strings.Contains(r, "+") {
		return r
	}
	if ex, err := s.Last(); err == nil {
		return s.roleOf(ex.Request.Target)
	}
	return ""
}

// lacksShape blames a read's success reply that lacks a field the step
// reads and the read's rule lists as always there (spec.ShapeRequirement)
// on that rule, whatever the step checks with the field: a session that
// misnames messageCount fails MIP03-INFO-1, not also every rule a scenario
// counts messages for. A field no rule lists, or one that is there, is the
// step's to judge (nil).
func lacksShape(action, process string, obj map[string]any, fields ...string) error {
	for _, f := range fields {
		if _, ok := obj[f]; ok {
			continue
		}
		if req := spec.ShapeRequirement(action, f); req != "" {
			return blamef(req, process, "the %s reply has no field %q: %s", action, f, clip(jsonOf(obj), 300))
		}
	}
	return nil
}

// replyShape is lacksShape for the latest request's reply m (its JSON
// object obj), when m is that read's success reply.
func (s *Scenario) replyShape(m adapters.Message, obj map[string]any, fields ...string) error {
	ex, err := s.Last()
	if err != nil || m.Action() != ex.Request.Action()+"-Response" {
		return nil
	}
	return lacksShape(ex.Request.Action(), ex.Request.Target, obj, fields...)
}

// expectedFields returns the top-level keys of a step's expected JSON
// object, sorted, or none when it is not one.
func expectedFields(doc string) []string {
	var want map[string]any
	if json.Unmarshal([]byte(doc), &want) != nil {
		return nil
	}
	return slices.Sorted(maps.Keys(want))
}

// readErr blames err, a step's finding that m answered the request of ex
// with an error where a success was due, on the read's rule when the
// request is a read whose Data is ignored (spec.ReadShape), made without
// Data: such a read always succeeds, so its error is its own defect,
// whatever the step checks (with Data, the rule that reads ignore it may
// be the one broken). Unauthorized breaks the rule that reads are public, which the
// scenarios check, and any other request's error is what its step checks:
// err is returned as it is then. So is the error of a session that never
// told anyone it was created: it holds no session (it refused its spawn,
// rightly or not), and answering so is no fault of the read.
func (s *Scenario) readErr(ex adapters.Exchange, m adapters.Message, err error) error {
	action := ex.Request.Action()
	shape, ok := spec.ReadShape(action)
	if !ok || shape.Arguments || strings.TrimSpace(ex.Request.Data) != "" || !readRefusal(m, action) {
		return err
	}
	if !s.announced(ex.Request.Target) {
		return err
	}
	return blame(shape.Requirement, ex.Request.Target, err)
}

// readRefusal says whether m is an error reply to the read action that no
// rule but the read's own explains: not Unauthorized (the rule that reads
// are public), not LimitExceeded (the size rules).
func readRefusal(m adapters.Message, action string) bool {
	code := m.Tags.Value("Error")
	return m.Action() == action+"-Error" && code != "" && code != "Unauthorized" && code != "LimitExceeded"
}

// announced says whether the process took its spawn as far as the
// scenario saw: any process but a session, and a session that sent a
// Session-Created notice.
func (s *Scenario) announced(pid string) bool {
	if s.roleOf(pid) != RoleSession {
		return true
	}
	for _, m := range routed(s.trace()) {
		if m.From == pid && m.Action() == "Session-Created" {
			return true
		}
	}
	return false
}

// shapeOfData checks, before a step compares m's Data with the JSON object
// want, that m has the fields of want its read's rule lists, and that an
// argument-free read whose success was due did not err (readErr).
func (s *Scenario) shapeOfData(m adapters.Message, want string) error {
	fields := expectedFields(want)
	if len(fields) == 0 {
		return nil
	}
	// Fields of the read's success (not an error's code and message) say
	// a success was due.
	if ex, err := s.Last(); err == nil && slices.ContainsFunc(fields, func(f string) bool {
		return spec.ShapeRequirement(ex.Request.Action(), f) != ""
	}) {
		err := s.readErr(ex, m, fmt.Errorf("the reply is an error where a success was due: %s %s", clip(m.Action(), 200), clip(m.Data, 300)))
		var f *Failure
		if errors.As(err, &f) {
			return err
		}
	}
	obj, err := ReplyJSON(m)
	if err != nil {
		return nil // the comparison says what is wrong with it
	}
	if err := s.replyShape(m, obj, fields...); err != nil {
		return err
	}
	return s.stateShape(m, obj, want)
}

// stateShape is replyShape for the reads whose defining rule the state
// chooses (spec.StateShapeRequirement), judged by the reply the step
// expects: a free name's QueryDomain reply without "registered" is
// MIP01-QRY-2's defect, whichever scenario reads it (one that checks a
// Renounce freed the name, say).
func (s *Scenario) stateShape(m adapters.Message, obj map[string]any, want string) error {
	ex, err := s.Last()
	if err != nil || m.Action() != ex.Request.Action()+"-Response" {
		return nil
	}
	var w map[string]any
	if json.Unmarshal([]byte(want), &w) != nil {
		return nil
	}
	action := ex.Request.Action()
	for _, f := range slices.Sorted(maps.Keys(w)) {
		if _, ok := obj[f]; ok {
			continue
		}
		if req := spec.StateShapeRequirement(action, f, w, obj); req != "" {
			return blamef(req, ex.Request.Target, "the %s reply has no field %q: %s", action, f, clip(jsonOf(obj), 300))
		}
	}
	return nil
}
