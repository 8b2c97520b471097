package enginediff

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/steps"
)

// send is a send exchange whose one reply carries tags and data.
func send(action string, tags adapters.Tags, data string) adapters.Exchange {
	req := adapters.Message{From: "alice", Target: "P", Tags: adapters.Tags{{Name: "Action", Value: action}}}
	reply := adapters.Message{From: "P", Target: "alice", Tags: tags, Data: data}
	return adapters.Exchange{Kind: "send", Request: req, Trace: &adapters.Trace{ToWallets: []adapters.Message{reply}}}
}

func scenario(name string, ex ...adapters.Exchange) steps.ScenarioResult {
	return steps.ScenarioResult{Name: name, URI: "features/x.feature", Status: steps.StatusPassed, Exchanges: ex,
		Steps: []steps.StepResult{{Keyword: "Given ", Text: "a process", ExchangesAfter: 1}, {Keyword: "When ", Text: "alice asks", ExchangesAfter: len(ex)}}}
}

func side(name string, near int, verdict reports.Verdict, sc ...steps.ScenarioResult) Side {
	run := reports.Run{Requirements: []reports.Requirement{{ID: "MIP01-REG-3", Role: "domain", Level: "MUST", Verdict: verdict}}}
	run.Summary.OK = verdict == reports.Pass
	return Side{Name: name, Nearness: near, Why: name + " why", Run: run, Scenarios: sc}
}

func TestSameRepliesAndVerdictsDoNotDiffer(t *testing.T) {
	tags := adapters.Tags{{Name: "Action", Value: "R"}, {Name: "A", Value: "1"}}
	swapped := adapters.Tags{{Name: "A", Value: "1"}, {Name: "Action", Value: "R"}}
	r := Compare([]Side{
		side("lua", 1, reports.Pass, scenario("s", send("Q", nil, ""), send("Q", tags, "d"))),
		side("wasm", 2, reports.Pass, scenario("s", send("Q", nil, ""), send("Q", swapped, "d"))),
	})
	require.False(t, r.Differs(), "%+v", r)
	require.True(t, r.Certified())
	require.Equal(t, 1, r.ScenariosCompared)
	require.Equal(t, "wasm", r.Nearer)
}

func TestTheFirstDifferingReplyIsNamed(t *testing.T) {
	r := Compare([]Side{
		side("lua", 1, reports.Pass, scenario("s", send("Q", nil, ""), send("Q", adapters.Tags{{Name: "Ratio", Value: "5"}}, "x"), send("Q", nil, "late"))),
		side("wasm", 2, reports.Pass, scenario("s", send("Q", nil, ""), send("Q", adapters.Tags{{Name: "Ratio", Value: "5.0"}}, "y"), send("Q", nil, "later"))),
	})
	require.Len(t, r.Replies, 1, "one difference per scenario")
	d := r.Replies[0]
	require.Equal(t, "reply 1 tag Ratio", d.What, "the tag comes before the data")
	require.Equal(t, []string{"5", "5.0"}, d.Values)
	require.Equal(t, 2, d.Request)
	require.Equal(t, "When alice asks", d.Step)
	require.Equal(t, "Q", d.Action)
	require.True(t, r.Differs())
}

func TestMissingTagsDataAndRepliesDiffer(t *testing.T) {
	missing := Compare([]Side{
		side("lua", 1, reports.Pass, scenario("s", send("Q", adapters.Tags{{Name: "Extra", Value: "1"}}, ""))),
		side("wasm", 2, reports.Pass, scenario("s", send("Q", nil, ""))),
	})
	require.Equal(t, "reply 1 tag Extra", missing.Replies[0].What)
	require.Equal(t, []string{"1", absent}, missing.Replies[0].Values)

	data := Compare([]Side{
		side("lua", 1, reports.Pass, scenario("s", send("Q", nil, `{"n":5}`))),
		side("wasm", 2, reports.Pass, scenario("s", send("Q", nil, `{"n":5.0}`))),
	})
	require.Equal(t, "reply 1 data", data.Replies[0].What)
	require.Equal(t, "Given a process", data.Replies[0].Step)

	none := send("Q", nil, "")
	none.Trace = &adapters.Trace{}
	count := Compare([]Side{
		side("lua", 1, reports.Pass, scenario("s", send("Q", nil, ""))),
		side("wasm", 2, reports.Pass, scenario("s", none)),
	})
	require.Equal(t, "reply count", count.Replies[0].What)
	require.Equal(t, []string{"1", "0"}, count.Replies[0].Values)
}

func TestDifferingVerdictsAndUnpairedScenarios(t *testing.T) {
	r := Compare([]Side{
		side("wasm", 2, reports.Fail, scenario("a"), scenario("b")),
		side("lua", 1, reports.Pass, scenario("a")),
	})
	require.Equal(t, "wasm", r.Nearer, "the nearer engine is found wherever it is listed")
	require.Len(t, r.Verdicts, 1)
	require.Equal(t, []string{"fail", "pass"}, r.Verdicts[0].Verdicts)
	require.Equal(t, []string{"features/x.feature: b"}, r.Unpaired)
	require.False(t, r.Certified())
}

func TestPrintGroupsTheSameDifferenceAndEscapes(t *testing.T) {
	var sc [2][]steps.ScenarioResult
	for i := 0; i < 5; i++ {
		name := strings.Repeat("s", i+1)
		sc[0] = append(sc[0], scenario(name, send("Q", adapters.Tags{{Name: "T", Value: "5"}}, "")))
		sc[1] = append(sc[1], scenario(name, send("Q", adapters.Tags{{Name: "T", Value: "\x1b[2Kresult: PASS"}}, "")))
	}
	r := Compare([]Side{side("lua", 1, reports.Pass, sc[0]...), side("wasm", 2, reports.Pass, sc[1]...)})
	var b bytes.Buffer
	Print(&b, r)
	out := b.String()
	require.Equal(t, 1, strings.Count(out, "tag T differs"), out)
	require.Contains(t, out, "and 2 more scenario(s)")
	require.NotContains(t, out, "\x1b", "an implementation's text reached the terminal raw")
	require.Contains(t, out, "engines: DIFFER")
}
