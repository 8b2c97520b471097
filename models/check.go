// Package models is the model-based half of the conformance suite: a pure Go
// model of each MostAO process (models/domain, ...) and rapid state machines
// that drive any adapters.Target and the model side by side, compare every
// reply, shrink a disagreement to a minimal sequence, and write it out as a
// replayable file and a Gherkin regression scenario.
//
// Check is the entry point; it works inside and outside `go test`.
package models

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/roles"
)

// DefaultSeed is the seed used when Config.Seed is 0, so that runs are
// reproducible by default.
const DefaultSeed uint64 = 20240713

// Config sets the budget of a Check.
type Config struct {
	// Checks is the number of sequences per property; default 1000.
	Checks int
	// Steps is the number of generated requests per sequence; default 50.
	// rapid draws the length of each sequence; the property runs at most
	// Steps requests (plus the state checks that follow writes), and most
	// sequences reach it.
	Steps int
	// Seed is the first seed; 0 means DefaultSeed.
	Seed uint64
	// Command is the prefix of the replay line printed with a failure;
	// default "go run ./cmd/mostao certify".
	Command string
	// SearchWork, when positive, bounds the work (see adapters.RunWork) of
	// each shard's search: SearchWork per sequence of the shard, all its
	// sequences together. A shard past it stops, and Check returns an error
	// wrapping adapters.ErrRunWork (when no lower shard failed first: the
	// lowest shard that failed or stopped decides). ShrinkWork bounds what a shard may spend
	// reproducing and shrinking a failure it found, and the request-level
	// pass after it; past it the failure keeps the shortest sequence found
	// so far. Both are counted per shard, whose sequences run one after
	// another, so where a bound is met is the same on any machine. Zero
	// leaves the work unbounded (but for each world's own budget).
	SearchWork int64
	ShrinkWork int64
	// CallTimeout bounds each world call; 0 takes
	// adapters.DefaultCallTimeout. A call past it is a suite error.
	CallTimeout time.Duration
}

func (c Config) withDefaults() Config {
	if c.Checks <= 0 {
		c.Checks = 1000
	}
	if c.Steps <= 0 {
		c.Steps = 50
	}
	if c.Seed == 0 {
		c.Seed = DefaultSeed
	}
	if c.Command == "" {
		c.Command = "go run ./cmd/mostao certify"
	}
	return c
}

// Outcome is the result of one property.
type Outcome struct {
	MIP      string
	Property string
	// Covered lists the requirement IDs that at least one request of a
	// passing sequence checked: the keys of Checked, sorted. A property that
	// ran nothing covers nothing.
	Covered []string
	// Checked counts, per requirement ID, the requests of passing sequences
	// whose reply was compared against the model on that requirement.
	Checked map[string]int
	// Failed lists the requirement IDs at the first divergence (empty when
	// the property passed).
	Failed []string
	// Failure is the minimal failing sequence; nil when the property passed.
	Failure *Failure
	// Sequences and Steps count what was generated and run (shrinking
	// excluded).
	Sequences int
	Steps     int
}

// Untested reports whether the property passed without running a single
// sequence: it vouches for nothing and must not be reported as a pass.
func (o Outcome) Untested() bool { return o.Failure == nil && o.Sequences == 0 }

// ErrNoProperties is returned by Check for a MIP that has no model-based
// property (MIP-00 conventions are checked inside every other MIP's).
var ErrNoProperties = errors.New("models: no model-based property for this MIP")

// property is one state machine over a MIP.
type property struct {
	mip, name string
	// setup draws the processes and wallets a fresh sequence starts with.
	setup func(t *rapid.T) ([]Process, []string)
	// model makes the model side of a sequence.
	model func(seq Sequence) system
	// machine returns the actions that generate and run the steps, each
	// sequence at most limit of them.
	machine func(r *runner, sys system, limit int) map[string]func(*rapid.T)
}

// machines are the state machines of this package; the role registry
// (roles.Role.Properties) says which of them check each role's MIP.
var machines = []property{domainProperty, profileProperty, chatProperty, sessionProperty}

