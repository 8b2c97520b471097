package reports

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/mostao/conformance/adapters"
)

//go:embed report.html.tmpl
var htmlSource string

// htmlTemplate is parsed once; html/template escapes every value for the
// context it lands in, so data from an implementation cannot inject markup.
var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

// maxHTMLData bounds the Data shown per message in the HTML report.
const maxHTMLData = 4000

// The view of a run the HTML template renders: everything computed here,
// so the template only lays it out.
type htmlView struct {
	Title       string
	Header      Header
	Summary     Summary
	MustScore   string
	Certificate bool
	Certified   []string
	Groups      []htmlGroup
	// Clipped says what Bound left out of the run, empty when nothing.
	Clipped string
}

type htmlGroup struct {
	Label     string
	Certified bool
	MustScore string
	Summary   Summary
	Rows      []htmlRow
	Details   []htmlDetail
}

type htmlRow struct {
	ID, Role, Level string
	Title           string
	Verdict, Icon   string
	Words           string
	Checks, Failed  int
	HasDetail       bool
}

type htmlDetail struct {
	ID, Role, Level string
	Title           string
	Verdict, Icon   string
	Words           string
	Expected        string
	Checks          []htmlCheck
}

type htmlCheck struct {
	Kind, Name, URI, Status string
	Role, Clipped           string
	// LeftOut counts the exchanges left out before the first one shown.
	LeftOut           int
	FailedStep, Error string
	Steps             []Step
	Exchanges         []htmlExchange
	Reproducer        string
}

type htmlExchange struct {
	N          int
	Kind       string
	Request    htmlMsg
	Deliveries []htmlDelivery
	Replies    []htmlMsg
	Spawned    []htmlID
	Result     *htmlResult
	NoReply    bool
	Err        string
}

type htmlID struct{ Short, Full string }

type htmlMsg struct {
	From, Target htmlID
	Action       string
	Error        string
	Tags         adapters.Tags
	Data         string
}

type htmlDelivery struct {
	Seq     int
	Msg     htmlMsg
	Handled bool
	Result  htmlResult
}

type htmlResult struct {
	Messages  []htmlMsg
	Output    string
	Error     string
	ErrorKind string
}

// WriteHTML writes one self-contained HTML page: a certificate header when
// every MUST passed, per MIP a requirement matrix, and for every failure an
// expandable section with the failing steps, the message exchange as a
// sequence, and the command that reproduces it. It loads nothing from the
// network: styles and the one small script are inline. The run is bounded
// first (Bound with DefaultLimits).
func WriteHTML(w io.Writer, run Run) error {
	run = Bound(run, DefaultLimits)
	v := htmlView{
		Clipped:     run.Header.Clipped.String(),
		Title:       "MostAO conformance: " + run.Header.Implementation.Name,
		Header:      run.Header,
		Summary:     run.Summary,
		MustScore:   mustScore(run.Summary),
		Certificate: allMustPassed(run.Summary) && run.Summary.OK,
	}
	for _, m := range run.Summary.Certified {
		v.Certified = append(v.Certified, MIPLabel(m))
	}
	for _, g := range groupByMIP(run) {
		hg := htmlGroup{Label: g.Label, Certified: g.Certified, MustScore: mustScore(g.Summary), Summary: g.Summary}
		for _, r := range g.Requirements {
			hg.Rows = append(hg.Rows, htmlRow{
				ID: r.ID, Role: roleWord(r.Role), Level: levelWord(r.Level), Title: r.Title, Verdict: string(r.Verdict),
				Icon: htmlIcon(r.Verdict), Words: verdictWords(r.Verdict),
				Checks: len(r.Checks), Failed: len(failedChecks(r)), HasDetail: needsDetail(r),
			})
		}
		for _, r := range failuresFirst(g.Requirements) {
			if needsDetail(r) {
				hg.Details = append(hg.Details, htmlRequirement(r))
			}
		}
		v.Groups = append(v.Groups, hg)
	}
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, v); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func htmlRequirement(r Requirement) htmlDetail {
	d := htmlDetail{
		ID: r.ID, Role: r.Role, Level: levelWord(r.Level), Title: r.Title, Verdict: string(r.Verdict),
		Icon: htmlIcon(r.Verdict), Words: verdictWords(r.Verdict), Expected: r.Expected,
	}
	for _, c := range failedChecks(r) {
		n := namer(c.Names)
		hc := htmlCheck{
			Kind: string(c.Kind), Name: c.Name, URI: c.URI, Status: statusWord(c),
			FailedStep: Printable(c.FailedStep), Error: PrintableLines(c.Error), Steps: printableSteps(c.Steps), Reproducer: c.Reproducer,
			Role: c.Role, Clipped: c.Clipped.String(),
		}
		if !c.Clipped.IsZero() {
			hc.LeftOut = c.Clipped.Exchanges
		}
		for i, ex := range c.Exchanges {
			hc.Exchanges = append(hc.Exchanges, n.htmlExchange(i+1, ex))
		}
		d.Checks = append(d.Checks, hc)
	}
	return d
}

