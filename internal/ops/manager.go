package ops

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"

	"github.com/japacx/aisand/internal/lima"
)

// ErrBusy is returned when an operation cannot start because of another.
var ErrBusy = errors.New("busy")

// Manager is the one place that decides whether an operation may start: an
// instance has at most one operation at a time, and a global operation runs
// alone.
type Manager struct {
	log *slog.Logger

	mu      sync.Mutex
	nextID  int
	running map[int]*Operation
}

// NewManager returns a manager that logs every operation's output to log.
func NewManager(log *slog.Logger) *Manager {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Manager{log: log, running: map[int]*Operation{}}
}

// Start runs spec in its own goroutine, or returns an error wrapping
// ErrBusy when another operation is in the way.
func (m *Manager) Start(spec Spec) (*Operation, error) {
	m.mu.Lock()
	if err := m.conflictLocked(spec.Instance); err != nil {
		m.mu.Unlock()
		return nil, err
	}
	m.nextID++
	ctx, cancel := context.WithCancel(context.Background())
	op := newOperation(m.nextID, spec, cancel)
	m.running[op.ID] = op
	m.mu.Unlock()

	m.log.Info("operation started", "id", op.ID, "title", op.Title, "instance", op.Instance)
	go m.run(ctx, op, spec.Run)
	return op, nil
}

func (m *Manager) conflictLocked(instance string) error {
	for _, other := range m.running {
		switch {
		case other.Instance == "":
			return fmt.Errorf("%w: %s is running", ErrBusy, other.Title)
		case instance == "":
			return fmt.Errorf("%w: wait until %s has finished", ErrBusy, other.Title)
		case other.Instance == instance:
			return fmt.Errorf("%w: %s is already busy with %s", ErrBusy, instance, other.Title)
		}
	}
	return nil
}

func (m *Manager) run(ctx context.Context, op *Operation, fn Func) {
	defer op.cancel()
	err := m.call(ctx, op, fn)
	status := Succeeded
	switch {
	case err != nil && ctx.Err() != nil:
		status = Canceled
	case err != nil:
		status = Failed
	}
	// Release the instance before anyone can see the final status, so a
	// caller that reacts to the end can start the next operation at once.
	m.mu.Lock()
	delete(m.running, op.ID)
	m.mu.Unlock()
	op.finish(status, err)
	if err != nil {
		m.log.Warn("operation ended", "id", op.ID, "title", op.Title, "status", status.String(), "err", err)
	} else {
		m.log.Info("operation ended", "id", op.ID, "title", op.Title, "status", status.String(), "elapsed", op.Elapsed())
	}
}

// call runs fn and turns a panic into an error, because a panic in this
// goroutine would end the program without restoring the terminal.
func (m *Manager) call(ctx context.Context, op *Operation, fn Func) (err error) {
	defer func() {
		if r := recover(); r != nil {
			m.log.Error("operation panicked", "id", op.ID, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	return fn(ctx, func(l lima.Line) {
		m.log.Debug("output", "id", op.ID, "stderr", l.Stderr, "line", l.Text)
		op.append(l)
	})
}

// Busy returns the running operation on instance, if any. A running
// global operation makes every instance busy.
func (m *Manager) Busy(instance string) (*Operation, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, op := range m.running {
		if op.Instance == instance || op.Instance == "" {
			return op, true
		}
	}
	return nil, false
}

// Running returns the number of operations still running.
func (m *Manager) Running() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.running)
}
