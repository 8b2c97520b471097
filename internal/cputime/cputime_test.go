package cputime

import (
	"crypto/sha256"
	"runtime"
	"testing"
	"time"
)

// A fixed amount of work must show as CPU time, however long it takes on
// the wall clock: on a loaded machine the same work takes longer but uses
// the same CPU. The amount used cannot exceed what every core could have
// given in the wall time that passed.
func TestUsedGrowsWithWork(t *testing.T) {
	before, ok := Used()
	if !ok {
		t.Skip("this platform does not tell a process's CPU time")
	}
	start := time.Now()
	buf := make([]byte, 1<<16)
	sum := sha256.Sum256(buf)
	// About 100 MB hashed: tens of milliseconds of CPU on a fast core, well
	// above the accounting tick.
	for i := 0; i < 1600; i++ {
		copy(buf, sum[:])
		sum = sha256.Sum256(buf)
	}
	wall := time.Since(start)
	after, _ := Used()
	used := after - before
	if used <= 0 {
		t.Fatalf("hashing 100 MB (%x...) used %v of CPU", sum[:4], used)
	}
	// One accounting tick of slack on each side of the reads.
	if limit := wall*time.Duration(runtime.NumCPU()) + 20*time.Millisecond; used > limit {
		t.Errorf("CPU time grew by %v in %v of wall time on %d cores", used, wall, runtime.NumCPU())
	}
}

// A thread's CPU clock moves with work done on it and never backwards.
func TestThreadGrowsWithWork(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before, ok := Thread()
	if !ok {
		t.Skip("this platform does not tell a thread's CPU time")
	}
	buf := make([]byte, 1<<16)
	sum := sha256.Sum256(buf)
	for i := 0; i < 800; i++ {
		copy(buf, sum[:])
		sum = sha256.Sum256(buf)
	}
	after, _ := Thread()
	if after <= before {
		t.Fatalf("thread CPU time went from %v to %v over about 50 MB hashed", before, after)
	}
}
