package features_test

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	messages "github.com/cucumber/messages/go/v34"

	"github.com/mostao/conformance/features"
)

// noticeAction finds a step that makes or sends a notice that introduces a
// session, whose participants MIP03-INIT-2 writes as [{pid, role}].
var noticeAction = regexp.MustCompile(`Session-(Created|Changed)`)

// bareParticipants finds participants written as bare ids, in JSON
// ("participants": ["<A>", ...]) or in a Lua table (participants = {"<A>", ...}).
var bareParticipants = regexp.MustCompile(`"participants"\s*:\s*\[\s*"|participants\s*=\s*\{\s*"`)

// bareIDsOnPurpose is the tag of the scenarios that send bare ids on
// purpose, to check that a profile ignores them (MIP02-TRUST-5).
const bareIDsOnPurpose = "@MIP02-TRUST-5"

// notMIP03Shaped returns, for every scenario step that forges a
// Session-Created or Session-Changed notice with participants as bare ids,
// where it is: fixtures must use the shape the spec defines, or a profile
// that reads that shape fails for the fixture's sake.
func notMIP03Shaped(fsys fs.FS) ([]string, error) {
	var out []string
	err := eachPickle(fsys, func(path string, _ *messages.GherkinDocument, p *messages.Pickle) {
		for _, t := range p.Tags {
			if t.Name == bareIDsOnPurpose {
				return
			}
		}
		for _, st := range p.Steps {
			text := st.Text
			if st.Argument != nil && st.Argument.DocString != nil {
				text += "\n" + st.Argument.DocString.Content
			}
			if noticeAction.MatchString(text) && bareParticipants.MatchString(text) {
				out = append(out, fmt.Sprintf("%s: scenario %q, step %q", path, p.Name, st.Text))
			}
		}
	})
	return out, err
}

// TestFixturesUseTheMIP03NoticeShape fails when a scenario forges a
// creation notice whose participants are bare ids, unless the scenario
// checks on purpose that such a notice is ignored.
func TestFixturesUseTheMIP03NoticeShape(t *testing.T) {
	bad, err := notMIP03Shaped(features.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Errorf("%s: a notice's participants are [{pid, role}] (MIP03-INIT-2), not bare ids", b)
	}
}

// TestFixtureShapeCheckFindsBareIDs guards the check: bare ids in JSON and
// in Lua are found, the MIP-03 shape and the tagged exception are not.
func TestFixtureShapeCheckFindsBareIDs(t *testing.T) {
	fsys := fstest.MapFS{
		"a.feature": &fstest.MapFile{Data: []byte("@MIP-02\nFeature: f\n\n" +
			"  @MUST\n  Scenario: json\n    When x sends \"Session-Created\" to \"P\" with data \"{\"participants\": [\"<A>\", \"<P>\"]}\"\n\n" +
			"  @MUST\n  Scenario: lua\n    When x sends \"Eval\" to \"S\" with data:\n      \"\"\"\n      ao.send({Action = \"Session-Changed\", Data = json.encode({participants = {\"<A>\"}})})\n      \"\"\"\n\n" +
			"  @MUST\n  Scenario: shaped\n    When x sends \"Session-Created\" to \"P\" with data \"{\"participants\": [{\"pid\": \"<A>\", \"role\": \"member\"}]}\"\n\n" +
			"  @MIP02-TRUST-5 @MUST\n  Scenario: on purpose\n    When x sends \"Session-Created\" to \"P\" with data \"{\"participants\": [\"<A>\"]}\"\n")},
	}
	bad, err := notMIP03Shaped(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 2 || !strings.Contains(bad[0], `"json"`) || !strings.Contains(bad[1], `"lua"`) {
		t.Fatalf("want the json and lua scenarios only, got %v", bad)
	}
}
