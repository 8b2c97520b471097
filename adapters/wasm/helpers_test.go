package wasm

import (
	"testing"

	"github.com/mostao/conformance/adapters/aonet/aonettest"
)

// testModuleID is the id tests spawn their module under.
const testModuleID = aonettest.ModuleID

// newTestWorld makes a world with one module holding src, a wallet "alice"
// and a spawned process.
func newTestWorld(t testing.TB, src string, tweak ...func(*Options, *Module)) (*World, string, string) {
	t.Helper()
	return aonettest.OneModule(t, Options{}, Module{Name: "test.lua", Source: src}, tweak, func(opts Options, mod Module) (*World, error) {
		opts.Modules = map[string]Module{testModuleID: mod}
		return New(opts)
	})
}

// send sends an Action with Data from a wallet and fails the test on error.
var send = aonettest.Send
