// Package devnet is a local AO network on one HTTP server: the messenger
// (MU), scheduler (SU) and compute (CU) units of the legacy AO network, in
// the subsets that clients use (aoconnect, and adapters/live), and the
// subset of a HyperBEAM node's process device that adapters/live uses, in
// front of one world of the Lua engine (adapters/lua) or, given a compiled
// AO module, of the wasm engine (adapters/wasm).
//
// The messenger takes signed ANS-104 data items and verifies them; the
// scheduler orders and timestamps every message on the world's
// deterministic clock; the compute unit evaluates them at once and keeps
// every result. Messages that processes send are pushed to their targets
// at once, each with an id of its own and a Pushed-For tag naming the
// message whose evaluation made it, as legacy messenger units do, so a
// client can follow a trace through the scheduler and the compute unit.
package devnet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/lua"
)

// Item is a data item whose signature was verified: what the messenger
// unit acts on.
type Item struct {
	// ID is the item's id (base64url of the SHA-256 of its signature).
	ID string
	// Owner is the signer's address, OwnerKey its public key (base64url).
	Owner, OwnerKey string
	Target, Anchor  string
	Signature       string
	Tags            adapters.Tags
	Data            []byte
}

// Decoder decodes a raw data item and verifies its signature. An error
// means the item is refused (400).
type Decoder func(raw []byte) (Item, error)

// LuaModuleFormat is the Module-Format of a module whose Data is Lua
// source: the devnet's own kind of module (AO modules are compiled wasm).
// Publishing one is posting a Type=Module item with this format.
const LuaModuleFormat = "mostao-lua-source"

// Options configure a devnet.
type Options struct {
	// Seed derives the units' addresses and the ids of pushed messages;
	// default "mostao-devnet".
	Seed string
	// Limits bound each evaluation (the engine's defaults when zero). The
	// whole network's bounds (MaxWorldWork, MaxMessagesPerWorld,
	// MaxSpawnsPerWorld) are lifted unless set: a devnet lives long.
	Limits lua.Limits
	// Decode decodes and verifies posted data items (default
	// DecodeANS104).
	Decode Decoder
	// Log receives one line per request (nil: none).
	Log io.Writer
	// CallTimeout bounds the evaluation of one posted item and everything
	// it causes (default adapters.DefaultCallTimeout).
	CallTimeout time.Duration
	// Wasm, when set, is the compiled AO module the processes run on the
	// wasm engine (wasm.DefaultModule for the bundled one), WasmFormat its
	// Module-Format ("": read from the binary); nil runs them on the Lua
	// engine. Limits.MaxWork counts in the Lua engine's units either way,
	// and the wasm engine has no world-wide bounds to lift.
	Wasm       []byte
	WasmFormat string
}

// MaxItemBytes bounds a posted data item.
const MaxItemBytes = 16 << 20

// record is one message scheduled on one process, with its result.
type record struct {
	msg      adapters.Message
	ownerKey string
	nonce    int
	result   adapters.Result
}

// Network is the devnet: an http.Handler. Requests are served one at a
// time against the world (the world is single-threaded).
type Network struct {
	opts  Options
	mu    sync.Mutex
	world world
	// base is the id of the empty aos module: spawn it, then load source
	// by Eval, as on AO.
	base string
	// schedules holds each process's messages in order; results indexes
	// them by process and message id.
	schedules map[string][]*record
	results   map[string]*record // pid + "/" + message id
	ownerKeys map[string]string  // message id -> signer's key
	// txs is what the gateway's GraphQL knows: the aos module and every
	// item taken, by id.
	txs    map[string]transaction
	ctx    context.Context
	cancel context.CancelFunc
	// logMu keeps each request's log line whole: requests that wait for
	// the world and those that do not finish at once.
	logMu sync.Mutex
}

