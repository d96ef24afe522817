package tools

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func (s *sandbox) runProbe() runResult {
	s.t.Helper()
	args, err := ProbeArgs(Homes{Guest: s.guestHome, Host: s.hostHome})
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

	// Found, but without its login line and links it is not ready.
	if states["opencode"].Installed {
		t.Errorf("opencode: Installed = true without its login line and links")
	}
	want := strings.Join([]string{PartLoginLine, PartConfigLink, PartAuthLink}, " ")
	if got := strings.Join(states["opencode"].Missing, " "); got != want {
		t.Errorf("opencode: Missing = %q, want %q", got, want)
	}
	if got := states["opencode"].Path; got != opencode {
		t.Errorf("opencode: Path = %q, want %q", got, opencode)
	}
	if states["brew"].Installed {
		t.Errorf("brew: Installed = true at %q, want false", states["brew"].Path)
	}
}

func TestProbeFindsToolOnPath(t *testing.T) {
	if _, err := os.Stat("/home/linuxbrew/.linuxbrew/bin/brew"); err == nil {
		t.Skip("this machine has Homebrew in /home/linuxbrew, so the probe would report it")
	}
	s := newSandbox(t)
	brew := filepath.Join(s.fakeBin, "brew")
	s.writeExecutable(brew, "echo Homebrew 4.0.0\n")
	s.writeFile(filepath.Join(s.guestHome, ".profile"), `eval "$(`+brew+` shellenv)"`+"\n")

	states := parseProbeResult(t, s.runProbe())

	if !states["brew"].Installed {
		t.Errorf("brew: Installed = false with its login line in place, Missing = %q", states["brew"].Missing)
	}
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

	result := s.run(ProbeScript(), nil, s.guestHome)

	if result.exitCode == 0 {
		t.Fatalf("probe ran without the guest home:\n%s", result)
	}
	if result.stdout != "" {
		t.Errorf("probe printed %q on stdout, want nothing", result.stdout)
	}
}

// TestProbeOpencodeFromNpmNeedsLinks covers OpenCode installed by other means,
// such as npm: the probe reports the links as missing, and the install script
// adds them without running the OpenCode installer.
func TestProbeOpencodeFromNpmNeedsLinks(t *testing.T) {
	s := newOpencodeSandbox(t)
	npmOpencode := filepath.Join(s.fakeBin, "opencode")
	s.writeExecutable(npmOpencode, "echo 1.0.0\n")

	states := parseProbeResult(t, s.runProbe())
	opencode := states["opencode"]
	if opencode.Installed || !opencode.NeedsSetup() {
		t.Fatalf("opencode before the install: %+v, want it to need setup", opencode)
	}
	if got := strings.Join(opencode.Missing, " "); got != PartConfigLink+" "+PartAuthLink {
		t.Errorf("opencode: Missing = %q, want the two links and no login line", got)
	}

	result := s.runOpencode()
	if result.exitCode != 0 {
		t.Fatalf("install failed:\n%s", result)
	}
	if calls := s.callsWithPrefix("opencode-installer "); len(calls) != 0 {
		t.Errorf("the OpenCode installer ran although opencode was present: %q", calls)
	}
	if !strings.Contains(result.stdout, "OpenCode is already installed at "+npmOpencode) {
		t.Errorf("install output does not name the present opencode:\n%s", result)
	}

	opencode = parseProbeResult(t, s.runProbe())["opencode"]
	if !opencode.Installed || opencode.Path != npmOpencode {
		t.Errorf("opencode after the install: %+v, want installed at %s", opencode, npmOpencode)
	}
}

func TestProbeOpencodeLinkElsewhere(t *testing.T) {
	s := newOpencodeSandbox(t)
	s.writeExecutable(filepath.Join(s.fakeBin, "opencode"), "echo 1.0.0\n")
	mustMkdirAll(t, filepath.Join(s.guestHome, ".local/share/opencode"))
	elsewhere := filepath.Join(s.guestHome, "other-auth.json")
	if err := os.Symlink(elsewhere, filepath.Join(s.guestHome, ".local/share/opencode/auth.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(s.guestHome, ".config"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(s.hostHome, ".config/opencode"), filepath.Join(s.guestHome, ".config/opencode")); err != nil {
		t.Fatal(err)
	}

	opencode := parseProbeResult(t, s.runProbe())["opencode"]

	if got := strings.Join(opencode.Missing, " "); got != PartAuthLink {
		t.Errorf("opencode: Missing = %q, want only %s for a link to %s", got, PartAuthLink, elsewhere)
	}
}

func TestProbeBrewWithoutLoginLine(t *testing.T) {
	s := newBrewSandbox(t)
	brew := filepath.Join(s.guestHome, ".linuxbrew/bin/brew")
	s.writeExecutable(brew, "echo Homebrew 4.0.0\n")

	states := parseProbeResult(t, s.runProbe())
	if got := strings.Join(states["brew"].Missing, " "); got != PartLoginLine || states["brew"].Path != brew {
		t.Fatalf("brew before the install: %+v, want %s missing at %s", states["brew"], PartLoginLine, brew)
	}

	result := s.run(mustLookup(t, "brew").InstallScript(), nil, mustInstallArgs(t, mustLookup(t, "brew"), s)...)
	if result.exitCode != 0 {
		t.Fatalf("install failed:\n%s", result)
	}
	if calls := s.callsWithPrefix("brew-installer "); len(calls) != 0 {
		t.Errorf("the Homebrew installer ran although brew was present: %q", calls)
	}
	if !parseProbeResult(t, s.runProbe())["brew"].Installed {
		t.Errorf("brew is not installed after the script added its login line:\n%s", s.readFile(filepath.Join(s.guestHome, ".profile")))
	}
}

// TestProbeAfterOpencodeInstall checks that the probe and the install script
// agree: what the script sets up, the probe counts as installed.
func TestProbeAfterOpencodeInstall(t *testing.T) {
	s := newOpencodeSandbox(t)
	if result := s.runOpencode(); result.exitCode != 0 {
		t.Fatalf("install failed:\n%s", result)
	}

	opencode := parseProbeResult(t, s.runProbe())["opencode"]

	if !opencode.Installed {
		t.Errorf("opencode after a fresh install: %+v, want installed", opencode)
	}
}
