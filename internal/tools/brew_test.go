package tools

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeBrewInstaller replaces Homebrew's install.sh in tests. It installs a fake
// brew in ~/.linuxbrew, because the test cannot write /home/linuxbrew.
const fakeBrewInstaller = `
echo "brew-installer NONINTERACTIVE=${NONINTERACTIVE:-} HOME=$HOME" >>"$FAKE_LOG"
cat >"$FAKE_DATA/installer-stdin"
mkdir -p "$HOME/.linuxbrew/bin"
printf '#!/bin/sh\necho "export PATH=$HOME/.linuxbrew/bin:\\$PATH"\n' >"$HOME/.linuxbrew/bin/brew"
chmod 755 "$HOME/.linuxbrew/bin/brew"
echo "==> Installation successful!"
`

// newBrewSandbox returns a sandbox where curl and git are installed already,
// and the guest home has Ubuntu's ~/.profile. It skips the test when this
// machine has a real Homebrew in /home/linuxbrew, which the script would
// find first.
func newBrewSandbox(t *testing.T) *sandbox {
	if _, err := os.Stat("/home/linuxbrew/.linuxbrew/bin/brew"); err == nil {
		t.Skip("this machine has Homebrew in /home/linuxbrew, so the brew script would not install the stand-in")
	}
	s := newSandbox(t)
	s.writeInstaller("brew", fakeBrewInstaller)
	s.writeFile(filepath.Join(s.fakeData, "dpkg-installed"), "curl\ngit\n")
	s.writeFile(filepath.Join(s.guestHome, ".profile"), "# ~/.profile from /etc/skel\n")
	return s
}

func (s *sandbox) runBrew(extraEnv ...string) runResult {
	s.t.Helper()
	tool := mustLookup(s.t, "brew")
	return s.run(tool.InstallScript(), extraEnv, mustInstallArgs(s.t, tool, s)...)
}

func (s *sandbox) shellenvLine() string {
	return `eval "$(` + filepath.Join(s.guestHome, ".linuxbrew/bin/brew") + ` shellenv)"`
}

func TestBrewFreshInstall(t *testing.T) {
	s := newBrewSandbox(t)

	result := s.runBrew()

	if result.exitCode != 0 {
		t.Fatalf("install failed:\n%s", result)
	}
	if got, want := result.lastLine(), "aisand: brew is ready"; got != want {
		t.Errorf("last line = %q, want %q", got, want)
	}

	aptCalls := s.callsWithPrefix("apt-get ")
	if len(aptCalls) != 2 {
		t.Fatalf("apt-get ran %d times, want update and install: %q", len(aptCalls), aptCalls)
	}
	for _, call := range aptCalls {
		if !strings.Contains(call, "DEBIAN_FRONTEND=noninteractive ") {
			t.Errorf("apt-get ran without DEBIAN_FRONTEND=noninteractive: %q", call)
		}
		if !strings.Contains(call, "-o DPkg::Lock::Timeout=") {
			t.Errorf("apt-get ran without a lock timeout: %q", call)
		}
	}
	if !strings.HasSuffix(aptCalls[0], " update") {
		t.Errorf("first apt-get call = %q, want update", aptCalls[0])
	}
	if !strings.HasSuffix(aptCalls[1], " install -y --no-install-recommends build-essential procps file") {
		t.Errorf("second apt-get call = %q, want an install of the missing packages only", aptCalls[1])
	}
	for _, call := range s.callsWithPrefix("sudo ") {
		if !strings.HasPrefix(call, "sudo -n ") {
			t.Errorf("sudo ran without -n, so it could wait for a password: %q", call)
		}
	}

	installerCalls := s.callsWithPrefix("brew-installer ")
	if len(installerCalls) != 1 {
		t.Fatalf("installer ran %d times, want once: %q", len(installerCalls), s.calls())
	}
	if !strings.Contains(installerCalls[0], "NONINTERACTIVE=1 ") {
		t.Errorf("installer ran with %q, want NONINTERACTIVE=1", installerCalls[0])
	}
	if stdin := s.readFile(filepath.Join(s.fakeData, "installer-stdin")); stdin != "" {
		t.Errorf("installer read %d bytes of stdin, want none", len(stdin))
	}

	profile := s.readFile(filepath.Join(s.guestHome, ".profile"))
	if n := strings.Count(profile, s.shellenvLine()); n != 1 {
		t.Errorf("~/.profile has %q %d times, want once:\n%s", s.shellenvLine(), n, profile)
	}
}

func TestBrewSecondRunChangesNothing(t *testing.T) {
	s := newBrewSandbox(t)
	if first := s.runBrew(); first.exitCode != 0 {
		t.Fatalf("first run failed:\n%s", first)
	}
	before := s.snapshot()
	callsBefore := len(s.calls())

	second := s.runBrew()

	if second.exitCode != 0 {
		t.Fatalf("second run failed:\n%s", second)
	}
	if got, want := second.lastLine(), "aisand: brew is ready"; got != want {
		t.Errorf("last line = %q, want %q", got, want)
	}
	compareSnapshots(t, before, s.snapshot())
	if calls := s.calls()[callsBefore:]; len(calls) != 0 {
		t.Errorf("second run called stand-ins: %q", calls)
	}
}