// New makes a devnet.
func New(opts Options) (*Network, error) {
	if opts.Decode == nil {
		opts.Decode = DecodeANS104
	}
	if opts.Seed == "" {
		opts.Seed = "mostao-devnet"
	}
	const unbounded = int64(1) << 60
	if opts.Limits.MaxWorldWork == 0 {
		opts.Limits.MaxWorldWork = unbounded
	}
	if opts.Limits.MaxMessagesPerWorld == 0 {
		opts.Limits.MaxMessagesPerWorld = 1 << 40
	}
	if opts.Limits.MaxSpawnsPerWorld == 0 {
		opts.Limits.MaxSpawnsPerWorld = 1 << 40
	}
	base := adapters.DeterministicID(opts.Seed + "/module/aos")
	w, err := newWorld(opts, base)
	if err != nil {
		return nil, err
	}
	baseTags, err := baseModuleTags(opts)
	if err != nil {
		w.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Network{
		opts: opts, world: w, base: base,
		schedules: map[string][]*record{},
		results:   map[string]*record{},
		ownerKeys: map[string]string{},
		txs:       map[string]transaction{base: {owner: w.SchedulerUnit(), tags: baseTags}},
		ctx:       ctx, cancel: cancel,
	}, nil
}

// Engine names the engine that computes: "lua", or "wasm" on a compiled
// AO module.
func (n *Network) Engine() string {
	if n.opts.Wasm != nil {
		return "wasm"
	}
	return "lua"
}

// BaseModule is the id of the devnet's aos module: a process of it runs
// nothing until its owner Evals source into it.
func (n *Network) BaseModule() string { return n.base }

// Scheduler is the scheduler unit's address, which spawn messages name.
func (n *Network) Scheduler() string { return n.world.SchedulerUnit() }

// Messenger is the messenger unit's address: the Owner of every pushed
// message, which processes must trust as an Authority.
func (n *Network) Messenger() string { return n.world.MessengerUnit() }

// Close stops evaluations under way and releases the world.
func (n *Network) Close() error {
	n.cancel()
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.world.Close()
}

// statusWriter remembers the status for the request's log line.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// ServeHTTP routes a request to its unit and logs it in one line.
func (n *Network) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	n.route(sw, r)
	if n.opts.Log != nil {
		n.logMu.Lock()
		defer n.logMu.Unlock()
		fmt.Fprintf(n.opts.Log, "%s %s %s %d %dB %s\n", start.UTC().Format(time.RFC3339), r.Method, r.URL.RequestURI(), sw.status, sw.bytes, time.Since(start).Round(time.Microsecond))
	}
}

func (n *Network) route(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	pid := r.URL.Query().Get("process-id")
	switch {
	case isHyperBEAM(path):
		n.hyperbeam(w, r, path)
	case r.Method == http.MethodPost && path == "":
		n.post(w, r)
	case r.Method == http.MethodPost && path == "dry-run":
		n.dryRun(w, r, pid)
	case r.Method == http.MethodPost && path == "graphql":
		n.graphql(w, r)
	case r.Method != http.MethodGet:
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
	case path == "":
		n.info(w)
	case path == "timestamp":
		n.timestamp(w)
	case strings.HasPrefix(path, "processes/"):
		n.process(w, strings.TrimPrefix(path, "processes/"))
	case strings.HasPrefix(path, "result/"):
		n.result(w, strings.TrimPrefix(path, "result/"), pid)
	case strings.HasPrefix(path, "results/"):
		n.resultsOf(w, r, strings.TrimPrefix(path, "results/"))
	case !strings.Contains(path, "/") && pid != "":
		n.message(w, path, pid)
	case !strings.Contains(path, "/"):
		n.schedule(w, r, path)
	default:
		writeError(w, http.StatusNotFound, "no such route")
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// info is GET /: what a client needs to spawn here.
func (n *Network) info(w http.ResponseWriter) {
	n.mu.Lock()
	defer n.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"Unit": "devnet", "Timestamp": n.world.Clock(),
		"Address": n.Scheduler(), "Messenger": n.Messenger(), "Module": n.base,
		"LuaModuleFormat": LuaModuleFormat, "Engine": n.Engine(),
	})
}

