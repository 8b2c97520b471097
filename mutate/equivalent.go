package mutate

import (
	_ "embed"
	"fmt"
	"strings"
)

// equivalentList is the reviewed list of the reference processes' mutants
// that no implementation could tell apart from the reference: each line is
// "<mutant ID> <reason>"; # starts a comment.
//
//go:embed equivalent.txt
var equivalentList string

// Equivalents returns the reviewed equivalent mutants of the reference
// processes, ID to reason.
func Equivalents() (map[string]string, error) {
	return ParseEquivalents(equivalentList)
}

// ParseEquivalents reads a list of equivalent mutants: "<mutant ID>
// <reason>" a line, blank lines and # comments skipped. Every entry needs a
// reason, and an ID is listed once.
func ParseEquivalents(text string) (map[string]string, error) {
	out := map[string]string{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return nil, fmt.Errorf("equivalent mutants, line %d: %s has no reason", n+1, id)
		}
		if _, dup := out[id]; dup {
			return nil, fmt.Errorf("equivalent mutants, line %d: %s is listed twice", n+1, id)
		}
		out[id] = reason
	}
	return out, nil
}
