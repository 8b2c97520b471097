package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// The most bytes the command reads from each kind of file. A path may name
// anything: a device such as /dev/zero, a FIFO, or a file far larger than
// any real input; the command must fail at once with a clear message, not
// after reading gigabytes.
const (
	// maxSourceBytes: a Lua source of a process. The reference sources are
	// tens of kilobytes.
	maxSourceBytes = 8 << 20
	// maxModuleBytes: a compiled AO module (aos's are a few MiB).
	maxModuleBytes = 64 << 20
	// maxExpectBytes: an expectations file, a line per known failure.
	maxExpectBytes = 1 << 20
	// maxReportBytes: a JSON Lines report given to mostao diff. Reports are
	// bounded when written (reports.Bound) to a few tens of megabytes.
	maxReportBytes = 256 << 20
	// maxSequenceBytes: a recorded sequence given to mostao replay.
	maxSequenceBytes = 16 << 20
)

// errTooLarge is the error of an input past its limit.
var errTooLarge = errors.New("larger than the limit")

// openInput opens a file the command was given. It refuses what is not a
// regular file (checked before opening, since opening a FIFO blocks) and a
// file larger than limit; the reader it returns fails if the file grows past
// limit while it is read.
func openInput(path string, limit int64) (io.ReadCloser, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := regularWithin(path, info, limit); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	// The path may have changed between the two looks: check what was
	// opened.
	if info, err = f.Stat(); err == nil {
		err = regularWithin(path, info, limit)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &limitedFile{f: f, path: path, left: limit}, nil
}

// readInput reads a whole file the command was given, within limit.
func readInput(path string, limit int64) ([]byte, error) {
	r, err := openInput(path, limit)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// regularWithin says why a file cannot be read as an input, if it cannot.
func regularWithin(path string, info fs.FileInfo, limit int64) error {
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (%s): give a file", path, fileKind(info.Mode()))
	}
	if info.Size() > limit {
		return fmt.Errorf("%s is %d bytes: %w of %s for this input", path, info.Size(), errTooLarge, byteSize(limit))
	}
	return nil
}

// fileKind names the kind of a file that is not a regular one.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "mode " + m.String()
}

// byteSize prints a limit in MiB.
func byteSize(n int64) string { return fmt.Sprintf("%d MiB", n>>20) }

// limitedFile reads a file and fails past its limit.
type limitedFile struct {
	f    *os.File
	path string
	left int64
}

func (l *limitedFile) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, fmt.Errorf("%s: %w", l.path, errTooLarge)
	}
	// Read one byte past the limit to tell a file of exactly the limit
	// from a longer one.
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.f.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n, fmt.Errorf("%s grew while read: %w", l.path, errTooLarge)
	}
	return n, err
}

func (l *limitedFile) Close() error { return l.f.Close() }
