package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"sync"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet"
)

// Unsigned is a data item before it is signed.
type Unsigned struct {
	Target, Anchor string
	Tags           adapters.Tags
	Data           []byte
}

// Signer is a wallet that signs data items.
type Signer interface {
	// Address is the wallet's address.
	Address() string
	// Sign returns the signed data item's bytes and its id.
	Sign(Unsigned) (raw []byte, id string, err error)
}

// Keyring gives the named wallets of a run: the same name, the same
// wallet.
type Keyring interface {
	Wallet(name string) (Signer, error)
}

// Module is Lua source a process runs.
type Module struct {
	// Name names the source in errors (a file name).
	Name   string
	Source string
	// Deployed is the id of a process already on the network that
	// implements the role: the module id stands for it, and the world
	// spawns no process of it (adapters.ErrUntestable).
	Deployed string
}

// ErrSpawnFailed is returned (wrapped, with the reason) when a new
// process's spawn message, or the Eval that loads its source, failed. The
// process exists; the implementation caused it: it is no suite error.
var ErrSpawnFailed = errors.New("spawn failed")

// World is adapters.World on a live network. It is safe for one goroutine
// at a time, as every World; several Worlds may share a network.
type World struct {
	cfg     Config
	c       *client
	keys    Keyring
	modules map[string]Module // module id of the target -> source (eval)

	mu        sync.Mutex
	wallets   map[string]Signer // address -> wallet
	processes map[string]string // pid -> module id, "" when not a process
	trace     adapters.Trace
	seq       int
	closed    bool
	// hb is what the HyperBEAM back end knows of the node's slots.
	hb hbState
	// trusting maps a process this world spawned to the name of a module
	// of the suite's own that a tag of its spawn named (a profile's
	// Session-Module under SpawnEval): see (*World).receivable.
	trusting map[string]string
}

var _ adapters.World = (*World)(nil)

// New makes a World on the network cfg names. modules are the sources of
// the module ids the target spawns: under SpawnEval they are spawned as
// cfg.Module and loaded by Eval; ids not listed (modules published on the
// network) are spawned as they are.
func New(cfg Config, keys Keyring, modules map[string]Module) (*World, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if cfg.Scheduler == "" {
		return nil, fmt.Errorf("no scheduler address: set %s (or use Discover on a devnet)", EnvScheduler)
	}
	return &World{cfg: cfg, c: newClient(cfg), keys: keys, modules: modules, wallets: map[string]Signer{}, processes: map[string]string{}, hb: newHBState(), trusting: map[string]string{}}, nil
}

// Info is what a devnet says about itself at GET /.
type Info struct {
	Unit      string `json:"Unit"`
	Address   string `json:"Address"`
	Messenger string `json:"Messenger"`
	Module    string `json:"Module"`
}

// Discover fills what cfg leaves empty (scheduler, authority, module, the
// way to spawn) from the scheduler unit's GET /, which a devnet answers.
func Discover(ctx context.Context, cfg Config) (Config, error) {
	if err := cfg.check(); err != nil {
		return cfg, err
	}
	c := newClient(cfg.withDefaults())
	var info Info
	if _, err := c.getJSON(ctx, "reading the scheduler unit's information", cfg.withDefaults().SU+"/", &info, pollMode{}); err != nil {
		return cfg, err
	}
	if cfg.Scheduler == "" {
		cfg.Scheduler = info.Address
	}
	if cfg.Authority == "" {
		cfg.Authority = info.Messenger
	}
	if cfg.Module == "" {
		cfg.Module = info.Module
	}
	if cfg.Spawn == "" {
		cfg.Spawn = SpawnEval
		if info.Unit == "devnet" {
			cfg.Spawn = SpawnPublish
		}
	}
	if cfg.Scheduler == "" {
		return cfg, fmt.Errorf("the units did not say the scheduler's address: set %s", EnvScheduler)
	}
	if cfg.Spawn == SpawnEval && cfg.Module == "" {
		return cfg, fmt.Errorf("no aos module to spawn: set %s", EnvModule)
	}
	return cfg, nil
}

// Wallet returns the address of the named wallet of the keyring.
func (w *World) Wallet(name string) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return "", adapters.ErrClosed
	}
	s, err := w.keys.Wallet(name)
	if err != nil {
		return "", err
	}
	w.wallets[s.Address()] = s
	return s.Address(), nil
}

