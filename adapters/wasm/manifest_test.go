package wasm

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCommittedModuleMatchesInputs checks the committed module against the
// manifest scripts/build-wasm-module.sh wrote when it built it: the
// module's own hash, and the hash of every input (the C entry point, the
// script, each embedded Lua file). A change to the shared runtime
// (adapters/lua/runtime) without a rebuild fails here, so the two engines
// cannot drift apart unnoticed. Rebuilding byte for byte needs emscripten
// 3.1.6 and is left to the script; this test needs neither.
func TestCommittedModuleMatchesInputs(t *testing.T) {
	root := filepath.Join("..", "..")
	f, err := os.Open(filepath.Join("module", "mostao-lua53.manifest"))
	require.NoError(t, err)
	defer f.Close()
	sum := func(path string) string {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		s := sha256.Sum256(b)
		return hex.EncodeToString(s[:])
	}
	inputs := map[string]bool{}
	sc := bufio.NewScanner(f)
	var moduleSum string
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) == 2 && fields[0] == "module":
			moduleSum = fields[1]
		case len(fields) == 3 && fields[0] == "input":
			inputs[fields[2]] = true
			require.Equal(t, fields[1], sum(filepath.Join(root, fields[2])),
				"%s changed since the module was built: run scripts/build-wasm-module.sh", fields[2])
		}
	}
	require.NoError(t, sc.Err())
	require.Equal(t, moduleSum, sum(filepath.Join("module", "mostao-lua53.wasm")), "the committed module is not the one the manifest describes")
	require.Equal(t, moduleSum, func() string { s := sha256.Sum256(DefaultModule); return hex.EncodeToString(s[:]) }())
	// Every runtime file the Lua engine loads is in the module, but for
	// the one that works around gopher-lua.
	runtime, err := filepath.Glob(filepath.Join(root, "adapters", "lua", "runtime", "*.lua"))
	require.NoError(t, err)
	require.NotEmpty(t, runtime)
	for _, path := range runtime {
		rel, _ := filepath.Rel(root, path)
		if filepath.Base(rel) == "gopherlua.lua" {
			continue
		}
		require.True(t, inputs[filepath.ToSlash(rel)], "%s is not embedded in the module: run scripts/build-wasm-module.sh", rel)
	}
}

// TestModuleRebuildsByteForByte runs scripts/build-wasm-module.sh into a
// temporary directory and compares the result with the committed module.
// It needs emscripten and half a minute, so it runs only when
// MOSTAO_REBUILD_WASM=1 (LUA_SRC may name an unpacked Lua 5.3 source).
func TestModuleRebuildsByteForByte(t *testing.T) {
	if os.Getenv("MOSTAO_REBUILD_WASM") != "1" {
		t.Skip("set MOSTAO_REBUILD_WASM=1 (and install emscripten) to rebuild the module")
	}
	out := t.TempDir()
	cmd := exec.Command("sh", filepath.Join("..", "..", "scripts", "build-wasm-module.sh"))
	cmd.Env = append(os.Environ(), "OUT="+out, "WORK="+t.TempDir())
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, b)
	}
	built, err := os.ReadFile(filepath.Join(out, "mostao-lua53.wasm"))
	require.NoError(t, err)
	require.True(t, bytes.Equal(built, DefaultModule), "the rebuilt module differs from the committed one")
}
