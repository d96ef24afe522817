// Package host checks that the programs aisand needs are installed on the
// host, and plans and runs their installation through Homebrew.
package host

import (
	"io/fs"
	"os"
	"os/exec"
	"runtime"
)

// Access modes for System.Access, with the values POSIX gives R_OK, W_OK
// and X_OK.
const (
	AccessRead    uint32 = 4
	AccessWrite   uint32 = 2
	AccessExecute uint32 = 1
)

// System is the part of the host that the checks and install steps read
// and change. OS returns the real one; tests supply a fake whose LookPath
// searches only their own folders.
type System interface {
	// LookPath finds a program on PATH, as exec.LookPath does.
	LookPath(name string) (string, error)
	Stat(path string) (fs.FileInfo, error)
	// Access reports whether the current user may use path in the given
	// mode (AccessRead, AccessWrite, AccessExecute, combined with |).
	Access(path string, mode uint32) error
	Geteuid() int
	Getenv(key string) string
	Setenv(key, value string) error
	// Environ returns the environment that programs started by this
	// package receive.
	Environ() []string
	GOOS() string
	GOARCH() string
}

// OS returns the System of the running process.
func OS() System { return realSystem{} }

type realSystem struct{}

func (realSystem) LookPath(name string) (string, error)  { return exec.LookPath(name) }
func (realSystem) Stat(path string) (fs.FileInfo, error) { return os.Stat(path) }
func (realSystem) Access(path string, mode uint32) error { return access(path, mode) }
func (realSystem) Geteuid() int                          { return os.Geteuid() }
func (realSystem) Getenv(key string) string              { return os.Getenv(key) }
func (realSystem) Setenv(key, value string) error        { return os.Setenv(key, value) }
func (realSystem) Environ() []string                     { return os.Environ() }
func (realSystem) GOOS() string                          { return runtime.GOOS }
func (realSystem) GOARCH() string                        { return runtime.GOARCH }
