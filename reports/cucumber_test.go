package reports_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cucumber/godog"

	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/reports/internal/sample"
)

// godogCucumber runs a small feature (a passing scenario and one that fails
// mid-way) through godog's own cucumber formatter: the reference shape.
func godogCucumber(t *testing.T) []byte {
	t.Helper()
	fsys := fstest.MapFS{"features/register.feature": {Data: []byte(`@MIP-01
Feature: MIP-01 Register

  @MIP01-REG-1 @MUST
  Scenario: a wallet registers a free name
    Given a domain process
    When alice registers "shop"
    Then the reply is a success

  @MIP01-REG-2 @MUST
  Scenario: a second wallet cannot take a registered name
    Given a domain process
    When bob registers "shop"
    Then the reply is an error
    And the reply echoes the reference
`)}}
	var out bytes.Buffer
	suite := godog.TestSuite{
		ScenarioInitializer: func(sc *godog.ScenarioContext) {
			sc.Step(`^a domain process$`, func() error { return nil })
			sc.Step(`^(alice|bob) registers "([^"]*)"$`, func(string, string) error { return nil })
			sc.Step(`^the reply is a success$`, func() error { return nil })
			sc.Step(`^the reply is an error$`, func() error { return errors.New("want an error reply, got a success") })
			sc.Step(`^the reply echoes the reference$`, func() error { return nil })
		},
		Options: &godog.Options{Format: "cucumber", Output: &out, FS: fsys, Paths: []string{"features"}, Strict: true, NoColors: true},
	}
	if status := suite.Run(); status == 0 {
		t.Fatal("the reference run was meant to fail one scenario")
	}
	return out.Bytes()
}

// shape collects, for every path of object keys in a JSON document, the
// keys seen there and the JSON type of each: what "the same structure"
// means for a reader of the file.
func shape(v any, path string, into map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := path + "." + k
			into[p] = jsonType(e)
			shape(e, p, into)
		}
	case []any:
		for _, e := range x {
			shape(e, path+"[]", into)
		}
	}
}

func jsonType(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}

func shapeOf(t *testing.T, raw []byte) map[string]string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, raw)
	}
	if _, ok := v.([]any); !ok {
		t.Fatalf("want a JSON array of features, got %s", jsonType(v))
	}
	s := map[string]string{}
	shape(v, "", s)
	return s
}

func TestCucumberHasGodogsStructure(t *testing.T) {
	want := shapeOf(t, godogCucumber(t))
	var buf bytes.Buffer
	if err := reports.WriteCucumber(&buf, sample.Failing()); err != nil {
		t.Fatal(err)
	}
	got := shapeOf(t, buf.Bytes())
	var diffs []string
	for p, typ := range want {
		if got[p] != typ {
			diffs = append(diffs, fmt.Sprintf("godog writes %s as %s, ours: %q", p, typ, got[p]))
		}
	}
	for p, typ := range got {
		if _, ok := want[p]; !ok {
			diffs = append(diffs, fmt.Sprintf("ours writes %s (%s), godog does not", p, typ))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("structure differs from godog's cucumber formatter:\n%s", strings.Join(diffs, "\n"))
	}
}

// The parts of Cucumber JSON the content checks read.
type cukeFeature struct {
	URI      string                  `json:"uri"`
	ID       string                  `json:"id"`
	Name     string                  `json:"name"`
	Tags     []struct{ Name string } `json:"tags"`
	Elements []struct {
		ID    string                  `json:"id"`
		Name  string                  `json:"name"`
		Line  int                     `json:"line"`
		Type  string                  `json:"type"`
		Tags  []struct{ Name string } `json:"tags"`
		Steps []struct {
			Keyword string `json:"keyword"`
			Name    string `json:"name"`
			Result  struct {
				Status   string `json:"status"`
				Error    string `json:"error_message"`
				Duration *int64 `json:"duration"`
			} `json:"result"`
		} `json:"steps"`
	} `json:"elements"`
}

func TestCucumberContent(t *testing.T) {
	run := sample.Failing()
	var buf bytes.Buffer
	if err := reports.WriteCucumber(&buf, run); err != nil {
		t.Fatal(err)
	}
	var features []cukeFeature
	if err := json.Unmarshal(buf.Bytes(), &features); err != nil {
		t.Fatal(err)
	}
	var uris []string
	scenarios := map[string]int{}
	for _, f := range features {
		uris = append(uris, f.URI)
		if strings.Contains(f.URI, ":") {
			t.Errorf("feature uri %q keeps a line number", f.URI)
		}
		for _, e := range f.Elements {
			scenarios[e.Name]++
			if e.Type != "scenario" || !strings.HasPrefix(e.ID, f.ID+";") || e.Line == 0 {
				t.Errorf("scenario %q: type %q id %q line %d", e.Name, e.Type, e.ID, e.Line)
			}
		}
	}
	want := []string{"features/mip01/register.feature", "features/mip01/resolve.feature", "features/mip02/profile.feature"}
	if strings.Join(uris, " ") != strings.Join(want, " ") {
		t.Errorf("features %v, want %v (one per feature file, properties left out)", uris, want)
	}
	for name, n := range scenarios {
		if n != 1 {
			t.Errorf("scenario %q appears %d times; a scenario covering several requirements must appear once", name, n)
		}
	}
	// The failing scenario, step by step.
	reg := features[0]
	if reg.Name != "MIP-01 Register" || len(reg.Tags) != 1 || reg.Tags[0].Name != "@MIP-01" {
		t.Errorf("feature %q tags %v", reg.Name, reg.Tags)
	}
	found := false
	for _, e := range reg.Elements {
		if e.Name != "a second wallet cannot take a registered name" {
			continue
		}
		found = true
		var statuses []string
		for _, s := range e.Steps {
			statuses = append(statuses, s.Result.Status)
			if s.Result.Status == "failed" && !strings.Contains(s.Result.Error, "Name-Taken") {
				t.Errorf("failed step without its error: %+v", s)
			}
			if (s.Result.Status == "skipped") != (s.Result.Duration == nil) {
				t.Errorf("step %q (%s): a duration is given exactly when the step ran", s.Name, s.Result.Status)
			}
		}
		if got := strings.Join(statuses, " "); got != "passed passed passed failed skipped" {
			t.Errorf("step statuses %q", got)
		}
	}
	if !found {
		t.Error("the failing scenario is missing")
	}
}
