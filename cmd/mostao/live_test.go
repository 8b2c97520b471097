package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mostao/conformance/adapters/live"
	"github.com/mostao/conformance/devnet"
	"github.com/mostao/conformance/internal/syncbuf"
)

// startDevnet serves a devnet on loopback in this process.
func startDevnet(t *testing.T) string {
	t.Helper()
	n, err := devnet.New(devnet.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(n)
	t.Cleanup(func() { srv.Close(); n.Close() })
	return srv.URL
}

// verdicts are the lines of a certification's table, one per requirement.
func verdicts(out string) []string {
	return regexp.MustCompile(`(?m)^MIP\d\d-\S+ .*$`).FindAllString(out, -1)
}

// certifyBoth certifies the reference on the Lua engine and through a
// devnet with the same arguments, and requires the same verdicts.
func certifyBoth(t *testing.T, args ...string) {
	t.Helper()
	certifyThrough(t, "", "legacy AO units at ", args...)
}

// certifyThrough is certifyBoth with the devnet's URL behind prefix in
// the target (hb+ for its HyperBEAM routes), the report naming it as
// engine.
func certifyThrough(t *testing.T, prefix, engine string, args ...string) {
	t.Helper()
	certifyAgainst(t, startDevnet(t), prefix, engine, nil, args...)
}

// certifyAgainst certifies the reference through the devnet at url (behind
// prefix in the target, the report naming it as engine) and, with the same
// arguments, in process on the target refArgs name (none: the Lua engine),
// and requires the same verdicts.
func certifyAgainst(t *testing.T, url, prefix, engine string, refArgs []string, args ...string) {
	t.Helper()
	wallets := live.DefaultWalletDir()
	code, out, errOut := mostao(t, append([]string{"certify", "--target", "live:" + prefix + url, "--wallets", wallets}, args...)...)
	if code != exitOK {
		t.Fatalf("through the devnet: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "live ("+engine+url) {
		t.Errorf("the report does not name the live engine:\n%s", out)
	}
	refCode, ref, refErr := mostao(t, append(append([]string{"certify"}, refArgs...), args...)...)
	if refCode != exitOK {
		t.Fatalf("in process (%v): exit %d\n%s\n%s", refArgs, refCode, ref, refErr)
	}
	got, want := verdicts(out), verdicts(ref)
	if len(want) == 0 {
		t.Fatalf("no verdicts in process (%v):\n%s", refArgs, ref)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("verdicts differ\nthrough the devnet:\n%s\nin process (%v):\n%s", strings.Join(got, "\n"), refArgs, strings.Join(want, "\n"))
	}
}

// TestLiveTargetCertifiesAFlowThroughTheDevnet: a few scenarios across
// processes (profiles spawning a DM session) certify through a devnet on
// loopback, signed ANS-104 items and all, with the Lua engine's verdicts.
func TestLiveTargetCertifiesAFlowThroughTheDevnet(t *testing.T) {
	certifyBoth(t, "--scenario", "features/flows/dm.feature", "--checks", "0")
}

// TestLiveTargetCertifiesTheReferenceThroughTheDevnet: every scenario of
// every MIP gives the same verdict through the devnet as on the Lua engine.
func TestLiveTargetCertifiesTheReferenceThroughTheDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("certifies every MIP through the devnet (a minute or two); -short runs TestLiveTargetCertifiesAFlowThroughTheDevnet")
	}
	certifyBoth(t, "--checks", "0")
}

// TestLiveTargetCertifiesAFlowThroughTheDevnetHyperBEAM: the DM flow's
// scenarios certify through the devnet's HyperBEAM routes (pushes, slots,
// read-only compute) with the Lua engine's verdicts.
func TestLiveTargetCertifiesAFlowThroughTheDevnetHyperBEAM(t *testing.T) {
	certifyThrough(t, live.HyperBEAMPrefix, "HyperBEAM node at ", "--scenario", "features/flows/dm.feature", "--checks", "0")
}

// TestLiveTargetCertifiesTheReferenceThroughTheDevnetHyperBEAM: every
// scenario of every MIP gives the Lua engine's verdict through the
// devnet's HyperBEAM routes.
func TestLiveTargetCertifiesTheReferenceThroughTheDevnetHyperBEAM(t *testing.T) {
	if testing.Short() {
		t.Skip("certifies every MIP through the devnet (a minute or two); -short runs TestLiveTargetCertifiesAFlowThroughTheDevnetHyperBEAM")
	}
	certifyThrough(t, live.HyperBEAMPrefix, "HyperBEAM node at ", "--checks", "0")
}

// TestLiveTargetUnreachableIsASuiteError: units that cannot be reached, or
// that fail every request, end the run with exit 2, never a verdict.
func TestLiveTargetUnreachableIsASuiteError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	}))
	defer broken.Close()
	t.Setenv(live.EnvTimeout, "2s")
	for _, url := range []string{closed, broken.URL} {
		code, out, errOut := mostao(t, "certify", "--target", "live:"+url, "--wallets", live.DefaultWalletDir(), "--scenario", firstScenario(t), "--checks", "0")
		if code != exitCannotRun {
			t.Errorf("%s: exit %d, want 2\nstdout:\n%s\nstderr:\n%s", url, code, out, errOut)
		}
		if strings.Contains(out, " fail ") {
			t.Errorf("%s: a broken network gave a verdict:\n%s", url, out)
		}
	}
}

