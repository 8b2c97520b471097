package reports

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// The values of the "type" field of a JSON Lines report.
const (
	LineHeader      = "header"
	LineRequirement = "requirement"
	LineSummary     = "summary"
)

// Schema is the JSON Schema (draft 2020-12) of one line of a JSON Lines
// report; docs/reports.md describes the format in words.
//
//go:embed schema/report.schema.json
var Schema []byte

// maxLine bounds one JSON line when reading: a requirement with large
// exchanges can be long, but a line past this is not a report.
const maxLine = 64 << 20

type headerLine struct {
	Type string `json:"type"`
	Header
}

type requirementLine struct {
	Type string `json:"type"`
	Requirement
}

type summaryLine struct {
	Type string `json:"type"`
	Summary
}

// WriteJSONL writes the canonical report: one line for the header, one per
// requirement in run order, one for the summary, each an object with a
// "type" field. An empty Header.Format is written as FormatVersion. The run
// is bounded first (Bound with DefaultLimits).
func WriteJSONL(w io.Writer, run Run) error {
	run = Bound(run, DefaultLimits)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	// Data and errors often hold JSON and markup; escaping <, > and & would
	// only make them harder to read.
	enc.SetEscapeHTML(false)
	h := run.Header
	if h.Format == "" {
		h.Format = FormatVersion
	}
	if err := enc.Encode(headerLine{Type: LineHeader, Header: nonNilHeader(h)}); err != nil {
		return fmt.Errorf("jsonl header: %w", err)
	}
	for _, r := range run.Requirements {
		if err := enc.Encode(requirementLine{Type: LineRequirement, Requirement: nonNilRequirement(r)}); err != nil {
			return fmt.Errorf("jsonl requirement %s: %w", r.ID, err)
		}
	}
	if err := enc.Encode(summaryLine{Type: LineSummary, Summary: nonNilSummary(run.Summary)}); err != nil {
		return fmt.Errorf("jsonl summary: %w", err)
	}
	return bw.Flush()
}

// nonNil* write empty lists as [] rather than null, so every reader (and
// the schema) sees one shape.
func nonNilHeader(h Header) Header {
	if h.MIPs == nil {
		h.MIPs = []string{}
	}
	return h
}

func nonNilRequirement(r Requirement) Requirement {
	if r.Checks == nil {
		r.Checks = []Check{}
	}
	checks := make([]Check, len(r.Checks))
	for i, c := range r.Checks {
		if c.Requirements == nil {
			c.Requirements = []string{}
		}
		checks[i] = c
	}
	r.Checks = checks
	return r
}

func nonNilSummary(s Summary) Summary {
	if s.Certified == nil {
		s.Certified = []string{}
	}
	return s
}

// ReadJSONL reads a report written by WriteJSONL. It accepts only
// FormatVersion, requires the header first and the summary last, and names
// the line of any problem. Fields it does not know are ignored: adding an
// optional field does not change the format version.
func ReadJSONL(r io.Reader) (Run, error) {
	var run Run
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	line := 0
	sawHeader, sawSummary := false, false
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		if sawSummary {
			return Run{}, fmt.Errorf("report line %d: content after the summary line", line)
		}
		var probe struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(raw, &probe); err != nil {
			return Run{}, fmt.Errorf("report line %d: not a JSON object: %w", line, err)
		}
		if !sawHeader && probe.Type != LineHeader {
			return Run{}, fmt.Errorf("report line %d: want the header line first, got type %q", line, probe.Type)
		}
		switch probe.Type {
		case LineHeader:
			if sawHeader {
				return Run{}, fmt.Errorf("report line %d: a second header line", line)
			}
			var h headerLine
			if err := json.Unmarshal(raw, &h); err != nil {
				return Run{}, fmt.Errorf("report line %d: header: %w", line, err)
			}
			if h.Format != FormatVersion {
				return Run{}, fmt.Errorf("report line %d: format %q is not %q, the only format this version reads", line, h.Format, FormatVersion)
			}
			run.Header = h.Header
			sawHeader = true
		case LineRequirement:
			var q requirementLine
			if err := json.Unmarshal(raw, &q); err != nil {
				return Run{}, fmt.Errorf("report line %d: requirement: %w", line, err)
			}
			if q.ID == "" {
				return Run{}, fmt.Errorf("report line %d: requirement without an id", line)
			}
			run.Requirements = append(run.Requirements, q.Requirement)
		case LineSummary:
			var s summaryLine
			if err := json.Unmarshal(raw, &s); err != nil {
				return Run{}, fmt.Errorf("report line %d: summary: %w", line, err)
			}
			run.Summary = s.Summary
			sawSummary = true
		default:
			return Run{}, fmt.Errorf("report line %d: unknown line type %q (want header, requirement or summary)", line, probe.Type)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return Run{}, fmt.Errorf("report line %d: longer than %d bytes", line+1, maxLine)
		}
		return Run{}, fmt.Errorf("report: %w", err)
	}
	if !sawHeader {
		return Run{}, errors.New("report: empty, no header line")
	}
	if !sawSummary {
		return Run{}, fmt.Errorf("report: no summary line after line %d (the file is cut short?)", line)
	}
	return run, nil
}
