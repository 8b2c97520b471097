package wasm

import (
	"context"
	"os"
	"path/filepath"
	"sync"

	"github.com/tetratelabs/wazero"
)

// CacheDirEnv names the environment variable that sets where compiled
// modules are kept between runs. Unset, they go under the user's cache
// directory (os.UserCacheDir()/mostao/wazero); "off" keeps them in memory
// only, for the life of the Go process.
const CacheDirEnv = "MOSTAO_CACHE_DIR"

// compiled is the compilation cache every engine of the Go process shares:
// compiling the bundled module takes 100 ms to over a second, and reading it
// back from the cache directory a few milliseconds.
var compiled struct {
	once  sync.Once
	cache wazero.CompilationCache
	dir   string
}

// sharedCache returns the process's compilation cache and its directory
// ("" when it lives in memory).
func sharedCache() (wazero.CompilationCache, string) {
	compiled.once.Do(func() {
		compiled.cache, compiled.dir = newCache(cacheDir())
	})
	return compiled.cache, compiled.dir
}

// cacheDir is the directory CacheDirEnv names, or the default under the
// user's cache directory; "" means no directory.
func cacheDir() string {
	switch d := os.Getenv(CacheDirEnv); d {
	case "off":
		return ""
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		return filepath.Join(base, "mostao", "wazero")
	default:
		return d
	}
}

// newCache makes a compilation cache kept in dir, or in memory when dir is
// "" or cannot be written (a read-only home, a path that is a file): a
// cache that cannot be written is no reason to fail a run, only to compile
// again next time. It returns the directory it kept.
func newCache(dir string) (wazero.CompilationCache, string) {
	if dir != "" && writable(dir) {
		if c, err := wazero.NewCompilationCacheWithDir(dir); err == nil {
			return c, dir
		}
	}
	return wazero.NewCompilationCache(), ""
}

// writable reports whether files can be made in dir, making it if needed.
func writable(dir string) bool {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false
	}
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return false
	}
	name := f.Name()
	_ = f.Close()
	return os.Remove(name) == nil
}

// newRuntime makes a wazero runtime that compiles through cache. With
// closeOnDone it closes an instance when its call's context ends, at a
// cost in every loop (interrupt.go); without, the module must stop itself.
func newRuntime(ctx context.Context, cache wazero.CompilationCache, closeOnDone bool) wazero.Runtime {
	cfg := wazero.NewRuntimeConfig().WithCloseOnContextDone(closeOnDone)
	if cache != nil {
		cfg = cfg.WithCompilationCache(cache)
	}
	return wazero.NewRuntimeWithConfig(ctx, cfg)
}

// compileModule compiles binary, with the engine's loop checks (the work
// count and the interrupt check) added when it can read the binary's code
// (interrupt.go), in a new runtime that
// uses cache. The runtime is the caller's to close, also on error.
func compileModule(ctx context.Context, cache wazero.CompilationCache, binary []byte) (wazero.Runtime, wazero.CompiledModule, error) {
	checked, err := withLoopChecks(binary)
	closeOnDone := err != nil
	if closeOnDone {
		checked = binary
	}
	r := newRuntime(ctx, cache, closeOnDone)
	compiled, err := r.CompileModule(ctx, checked)
	return r, compiled, err
}
