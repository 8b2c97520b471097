package lua

import (
	"regexp"
	"strings"
	"testing"
)

// TestAddressesAreTheSameOnEveryRun: tostring of a table, a function, a
// coroutine or a userdata shows an address, as on aos, that is the same on
// every run of the same messages (gopher-lua showed the Go heap's, so a
// process that branched on it got another verdict on every run), distinct
// for distinct objects living at once, and the same by dryrun as by a
// sent message (a dryrun takes the book back with the state).
func TestAddressesAreTheSameOnEveryRun(t *testing.T) {
	const setup = `Kept = {} KeptF = function() end`
	const show = `local co = coroutine.create(function() end)
print(tostring(Kept), tostring(KeptF), tostring({}), tostring(co), string.format("%s", {}), tostring(Kept))`
	run := func() (sent, dryrun, again string) {
		w, alice, pid := newTestWorld(t, "")
		eval(t, w, alice, pid, setup)
		dryrun = dry(t, w, alice, pid, show).Output
		sent = eval(t, w, alice, pid, show)
		again = eval(t, w, alice, pid, show)
		return sent, dryrun, again
	}
	sent1, dry1, again1 := run()
	sent2, dry2, again2 := run()
	if sent1 != sent2 || dry1 != dry2 || again1 != again2 {
		t.Fatalf("two runs of the same messages show other addresses:\n%s\n%s", sent1+" | "+again1, sent2+" | "+again2)
	}
	if dry1 != sent1 {
		t.Errorf("a dryrun shows %q, the same message sent %q", dry1, sent1)
	}
	shape := regexp.MustCompile(`^table: 0x[0-9a-f]{12}\tfunction: 0x[0-9a-f]{12}\ttable: 0x[0-9a-f]{12}\tthread: 0x[0-9a-f]{12}\ttable: 0x[0-9a-f]{12}\ttable: 0x[0-9a-f]{12}$`)
	if !shape.MatchString(sent1) {
		t.Fatalf("addresses are shown as %q", sent1)
	}
	f := strings.Split(sent1, "\t")
	if f[0] != f[5] {
		t.Errorf("one table shows two addresses: %q and %q", f[0], f[5])
	}
	seen := map[string]bool{}
	for _, s := range f[:5] {
		addr := s[strings.Index(s, "0x"):]
		if seen[addr] {
			t.Errorf("two objects living at once show the address %s: %q", addr, sent1)
		}
		seen[addr] = true
	}
	if g := strings.Split(again1, "\t"); g[0] != f[0] || g[1] != f[1] {
		t.Errorf("the kept objects' addresses moved between messages: %q, then %q", sent1, again1)
	}
}
