package tools

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeOpencodeInstaller replaces https://opencode.ai/install in tests. It reads
// its stdin, which must not be the rest of the script, and installs a fake
// opencode where the real installer does.
const fakeOpencodeInstaller = `
echo "opencode-installer HOME=$HOME args=$*" >>"$FAKE_LOG"
cat >"$FAKE_DATA/installer-stdin"
mkdir -p "$HOME/.opencode/bin"
printf '#!/bin/sh\necho 1.0.0\n' >"$HOME/.opencode/bin/opencode"
chmod 755 "$HOME/.opencode/bin/opencode"
echo "fake installer: installed opencode 1.0.0"
`

// newOpencodeSandbox returns a sandbox whose host home has an OpenCode
// config and credentials, and whose guest home has Ubuntu's ~/.profile.
func newOpencodeSandbox(t *testing.T) *sandbox {
	s := newSandbox(t)
	s.writeInstaller("opencode", fakeOpencodeInstaller)
	s.writeFile(filepath.Join(s.hostHome, ".config/opencode/opencode.json"), `{"model": "host"}`)
	s.writeFile(filepath.Join(s.hostHome, ".local/share/opencode/auth.json"), `{"provider": "host key"}`)
	s.writeFile(filepath.Join(s.guestHome, ".profile"), "# ~/.profile from /etc/skel\n")
	return s
}

func (s *sandbox) runOpencode() runResult {
	s.t.Helper()
	tool := mustLookup(s.t, "opencode")
	return s.run(tool.InstallScript(), nil, mustInstallArgs(s.t, tool, s)...)
}

// checkLink fails unless path is a symbolic link to target.
func checkLink(t *testing.T, path, target string) {
	t.Helper()
	got, err := os.Readlink(path)
	if err != nil {
		t.Errorf("%s is not a symbolic link: %v", path, err)
		return
	}
	if got != target {
		t.Errorf("%s links to %s, want %s", path, got, target)
	}
}

// backups returns the moved-aside copies of path.
func backups(t *testing.T, path string) []string {
	t.Helper()
	matches, err := filepath.Glob(path + ".aisand-backup-*")
	if err != nil {
		t.Fatal(err)
	}
	return matches
}

func TestOpencodeFreshInstall(t *testing.T) {
	s := newOpencodeSandbox(t)

	result := s.runOpencode()

	if result.exitCode != 0 {
		t.Fatalf("install failed:\n%s", result)
	}
	if got, want := result.lastLine(), "aisand: opencode is ready"; got != want {
		t.Errorf("last line = %q, want %q", got, want)
	}
	installerCalls := s.callsWithPrefix("opencode-installer ")
	if len(installerCalls) != 1 {
		t.Fatalf("installer ran %d times, want once: %q", len(installerCalls), s.calls())
	}
	if !strings.Contains(installerCalls[0], "HOME="+s.guestHome+" ") {
		t.Errorf("installer ran with %q, want HOME=%s", installerCalls[0], s.guestHome)
	}
	if !strings.Contains(installerCalls[0], "--no-modify-path") {
		t.Errorf("installer ran with %q, want --no-modify-path", installerCalls[0])
	}
	if stdin := s.readFile(filepath.Join(s.fakeData, "installer-stdin")); stdin != "" {
		t.Errorf("installer read %d bytes of stdin, want none", len(stdin))
	}

	checkLink(t, filepath.Join(s.guestHome, ".config/opencode"), filepath.Join(s.hostHome, ".config/opencode"))
	checkLink(t, filepath.Join(s.guestHome, ".local/share/opencode/auth.json"),
		filepath.Join(s.hostHome, ".local/share/opencode/auth.json"))
	if got := s.readFile(filepath.Join(s.guestHome, ".config/opencode/opencode.json")); got != `{"model": "host"}` {
		t.Errorf("the host config read through the link is %q", got)
	}

	profile := s.readFile(filepath.Join(s.guestHome, ".profile"))
	if n := strings.Count(profile, `export PATH="$HOME/.opencode/bin:$PATH"`); n != 1 {
		t.Errorf("~/.profile has the PATH line %d times, want once:\n%s", n, profile)
	}
	if strings.Contains(result.stdout, "opencode auth login") {
		t.Errorf("output asks to configure the host although the host config exists:\n%s", result.stdout)
	}
}

