// Package logfile opens aisand's log under the XDG state folder, so that
// nothing is ever logged to the screen the UI draws on.
package logfile

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/adrg/xdg"
)

// Path returns the log file's path: $XDG_STATE_HOME/aisand/aisand.log, or
// the platform's default state folder when XDG_STATE_HOME is unset.
func Path() string {
	return filepath.Join(stateHome(), "aisand", "aisand.log")
}

// stateHome reads XDG_STATE_HOME at call time; the xdg package reads it
// once at start, which tests that set it would miss.
func stateHome() string {
	if dir := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return dir
	}
	return xdg.StateHome
}

// Open opens the log for appending and returns a logger that writes to it
// at level, and the file to close on exit.
func Open(level slog.Level) (*slog.Logger, io.Closer, error) {
	path := Path()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, fmt.Errorf("create log folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open log file: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: level}))
	return logger, f, nil
}
