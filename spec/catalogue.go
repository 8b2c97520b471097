// Package spec holds the normative text of MostAO (the Markdown files beside
// this one) and its machine-readable catalogue of requirements
// (requirements.json), which the suite loads to compute coverage and verdicts.
package spec

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
)

//go:embed requirements.json *.md
var files embed.FS

// Level is an RFC 2119 requirement level.
type Level string

// The requirement levels, strongest first.
const (
	Must   Level = "MUST"
	Should Level = "SHOULD"
	May    Level = "MAY"
)

// Strength orders levels: MUST 3, SHOULD 2, MAY 1, anything else 0.
func (l Level) Strength() int {
	switch l {
	case Must:
		return 3
	case Should:
		return 2
	case May:
		return 1
	}
	return 0
}

// Requirement is one numbered rule of the spec.
type Requirement struct {
	// ID is stable across versions, e.g. "MIP01-REG-3".
	ID string `json:"id"`
	// MIP is the two-digit MIP number: "00", "01", "02", "03".
	MIP   string `json:"mip"`
	Level Level  `json:"level"`
	// Title is a one-line summary of the rule.
	Title string `json:"title"`
}

// Catalogue is the list of requirements of one spec version.
type Catalogue struct {
	Version      string        `json:"version"`
	Requirements []Requirement `json:"requirements"`
	byID         map[string]int
}

// IDPattern is the shape of a requirement ID.
var IDPattern = regexp.MustCompile(`^MIP0[0-9]-[A-Z]+-[0-9]+$`)

// Load reads the embedded catalogue and checks it.
func Load() (*Catalogue, error) {
	raw, err := files.ReadFile("requirements.json")
	if err != nil {
		return nil, err
	}
	return Parse(raw)
}

// Parse reads a catalogue from JSON and checks that every ID is well formed,
// unique, and has a known level.
func Parse(raw []byte) (*Catalogue, error) {
	var c Catalogue
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("spec catalogue: %w", err)
	}
	c.byID = make(map[string]int, len(c.Requirements))
	for i, r := range c.Requirements {
		if !IDPattern.MatchString(r.ID) {
			return nil, fmt.Errorf("spec catalogue: requirement %q: ID does not match %s", r.ID, IDPattern)
		}
		if r.Level.Strength() == 0 {
			return nil, fmt.Errorf("spec catalogue: requirement %s: unknown level %q", r.ID, r.Level)
		}
		if r.ID[3:5] != r.MIP {
			return nil, fmt.Errorf("spec catalogue: requirement %s: mip %q does not match its ID", r.ID, r.MIP)
		}
		if _, dup := c.byID[r.ID]; dup {
			return nil, fmt.Errorf("spec catalogue: requirement %s listed twice", r.ID)
		}
		c.byID[r.ID] = i
	}
	return &c, nil
}

// Get returns the requirement with this ID.
func (c *Catalogue) Get(id string) (Requirement, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Requirement{}, false
	}
	return c.Requirements[i], true
}

// ByMIP returns the requirements of one MIP ("01"), in catalogue order.
func (c *Catalogue) ByMIP(mip string) []Requirement {
	var out []Requirement
	for _, r := range c.Requirements {
		if r.MIP == mip {
			out = append(out, r)
		}
	}
	return out
}

// MIPs returns the MIP numbers present, ascending.
func (c *Catalogue) MIPs() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range c.Requirements {
		if !seen[r.MIP] {
			seen[r.MIP] = true
			out = append(out, r.MIP)
		}
	}
	sort.Strings(out)
	return out
}

// Texts returns the normative Markdown files, by file name.
func Texts() (map[string]string, error) {
	out := map[string]string{}
	err := fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(path)
		if err != nil {
			return err
		}
		out[path] = string(b)
		return nil
	})
	return out, err
}

// Hash is the SHA-256 of the catalogue and every normative text, in file-name
// order: two runs with the same hash were judged against the same spec.
func Hash() (string, error) {
	h := sha256.New()
	names := []string{}
	_ = fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, path)
		}
		return nil
	})
	sort.Strings(names)
	for _, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
