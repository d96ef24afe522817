package ops

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/japacx/aisand/internal/lima"
)

// blockUntil returns a Func that emits lines then waits for release or
// cancellation.
func blockUntil(release <-chan struct{}, lines ...string) Func {
	return func(ctx context.Context, emit func(lima.Line)) error {
		for _, l := range lines {
			emit(lima.Line{Text: l})
		}
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func waitDone(t *testing.T, op *Operation) Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	seen := 0
	for {
		_, total, done := op.Wait(ctx, seen)
		if done {
			return op.Snapshot()
		}
		if ctx.Err() != nil {
			t.Fatal("operation did not end")
		}
		seen = total
	}
}

func TestOperationSucceedsWithLines(t *testing.T) {
	m := NewManager(nil)
	release := make(chan struct{})
	close(release)
	op, err := m.Start(Spec{Title: "Start fx1", Instance: "fx1", Run: blockUntil(release, "a", "b")})
	if err != nil {
		t.Fatal(err)
	}
	snap := waitDone(t, op)
	if snap.Status != Succeeded || snap.Err != nil {
		t.Errorf("status %v err %v", snap.Status, snap.Err)
	}
	if len(snap.Lines) != 2 || snap.Lines[1].Text != "b" {
		t.Errorf("lines = %+v", snap.Lines)
	}
}

func TestOperationFailsWithError(t *testing.T) {
	m := NewManager(nil)
	boom := errors.New("boom")
	op, _ := m.Start(Spec{Title: "x", Instance: "fx1", Run: func(context.Context, func(lima.Line)) error { return boom }})
	snap := waitDone(t, op)
	if snap.Status != Failed || !errors.Is(snap.Err, boom) {
		t.Errorf("status %v err %v", snap.Status, snap.Err)
	}
}

func TestOperationPanicBecomesFailure(t *testing.T) {
	m := NewManager(nil)
	op, _ := m.Start(Spec{Title: "x", Instance: "fx1", Run: func(context.Context, func(lima.Line)) error { panic("oops") }})
	snap := waitDone(t, op)
	if snap.Status != Failed || snap.Err == nil {
		t.Errorf("status %v err %v", snap.Status, snap.Err)
	}
	if m.Running() != 0 {
		t.Error("a panicked operation still counts as running")
	}
}

func TestOperationCancel(t *testing.T) {
	m := NewManager(nil)
	op, _ := m.Start(Spec{Title: "x", Instance: "fx1", Run: blockUntil(make(chan struct{}))})
	op.Cancel()
	if snap := waitDone(t, op); snap.Status != Canceled {
		t.Errorf("status = %v, want canceled", snap.Status)
	}
}

func TestManagerOneOperationPerInstance(t *testing.T) {
	m := NewManager(nil)
	release := make(chan struct{})
	first, err := m.Start(Spec{Title: "Start fx1", Instance: "fx1", Run: blockUntil(release)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Start(Spec{Title: "Stop fx1", Instance: "fx1", Run: blockUntil(release)}); !errors.Is(err, ErrBusy) {
		t.Errorf("second operation on fx1: err = %v, want ErrBusy", err)
	}
	other, err := m.Start(Spec{Title: "Start fx2", Instance: "fx2", Run: blockUntil(release)})
	if err != nil {
		t.Errorf("operation on another instance refused: %v", err)
	}
	if _, err := m.Start(Spec{Title: "Stop all", Run: blockUntil(release)}); !errors.Is(err, ErrBusy) {
		t.Errorf("global operation while others run: err = %v, want ErrBusy", err)
	}
	if op, busy := m.Busy("fx1"); !busy || op != first {
		t.Error("Busy(fx1) does not return the running operation")
	}
	close(release)
	waitDone(t, first)
	waitDone(t, other)
	if _, busy := m.Busy("fx1"); busy {
		t.Error("fx1 still busy after its operation ended")
	}
	if _, err := m.Start(Spec{Title: "Stop fx1", Instance: "fx1", Run: blockUntil(release)}); err != nil {
		t.Errorf("fx1 refused after its operation ended: %v", err)
	}
}

func TestManagerGlobalRunsAlone(t *testing.T) {
	m := NewManager(nil)
	release := make(chan struct{})
	global, _ := m.Start(Spec{Title: "Stop all", Run: blockUntil(release)})
	if _, err := m.Start(Spec{Title: "Start fx1", Instance: "fx1", Run: blockUntil(release)}); !errors.Is(err, ErrBusy) {
		t.Errorf("instance operation during a global one: err = %v", err)
	}
	if _, busy := m.Busy("anything"); !busy {
		t.Error("a global operation does not make instances busy")
	}
	close(release)
	waitDone(t, global)
}

func TestWaitReplaysAndBoundsLines(t *testing.T) {
	m := NewManager(nil)
	release := make(chan struct{})
	lines := make([]string, MaxLines+10)
	for i := range lines {
		lines[i] = fmt.Sprint(i)
	}
	op, _ := m.Start(Spec{Title: "x", Instance: "fx1", Run: blockUntil(release, lines...)})
	close(release)
	snap := waitDone(t, op)
	if len(snap.Lines) != MaxLines || snap.Total != MaxLines+10 {
		t.Fatalf("kept %d of %d lines", len(snap.Lines), snap.Total)
	}
	if snap.Lines[0].Text != "10" {
		t.Errorf("first kept line = %q, want the oldest ones dropped", snap.Lines[0].Text)
	}
	got, total, done := op.Wait(context.Background(), snap.Total-3)
	if len(got) != 3 || total != snap.Total || !done {
		t.Errorf("Wait from near the end = %d lines, total %d, done %v", len(got), total, done)
	}
	got, _, _ = op.Wait(context.Background(), 0)
	if len(got) != MaxLines {
		t.Errorf("Wait from 0 replayed %d lines, want every kept one", len(got))
	}
}

func TestWaitBlocksUntilNewLine(t *testing.T) {
	m := NewManager(nil)
	step := make(chan struct{})
	release := make(chan struct{})
	op, _ := m.Start(Spec{Title: "x", Instance: "fx1", Run: func(ctx context.Context, emit func(lima.Line)) error {
		emit(lima.Line{Text: "one"})
		<-step
		emit(lima.Line{Text: "two"})
		<-release
		return nil
	}})
	got, total, _ := op.Wait(context.Background(), 0)
	if len(got) != 1 || got[0].Text != "one" {
		t.Fatalf("first wait = %+v", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if more, _, _ := op.Wait(ctx, total); len(more) != 0 {
		t.Errorf("Wait returned %+v before any new line", more)
	}
	close(step)
	got, _, done := op.Wait(context.Background(), total)
	if len(got) != 1 || got[0].Text != "two" || done {
		t.Errorf("second wait = %+v done %v", got, done)
	}
	close(release)
	waitDone(t, op)
}
