package reports_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/reports/internal/sample"
)

func readBadge(t *testing.T, path string) reports.Badge {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b reports.Badge
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var keys map[string]any
	_ = json.Unmarshal(raw, &keys)
	for _, k := range []string{"schemaVersion", "label", "message", "color"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("%s lacks %q, which shields.io requires", path, k)
		}
	}
	return b
}

func TestBadges(t *testing.T) {
	cases := []struct {
		name string
		run  reports.Run
		want map[string]reports.Badge
	}{
		{"passing", sample.Passing(), map[string]reports.Badge{
			"mip-01.json": {1, "MIP-01", "certified", "brightgreen"},
			"mip-02.json": {1, "MIP-02", "certified", "brightgreen"},
		}},
		{"failing", sample.Failing(), map[string]reports.Badge{
			"mip-01.json": {1, "MIP-01", "3/4 MUST", "red"},
			"mip-02.json": {1, "MIP-02", "0/2 MUST", "red"},
		}},
	}
	for _, c := range cases {
		dir := t.TempDir()
		if err := reports.WriteBadges(dir, c.run); err != nil {
			t.Fatal(err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != len(c.want) {
			t.Errorf("%s: %d badge files, want %d", c.name, len(entries), len(c.want))
		}
		for file, want := range c.want {
			if got := readBadge(t, filepath.Join(dir, file)); got != want {
				t.Errorf("%s %s: got %+v, want %+v", c.name, file, got, want)
			}
		}
	}
}

func TestBadgeColours(t *testing.T) {
	run := sample.Passing()
	// A SHOULD warning keeps the certificate but dims the green.
	for i := range run.Requirements {
		if run.Requirements[i].ID == "MIP01-REG-4" {
			run.Requirements[i].Verdict = reports.Warn
		}
		// Only an expected failure among MUSTs: not certified, not red.
		if run.Requirements[i].ID == "MIP02-PRO-2" {
			run.Requirements[i].Verdict = reports.ExpectedFail
		}
	}
	if b := reports.BadgeFor(run, "01"); b.Message != "certified" || b.Color != "green" {
		t.Errorf("certified with a warning: %+v", b)
	}
	if b := reports.BadgeFor(run, "02"); b.Message != "1/2 MUST" || b.Color != "orange" {
		t.Errorf("an expected failure: %+v", b)
	}
}