// signer is the wallet that signs as address.
func (w *World) signer(address string) (Signer, error) {
	s, ok := w.wallets[address]
	if !ok {
		return nil, aonet.UnknownWallet(address)
	}
	return s, nil
}

// post signs an item and gives it to the messenger unit; it returns the
// item's id.
func (w *World) post(ctx context.Context, s Signer, it Unsigned) (string, error) {
	raw, id, err := s.Sign(it)
	if err != nil {
		return "", fmt.Errorf("%w: signing a data item: %v", adapters.ErrEngine, err)
	}
	if w.cfg.hyperbeam() {
		return w.push(ctx, raw, id, it)
	}
	a, err := w.c.call(ctx, "posting a data item to the messenger unit", http.MethodPost, w.cfg.MU+"/", "application/octet-stream", raw, pollMode{})
	if err != nil {
		return "", err
	}
	var ack struct {
		ID string `json:"id"`
	}
	if err := decodeStrict(a.body, &ack); err != nil {
		return "", fmt.Errorf("%w: the messenger unit answered invalid JSON: %v", adapters.ErrTransport, err)
	}
	if ack.ID != id {
		return "", fmt.Errorf("%w: the messenger unit acknowledged id %q for data item %s", adapters.ErrTransport, ack.ID, id)
	}
	return id, nil
}

// Publish uploads Lua source as a module of the devnet's kind, signed by
// s, and returns its module id.
func Publish(ctx context.Context, cfg Config, s Signer, name, source string) (string, error) {
	if err := cfg.check(); err != nil {
		return "", err
	}
	cfg = cfg.withDefaults()
	w := &World{cfg: cfg, c: newClient(cfg), hb: newHBState()}
	tags := aonet.WithProtocolTags(adapters.Tags{{Name: "Module-Format", Value: LuaModuleFormat}, {Name: "Content-Type", Value: "text/x-lua"}, {Name: "Name", Value: name}}, "Module")
	return w.post(ctx, s, Unsigned{Tags: tags, Data: []byte(source)})
}

// LuaModuleFormat is the devnet's Module-Format for Lua source (the same
// as devnet.LuaModuleFormat, which this package does not import).
const LuaModuleFormat = "mostao-lua-source"

// Spawn spawns a process owned by req.From and follows everything its
// spawn caused. Under SpawnEval a module of the target is spawned as the
// aos module and its source loaded by an Eval from the owner.
func (w *World) Spawn(ctx context.Context, req adapters.SpawnRequest) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return "", adapters.ErrClosed
	}
	s, err := w.signer(req.From)
	if err != nil {
		return "", err
	}
	module := req.Module
	src, eval := w.modules[req.Module]
	if eval && src.Deployed != "" {
		return "", fmt.Errorf("%w: %s is certified as the deployed process %s, in the state it has: a fresh process of it cannot be spawned", adapters.ErrUntestable, src.Name, src.Deployed)
	}
	if eval && req.Data != "" && req.Data != "NODATA" {
		// The spawn message is evaluated by the empty aos module, before
		// the source is loaded: the process would never read its Data.
		return "", fmt.Errorf("%w: %s is spawned with Data of its own, but under %s=%s its source is loaded by Eval after the spawn message, which it never evaluates (a devnet takes %s=%s)",
			adapters.ErrUntestable, src.Name, EnvSpawn, SpawnEval, EnvSpawn, SpawnPublish)
	}
	if eval {
		module = w.cfg.Module
	}
	tags := adapters.Tags{{Name: "Module", Value: module}, {Name: "Scheduler", Value: w.cfg.Scheduler}}
	if w.cfg.Authority != "" {
		tags = append(tags, adapters.Tag{Name: "Authority", Value: w.cfg.Authority})
	}
	data := req.Data
	if data == "" {
		data = "NODATA"
	}
	pid, err := w.post(ctx, s, Unsigned{Tags: aonet.WithProtocolTags(append(tags, req.Tags...), "Process"), Data: []byte(data)})
	if err != nil {
		return "", err
	}
	for _, t := range req.Tags {
		if m, ours := w.modules[t.Value]; ours {
			w.trusting[pid] = m.Name
		}
	}
	tr, err := w.follow(ctx, pid, pid)
	w.trace.Append(tr)
	if err != nil {
		return pid, err
	}
	if err := spawnFailure(tr, pid, pid); err != nil {
		return pid, err
	}
	if !eval {
		return pid, nil
	}
	evalTags := aonet.WithProtocolTags(adapters.Tags{{Name: "Action", Value: "Eval"}}, "Message")
	id, err := w.post(ctx, s, Unsigned{Target: pid, Tags: evalTags, Data: []byte(src.Source)})
	if err != nil {
		return pid, err
	}
	tr, err = w.follow(ctx, id, pid)
	w.trace.Append(tr)
	if err != nil {
		return pid, err
	}
	return pid, spawnFailure(tr, id, pid)
}

