package reports_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/reports/internal/sample"
)

// TestWriteAll: one call writes every format under its default name, each
// file the same as its writer gives, and writing twice gives the same bytes
// (reports are deterministic, so CI can diff them).
func TestWriteAll(t *testing.T) {
	run := sample.Failing()
	dir := t.TempDir()
	if err := reports.WriteAll(dir, run); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"report.jsonl", "junit.xml", "cucumber.json", "report.md", "report.html", "badges/mip-01.json", "badges/mip-02.json"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || st.Size() == 0 {
			t.Errorf("%s: missing or empty (%v)", name, err)
		}
	}
	for name, write := range reports.Writers {
		var buf bytes.Buffer
		if err := write(&buf, run); err != nil {
			t.Fatal(err)
		}
		onDisk, _ := os.ReadFile(filepath.Join(dir, name))
		if !bytes.Equal(onDisk, buf.Bytes()) {
			t.Errorf("%s on disk differs from its writer's output", name)
		}
	}
	again := t.TempDir()
	if err := reports.WriteAll(again, run); err != nil {
		t.Fatal(err)
	}
	for name := range reports.Writers {
		a, _ := os.ReadFile(filepath.Join(dir, name))
		b, _ := os.ReadFile(filepath.Join(again, name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two writes of the same run", name)
		}
	}
	back, err := os.Open(filepath.Join(dir, "report.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if _, err := reports.ReadJSONL(back); err != nil {
		t.Errorf("report.jsonl from WriteAll does not read back: %v", err)
	}
}

func TestWriteAllNamesTheFileItCannotWrite(t *testing.T) {
	dir := t.TempDir()
	// A directory where report.md should go makes that file unwritable.
	if err := os.Mkdir(filepath.Join(dir, "report.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := reports.WriteAll(dir, sample.Passing())
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("report.md")) {
		t.Errorf("got %v, want an error naming report.md", err)
	}
}
