package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/halolint/halolint/internal/localfile"
)

// maxSecretBytes bounds the client secret file: a secret is a few dozen
// characters, and the file is read whole into memory.
const maxSecretBytes = 64 << 10

// readSecretFile reads --client-secret-file: a regular file of at most
// maxSecretBytes, or standard input for "-" (read until its end, which
// Ctrl-C interrupts). A trailing line break is trimmed. Every problem is a
// usage error naming the flag.
func readSecretFile(ctx context.Context, path string, stdin io.Reader) (string, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = readInterruptibly(ctx, stdin, maxSecretBytes)
	} else {
		data, err = localfile.Read(path, maxSecretBytes)
	}
	var tooLarge bool
	if errors.Is(err, errInputTooLarge) || errors.Is(err, localfile.ErrTooLarge) {
		tooLarge = true
	}
	switch {
	case tooLarge:
		return "", usageErrorf("--client-secret-file: %s: larger than %s: not a client secret", path, localfile.Size(maxSecretBytes))
	case errors.Is(err, localfile.ErrNotRegular):
		return "", usageErrorf("--client-secret-file: %s: %v (use - for standard input)", path, err)
	case ctx.Err() != nil:
		// Interrupted: run says so.
		return "", fmt.Errorf("--client-secret-file: %s: %w", path, context.Cause(ctx))
	case err != nil:
		return "", usageErrorf("--client-secret-file: %s: %v", path, err)
	}
	secret := strings.TrimRight(string(data), "\r\n")
	if secret == "" {
		return "", usageErrorf("--client-secret-file: %s is empty", path)
	}
	return secret, nil
}

var errInputTooLarge = errors.New("input too large")

// readInterruptibly reads r to its end, at most limit bytes, returning
// at once when ctx ends: a read of a terminal or a pipe nobody writes to
// blocks, and Ctrl-C must still end the run. (The abandoned read ends
// with the process.)
func readInterruptibly(ctx context.Context, r io.Reader, limit int64) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, err := io.ReadAll(io.LimitReader(r, limit+1))
		if err == nil && int64(len(data)) > limit {
			data, err = nil, errInputTooLarge
		}
		done <- result{data, err}
	}()
	select {
	case res := <-done:
		return res.data, res.err
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}
