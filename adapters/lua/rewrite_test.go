package lua

import "testing"

func TestMultipleAssignmentEvaluatesRightSideFirst(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	cases := map[string]string{
		`local a, b = 1, 2; a, b = b, a; return a .. " " .. b`: "2 1",
		`local function f(a, b, c) if c == nil then a, b, c = nil, a, b end return tostring(a) .. " " .. tostring(b) .. " " .. tostring(c) end return f(1, 2)`: "nil 1 2",
		`local a, b = 0, 0; a, b = a + 1, a + b; return a .. " " .. b`:                                                                                         "1 0",
		`local t = {1, 2}; t[1], t[2] = t[2], t[1]; return t[1] .. " " .. t[2]`:                                                                                "2 1",
		`local function g() return 7, 8, 9 end local x, y, z = 0, 0, 0; x, y, z = 1, g(); return x .. y .. z`:                                                  "178",
	}
	for code, want := range cases {
		if got := eval(t, w, alice, pid, code); got != want {
			t.Errorf("%s\n got %q, want %q", code, got, want)
		}
	}
}
