package enginediff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mostao/conformance/reports"
)

// WriteJSON writes the report as one indented JSON document.
func WriteJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Print writes the report's terminal section. Every text an implementation
// chose (tag values, data, scenario names quoting them) is escaped: values
// are Go-quoted, names pass reports.Printable.
func Print(w io.Writer, r Report) {
	p := reports.Printable
	fmt.Fprintln(w, "engines compared (the same scenarios, properties and seed on each):")
	for _, e := range r.Engines {
		result := "PASS"
		if !e.Certified {
			result = "FAIL"
		}
		fmt.Fprintf(w, "  %s: %s, MUST %d/%d, %s\n", p(e.Name), result, e.MustPassed, e.MustTotal, p(e.Engine))
	}
	fmt.Fprintf(w, "nearer to AO: %s (%s); where the engines differ, its verdict and replies are the reference\n", p(r.Nearer), p(r.NearerWhy))
	fmt.Fprintf(w, "scenarios compared: %d\n", r.ScenariosCompared)

	if len(r.Verdicts) == 0 {
		fmt.Fprintln(w, "verdicts that differ: none")
	} else {
		fmt.Fprintf(w, "verdicts that differ: %d\n", len(r.Verdicts))
		for _, v := range r.Verdicts {
			var each []string
			for i, e := range r.Engines {
				verdict := v.Verdicts[i]
				if verdict == "" {
					verdict = "not judged"
				}
				each = append(each, p(e.Name)+" "+p(verdict))
			}
			role := ""
			if v.Role != "" {
				role = " as the " + p(v.Role)
			}
			fmt.Fprintf(w, "  %s%s (%s): %s  %s\n", p(v.ID), role, p(v.Level), strings.Join(each, ", "), p(v.Title))
		}
	}

	if len(r.Replies) == 0 {
		fmt.Fprintln(w, "replies that differ: none")
	} else {
		fmt.Fprintf(w, "replies that differ: %d scenario(s), the first difference of each\n", len(r.Replies))
		for _, g := range groupReplies(r.Replies) {
			d := g[0]
			req := d.Kind
			if d.Action != "" {
				req += " " + d.Action
			}
			var each []string
			for i, e := range r.Engines {
				each = append(each, fmt.Sprintf("%s %q", p(e.Name), d.Values[i]))
			}
			fmt.Fprintf(w, "  %s differs on %s: %s\n", p(d.What), p(req), strings.Join(each, ", "))
			for i, d := range g {
				if i == maxListed {
					fmt.Fprintf(w, "    and %d more scenario(s): every one is in the engines report\n", len(g)-maxListed)
					break
				}
				fmt.Fprintf(w, "    %s: %s\n", p(d.URI), p(d.Scenario))
				if d.Step != "" {
					fmt.Fprintf(w, "      request %d, step: %s\n", d.Request, p(d.Step))
				}
			}
		}
	}
	if len(r.Unpaired) > 0 {
		fmt.Fprintf(w, "scenarios that did not run on every engine: %d\n", len(r.Unpaired))
		for _, s := range r.Unpaired {
			fmt.Fprintf(w, "  %s\n", p(s))
		}
	}
	switch {
	case r.Differs():
		fmt.Fprintln(w, "engines: DIFFER")
	default:
		fmt.Fprintln(w, "engines: SAME")
	}
}

// maxListed is how many scenarios of one kind of difference the terminal
// lists; the JSON report has them all.
const maxListed = 3

// groupReplies gathers the scenarios whose first difference is the same
// (the same request kind and Action, the same point, the same values), in
// the order each first appears: one defect often shows in every scenario
// that makes such a request.
func groupReplies(ds []ReplyDiff) [][]ReplyDiff {
	var keys []string
	groups := map[string][]ReplyDiff{}
	for _, d := range ds {
		k := strings.Join(append([]string{d.Kind, d.Action, d.What}, d.Values...), "\x00")
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], d)
	}
	out := make([][]ReplyDiff, 0, len(keys))
	for _, k := range keys {
		out = append(out, groups[k])
	}
	return out
}
