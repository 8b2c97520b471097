// Command screenshot regenerates docs/report-failing.png: the HTML report
// of the sample failing run, opened at its first failure, as Chromium
// renders it (-run passing renders the certificate instead). Run it from the module root:
//
//	go run ./reports/internal/screenshot
//
// or through scripts/screenshot-report.sh.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/reports/internal/browser"
	"github.com/mostao/conformance/reports/internal/sample"
)

func main() {
	out := flag.String("out", "docs/report-failing.png", "where to write the PNG")
	open := flag.String("open", "MIP01-REG-2", "the failure to show expanded")
	width := flag.Int("width", 1200, "window width in pixels")
	height := flag.Int("height", 2200, "window height in pixels")
	keep := flag.String("html", "", "also keep the HTML report at this path")
	which := flag.String("run", "failing", "which sample run to render: failing or passing")
	flag.Parse()
	runs := map[string]func() reports.Run{"failing": sample.Failing, "passing": sample.Passing}
	pick, ok := runs[*which]
	if !ok {
		fmt.Fprintf(os.Stderr, "screenshot: -run %q: want failing or passing\n", *which)
		os.Exit(2)
	}
	if err := run(pick(), *out, *open, *keep, *width, *height); err != nil {
		fmt.Fprintln(os.Stderr, "screenshot:", err)
		os.Exit(1)
	}
}

func run(r reports.Run, out, open, keep string, width, height int) error {
	bin, err := browser.Find()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "mostao-report-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	page := filepath.Join(dir, "report.html")
	f, err := os.Create(page)
	if err != nil {
		return err
	}
	if err := reports.WriteHTML(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if keep != "" {
		raw, err := os.ReadFile(page)
		if err != nil {
			return err
		}
		if err := os.WriteFile(keep, raw, 0o644); err != nil {
			return err
		}
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return err
	}
	u := url.URL{Scheme: "file", Path: page, Fragment: open}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return browser.Screenshot(ctx, bin, u.String(), abs, width, height)
}
