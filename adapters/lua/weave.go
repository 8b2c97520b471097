package lua

import (
	glua "github.com/yuin/gopher-lua"

	"github.com/mostao/conformance/adapters/aonet"
)

// On aos a spawn with tag On-Boot = <transaction id> makes the boot
// loader read that Arweave transaction over WeaveDrive and evaluate it as
// an Eval, in the _boot handler that also takes the spawn message
// (runtime/boot.lua). This engine's weave is the wasm engine's: a fixed set
// of transactions the world holds, the source of every module it runs,
// each by aonet.CodeTransaction, so the same code has the same id on both
// engines and what a process reads is deterministic. A transaction the
// world does not hold reads as nothing, as on a gateway that has none.

// weave is a world's transactions, by id.
type weave map[string]string

// add publishes mod's source (if any) as a transaction of the weave.
func (wv weave) add(mod Module) {
	if mod.Source != "" {
		wv[aonet.CodeTransaction(mod.Source)] = mod.Source
	}
}

// open is the loader of the runtime's module .weavedrive: a function of a
// transaction id that returns the transaction's data, or nil when the
// weave does not hold it. It is the runtime's own (aos reads the drive
// with io.open("/data/<id>"), and this engine has no io).
func (wv weave) open(L *glua.LState) int {
	L.Push(L.NewFunction(func(L *glua.LState) int {
		data, ok := wv[L.CheckString(1)]
		if !ok {
			L.Push(glua.LNil)
			return 1
		}
		L.Push(glua.LString(data))
		return 1
	}))
	return 1
}
