package processes_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/mostao/conformance/processes/broken"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// brokenProfileSession lists the broken profile and session fixtures and the
// requirement that must catch each: the proof that the MIP-02/03 scenarios
// find these defects rather than pass whatever they are given.
var brokenProfileSession = []struct {
	file string
	role string
	// catches is the requirement whose scenarios must fail on the fixture.
	catches string
}{
	{"profile-no-owner-check", steps.RoleProfile, "MIP02-OWN-1"},
	{"profile-trusts-forged", steps.RoleProfile, "MIP02-TRUST-1"},
	{"profile-trusts-forged", steps.RoleProfile, "MIP02-TRUST-2"},
	{"session-notify-sender", steps.RoleSession, "MIP03-SEND-4"},
	{"session-ids-not-monotonic", steps.RoleSession, "MIP03-SEND-3"},
	{"session-removed-can-send", steps.RoleSession, "MIP03-GRP-5"},
	// Requirements that rested on a single scenario, and the stored
	// message's fields.
	{"profile-float-timestamp", steps.RoleProfile, "MIP00-NUM-1"},
	{"profile-chat-creator-is-session", steps.RoleProfile, "MIP02-CHAT-1"},
	{"profile-readd-new-time", steps.RoleProfile, "MIP02-CON-2"},
	{"profile-remove-absent-succeeds", steps.RoleProfile, "MIP02-CON-3"},
	{"profile-read-mark-passes-last", steps.RoleProfile, "MIP02-READ-2"},
	{"profile-null-ignored", steps.RoleProfile, "MIP02-UPD-2"},
	{"profile-update-keeps-time", steps.RoleProfile, "MIP02-UPD-3"},
	{"profile-dated-by-later-message", steps.RoleProfile, "MIP02-GET-1"},
	{"session-dm-title", steps.RoleSession, "MIP03-DM-1"},
	{"session-admin-leaves", steps.RoleSession, "MIP03-GRP-3"},
	{"session-title-bytes", steps.RoleSession, "MIP03-GRP-4"},
	{"session-created-without-roles", steps.RoleSession, "MIP03-INIT-2"},
	{"session-sent-reads-private", steps.RoleSession, "MIP03-READ-1"},
	{"session-drops-reply-link", steps.RoleSession, "MIP03-SEND-3"},
}

// TestBrokenProfileSession runs the scenarios of each fixture's requirement
// against the fixture and against the reference: the fixture must fail at
// least one of them, the reference none, so the failure is the fixture's
// defect and not a fault of the scenarios.
func TestBrokenProfileSession(t *testing.T) {
	for _, b := range brokenProfileSession {
		t.Run(b.file+"/"+b.catches, func(t *testing.T) {
			v, err := broken.Load(b.file)
			if err != nil {
				t.Fatal(err)
			}
			src := v.Source
			tags := "@" + b.catches

			ref := runTaggedMIP0203(t, targets.Reference(), tags)
			for _, sc := range ref {
				if sc.Status != steps.StatusPassed {
					t.Errorf("the reference fails %q (%s): %s at %q", sc.Name, sc.URI, sc.Error, sc.FailedStep)
				}
			}

			broken := runTaggedMIP0203(t, targets.Lua("broken:"+b.file, targets.Sources{b.role: src}), tags)
			var failed []string
			for _, sc := range broken {
				if !slices.Contains(sc.Tags, b.catches) {
					t.Errorf("scenario %q ran without the tag %s", sc.Name, b.catches)
				}
				if sc.Status != steps.StatusPassed {
					failed = append(failed, sc.Name+": "+firstLineMIP0203(sc.Error))
				}
			}
			if len(failed) == 0 {
				t.Fatalf("%s passes every scenario of %s (%d ran): the suite does not catch its defect", b.file, b.catches, len(broken))
			}
			t.Logf("%s caught by %s in %d of %d scenarios:\n  %s", b.file, b.catches, len(failed), len(broken), strings.Join(failed, "\n  "))
		})
	}
}

// runTaggedMIP0203 runs the scenarios with the given tag against a target and
// fails the test when none ran.
func runTaggedMIP0203(t *testing.T, target steps.Target, tags string) []steps.ScenarioResult {
	t.Helper()
	res, err := steps.Run(context.Background(), steps.Options{Target: target, Tags: tags})
	if err != nil {
		t.Fatalf("the suite could not run on %s: %v", target.Name, err)
	}
	if len(res.Scenarios) == 0 {
		t.Fatalf("no scenario is tagged %s", tags)
	}
	return res.Scenarios
}

func firstLineMIP0203(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
