package reports

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Badge is a shields.io "endpoint" badge: shields.io renders it from a URL
// serving this JSON (https://shields.io/badges/endpoint-badge).
type Badge struct {
	SchemaVersion int    `json:"schemaVersion"`
	Label         string `json:"label"`
	Message       string `json:"message"`
	Color         string `json:"color"`
}

// BadgeFor is the badge of one MIP of a run: "certified" (bright green, or
// green when some SHOULD or MAY warned), otherwise how many MUST passed: red
// when a MUST failed or an expectation is stale, orange when the rest are
// expected failures or untested.
func BadgeFor(run Run, mip string) Badge {
	var reqs []Requirement
	for _, r := range run.Requirements {
		if r.MIP == mip {
			reqs = append(reqs, r)
		}
	}
	s := Summarize(reqs)
	b := Badge{SchemaVersion: 1, Label: MIPLabel(mip)}
	switch {
	case allMustPassed(s) && s.UnexpectedPass == 0:
		b.Message, b.Color = "certified", "brightgreen"
		if s.Warned > 0 {
			b.Color = "green"
		}
	case s.Failed > 0 || s.UnexpectedPass > 0:
		b.Message, b.Color = mustScore(s), "red"
	default:
		b.Message, b.Color = mustScore(s), "orange"
	}
	return b
}

// BadgeFile is the file name of a MIP's badge: "mip-01.json".
func BadgeFile(mip string) string { return "mip-" + strings.ToLower(mip) + ".json" }

// WriteBadges writes one badge file per MIP of the run into dir, creating it.
func WriteBadges(dir string, run Run) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("badges: %w", err)
	}
	for _, g := range groupByMIP(run) {
		raw, err := json.MarshalIndent(BadgeFor(run, g.MIP), "", "  ")
		if err != nil {
			return fmt.Errorf("badge %s: %w", g.Label, err)
		}
		name := filepath.Join(dir, BadgeFile(g.MIP))
		if err := os.WriteFile(name, append(raw, '\n'), 0o644); err != nil {
			return fmt.Errorf("badge %s: %w", g.Label, err)
		}
	}
	return nil
}
