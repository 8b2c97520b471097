package main

import (
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/roles"
	"github.com/mostao/conformance/targets"
)

// TestASchemeRegisteredInOnePlace: a kind of --target added to
// targetSchemes is accepted, listed in --target's help and in the error
// for an unknown kind, builds its target, and the report names the engine
// the target says runs it.
func TestASchemeRegisteredInOnePlace(t *testing.T) {
	saved := targetSchemes
	defer func() { targetSchemes = saved }()
	targetSchemes = append(append([]targetScheme(nil), saved...), targetScheme{
		name: "fake", form: "fake:<name>", help: "a test engine",
		read: func(f *targetFlags, arg string, in *targetInputs) error {
			r, _ := roles.Get(roles.Domain)
			in.sources[r.Name], in.files[r.Name] = r.Reference, "fake:"+arg
			in.args = append(in.args, "--target", "fake:"+arg)
			in.described = append(in.described, "fake:"+arg)
			return nil
		},
		build: func(desc string, in *targetInputs, opts targets.Options) (adapters.Target, error) {
			t := targets.LuaWith(desc, in.sources, opts)
			t.Engine = adapters.Engine{Name: "fake-engine 0.1"}
			return t, nil
		},
	})

	code, out, errOut := mostao(t, "certify", "--target", "fake:x", "--scenario", firstScenario(t), "--checks", "0")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "engine fake-engine 0.1") {
		t.Errorf("the report does not name the target's engine:\n%s", out)
	}
	code, _, errOut = mostao(t, "certify", "--target", "nosuch:x")
	if code != exitCannotRun || !strings.Contains(errOut, "lua:<file or dir>, wasm:[module.wasm], live:[hb+]<url>[?<role>=<pid>&...], fake:<name>") {
		t.Errorf("exit %d, the unknown kind's error does not list every scheme: %s", code, errOut)
	}
	code, _, errOut = mostao(t, "certify", "-h")
	if code != exitOK || !strings.Contains(errOut, "fake:<name> (a test engine)") {
		t.Errorf("exit %d, --target's help does not list the scheme: %s", code, errOut)
	}
}
