package lua

import (
	"embed"
	"fmt"
	"strings"
	"sync"

	glua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
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
			proto, err := compile(string(src), m.file)
			if err != nil {
				runtimeErr = fmt.Errorf("runtime %s: %w", m.file, err)
				return
			}
			runtimeProtos[m.name] = proto
		}
	})
	return runtimeProtos, runtimeErr
}

// compile parses and compiles Lua source once, so spawns share the prototype.
func compile(src, name string) (*glua.FunctionProto, error) {
	chunk, err := parse.Parse(strings.NewReader(src), name)
	if err != nil {
		return nil, err
	}
	fixMultipleAssignments(chunk)
	return glua.Compile(chunk, name)
}
