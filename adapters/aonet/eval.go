package aonet

import (
	"fmt"

	"github.com/mostao/conformance/adapters"
)

// BoundOutbox replaces a successful result that queued more than max
// messages and spawns (an engine's MaxMessagesPerEval) with a
// compute-limit failure, and reports whether it did: the process then
// keeps none of the evaluation's changes, as after any failure.
func BoundOutbox(res *adapters.Result, max int) bool {
	if res.ErrorKind != "" {
		return false
	}
	n := len(res.Messages) + len(res.Spawns)
	if n <= max {
		return false
	}
	*res = adapters.Result{ErrorKind: adapters.ErrorComputeLimit,
		Error: fmt.Sprintf("evaluation queued %d messages and spawns, more than the limit of %d (MaxMessagesPerEval)", n, max)}
	return true
}

// SpawnFailedForGood is the error of every later message to process pid,
// whose spawn message failed with reason and whose state was not kept: a
// process that never started keeps failing, as on a compute unit.
func SpawnFailedForGood(pid, reason string) string {
	return "process " + pid + " failed on its spawn message and keeps failing: " + reason
}
