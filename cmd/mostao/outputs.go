package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/mostao/conformance/reports"
)

// format is one report format the certify command can write to a file.
type format struct {
	flag  string // the flag naming its file
	usage string
	write func(io.Writer, reports.Run) error
}

// formats are the file formats, in the order they are written.
var formats = []format{
	{"jsonl", "write the JSON Lines report (the canonical format, read by \"mostao diff\") to `file`", reports.WriteJSONL},
	{"junit", "write JUnit XML to `file`", reports.WriteJUnit},
	{"cucumber", "write Cucumber JSON to `file`", reports.WriteCucumber},
	{"markdown", "write a Markdown summary to `file`", reports.WriteMarkdown},
	{"html", "write a self-contained HTML report to `file`", reports.WriteHTML},
}

// outputs are the report flags of "mostao certify".
type outputs struct {
	dir    string
	files  map[string]*string
	badges string
}

func (o *outputs) register(fs *flag.FlagSet) {
	fs.StringVar(&o.dir, "report", "", fmt.Sprintf("write every report format into `dir` with default names (%s, %s, %s, %s, %s, %s/)",
		reports.FileJSONL, reports.FileJUnit, reports.FileCucumber, reports.FileMarkdown, reports.FileHTML, reports.DirBadges))
	o.files = map[string]*string{}
	for _, f := range formats {
		o.files[f.flag] = fs.String(f.flag, "", f.usage)
	}
	fs.StringVar(&o.badges, "badges", "", "write one shields.io endpoint badge per MIP into `dir`")
}

// write writes every report asked for.
func (o *outputs) write(run reports.Run) error {
	if o.dir != "" {
		if err := reports.WriteAll(o.dir, run); err != nil {
			return err
		}
	}
	for _, f := range formats {
		if p := *o.files[f.flag]; p != "" {
			if err := writeFile(p, f.write, run); err != nil {
				return fmt.Errorf("--%s %s: %w", f.flag, p, err)
			}
		}
	}
	if o.badges != "" {
		if err := reports.WriteBadges(o.badges, run); err != nil {
			return fmt.Errorf("--badges %s: %w", o.badges, err)
		}
	}
	return nil
}

// writeFile writes one format to a file, creating its directory; a failed
// close (a full disk) is an error too.
func writeFile[T any](path string, write func(io.Writer, T) error, run T) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(out)
	err = write(bw, run)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// readExpectations reads the known-failures file.
func readExpectations(path string) (map[string]string, error) {
	f, err := openInput(path, maxExpectBytes)
	if err != nil {
		return nil, fmt.Errorf("--expect: %w", err)
	}
	defer f.Close()
	exp, err := reports.ReadExpectations(f)
	if err != nil {
		return nil, fmt.Errorf("--expect %s: %w", path, err)
	}
	return exp, nil
}
