//go:build !(linux || darwin)

package host

import (
	"errors"
	"fmt"
)

// access is not implemented where Lima does not run: Check refuses those
// systems before it needs access.
func access(path string, mode uint32) error {
	return fmt.Errorf("checking access to %s: %w", path, errors.ErrUnsupported)
}
