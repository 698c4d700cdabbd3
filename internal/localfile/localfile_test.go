package localfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(small, link); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		path    string
		limit   int64
		want    string
		wantErr error
	}{
		{"a regular file", small, 5, "hello", nil},
		{"through a symbolic link", link, 5, "hello", nil},
		{"one byte too many", small, 4, "", ErrTooLarge},
		{"a folder", dir, 1 << 20, "", ErrNotRegular},
		{"a device", os.DevNull, 1 << 20, "", ErrNotRegular},
		{"missing", filepath.Join(dir, "missing"), 1, "", fs.ErrNotExist},
	} {
		got, err := Read(tt.path, tt.limit)
		if tt.wantErr == nil && (err != nil || string(got) != tt.want) {
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.want)
		}
		if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.wantErr)
		}
	}
}
