package cputime

import "time"

// Thread returns the CPU time the calling OS thread has used so far. Lock
// the goroutine to its thread (runtime.LockOSThread) between two readings:
// the difference is then the CPU the goroutine used in between, without
// the time other programs took from it, which makes per-operation
// percentiles readable on a loaded machine. ok is false on a platform where
// it cannot be read.
func Thread() (d time.Duration, ok bool) { return thread() }
