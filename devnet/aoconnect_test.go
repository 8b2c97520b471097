package devnet

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/wasm"
	"github.com/mostao/conformance/arweave/wallet/wallettest"
	"github.com/mostao/conformance/internal/nodecheck"
	"github.com/mostao/conformance/processes"
)

// The aoconnect check runs testdata/aoconnect/drive.js on aoconnect as
// pinned in its package.json, when `npm ci` has installed it there.
const (
	aoconnectDir     = "testdata/aoconnect"
	aoconnectVersion = "0.0.98"
	requireAoconnect = "MOSTAO_REQUIRE_AOCONNECT"
	// aoconnectTimeout bounds the Node run so that a client waiting on a
	// route the devnet never answers fails the test instead of hanging it.
	aoconnectTimeout = 2 * time.Minute
)

// aoconnectNode finds Node and the installed aoconnect. Without them the
// test is skipped, saying why, unless MOSTAO_REQUIRE_AOCONNECT=1 (as in
// CI), which makes their absence a failure.
func aoconnectNode(t *testing.T) string {
	t.Helper()
	return nodecheck.Node(t, nodecheck.Check{
		What: "aoconnect against the devnet", Dir: aoconnectDir, Install: "npm ci --prefix devnet/" + aoconnectDir,
		Package: "@permaweb/aoconnect", Version: aoconnectVersion, Require: requireAoconnect,
	})
}

// cuResult is a compute unit's result as aoconnect hands it on.
type cuResult struct {
	Messages []struct {
		Target string
		Data   string
		Tags   adapters.Tags
	}
	Error any
}

// only returns the one message of r, failing the test otherwise.
func (r cuResult) only(t *testing.T, what string) (target, action string, data map[string]any) {
	t.Helper()
	if r.Error != nil || len(r.Messages) != 1 {
		t.Fatalf("%s: Error %v and %d messages, want one reply: %+v", what, r.Error, len(r.Messages), r)
	}
	m := r.Messages[0]
	if err := json.Unmarshal([]byte(m.Data), &data); err != nil {
		t.Fatalf("%s: the reply's Data %q is not a JSON object: %v", what, m.Data, err)
	}
	return m.Target, m.Tags.Value("Action"), data
}

// TestAoconnectSpawnsRegistersAndQueriesADomain points aoconnect, in its
// default legacy mode, at a devnet on loopback, as docs/live.md tells a
// front-end developer to: it spawns a process of the devnet's aos module,
// Evals the reference domain source into it, sends Register and reads the
// message's result from the CU, then dry-runs QueryDomain. Each answer is
// the domain's reply to the signer, with the name, the signer as owner
// and the pid registered. The devnet computes on either engine.
func TestAoconnectSpawnsRegistersAndQueriesADomain(t *testing.T) {
	node := aoconnectNode(t)
	for _, c := range []struct {
		engine string
		opts   Options
	}{{"lua", Options{}}, {"wasm", Options{Wasm: wasm.DefaultModule}}} {
		t.Run(c.engine, func(t *testing.T) {
			c.opts.Log = io.Discard
			n, err := New(c.opts)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(n)
			t.Cleanup(func() { srv.Close(); n.Close() })
			driveADomain(t, node, srv.URL)
		})
	}
}

// driveADomain runs drive.js against the devnet at url and asserts its
// answers.
func driveADomain(t *testing.T, node, url string) {
	t.Helper()
	dir := t.TempDir()
	jwk := filepath.Join(dir, "wallet.json")
	source := filepath.Join(dir, "domain.lua")
	if err := os.WriteFile(jwk, wallettest.JWK, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(source, []byte(processes.Domain), 0o600); err != nil {
		t.Fatal(err)
	}
	const name = "alice"
	pid := strings.Repeat("P", 43)

	ctx, cancel := context.WithTimeout(context.Background(), aoconnectTimeout)
	defer cancel()
	owner := wallettest.Wallet(t).Address()
	cmd := exec.CommandContext(ctx, node, "drive.js", url, jwk, source, name, pid, owner)
	cmd.Dir = aoconnectDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	var got struct {
		Step, Error    string
		Process        string
		Eval, Register cuResult
		RegisterID     string
		Query          cuResult
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node drive.js: %v, printed %q: %v\n%s", runErr, out, err, stderr.String())
	}
	if got.Error != "" || runErr != nil {
		t.Fatalf("aoconnect failed at %s: %s (%v)\n%s", got.Step, got.Error, runErr, stderr.String())
	}

	if len(got.Process) != 43 {
		t.Errorf("spawn returned %q, want a 43-character process id", got.Process)
	}
	if got.Eval.Error != nil {
		t.Errorf("the Eval of the domain source failed: %v", got.Eval.Error)
	}
	to, action, data := got.Register.only(t, "Register's result")
	if to != owner || action != "Register-Response" || data["name"] != name || data["owner"] != owner || data["pid"] != pid {
		t.Errorf("Register's result: %s to %s, %v; want Register-Response to %s with {name %s, owner %s, pid %s}", action, to, data, owner, name, owner, pid)
	}
	to, action, data = got.Query.only(t, "the QueryDomain dry run")
	if to != owner || action != "QueryDomain-Response" || data["name"] != name || data["registered"] != true ||
		data["owner"] != owner || data["pid"] != pid {
		t.Errorf("the QueryDomain dry run: %s to %s, %v; want QueryDomain-Response to %s, %s registered to %s for %s", action, to, data, owner, name, owner, pid)
	}
}
