//go:build !(linux || darwin)

package host

import (
	"errors"
	"fmt"
	"io/fs"
)

// access is not implemented where Lima does not run: Check refuses those
// systems before it needs access.
func access(path string, mode uint32) error {
	return fmt.Errorf("checking access to %s: %w", path, errors.ErrUnsupported)
}

// fileGroupID is unknown where Lima does not run.
func fileGroupID(fs.FileInfo) (uint32, bool) { return 0, false }