// properties are the properties of each MIP, in the registry's order.
var properties = propertiesByMIP(roles.All())

// propertiesByMIP maps each role's MIP to the machines the registry names
// for it. A name the package has no machine for, or a machine of another
// MIP, is a bug of the suite: it panics when the package loads.
func propertiesByMIP(rs []roles.Role) map[string][]property {
	out := map[string][]property{}
	for _, r := range rs {
		for _, name := range r.Properties {
			i := slices.IndexFunc(machines, func(p property) bool { return p.name == name })
			if i < 0 || machines[i].mip != r.MIP {
				panic(fmt.Sprintf("models: the role %s names the property %q, which is no MIP-%s machine of this package", r.Name, name, r.MIP))
			}
			out[r.MIP] = append(out[r.MIP], machines[i])
		}
	}
	return out
}

func findProperty(mip, name string) (property, bool) {
	for _, p := range properties[mip] {
		if p.name == name {
			return p, true
		}
	}
	return property{}, false
}

// Check runs every property of one MIP ("01") against the target, each with
// cfg's budget, every sequence in a fresh world. A target's failure is an
// Outcome with a Failure; the error is only for "the suite could not run"
// (no world, a role the target lacks, a cancelled context).
func Check(ctx context.Context, target adapters.Target, mip string, cfg Config) ([]Outcome, error) {
	props, ok := properties[mip]
	if !ok {
		return nil, fmt.Errorf("%w: MIP-%s", ErrNoProperties, mip)
	}
	cfg = cfg.withDefaults()
	var out []Outcome
	for _, p := range props {
		o, err := checkProperty(ctx, target, p, cfg)
		if err != nil {
			return out, err
		}
		out = append(out, o)
	}
	return out, nil
}

// rapidMu serialises Checks: rapid reads its budget from process-wide flags.
var rapidMu sync.Mutex

// Shards: a property's sequences are split into a fixed number of shards,
// each a rapid.Check of its own seed and share of the budget, run on as
// many cores as the machine has. The split depends on nothing but the
// Config, so a seed gives the same sequences, the same verdict and the
// same counts on any machine.
const shards = 8

// shardSeed is the first seed of shard k: shard 0 starts at the Config's
// seed, so that `--checks 1 --seed S` runs exactly the sequence of seed S;
// the others start far apart (by the golden-ratio increment).
func shardSeed(seed uint64, k int) uint64 {
	return seed + uint64(k)*0x9E3779B97F4A7C15
}

// shardChecks is shard k's share of checks sequences.
func shardChecks(checks, k int) int {
	n := checks / shards
	if k < checks%shards {
		n++
	}
	return n
}

// attempt is what one run of a property left behind.
type attempt struct {
	seq       Sequence
	div       Divergence
	expected  [][]Expected
	spawn     []Expected
	exchanges []adapters.Exchange
}

// shard is what one shard of a property found.
type shard struct {
	sequences, steps int
	checked          map[string]int // requests per requirement, of passing sequences
	last             *attempt       // the last (so the most shrunk) divergence
	suiteErr         error
	rec              *recorder
	// shrink bounds the work of shrinking the shard's failure (rapid's
	// and minimize's together).
	shrink *adapters.RunWork
}

// meter returns the target a shard's next run uses: counted against the
// search's bound until the shard found a failure, against the shrink's
// after; the target itself when cfg sets no bound.
func meter(target adapters.Target, cfg Config, search, shrink *adapters.RunWork, found bool) adapters.Target {
	switch {
	case cfg.SearchWork <= 0:
		return target
	case found:
		return shrink.Meter(target)
	}
	return search.Meter(target)
}