func TestOpencodeSecondRunChangesNothing(t *testing.T) {
	s := newOpencodeSandbox(t)
	if first := s.runOpencode(); first.exitCode != 0 {
		t.Fatalf("first run failed:\n%s", first)
	}
	before := s.snapshot()
	callsBefore := len(s.calls())

	second := s.runOpencode()

	if second.exitCode != 0 {
		t.Fatalf("second run failed:\n%s", second)
	}
	if got, want := second.lastLine(), "aisand: opencode is ready"; got != want {
		t.Errorf("last line = %q, want %q", got, want)
	}
	compareSnapshots(t, before, s.snapshot())
	if calls := s.calls()[callsBefore:]; len(calls) != 0 {
		t.Errorf("second run called stand-ins: %q", calls)
	}
}

func TestOpencodeMovesExistingFilesAside(t *testing.T) {
	s := newOpencodeSandbox(t)
	guestConfig := filepath.Join(s.guestHome, ".config/opencode")
	guestAuth := filepath.Join(s.guestHome, ".local/share/opencode/auth.json")
	guestLog := filepath.Join(s.guestHome, ".local/share/opencode/log/today.log")
	s.writeFile(filepath.Join(guestConfig, "local.json"), "guest settings")
	s.writeFile(guestAuth, "guest key")
	s.writeFile(guestLog, "guest log")

	result := s.runOpencode()

	if result.exitCode != 0 {
		t.Fatalf("install failed:\n%s", result)
	}
	checkLink(t, guestConfig, filepath.Join(s.hostHome, ".config/opencode"))
	checkLink(t, guestAuth, filepath.Join(s.hostHome, ".local/share/opencode/auth.json"))

	configBackups := backups(t, guestConfig)
	if len(configBackups) != 1 {
		t.Fatalf("config backups = %q, want one", configBackups)
	}
	if got := s.readFile(filepath.Join(configBackups[0], "local.json")); got != "guest settings" {
		t.Errorf("moved-aside config holds %q, want the guest's settings", got)
	}
	authBackups := backups(t, guestAuth)
	if len(authBackups) != 1 {
		t.Fatalf("auth.json backups = %q, want one", authBackups)
	}
	if got := s.readFile(authBackups[0]); got != "guest key" {
		t.Errorf("moved-aside auth.json holds %q, want the guest's key", got)
	}
	if got := s.readFile(guestLog); got != "guest log" {
		t.Errorf("the guest's other OpenCode data changed to %q", got)
	}
	if !strings.Contains(result.stdout, "moved "+guestConfig+" aside to "+configBackups[0]) {
		t.Errorf("output does not say where the config went:\n%s", result.stdout)
	}

	before := s.snapshot()
	second := s.runOpencode()
	if second.exitCode != 0 {
		t.Fatalf("second run failed:\n%s", second)
	}
	compareSnapshots(t, before, s.snapshot())
	if got := backups(t, guestConfig); len(got) != 1 {
		t.Errorf("config backups after the second run = %q, want still one", got)
	}
}

func TestOpencodeReplacesForeignLink(t *testing.T) {
	s := newOpencodeSandbox(t)
	guestConfig := filepath.Join(s.guestHome, ".config/opencode")
	mustMkdirAll(t, filepath.Dir(guestConfig))
	if err := os.Symlink("/elsewhere/opencode", guestConfig); err != nil {
		t.Fatal(err)
	}

	result := s.runOpencode()

	if result.exitCode != 0 {
		t.Fatalf("install failed:\n%s", result)
	}
	checkLink(t, guestConfig, filepath.Join(s.hostHome, ".config/opencode"))
	moved := backups(t, guestConfig)
	if len(moved) != 1 {
		t.Fatalf("backups = %q, want one", moved)
	}
	checkLink(t, moved[0], "/elsewhere/opencode")
}

