// Package ops runs long limactl work (create, start, stop, installs, mount
// changes) as operations: each has a status, an elapsed time and a bounded
// buffer of output lines that a view opened later can replay.
package ops

import (
	"context"
	"sync"
	"time"

	"github.com/japacx/aisand/internal/lima"
)

// Status is the stage of an operation: running or one of its ends.
type Status int

const (
	Running Status = iota
	Succeeded
	Failed
	Canceled
)

// Final reports whether the operation has ended.
func (s Status) Final() bool { return s != Running }

func (s Status) String() string {
	switch s {
	case Running:
		return "running"
	case Succeeded:
		return "done"
	case Failed:
		return "failed"
	case Canceled:
		return "canceled"
	}
	return "unknown"
}

// Func does the work of an operation, sending each output line to emit.
type Func func(ctx context.Context, emit func(lima.Line)) error

// Spec describes an operation to start.
type Spec struct {
	Title string
	// Instance is the instance the operation works on; empty for a global
	// operation, which runs alone.
	Instance string
	Run      Func
}

// MaxLines bounds the lines an operation keeps. A boot log is about fifty
// lines and a Homebrew install a few thousand, so the tail that matters
// always fits.
const MaxLines = 5000

// Operation is one running or finished piece of work.
type Operation struct {
	ID    int
	Title string
	// Instance is empty for a global operation.
	Instance string

	cancel context.CancelFunc

	mu      sync.Mutex
	status  Status
	err     error
	started time.Time
	ended   time.Time
	lines   []lima.Line
	dropped int           // lines that fell out of the buffer
	changed chan struct{} // closed and replaced on every change
}

func newOperation(id int, spec Spec, cancel context.CancelFunc) *Operation {
	return &Operation{
		ID:       id,
		Title:    spec.Title,
		Instance: spec.Instance,
		cancel:   cancel,
		started:  time.Now(),
		changed:  make(chan struct{}),
	}
}

// Snapshot is a consistent view of an operation at one moment.
type Snapshot struct {
	Status Status
	Err    error
	// Lines holds the kept output; Total counts every line ever written,
	// so Total-len(Lines) were dropped from the front.
	Lines   []lima.Line
	Total   int
	Elapsed time.Duration
}

// Snapshot returns the operation's current state.
func (o *Operation) Snapshot() Snapshot {
	o.mu.Lock()
	defer o.mu.Unlock()
	return Snapshot{
		Status:  o.status,
		Err:     o.err,
		Lines:   append([]lima.Line(nil), o.lines...),
		Total:   o.dropped + len(o.lines),
		Elapsed: o.elapsedLocked(),
	}
}

// Status returns the operation's status.
func (o *Operation) Status() Status {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.status
}

// Elapsed returns how long the operation ran, or has run so far.
func (o *Operation) Elapsed() time.Duration {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.elapsedLocked()
}

func (o *Operation) elapsedLocked() time.Duration {
	if o.status.Final() {
		return o.ended.Sub(o.started)
	}
	return time.Since(o.started)
}

// Cancel asks the operation to stop; it ends as Canceled once its work
// returns.
func (o *Operation) Cancel() { o.cancel() }

// Wait blocks until the operation has written more than seen lines in all,
// or has ended, or ctx is done. It returns the new lines (those still kept),
// the new total, and whether the operation has ended.
func (o *Operation) Wait(ctx context.Context, seen int) (lines []lima.Line, total int, done bool) {
	for {
		o.mu.Lock()
		total = o.dropped + len(o.lines)
		if total > seen || o.status.Final() {
			start := max(seen-o.dropped, 0)
			lines = append([]lima.Line(nil), o.lines[min(start, len(o.lines)):]...)
			done = o.status.Final()
			o.mu.Unlock()
			return lines, total, done
		}
		changed := o.changed
		o.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, seen, false
		}
	}
}

func (o *Operation) append(l lima.Line) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.lines = append(o.lines, l)
	if len(o.lines) > MaxLines {
		// Copy instead of reslicing so the array does not grow forever.
		n := len(o.lines) - MaxLines
		o.lines = append(o.lines[:0:0], o.lines[n:]...)
		o.dropped += n
	}
	o.notifyLocked()
}

func (o *Operation) finish(status Status, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.status = status
	o.err = err
	o.ended = time.Now()
	o.notifyLocked()
}

func (o *Operation) notifyLocked() {
	close(o.changed)
	o.changed = make(chan struct{})
}
