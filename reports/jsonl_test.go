package reports_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/reports/internal/sample"
)

// compileSchema compiles the embedded schema of one JSON Lines line.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(reports.Schema))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	const url = "https://github.com/mostao/conformance/reports/schema/report.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	return s
}

func jsonl(t *testing.T, run reports.Run) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := reports.WriteJSONL(&buf, run); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestJSONLValidatesAgainstItsSchema(t *testing.T) {
	schema := compileSchema(t)
	clipped := hostileRun()
	for _, c := range clipped.Requirements[1].Checks {
		if len(c.Exchanges) > 0 {
			c.Exchanges[0].Request.Data = strings.Repeat("z", 1<<20)
		}
	}
	// A check found to be a cascade of another requirement's defect.
	cascade := sample.Failing()
	c := &cascade.Requirements[0].Checks[0]
	c.Status, c.Passed = reports.StatusCascade, false
	c.Cascaded, c.Blamed = []reports.Blame{{ID: "MIP01-NAME-1", Role: "domain"}}, []reports.Blame{{ID: "MIP01-REG-1", Role: "domain"}}
	for name, run := range map[string]reports.Run{"passing": sample.Passing(), "failing": sample.Failing(), "empty": {},
		"with roles": roleRun(), "clipped": clipped, "cascade": cascade} {
		t.Run(name, func(t *testing.T) {
			raw := jsonl(t, run)
			lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
			if want := len(run.Requirements) + 2; len(lines) != want {
				t.Fatalf("got %d lines, want header + %d requirements + summary = %d", len(lines), len(run.Requirements), want)
			}
			var types []string
			for i, line := range lines {
				v, err := jsonschema.UnmarshalJSON(strings.NewReader(line))
				if err != nil {
					t.Fatalf("line %d is not JSON: %v", i+1, err)
				}
				if err := schema.Validate(v); err != nil {
					t.Errorf("line %d does not validate: %v\n%s", i+1, err, line)
				}
				types = append(types, v.(map[string]any)["type"].(string))
			}
			if types[0] != "header" || types[len(types)-1] != "summary" {
				t.Errorf("line types %v: want header first and summary last", types)
			}
		})
	}
}

// TestSchemaRejectsBadLines shows the schema check can fail: each line is a
// realistic line with one thing wrong.
func TestSchemaRejectsBadLines(t *testing.T) {
	schema := compileSchema(t)
	lines := strings.Split(string(jsonl(t, sample.Failing())), "\n")
	header, req, summary := lines[0], lines[1], lines[len(lines)-2]
	bad := map[string]string{
		"unknown verdict":  strings.Replace(req, `"verdict":"`, `"verdict":"maybe-`, 1),
		"unknown type":     strings.Replace(summary, `"type":"summary"`, `"type":"totals"`, 1),
		"wrong format":     strings.Replace(header, reports.FormatVersion, "mostao-report/0", 1),
		"negative count":   strings.Replace(summary, `"total":9`, `"total":-1`, 1),
		"malformed id":     strings.Replace(req, `"id":"MIP01-`, `"id":"MIP1-`, 1),
		"undocumented key": strings.Replace(req, `{"type":"requirement",`, `{"type":"requirement","colour":"red",`, 1),
	}
	for name, line := range bad {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(line))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := schema.Validate(v); err == nil {
			t.Errorf("%s: the schema accepted %s", name, line)
		}
	}
}

func TestJSONLRoundTrip(t *testing.T) {
	for name, run := range map[string]reports.Run{"passing": sample.Passing(), "failing": sample.Failing()} {
		t.Run(name, func(t *testing.T) {
			first := jsonl(t, run)
			back, err := reports.ReadJSONL(bytes.NewReader(first))
			if err != nil {
				t.Fatal(err)
			}
			if second := jsonl(t, back); !bytes.Equal(first, second) {
				t.Fatalf("writing what was read gives different bytes:\n%s\n---\n%s", first, second)
			}
			if back.Header.Implementation != run.Header.Implementation || back.Header.Seed != run.Header.Seed {
				t.Errorf("header: got %+v, want %+v", back.Header, run.Header)
			}
			if len(back.Requirements) != len(run.Requirements) {
				t.Fatalf("got %d requirements, want %d", len(back.Requirements), len(run.Requirements))
			}
			for i, r := range run.Requirements {
				b := back.Requirements[i]
				if b.ID != r.ID || b.Verdict != r.Verdict || b.Expected != r.Expected || len(b.Checks) != len(r.Checks) {
					t.Errorf("requirement %d: got %s %s, want %s %s", i, b.ID, b.Verdict, r.ID, r.Verdict)
				}
				for j, c := range r.Checks {
					a, _ := json.Marshal(c)
					bb, _ := json.Marshal(b.Checks[j])
					if !bytes.Equal(a, bb) {
						t.Errorf("%s check %d differs after the round trip:\n%s\n%s", r.ID, j, a, bb)
					}
				}
			}
			want := run.Summary
			if want.Certified == nil {
				want.Certified = []string{} // written as [], read back as such
			}
			a, _ := json.Marshal(want)
			b, _ := json.Marshal(back.Summary)
			if !bytes.Equal(a, b) {
				t.Errorf("summary: got %s, want %s", b, a)
			}
		})
	}
}

func TestReadJSONLRejectsBrokenReports(t *testing.T) {
	good := string(jsonl(t, sample.Failing()))
	lines := strings.SplitAfter(good, "\n")
	cases := map[string]struct{ text, want string }{
		"empty":             {"", "no header"},
		"cut short":         {strings.Join(lines[:3], ""), "no summary"},
		"requirement first": {strings.Join(lines[1:], ""), "line 1: want the header line first"},
		"other version":     {strings.Replace(good, reports.FormatVersion, "mostao-report/2", 1), `format "mostao-report/2"`},
		"unknown line":      {strings.Replace(good, `"type":"summary"`, `"type":"totals"`, 1), `unknown line type "totals"`},
		"not json":          {lines[0] + "{oops\n", "line 2: not a JSON object"},
		"after summary":     {good + lines[1], "content after the summary"},
		"two headers":       {lines[0] + good, "line 2: a second header"},
		"requirement no id": {lines[0] + `{"type":"requirement","verdict":"pass"}` + "\n" + lines[len(lines)-2], "line 2: requirement without an id"},
		"wrong field type":  {lines[0] + `{"type":"requirement","id":"MIP01-REG-1","checks":"none"}` + "\n", "line 2: requirement"},
	}
	for name, c := range cases {
		_, err := reports.ReadJSONL(strings.NewReader(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want one containing %q", name, err, c.want)
		}
	}
}

// TestJSONLIsOneObjectPerLine guards the "Lines" in JSON Lines: data with
// newlines must be escaped inside its line.
func TestJSONLIsOneObjectPerLine(t *testing.T) {
	run := sample.Failing()
	run.Requirements[0].Title = "a title\nwith a newline"
	sc := bufio.NewScanner(bytes.NewReader(jsonl(t, run)))
	sc.Buffer(nil, 1<<24)
	n := 0
	for sc.Scan() {
		n++
		if !json.Valid(sc.Bytes()) {
			t.Fatalf("line %d is not a JSON value on its own", n)
		}
	}
	if n != len(run.Requirements)+2 {
		t.Fatalf("got %d lines, want %d", n, len(run.Requirements)+2)
	}
}
