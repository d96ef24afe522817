// Package lima runs limactl and decodes its output. It has no notion of the
// screen: callers pass a context and a function that receives output lines,
// and get back instances or errors that carry limactl's own message.
package lima

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// EnvLimactl names the environment variable that points at another limactl.
const EnvLimactl = "AISAND_LIMACTL"

// ErrNotFound is returned by Find when no limactl can be located.
var ErrNotFound = errors.New("limactl not found")

// Timeouts bounds each kind of limactl call, so that a hung limactl ends
// with an error instead of a frozen screen.
type Timeouts struct {
	Query  time.Duration // list, --version
	Create time.Duration // create downloads the image on first use
	Start  time.Duration
	Stop   time.Duration
	Delete time.Duration
	Edit   time.Duration
	Clone  time.Duration
	Run    time.Duration // a script inside the instance, such as a tool install
}

// DefaultTimeouts are generous on purpose: a first boot under emulation
// takes minutes, and an image download on a slow line takes longer.
var DefaultTimeouts = Timeouts{
	Query:  30 * time.Second,
	Create: 30 * time.Minute,
	Start:  15 * time.Minute,
	Stop:   3 * time.Minute,
	Delete: 2 * time.Minute,
	Edit:   time.Minute,
	Clone:  10 * time.Minute,
	Run:    30 * time.Minute,
}

// Client runs one limactl binary.
type Client struct {
	// Path is the limactl executable.
	Path string
	// Env is added to this process's environment for every call.
	Env      []string
	Timeouts Timeouts

	mu       sync.Mutex
	closed   chan struct{} // closed by Close; made on first use
	isClosed bool
	active   int // calls still running
}

// New returns a client for the limactl at path with the default timeouts.
func New(path string) *Client {
	return &Client{Path: path, Timeouts: DefaultTimeouts}
}

// Close cancels every call still running and waits up to wait for them to
// end, so that quitting leaves no limactl behind.
func (cl *Client) Close(wait time.Duration) {
	cl.mu.Lock()
	ch := cl.closedLocked()
	if !cl.isClosed {
		close(ch)
		cl.isClosed = true
	}
	cl.mu.Unlock()

	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		cl.mu.Lock()
		active := cl.active
		cl.mu.Unlock()
		if active == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// track counts a call as running until the returned func is called, and
// returns a context that Close also cancels.
func (cl *Client) track(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	cl.mu.Lock()
	closed := cl.closedLocked()
	cl.active++
	cl.mu.Unlock()
	go func() {
		select {
		case <-closed:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, func() {

		cancel()
		cl.mu.Lock()
		cl.active--
		cl.mu.Unlock()
	}
}

func (cl *Client) closedLocked() chan struct{} {
	if cl.closed == nil {
		cl.closed = make(chan struct{})
	}
	return cl.closed
}

// Find locates limactl: AISAND_LIMACTL when set, else the first limactl on
// PATH. The path it returns is absolute.
func Find() (string, error) {
	if p := os.Getenv(EnvLimactl); p != "" {
		info, err := os.Stat(p)
		if err != nil {
			return "", fmt.Errorf("%s=%s: %w", EnvLimactl, p, err)
		}
		if info.IsDir() || info.Mode()&0o111 == 0 {
			return "", fmt.Errorf("%s=%s is not an executable file", EnvLimactl, p)
		}
		return filepath.Abs(p)
	}
	p, err := exec.LookPath("limactl")
	if err != nil {
		return "", ErrNotFound
	}
	return filepath.Abs(p)
}

// Home returns the folder limactl keeps its instances in: LIMA_HOME when
// set, else ~/.lima, as limactl decides it.
func Home() (string, error) {
	if h := os.Getenv("LIMA_HOME"); h != "" {
		return filepath.Abs(h)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".lima"), nil
}
