package lua

import "testing"

// A coroutine made in one message and resumed in later ones (a generator
// kept in a global) must keep working.
func TestCoroutineKeptAcrossMessages(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
Gen = coroutine.wrap(function() local i = 0 while true do i = i + 1 coroutine.yield(i) end end)
Co = coroutine.create(function() local i = 100 while true do i = i + 1 coroutine.yield(i) end end)`)
	for i, want := range []string{"1 101", "2 102", "3 103"} {
		got := eval(t, w, alice, pid, `local ok, v = coroutine.resume(Co) return Gen() .. " " .. tostring(v)`)
		if got != want {
			t.Fatalf("message %d: %q, want %q", i, got, want)
		}
	}
}
