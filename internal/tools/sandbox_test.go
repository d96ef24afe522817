package tools

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sandbox is a fake guest for running the embedded scripts with bash on this
// machine. PATH holds only the stand-ins below and links to the few system
// programs the scripts need, so no script can reach the real apt-get, sudo,
// curl or network.
type sandbox struct {
	t         *testing.T
	guestHome string
	hostHome  string
	fakeBin   string
	fakeData  string // files that configure the stand-ins
	logFile   string // each stand-in appends one line per call
	tempDir   string // TMPDIR of the scripts
	bash      string
	env       []string
}

// systemPrograms are the programs the scripts and stand-ins may use.
var systemPrograms = []string{
	"bash", "cat", "chmod", "cp", "date", "dirname", "env", "grep", "ln",
	"mkdir", "mktemp", "mv", "readlink", "rm", "sleep",
}

const scriptTimeout = 30 * time.Second

func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	root := t.TempDir()
	s := &sandbox{
		t:         t,
		guestHome: filepath.Join(root, "guest", "alice.guest"),
		hostHome:  filepath.Join(root, "host", "alice"),
		fakeBin:   filepath.Join(root, "fake-bin"),
		fakeData:  filepath.Join(root, "fake-data"),
		logFile:   filepath.Join(root, "calls.log"),
	}
	systemBin := filepath.Join(root, "system-bin")
	s.tempDir = filepath.Join(root, "tmp")
	for _, dir := range []string{s.guestHome, s.hostHome, s.fakeBin, s.fakeData, systemBin, s.tempDir} {
		mustMkdirAll(t, dir)
	}

	for _, program := range systemPrograms {
		found, err := exec.LookPath(program)
		if err != nil {
			t.Skipf("%s is not installed: %v", program, err)
		}
		if err := os.Symlink(found, filepath.Join(systemBin, program)); err != nil {
			t.Fatal(err)
		}
	}
	s.bash = filepath.Join(systemBin, "bash")

	s.writeStandIns()
	s.env = []string{
		"PATH=" + s.fakeBin + ":" + systemBin,
		"HOME=" + s.guestHome,
		"SHELL=/bin/bash",
		"TMPDIR=" + s.tempDir,
		"LC_ALL=C",
		"FAKE_DATA=" + s.fakeData,
		"FAKE_LOG=" + s.logFile,
		"AISAND_APT_RETRY_PAUSE=0",
	}
	return s
}

// writeStandIns writes fake sudo, apt-get, dpkg-query and curl. The fake
// curl serves FAKE_DATA/brew-installer.sh and FAKE_DATA/opencode-installer.sh
// for the two installer URLs and fails like an HTTP 404 when the file is
// missing. The fake apt-get records installed packages in
// FAKE_DATA/dpkg-installed, which the fake dpkg-query reads.
func (s *sandbox) writeStandIns() {
	s.writeExecutable(filepath.Join(s.fakeBin, "sudo"), `
echo "sudo $*" >>"$FAKE_LOG"
if [[ $1 == -n ]]; then shift; fi
exec "$@"
`)
	s.writeExecutable(filepath.Join(s.fakeBin, "apt-get"), `
echo "apt-get DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-} $*" >>"$FAKE_LOG"
if [[ -f $FAKE_DATA/apt-lock-failures ]]; then
	left=$(cat "$FAKE_DATA/apt-lock-failures")
	if ((left > 0)); then
		echo $((left - 1)) >"$FAKE_DATA/apt-lock-failures"
		echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)" >&2
		echo "E: Unable to lock directory /var/lib/apt/lists/" >&2
		exit 100
	fi
fi
if [[ -f $FAKE_DATA/apt-fails ]]; then
	echo "E: Failed to fetch http://archive.example/dists/InRelease" >&2
	exit 100
fi
command=""
while (($#)); do
	case $1 in
	-o) shift 2 ;;
	-*) shift ;;
	*)
		if [[ -z $command ]]; then
			command=$1
		elif [[ $command == install ]]; then
			echo "$1" >>"$FAKE_DATA/dpkg-installed"
		fi
		shift
		;;
	esac
done
`)
	s.writeExecutable(filepath.Join(s.fakeBin, "dpkg-query"), `
package=${!#}
if [[ -f $FAKE_DATA/dpkg-installed ]] && grep -qxF -- "$package" "$FAKE_DATA/dpkg-installed"; then
	printf 'install ok installed'
	exit 0
fi
echo "dpkg-query: no packages found matching $package" >&2
exit 1
`)
	s.writeExecutable(filepath.Join(s.fakeBin, "curl"), `
output="" url=""
while (($#)); do
	case $1 in
	-o) output=$2; shift 2 ;;
	--proto | --retry) shift 2 ;;
	-*) shift ;;
	*) url=$1; shift ;;
	esac
done
echo "curl $url" >>"$FAKE_LOG"
case $url in
https://raw.githubusercontent.com/Homebrew/install/HEAD/install.sh) source_file=$FAKE_DATA/brew-installer.sh ;;
https://opencode.ai/install) source_file=$FAKE_DATA/opencode-installer.sh ;;
*) echo "curl: (6) Could not resolve host in $url" >&2; exit 6 ;;
esac
if [[ ! -f $source_file ]]; then
	echo "curl: (22) The requested URL returned error: 404" >&2
	exit 22
fi
cp "$source_file" "$output"
`)
}

