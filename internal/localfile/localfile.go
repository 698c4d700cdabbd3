// Package localfile reads the files a user names on the command line or
// by default (the config file, policy files, the client secret file, a
// snapshot): whole, bounded, and only when they are regular files. A
// device such as /dev/zero would otherwise fill the memory, and a named
// pipe would block the run until someone writes to it.
package localfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular and ErrTooLarge are what Read refuses, for errors.Is.
var (
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("file too large")
)

// Error is a file Read refused or could not read. Its message does not
// repeat the path: callers name the file in their own terms.
type Error struct {
	Path string
	// Problem says what is wrong, e.g. "a named pipe, not a regular file".
	Problem string
	Err     error
}

func (e *Error) Error() string { return e.Problem }
func (e *Error) Unwrap() error { return e.Err }

// Read returns the content of the regular file at path (symbolic links
// followed), refusing any other kind of file and any file larger than
// limit bytes: by its size before reading, and by what it holds, should it
// grow while read. A missing file is an *Error wrapping fs.ErrNotExist.
func Read(path string, limit int64) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, &Error{Path: path, Problem: pathProblem(err), Err: err}
	}
	if err := check(path, info, limit); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{Path: path, Problem: pathProblem(err), Err: err}
	}
	defer f.Close()
	// The file opened may not be the one examined (replaced in between):
	// check what was opened.
	if info, err = f.Stat(); err != nil {
		return nil, &Error{Path: path, Problem: pathProblem(err), Err: err}
	}
	if err := check(path, info, limit); err != nil {
		return nil, err
	}
	// Sized to the file and read in one go: io.ReadAll's growing copies
	// allocate a snapshot of tens of megabytes five times over.
	var buf bytes.Buffer
	buf.Grow(int(info.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, &Error{Path: path, Problem: pathProblem(err), Err: err}
	}
	if int64(buf.Len()) > limit {
		return nil, tooLarge(path, limit)
	}
	return buf.Bytes(), nil
}

// check refuses what Read refuses without reading: anything but a regular
// file of at most limit bytes.
func check(path string, info fs.FileInfo, limit int64) error {
	if !info.Mode().IsRegular() {
		return &Error{Path: path, Problem: Kind(info.Mode()) + ", not a regular file", Err: ErrNotRegular}
	}
	if info.Size() > limit {
		return tooLarge(path, limit)
	}
	return nil
}

func tooLarge(path string, limit int64) error {
	return &Error{Path: path, Problem: fmt.Sprintf("larger than %s", Size(limit)), Err: ErrTooLarge}
}

// Kind names a kind of file as a person does: "a folder", "a named pipe".
func Kind(mode fs.FileMode) string {
	switch {
	case mode.IsDir():
		return "a folder"
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeCharDevice != 0:
		return "a character device"
	case mode&fs.ModeDevice != 0:
		return "a device"
	case mode&fs.ModeSymlink != 0:
		return "a symbolic link"
	case mode.IsRegular():
		return "a regular file"
	}
	return "an irregular file"
}

// Size is n bytes as a person reads it: "64 KiB", "1 MiB", "300 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// pathProblem is an os error without the path it repeats.
func pathProblem(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
