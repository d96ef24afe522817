//go:build !(linux || darwin)

package hosttest

import (
	"errors"
	"fmt"
)

// access is not implemented where Lima does not run, as in package host.
func access(path string, mode uint32) error {
	return fmt.Errorf("checking access to %s: %w", path, errors.ErrUnsupported)
}
