package wasm

import "sync"

// snapshotBuffers holds the snapshot buffers of closed processes for the
// next ones. Each process copies its memory (4 MB for the reference
// processes) before every message into a buffer of its own; a buffer fresh
// from the allocator is faulted in page by page on that first copy, and a
// certification spawns thousands of short-lived processes, so that copy was
// most of a spawn's CPU.
var snapshotBuffers sync.Pool

// spareSnapshot returns a snapshot whose buffer comes from a closed
// process when one is free.
func spareSnapshot() *snapshot {
	if b, ok := snapshotBuffers.Get().(*[]byte); ok {
		return &snapshot{mem: (*b)[:0]}
	}
	return &snapshot{}
}

// releaseSnapshot gives the process's snapshot buffer to the next process.
func (p *process) releaseSnapshot() {
	if p.spare != nil && cap(p.spare.mem) > 0 {
		b := p.spare.mem[:0]
		snapshotBuffers.Put(&b)
	}
	p.spare = nil
}