func (n namer) id(id string) htmlID { return htmlID{Short: n.name(id), Full: Printable(id)} }

// msg is a message as the page shows it. html/template escapes markup; the
// implementation's text is also made Printable, so control characters show
// as escapes, as on a terminal, instead of vanishing.
func (n namer) msg(m adapters.Message) htmlMsg {
	tags := make(adapters.Tags, len(m.Tags))
	for i, t := range m.Tags {
		tags[i] = adapters.Tag{Name: Printable(t.Name), Value: Printable(t.Value)}
	}
	return htmlMsg{
		From: n.id(m.From), Target: n.id(m.Target), Action: Printable(m.Action()), Error: Printable(m.Tags.Value("Error")),
		Tags: tags, Data: prettyData(m.Data),
	}
}

func (n namer) result(r adapters.Result) htmlResult {
	hr := htmlResult{Output: Printable(clip(r.Output, maxHTMLData)), Error: Printable(clip(r.Error, maxHTMLData)), ErrorKind: Printable(string(r.ErrorKind))}
	if hr.Error != "" && hr.ErrorKind == "" {
		hr.ErrorKind = "evaluation"
	}
	for _, m := range r.Messages {
		hr.Messages = append(hr.Messages, n.msg(m))
	}
	return hr
}

func (n namer) htmlExchange(i int, ex adapters.Exchange) htmlExchange {
	he := htmlExchange{N: i, Kind: Printable(ex.Kind), Request: n.msg(ex.Request), Err: Printable(ex.Err)}
	if ex.Trace != nil {
		for _, d := range ex.Trace.Deliveries {
			he.Deliveries = append(he.Deliveries, htmlDelivery{Seq: d.Seq, Msg: n.msg(d.Message), Handled: d.Handled, Result: n.result(d.Result)})
		}
		for _, m := range ex.Trace.ToWallets {
			he.Replies = append(he.Replies, n.msg(m))
		}
		for _, id := range ex.Trace.Spawned {
			he.Spawned = append(he.Spawned, n.id(id))
		}
		he.NoReply = ex.Kind == "send" && len(ex.Replies()) == 0 && ex.Err == ""
	}
	if ex.Result != nil {
		r := n.result(*ex.Result)
		he.Result = &r
	}
	return he
}

// prettyData indents Data that is JSON, so a person can read it, and clips
// anything long.
func prettyData(data string) string {
	t := strings.TrimSpace(data)
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') && len(t) <= maxHTMLData {
		var buf bytes.Buffer
		if json.Indent(&buf, []byte(t), "", "  ") == nil {
			return buf.String()
		}
	}
	return Printable(clip(data, maxHTMLData))
}

// htmlIcon is a verdict symbol found in ordinary text fonts: the page must
// read the same on a machine without a colour emoji font.
func htmlIcon(v Verdict) string {
	switch v {
	case Pass:
		return "✔"
	case Fail:
		return "✘"
	case Warn:
		return "⚠"
	case Untested:
		return "○"
	case ExpectedFail:
		return "◐"
	case UnexpectedPass:
		return "‼"
	}
	return "?"
}

// printableSteps is a copy of steps whose texts and errors are Printable.
func printableSteps(steps []Step) []Step {
	out := make([]Step, len(steps))
	for i, s := range steps {
		s.Text, s.Error = Printable(s.Text), PrintableLines(s.Error)
		out[i] = s
	}
	return out
}