// TestLiveTargetNeedsAURL: live: with no URL and no environment is a suite
// error that says what to give.
func TestLiveTargetNeedsAURL(t *testing.T) {
	t.Setenv(live.EnvURL, "")
	code, _, errOut := mostao(t, "certify", "--target", "live:", "--checks", "0")
	if code != exitCannotRun || !strings.Contains(errOut, live.EnvURL) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// TestDevnetCommandServesAndStopsOnSignal: mostao devnet prints its URL,
// answers there, logs each request in one line, and on SIGTERM (then on
// SIGINT) stops cleanly with exit 0 and closes its port.
func TestDevnetCommandServesAndStopsOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			pr, pw := io.Pipe()
			var errOut syncbuf.Buffer
			done := make(chan int, 1)
			go func() {
				done <- run([]string{"devnet", "--listen", "127.0.0.1:0"}, pw, &errOut)
				pw.Close()
			}()
			line, err := bufio.NewReader(pr).ReadString('\n')
			if err != nil {
				t.Fatalf("no URL printed: %v (stderr %s)", err, errOut.String())
			}
			go io.Copy(io.Discard, pr)
			url := strings.TrimSpace(strings.TrimPrefix(line, "devnet listening on "))
			resp, err := http.Get(url + "/timestamp")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /timestamp: %d", resp.StatusCode)
			}
			if !regexp.MustCompile(`(?m)^\S+ GET /timestamp 200 \d+B \S+$`).MatchString(errOut.String()) {
				t.Errorf("no one-line log of the request:\n%s", errOut.String())
			}
			if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
				t.Fatal(err)
			}
			select {
			case code := <-done:
				if code != exitOK {
					t.Fatalf("exit %d after %s\n%s", code, sig, errOut.String())
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("still running 30s after %s", sig)
			}
			if !strings.Contains(errOut.String(), "mostao devnet: stopped") {
				t.Errorf("no clean stop:\n%s", errOut.String())
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/timestamp", nil)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
				t.Errorf("the port still answers after %s", sig)
			}
		})
	}
}

// TestLiveTargetEvalSpawnsCertifyTheDomain: spawning the network's aos
// module and loading the source by Eval from the owner, as on AO, gives
// the domain's scenarios the Lua engine's verdicts.
func TestLiveTargetEvalSpawnsCertifyTheDomain(t *testing.T) {
	t.Setenv(live.EnvSpawn, live.SpawnEval)
	certifyBoth(t, "--scenario", "features/mip01/register.feature", "--checks", "0")
}