func checkProperty(ctx context.Context, target adapters.Target, p property, cfg Config) (Outcome, error) {
	rapidMu.Lock()
	defer rapidMu.Unlock()
	restore, err := setRapidFlags(cfg)
	if err != nil {
		return Outcome{}, err
	}
	defer restore()

	// Shards start one at a time: rapid reads its seed and budget from the
	// flags when a Check begins (before it first calls the property), so
	// each shard's flags are set, the shard started, and the next set only
	// once the shard has called its property or ended. At most
	// GOMAXPROCS shards run at once, and no more than the engine allows
	// (Engine.Parallel).
	results := make([]*shard, shards)
	// stopAbove is the lowest failing shard so far: the verdicts of the
	// shards above it no longer matter, and their remaining sequences pass
	// at once.
	var stopAbove atomic.Int64
	stopAbove.Store(shards)
	parallel := min(runtime.GOMAXPROCS(0), shards)
	if n := target.Engine.Parallel; n > 0 {
		parallel = min(parallel, n)
	}
	slots := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for k := 0; k < shards; k++ {
		n := shardChecks(cfg.Checks, k)
		if n == 0 {
			continue
		}
		slots <- struct{}{}
		err := setFlag("rapid.seed", strconv.FormatUint(shardSeed(cfg.Seed, k), 10))
		if err == nil {
			err = setFlag("rapid.checks", strconv.Itoa(rapidChecks(n)))
		}
		if err != nil {
			// Let the shards already started finish before the flags go back.
			stopAbove.Store(-1)
			wg.Wait()
			return Outcome{}, err
		}
		started := make(chan struct{})
		var once sync.Once
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			defer func() { <-slots }()
			defer once.Do(func() { close(started) })
			// The shard lowers stopAbove as soon as it finds a failure
			// (or cannot go on), before it shrinks it: the shards above no
			// longer matter, whatever the failure shrinks to.
			lower := func() {
				for {
					cur := stopAbove.Load()
					if int64(k) >= cur || stopAbove.CompareAndSwap(cur, int64(k)) {
						return
					}
				}
			}
			results[k] = runShard(ctx, target, p, cfg, n, func() bool { return int64(k) > stopAbove.Load() }, func() { once.Do(func() { close(started) }) }, lower)
			if results[k].rec.failed {
				lower()
			}
		}(k)
		<-started
	}
	wg.Wait()

	out, failing, err := combine(p, results)
	if err != nil {
		return out, fmt.Errorf("models: MIP-%s property %s could not run against %s: %w", p.mip, p.name, target.Name, err)
	}
	if failing == nil {
		return out, nil
	}
	last := failing.last
	if last == nil {
		return out, fmt.Errorf("models: MIP-%s property %s failed without a divergence (a bug of the suite): %s", p.mip, p.name, strings.Join(failing.rec.errors, "\n"))
	}
	seed := failing.rec.failingSeed()
	last.seq.Seed = seed
	f := &Failure{Seed: seed, Sequence: last.seq, Divergence: last.div, Expectations: last.expected, SpawnExpectations: last.spawn, Exchanges: last.exchanges}
	f.Replay = fmt.Sprintf("%s --mip %s --seed %d --checks 1", cfg.Command, p.mip, seed)
	if cfg.Steps != 50 {
		f.Replay += fmt.Sprintf(" --steps %d", cfg.Steps)
	}
	shrunk := target
	if cfg.SearchWork > 0 {
		// What is left of the shard's shrink bound: rapid's shrinking and
		// this pass share it.
		shrunk = failing.shrink.Meter(target)
	}
	if !target.Engine.NoShrink {
		if target.Engine.CostlyWorlds {
			var done func() error
			shrunk, done = adapters.Share(shrunk)
			defer done()
		}
		f = minimize(ctx, shrunk, f, cfg.CallTimeout)
	}
	out.Failure = f
	out.Failed = f.Divergence.Requirements
	return out, nil
}

