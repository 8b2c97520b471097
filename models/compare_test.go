package models

import (
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/models/proto"
)

// The model holds ids, counts and times as Go integers: a reply that writes
// one as 1.0 or with trailing data after its object diverges (MIP00-NUM-1).
func TestCompareDataKeepsIntegersIntegers(t *testing.T) {
	want := proto.Reply{Action: "SendMessage-Response", Data: map[string]any{"id": 1, "at": int64(1700000000000)}}
	if p := compareData(`{"id":1,"at":1700000000000}`, want); p != "" {
		t.Errorf("the right reply: %s", p)
	}
	for _, got := range []string{`{"id":1.0,"at":1700000000000}`, `{"id":1,"at":1.7e12}`, `{"id":1,"at":1700000000000} junk`} {
		if p := compareData(got, want); p == "" {
			t.Errorf("%s passes as %v", got, want.Data)
		}
	}
}

// TestDivergencesKeepTheImplementationsTextOnOneLine: a divergence is
// printed a line per field, so an implementation's Action or Data holding
// a line break ("\nresult: PASS") is written with escapes, never as a line
// of its own.
func TestDivergencesKeepTheImplementationsTextOnOneLine(t *testing.T) {
	m := adapters.Message{Data: "a\r\nb", Tags: adapters.Tags{{Name: "Action", Value: "QueryDomain-Response\nresult: PASS"}}}
	got := describeMessages([]adapters.Message{m, m})
	if strings.ContainsAny(got, "\r\n") || !strings.Contains(got, `QueryDomain-Response\nresult: PASS`) || !strings.Contains(got, `a\r\nb`) {
		t.Errorf("describeMessages = %q", got)
	}
}
