package lua

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	glua "github.com/yuin/gopher-lua"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/internal/cputime"
)

// domainHandlers is the handler code of the Register/QueryDomain workload:
// a JSON decode, a table write and a JSON reply per Register, a table read
// and a JSON reply per QueryDomain. The engine and the bare gopher-lua
// benchmark run exactly this code; only what surrounds it differs.
const domainHandlers = `
local json = require("json")
Names = Names or {}
function register(msg)
  local req = json.decode(msg.Data)
  Names[req.name] = { owner = msg.From, target = req.target, at = msg.Timestamp }
  msg.reply({ Action = "Register-Notice", Data = json.encode({ name = req.name, owner = msg.From }) })
end
function queryDomain(msg)
  local rec = Names[msg.Name]
  msg.reply({ Action = "QueryDomain-Result", Data = json.encode(rec or { error = "not found" }) })
end
`

// domainNames is how many names the workload cycles through: the state
// stays the same size however long the benchmark runs, so the figures do
// not depend on b.N.
const domainNames = 256

// domainMessage is the i-th message of the workload: Register and
// QueryDomain in turn, six tags each.
func domainMessage(i int) (action, name, data string, tags adapters.Tags) {
	name = fmt.Sprintf("name-%d.ao", (i/2)%domainNames)
	action, data = "Register", fmt.Sprintf(`{"name":%q,"target":"target-%d"}`, name, i)
	if i%2 == 1 {
		action, data = "QueryDomain", ""
	}
	tags = adapters.Tags{
		{Name: "Data-Protocol", Value: "ao"},
		{Name: "Variant", Value: "ao.TN.1"},
		{Name: "Type", Value: "Message"},
		{Name: "Action", Value: action},
		{Name: "Name", Value: name},
		{Name: "App-Name", Value: "mostao-bench"},
	}
	return action, name, data, tags
}

// perMessage times each message on the benchmark goroutine's own thread
// (wall time where a thread's CPU time cannot be read), and reports the
// median and 99th percentile per message, and messages per CPU-second of
// the whole process (the collector's work included).
type perMessage struct {
	b       *testing.B
	samples []time.Duration
	clock   func() (time.Duration, bool)
	start   time.Duration
	total   time.Duration
}

func newPerMessage(b *testing.B) *perMessage {
	runtime.LockOSThread()
	pm := &perMessage{b: b, samples: make([]time.Duration, 0, b.N), clock: cputime.Thread}
	if _, ok := cputime.Thread(); !ok {
		pm.clock = func() (time.Duration, bool) { return time.Duration(time.Now().UnixNano()), true }
	}
	pm.total, _ = cputime.Used()
	return pm
}

func (pm *perMessage) begin() { pm.start, _ = pm.clock() }

func (pm *perMessage) end() {
	now, _ := pm.clock()
	pm.samples = append(pm.samples, now-pm.start)
}

func (pm *perMessage) report() {
	defer runtime.UnlockOSThread()
	used, ok := cputime.Used()
	if len(pm.samples) == 0 {
		return
	}
	if ok {
		cpu := used - pm.total
		pm.b.ReportMetric(float64(len(pm.samples))/cpu.Seconds(), "msgs/cpu-s")
	}
	pm.b.ReportMetric(float64(len(pm.samples))/pm.b.Elapsed().Seconds(), "msgs/s")
	slices.Sort(pm.samples)
	at := func(q float64) time.Duration { return pm.samples[int(q*float64(len(pm.samples)-1))] }
	pm.b.ReportMetric(float64(at(0.50).Nanoseconds()), "p50-ns")
	pm.b.ReportMetric(float64(at(0.99).Nanoseconds()), "p99-ns")
	pm.b.ReportMetric(float64(at(0.99))/float64(at(0.50)), "p99/p50")
}

