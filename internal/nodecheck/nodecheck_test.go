package nodecheck

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB that records how Node ended: Skipf and Fatalf
// stop its goroutine, as they stop a test.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper() {}
func (r *recorder) Skipf(f string, a ...any) {
	r.skipped = fmt.Sprintf(f, a...)
	runtime.Goexit()
}
func (r *recorder) Fatalf(f string, a ...any) {
	r.failed = fmt.Sprintf(f, a...)
	runtime.Goexit()
}

func run(c Check) (node string, r *recorder) {
	r = &recorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		node = Node(r, c)
	}()
	<-done
	return node, r
}

// TestNodeSkipsFailsOrFindsThePinnedPackage: a package not installed skips
// the test, naming how to install it, unless the check is required, when
// it fails; an installed package of another version fails; the pinned one
// gives node's path.
func TestNodeSkipsFailsOrFindsThePinnedPackage(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not on PATH: the cases past it cannot be reached")
	}
	dir := t.TempDir()
	c := Check{What: "the check", Dir: dir, Install: "npm ci --prefix x", Package: "@scope/pkg", Version: "1.2.3", Require: "MOSTAO_NODECHECK_TEST_REQUIRE"}

	t.Setenv(c.Require, "")
	if _, r := run(c); !strings.Contains(r.skipped, "@scope/pkg is not installed") || !strings.Contains(r.skipped, c.Install) || r.failed != "" {
		t.Errorf("not installed, not required: skipped %q failed %q", r.skipped, r.failed)
	}
	t.Setenv(c.Require, "1")
	if _, r := run(c); !strings.Contains(r.failed, "is required (MOSTAO_NODECHECK_TEST_REQUIRE=1)") || r.skipped != "" {
		t.Errorf("not installed, required: skipped %q failed %q", r.skipped, r.failed)
	}

	pkgDir := filepath.Join(dir, "node_modules", "@scope", "pkg")
	if err := os.MkdirAll(pkgDir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(version string) {
		if err := os.WriteFile(filepath.Join(pkgDir, "package.json"), []byte(`{"version":"`+version+`"}`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("1.2.4")
	if _, r := run(c); !strings.Contains(r.failed, `is "1.2.4", package.json pins 1.2.3`) {
		t.Errorf("another version: skipped %q failed %q", r.skipped, r.failed)
	}
	write("1.2.3")
	if node, r := run(c); node == "" || r.failed != "" || r.skipped != "" {
		t.Errorf("the pinned version: node %q, skipped %q failed %q", node, r.skipped, r.failed)
	}
}