// spawnFailure is the error of a failed spawn (or Eval) message id on pid.
func spawnFailure(tr adapters.Trace, id, pid string) error {
	for _, d := range tr.Deliveries {
		if d.Message.ID == id && d.Message.Target == pid && d.Result.Failed() {
			return fmt.Errorf("%w: process %s: %s", ErrSpawnFailed, pid, d.Result.Error)
		}
	}
	return nil
}

// Send signs m as the wallet m.From, posts it and follows everything it
// caused until the network is quiet.
func (w *World) Send(ctx context.Context, m adapters.Message) (adapters.Trace, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return adapters.Trace{}, adapters.ErrClosed
	}
	s, err := w.signer(m.From)
	if err != nil {
		return adapters.Trace{}, err
	}
	if err := aonet.CheckSigner(m); err != nil {
		return adapters.Trace{}, err
	}
	if m.Timestamp != 0 || m.ID != "" {
		return adapters.Trace{}, fmt.Errorf("%w: on a live network the scheduler sets timestamps and the signature sets ids: a message cannot choose them", adapters.ErrEngine)
	}
	ok, err := w.isProcess(ctx, m.Target)
	if err != nil {
		return adapters.Trace{}, err
	}
	if !ok {
		return adapters.Trace{}, fmt.Errorf("%w: %q is not a process of this network", adapters.ErrUnknownProcess, m.Target)
	}
	id, err := w.post(ctx, s, Unsigned{Target: m.Target, Anchor: m.Anchor, Tags: aonet.WithProtocolTags(m.Tags, "Message"), Data: []byte(m.Data)})
	if err != nil {
		return adapters.Trace{}, err
	}
	tr, err := w.follow(ctx, id, m.Target)
	w.trace.Append(tr)
	return tr, err
}

// DryRun evaluates m on the compute unit, read-only.
func (w *World) DryRun(ctx context.Context, m adapters.Message) (adapters.Result, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return adapters.Result{}, adapters.ErrClosed
	}
	ok, err := w.isProcess(ctx, m.Target)
	if err != nil {
		return adapters.Result{}, err
	}
	if !ok {
		return adapters.Result{}, fmt.Errorf("%w: %q is not a process of this network", adapters.ErrUnknownProcess, m.Target)
	}
	from := m.From
	if from == "" {
		from = aonet.DryRunFrom
	}
	owner := m.Owner
	if owner == "" {
		owner = from
	}
	if w.cfg.hyperbeam() {
		return w.hbDryRun(ctx, m, from, owner)
	}
	body, err := json.Marshal(map[string]any{"Id": m.ID, "Target": m.Target, "Owner": owner, "From": from, "Anchor": m.Anchor, "Data": m.Data, "Tags": aonet.WithProtocolTags(m.Tags, "Message")})
	if err != nil {
		return adapters.Result{}, err
	}
	u := w.cfg.CU + "/dry-run?process-id=" + url.QueryEscape(m.Target)
	a, err := w.c.call(ctx, "a dry run on the compute unit", http.MethodPost, u, "application/json", body, pollMode{})
	if err != nil {
		return adapters.Result{}, err
	}
	var r cuResult
	if err := decodeStrict(a.body, &r); err != nil {
		return adapters.Result{}, fmt.Errorf("%w: the compute unit's dry run answered invalid JSON: %v", adapters.ErrTransport, err)
	}
	return r.result(), nil
}

// Trace returns everything this world followed.
func (w *World) Trace() adapters.Trace {
	w.mu.Lock()
	defer w.mu.Unlock()
	var t adapters.Trace
	t.Append(w.trace)
	return t
}

// Close ends the world; the processes stay on the network.
func (w *World) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	return nil
}

// HasProcess asks the network whether pid is a process.
func (w *World) HasProcess(ctx context.Context, pid string) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return false, adapters.ErrClosed
	}
	return w.isProcess(ctx, pid)
}

