package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/live"
	"github.com/mostao/conformance/processes/broken"
	"github.com/mostao/conformance/roles"
)

// deploy spawns a process of source on the devnet at url as a user would,
// by Eval into the network's aos module, owned by a wallet no scenario
// uses, and gives its id.
func deploy(t *testing.T, url, name, source string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg, err := live.FromEnv(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Spawn = live.SpawnEval
	if cfg, err = live.Discover(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	w, err := live.New(cfg, &live.DirKeyring{Dir: live.DefaultWalletDir()}, map[string]live.Module{"user-module": {Name: name, Source: source}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	owner, err := w.Wallet("module-publisher")
	if err != nil {
		t.Fatal(err)
	}
	pid, err := w.Spawn(ctx, adapters.SpawnRequest{Module: "user-module", From: owner})
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// certifyDeployed certifies the processes already deployed on the devnet at
// url, given as role=pid pairs after the target's ?.
func certifyDeployed(t *testing.T, url, query string, args ...string) (int, string) {
	t.Helper()
	code, out, errOut := mostao(t, append([]string{"certify", "--target", "live:" + url + "?" + query, "--wallets", live.DefaultWalletDir()}, args...)...)
	if code == exitCannotRun {
		t.Fatalf("exit 2: the suite could not run\nstdout:\n%s\nstderr:\n%s", out, errOut)
	}
	return code, out
}

// verdictOf is the verdict of requirement id for role in a certification's table.
func verdictOf(out, id, role string) string {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(id) + `\s+\S+\s+(\S+)\s+` + role + `\s`).FindStringSubmatch(out)
	if m == nil {
		return ""
	}
	return m[1]
}

// TestLiveTargetCertifiesADeployedDomain: a domain deployed on the devnet
// by someone else is certified by its id, in the state it has. The
// scenarios tagged @deployed run on it and pass; every other scenario, and
// the properties, need a fresh domain and are untested, saying why: no
// verdict against it, no pass it did not earn, no suite error.
func TestLiveTargetCertifiesADeployedDomain(t *testing.T) {
	url := startDevnet(t)
	pid := deploy(t, url, "domain.lua", roles.References()[roles.Domain])
	jsonl := filepath.Join(t.TempDir(), "run.jsonl")
	code, out := certifyDeployed(t, url, "domain="+pid, "--checks", "2", "--steps", "5", "--jsonl", jsonl)
	if code != exitFailed || !strings.Contains(out, "untested") {
		t.Errorf("exit %d, want 1 (the untested MUSTs are not passes):\n%s", code, out)
	}
	for _, id := range []string{"MIP01-QRY-3", "MIP01-GET-2"} {
		if v := verdictOf(out, id, "domain"); v != "pass" {
			t.Errorf("%s: %q, want pass: the @deployed scenarios run on the deployed domain\n%s", id, v, out)
		}
	}
	if v := verdictOf(out, "MIP01-REG-1", "domain"); v != "untested" {
		t.Errorf("MIP01-REG-1: %q, want untested: registering needs a fresh registry", v)
	}
	if regexp.MustCompile(`(?m)^MIP\d\d-\S+\s+\S+\s+fail\s`).MatchString(out) {
		t.Errorf("a verdict against the reference domain:\n%s", out)
	}
	if !strings.Contains(out, "the domain under test is the deployed process "+pid) {
		t.Errorf("the untested scenarios do not say why:\n%s", out)
	}
	report, err := os.ReadFile(jsonl)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`"untested":\["MIP-01 properties: .*untestable on this target.*deployed process `+pid).Match(report) ||
		!regexp.MustCompile(`(?m)^untested: MIP-01 properties: .*deployed process `+pid).MatchString(out) {
		t.Errorf("the properties are not untested with the reason:\n%s\n%s", regexp.MustCompile(`.{0,300}"untested":\[.{0,300}`).FindAll(report, -1), out)
	}
}

// TestLiveTargetFailsABrokenDeployedDomain: a deployed domain that accepts
// any name fails the @deployed scenario that queries invalid names, as on
// the Lua engine.
func TestLiveTargetFailsABrokenDeployedDomain(t *testing.T) {
	variants, err := broken.All()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(variants, func(v broken.Variant) bool { return v.Name == "domain-no-validation" })
	if i < 0 {
		t.Fatal("no broken variant domain-no-validation")
	}
	url := startDevnet(t)
	pid := deploy(t, url, "domain.lua", variants[i].Source)
	code, out := certifyDeployed(t, url, "domain="+pid, "--checks", "0", "--scenario", "features/mip01/query.feature")
	if code != exitFailed || verdictOf(out, "MIP01-QRY-3", "domain") != "fail" {
		t.Errorf("exit %d, want 1 with MIP01-QRY-3 failed:\n%s", code, out)
	}
}

// TestLiveTargetDeployedProcessesAreChecked: a deployed id that is no
// process of the network, a role given twice or as a source too, an id of
// the wrong shape and a word that is no role are suite errors before
// anything runs.
func TestLiveTargetDeployedProcessesAreChecked(t *testing.T) {
	url := startDevnet(t)
	nowhere := strings.Repeat("A", 43)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--target", "live:" + url + "?domain=" + nowhere}, "is not a process of the network"},
		{[]string{"--target", "live:" + url + "?domain=short"}, "is not a process id"},
		{[]string{"--target", "live:" + url + "?registry=" + nowhere}, "give <role>=<process id>"},
		{[]string{"--target", "live:" + url + "?domain=" + nowhere + "&domain=" + nowhere}, "given twice"},
		{[]string{"--target", "live:" + url + "?domain=" + nowhere, "--domain", "../../processes/domain.lua"}, "give one"},
	} {
		code, out, errOut := mostao(t, append([]string{"certify", "--wallets", live.DefaultWalletDir(), "--checks", "0"}, c.args...)...)
		if code != exitCannotRun || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, want 2 saying %q\nstdout:\n%s\nstderr:\n%s", c.args, code, c.want, out, errOut)
		}
	}
}

// TestLiveTargetDeployedSessionLeavesItsScenariosUntested: a deployed
// session can be no scenario's fresh session, and a profile cannot spawn
// one of it: the DM flow is untested, saying why, neither failed nor a
// suite error.
func TestLiveTargetDeployedSessionLeavesItsScenariosUntested(t *testing.T) {
	url := startDevnet(t)
	pid := deploy(t, url, "session.lua", roles.References()[roles.Session])
	code, out := certifyDeployed(t, url, "session="+pid, "--checks", "0", "--scenario", "features/flows/dm.feature")
	if code != exitFailed || strings.Contains(out, " fail ") || !strings.Contains(out, "deployed process "+pid) {
		t.Errorf("exit %d, want 1 with the scenarios untested for the deployed session:\n%s", code, out)
	}
}

// TestLiveTargetEvalSpawnsLeaveSessionSpawnsUntested: under
// MOSTAO_SPAWN=eval the network has no module of the session source, so a
// profile cannot spawn a session: the scenarios that need one are
// untested with that reason (exit 1), not a suite error (exit 2).
func TestLiveTargetEvalSpawnsLeaveSessionSpawnsUntested(t *testing.T) {
	t.Setenv(live.EnvSpawn, live.SpawnEval)
	url := startDevnet(t)
	code, out, errOut := mostao(t, "certify", "--target", "live:"+url, "--wallets", live.DefaultWalletDir(), "--checks", "0", "--scenario", "features/flows/dm.feature")
	if code != exitFailed || strings.Contains(out, " fail ") || !strings.Contains(out, live.EnvSpawn+"="+live.SpawnEval) {
		t.Errorf("exit %d, want 1 with the DM flow untested for want of a session module\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// TestLiveTargetEvalSpawnsLeaveChatPropertiesUntested: the MIP-02 chat
// property, whose profiles spawn sessions, is untested under
// MOSTAO_SPAWN=eval, with the reason, and the run still ends with a
// verdict (exit 1), not a suite error.
func TestLiveTargetEvalSpawnsLeaveChatPropertiesUntested(t *testing.T) {
	if testing.Short() {
		t.Skip("certifies MIP-02 through the devnet; -short runs TestLiveTargetEvalSpawnsLeaveSessionSpawnsUntested")
	}
	t.Setenv(live.EnvSpawn, live.SpawnEval)
	url := startDevnet(t)
	code, out, errOut := mostao(t, "certify", "--target", "live:"+url, "--wallets", live.DefaultWalletDir(), "--mip", "02", "--checks", "2", "--steps", "8")
	if code != exitFailed || strings.Contains(out, " fail ") || !regexp.MustCompile(`(?m)^untested: MIP-02 properties: .*`+live.EnvSpawn+"="+live.SpawnEval).MatchString(out) {
		t.Errorf("exit %d, want 1 with the MIP-02 properties untested for want of a session module\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// TestLiveTargetCertifiesADeployedDomainThroughHyperBEAM: the same
// deployed domain, certified through the devnet's HyperBEAM routes
// (live:hb+<url>?domain=<pid>), passes the @deployed query scenarios.
func TestLiveTargetCertifiesADeployedDomainThroughHyperBEAM(t *testing.T) {
	url := startDevnet(t)
	pid := deploy(t, url, "domain.lua", roles.References()[roles.Domain])
	code, out := certifyDeployed(t, live.HyperBEAMPrefix+url, "domain="+pid, "--checks", "0", "--scenario", "features/mip01/query.feature")
	if code != exitFailed || verdictOf(out, "MIP01-QRY-3", "domain") != "pass" || !strings.Contains(out, "HyperBEAM node at ") {
		t.Errorf("exit %d, want 1 with MIP01-QRY-3 passed through the HyperBEAM routes:\n%s", code, out)
	}
}

// TestLiveTargetEvalSpawnsGiveNoFalseVerdicts: under MOSTAO_SPAWN=eval the
// reference processes fail nothing and warn of nothing, every MIP: what
// the network cannot run (sessions spawned with Data, a profile's own
// sessions, notices to a profile told to trust a suite-only module) is
// untested, and the run ends with a verdict, not as a suite error.
func TestLiveTargetEvalSpawnsGiveNoFalseVerdicts(t *testing.T) {
	if testing.Short() {
		t.Skip("certifies every MIP through the devnet under eval (a minute or two); -short runs TestLiveTargetEvalSpawnsLeaveSessionSpawnsUntested")
	}
	t.Setenv(live.EnvSpawn, live.SpawnEval)
	url := startDevnet(t)
	code, out, errOut := mostao(t, "certify", "--target", "live:"+url, "--wallets", live.DefaultWalletDir(), "--checks", "0")
	if code != exitFailed || regexp.MustCompile(`(?m)^MIP\d\d-\S+\s+\S+\s+(fail|warn)\s`).MatchString(out) {
		t.Errorf("exit %d, want 1 with no failure and no warning of the reference\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "spawned with Data of its own") {
		t.Errorf("the sessions' scenarios do not say why they are untested:\n%s", out)
	}
}
