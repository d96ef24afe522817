package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/japacx/aisand/internal/limatest"
)

// TestPanicRestoresTerminal panics inside Update in a build made for it,
// then checks from the user's shell that the terminal is usable again.
func TestPanicRestoresTerminal(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "aisand")
	if err := buildAisand(bin, true, "-X github.com/japacx/aisand/internal/ui.panicKeyForTests=P"); err != nil {
		t.Fatal(err)
	}
	fake := limatest.New(t)
	fake.AddInstance(t, "fx1", limatest.Running)
	s := startInShell(t, fake, bin)
	s.waitFor("▶ ● fx1")
	if alt := strings.TrimSpace(s.tmux("display-message", "-p", "-t", "e2e", "#{alternate_on}")); alt != "1" {
		t.Fatalf("alternate screen = %q while aisand runs", alt)
	}
	s.keys("P")
	s.waitFor("aisand exited with status 1")
	if alt := strings.TrimSpace(s.tmux("display-message", "-p", "-t", "e2e", "#{alternate_on}")); alt != "0" {
		t.Errorf("alternate screen still on after the panic")
	}
	if cursor := strings.TrimSpace(s.tmux("display-message", "-p", "-t", "e2e", "#{cursor_flag}")); cursor != "1" {
		t.Errorf("cursor hidden after the panic (cursor_flag %q)", cursor)
	}
	// The shell behind aisand runs stty on its terminal: canonical mode
	// and echo must be back.
	s.waitFor("terminal mode: cooked")
}
