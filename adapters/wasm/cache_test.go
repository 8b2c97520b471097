package wasm

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// cacheFiles lists the files under dir with their modification times.
func cacheFiles(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	files := map[string]time.Time{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files[path] = info.ModTime()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// compileWith compiles binary in a new runtime with a new cache kept in dir,
// as a second run of mostao would.
func compileWith(t *testing.T, dir string, binary []byte) {
	t.Helper()
	ctx := context.Background()
	cache, kept := newCache(dir)
	if kept != dir {
		t.Fatalf("the cache is not kept in %s (got %q)", dir, kept)
	}
	r, _, err := compileModule(ctx, cache, binary)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := cache.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

// A second engine with the same cache directory reads the compiled module
// back instead of compiling it again: the cache's files are neither added
// nor rewritten. A different module does add a file, so the check can fail.
func TestCompilationCacheIsReusedAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	compileWith(t, dir, DefaultModule)
	first := cacheFiles(t, dir)
	if len(first) == 0 {
		t.Fatal("compiling wrote nothing into the cache directory")
	}
	time.Sleep(10 * time.Millisecond) // a rewrite would get a later mtime
	compileWith(t, dir, DefaultModule)
	second := cacheFiles(t, dir)
	if len(second) != len(first) {
		t.Fatalf("the second run added files: %d, then %d", len(first), len(second))
	}
	for path, mtime := range first {
		if !second[path].Equal(mtime) {
			t.Errorf("the second run rewrote %s", path)
		}
	}
	other := append(append([]byte(nil), DefaultModule...), 0, 6, 1, 'x', 1, 2, 3, 4)
	compileWith(t, dir, other)
	if n := len(cacheFiles(t, dir)); n != len(first)+1 {
		t.Fatalf("another module did not add one compiled file: %d files, then %d", len(first), n)
	}
}

// A cache directory that cannot be written falls back to memory.
func TestCompilationCacheFallsBackToMemory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cache, dir := newCache(filepath.Join(file, "cache"))
	if cache == nil || dir != "" {
		t.Fatalf("got cache %v in %q, want an in-memory cache", cache, dir)
	}
	ctx := context.Background()
	r, _, err := compileModule(ctx, cache, DefaultModule)
	defer r.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(CacheDirEnv, "off")
	if d := cacheDir(); d != "" {
		t.Fatalf("%s=off gives directory %q", CacheDirEnv, d)
	}
	t.Setenv(CacheDirEnv, "/some/where")
	if d := cacheDir(); d != "/some/where" {
		t.Fatalf("%s=/some/where gives directory %q", CacheDirEnv, d)
	}
}
