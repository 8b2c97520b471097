// Package cputime reads how much CPU time this process has used, for
// benchmarks that report a rate per CPU-second: on a machine shared with
// other work, CPU time is a steadier measure than wall time, and it shows
// what one core does when the work runs on several.
package cputime

import "time"

// Used returns the CPU time the process has used so far, all threads
// together, user plus system. ok is false on a platform where it cannot be
// read.
func Used() (d time.Duration, ok bool) { return used() }
