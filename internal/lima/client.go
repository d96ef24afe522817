// Package lima runs limactl and decodes what it prints. It knows nothing of
// the screen: callers pass a context and a function that receives output
// lines, and get back instances or errors that carry limactl's own message.
package lima

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
}

// New returns a client for the limactl at path with the default timeouts.
func New(path string) *Client {
	return &Client{Path: path, Timeouts: DefaultTimeouts}
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
