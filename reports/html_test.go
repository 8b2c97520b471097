package reports_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/reports/internal/sample"
)

func htmlReport(t *testing.T, run reports.Run) string {
	t.Helper()
	var buf bytes.Buffer
	if err := reports.WriteHTML(&buf, run); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestHTMLIsSelfContained(t *testing.T) {
	page := htmlReport(t, sample.Failing())
	for _, bad := range []string{"<link", " src=", "@import", "url(", `href="http`, `href="//`} {
		if strings.Contains(page, bad) {
			t.Errorf("the report loads something from outside (%q): it must work offline", bad)
		}
	}
	if n := strings.Count(page, "<script"); n != 1 {
		t.Errorf("want exactly the one inline script, got %d <script tags", n)
	}
}

func TestHTMLEscapesWhatTheImplementationSent(t *testing.T) {
	page := htmlReport(t, sample.Failing())
	if strings.Contains(page, "<script>alert(1)") {
		t.Fatal("a reply's Data reached the page as markup")
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("a reply's Data must be shown, escaped")
	}
}

func TestHTMLCertificateOnlyWhenEveryMustPassed(t *testing.T) {
	pass := htmlReport(t, sample.Passing())
	fail := htmlReport(t, sample.Failing())
	if !strings.Contains(pass, `id="certificate"`) || !strings.Contains(pass, "conforms to MostAO\nMIP-01, MIP-02") {
		t.Error("a run where every MUST passed must carry the certificate naming its MIPs")
	}
	if strings.Contains(fail, `id="certificate"`) || !strings.Contains(fail, "Not certified") {
		t.Error("a failing run must not carry the certificate")
	}
}

func TestHTMLMatrixAndDetails(t *testing.T) {
	run := sample.Failing()
	page := htmlReport(t, run)
	rows := regexp.MustCompile(`<tr class="r-([a-z-]+)" data-verdict="([a-z-]+)"><td class="mono">(?:<a href="#([A-Z0-9-]+)">)?([A-Z0-9-]+)`).FindAllStringSubmatch(page, -1)
	if len(rows) != len(run.Requirements) {
		t.Fatalf("matrix has %d rows, want one per requirement (%d)", len(rows), len(run.Requirements))
	}
	for i, r := range run.Requirements {
		row := rows[i]
		if row[4] != r.ID || row[2] != string(r.Verdict) {
			t.Errorf("row %d: %s %s, want %s %s", i, row[4], row[2], r.ID, r.Verdict)
		}
		detail := strings.Contains(page, `<details class="failure" id="`+r.ID+`"`)
		needs := r.Verdict != reports.Pass && r.Verdict != reports.Untested
		if detail != needs || (row[3] != "") != needs {
			t.Errorf("%s (%s): details %v, link %q; want both exactly for what needs attention", r.ID, r.Verdict, detail, row[3])
		}
	}
	for _, want := range []string{"Failed step: <strong>the reply is an error &#34;Name-Taken&#34;</strong>", "Reproduce: <code class=\"repro\">mostao certify"} {
		if !strings.Contains(page, want) {
			t.Errorf("lacks %q", want)
		}
	}
}
