package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/mostao/conformance/spec"
)

// The Cucumber JSON shapes, field for field as godog's cucumber formatter
// writes them, so tools that read godog's output read ours.
type cukeFeature struct {
	URI         string        `json:"uri"`
	ID          string        `json:"id"`
	Keyword     string        `json:"keyword"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Line        int           `json:"line"`
	Tags        []cukeTag     `json:"tags,omitempty"`
	Elements    []cukeElement `json:"elements,omitempty"`
}

type cukeElement struct {
	ID          string     `json:"id"`
	Keyword     string     `json:"keyword"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Line        int        `json:"line"`
	Type        string     `json:"type"`
	Tags        []cukeTag  `json:"tags,omitempty"`
	Steps       []cukeStep `json:"steps,omitempty"`
}

type cukeTag struct {
	Name string `json:"name"`
	Line int    `json:"line"`
}

type cukeStep struct {
	Keyword string     `json:"keyword"`
	Name    string     `json:"name"`
	Line    int        `json:"line"`
	Match   cukeMatch  `json:"match"`
	Result  cukeResult `json:"result"`
}

type cukeMatch struct {
	Location string `json:"location"`
}

type cukeResult struct {
	Status   string `json:"status"`
	Error    string `json:"error_message,omitempty"`
	Duration *int64 `json:"duration,omitempty"`
}

// cukeID is godog's id of a name: lower case, spaces as dashes.
func cukeID(name string) string { return strings.ReplaceAll(strings.ToLower(name), " ", "-") }

// WriteCucumber writes the scenario checks of a run as Cucumber JSON:
// features (grouped by feature file) with their scenarios and steps.
// Property checks are not scenarios and are left out. A scenario that covers
// several requirements appears once. Tag lines are not known to the model
// and are written as the scenario's line. A check's role is written as one
// more tag, @role:domain. The run is bounded first (Bound with
// DefaultLimits).
func WriteCucumber(w io.Writer, run Run) error {
	run = Bound(run, DefaultLimits)
	type key struct{ uri, name string }
	seen := map[key]bool{}
	byFile := map[string][]Check{}
	for _, r := range run.Requirements {
		for _, c := range r.Checks {
			if c.Kind != Scenario {
				continue
			}
			k := key{c.URI, c.Name}
			if seen[k] {
				continue
			}
			seen[k] = true
			file, _ := splitURI(c.URI)
			byFile[file] = append(byFile[file], c)
		}
	}
	files := make([]string, 0, len(byFile))
	for f := range byFile {
		files = append(files, f)
	}
	sort.Strings(files)

	features := make([]cukeFeature, 0, len(files))
	for _, file := range files {
		checks := byFile[file]
		sort.SliceStable(checks, func(i, j int) bool {
			_, li := splitURI(checks[i].URI)
			_, lj := splitURI(checks[j].URI)
			return li < lj
		})
		f := cukeFeature{URI: file, Keyword: "Feature", Name: featureName(file, checks), Line: 1}
		f.ID = cukeID(f.Name)
		for _, t := range commonTags(checks) {
			f.Tags = append(f.Tags, cukeTag{Name: "@" + t, Line: 1})
		}
		for _, c := range checks {
			f.Elements = append(f.Elements, cukeScenario(f.ID, c))
		}
		features = append(features, f)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "    ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(features); err != nil {
		return fmt.Errorf("cucumber json: %w", err)
	}
	return nil
}

// cukeScenario turns one scenario check into a Cucumber element.
func cukeScenario(featureID string, c Check) cukeElement {
	file, line := splitURI(c.URI)
	e := cukeElement{
		ID: featureID + ";" + cukeID(c.Name), Keyword: "Scenario", Name: c.Name,
		Line: line, Type: "scenario",
	}
	for _, t := range scenarioTags(c) {
		e.Tags = append(e.Tags, cukeTag{Name: "@" + t, Line: line})
	}
	if c.Role != "" {
		e.Tags = append(e.Tags, cukeTag{Name: "@role:" + c.Role, Line: line})
	}
	for _, s := range c.Steps {
		st := cukeStep{Keyword: s.Keyword, Name: s.Text, Line: s.Line, Result: cukeResult{Status: s.Status, Error: s.Error}}
		switch s.Status {
		case "undefined", "pending", "skipped", "ambiguous":
			// godog gives no duration for a step that did not run, and
			// points the match at the step itself.
			if s.Status != "skipped" {
				st.Match.Location = fmt.Sprintf("%s:%d", file, s.Line)
			}
		default:
			d := s.DurationNS
			st.Result.Duration = &d
		}
		e.Steps = append(e.Steps, st)
	}
	return e
}

// scenarioTags are a check's tags, or its requirement IDs when the check
// does not carry its tags.
func scenarioTags(c Check) []string {
	if len(c.Tags) > 0 {
		return c.Tags
	}
	return c.Requirements
}

// commonTags are the tags every scenario of a feature shares, except
// requirement IDs and levels: the feature's own tags (such as @MIP-01),
// which godog copies into each scenario.
func commonTags(checks []Check) []string {
	if len(checks) == 0 {
		return nil
	}
	var out []string
	for _, t := range scenarioTags(checks[0]) {
		all := true
		for _, c := range checks[1:] {
			found := false
			for _, u := range scenarioTags(c) {
				if u == t {
					found = true
					break
				}
			}
			if !found {
				all = false
				break
			}
		}
		if all && !spec.IDPattern.MatchString(t) && spec.Level(t).Strength() == 0 {
			out = append(out, t)
		}
	}
	return out
}

// featureName is the feature's name from its checks, or the file name
// without extension when no check carries it.
func featureName(file string, checks []Check) string {
	for _, c := range checks {
		if c.Feature != "" {
			return c.Feature
		}
	}
	return strings.TrimSuffix(path.Base(file), path.Ext(file))
}
