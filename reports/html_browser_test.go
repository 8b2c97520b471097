package reports_test

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/reports/internal/browser"
	"github.com/mostao/conformance/reports/internal/sample"
)

// chromium finds the browser, or skips the test with the reason; CI sets
// MOSTAO_REQUIRE_CHROMIUM=1 so that there a missing browser fails instead.
func chromium(t *testing.T) string {
	t.Helper()
	bin, err := browser.Find()
	if errors.Is(err, browser.ErrNotFound) {
		if os.Getenv("MOSTAO_REQUIRE_CHROMIUM") != "" {
			t.Fatalf("MOSTAO_REQUIRE_CHROMIUM is set but %v", err)
		}
		t.Skipf("skipping the browser check of the HTML report: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// probe measures, in the rendered page, what a person sees: the matrix
// rows and their layout, and a failure's message exchange before and after
// a click on its summary. It writes its findings into the page as JSON.
const probe = `<script>
(function () {
  var out = {};
  var rows = document.querySelectorAll("table.matrix tbody tr");
  out.rows = rows.length;
  out.visibleRows = 0;
  out.matrix = [];
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i].getBoundingClientRect();
    if (r.height > 0 && r.width > 0) out.visibleRows++;
    out.matrix.push(rows[i].cells[0].innerText + " " + rows[i].querySelector("td.v").innerText);
  }
  var failColour = getComputedStyle(document.querySelector("tr[data-verdict=fail] td.v")).color;
  var passColour = getComputedStyle(document.querySelector("tr[data-verdict=pass] td.v")).color;
  out.failLooksDifferent = failColour !== passColour;
  var d = document.getElementById("MIP01-REG-2");
  out.found = !!d;
  if (d) {
    var seq = d.querySelector("ol.seq");
    out.openBefore = d.open;
    // A folded section keeps its layout box in current Chromium (its
    // content is skipped, not removed): ask whether it is visible.
    out.visibleBefore = seq.checkVisibility();
    d.querySelector("summary").click();
    out.openAfter = d.open;
    out.visibleAfter = seq.checkVisibility();
    out.heightAfter = seq.getBoundingClientRect().height;
    out.text = d.innerText;
  }
  out.scripts = document.querySelectorAll("script").length;
  var pre = document.createElement("pre");
  pre.id = "probe-result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
`

type probeResult struct {
	Rows, VisibleRows     int
	Matrix                []string
	FailLooksDifferent    bool
	Found                 bool
	OpenBefore, OpenAfter bool
	VisibleBefore         bool
	VisibleAfter          bool
	HeightAfter           float64
	Text                  string
	Scripts               int
}

func writeHTMLFile(t *testing.T, dir, name string, run reports.Run, extra string) string {
	t.Helper()
	var b strings.Builder
	if err := reports.WriteHTML(&b, run); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if extra != "" {
		page = strings.Replace(page, "</body>", extra+"</body>", 1)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func fileURL(p, fragment string) string {
	return (&url.URL{Scheme: "file", Path: p, Fragment: fragment}).String()
}

func TestHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	run := sample.Failing()
	page := writeHTMLFile(t, dir, "probe.html", run, probe)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dom, err := browser.DumpDOM(ctx, bin, fileURL(page, ""))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)<pre id="probe-result">(.*?)</pre>`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the probe left no result: the page did not load or its script failed\n%.2000s", dom)
	}
	var got probeResult
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &got); err != nil {
		t.Fatalf("probe result: %v\n%s", err, m[1])
	}

	// The matrix renders: one visible row per requirement, verdicts in words,
	// a failure coloured unlike a pass.
	if got.Rows != len(run.Requirements) || got.VisibleRows != got.Rows {
		t.Errorf("matrix: %d rows, %d visible; want %d visible", got.Rows, got.VisibleRows, len(run.Requirements))
	}
	if !strings.Contains(strings.Join(got.Matrix, "|"), "MIP01-REG-2 ✘ FAIL") {
		t.Errorf("matrix text %q: want MIP01-REG-2 shown as FAIL", got.Matrix)
	}
	if !got.FailLooksDifferent {
		t.Error("a failed verdict is drawn in the same colour as a pass")
	}
	// A failure starts folded and opens on a click, showing the exchange.
	if !got.Found {
		t.Fatal("no expandable section for the failure MIP01-REG-2")
	}
	if got.OpenBefore || got.VisibleBefore {
		t.Errorf("before a click the failure should be folded: open=%v, exchange visible=%v", got.OpenBefore, got.VisibleBefore)
	}
	if !got.OpenAfter || !got.VisibleAfter || got.HeightAfter <= 0 {
		t.Errorf("after a click on its summary the failure should show its exchange: open=%v, visible=%v, height %v", got.OpenAfter, got.VisibleAfter, got.HeightAfter)
	}
	for _, want := range []string{
		"bob → D", "Action=Register", "D → bob", "Action=Register-Notice",
		`"note": "<script>alert(1)</script>"`, // shown as text, not run
		"Failed step: the reply is an error \"Name-Taken\"",
		"mostao certify --target lua:processes --seed 42 --run features/mip01/register.feature:20",
	} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("an opened failure should read %q; it reads:\n%s", want, got.Text)
		}
	}
	if got.Scripts != 2 {
		t.Errorf("%d scripts in the page, want the report's and the probe's only", got.Scripts)
	}
}

// TestHTMLLinkOpensFailure: report.html#MIP01-REG-2 (what a CI summary
// links to) opens that failure.
func TestHTMLLinkOpensFailure(t *testing.T) {
	bin := chromium(t)
	page := writeHTMLFile(t, t.TempDir(), "report.html", sample.Failing(), "")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dom, err := browser.DumpDOM(ctx, bin, fileURL(page, "MIP01-REG-2"))
	if err != nil {
		t.Fatal(err)
	}
	tags := regexp.MustCompile(`<details [^>]*>`).FindAllString(dom, -1)
	if len(tags) == 0 {
		t.Fatalf("no <details> in the rendered page:\n%.2000s", dom)
	}
	for _, tag := range tags {
		open := strings.Contains(tag, " open")
		if strings.Contains(tag, `id="MIP01-REG-2"`) != open {
			t.Errorf("%s: want only the linked failure open", tag)
		}
	}
}
