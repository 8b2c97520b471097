// Package nodecheck finds what a test needs to run a pinned npm project on
// the machine's Node.js: node on PATH and the package installed, at the
// version its package.json pins, by `npm ci` in the project's directory.
// Without them the test is skipped, saying why and how to install them,
// unless the check's environment variable is 1 (as in CI), which makes
// their absence a failure: a required check can never be skipped silently.
package nodecheck

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Check names a pinned npm project and what a test uses it for.
type Check struct {
	// What is the check, as a skip or failure message names it.
	What string
	// Dir is the project's directory, as the test sees it (relative to
	// its package); Install is how to install it from the module's root.
	Dir, Install string
	// Package is the npm package the test needs, Version the one pinned.
	Package, Version string
	// Require is the environment variable that makes the check required.
	Require string
}

// Node returns node's path, or skips or fails tb as c says.
func Node(tb testing.TB, c Check) string {
	tb.Helper()
	missing := func(reason string) {
		tb.Helper()
		if os.Getenv(c.Require) == "1" {
			tb.Fatalf("%s is required (%s=1) but cannot run: %s", c.What, c.Require, reason)
		}
		tb.Skipf("%s skipped: %s (%s installs it; %s=1 makes this a failure)", c.What, reason, c.Install, c.Require)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not on PATH")
	}
	pkg, err := os.ReadFile(filepath.Join(c.Dir, "node_modules", filepath.FromSlash(c.Package), "package.json"))
	if err != nil {
		missing(c.Package + " is not installed in " + c.Dir)
	}
	var meta struct{ Version string }
	if err := json.Unmarshal(pkg, &meta); err != nil || meta.Version != c.Version {
		tb.Fatalf("installed %s is %q, package.json pins %s: run %s again", c.Package, meta.Version, c.Version, c.Install)
	}
	return node
}