func (n *Network) timestamp(w http.ResponseWriter) {
	n.mu.Lock()
	defer n.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"timestamp": n.world.Clock(), "block_height": lua.BlockHeight})
}

// post is the messenger unit: a signed data item spawns a process, sends a
// message, or publishes a Lua module.
func (n *Network) post(w http.ResponseWriter, r *http.Request) {
	it, ok := n.readItem(w, r)
	if !ok {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.carryOut(w, it) {
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"message": "Processing DataItem", "id": it.ID})
}

// carryOut accepts it, or answers why not and returns false. The caller
// holds n.mu.
func (n *Network) carryOut(w http.ResponseWriter, it Item) bool {
	status, err := n.accept(it)
	if err != nil {
		writeError(w, status, err.Error())
		return false
	}
	return true
}

// accept carries out a verified item; the status is the one to answer on
// error.
func (n *Network) accept(it Item) (int, error) {
	if _, seen := n.ownerKeys[it.ID]; seen {
		return http.StatusConflict, fmt.Errorf("data item %s was already posted", it.ID)
	}
	ctx, cancel := context.WithTimeout(n.ctx, adapters.CallTimeout(n.opts.CallTimeout))
	defer cancel()
	n.world.Admit(it.Owner)
	switch typ := it.Tags.Value("Type"); typ {
	case "Module":
		if f := it.Tags.Value("Module-Format"); f != LuaModuleFormat {
			return http.StatusBadRequest, fmt.Errorf("this devnet runs modules of Module-Format %q only, not %q", LuaModuleFormat, f)
		}
		n.take(it)
		n.world.addSource(it.ID, it.Tags.Value("Name"), string(it.Data))
		return 0, nil
	case "Process":
		module := it.Tags.Value("Module")
		var tags adapters.Tags
		for _, t := range it.Tags {
			switch t.Name {
			case "Data-Protocol", "Variant", "Type", "Module", "Scheduler":
			default:
				tags = append(tags, t)
			}
		}
		n.take(it)
		_, tr, err := n.world.SpawnTraced(ctx, adapters.SpawnRequest{Module: module, From: it.Owner, Tags: tags, Data: string(it.Data)}, it.ID)
		n.keep(tr)
		if errors.Is(err, adapters.ErrUnknownModule) {
			delete(n.ownerKeys, it.ID)
			delete(n.txs, it.ID)
			return http.StatusBadRequest, err
		}
		if err != nil && !n.world.spawnFailed(err) {
			return http.StatusInternalServerError, err
		}
		return 0, nil
	case "Message":
		if !n.world.HasProcess(it.Target) {
			return http.StatusBadRequest, fmt.Errorf("target %q is not a process of this network", it.Target)
		}
		n.take(it)
		tr, err := n.world.Send(ctx, adapters.Message{ID: it.ID, From: it.Owner, Target: it.Target, Anchor: it.Anchor, Data: string(it.Data), Tags: it.Tags})
		n.keep(tr)
		if err != nil {
			return http.StatusInternalServerError, err
		}
		return 0, nil
	default:
		return http.StatusBadRequest, fmt.Errorf("tag Type is %q: this messenger takes Process, Message and Module", typ)
	}
}

// take records a posted item as taken: its signer's key for the
// scheduler's messages, its owner and tags for the gateway's GraphQL.
func (n *Network) take(it Item) {
	n.ownerKeys[it.ID] = it.OwnerKey
	n.txs[it.ID] = transaction{owner: it.Owner, tags: it.Tags}
}

// keep schedules what a call delivered and keeps its results.
func (n *Network) keep(tr adapters.Trace) {
	for _, d := range tr.Deliveries {
		pid := d.Message.Target
		rec := &record{msg: d.Message, ownerKey: n.ownerKeys[d.Message.ID], nonce: len(n.schedules[pid]), result: d.Result}
		n.schedules[pid] = append(n.schedules[pid], rec)
		n.results[pid+"/"+d.Message.ID] = rec
	}
}