// runDomain runs the workload: deliver takes the i-th message and returns
// the Action of the one reply it must cause. Only deliver is timed.
func runDomain(b *testing.B, deliver func(i int, data string, tags adapters.Tags) (reply string, err error)) {
	want := map[string]string{"Register": "Register-Notice", "QueryDomain": "QueryDomain-Result"}
	b.ReportAllocs()
	b.ResetTimer()
	pm := newPerMessage(b)
	for i := 0; i < b.N; i++ {
		action, _, data, tags := domainMessage(i)
		pm.begin()
		reply, err := deliver(i, data, tags)
		pm.end()
		if err != nil || reply != want[action] {
			b.Fatalf("%s: replied %q: %v", action, reply, err)
		}
	}
	pm.report()
}

// BenchmarkDomainEngine: the Register/QueryDomain workload sent by a wallet
// to a process of the engine (aos runtime, routing, snapshots, limits).
func BenchmarkDomainEngine(b *testing.B) {
	w, alice, pid := newTestWorld(b, domainHandlers+`
Handlers.add("Register", "Register", register)
Handlers.add("QueryDomain", "QueryDomain", queryDomain)
`, benchLimits)
	ctx := context.Background()
	runDomain(b, func(_ int, data string, tags adapters.Tags) (string, error) {
		tr, err := w.Send(ctx, adapters.Message{From: alice, Target: pid, Data: data, Tags: tags})
		if err != nil || len(tr.Deliveries) != 1 || len(tr.Deliveries[0].Result.Messages) != 1 {
			return "", fmt.Errorf("%v %+v", err, tr)
		}
		action, _ := tr.Deliveries[0].Result.Messages[0].Tags.Get("Action")
		return action, nil
	})
}

// bareHarness is all that surrounds the handlers on bare gopher-lua: a
// dispatch on Action and a msg.reply that queues the reply.
const bareHarness = `
Outbox = {}
function dispatch(msg)
  msg.reply = function(r)
    r.Target = msg.From
    Outbox[#Outbox + 1] = r
  end
  if msg.Action == "Register" then register(msg) elseif msg.Action == "QueryDomain" then queryDomain(msg) end
end
`

// BenchmarkDomainBare: the same handler code on a bare gopher-lua state,
// with the same JSON module and no aos runtime: the message is a table
// built in Go, and the reply is read back into Go.
func BenchmarkDomainBare(b *testing.B) {
	L := glua.NewState()
	defer L.Close()
	L.PreloadModule("json", openJSON)
	if err := L.DoString(domainHandlers + bareHarness); err != nil {
		b.Fatal(err)
	}
	dispatch := L.GetGlobal("dispatch")
	alice := aliceAddress
	runDomain(b, func(i int, data string, tags adapters.Tags) (string, error) {
		msg := L.CreateTable(0, 16)
		msg.RawSetString("Id", glua.LString(adapters.DeterministicID(fmt.Sprint("bare/", i))))
		msg.RawSetString("From", glua.LString(alice))
		msg.RawSetString("Owner", glua.LString(alice))
		msg.RawSetString("Data", glua.LString(data))
		msg.RawSetString("Timestamp", glua.LNumber(1_700_000_000_000+i))
		for _, t := range tags {
			msg.RawSetString(t.Name, glua.LString(t.Value))
		}
		msg.RawSetString("Tags", tagArray(L, tags))
		if err := L.CallByParam(glua.P{Fn: dispatch, Protect: true}, msg); err != nil {
			return "", err
		}
		outbox := L.GetGlobal("Outbox").(*glua.LTable)
		var replies []adapters.Message
		for j := 1; j <= outbox.Len(); j++ {
			r := outbox.RawGetInt(j).(*glua.LTable)
			replies = append(replies, adapters.Message{Target: r.RawGetString("Target").String(), Data: r.RawGetString("Data").String(),
				Tags: adapters.Tags{{Name: "Action", Value: r.RawGetString("Action").String()}}})
		}
		L.SetGlobal("Outbox", L.NewTable())
		if len(replies) != 1 {
			return "", fmt.Errorf("%d replies", len(replies))
		}
		return replies[0].Tags[0].Value, nil
	})
}

// aliceAddress is a wallet address for the bare benchmark, shaped like the
// engine's.
var aliceAddress = adapters.DeterministicID("bench/alice")