// combine makes a property's outcome from its shards. The verdict is the
// lowest failing shard's; the counts and the coverage are those of the
// shards up to it, which all ran to the end. Coverage is only what passing
// sequences checked: nothing is credited in advance, so a property that ran
// no sequence covers no requirement.
func combine(p property, results []*shard) (Outcome, *shard, error) {
	out := Outcome{MIP: p.mip, Property: p.name, Checked: map[string]int{}}
	var failing *shard
	for _, sh := range results {
		if sh == nil {
			continue
		}
		if sh.suiteErr != nil {
			return Outcome{MIP: p.mip, Property: p.name}, nil, sh.suiteErr
		}
		out.Sequences += sh.sequences
		out.Steps += sh.steps
		for id, n := range sh.checked {
			out.Checked[id] += n
		}
		if sh.rec.failed {
			failing = sh
			break
		}
	}
	out.Covered = sortedKeys(out.Checked)
	return out, failing, nil
}

// rapidChecks is the value of rapid's checks flag that makes rapid run n
// sequences: under -short rapid runs a fifth of its flag, so the flag is
// raised back, and a Config runs the same sequences in and out of -short.
func rapidChecks(n int) int {
	if testing.Short() {
		return 5 * n
	}
	return n
}

// runShard runs one rapid.Check of the property with the flags as they are
// set now. started is called when rapid first calls the property (it has
// read its flags by then); once stopped reports true, every remaining
// sequence passes at once.
func runShard(ctx context.Context, target adapters.Target, p property, cfg Config, sequences int, stopped func() bool, started, failed func()) *shard {
	sh := &shard{checked: map[string]int{}, rec: &recorder{name: "MIP-" + p.mip + "/" + p.name}}
	if target.Engine.CostlyWorlds {
		// One world for the shard's sequences, which run one after
		// another, each spawning processes of its own.
		var done func() error
		target, done = adapters.Share(target)
		defer func() {
			if err := done(); err != nil && sh.suiteErr == nil {
				sh.suiteErr = fmt.Errorf("closing the shard's world: %w", err)
			}
		}()
	}
	found := false // a divergence was seen: later runs reproduce and shrink it
	search := adapters.NewRunWork(int64(sequences) * cfg.SearchWork)
	shrink := adapters.NewRunWork(cfg.ShrinkWork)
	sh.shrink = shrink
	// suiteError keeps an error that ends the shard, but for the shrink's
	// bound: past it rapid's remaining attempts fail at once and are not
	// divergences, so the failure keeps the last one it recorded.
	suiteError := func(err error) {
		if found && errors.Is(err, adapters.ErrRunWork) {
			return
		}
		if sh.suiteErr == nil {
			sh.suiteErr = err
			failed()
		}
	}
	rapid.Check(sh.rec, func(t *rapid.T) {
		started()
		if stopped() || sh.suiteErr != nil {
			// A suite error ends the shard: rapid takes it for a failure
			// and shrinks it, and each attempt would meet it again (at the
			// wall-clock safety net, a minute an attempt).
			return
		}
		if found && cfg.SearchWork > 0 && shrink.Spent() {
			// The shrink's bound is spent: this attempt passes at once, so
			// rapid rejects it without building anything.
			return
		}
		if err := ctx.Err(); err != nil {
			sh.suiteErr = err
			t.Fatalf("cancelled: %v", err)
		}
		procs, wallets := p.setup(t)
		r, err := newRunner(ctx, meter(target, cfg, search, shrink, found), Sequence{MIP: p.mip, Property: p.name, Processes: procs, Wallets: wallets}, cfg.CallTimeout)
		if err != nil {
			suiteError(err)
			t.Fatalf("%v", err)
		}
		defer r.close()
		r.sys = p.model(r.seq)
		r.onSuiteError = suiteError
		r.onDivergence = func(d *Divergence) {
			if !found {
				failed()
			}
			found = true
			seq := r.seq
			seq.Steps = append([]Step(nil), r.seq.Steps...)
			sh.last = &attempt{seq: seq, div: *d, expected: r.expectations(), spawn: r.spawnExpected, exchanges: r.exchanges}
		}
		if d, err := r.start(); err != nil {
			suiteError(err)
			t.Fatalf("%v", err)
		} else if d != nil {
			r.onDivergence(d)
			t.Fatalf("divergence at the spawn: expected %s, got %s", d.Expected, d.Got)
		}
		actions := p.machine(r, r.sys, cfg.Steps)
		t.Repeat(actions)
		// Reached only when the sequence passed; the runs that reproduce
		// and shrink a divergence are not counted.
		if !found {
			sh.sequences++
			sh.steps += len(r.seq.Steps)
			for id, n := range r.checked {
				sh.checked[id] += n
			}
		}
	})
	return sh
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// recorder is the rapid.TB of a Check: it records failure instead of ending
// a test, so that Check runs outside `go test`.
type recorder struct {
	name   string
	failed bool
	errors []string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Name() string                      { return r.name }
func (r *recorder) Logf(string, ...any)               {}
func (r *recorder) Log(...any)                        {}
func (r *recorder) Skipf(format string, args ...any)  { r.Errorf(format, args...) }
func (r *recorder) Skip(args ...any)                  { r.Error(args...) }
func (r *recorder) SkipNow()                          { r.failed = true }
func (r *recorder) Errorf(format string, args ...any) { r.Error(fmt.Sprintf(format, args...)) }
func (r *recorder) Error(args ...any) {
	r.failed = true
	r.errors = append(r.errors, fmt.Sprint(args...))
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recorder) Fatal(args ...any)                 { r.Error(args...) }
func (r *recorder) FailNow()                          { r.failed = true }
func (r *recorder) Fail()                             { r.failed = true }
func (r *recorder) Failed() bool                      { return r.failed }

var seedInReport = regexp.MustCompile(`-rapid\.seed=([0-9]+)`)

// failingSeed reads the seed of the failing sequence from rapid's report.
func (r *recorder) failingSeed() uint64 {
	for _, e := range r.errors {
		if m := seedInReport.FindStringSubmatch(e); m != nil {
			n, _ := strconv.ParseUint(m[1], 10, 64)
			return n
		}
	}
	return 0
}

// setFlag sets one of rapid's flags.
func setFlag(name, value string) error {
	if err := flag.Set(name, value); err != nil {
		return fmt.Errorf("models: setting %s: %w", name, err)
	}
	return nil
}

var prepareOnce sync.Once

// setRapidFlags gives rapid the budget of cfg through its flags (rapid has
// no other way to take them) and returns a function that restores them.
// Outside a test binary it first initialises the testing flags, because
// rapid asks testing.Short().
func setRapidFlags(cfg Config) (func(), error) {
	prepareOnce.Do(func() {
		if !testing.Testing() {
			testing.Init()
			if !flag.Parsed() {
				_ = flag.CommandLine.Parse(nil)
			}
		}
	})
	// Repeat draws lengths around its mean; a mean of three times the
	// budget makes most sequences reach the budget, where they stop. Under
	// -short rapid halves the mean: doubling it back keeps every sequence
	// the one the command line generates for its seed, so that the replay
	// line of a failure found under -short reproduces it.
	mean := 3 * cfg.Steps
	if testing.Short() {
		mean *= 2
	}
	values := map[string]string{
		"rapid.checks":     strconv.Itoa(cfg.Checks),
		"rapid.steps":      strconv.Itoa(mean),
		"rapid.seed":       strconv.FormatUint(cfg.Seed, 10),
		"rapid.nofailfile": "true",
		"rapid.v":          "false",
		"rapid.log":        "false",
		// rapid shrinks for as long as this time allows, so a limit that
		// can be reached makes what it finds (and the report) depend on
		// the machine's load: an hour is out of reach, and the work
		// bound (Config.ShrinkWork) is what ends a long shrink, the same
		// on any machine.
		"rapid.shrinktime": "1h",
	}
	old := map[string]string{}
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		f := flag.Lookup(k)
		if f == nil {
			return nil, fmt.Errorf("models: rapid flag %s is not registered", k)
		}
		old[k] = f.Value.String()
		if err := flag.Set(k, values[k]); err != nil {
			return nil, fmt.Errorf("models: setting %s: %w", k, err)
		}
	}
	return func() {
		for k, v := range old {
			_ = flag.Set(k, v)
		}
	}, nil
}
