package reports

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The file names WriteAll gives each format.
const (
	FileJSONL    = "report.jsonl"
	FileJUnit    = "junit.xml"
	FileCucumber = "cucumber.json"
	FileMarkdown = "report.md"
	FileHTML     = "report.html"
	DirBadges    = "badges"
)

// Writers maps each file name of WriteAll to the writer of its format.
var Writers = map[string]func(io.Writer, Run) error{
	FileJSONL:    WriteJSONL,
	FileJUnit:    WriteJUnit,
	FileCucumber: WriteCucumber,
	FileMarkdown: WriteMarkdown,
	FileHTML:     WriteHTML,
}

// WriteAll writes every format of the run into dir (created if missing)
// under its default name, and the badges under dir/badges. It stops at the
// first error and names the file.
func WriteAll(dir string, run Run) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	for _, name := range []string{FileJSONL, FileJUnit, FileCucumber, FileMarkdown, FileHTML} {
		if err := writeFile(filepath.Join(dir, name), run, Writers[name]); err != nil {
			return err
		}
	}
	return WriteBadges(filepath.Join(dir, DirBadges), run)
}

// writeFile writes one format to a file, reporting a failed close too: a
// full disk shows up there.
func writeFile(name string, run Run, write func(io.Writer, Run) error) error {
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	bw := bufio.NewWriter(f)
	err = write(bw, run)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("reports: writing %s: %w", name, err)
	}
	return nil
}
