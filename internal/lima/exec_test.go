package lima

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// scriptClient returns a client whose limactl is the given sh script.
func scriptClient(t *testing.T, body string) *Client {
	t.Helper()
	path := filepath.Join(t.TempDir(), "limactl")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return New(path)
}

func TestRunStreamsStdoutAndStderrApart(t *testing.T) {
	cl := scriptClient(t, `echo out1; echo err1 >&2; echo out2`)
	var lines []Line
	err := cl.Start(context.Background(), "fx1", func(l Line) { lines = append(lines, l) })
	if err != nil {
		t.Fatal(err)
	}
	var out, errs []string
	for _, l := range lines {
		if l.Stderr {
			errs = append(errs, l.Text)
		} else {
			out = append(out, l.Text)
		}
	}
	if strings.Join(out, ",") != "out1,out2" || strings.Join(errs, ",") != "err1" {
		t.Errorf("stdout %q stderr %q", out, errs)
	}
}

func TestRunPassesArgvAndStdin(t *testing.T) {
	dir := t.TempDir()
	cl := scriptClient(t, `printf '%s\n' "$@" > "$ARGV_FILE"; cat > "$STDIN_FILE"`)
	cl.Env = []string{"ARGV_FILE=" + filepath.Join(dir, "argv"), "STDIN_FILE=" + filepath.Join(dir, "stdin")}
	err := cl.Create(context.Background(), CreateOptions{Name: "vm 1", CPUs: 2, MemoryGB: 4, DiskGB: 20, Template: []byte("images: []\n")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	argv, _ := os.ReadFile(filepath.Join(dir, "argv"))
	want := "create\n--tty=false\n--name\nvm 1\n--cpus\n2\n--memory\n4\n--disk\n20\n-\n"
	if string(argv) != want {
		t.Errorf("argv = %q, want %q", argv, want)
	}
	stdin, _ := os.ReadFile(filepath.Join(dir, "stdin"))
	if string(stdin) != "images: []\n" {
		t.Errorf("stdin = %q", stdin)
	}
}

func TestRunWithoutStdinReadsNothing(t *testing.T) {
	cl := scriptClient(t, `if read -r line; then echo "got $line" >&2; exit 1; fi`)
	if err := cl.Start(context.Background(), "fx1", nil); err != nil {
		t.Errorf("limactl read something from stdin: %v", err)
	}
}

func TestRunFailureCarriesFatalMessage(t *testing.T) {
	cl := scriptClient(t, `echo 'time="t" level=info msg="starting"' >&2
echo 'time="t" level=fatal msg="expected status `+"`Running`"+`, got `+"`Stopped`"+`"' >&2
exit 1`)
	err := cl.Stop(context.Background(), "fx1", false, nil)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *Error", err)
	}
	if e.ExitCode != 1 || e.Kind != KindWrongStatus || e.Message != "expected status `Running`, got `Stopped`" {
		t.Errorf("error = %+v", e)
	}
	if len(e.Stderr) != 2 {
		t.Errorf("stderr kept = %q", e.Stderr)
	}
}

func TestRunTimesOut(t *testing.T) {
	cl := scriptClient(t, `exec sleep 30`)
	cl.Timeouts.Query = 200 * time.Millisecond
	res := cl.List(context.Background())
	var e *Error
	if !errors.As(res.Err, &e) {
		t.Fatalf("error %v is not an *Error", res.Err)
	}
	if e.Kind != KindTimeout || !strings.Contains(e.Error(), "timed out") {
		t.Errorf("error = %v (kind %v)", e, e.Kind)
	}
}

func TestRunCancelInterrupts(t *testing.T) {
	dir := t.TempDir()
	mark := filepath.Join(dir, "interrupted")
	cl := scriptClient(t, `trap 'touch "$MARK"; exit 130' INT; echo ready; while :; do sleep 0.05; done`)
	cl.Env = []string{"MARK=" + mark}
	ctx, cancel := context.WithCancel(context.Background())
	err := cl.Start(ctx, "fx1", func(l Line) {
		if l.Text == "ready" {
			cancel()
		}
	})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindCanceled {
		t.Fatalf("error = %v, want a canceled *Error", err)
	}
	if _, statErr := os.Stat(mark); statErr != nil {
		t.Error("limactl did not get SIGINT before it ended")
	}
}

func TestListReturnsPartialOnFailure(t *testing.T) {
	cl := scriptClient(t, `echo '{"name":"a","status":"Running"}'
echo 'time="t" level=fatal msg="something broke"' >&2
exit 1`)
	res := cl.List(context.Background())
	if len(res.Instances) != 1 {
		t.Errorf("instances = %+v", res.Instances)
	}
	if res.Err == nil || !strings.Contains(res.Err.Error(), "something broke") {
		t.Errorf("error = %v", res.Err)
	}
}

func TestFindHonoursEnv(t *testing.T) {
	cl := scriptClient(t, `true`)
	t.Setenv(EnvLimactl, cl.Path)
	got, err := Find()
	if err != nil || got != cl.Path {
		t.Errorf("Find() = %q, %v; want %q", got, err, cl.Path)
	}
	t.Setenv(EnvLimactl, filepath.Join(t.TempDir(), "missing"))
	if _, err := Find(); err == nil {
		t.Error("Find() accepted a missing file")
	}
	t.Setenv(EnvLimactl, "")
	t.Setenv("PATH", t.TempDir())
	if _, err := Find(); !errors.Is(err, ErrNotFound) {
		t.Errorf("Find() with no limactl on PATH = %v", err)
	}
}

func TestCloseKillsRunningQuery(t *testing.T) {
	cl := scriptClient(t, `exec sleep 30`)
	done := make(chan ListResult)
	go func() { done <- cl.List(context.Background()) }()
	time.Sleep(100 * time.Millisecond) // let the call start
	cl.Close(5 * time.Second)
	select {
	case res := <-done:
		if res.Err == nil {
			t.Error("a killed list returned no error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close left the list call running")
	}
	if res := cl.List(context.Background()); res.Err == nil {
		t.Error("a closed client still runs calls")
	}
}
