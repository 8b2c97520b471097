package mutate

import (
	"context"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/spec"
)

// Status is what the suite did to a mutant.
type Status string

// The statuses of a mutant.
const (
	// Killed: some MUST requirement failed.
	Killed Status = "killed"
	// Survived: every MUST passed; the suite has a gap (unless the mutant
	// is listed as equivalent).
	Survived Status = "survived"
	// Timeout: the engine's work bounds stopped the mutant (it loops or
	// storms): the run stopped, or a failing check hit a compute limit.
	Timeout Status = "timeout"
	// Should: every MUST passed but a SHOULD failed: the suite reports the
	// defect, yet an implementation with it is still certified, so it is
	// counted apart from kills and from survivors.
	Should Status = "should"
	// Equivalent: a listed equivalent mutant that survived, as expected.
	Equivalent Status = "equivalent"
	// Stale: a listed equivalent mutant that the suite kills: the list is
	// wrong, or the suite now sees a difference.
	Stale Status = "stale"
)

// Result is the fate of one mutant.
type Result struct {
	Mutant Mutant
	Status Status
	// Killers are the MUST requirements that failed, sorted; for a mutant
	// of status Should, the SHOULD requirements that failed.
	Killers []string
	// Reason is the listed reason of an equivalent (or stale) mutant.
	Reason string
}

// Certify runs the suite on one mutant.
type Certify func(ctx context.Context, m Mutant) (reports.Run, error)

// Run certifies every mutant, on up to workers at a time (0: GOMAXPROCS),
// and returns the results in the order of mutants whatever order they end
// in. equivalent maps the IDs of the reviewed equivalent mutants to their
// reasons. progress, when set, is told how many mutants are done after
// each. The first error (the suite could not run) stops the run.
func Run(ctx context.Context, mutants []Mutant, certify Certify, workers int, equivalent map[string]string, progress func(done, total int)) ([]Result, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]Result, len(mutants))
	// firstErr is the error that stopped the run, not one of the
	// cancellations it caused in the other workers.
	var (
		mu       sync.Mutex
		firstErr error
		done     int
	)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				run, err := certify(ctx, mutants[i])
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
					continue
				}
				out[i] = Judge(mutants[i], run, equivalent)
				if progress != nil {
					mu.Lock()
					done++
					progress(done, len(mutants))
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for i := range mutants {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := parent.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// BothLoadings makes a Certify of certify, which certifies a mutant with
// its code loaded with the spawn message (bootLoader false) or by aos's
// boot loader after it (On-Boot, as real aos loads code): it runs the
// first and, when that neither kills the mutant nor stops at a limit, the
// second. Some lines of a process run under one loading only (the
// reference's start from Inbox[1]), and a mutant is seen when either
// loading sees it. The run returned is the killing one, else the first.
func BothLoadings(certify func(ctx context.Context, m Mutant, bootLoader bool) (reports.Run, error)) Certify {
	return func(ctx context.Context, m Mutant) (reports.Run, error) {
		withSpawn, err := certify(ctx, m, false)
		if s := Judge(m, withSpawn, nil).Status; err != nil || (s != Survived && s != Should) {
			return withSpawn, err
		}
		booted, err := certify(ctx, m, true)
		if err != nil || Judge(m, booted, nil).Status != Killed {
			return withSpawn, err
		}
		return booted, nil
	}
}

// Judge says what the run of a mutant did to it.
func Judge(m Mutant, run reports.Run, equivalent map[string]string) Result {
	r := Result{Mutant: m}
	limited := run.Header.Stopped != ""
	var shoulds []string
	for _, req := range run.Requirements {
		if req.Level == spec.Should && req.Verdict == reports.Warn {
			shoulds = append(shoulds, req.ID)
		}
		if req.Level != spec.Must || req.Verdict != reports.Fail {
			continue
		}
		r.Killers = append(r.Killers, req.ID)
		for _, c := range req.Checks {
			if !c.Passed && strings.Contains(c.Error, "("+string(adapters.ErrorComputeLimit)+")") {
				limited = true
			}
		}
	}
	sort.Strings(r.Killers)
	reason, listed := equivalent[m.ID]
	switch {
	case limited:
		r.Status = Timeout
	case len(r.Killers) > 0 && listed:
		r.Status, r.Reason = Stale, reason
	case len(r.Killers) > 0:
		r.Status = Killed
	case listed:
		r.Status, r.Reason = Equivalent, reason
	case len(shoulds) > 0:
		sort.Strings(shoulds)
		r.Status, r.Killers = Should, shoulds
	default:
		r.Status = Survived
	}
	return r
}

// Score sums up the results of one process.
type Score struct {
	Total, Killed, Survived, Timeout, Should, Equivalent, Stale int
	// MedianBlame is the median number of failing MUSTs of a killed
	// mutant: the blame precision (1 is a kill that names one requirement).
	MedianBlame float64
}

// Rate is the mutation score: killed out of the mutants that are not
// listed as equivalent (a timeout is not a kill).
func (s Score) Rate() float64 {
	n := s.Total - s.Equivalent
	if n == 0 {
		return 1
	}
	return float64(s.Killed+s.Stale) / float64(n)
}

// Summarize scores results.
func Summarize(results []Result) Score {
	var s Score
	var blames []int
	for _, r := range results {
		s.Total++
		switch r.Status {
		case Killed:
			s.Killed++
			blames = append(blames, len(r.Killers))
		case Survived:
			s.Survived++
		case Timeout:
			s.Timeout++
		case Should:
			s.Should++
		case Equivalent:
			s.Equivalent++
		case Stale:
			s.Stale++
		}
	}
	sort.Ints(blames)
	if n := len(blames); n > 0 {
		s.MedianBlame = float64(blames[n/2])
		if n%2 == 0 {
			s.MedianBlame = float64(blames[n/2-1]+blames[n/2]) / 2
		}
	}
	return s
}
