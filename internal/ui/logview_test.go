package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/ops"
)

func TestCleanOutput(t *testing.T) {
	cases := map[string]string{
		"plain":                    "plain",
		"a\tb":                     "a    b",
		"10%\r50%\r100%":           "100%",
		"done\r\n":                 "done",
		"\x1b[31mred\x1b[0m text":  "red text",
		"bell\x07 and \x00nul":     "bell and nul",
		"progress 1\rprogress 2\r": "progress 2",
	}
	for in, want := range cases {
		if got := cleanOutput(in); got != want {
			t.Errorf("cleanOutput(%q) = %q, want %q", in, got, want)
		}
	}
}

// runToEnd starts fn as an operation in a's log view and feeds its output
// until it ends.
func runToEnd(t *testing.T, a *App, fn ops.Func) {
	t.Helper()
	cmd := a.runOperation(ops.Spec{Title: "Test op", Instance: "agent-01", Run: fn})
	finishOperation(t, a, cmd)
}

func TestLogViewWrapsLongFailure(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 60, 20)
	msg := "instance `web` directory `/home/tester/.lima/web` exists but its `lima.yaml` could not be read; If no `limactl` operation is using it, remove it manually"
	runToEnd(t, a, func(context.Context, func(lima.Line)) error {
		return &lima.Error{Op: "delete", Instance: "web", ExitCode: 1, Message: msg}
	})
	s := screen(a)
	if !strings.Contains(s, "remove it") || !strings.Contains(s, "manually") {
		t.Errorf("the end of a long failure is cut:\n%s", s)
	}
	if got := strings.Count(s, "\n") + 1; got != 20 {
		t.Errorf("log view is %d lines high, want the screen's 20", got)
	}
}

func TestLogViewScrollStaysOnLines(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 80, 12)
	release := make(chan struct{})
	cmd := a.runOperation(ops.Spec{Title: "Test op", Instance: "agent-01", Run: func(ctx context.Context, emit func(lima.Line)) error {
		for i := range 20 {
			emit(lima.Line{Text: "line " + itoa(i)})
		}
		<-release
		emit(lima.Line{Text: "last line"})
		return nil
	}})
	a.Update(cmd())
	press(a, "up", "up")
	if a.logView.scroll != 2 {
		t.Fatalf("scroll = %d after two ups", a.logView.scroll)
	}
	close(release)
	finishOperation(t, a, waitOutput(a.logView.op, a.logView.total))
	if a.logView.scroll != 3 {
		t.Errorf("scroll = %d, want 3 so the same lines stay in view", a.logView.scroll)
	}
	s := screen(a)
	if strings.Contains(s, "last line") {
		t.Errorf("a scrolled view jumped to the end:\n%s", s)
	}
	if !strings.Contains(s, "3 more lines below") {
		t.Errorf("no mark of the lines below:\n%s", s)
	}
	press(a, "end")
	if !strings.Contains(screen(a), "last line") {
		t.Error("end does not show the last line")
	}
}

func TestLogViewQuitCancels(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 80, 20)
	cmd := a.runOperation(ops.Spec{Title: "Install", Run: func(ctx context.Context, emit func(lima.Line)) error {
		emit(lima.Line{Text: "installing"})
		<-ctx.Done()
		return ctx.Err()
	}})
	a.Update(cmd())
	press(a, "q")
	if a.logView == nil || a.logView.quitting {
		t.Fatal("q acted on an operation that cannot be stopped")
	}
	a.logView.quitCancels = true
	press(a, "q")
	if !strings.Contains(screen(a), "Stopping, then quitting") {
		t.Errorf("no word that aisand is stopping:\n%s", screen(a))
	}
	var last any
	next := waitOutput(a.logView.op, a.logView.total)
	for range 10 {
		_, next = a.Update(next())
		if a.logView.done {
			last = next()
			break
		}
	}
	if !isQuitMsg(last) {
		t.Errorf("after the operation ended the app did not quit: %T", last)
	}
}

func TestLogViewNoScrollWhenAllFits(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 80, 20)
	runToEnd(t, a, func(_ context.Context, emit func(lima.Line)) error {
		emit(lima.Line{Text: "first"})
		emit(lima.Line{Text: "aisand: opencode is ready"})
		return nil
	})
	press(a, "up", "up", "up")
	if a.logView.scroll != 0 {
		t.Errorf("scroll = %d with every line on screen", a.logView.scroll)
	}
	if !strings.Contains(screen(a), "aisand: opencode is ready") {
		t.Errorf("the last line is hidden:\n%s", screen(a))
	}
}

func TestLogViewWrapsLongLines(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 60, 20)
	runToEnd(t, a, func(_ context.Context, emit func(lima.Line)) error {
		emit(lima.Line{Text: "✓ Added /tmp/ut-round2/work/beta read-write at /tmp/ut-round2/work/beta to the mount list of cancel2"})
		return nil
	})
	s := screen(a)
	if !strings.Contains(s, "mount list of cancel2") {
		t.Errorf("a long output line lost its end:\n%s", s)
	}
}

func TestLogViewSaysWhyKeyWaits(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 100, 20)
	release := make(chan struct{})
	defer close(release)
	cmd := a.runOperation(ops.Spec{Title: "Start", Instance: "agent-02", Run: func(ctx context.Context, emit func(lima.Line)) error {
		<-release
		return nil
	}})
	_ = cmd
	press(a, "q")
	if a.logView == nil {
		t.Fatal("q left a running operation")
	}
	if !strings.Contains(screen(a), "q waits: this work cannot be interrupted") {
		t.Errorf("no word on why q did nothing:\n%s", screen(a))
	}
}
