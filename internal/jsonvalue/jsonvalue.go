// Package jsonvalue decodes and compares the JSON of replies the way the
// spec reads them: one value and nothing after it, and a whole quantity
// written as a JSON integer (MIP00-NUM-1), so that 1 and 1.0 differ where
// an integer is expected.
package jsonvalue

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
)

// Decode decodes s as exactly one JSON value, numbers kept as json.Number
// with their text. Anything after the value but white space is an error:
// `{"a":1} junk` is not JSON.
func Decode(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("data after the JSON value at offset %d", dec.InputOffset())
	}
	return v, nil
}

// DecodeObject decodes s as exactly one JSON object.
func DecodeObject(s string) (map[string]any, error) {
	v, err := Decode(s)
	if err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok || obj == nil {
		return nil, errors.New("not a JSON object")
	}
	return obj, nil
}

// Normalize re-decodes a Go value (as encoding/json marshals it) into the
// form Decode gives, so that a model's Go values compare with a reply.
func Normalize(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return Decode(string(b))
}

// IsInteger reports whether a JSON number is written as an integer: digits
// with an optional minus sign, no fraction and no exponent.
func IsInteger(n json.Number) bool {
	s := strings.TrimPrefix(n.String(), "-")
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Equal reports whether got holds the same JSON value as want (both as
// Decode gives them; object keys in any order). A number that want writes
// as an integer must be written as the same integer in got; other numbers
// compare by value.
func Equal(got, want any) bool { return equal(got, want, true) }

// EqualByValue is Equal with every number compared by value: 5.0 equals 5.
// Where Equal fails and EqualByValue holds, the only difference is a whole
// number written with a fraction or an exponent (MIP00-NUM-1).
func EqualByValue(got, want any) bool { return equal(got, want, false) }

func equal(got, want any, integerForm bool) bool {
	switch w := want.(type) {
	case json.Number:
		g, ok := got.(json.Number)
		return ok && numberEqual(g, w, integerForm)
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok || !equal(gv, wv, integerForm) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !equal(g[i], w[i], integerForm) {
				return false
			}
		}
		return true
	default:
		return got == want // strings, booleans and null
	}
}

func numberEqual(got, want json.Number, integerForm bool) bool {
	if integerForm && IsInteger(want) {
		if !IsInteger(got) {
			return false
		}
		g, ok1 := new(big.Int).SetString(got.String(), 10)
		w, ok2 := new(big.Int).SetString(want.String(), 10)
		return ok1 && ok2 && g.Cmp(w) == 0
	}
	g, ok1 := new(big.Float).SetString(got.String())
	w, ok2 := new(big.Float).SetString(want.String())
	return ok1 && ok2 && g.Cmp(w) == 0
}

// Compact writes v back as compact JSON, numbers as they were written.
func Compact(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
