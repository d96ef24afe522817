//go:build linux || darwin

package host

import (
	"io/fs"
	"syscall"
)

// access checks with the real user and group IDs, which are also the
// effective ones because aisand is never installed setuid.
func access(path string, mode uint32) error {
	return syscall.Access(path, mode)
}

// fileGroupID returns the group that owns the file described by info.
func fileGroupID(info fs.FileInfo) (uint32, bool) {
	stat, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return stat.Gid, true
}
