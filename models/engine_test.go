package models

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/mostao/conformance/adapters"
)

// watched wraps a target's worlds to count how many were made, and how many
// were open at once at most.
type watched struct {
	mu                 sync.Mutex
	made, open, most   int
	closedAfterTheLast bool
}

func (w *watched) target(t adapters.Target) adapters.Target {
	inner := t.NewWorld
	t.NewWorld = func() (adapters.World, error) {
		world, err := inner()
		if err != nil {
			return nil, err
		}
		w.mu.Lock()
		w.made++
		w.open++
		w.most = max(w.most, w.open)
		w.mu.Unlock()
		// Keep the world open a little, so that shards that may run
		// together do.
		time.Sleep(time.Millisecond)
		return &watchedWorld{World: world, w: w}, nil
	}
	return t
}

type watchedWorld struct {
	adapters.World
	w    *watched
	once sync.Once
}

func (ww *watchedWorld) Close() error {
	ww.once.Do(func() {
		ww.w.mu.Lock()
		ww.w.open--
		ww.w.mu.Unlock()
	})
	return ww.World.Close()
}

// TestEngineParallelBoundsTheShards: an engine that allows one world at a
// time gets one, however many cores the machine has.
func TestEngineParallelBoundsTheShards(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for _, parallel := range []int{1, 2} {
		var w watched
		target := fakeTarget("")
		target.Engine.Parallel = parallel
		out, err := Check(context.Background(), w.target(target), "01", Config{Checks: 64, Steps: 10})
		if err != nil {
			t.Fatal(err)
		}
		if out[0].Sequences != 64 {
			t.Errorf("ran %d sequences", out[0].Sequences)
		}
		if w.most > parallel {
			t.Errorf("Parallel %d: %d worlds were open at once", parallel, w.most)
		}
	}
}

// TestCostlyWorldsOnePerShard: an engine whose worlds are costly gets one
// world per shard, reused by the shard's sequences, with the same verdict
// and counts as fresh worlds give.
func TestCostlyWorldsOnePerShard(t *testing.T) {
	var fresh, shared watched
	a, err := Check(context.Background(), fresh.target(fakeTarget("")), "01", Config{Checks: 40, Steps: 10})
	if err != nil {
		t.Fatal(err)
	}
	costly := fakeTarget("")
	costly.Engine.CostlyWorlds = true
	b, err := Check(context.Background(), shared.target(costly), "01", Config{Checks: 40, Steps: 10})
	if err != nil {
		t.Fatal(err)
	}
	if fresh.made < 40 || shared.made > shards {
		t.Errorf("fresh worlds: %d made, costly worlds: %d made (want at most one per shard, %d)", fresh.made, shared.made, shards)
	}
	if shared.open != 0 {
		t.Errorf("%d shared worlds left open", shared.open)
	}
	if a[0].Sequences != b[0].Sequences || a[0].Steps != b[0].Steps || b[0].Failure != nil {
		t.Errorf("fresh: %d sequences, %d requests; shared: %d, %d, failure %v", a[0].Sequences, a[0].Steps, b[0].Sequences, b[0].Steps, b[0].Failure)
	}
}

// TestNoShrinkReportsTheFailureAsFound: an engine that cannot afford to
// replay a failure gets it as found; one that can gets it shrunk.
func TestNoShrinkReportsTheFailureAsFound(t *testing.T) {
	run := func(noShrink bool) *Failure {
		target := fakeTarget("rare-hijack")
		target.Engine.NoShrink = noShrink
		out, err := Check(context.Background(), target, "01", Config{Checks: 200, Steps: 10})
		if err != nil {
			t.Fatal(err)
		}
		if out[0].Failure == nil {
			t.Fatal("the bug was not found")
		}
		return out[0].Failure
	}
	shrunk, found := run(false), run(true)
	if found.Seed != shrunk.Seed || len(found.Sequence.Steps) <= len(shrunk.Sequence.Steps) {
		t.Errorf("as found: seed %d, %d requests; shrunk: seed %d, %d requests", found.Seed, len(found.Sequence.Steps), shrunk.Seed, len(shrunk.Sequence.Steps))
	}
}

// TestATransportFailureStopsTheProperty: a world call that fails in the
// transport is no divergence: Check returns an error that keeps
// adapters.ErrTransport in its chain.
func TestATransportFailureStopsTheProperty(t *testing.T) {
	target := fakeTarget("")
	inner := target.NewWorld
	target.NewWorld = func() (adapters.World, error) {
		w, err := inner()
		return transportWorld{w}, err
	}
	out, err := Check(context.Background(), target, "01", Config{Checks: 8, Steps: 5})
	if !errors.Is(err, adapters.ErrTransport) {
		t.Fatalf("want an error wrapping ErrTransport, got %v (outcomes %+v)", err, out)
	}
}

type transportWorld struct{ adapters.World }

func (transportWorld) Send(context.Context, adapters.Message) (adapters.Trace, error) {
	return adapters.Trace{}, fmt.Errorf("POST /message: %w", adapters.ErrTransport)
}