func TestOpencodeHostNotConfigured(t *testing.T) {
	s := newSandbox(t)
	s.writeInstaller("opencode", fakeOpencodeInstaller)

	result := s.runOpencode()

	if result.exitCode != 0 {
		t.Fatalf("install failed:\n%s", result)
	}
	if !strings.Contains(result.stdout, "Run 'opencode auth login' on the host once") {
		t.Errorf("output does not ask to configure OpenCode on the host:\n%s", result.stdout)
	}
	checkLink(t, filepath.Join(s.guestHome, ".config/opencode"), filepath.Join(s.hostHome, ".config/opencode"))
	checkLink(t, filepath.Join(s.guestHome, ".local/share/opencode/auth.json"),
		filepath.Join(s.hostHome, ".local/share/opencode/auth.json"))
	if got, want := result.lastLine(), "aisand: opencode is ready"; got != want {
		t.Errorf("last line = %q, want %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(s.guestHome, ".profile")); err != nil {
		t.Errorf("~/.profile was not created for the PATH line: %v", err)
	}
}

func TestOpencodeHostHomeNotMounted(t *testing.T) {
	s := newOpencodeSandbox(t)
	tool := mustLookup(t, "opencode")
	hostHome := filepath.Join(s.hostHome, "not-mounted")

	result := s.run(tool.InstallScript(), nil, s.guestHome, hostHome)

	if result.exitCode != 0 {
		t.Fatalf("install failed:\n%s", result)
	}
	if !strings.Contains(result.stdout, "the host home "+hostHome+" is not visible in this VM") {
		t.Errorf("output does not say that the host home is missing:\n%s", result.stdout)
	}
	checkLink(t, filepath.Join(s.guestHome, ".config/opencode"), filepath.Join(hostHome, ".config/opencode"))
}

func TestOpencodeInstallerFails(t *testing.T) {
	s := newOpencodeSandbox(t)
	s.writeInstaller("opencode", `
echo "fake installer: the release server is unreachable" >&2
exit 7
`)
	before := s.snapshot()

	result := s.runOpencode()

	if result.exitCode == 0 {
		t.Fatalf("install succeeded although the installer failed:\n%s", result)
	}
	if !strings.Contains(result.stderr, "the OpenCode installer failed (exit status 7)") {
		t.Errorf("stderr does not say that the installer failed:\n%s", result.stderr)
	}
	if !strings.Contains(result.stderr, "the release server is unreachable") {
		t.Errorf("stderr lacks the installer's own message:\n%s", result.stderr)
	}
	if strings.Contains(result.stdout, "is ready") {
		t.Errorf("output claims the tool is ready:\n%s", result.stdout)
	}
	compareSnapshots(t, before, s.snapshot())
}

func TestOpencodeDownloadFails(t *testing.T) {
	s := newSandbox(t)

	result := s.runOpencode()

	if result.exitCode == 0 {
		t.Fatalf("install succeeded although the download failed:\n%s", result)
	}
	want := "downloading the OpenCode installer from https://opencode.ai/install failed (curl exit status 22)"
	if !strings.Contains(result.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, result.stderr)
	}
}

func TestOpencodeRejectsBadArguments(t *testing.T) {
	s := newOpencodeSandbox(t)
	script := mustLookup(t, "opencode").InstallScript()
	cases := map[string][]string{
		"no arguments":        nil,
		"one argument":        {s.guestHome},
		"relative guest home": {"alice.guest", s.hostHome},
		"relative host home":  {s.guestHome, "alice"},
		"missing guest home":  {filepath.Join(s.guestHome, "nosuch"), s.hostHome},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			result := s.run(script, nil, args...)
			if result.exitCode == 0 {
				t.Fatalf("script accepted %q:\n%s", args, result)
			}
			if !strings.HasPrefix(result.stderr, "aisand: ") {
				t.Errorf("stderr does not explain the rejection:\n%s", result.stderr)
			}
		})
	}
	if calls := s.calls(); len(calls) != 0 {
		t.Errorf("rejected runs called stand-ins: %q", calls)
	}
}