// messageJSON is a message as the scheduler unit shows it.
func messageJSON(rec *record) map[string]any {
	tags := rec.msg.Tags
	if tags == nil {
		tags = adapters.Tags{}
	}
	owner := rec.msg.Owner
	if owner == "" {
		owner = rec.msg.From
	}
	return map[string]any{
		"message": map[string]any{
			"id": rec.msg.ID, "owner": map[string]string{"address": owner, "key": rec.ownerKey},
			"target": rec.msg.Target, "anchor": rec.msg.Anchor, "data": rec.msg.Data, "tags": tags,
		},
		"assignment": map[string]any{
			"tags": adapters.Tags{
				{Name: "Process", Value: rec.msg.Target},
				{Name: "Nonce", Value: strconv.Itoa(rec.nonce)},
				{Name: "Timestamp", Value: strconv.FormatInt(rec.msg.Timestamp, 10)},
				{Name: "Block-Height", Value: strconv.FormatInt(rec.msg.BlockHeight, 10)},
			},
		},
	}
}

// message is the scheduler's GET /<id>?process-id=<pid>.
func (n *Network) message(w http.ResponseWriter, id, pid string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	rec, ok := n.results[pid+"/"+id]
	if !ok {
		writeError(w, http.StatusNotFound, "message not found")
		return
	}
	writeJSON(w, http.StatusOK, messageJSON(rec))
}

// process is the scheduler's GET /processes/<pid>: the spawn message.
func (n *Network) process(w http.ResponseWriter, pid string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	sched, ok := n.scheduleOf(w, pid)
	if !ok {
		return
	}
	spawn := sched[0]
	writeJSON(w, http.StatusOK, map[string]any{
		"process_id": pid, "owner": map[string]string{"address": spawn.msg.Owner, "key": spawn.ownerKey},
		"tags": spawn.msg.Tags, "timestamp": spawn.msg.Timestamp, "block": strconv.FormatInt(spawn.msg.BlockHeight, 10),
		"data": spawn.msg.Data, "anchor": spawn.msg.Anchor,
	})
}

// scheduleOf is the schedule of process pid, never empty; when there is
// no such process it answers 404 and returns false. The caller holds n.mu.
func (n *Network) scheduleOf(w http.ResponseWriter, pid string) ([]*record, bool) {
	sched := n.schedules[pid]
	if !n.world.HasProcess(pid) || len(sched) == 0 {
		writeError(w, http.StatusNotFound, "process not found")
		return nil, false
	}
	return sched, true
}

// page selects the records of a schedule after from (a timestamp,
// exclusive) up to to (inclusive), at most limit.
func page(sched []*record, r *http.Request) ([]*record, bool, error) {
	q := r.URL.Query()
	from, to, limit := int64(-1), int64(1)<<62, 100
	var err error
	if v := q.Get("from"); v != "" {
		if from, err = strconv.ParseInt(v, 10, 64); err != nil {
			return nil, false, fmt.Errorf("from=%q is not a timestamp", v)
		}
	}
	if v := q.Get("to"); v != "" {
		if to, err = strconv.ParseInt(v, 10, 64); err != nil {
			return nil, false, fmt.Errorf("to=%q is not a timestamp", v)
		}
	}
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 {
			return nil, false, fmt.Errorf("limit=%q is not a positive number", v)
		}
	}
	var out []*record
	for _, rec := range sched {
		if rec.msg.Timestamp <= from || rec.msg.Timestamp > to {
			continue
		}
		if len(out) == limit {
			return out, true, nil
		}
		out = append(out, rec)
	}
	return out, false, nil
}

// pageOf is the page of pid's schedule the request asks for; when the
// process or the page does not exist it answers the error itself and
// returns false. The caller holds n.mu.
func (n *Network) pageOf(w http.ResponseWriter, r *http.Request, pid string) ([]*record, bool, bool) {
	if !n.world.HasProcess(pid) {
		writeError(w, http.StatusNotFound, "process not found")
		return nil, false, false
	}
	recs, more, err := page(n.schedules[pid], r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return nil, false, false
	}
	return recs, more, true
}

