package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/certify"
	"github.com/mostao/conformance/models"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// TestForgedSuiteErrorsAreVerdicts: an implementation whose error text or
// Action reads like one of the suite's own errors ("unknown wallet",
// "unknown process") fails (exit 1); it cannot pass its failure off as "the
// suite could not run" (exit 2), which a CI gate may retry or ignore.
func TestForgedSuiteErrorsAreVerdicts(t *testing.T) {
	t.Run("error text", func(t *testing.T) {
		path := filepath.Join("..", "..", "certify", "testdata", "forgedwallet.lua")
		code, out, errOut := mostao(t, "certify", "--domain", path, "--checks", "64", "--steps", "5")
		if code != exitFailed {
			t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
		}
		if !strings.Contains(out, "unknown wallet") || !strings.Contains(out, "result: FAIL") {
			t.Errorf("the failure does not give the process's reason:\n%s", out)
		}
	})
	t.Run("storm", func(t *testing.T) {
		// The engine's default allows 10,000 deliveries per request, which
		// takes minutes; a lower limit gives the same error sooner.
		file := filepath.Join("..", "..", "certify", "testdata", "forgedstorm.lua")
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		target := targets.LuaWith("lua:"+file, targets.Sources{steps.RoleDomain: string(src)},
			targets.Options{Limits: lua.Limits{MaxDeliveriesPerSend: 10}})
		outs, err := models.Check(context.Background(), target, "01", models.Config{Checks: 64, Steps: 5})
		if err != nil {
			t.Fatalf("the storm is taken for an error of the suite: %v", err)
		}
		failed := false
		for _, o := range outs {
			if o.Failure != nil {
				failed = true
				if s := o.Failure.String(); !strings.Contains(s, "unknown process") {
					t.Errorf("%s failed without the storm's reason:\n%s", o.Property, s)
				}
			}
		}
		if !failed {
			t.Fatal("no property failed on a process that storms")
		}
		run, err := certify.Run(context.Background(), certify.Config{Target: target, MIPs: []string{"01"}, Checks: 64, Steps: 5})
		if err != nil {
			t.Fatalf("certify: the storm is taken for an error of the suite (exit 2): %v", err)
		}
		if run.Summary.OK {
			t.Error("certify: a process that storms passes")
		}
	})
}
