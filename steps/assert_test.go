package steps

import (
	"errors"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// A reply whose Data has anything after its JSON object is not a JSON
// object: processes must refuse such requests, and the suite refuses such
// replies.
func TestReplyJSONRefusesTrailingData(t *testing.T) {
	for _, data := range []string{`{"a":1} junk`, `{"a":1}{"b":2}`, `{"a":1}]`, `null`, `[1]`} {
		m := adapters.Message{Data: data, Tags: adapters.Tags{{Name: "Action", Value: "Get-Response"}}}
		if v, err := ReplyJSON(m); err == nil {
			t.Errorf("ReplyJSON(%q) = %v, want an error", data, v)
		}
	}
	if _, err := ReplyJSON(adapters.Message{Data: " {\"a\":1}\n"}); err != nil {
		t.Errorf("a JSON object with white space around it: %v", err)
	}
}

// A whole quantity is a JSON integer (MIP00-NUM-1): a scenario that expects
// 1 does not accept 1.0 or 1e0.
func TestJSONComparisonsKeepIntegersIntegers(t *testing.T) {
	for _, got := range []string{`{"id":1.0}`, `{"id":1e0}`, `{"id":10E-1}`} {
		if err := JSONEqual(got, `{"id":1}`); err == nil {
			t.Errorf("JSONEqual(%s, {\"id\":1}) passes", got)
		}
		if err := JSONIncludes(got, `{"id":1}`); err == nil {
			t.Errorf("JSONIncludes(%s, {\"id\":1}) passes", got)
		}
	}
	if err := JSONEqual(`{"id":1,"a":[2]}`, `{"a":[2],"id":1}`); err != nil {
		t.Error(err)
	}
	if err := JSONIncludes(`{"id":1,"a":[2]}`, `{"id":1}`); err != nil {
		t.Error(err)
	}
	if err := JSONEqual(`{"id":1} x`, `{"id":1}`); err == nil {
		t.Error("JSONEqual accepts trailing data")
	}
}

// TestIncludesFindsTheSameDifferenceEveryTime: JSONIncludes compares the
// fields in a fixed order, a real difference before one only in how a
// whole number is written. It ranged over a Go map, so a reply differing
// in two fields got one finding or the other, and a blame on MIP00-NUM-1
// or not, from run to run.
func TestIncludesFindsTheSameDifferenceEveryTime(t *testing.T) {
	got, want := `{"a": 1.0, "b": 5, "c": 7, "d": 2.0}`, `{"a": 1, "b": 6, "c": 8, "d": 2}`
	first := JSONIncludes(got, want)
	if first == nil || !strings.Contains(first.Error(), `field "b" is 5, want 6`) {
		t.Fatalf("JSONIncludes = %v, want the difference in field b", first)
	}
	var f *Failure
	if errors.As(first, &f) {
		t.Fatalf("a real difference is blamed on %s", f.Requirement)
	}
	for range 200 {
		if err := JSONIncludes(got, want); err.Error() != first.Error() {
			t.Fatalf("JSONIncludes found %v, then %v", first, err)
		}
	}
	if err := JSONIncludes(`{"a": 1.0, "b": 6}`, `{"a": 1, "b": 6}`); !errors.As(err, &f) || f.Requirement != "MIP00-NUM-1" {
		t.Errorf("a whole number written as a float: %v, want a MIP00-NUM-1 failure", err)
	}
}
