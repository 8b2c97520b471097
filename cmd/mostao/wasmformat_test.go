package main

import (
	"strings"
	"testing"
)

// TestWasmTargetFormat: wasm:<module>?format=<Module-Format> gives the
// module's format; an unknown one, or one the binary contradicts, is a
// suite error (exit 2) that says why, before anything runs.
func TestWasmTargetFormat(t *testing.T) {
	for _, c := range []struct{ target, want string }{
		{"wasm:?format=wasm64-unknown-emscripten-draft_2024_02_15", "its memory is 32-bit"},
		{"wasm:?format=wasm32-unknown-emscripten-metering", "does not import metering_gasUsed"},
		{"wasm:?format=wasm32-unknown-emscripten7", "unknown Module-Format"},
		{"wasm:?version=2", "only format=<Module-Format>"},
		{"wasm:../../adapters/wasm/testdata/memory64.wasm?format=wasm32-unknown-emscripten4", "its memory is 64-bit"},
	} {
		code, _, errOut := mostao(t, "certify", "--target", c.target, "--checks", "0")
		if code != exitCannotRun || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %s", c.target, code, errOut)
		}
	}
}