// writeExecutable writes a bash script with the given body.
func (s *sandbox) writeExecutable(path, body string) {
	s.t.Helper()
	mustMkdirAll(s.t, filepath.Dir(path))
	content := "#!" + s.bash + "\nset -euo pipefail\n" + strings.TrimPrefix(body, "\n")
	if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
		s.t.Fatal(err)
	}
}

// writeInstaller makes the fake curl serve an installer with this body, run
// by bash. name is "brew" or "opencode".
func (s *sandbox) writeInstaller(name, body string) {
	s.t.Helper()
	path := filepath.Join(s.fakeData, name+"-installer.sh")
	if err := os.WriteFile(path, []byte(strings.TrimPrefix(body, "\n")), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

type runResult struct {
	stdout, stderr string
	exitCode       int
}

// lastLine returns the last non-empty line of stdout.
func (r runResult) lastLine() string {
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	return lines[len(lines)-1]
}

func (r runResult) String() string {
	return fmt.Sprintf("exit status %d\n--- stdout\n%s--- stderr\n%s", r.exitCode, r.stdout, r.stderr)
}

// run feeds the script to `bash -s ARGS...` on stdin, as limactl shell does,
// and checks that the script removed its temporary files.
func (s *sandbox) run(script []byte, extraEnv []string, args ...string) runResult {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), scriptTimeout)
	defer cancel()

	command := exec.CommandContext(ctx, s.bash, append([]string{"-s"}, args...)...)
	command.Dir = "/"
	command.Env = append(append([]string(nil), s.env...), extraEnv...)
	command.Stdin = bytes.NewReader(script)
	var stdout, stderr bytes.Buffer
	command.Stdout = &stdout
	command.Stderr = &stderr

	err := command.Run()
	result := runResult{stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		result.exitCode = exitErr.ExitCode()
	default:
		s.t.Fatalf("running bash: %v", err)
	}
	if ctx.Err() != nil {
		s.t.Fatalf("the script did not finish within %s\n%s", scriptTimeout, result)
	}

	leftovers, err := os.ReadDir(s.tempDir)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, entry := range leftovers {
		s.t.Errorf("the script left %s in TMPDIR", entry.Name())
	}
	return result
}

// calls returns the lines the stand-ins logged so far.
func (s *sandbox) calls() []string {
	s.t.Helper()
	content, err := os.ReadFile(s.logFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		s.t.Fatal(err)
	}
	return strings.Split(strings.TrimRight(string(content), "\n"), "\n")
}

// callsWithPrefix returns the logged lines that start with prefix.
func (s *sandbox) callsWithPrefix(prefix string) []string {
	var matching []string
	for _, call := range s.calls() {
		if strings.HasPrefix(call, prefix) {
			matching = append(matching, call)
		}
	}
	return matching
}

// snapshot describes every entry under the guest and host homes: its type,
// permission bits, link target or file content.
func (s *sandbox) snapshot() map[string]string {
	s.t.Helper()
	entries := make(map[string]string)
	for _, root := range []string{s.guestHome, s.hostHome} {
		err := filepath.WalkDir(root, func(path string, entry fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := entry.Info()
			if err != nil {
				return err
			}
			description := info.Mode().String()
			switch {
			case info.Mode()&fs.ModeSymlink != 0:
				target, err := os.Readlink(path)
				if err != nil {
					return err
				}
				description += " -> " + target
			case info.Mode().IsRegular():
				content, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				description += " " + string(content)
			}
			entries[path] = description
			return nil
		})
		if err != nil {
			s.t.Fatal(err)
		}
	}
	return entries
}

func (s *sandbox) writeFile(path, content string) {
	s.t.Helper()
	mustMkdirAll(s.t, filepath.Dir(path))
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

func (s *sandbox) readFile(path string) string {
	s.t.Helper()
	content, err := os.ReadFile(path)
	if err != nil {
		s.t.Fatal(err)
	}
	return string(content)
}

func mustMkdirAll(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

// compareSnapshots reports every entry that differs between two snapshots.
func compareSnapshots(t *testing.T, before, after map[string]string) {
	t.Helper()
	for path, description := range before {
		if got, ok := after[path]; !ok {
			t.Errorf("%s disappeared (was %q)", path, description)
		} else if got != description {
			t.Errorf("%s changed from %q to %q", path, description, got)
		}
	}
	for path, description := range after {
		if _, ok := before[path]; !ok {
			t.Errorf("%s appeared (%q)", path, description)
		}
	}
}

func mustLookup(t *testing.T, name string) Tool {
	t.Helper()
	tool, ok := Lookup(name)
	if !ok {
		t.Fatalf("tool %q is not in the catalog", name)
	}
	return tool
}

func mustInstallArgs(t *testing.T, tool Tool, s *sandbox) []string {
	t.Helper()
	args, err := tool.InstallArgs(Homes{Guest: s.guestHome, Host: s.hostHome})
	if err != nil {
		t.Fatal(err)
	}
	return args
}
