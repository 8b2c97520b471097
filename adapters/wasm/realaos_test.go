package wasm_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters/wasm"
)

// TestReferenceOnRealAos certifies the reference processes on a real aos
// module, which is not ours to commit: MOSTAO_AOS_WASM32 names an aos
// 2.0.4 wasm32 build, MOSTAO_AOS_WASM64 an aos 2.x wasm64 one. The module
// is loaded as the engine loads any module without our setup export: the
// process code comes with the spawn (On-Boot = Data) and aos's _boot
// handler evaluates it. Every requirement must get the Lua engine's
// verdict.
func TestReferenceOnRealAos(t *testing.T) {
	for _, c := range []struct{ env, width, example string }{
		{"MOSTAO_AOS_WASM32", "wasm32", "the wasm32 build of aos 2.0.4"},
		{"MOSTAO_AOS_WASM64", "wasm64", "an aos 2.x process.wasm"},
	} {
		t.Run(c.width, func(t *testing.T) {
			path := os.Getenv(c.env)
			if path == "" {
				t.Skipf("no real aos %s module: set %s to its path (%s) to certify the reference processes on it", c.width, c.env, c.example)
			}
			bin, err := os.ReadFile(path)
			require.NoError(t, err)
			f, err := wasm.DetectFormat(bin)
			require.NoError(t, err)
			require.Equal(t, c.width == "wasm64", f.Memory64, "%s names a %s module, detected as %s", c.env, c.width, f.Name)
			t.Logf("%s: %s, %d bytes", path, f.Name, len(bin))
			requireSameVerdicts(t, wasmTargetOn("aos", nil, bin))
		})
	}
}
