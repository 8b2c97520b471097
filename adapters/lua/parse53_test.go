package lua

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// TestParse53MatchesGopherLua parses every Lua source of the repository and
// of gopher-lua's own test suites with both parsers and requires the same
// tree, line numbers included: the Lua 5.3 parser must change nothing that
// gopher-lua's parser already handled. (`%` stays the VM's instruction here;
// the engine compiles it as a call.)
func TestParse53MatchesGopherLua(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../../*/*.lua", "../../*/*/*.lua", "../../*/*/*/*.lua"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/yuin/gopher-lua").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		for _, sub := range []string{"_glua-tests", "_lua5.1-tests"} {
			m, _ := filepath.Glob(filepath.Join(dir, sub, "*.lua"))
			files = append(files, m...)
		}
	}
	compared := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := parse.Parse(strings.NewReader(string(src)), f)
		if err != nil {
			continue // gopher-lua cannot parse it either (Lua 5.3 syntax, or a broken fixture)
		}
		p := &parser53{lx: lexer53{src: string(src), line: 1, chunk: f}, max: defaultParseDepth, keepMod: true}
		got, err := p.parseChunk()
		if err != nil {
			t.Errorf("%s: gopher-lua parses it, parse53 says %v", f, err)
			continue
		}
		normalizeNumbers(reflect.ValueOf(want))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the trees differ:\n%s", f, firstDiff(parse.Dump(got), parse.Dump(want)))
		}
		compared++
	}
	t.Logf("%d sources compared", compared)
	if compared < 40 {
		t.Fatalf("compared only %d sources", compared)
	}
}

// normalizeNumbers rewrites gopher-lua's number texts (source spelling) the
// way parse53 writes them.
func normalizeNumbers(v reflect.Value) {
	switch v.Kind() {
	case reflect.Ptr, reflect.Interface:
		if v.IsNil() {
			return
		}
		if n, ok := v.Interface().(*ast.NumberExpr); ok {
			f, _, _, ok := luaNumeral(n.Value)
			if !ok {
				f, _ = strconv.ParseFloat(n.Value, 64)
			}
			n.Value = numberText(f)
			return
		}
		normalizeNumbers(v.Elem())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			normalizeNumbers(v.Field(i))
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			normalizeNumbers(v.Index(i))
		}
	}
}

func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			lo := max(0, i-5)
			return "parse53:\n" + strings.Join(la[lo:min(len(la), i+3)], "\n") + "\ngopher-lua:\n" + strings.Join(lb[lo:min(len(lb), i+3)], "\n")
		}
	}
	return "(the dumps are equal; the difference is in line numbers)"
}

// FuzzParse53 feeds the parser arbitrary sources: it may refuse them, but
// only with a syntax, depth or inexact-integer error, never a Go panic
// (a panic inside load would crash the evaluation).
func FuzzParse53(f *testing.F) {
	for _, seed := range []string{"return 1 // 2 | ~3 << 4", "local s = '\\x41\\u{48}\\z  x' goto l ::l::", "a.b[c]:d{e}'f'(g)", "[==[x]==] --[[c]] 0x1p4 .5 3e-2", "f(...)"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		_, _, err := parse53(src, "fuzz", 200)
		if err != nil && !strings.HasPrefix(err.Error(), "fuzz:") && !strings.HasPrefix(err.Error(), "too deep") {
			t.Fatalf("%q: %v", src, err)
		}
	})
}
