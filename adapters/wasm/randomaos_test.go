package wasm

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
)

// mathRandomProbe runs each call of mathRandomCalls in a fresh process,
// in order, and writes one line per call: the math.type and value of what
// it returned, or the error it raised.
const mathRandomProbe = `
local out = {}
local function show(name, f)
  local ok, v = pcall(f)
  if ok then
    out[#out + 1] = name .. " = " .. tostring(math.type(v) or type(v)) .. " " .. (math.type(v) == "float" and string.format("%.17g", v) or tostring(v))
  else
    out[#out + 1] = name .. " = error " .. tostring(v)
  end
end
`

// mathRandomCalls are calls of math.random in a fresh process, in the
// order they draw, with what real aos 2.0.4 and 2.0.6 give for them (the
// same on both): aos's math.random over .chance, seeded on the first
// message. A bound that is not an integer is not an error (chance.integer
// floors), one below the lower bound is chance's error, a third argument
// is ignored, arguments are counted as #{...} counts them (a trailing nil
// is not one), and math.randomseed changes nothing.
var mathRandomCalls = []struct{ call, want string }{
	{"type(Seeded) .. ' ' .. tostring(Seeded)", "string boolean true"},
	{"math.random()", "float 0.92009320133365691"},
	{"math.random(10)", "integer 4"},
	{"math.random(1, 1000000)", "integer 139966"},
	{"math.random(-5, 5)", "integer -2"},
	{"math.random(0)", `error [string ".chance"]:201: max must bigger than min`},
	{"math.random(2, 1)", `error [string ".chance"]:201: max must bigger than min`},
	{"math.random(1.5)", "integer 1"},
	{"math.random(0.5)", `error [string ".chance"]:201: max must bigger than min`},
	{"math.random(3.7, 5.2)", "integer 4"},
	{"math.random(1, 2, 3)", "float 0.80363419069908559"},
	{"math.random(nil)", "float 0.43558014114387333"},
	{"math.random(1, 2, nil)", "integer 2"},
	{"math.random(nil, 5)", `error [string ".chance"]:201: attempt to compare nil with number`},
	{"math.random('5')", `error [string ".chance"]:201: attempt to compare number with string`},
	{"math.random(1, '5')", `error [string ".chance"]:201: attempt to compare number with string`},
	{"math.random({})", `error [string ".chance"]:201: attempt to compare number with table`},
	{"math.randomseed(42)", "nil nil"},
	{"math.random(100)", "integer 20"},
	{"math.random(2^53)", "integer 5254881602437121"},
	{"math.random(math.maxinteger)", "integer 5054513289279569920"},
	{"math.random()", "float 0.53004745487123728"},
	// Lua 5.3's integers: max - min + 1 wraps, to -2^63 here and to 0 below.
	{"math.random(math.mininteger, -1)", "float -1.1008535649673282e+19"},
	{"math.random(10)", "integer 4"},
	// Two strings compare as strings; chance then draws, and its
	// arithmetic reads them as numbers or fails.
	{"math.random('a', 'b')", `error [string ".chance"]:203: attempt to perform arithmetic on a string value (local 'max')`},
	{"math.random(10)", "integer 4"},
	{"math.random('1', '5')", "integer 2"},
	{"math.random('10', '9')", "integer 10"},
	{"math.random('b', 'a')", `error [string ".chance"]:201: max must bigger than min`},
	{"math.random('1', 'x')", `error [string ".chance"]:203: attempt to perform arithmetic on a string value (local 'max')`},
	{"math.random(10)", "integer 2"},
	{"math.random(math.mininteger, math.maxinteger)", "integer -9223372036854775808"},
	{"math.random(math.maxinteger - 1, math.maxinteger)", "float 9.2233720368547758e+18"},
}

// math.random is aos's on every engine and profile: each call of
// mathRandomCalls gives what real aos gives, number for number and error
// for error (and the real modules, when given, are checked against the
// table).
func TestMathRandomIsAosChanceOnEveryEngine(t *testing.T) {
	want := make([]string, len(mathRandomCalls))
	for i, c := range mathRandomCalls {
		want[i] = c.call + " = " + c.want
	}
	onEveryAosEngine(t, "", func(t *testing.T, w adapters.World) {
		alice, _ := w.Wallet("alice")
		pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
		require.NoError(t, err)
		require.Equal(t, mathRandomPID, pid, "the table's numbers are this process's: its id seeds .chance")
		require.Equal(t, want, strings.Split(evalOn(t, w, alice, pid, mathRandomCode()), "\n"))
	})
}

// mathRandomPID is the process the table was measured on: alice's first
// spawn of testModuleID.
const mathRandomPID = "-xypQj9rXjEun80kVqNN2NNl66f4UxobZmnqcaeMHDc"

func mathRandomCode() string {
	var b strings.Builder
	b.WriteString(mathRandomProbe)
	for _, c := range mathRandomCalls {
		b.WriteString("show([[" + c.call + "]], function() return " + c.call + " end)\n")
	}
	b.WriteString("return table.concat(out, '\\n')")
	return b.String()
}
