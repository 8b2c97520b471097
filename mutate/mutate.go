// Package mutate makes the mutants of a Lua process: copies of its source
// with one small defect planted each (a negated condition, a swapped
// comparison, a deleted statement, a constant off by one, ...), to measure
// which defects the conformance suite catches (issue 14 §1).
//
// Each mutation is a text edit on the source, found on the syntax tree (for
// statements) and the token stream (for operators and constants): the mutant
// keeps every other byte of the original, prints as a unified diff and runs
// on any Lua engine.
package mutate

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/mostao/conformance/adapters/lua"
)

// Mutant is one mutation of a source.
type Mutant struct {
	// ID names the mutant stably while the source does not change:
	// "<name>:<line>:<operator>", with "#2", "#3", ... for a second and third
	// mutant of the same operator on the same line.
	ID string
	// Op is the mutation operator, e.g. "negate" or "delete-call".
	Op string
	// Line is the first line of the source the mutation changes.
	Line int
	// Description says what the mutation does, e.g. "`==` -> `~=`".
	Description string
	// Original is the source mutated; Source is the mutant.
	Original, Source string
}

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// candidate is a mutation found, before it gets its ID.
type candidate struct {
	op    string
	line  int
	desc  string
	edits []edit
}

// opRank orders the operators that apply at the same place.
var opRank = map[string]int{}

// Operators lists the mutation operators, in the order they are tried at
// one place.
var Operators = []string{
	"delete-guard", "delete-call", "delete-assign", "delete-return", "negate",
	"eq-ne", "ne-eq", "lt-le", "le-lt", "gt-ge", "ge-gt", "and-or", "or-and",
	"num+1", "num-1", "from-owner", "owner-from",
}

func init() {
	for i, op := range Operators {
		opRank[op] = i
	}
}

// Mutants returns every mutant of src, in the order of where they change
// the source (then of Operators). name prefixes the IDs, e.g. "domain".
func Mutants(name, src string) ([]Mutant, error) {
	chunk, err := lua.Parse(src, name)
	if err != nil {
		return nil, fmt.Errorf("mutate: parsing %s: %w", name, err)
	}
	toks, err := tokenize(src)
	if err != nil {
		return nil, fmt.Errorf("mutate: reading the tokens of %s: %w", name, err)
	}
	var cands []candidate
	cands = append(cands, tokenMutations(toks)...)
	cands = append(cands, conditionMutations(toks)...)
	s := &stmtFinder{src: src, toks: toks}
	s.block(chunk)
	cands = append(cands, s.found...)

	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.edits[0].start != b.edits[0].start {
			return a.edits[0].start < b.edits[0].start
		}
		return opRank[a.op] < opRank[b.op]
	})
	seen := map[string]int{}
	out := make([]Mutant, 0, len(cands))
	for _, c := range cands {
		id := fmt.Sprintf("%s:%d:%s", name, c.line, c.op)
		seen[id]++
		if n := seen[id]; n > 1 {
			id += "#" + strconv.Itoa(n)
		}
		out = append(out, Mutant{ID: id, Op: c.op, Line: c.line, Description: c.desc, Original: src, Source: apply(src, c.edits)})
	}
	return out, nil
}

// apply makes the edits, which are in order and do not overlap.
func apply(src string, edits []edit) string {
	var b strings.Builder
	at := 0
	for _, e := range edits {
		b.WriteString(src[at:e.start])
		b.WriteString(e.text)
		at = e.end
	}
	b.WriteString(src[at:])
	return b.String()
}

// swaps are the one-token operator mutations.
var swaps = map[string]struct{ op, to string }{
	"==":  {"eq-ne", "~="},
	"~=":  {"ne-eq", "=="},
	"<":   {"lt-le", "<="},
	"<=":  {"le-lt", "<"},
	">":   {"gt-ge", ">="},
	">=":  {"ge-gt", ">"},
	"and": {"and-or", "or"},
	"or":  {"or-and", "and"},
}

// tokenMutations are the mutations of single tokens: comparisons, `and` and
// `or`, integer constants, and who sent a message (`msg.From`, the signer of
// this message, for `msg.Owner`, the process's owner, and back).
func tokenMutations(toks []token) []candidate {
	var out []candidate
	one := func(op string, t token, to string) {
		out = append(out, candidate{op: op, line: t.line, desc: fmt.Sprintf("`%s` -> `%s`", t.text, to),
			edits: []edit{{t.start, t.end, to}}})
	}
	for i, t := range toks {
		switch t.kind {
		case tkOp, tkKeyword:
			if s, ok := swaps[t.text]; ok {
				one(s.op, t, s.to)
			}
		case tkNumber:
			n, err := strconv.ParseInt(t.text, 10, 32)
			if err != nil {
				continue // only decimal integers: limits, counts, tag values
			}
			one("num+1", t, strconv.FormatInt(n+1, 10))
			if n > 0 {
				one("num-1", t, strconv.FormatInt(n-1, 10))
			}
		case tkName:
			if i >= 2 && toks[i-1].text == "." && toks[i-2].text == "msg" {
				switch t.text {
				case "From":
					one("from-owner", t, "Owner")
				case "Owner":
					one("owner-from", t, "From")
				}
			}
		}
	}
	return out
}

// conditionMutations negate the condition of each if, elseif and while:
// `if c then` becomes `if not (c) then`.
func conditionMutations(toks []token) []candidate {
	var out []candidate
	for i, t := range toks {
		if t.kind != tkKeyword || t.text != "if" && t.text != "elseif" && t.text != "while" {
			continue
		}
		closer := "then"
		if t.text == "while" {
			closer = "do"
		}
		j, ok := matchingAtDepth0(toks, i+1, closer)
		if !ok || j == i+1 {
			continue
		}
		first, last := toks[i+1], toks[j-1]
		out = append(out, candidate{op: "negate", line: first.line,
			desc:  fmt.Sprintf("negate the condition of `%s`", t.text),
			edits: []edit{{first.start, first.start, "not ("}, {last.end, last.end, ")"}}})
	}
	return out
}

// matchingAtDepth0 finds, from toks[from], the keyword word outside any
// bracket or nested function.
func matchingAtDepth0(toks []token, from int, word string) (int, bool) {
	depth := 0
	for j := from; j < len(toks); j++ {
		t := toks[j]
		switch {
		case depth == 0 && t.kind == tkKeyword && t.text == word:
			return j, true
		case t.text == "(" || t.text == "[" || t.text == "{" || t.kind == tkKeyword && t.text == "function":
			depth++
		case t.text == ")" || t.text == "]" || t.text == "}" || t.kind == tkKeyword && t.text == "end":
			depth--
			if depth < 0 {
				return 0, false
			}
		}
	}
	return 0, false
}
