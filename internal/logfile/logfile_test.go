package logfile

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenWritesUnderStateHome(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	logger, closer, err := Open(slog.LevelInfo)
	if err != nil {
		t.Fatal(err)
	}
	logger.Info("hello", "instance", "fx1")
	logger.Debug("hidden at info level")
	if err := closer.Close(); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(state, "aisand", "aisand.log")
	if Path() != want {
		t.Errorf("Path() = %q, want %q", Path(), want)
	}
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "msg=hello instance=fx1") {
		t.Errorf("log = %q", b)
	}
	if strings.Contains(string(b), "hidden") {
		t.Error("debug line written at info level")
	}
}
