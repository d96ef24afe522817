package ui

import (
	"context"
	"io"
	"os/exec"
	"strings"
	"sync"

	"github.com/japacx/aisand/internal/lima"
)

// stubLimactl stands in for limactl in Update tests: it returns canned
// results and records each call.
type stubLimactl struct {
	mu      sync.Mutex
	list    lima.ListResult
	version lima.Version
	verErr  error
	calls   []string
	// release, when set, holds Start until it is closed.
	release chan struct{}
	failErr error
}

func (s *stubLimactl) record(call string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, call)
}

func (s *stubLimactl) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

func (s *stubLimactl) Version(context.Context) (lima.Version, error) {
	s.record("--version")
	return s.version, s.verErr
}

func (s *stubLimactl) List(context.Context) lima.ListResult {
	s.record("list")
	return s.list
}

func (s *stubLimactl) Start(ctx context.Context, name string, onLine func(lima.Line)) error {
	s.record("start " + name)
	onLine(lima.Line{Text: `time="t" level=info msg="Starting the instance"`, Stderr: true})
	if s.release != nil {
		select {
		case <-s.release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return s.failErr
}

func (s *stubLimactl) Stop(_ context.Context, name string, force bool, onLine func(lima.Line)) error {
	s.record(map[bool]string{true: "stop --force ", false: "stop "}[force] + name)
	return s.failErr
}

func (s *stubLimactl) Delete(_ context.Context, name string, force bool, onLine func(lima.Line)) error {
	s.record(map[bool]string{true: "delete --force ", false: "delete "}[force] + name)
	return s.failErr
}

func (s *stubLimactl) Create(_ context.Context, o lima.CreateOptions, onLine func(lima.Line)) error {
	s.record("create " + o.Name)
	return s.failErr
}

func (s *stubLimactl) Edit(_ context.Context, name, _ string, flags []string, onLine func(lima.Line)) error {
	s.record("edit " + strings.Join(flags, " ") + " " + name)
	return s.failErr
}

func (s *stubLimactl) Run(_ context.Context, name string, _ io.Reader, onLine func(lima.Line), command ...string) error {
	s.record("shell " + name + " -- " + strings.Join(command, " "))
	return s.failErr
}

func (s *stubLimactl) ShellCommand(name string) *exec.Cmd {
	s.record("shell " + name)
	return exec.Command("true")
}
