//go:build unix

package lima

import "syscall"

// Modes of access(2), which package syscall does not name on every unix.
const (
	accessRead    = 0x4
	accessWrite   = 0x2
	accessExecute = 0x1
)

// canRead checks with access(2), as the real user and group running
// aisand, that path can be listed and entered.
func canRead(path string) error {
	return syscall.Access(path, accessRead|accessExecute)
}

// canWrite checks with access(2) that files can be created in path. It
// also fails on a read-only file system (EROFS), even for root.
func canWrite(path string) error {
	return syscall.Access(path, accessWrite|accessExecute)
}
