package cputime

import (
	"testing"
	"time"
)

// Spinning on one goroutine for a while must show as CPU time.
func TestUsedGrowsWithWork(t *testing.T) {
	before, ok := Used()
	if !ok {
		t.Skip("this platform does not tell a process's CPU time")
	}
	deadline := time.Now().Add(200 * time.Millisecond)
	x := 0
	for time.Now().Before(deadline) {
		x++
	}
	after, _ := Used()
	if after-before < 50*time.Millisecond {
		t.Errorf("spinning 200ms (%d rounds) used %v of CPU", x, after-before)
	}
}
