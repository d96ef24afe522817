//go:build linux || darwin

package host

import "syscall"

// access checks with the real user and group IDs, which are also the
// effective ones because aisand is never installed setuid.
func access(path string, mode uint32) error {
	return syscall.Access(path, mode)
}
