package reports_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/reports/internal/sample"
)

func TestReadExpectationsGood(t *testing.T) {
	text := "\ufeff# known failures\n" +
		"\n" +
		"MIP01-REG-2 names are not yet reserved on refusal\n" +
		"   # an indented comment\n" +
		"MIP02-PRO-10\tthe schema check lands in 0.2  \r\n" +
		"MIP03-SES-1   spaces   inside   are kept" // no final newline
	got, err := reports.ReadExpectations(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"MIP01-REG-2":  "names are not yet reserved on refusal",
		"MIP02-PRO-10": "the schema check lands in 0.2",
		"MIP03-SES-1":  "spaces   inside   are kept",
	}
	if !maps.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	empty, err := reports.ReadExpectations(strings.NewReader("# nothing expected\n\n"))
	if err != nil || len(empty) != 0 {
		t.Errorf("a file of comments: got %v, %v", empty, err)
	}
}

func TestReadExpectationsBad(t *testing.T) {
	cases := map[string]struct{ text, want string }{
		"no reason":       {"# c\nMIP01-REG-2\n", "line 2: MIP01-REG-2 has no reason"},
		"blank reason":    {"MIP01-REG-2   \t \n", "line 1: MIP01-REG-2 has no reason"},
		"malformed id":    {"\nMIP1-REG-2 too short\n", `line 2: "MIP1-REG-2" is not a requirement ID`},
		"lower case":      {"mip01-reg-2 lower case\n", `line 1: "mip01-reg-2" is not a requirement ID`},
		"reason first":    {"flaky MIP01-REG-2\n", `line 1: "flaky" is not a requirement ID`},
		"listed twice":    {"MIP01-REG-2 a\n#\nMIP01-REG-2 b\n", "line 3: MIP01-REG-2 is already listed on line 1"},
		"trailing symbol": {"MIP01-REG-2: colon\n", `line 1: "MIP01-REG-2:" is not a requirement ID`},
	}
	for name, c := range cases {
		got, err := reports.ReadExpectations(strings.NewReader(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, %v; want an error containing %q", name, got, err, c.want)
		}
	}
}

// TestSampleExpectations: the sample's expectations file gives the reasons
// its failing run shows.
func TestSampleExpectations(t *testing.T) {
	exp, err := reports.ReadExpectations(strings.NewReader(sample.Expectations))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sample.Failing().Requirements {
		if r.Expected != exp[r.ID] {
			t.Errorf("%s: report shows reason %q, file says %q", r.ID, r.Expected, exp[r.ID])
		}
	}
}
