package tools

import (
	"os"
	"path/filepath"
	"testing"
)

func (s *sandbox) runProbe() runResult {
	s.t.Helper()
	args, err := ProbeArgs(s.guestHome)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.run(ProbeScript(), nil, args...)
}

func parseProbeResult(t *testing.T, result runResult) map[string]State {
	t.Helper()
	if result.exitCode != 0 {
		t.Fatalf("probe failed:\n%s", result)
	}
	states, err := ParseProbe([]byte(result.stdout))
	if err != nil {
		t.Fatalf("ParseProbe: %v\n%s", err, result)
	}
	return states
}

func TestProbeFindsToolOffPath(t *testing.T) {
	if _, err := os.Stat("/home/linuxbrew/.linuxbrew/bin/brew"); err == nil {
		t.Skip("this machine has Homebrew in /home/linuxbrew, so the probe would report it")
	}
	s := newSandbox(t)
	opencode := filepath.Join(s.guestHome, ".opencode/bin/opencode")
	s.writeExecutable(opencode, "echo 1.0.0\n")

	states := parseProbeResult(t, s.runProbe())

	if !states["opencode"].Installed {
		t.Errorf("opencode: Installed = false, want true for %s", opencode)
	}
	if got := states["opencode"].Path; got != opencode {
		t.Errorf("opencode: Path = %q, want %q", got, opencode)
	}
	if states["brew"].Installed {
		t.Errorf("brew: Installed = true at %q, want false", states["brew"].Path)
	}
}

func TestProbeFindsToolOnPath(t *testing.T) {
	s := newSandbox(t)
	brew := filepath.Join(s.fakeBin, "brew")
	s.writeExecutable(brew, "echo Homebrew 4.0.0\n")

	states := parseProbeResult(t, s.runProbe())

	if got := states["brew"].Path; got != brew {
		t.Errorf("brew: Path = %q, want %q", got, brew)
	}
	if states["opencode"].Installed {
		t.Errorf("opencode: Installed = true at %q, want false", states["opencode"].Path)
	}
}

func TestProbeIgnoresNonExecutable(t *testing.T) {
	s := newSandbox(t)
	s.writeFile(filepath.Join(s.guestHome, ".opencode/bin/opencode"), "not executable")

	states := parseProbeResult(t, s.runProbe())

	if states["opencode"].Installed {
		t.Errorf("opencode: Installed = true for a file without the execute bit")
	}
}

func TestProbeRejectsMissingArgument(t *testing.T) {
	s := newSandbox(t)

	result := s.run(ProbeScript(), nil)

	if result.exitCode == 0 {
		t.Fatalf("probe ran without the guest home:\n%s", result)
	}
	if result.stdout != "" {
		t.Errorf("probe printed %q on stdout, want nothing", result.stdout)
	}
}