func TestBrewUsesBashProfileWhenPresent(t *testing.T) {
	s := newBrewSandbox(t)
	s.writeFile(filepath.Join(s.guestHome, ".bash_profile"), "# user's own\n")

	result := s.runBrew()

	if result.exitCode != 0 {
		t.Fatalf("install failed:\n%s", result)
	}
	bashProfile := s.readFile(filepath.Join(s.guestHome, ".bash_profile"))
	if !strings.Contains(bashProfile, s.shellenvLine()) {
		t.Errorf("~/.bash_profile lacks the shellenv line:\n%s", bashProfile)
	}
	if profile := s.readFile(filepath.Join(s.guestHome, ".profile")); profile != "# ~/.profile from /etc/skel\n" {
		t.Errorf("~/.profile changed although bash reads ~/.bash_profile at login:\n%s", profile)
	}
}

func TestBrewWaitsForAptLock(t *testing.T) {
	s := newBrewSandbox(t)
	s.writeFile(filepath.Join(s.fakeData, "apt-lock-failures"), "2")

	result := s.runBrew()

	if result.exitCode != 0 {
		t.Fatalf("install failed:\n%s", result)
	}
	if n := len(s.callsWithPrefix("apt-get ")); n != 4 {
		t.Errorf("apt-get ran %d times, want 2 locked attempts, update and install", n)
	}
	if !strings.Contains(result.stdout, "apt is locked by another process") {
		t.Errorf("output does not say that it waits for the lock:\n%s", result.stdout)
	}
}

func TestBrewGivesUpOnAptLock(t *testing.T) {
	s := newBrewSandbox(t)
	s.writeFile(filepath.Join(s.fakeData, "apt-lock-failures"), "1000")

	result := s.runBrew("AISAND_APT_LOCK_WAIT=0")

	if result.exitCode == 0 {
		t.Fatalf("install succeeded although apt stayed locked:\n%s", result)
	}
	if !strings.Contains(result.stderr, "timed out after 0 seconds of waiting for the apt lock") {
		t.Errorf("stderr does not say that the lock wait timed out:\n%s", result.stderr)
	}
	if calls := s.callsWithPrefix("brew-installer "); len(calls) != 0 {
		t.Errorf("installer ran although the prerequisites failed: %q", calls)
	}
}

func TestBrewAptFails(t *testing.T) {
	s := newBrewSandbox(t)
	s.writeFile(filepath.Join(s.fakeData, "apt-fails"), "")

	result := s.runBrew()

	if result.exitCode == 0 {
		t.Fatalf("install succeeded although apt-get failed:\n%s", result)
	}
	if !strings.Contains(result.stderr, "apt-get update failed (exit status 100)") {
		t.Errorf("stderr does not say which apt-get call failed:\n%s", result.stderr)
	}
	if !strings.Contains(result.stderr, "E: Failed to fetch") {
		t.Errorf("stderr lacks apt-get's own message:\n%s", result.stderr)
	}
	if n := len(s.callsWithPrefix("apt-get ")); n != 1 {
		t.Errorf("apt-get ran %d times, want once: a failure without a lock is not retried", n)
	}
}

func TestBrewInstallerFails(t *testing.T) {
	s := newBrewSandbox(t)
	s.writeInstaller("brew", `
echo "Error: Failed to clone the Homebrew repository" >&2
exit 7
`)

	result := s.runBrew()

	if result.exitCode == 0 {
		t.Fatalf("install succeeded although the installer failed:\n%s", result)
	}
	if !strings.Contains(result.stderr, "the Homebrew installer failed (exit status 7)") {
		t.Errorf("stderr does not say that the installer failed:\n%s", result.stderr)
	}
	if !strings.Contains(result.stderr, "Failed to clone the Homebrew repository") {
		t.Errorf("stderr lacks the installer's own message:\n%s", result.stderr)
	}
	if strings.Contains(result.stdout, "is ready") {
		t.Errorf("output claims the tool is ready:\n%s", result.stdout)
	}
	if profile := s.readFile(filepath.Join(s.guestHome, ".profile")); strings.Contains(profile, "shellenv") {
		t.Errorf("~/.profile got a shellenv line although brew is missing:\n%s", profile)
	}
}

func TestBrewInstallerLeavesNoBrew(t *testing.T) {
	s := newBrewSandbox(t)
	s.writeInstaller("brew", `echo "==> Installation successful!"`)

	result := s.runBrew()

	if result.exitCode == 0 {
		t.Fatalf("install succeeded although no brew exists:\n%s", result)
	}
	if !strings.Contains(result.stderr, "no brew executable was found") {
		t.Errorf("stderr does not say that brew is missing:\n%s", result.stderr)
	}
}
