package steps

import (
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
