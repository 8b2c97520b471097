package lua

import (
	"fmt"
	"runtime"
	"sync"
	"weak"

	glua "github.com/yuin/gopher-lua"
)

// Addresses: tostring of a table, a function, a coroutine or a userdata
// shows an address. gopher-lua shows the Go heap's, which differs from one
// run to the next: a process that branches on it (or only prints it in a
// reply) got another verdict on every run. On aos the address is one in
// the module's linear memory, the same on every run of the same messages;
// here each object gets the next address of its process's book the first
// time it is shown, so the same messages show the same addresses. A
// snapshot records where the book was and a restore (a dryrun, a rolled
// back message) takes it back there, as aos's memory is: a dryrun and a
// sent read show the same addresses.

// addressBook numbers the objects a process has shown, without keeping
// them alive: an object the collector frees leaves the book.
type addressBook struct {
	mu   sync.Mutex
	ids  map[any]uint64 // weak.Pointer[T] of the object -> its number
	next uint64
	// watched are the objects whose collection removes them from ids:
	// one cleanup each, however often a restore renumbers them.
	watched map[any]bool
}

// books holds each process's book, by its globals (shared by its
// coroutines).
var books sync.Map // *glua.Global -> *addressBook

// newAddressBook gives the process of L a book; forgetAddresses drops it.
func newAddressBook(L *glua.LState) *addressBook {
	b := &addressBook{ids: map[any]uint64{}, watched: map[any]bool{}}
	books.Store(L.G, b)
	return b
}

func forgetAddresses(L *glua.LState) { books.Delete(L.G) }

func bookOf(L *glua.LState) *addressBook {
	if b, ok := books.Load(L.G); ok {
		return b.(*addressBook)
	}
	return nil
}

// numberOf returns the object's number, giving it the next one the first
// time.
func numberOf[T any](b *addressBook, p *T) uint64 {
	key := weak.Make(p)
	b.mu.Lock()
	defer b.mu.Unlock()
	if n, ok := b.ids[key]; ok {
		return n
	}
	b.next++
	n := b.next
	b.ids[key] = n
	if !b.watched[key] {
		b.watched[key] = true
		runtime.AddCleanup(p, func(k weak.Pointer[T]) {
			b.mu.Lock()
			delete(b.ids, k)
			delete(b.watched, k)
			b.mu.Unlock()
		}, key)
	}
	return n
}

// mark is where the book is, for a snapshot.
func (b *addressBook) mark() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.next
}

// restore takes the book back to a mark: the objects numbered since are
// numbered again when shown again.
func (b *addressBook) restore(mark uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for k, n := range b.ids {
		if n > mark {
			delete(b.ids, k)
		}
	}
	b.next = mark
}

// addressString is what Lua 5.3 shows for v without a __tostring or a
// __name: "table: 0x..." and the like, the address the process's book
// gives; any other value as gopher-lua writes it.
func addressString(L *glua.LState, v glua.LValue) string {
	b := bookOf(L)
	if b == nil {
		return v.String() // not a process's state (a test's bare LState)
	}
	var n uint64
	switch x := v.(type) {
	case *glua.LTable:
		n = numberOf(b, x)
	case *glua.LFunction:
		n = numberOf(b, x)
	case *glua.LUserData:
		n = numberOf(b, x)
	case *glua.LState:
		n = numberOf(b, x)
	default:
		return v.String()
	}
	// Spaced as a heap's 16-byte aligned objects, above where a module's
	// data would lie.
	return fmt.Sprintf("%s: 0x%012x", v.Type().String(), uint64(0x55a000000000)+n*0x40)
}
