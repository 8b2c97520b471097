package reports

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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
	return BadgeForRole(run, mip, "")
}

// BadgeForRole is the badge of one role's share of a MIP, labelled "MIP-00
// (domain)": MIP-00 is judged for each supplied role. An empty role gives
// the MIP's badge, every role together.
func BadgeForRole(run Run, mip, role string) Badge {
	var reqs []Requirement
	for _, r := range run.Requirements {
		if r.MIP == mip && (role == "" || r.Role == role) {
			reqs = append(reqs, r)
		}
	}
	s := Summarize(reqs)
	b := Badge{SchemaVersion: 1, Label: MIPLabel(mip) + roleNote(role, func(s string) string { return s })}
	switch {
	case run.Header.Stopped != "":
		// A stopped run certifies nothing, whatever ran before the stop.
		b.Message, b.Color = "too slow to certify", "red"
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

// RoleBadgeFile is the file name of one role's badge of a MIP:
// "mip-00-domain.json".
func RoleBadgeFile(mip, role string) string {
	return "mip-" + strings.ToLower(mip) + "-" + strings.ToLower(role) + ".json"
}

// WriteBadges writes one badge file per MIP of the run into dir, creating
// it, and, for a MIP judged for several roles (MIP-00), one more per role.
func WriteBadges(dir string, run Run) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("badges: %w", err)
	}
	for _, g := range groupByMIP(run) {
		if err := writeBadge(filepath.Join(dir, BadgeFile(g.MIP)), BadgeFor(run, g.MIP)); err != nil {
			return err
		}
		roles := groupRoles(g.Requirements)
		if len(roles) < 2 {
			continue
		}
		for _, role := range roles {
			if !roleName.MatchString(role) {
				return fmt.Errorf("badge %s: role %q is not a file name", g.Label, role)
			}
			if err := writeBadge(filepath.Join(dir, RoleBadgeFile(g.MIP, role)), BadgeForRole(run, g.MIP, role)); err != nil {
				return err
			}
		}
	}
	return nil
}

// roleName is the shape of a role that may be part of a file name.
var roleName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,31}$`)

// groupRoles lists the distinct roles of some requirements, in order of
// first appearance.
func groupRoles(reqs []Requirement) []string {
	var roles []string
	seen := map[string]bool{}
	for _, r := range reqs {
		if r.Role != "" && !seen[r.Role] {
			seen[r.Role] = true
			roles = append(roles, r.Role)
		}
	}
	return roles
}

func writeBadge(name string, b Badge) error {
	raw, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return fmt.Errorf("badge %s: %w", b.Label, err)
	}
	if err := os.WriteFile(name, append(raw, '\n'), 0o644); err != nil {
		return fmt.Errorf("badge %s: %w", b.Label, err)
	}
	return nil
}
