package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/reports"
)

// labeler gives the ids of one failure readable names: the wallet names
// its steps used ("alice"), "domain#1(ab12cd34)" for a spawned process, and
// the first 8 characters of any other id.
type labeler struct {
	// roles maps module ids to the role they fill.
	roles map[string]string
	names map[string]string // id -> label
	// inData maps ids to the placeholder that replaces them inside Data
	// and tag values ("<alice>", "<domain#1>").
	inData map[string]string
	count  map[string]int
}

// newLabeler names the wallets among candidates: it asks a fresh world of
// the target for their addresses, which the World interface makes the same
// in every world.
func newLabeler(target adapters.Target, candidates []string) *labeler {
	l := &labeler{roles: map[string]string{}, names: map[string]string{}, inData: map[string]string{}, count: map[string]int{}}
	for role, id := range target.Modules {
		l.roles[id] = role
	}
	if target.NewWorld == nil || len(candidates) == 0 {
		return l
	}
	w, err := target.NewWorld()
	if err != nil {
		return l // the names are a courtesy; without them ids stay short ids
	}
	defer w.Close()
	for _, name := range append([]string{"deployer"}, candidates...) {
		if a, err := w.Wallet(name); err == nil {
			if _, taken := l.names[a]; !taken {
				l.names[a] = name
				l.inData[a] = "<" + name + ">"
			}
		}
	}
	return l
}

var quoted = regexp.MustCompile(`"([^"]{1,40})"`)

// quotedNames returns the quoted words of a step text: the candidates for
// wallet names (wallet "alice" sends ...).
func quotedNames(text string) []string {
	var out []string
	for _, m := range quoted.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return out
}

func (l *labeler) name(id string) string {
	if n, ok := l.names[id]; ok {
		return reports.Printable(n)
	}
	if id == "" {
		return "(none)"
	}
	return short(id)
}

// process names a spawned process by its role and spawn order.
func (l *labeler) process(id, role string) {
	if id == "" {
		return
	}
	if _, ok := l.names[id]; ok {
		return
	}
	if role == "" {
		role = "process"
	}
	l.count[role]++
	label := fmt.Sprintf("%s#%d", role, l.count[role])
	l.names[id] = fmt.Sprintf("%s(%s)", label, short(id))
	l.inData[id] = "<" + label + ">"
}

// replaceIDs writes the known ids inside s as their placeholders.
func (l *labeler) replaceIDs(s string) string {
	if len(l.inData) == 0 || len(s) < 43 {
		return s
	}
	ids := make([]string, 0, len(l.inData))
	for id := range l.inData {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		s = strings.ReplaceAll(s, id, l.inData[id])
	}
	return s
}
