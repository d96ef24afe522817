package limatest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestRecordsCopyIsCurrent checks the repository's copy of the limactl
// records against the team's shared folder, where that folder sits beside
// the repository, so that the contract test never runs on stale records.
func TestRecordsCopyIsCurrent(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "limactl-v2.2.0")
	entries, err := os.ReadDir(shared)
	if err != nil {
		t.Skipf("no shared records beside the repository: %v", err)
	}
	copyDir := filepath.Join("..", "..", "testdata", "limactl-v2.2.0")
	for _, e := range entries {
		want, err := os.ReadFile(filepath.Join(shared, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(copyDir, e.Name()))
		if err != nil {
			t.Errorf("%s missing from testdata: %v", e.Name(), err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("testdata/limactl-v2.2.0/%s differs from the shared record", e.Name())
		}
	}
}
