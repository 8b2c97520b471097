package lua

import (
	"embed"
	"errors"
	"fmt"
	"sync"

	glua "github.com/yuin/gopher-lua"
)

//go:embed runtime/*.lua
var runtimeFS embed.FS

// runtimeModules are the runtime's Lua modules, by require name.
var runtimeModules = []struct{ name, file string }{
	{".utils", "runtime/utils.lua"},
	{".ao", "runtime/ao.lua"},
	{".handlers", "runtime/handlers.lua"},
	{".process", "runtime/process.lua"},
	// aos's other modules and globals (runtime/aosglobals.lua).
	{".aosglobals", "runtime/aosglobals.lua"},
	{".stringify", "runtime/stringify.lua"},
	{".base64", "runtime/base64.lua"},
	{".pretty", "runtime/pretty.lua"},
	{".dump", "runtime/dump.lua"},
	{".handlers-utils", "runtime/handlers-utils.lua"},
	{".assignment", "runtime/assignment.lua"},
	{".eval", "runtime/eval.lua"},
	{".boot", "runtime/boot.lua"},
	{".default", "runtime/default.lua"},
	// Not part of the portable runtime: gopher-lua's pcall limit.
	{".gopherlua", "runtime/gopherlua.lua"},
}

// compiled runtime prototypes are immutable and shared by every process.
var (
	runtimeOnce   sync.Once
	runtimeProtos map[string]*glua.FunctionProto
	runtimeErr    error
)

func loadRuntime() (map[string]*glua.FunctionProto, error) {
	runtimeOnce.Do(func() {
		runtimeProtos = map[string]*glua.FunctionProto{}
		for _, m := range runtimeModules {
			src, err := runtimeFS.ReadFile(m.file)
			if err != nil {
				runtimeErr = err
				return
			}
			proto, err := compile(string(src), m.file, sourceBounds{})
			if err != nil {
				runtimeErr = fmt.Errorf("runtime %s: %w", m.file, err)
				return
			}
			runtimeProtos[m.name] = proto
		}
	})
	return runtimeProtos, runtimeErr
}

// sourceBounds bound what compile accepts; the zero value accepts anything
// (the runtime's own sources).
type sourceBounds struct {
	bytes, depth int
}

// errSourceBound is wrapped by compile errors that refuse a source for its
// size or nesting before compiling it.
var errSourceBound = errors.New("source bound")

// compile parses and compiles Lua source once, so spawns share the
// prototype. gopher-lua's parser keeps its own stack, but its compiler
// recurses in Go once per level of the syntax tree, so a source is measured
// before it is compiled: its size before parsing, the depth of its tree
// before anything walks it recursively.
func compile(src, name string, bounds sourceBounds) (*glua.FunctionProto, error) {
	if bounds.bytes > 0 && len(src) > bounds.bytes {
		return nil, fmt.Errorf("%w: %s: the source is %d bytes, more than the %d this engine compiles (MaxSourceBytes)", errSourceBound, name, len(src), bounds.bytes)
	}
	chunk, used, err := parse53(src, name, bounds.depth)
	var deep *depthError
	if errors.As(err, &deep) {
		return nil, fmt.Errorf("%w: %s:%d: the code nests more than %d levels deep (MaxSourceDepth)", errSourceBound, name, deep.line, bounds.depth)
	}
	if err != nil {
		return nil, err
	}
	if chunk, err = bindEnv(src, name, chunk); err != nil {
		return nil, err
	}
	if used == nil {
		used = opsUsed{}
	}
	if line := fixMultipleAssignments(chunk, bounds.depth, used); line > 0 {
		return nil, fmt.Errorf("%w: %s:%d: the code nests more than %d levels deep (MaxSourceDepth)", errSourceBound, name, line, bounds.depth)
	}
	return glua.Compile(withConcat(bindOps(chunk, used)), name)
}

// compileWork is the work charged for compiling n bytes of source: gopher-lua
// parses and compiles a byte in roughly the time of 8 to 40 instructions,
// and any compile costs about as much as a few thousand (measured: a loop
// of load("return 1") runs about 15,000 loads a second).
func compileWork(n int) int64 { return 4000 + 8*int64(n) }
