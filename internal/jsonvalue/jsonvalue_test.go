package jsonvalue

import "testing"

func TestDecodeRefusesTrailingData(t *testing.T) {
	for _, s := range []string{`{"a":1} junk`, `{"a":1}{}`, `{"a":1} 2`, `[1]]`, ``} {
		if v, err := Decode(s); err == nil {
			t.Errorf("Decode(%q) = %v, want an error", s, v)
		}
	}
	for _, s := range []string{`{"a":1}`, " {\"a\":1} \n", `[]`, `1.5`} {
		if _, err := Decode(s); err != nil {
			t.Errorf("Decode(%q): %v", s, err)
		}
	}
	if _, err := DecodeObject(`[1]`); err == nil {
		t.Error("DecodeObject accepts an array")
	}
	if _, err := DecodeObject(`null`); err == nil {
		t.Error("DecodeObject accepts null")
	}
}

func TestEqualKeepsIntegersIntegers(t *testing.T) {
	for _, c := range []struct {
		got, want string
		equal     bool
	}{
		{`{"id":1}`, `{"id":1}`, true},
		{`{"id":1.0}`, `{"id":1}`, false},
		{`{"id":1e0}`, `{"id":1}`, false},
		{`{"at":1700000000000}`, `{"at":1700000000000}`, true},
		{`{"at":1.7e12}`, `{"at":1700000000000}`, false},
		{`{"x":1.5}`, `{"x":1.50}`, true},
		{`{"x":2}`, `{"x":2.0}`, true},
		{`{"b":2,"a":[1,"s",null,true]}`, `{"a":[1,"s",null,true],"b":2}`, true},
		{`{"a":[1,2]}`, `{"a":[2,1]}`, false},
		{`{"a":1,"b":2}`, `{"a":1}`, false},
		{`{"a":"1"}`, `{"a":1}`, false},
		{`{"n":-0}`, `{"n":0}`, true},
		{`{"n":12345678901234567890}`, `{"n":12345678901234567891}`, false},
	} {
		g, err1 := Decode(c.got)
		w, err2 := Decode(c.want)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if Equal(g, w) != c.equal {
			t.Errorf("Equal(%s, %s) = %v, want %v", c.got, c.want, !c.equal, c.equal)
		}
	}
}
