package lima

import (
	"bufio"
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

// result is what a finished call printed.
type result struct {
	stdout []byte
	stderr []string // every stderr line, for the error message
}

// stderrKeep bounds the stderr lines kept for an error message; a boot log
// is a few dozen lines, so the fatal line is always among them.
const stderrKeep = 400

// interruptGrace is how long limactl gets to clean up after SIGINT before it
// is killed.
const interruptGrace = 10 * time.Second

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
	if !c.query {
		cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
		cmd.WaitDelay = interruptGrace
	}

	stdoutPipe, err := cmd.StdoutPipe()
	if err != nil {
		return result{}, err
	}
	stderrPipe, err := cmd.StderrPipe()
	if err != nil {
		return result{}, err
	}
	if err := cmd.Start(); err != nil {
		return result{}, &Error{Op: c.op, Instance: c.instance, Args: c.args, ExitCode: -1, Message: err.Error(), Err: err}
	}

	var res result
	var mu sync.Mutex // serialises onLine between the two readers
	emit := func(l Line) {
		if c.onLine == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		c.onLine(l)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		res.stdout = readStdout(stdoutPipe, c.onLine != nil, emit)
	}()
	go func() {
		defer wg.Done()
		res.stderr = readLines(stderrPipe, func(s string) { emit(Line{Text: s, Stderr: true}) })
	}()
	wg.Wait()
	waitErr := cmd.Wait()
	return res, classify(ctx, c, res, waitErr)
}

// readStdout collects stdout whole, and also emits it line by line when
// streaming, since list output is decoded as one document.
func readStdout(r io.Reader, stream bool, emit func(Line)) []byte {
	if !stream {
		b, _ := io.ReadAll(r)
		return b
	}
	var buf bytes.Buffer
	readLines(io.TeeReader(r, &buf), func(s string) { emit(Line{Text: s}) })
	return buf.Bytes()
}

// readLines calls fn for each line and returns the last stderrKeep lines.
func readLines(r io.Reader, fn func(string)) []string {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	var kept []string
	for sc.Scan() {
		line := string(bytes.TrimRight(sc.Bytes(), "\r"))
		fn(line)
		kept = append(kept, line)
		if len(kept) > stderrKeep {
			kept = kept[len(kept)-stderrKeep:]
		}
	}
	// A line longer than the scanner's buffer ends the scan; drain the rest
	// so limactl never blocks on a full pipe.
	_, _ = io.Copy(io.Discard, r)
	return kept
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
