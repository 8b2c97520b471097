package wasm

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/aonet"
	"github.com/mostao/conformance/adapters/aonet/aonettest"
	"github.com/mostao/conformance/processes"
)

// The drive's files read as aos's drive.getData needs: seeking to the end
// gives the size, and a read from the end gets the whole transaction, as
// the gateway answers a range that starts past the last byte.
func TestDriveFileSeeksAndReadsAsAGateway(t *testing.T) {
	f := &driveFile{data: []byte("hello world")}
	require.EqualValues(t, 11, f.seek(0, seekEnd))
	buf := make([]byte, 11)
	require.Equal(t, 11, f.read(buf))
	require.Equal(t, "hello world", string(buf))
	require.EqualValues(t, 6, f.seek(6, seekSet))
	require.Equal(t, 5, f.read(buf[:8]))
	require.Equal(t, "world", string(buf[:5]))
	require.EqualValues(t, 8, f.seek(-3, seekEnd))
	require.EqualValues(t, 9, f.seek(1, seekCur))
	require.EqualValues(t, -1, f.seek(-20, seekCur), "a negative position is refused")
	require.EqualValues(t, -1, f.seek(0, 7), "an unknown whence is refused")
}

// realAosModules returns the real aos modules the environment names, by
// width; a test that needs one is skipped without it.
func realAosModules(t *testing.T) map[string][]byte {
	out := map[string][]byte{}
	for width, env := range map[string]string{"wasm32": "MOSTAO_AOS_WASM32", "wasm64": "MOSTAO_AOS_WASM64"} {
		if path := os.Getenv(env); path != "" {
			bin, err := os.ReadFile(path)
			require.NoError(t, err)
			out[width] = bin
		}
	}
	if len(out) == 0 {
		t.Skip("no real aos module: set MOSTAO_AOS_WASM32 and/or MOSTAO_AOS_WASM64 (scripts/fetch-aos-modules.sh)")
	}
	return out
}

// On real aos a module's code comes by aos's boot loader: the spawn
// carries On-Boot = <the code's transaction>, aos reads it over WeaveDrive
// from the world's weave and evaluates it, and the spawn keeps its own
// Data. aos ends the spawn message's handlers with _boot, so the code's
// handlers never see it: aos keeps it as Inbox[1] instead.
func TestRealAosBootsModuleCodeFromTheWeave(t *testing.T) {
	src := aonettest.BootProbe
	tx := aonet.CodeTransaction(src)
	for width, bin := range realAosModules(t) {
		t.Run(width, func(t *testing.T) {
			w, err := New(Options{Binary: bin, Modules: map[string]Module{testModuleID: {Name: "probe.lua", Source: src}}})
			require.NoError(t, err)
			defer w.Close()
			alice, _ := w.Wallet("alice")
			pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice, Data: "the spawn's own data"})
			require.NoError(t, err)
			require.Equal(t, "1 false the spawn's own data "+tx,
				evalOn(t, w, alice, pid, `return Booted .. " " .. tostring(SawSpawn) .. " " .. Inbox[1].Data .. " " .. ao.env.Process.Tags["On-Boot"]`))
			require.Equal(t, src, evalOn(t, w, alice, pid, `local f = io.open("/data/`+tx+`"); local s = f:read(f:seek("end")); f:close(); return s`))
			require.Equal(t, "nil", evalOn(t, w, alice, pid, `return tostring(io.open("/data/`+aonet.CodeTransaction("other")+`"))`))
		})
	}
}

// The reference profile and session, booted on real aos as above, start
// from their spawn message all the same: a session spawned with its
// configuration as Data notifies its participants at once and dates
// itself from the spawn, and a new profile's updatedAt is its spawn's time
// (MIP03-INIT-2, MIP02-GET-1), not that of the first message after it.
func TestRealAosReferenceProcessesStartFromTheirSpawn(t *testing.T) {
	const profileModule, sessionModule = "profile-module-000000000000000000000000000000", "session-module-000000000000000000000000000000"
	for width, bin := range realAosModules(t) {
		t.Run(width, func(t *testing.T) {
			w, err := New(Options{Binary: bin, Modules: map[string]Module{
				profileModule: {Name: "profile.lua", Source: processes.Profile},
				sessionModule: {Name: "session.lua", Source: processes.Session},
			}})
			require.NoError(t, err)
			defer w.Close()
			aonettest.ReferenceStartsFromSpawn(t, w, profileModule, sessionModule)
		})
	}
}

// The reference's heaviest evaluation, a session spawned with 256
// members, counts close to DefaultMaxWork on real aos (aos does its json
// in Lua), and a module without our setup export gets ForeignMaxWork,
// which holds it with room for a less frugal implementation: one that
// encodes the notice once per member counts about twice as much.
func TestRealAosWorkBudgetFitsTheReference(t *testing.T) {
	const sessionModule = "session-module-000000000000000000000000000000"
	for width, bin := range realAosModules(t) {
		t.Run(width, func(t *testing.T) {
			w, err := New(Options{Binary: bin, Modules: map[string]Module{sessionModule: {Name: "session.lua", Source: processes.Session}}})
			require.NoError(t, err)
			defer w.Close()
			alice, _ := w.Wallet("alice")
			ids := []string{`"` + alice + `"`}
			for i := range 255 {
				a, _ := w.Wallet("member-" + strconv.Itoa(i))
				ids = append(ids, `"`+a+`"`)
			}
			before := w.WorkDone()
			_, err = w.Spawn(context.Background(), adapters.SpawnRequest{Module: sessionModule, From: alice,
				Data: `{"type": "group", "participants": [` + strings.Join(ids, ", ") + `]}`})
			require.NoError(t, err)
			work := w.WorkDone() - before
			t.Logf("a group of 256 spawned in %d units", work)
			require.Greater(t, work, int64(DefaultMaxWork/2), "aos does in Lua what our module does in C: near the bundled module's whole budget")
			require.Less(t, work, int64(ForeignMaxWork/2), "ForeignMaxWork keeps twice the room")
		})
	}
}
