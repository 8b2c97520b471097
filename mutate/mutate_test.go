package mutate_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/mutate"
	"github.com/mostao/conformance/roles"
)

// small has one site of each operator, at known lines.
const small = `local LIMIT = 3
Count = 0
local function handle(msg)
  if msg.From ~= msg.Owner then
    msg.reply({ Error = "NotOwner" })
    return
  end
  if Count >= LIMIT and msg.Tags.X == "a" then return end
  Count = Count + 1
  local ok = Count < LIMIT or Count > 1
  while Count <= 0 do Count = 1 end
  msg.reply({ Count = Count })
end
`

// find returns the one mutant of that ID.
func find(t *testing.T, ms []mutate.Mutant, id string) mutate.Mutant {
	t.Helper()
	var ids []string
	for _, m := range ms {
		if m.ID == id {
			return m
		}
		ids = append(ids, m.ID)
	}
	t.Fatalf("no mutant %s among %s", id, strings.Join(ids, " "))
	return mutate.Mutant{}
}

func TestEachOperator(t *testing.T) {
	ms, err := mutate.Mutants("p", small)
	require.NoError(t, err)
	cases := []struct {
		id, from, to string
	}{
		{"p:1:num+1", "local LIMIT = 3", "local LIMIT = 4"},
		{"p:1:num-1", "local LIMIT = 3", "local LIMIT = 2"},
		{"p:4:negate", "  if msg.From ~= msg.Owner then", "  if not (msg.From ~= msg.Owner) then"},
		{"p:4:ne-eq", "  if msg.From ~= msg.Owner then", "  if msg.From == msg.Owner then"},
		{"p:4:from-owner", "  if msg.From ~= msg.Owner then", "  if msg.Owner ~= msg.Owner then"},
		{"p:4:owner-from", "  if msg.From ~= msg.Owner then", "  if msg.From ~= msg.From then"},
		{"p:8:ge-gt", `  if Count >= LIMIT and msg.Tags.X == "a" then return end`, `  if Count > LIMIT and msg.Tags.X == "a" then return end`},
		{"p:8:and-or", `  if Count >= LIMIT and msg.Tags.X == "a" then return end`, `  if Count >= LIMIT or msg.Tags.X == "a" then return end`},
		{"p:8:eq-ne", `  if Count >= LIMIT and msg.Tags.X == "a" then return end`, `  if Count >= LIMIT and msg.Tags.X ~= "a" then return end`},
		{"p:10:lt-le", "  local ok = Count < LIMIT or Count > 1", "  local ok = Count <= LIMIT or Count > 1"},
		{"p:10:or-and", "  local ok = Count < LIMIT or Count > 1", "  local ok = Count < LIMIT and Count > 1"},
		{"p:10:gt-ge", "  local ok = Count < LIMIT or Count > 1", "  local ok = Count < LIMIT or Count >= 1"},
		{"p:11:le-lt", "  while Count <= 0 do Count = 1 end", "  while Count < 0 do Count = 1 end"},
		{"p:11:negate", "  while Count <= 0 do Count = 1 end", "  while not (Count <= 0) do Count = 1 end"},
	}
	for _, c := range cases {
		m := find(t, ms, c.id)
		assert.Equal(t, strings.Replace(small, c.from+"\n", c.to+"\n", 1), m.Source, c.id)
		assert.Contains(t, m.Diff(), "\n-"+c.from+"\n+"+c.to+"\n", c.id)
	}

	// Deletions remove whole lines: the guard, the reply, the return after
	// the reply, the state write.
	deletions := []struct{ id, gone string }{
		{"p:4:delete-guard", "  if msg.From ~= msg.Owner then\n    msg.reply({ Error = \"NotOwner\" })\n    return\n  end\n"},
		{"p:5:delete-call", "    msg.reply({ Error = \"NotOwner\" })\n"},
		{"p:6:delete-return", "    return\n"},
		{"p:8:delete-guard", "  if Count >= LIMIT and msg.Tags.X == \"a\" then return end\n"},
		{"p:9:delete-assign", "  Count = Count + 1\n"},
		{"p:12:delete-call", "  msg.reply({ Count = Count })\n"},
	}
	for _, c := range deletions {
		m := find(t, ms, c.id)
		assert.Equal(t, strings.Replace(small, c.gone, "", 1), m.Source, c.id)
		for _, l := range strings.SplitAfter(strings.TrimSuffix(c.gone, "\n"), "\n") {
			assert.Contains(t, m.Diff(), "\n-"+strings.TrimSuffix(l, "\n")+"\n", c.id)
		}
	}

	// A statement sharing its line with code outside it is not deleted: a
	// deletion there would not be one statement.
	for _, m := range ms {
		assert.NotContains(t, []string{"p:11:delete-assign"}, m.ID)
		_, err := lua.Parse(m.Source, m.ID)
		assert.NoError(t, err, "mutant %s does not parse", m.ID)
	}
}

