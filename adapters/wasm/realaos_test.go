package wasm_test

import (
	"bufio"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters/wasm"
	"github.com/mostao/conformance/certify"
)

// realAosBudget bounds one certification of the reference processes on a
// real aos module: a module that stops answering fails the test with a
// message instead of running into go test's own timeout. A full run takes
// about six minutes on two loaded cores, most of it in the sessions of 256
// members.
const realAosBudget = 15 * time.Minute

// realAosCallTimeout bounds each world call there (a spawn or a message
// with every delivery it causes); the slowest seen, spawning a session of
// 256 members, takes some 30 s on two loaded cores.
const realAosCallTimeout = 2 * time.Minute

// TestReferenceOnRealAos certifies the reference processes on a real aos
// module, which is not ours to commit (scripts/fetch-aos-modules.sh fetches
// them): MOSTAO_AOS_WASM32 names the wasm32 build of aos 2.0.4,
// MOSTAO_AOS_WASM64 aos 2.0.6 (wasm64). The module is loaded as the
// engine loads any module without our setup export: every spawn carries
// On-Boot = <the transaction holding the process's code>, and aos's _boot
// handler reads it over WeaveDrive from the world's weave and evaluates it.
// Every requirement must get the Lua engine's verdict except the ones
// testdata/realaos-differences.txt lists, which must differ exactly as
// listed: a difference that appears or goes away fails the test. With
// -short only MIP-01's and MIP-00's scenarios run (the domain's
// requirements), and a listed row the Lua engine does not judge there is
// not looked for.
func TestReferenceOnRealAos(t *testing.T) {
	known := readKnownDifferences(t, "testdata/realaos-differences.txt")
	for _, c := range []struct{ env, width, example string }{
		{"MOSTAO_AOS_WASM32", "wasm32", "the wasm32 build of aos 2.0.4"},
		{"MOSTAO_AOS_WASM64", "wasm64", "aos 2.0.6, wasm64"},
	} {
		t.Run(c.width, func(t *testing.T) {
			path := os.Getenv(c.env)
			if path == "" {
				t.Skipf("no real aos %s module: set %s to its path (%s; scripts/fetch-aos-modules.sh prints it) to certify the reference processes on it", c.width, c.env, c.example)
			}
			bin, err := os.ReadFile(path)
			require.NoError(t, err)
			f, err := wasm.DetectFormat(bin)
			require.NoError(t, err)
			require.Equal(t, c.width == "wasm64", f.Memory64, "%s names a %s module, detected as %s", c.env, c.width, f.Name)
			t.Logf("%s: %s, %d bytes", path, f.Name, len(bin))
			ctx, cancel := context.WithTimeout(context.Background(), realAosBudget)
			defer cancel()
			cfg := certify.Config{CallTimeout: realAosCallTimeout}
			if testing.Short() {
				// MIP-01 and MIP-00 only: about a third of the time.
				cfg.MIPs = []string{"01"}
			}
			diffs, lua := verdictDifferences(t, ctx, cfg, wasmTargetOn("aos", nil, bin))
			want := known[c.width]
			for _, k := range sortedKeys(diffs) {
				verdict, _, _ := strings.Cut(want[k], ":")
				switch {
				case want[k] == "":
					t.Errorf("requirement %s: %s (a difference not in testdata/realaos-differences.txt)", k, diffs[k])
				case !strings.HasSuffix(diffs[k], ", "+verdict+" on the wasm engine"):
					t.Errorf("requirement %s: %s, listed as %s in testdata/realaos-differences.txt", k, diffs[k], verdict)
				default:
					t.Logf("known difference: requirement %s: %s (%s)", k, diffs[k], want[k])
				}
			}
			for _, k := range sortedKeys(want) {
				if diffs[k] == "" && lua[k] != "" && lua[k] != "untested" {
					t.Errorf("requirement %s: listed as differing on real aos (%s) but got the Lua engine's verdict: update testdata/realaos-differences.txt", k, want[k])
				}
			}
		})
	}
}

// readKnownDifferences reads the list of requirements whose verdict on a
// real aos module differs from the Lua engine's: lines of
// "<width> <requirement> <role> <verdict>: <reason>", '#' starts a comment. It
// returns width -> "<requirement> <role>" -> reason.
func readKnownDifferences(t *testing.T, path string) map[string]map[string]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	out := map[string]map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.SplitN(line, " ", 4)
		require.Len(t, fields, 4, "%s:%d: want <width> <requirement> <role> <reason>", path, n)
		if out[fields[0]] == nil {
			out[fields[0]] = map[string]string{}
		}
		out[fields[0]][fields[1]+" "+fields[2]] = fields[3]
	}
	require.NoError(t, sc.Err())
	return out
}
