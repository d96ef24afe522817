package lima

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Line is one line of limactl output.
type Line struct {
	Text   string
	Stderr bool
}

// call describes one limactl invocation.
type call struct {
	op       string // the subcommand, for error messages
	instance string
	args     []string
	stdin    io.Reader // nil means no input at all
	dir      string    // working folder; empty means this process's
	timeout  time.Duration
	// query marks a call that changes nothing, such as list; it is killed
	// outright on cancel instead of being given time to clean up.
	query bool
	// onLine receives every output line as it arrives. When nil, stdout is
	// only collected.
	onLine func(Line)
}

// result holds the output of a finished call.
type result struct {
	stdout []byte
	stderr []string // every stderr line, for the error message
}

// stderrKeep bounds the stderr lines kept for an error message. limactl
// 2.2.0's boot log is about fifty lines, so the fatal line that ends a
// failed call is among the ones kept.
const stderrKeep = 400

// interruptGrace is how long limactl gets to clean up after SIGINT before it
// is killed.
const interruptGrace = 10 * time.Second

// pipeGrace is how long output is still read after limactl has exited or
// been killed. A process that limactl started, such as an ssh helper or a
// guest command, may keep the pipes open. Past this grace Wait closes them,
// so a time limit always ends the call.
const pipeGrace = 2 * time.Second

// run executes limactl with c's arguments. The context cancels it with
// SIGINT first, so limactl can remove what it was making.
func (cl *Client) run(ctx context.Context, c call) (result, error) {
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	ctx, done := cl.track(ctx)
	defer done()

	cmd := exec.CommandContext(ctx, cl.Path, c.args...)
	cmd.Env = append(os.Environ(), cl.Env...)
	cmd.Dir = c.dir
	cmd.Stdin = c.stdin // nil reads from the null device
	cmd.WaitDelay = pipeGrace
	if !c.query {
		cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
		cmd.WaitDelay = interruptGrace
	}

	// Writers rather than pipes of our own: exec copies into them, and Wait
	// stops waiting for that copy after WaitDelay.
	var mu sync.Mutex // serialises onLine between the two streams
	emit := func(l Line) {
		if c.onLine == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		c.onLine(l)
	}
	stdout := &lineWriter{keepAll: true}
	stderr := &lineWriter{keep: stderrKeep}
	if c.onLine != nil {
		stdout.fn = func(s string) { emit(Line{Text: s}) }
	}
	stderr.fn = func(s string) { emit(Line{Text: s, Stderr: true}) }
	cmd.Stdout, cmd.Stderr = stdout, stderr

	if err := cmd.Start(); err != nil {
		return result{}, &Error{Op: c.op, Instance: c.instance, Args: c.args, ExitCode: -1, Message: err.Error(), Err: err}
	}
	waitErr := cmd.Wait()
	stdout.flush()
	stderr.flush()
	res := result{stdout: stdout.all(), stderr: stderr.kept()}
	return res, classify(ctx, c, res, waitErr)
}

// lineWriter splits what is written to it into lines, calls fn for each,
// and keeps either everything (keepAll) or the last keep lines.
type lineWriter struct {
	fn      func(string)
	keepAll bool
	keep    int

	mu      sync.Mutex
	partial []byte
	whole   bytes.Buffer
	lines   []string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.keepAll {
		w.whole.Write(p)
	}
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		w.line(w.partial[:i])
		w.partial = w.partial[i+1:]
	}
	// Bound a line that never ends, such as a progress bar without
	// newlines, so that memory stays flat.
	if len(w.partial) > maxLineBytes {
		w.line(w.partial)
		w.partial = nil
	}
	return len(p), nil
}

// maxLineBytes is the longest line kept whole; longer ones are split.
const maxLineBytes = 1 << 20

func (w *lineWriter) line(b []byte) {
	text := string(bytes.TrimRight(b, "\r"))
	if w.fn != nil {
		w.fn(text)
	}
	if w.keep > 0 {
		w.lines = append(w.lines, text)
		if len(w.lines) > w.keep {
			w.lines = w.lines[len(w.lines)-w.keep:]
		}
	}
}

// flush emits a last line that had no newline.
func (w *lineWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.partial) > 0 {
		w.line(w.partial)
		w.partial = nil
	}
}

func (w *lineWriter) all() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.whole.Bytes()
}

func (w *lineWriter) kept() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lines
}

// classify turns the outcome of a finished call into nil or an *Error.
func classify(ctx context.Context, c call, res result, waitErr error) error {
	if waitErr == nil {
		return nil
	}
	e := &Error{Op: c.op, Instance: c.instance, Args: c.args, ExitCode: -1, Err: waitErr, Stderr: res.stderr}
	var exitErr *exec.ExitError
	if errors.As(waitErr, &exitErr) {
		e.ExitCode = exitErr.ExitCode()
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		e.Kind = KindTimeout
		e.Message = "timed out after " + c.timeout.String()
	case errors.Is(ctx.Err(), context.Canceled):
		e.Kind = KindCanceled
		e.Message = "canceled"
	default:
		e.Message = fatalMessage(res.stderr)
		e.Kind = kindOf(e.Message)
	}
	return e
}
