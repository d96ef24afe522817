package ui

import (
	"testing"

	"github.com/japacx/aisand/internal/host/hosttest"
)

// newFakeHost returns a host.System confined to a temporary folder, for
// goos on arm64. It has no /dev/kvm, which matters only when goos is
// "linux".
func newFakeHost(t *testing.T, goos string) *hosttest.System {
	t.Helper()
	sys := hosttest.New(t, goos, "arm64")
	sys.KVM = hosttest.KVMMissing
	return sys
}