func TestDiffHunk(t *testing.T) {
	ms, err := mutate.Mutants("p", small)
	require.NoError(t, err)
	d := find(t, ms, "p:9:delete-assign").Diff()
	assert.Equal(t, "@@ -7,5 +7,4 @@\n   end\n"+
		`   if Count >= LIMIT and msg.Tags.X == "a" then return end`+"\n"+
		"-  Count = Count + 1\n"+
		"   local ok = Count < LIMIT or Count > 1\n"+
		"   while Count <= 0 do Count = 1 end\n", d)
}

// TestReferenceMutants: every mutant of the reference processes parses,
// differs from the reference, has a unique ID, and two runs give the same
// mutants in the same order.
func TestReferenceMutants(t *testing.T) {
	for _, role := range roles.Names() {
		src := roles.References()[role]
		ms, err := mutate.Mutants(role, src)
		require.NoError(t, err)
		again, err := mutate.Mutants(role, src)
		require.NoError(t, err)
		require.Equal(t, ms, again, "%s: the mutants are not deterministic", role)
		seen := map[string]bool{}
		ops := map[string]bool{}
		for _, m := range ms {
			assert.False(t, seen[m.ID], "%s listed twice", m.ID)
			seen[m.ID] = true
			ops[m.Op] = true
			assert.NotEqual(t, src, m.Source, m.ID)
			_, err := lua.Parse(m.Source, m.ID)
			assert.NoError(t, err, "mutant %s does not parse", m.ID)
		}
		for _, op := range []string{"negate", "delete-call", "delete-assign", "delete-guard", "eq-ne", "and-or", "num+1", "from-owner"} {
			assert.True(t, ops[op], "%s has no %s mutant", role, op)
		}
		t.Logf("%s: %d mutants", role, len(ms))
	}
}

func TestParseEquivalents(t *testing.T) {
	got, err := mutate.ParseEquivalents("# c\n\ndomain:3:num+1  the limit is never reached\n")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"domain:3:num+1": "the limit is never reached"}, got)
	_, err = mutate.ParseEquivalents("domain:3:num+1\n")
	assert.ErrorContains(t, err, "no reason")
	_, err = mutate.ParseEquivalents("a:1:x r\na:1:x r\n")
	assert.ErrorContains(t, err, "twice")
	_, err = mutate.Equivalents()
	assert.NoError(t, err)
}

// TestCommentsAndStringsAreNotMutated: operators and numbers inside
// comments and strings, short or long, are text, not code.
func TestCommentsAndStringsAreNotMutated(t *testing.T) {
	src := "--[[ a == 1\n and b ]] local s = [==[ x < 2 ]==] .. \"c ~= 3\" -- d or 4\n" +
		"local t = 'e >= 5' --[=[\n f and 6 ]=]\nreturn s == t\n"
	ms, err := mutate.Mutants("p", src)
	require.NoError(t, err)
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	assert.Equal(t, []string{"p:5:eq-ne"}, ids)
}

// TestEquivalentsNameMutants: every reviewed equivalent is a mutant of the
// reference processes today; an entry left behind by a change of the
// source fails here before it misleads a mutation run.
func TestEquivalentsNameMutants(t *testing.T) {
	eq, err := mutate.Equivalents()
	require.NoError(t, err)
	ids := map[string]bool{}
	for _, role := range roles.Names() {
		ms, err := mutate.Mutants(role, roles.References()[role])
		require.NoError(t, err)
		for _, m := range ms {
			ids[m.ID] = true
		}
	}
	for id := range eq {
		assert.True(t, ids[id], "%s is listed as equivalent but is no mutant of the reference processes", id)
	}
}

// TestASourceThatDoesNotParse has no mutants: it is an error, with the
// line the engine's parser gives.
func TestASourceThatDoesNotParse(t *testing.T) {
	_, err := mutate.Mutants("p", "local x = 1\nif x then\n")
	assert.ErrorContains(t, err, "p:3:")
}