// schedule is the scheduler's GET /<pid>: the process's messages in order.
func (n *Network) schedule(w http.ResponseWriter, r *http.Request, pid string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	recs, more, ok := n.pageOf(w, r, pid)
	if !ok {
		return
	}
	edges := []map[string]any{}
	for _, rec := range recs {
		edges = append(edges, map[string]any{"cursor": strconv.FormatInt(rec.msg.Timestamp, 10), "node": messageJSON(rec)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"page_info": map[string]bool{"has_next_page": more}, "edges": edges})
}

// ResultJSON is a result as the compute unit answers it.
type ResultJSON struct {
	Messages []OutMessage `json:"Messages"`
	Spawns   []OutMessage `json:"Spawns"`
	Output   string       `json:"Output"`
	Error    string       `json:"Error,omitempty"`
	// ErrorKind is the devnet's own field: how the evaluation failed.
	ErrorKind string `json:"ErrorKind,omitempty"`
	GasUsed   int    `json:"GasUsed"`
}

// OutMessage is an outbox entry of a result.
type OutMessage struct {
	Target string        `json:"Target"`
	Anchor string        `json:"Anchor,omitempty"`
	Data   string        `json:"Data"`
	Tags   adapters.Tags `json:"Tags"`
}

// ToJSON renders a result as the compute unit answers it.
func ToJSON(res adapters.Result) ResultJSON {
	out := ResultJSON{Messages: []OutMessage{}, Spawns: []OutMessage{}, Output: res.Output, Error: res.Error, ErrorKind: string(res.ErrorKind)}
	for _, m := range res.Messages {
		out.Messages = append(out.Messages, outMessage(m))
	}
	for _, m := range res.Spawns {
		out.Spawns = append(out.Spawns, outMessage(m))
	}
	return out
}

func outMessage(m adapters.Message) OutMessage {
	tags := m.Tags
	if tags == nil {
		tags = adapters.Tags{}
	}
	return OutMessage{Target: m.Target, Anchor: m.Anchor, Data: m.Data, Tags: tags}
}

// result is the compute unit's GET /result/<id>?process-id=<pid>.
func (n *Network) result(w http.ResponseWriter, id, pid string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	rec, ok := n.results[pid+"/"+id]
	if !ok {
		writeError(w, http.StatusNotFound, "no result for message "+id+" on process "+pid)
		return
	}
	writeJSON(w, http.StatusOK, ToJSON(rec.result))
}

// resultsOf is the compute unit's GET /results/<pid>.
func (n *Network) resultsOf(w http.ResponseWriter, r *http.Request, pid string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	recs, _, ok := n.pageOf(w, r, pid)
	if !ok {
		return
	}
	if r.URL.Query().Get("sort") == "DESC" {
		for i, j := 0, len(recs)-1; i < j; i, j = i+1, j-1 {
			recs[i], recs[j] = recs[j], recs[i]
		}
	}
	edges := []map[string]any{}
	for _, rec := range recs {
		edges = append(edges, map[string]any{"cursor": rec.msg.ID, "node": ToJSON(rec.result)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"edges": edges})
}

// DryRunRequest is the body of POST /dry-run.
type DryRunRequest struct {
	ID     string        `json:"Id,omitempty"`
	Target string        `json:"Target"`
	Owner  string        `json:"Owner,omitempty"`
	From   string        `json:"From,omitempty"`
	Anchor string        `json:"Anchor,omitempty"`
	Data   string        `json:"Data,omitempty"`
	Tags   adapters.Tags `json:"Tags"`
}

// dryRun is the compute unit's POST /dry-run?process-id=<pid>.
func (n *Network) dryRun(w http.ResponseWriter, r *http.Request, pid string) {
	var req DryRunRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, MaxItemBytes))
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid dry-run body: "+err.Error())
		return
	}
	if pid == "" {
		pid = req.Target
	}
	from := req.From
	if from == "" {
		from = req.Owner
	}
	n.evaluate(w, adapters.Message{ID: req.ID, From: from, Owner: req.Owner, Target: pid, Anchor: req.Anchor, Data: req.Data, Tags: req.Tags})
}
