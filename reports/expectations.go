package reports

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/mostao/conformance/spec"
)

// ReadExpectations reads an expectations file: one "<requirement ID>
// <reason>" per line, lines starting with # are comments, blank lines are
// ignored. A reason is mandatory (a known failure nobody can explain is not
// known), and a malformed or repeated ID is an error naming its line.
func ReadExpectations(r io.Reader) (map[string]string, error) {
	out := map[string]string{}
	firstSeen := map[string]int{}
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("expectations line %d: %w", n, err)
		}
		if err == io.EOF && line == "" {
			break
		}
		text := strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
		if text != "" && !strings.HasPrefix(text, "#") {
			id, reason := text, ""
			if i := strings.IndexAny(text, " \t"); i >= 0 {
				id, reason = text[:i], strings.TrimSpace(text[i+1:])
			}
			if !spec.IDPattern.MatchString(id) {
				return nil, fmt.Errorf("expectations line %d: %q is not a requirement ID (want the shape MIP01-REG-3, then a reason)", n, id)
			}
			if reason == "" {
				return nil, fmt.Errorf("expectations line %d: %s has no reason: write why it is expected to fail after the ID", n, id)
			}
			if first, dup := firstSeen[id]; dup {
				return nil, fmt.Errorf("expectations line %d: %s is already listed on line %d", n, id, first)
			}
			firstSeen[id] = n
			out[id] = reason
		}
		if err == io.EOF {
			break
		}
	}
	return out, nil
}
