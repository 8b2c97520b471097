// Package browser runs headless Chromium on a local page: the HTML report
// test uses it to check what a person sees, and the screenshot program to
// regenerate the documentation image. It needs only the chromium binary.
package browser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
)

// ErrNotFound means no Chromium binary is on PATH.
var ErrNotFound = errors.New("chromium not found on PATH (Debian: apt-get install -y chromium)")

// names are the binary names Chromium goes by.
var names = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// Find returns the path of a Chromium binary.
func Find() (string, error) {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", ErrNotFound
}

// run starts Chromium headless with a fresh profile and everything that
// would reach the network turned off, and returns its standard output.
func run(ctx context.Context, bin string, args ...string) ([]byte, error) {
	profile, err := os.MkdirTemp("", "mostao-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--hide-scrollbars",
		"--user-data-dir=" + profile,
	}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("chromium did not finish: %w", ctx.Err())
		}
		return nil, fmt.Errorf("chromium: %w\n%s", err, lastBytes(stderr.Bytes(), 2000))
	}
	return stdout.Bytes(), nil
}

func lastBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// DumpDOM loads url, runs its scripts, and returns the DOM as HTML.
func DumpDOM(ctx context.Context, bin, url string) (string, error) {
	out, err := run(ctx, bin, "--virtual-time-budget=5000", "--dump-dom", url)
	return string(out), err
}

// Screenshot loads url in a window of the given size and saves a PNG.
func Screenshot(ctx context.Context, bin, url, png string, width, height int) error {
	_, err := run(ctx, bin, "--virtual-time-budget=5000",
		"--window-size="+strconv.Itoa(width)+","+strconv.Itoa(height),
		"--screenshot="+png, url)
	if err != nil {
		return err
	}
	if st, err := os.Stat(png); err != nil || st.Size() == 0 {
		return fmt.Errorf("chromium wrote no screenshot to %s", png)
	}
	return nil
}
