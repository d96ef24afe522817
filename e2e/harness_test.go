// Package e2e drives the built aisand binary in tmux against the fake
// limactl, as a user would: keys in, screen text out.
package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/japacx/aisand/internal/limatest"
)

// aisandBin is built once by TestMain.
var aisandBin string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "e2e: tmux is required in CI but not on PATH")
			return 1
		}
		fmt.Fprintln(os.Stderr, "e2e: tmux not on PATH, skipping the end-to-end tests")
		return 0
	}
	dir, err := os.MkdirTemp("", "aisand-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	aisandBin = filepath.Join(dir, "aisand")
	if err := buildAisand(aisandBin, true); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// readSources reads every Go file and the module files of the repository.
// go test caches a result by the files a test opens, and the binary these
// tests run is built by a separate go build, so without this a changed
// source could leave a stale cached pass. It must run inside a test: go test
// records file access only once m.Run has started.
func readSources() error {
	_, thisFile, _, _ := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(thisFile))
	return filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		name := d.Name()
		if !d.IsDir() && (strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".sh") ||
			strings.HasSuffix(name, ".yaml") || name == "go.mod" || name == "go.sum") {
			_, err = os.ReadFile(path)
		}
		return err
	})
}

// buildAisand builds the binary. allowRoot links in the one switch that lets
// it run as root, because CI runs as root and the fake limactl allows it.
// extraLDFlags adds other linker settings.
func buildAisand(out string, allowRoot bool, extraLDFlags ...string) error {
	_, thisFile, _, _ := runtime.Caller(0)
	args := []string{"build", "-o", out}
	var ldflags []string
	if allowRoot {
		ldflags = append(ldflags, "-X github.com/japacx/aisand/internal/host.allowRootForTests=yes")
	}
	ldflags = append(ldflags, extraLDFlags...)
	if len(ldflags) > 0 {
		args = append(args, "-ldflags", strings.Join(ldflags, " "))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", append(args, ".")...)
	cmd.Dir = filepath.Dir(filepath.Dir(thisFile))
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build aisand: %v\n%s", err, b)
	}
	return nil
}

// session is aisand running in a private tmux server.
type session struct {
	t      *testing.T
	socket string
	fake   *limatest.Fake
	state  string // XDG_STATE_HOME, where aisand writes its log
}

// screenTimeout bounds every wait for text; generous, because a loaded CI
// machine may be slow to start a process.
const screenTimeout = 20 * time.Second

// start runs bin in tmux at 100×30 with the fake's environment plus env.
func start(t *testing.T, fake *limatest.Fake, bin string, env ...string) *session {
	t.Helper()
	return startCommand(t, fake, []string{bin}, env...)
}

// startInShell runs bin under a shell that stays after it and prints its
// exit status, as a user's shell would. Unlike start, bin is then not the
// terminal's session leader, so its exit hangs nothing up: whatever it
// leaves running goes on running.
func startInShell(t *testing.T, fake *limatest.Fake, bin string, env ...string) *session {
	t.Helper()
	script := `"$0"; echo "aisand exited with status $?"
if stty -a | grep -q -w -e -icanon -e -echo; then echo "terminal mode: raw"; else echo "terminal mode: cooked"; fi
exec sleep 600`
	return startCommand(t, fake, []string{"/bin/sh", "-c", script, bin}, env...)
}

var readSourcesOnce sync.Once

func startCommand(t *testing.T, fake *limatest.Fake, command []string, env ...string) *session {
	readSourcesOnce.Do(func() {
		if err := readSources(); err != nil {
			t.Fatalf("read the sources: %v", err)
		}
	})
	t.Helper()
	dir := t.TempDir()
	s := &session{t: t, socket: filepath.Join(dir, "tmux.sock"), fake: fake, state: filepath.Join(dir, "state")}
	vars := []string{"TERM=xterm-256color", "XDG_STATE_HOME=" + s.state, "PATH=" + pathWithFakeQEMU(t)}
	if fake != nil {
		vars = append(vars, fake.Env()...)
		vars = append(vars, "AISAND_LIMACTL="+fake.Bin)
	}
	vars = append(vars, env...)
	args := []string{"new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", "env", "-i"}
	args = append(args, vars...)
	args = append(args, command...)
	s.tmux(args...)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("aisand log:\n%s", s.log())
		}
		_ = exec.Command("tmux", "-S", s.socket, "kill-server").Run()
	})
	return s
}

func (s *session) tmux(args ...string) string {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "tmux", append([]string{"-S", s.socket}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// keys sends each key to aisand, in tmux's key names (Enter, Escape, Up).
func (s *session) keys(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		s.tmux("send-keys", "-t", "e2e", k)
		// One key per write, so the program reads each as its own event.
		time.Sleep(30 * time.Millisecond)
	}
}

func (s *session) screen() string {
	s.t.Helper()
	return s.tmux("capture-pane", "-p", "-t", "e2e")
}

// waitFor waits until the screen contains every one of texts and returns it.
func (s *session) waitFor(texts ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(screenTimeout)
	var screen string
	for time.Now().Before(deadline) {
		screen = s.screen()
		if containsAll(screen, texts) {
			return screen
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("screen never showed %q; last screen:\n%s", texts, screen)
	return ""
}

// waitGone waits until the screen no longer contains text.
func (s *session) waitGone(text string) string {
	s.t.Helper()
	deadline := time.Now().Add(screenTimeout)
	var screen string
	for time.Now().Before(deadline) {
		screen = s.screen()
		if !strings.Contains(screen, text) {
			return screen
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("screen still shows %q:\n%s", text, screen)
	return ""
}

// waitExit waits until aisand has quit and tmux closed its pane.
func (s *session) waitExit() {
	s.t.Helper()
	deadline := time.Now().Add(screenTimeout)
	for time.Now().Before(deadline) {
		if exec.Command("tmux", "-S", s.socket, "has-session", "-t", "e2e").Run() != nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("aisand did not quit; screen:\n%s", s.screen())
}

func (s *session) log() string {
	b, _ := os.ReadFile(filepath.Join(s.state, "aisand", "aisand.log"))
	return string(b)
}

func containsAll(screen string, texts []string) bool {
	for _, text := range texts {
		if !strings.Contains(screen, text) {
			return false
		}
	}
	return true
}

// argvs returns the argument lists the fake received, each joined by spaces.
func argvs(t *testing.T, fake *limatest.Fake) []string {
	t.Helper()
	var out []string
	for _, c := range fake.Calls(t) {
		out = append(out, strings.Join(c.Argv, " "))
	}
	return out
}

// hasCall reports whether the fake received exactly argv.
func hasCall(t *testing.T, fake *limatest.Fake, argv string) bool {
	t.Helper()
	for _, c := range argvs(t, fake) {
		if c == argv {
			return true
		}
	}
	return false
}
