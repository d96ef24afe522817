//go:build linux || darwin

package hosttest

import "syscall"

// access checks a file inside Root as the test process's user.
func access(path string, mode uint32) error {
	return syscall.Access(path, mode)
}