// isProcess asks the scheduler unit whether pid is a process (and keeps
// the answer, with the process's module).
func (w *World) isProcess(ctx context.Context, pid string) (bool, error) {
	if mod, ok := w.processes[pid]; ok {
		return mod != "", nil
	}
	if !ValidID(pid) {
		w.processes[pid] = ""
		return false, nil
	}
	if w.cfg.hyperbeam() {
		return w.hbIsProcess(ctx, pid)
	}
	var p struct {
		Tags adapters.Tags `json:"tags"`
	}
	status, err := w.c.getJSON(ctx, "asking the scheduler unit for process "+pid, w.cfg.SU+"/processes/"+pid, &p, pollMode{accept: []int{http.StatusNotFound, http.StatusBadRequest}})
	if err != nil {
		return false, err
	}
	if status != http.StatusOK {
		w.processes[pid] = ""
		return false, nil
	}
	mod := p.Tags.Value("Module")
	if mod == "" {
		mod = "?"
	}
	w.processes[pid] = mod
	return true, nil
}

// ValidID says whether id has the shape of an AO id: 43 base64url characters; anything else is no
// process, and is not put in a URL.
func ValidID(id string) bool {
	if len(id) != 43 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// cuResult is a compute unit's result. Output and Error take the shapes
// units give them (a string, or an object).
type cuResult struct {
	Messages  []cuMessage     `json:"Messages"`
	Spawns    []cuMessage     `json:"Spawns"`
	Output    json.RawMessage `json:"Output"`
	Error     json.RawMessage `json:"Error"`
	ErrorKind string          `json:"ErrorKind"`
}

type cuMessage struct {
	Target string          `json:"Target"`
	Anchor string          `json:"Anchor"`
	Data   json.RawMessage `json:"Data"`
	Tags   adapters.Tags   `json:"Tags"`
}

// text is a JSON value as text: a string's own text, an object's "data"
// (aos's Output), nothing for null.
func text(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var o struct {
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(raw, &o) == nil && len(o.Data) > 0 {
		return text(o.Data)
	}
	return string(raw)
}

func (r cuResult) result() adapters.Result {
	out := adapters.Result{Output: text(r.Output), Error: text(r.Error), ErrorKind: adapters.ErrorKind(r.ErrorKind)}
	if out.Error != "" && out.ErrorKind == "" {
		out.ErrorKind = adapters.ErrorHandler
	}
	for _, m := range r.Messages {
		out.Messages = append(out.Messages, adapters.Message{Target: m.Target, Anchor: m.Anchor, Data: text(m.Data), Tags: m.Tags})
	}
	for _, m := range r.Spawns {
		out.Spawns = append(out.Spawns, adapters.Message{Target: m.Target, Anchor: m.Anchor, Data: text(m.Data), Tags: m.Tags})
	}
	return out
}

// suMessage is a message as the scheduler unit shows it.
type suMessage struct {
	Message struct {
		ID    string `json:"id"`
		Owner struct {
			Address string `json:"address"`
		} `json:"owner"`
		Target string          `json:"target"`
		Anchor string          `json:"anchor"`
		Data   json.RawMessage `json:"data"`
		Tags   adapters.Tags   `json:"tags"`
	} `json:"message"`
	Assignment struct {
		Tags adapters.Tags `json:"tags"`
	} `json:"assignment"`
}

// message is the message as its process saw it: From is its From-Process
// tag when it has one (a pushed message), else its signer.
func (s suMessage) message(pid string) adapters.Message {
	m := adapters.Message{ID: s.Message.ID, From: s.Message.Owner.Address, Owner: s.Message.Owner.Address, Target: pid, Anchor: s.Message.Anchor, Data: text(s.Message.Data), Tags: s.Message.Tags}
	if fp, ok := m.Tags.Get("From-Process"); ok {
		m.From = fp
	}
	m.Timestamp, _ = strconv.ParseInt(s.Assignment.Tags.Value("Timestamp"), 10, 64)
	m.BlockHeight, _ = strconv.ParseInt(s.Assignment.Tags.Value("Block-Height"), 10, 64)
	return m
}

// schedulePage is the scheduler unit's GET /<pid>.
type schedulePage struct {
	PageInfo struct {
		HasNextPage bool `json:"has_next_page"`
	} `json:"page_info"`
	Edges []struct {
		Cursor string    `json:"cursor"`
		Node   suMessage `json:"node"`
	} `json:"edges"`
}

// sortDeliveries orders deliveries by their scheduled time (the network's
// order of evaluation), keeping the order followed for equal times.
func sortDeliveries(ds []adapters.Delivery) {
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].Message.Timestamp < ds[j].Message.Timestamp })
}
