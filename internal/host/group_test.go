package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/japacx/aisand/internal/host/hosttest"
)

// markProcesses puts a variable unique to the test into the fake's
// environment, which every program a step starts inherits, and returns
// it for markedProcesses.
func markProcesses(t *testing.T, fake *hosttest.System) string {
	t.Helper()
	if _, err := os.Stat("/proc/self/environ"); err != nil {
		t.Skip("needs /proc to find the programs a step started")
	}
	value := fmt.Sprintf("%s-%d", t.Name(), time.Now().UnixNano())
	fake.Setenv("AISAND_STEP_TEST", value)
	return "AISAND_STEP_TEST=" + value
}

// markedProcesses returns the IDs of the running processes whose
// environment contains marker. A zombie has no environment left, so it
// does not count.
func markedProcesses(marker string) []string {
	needle := []byte(marker + "\x00")
	entries, _ := os.ReadDir("/proc")
	var found []string
	for _, entry := range entries {
		environment, err := os.ReadFile(filepath.Join("/proc", entry.Name(), "environ"))
		if err == nil && bytes.Contains(environment, needle) {
			found = append(found, entry.Name())
		}
	}
	return found
}

func TestCanceledStepLeavesNoChild(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")
	marker := markProcesses(t, fake)
	// A non-interactive shell starts a background program with SIGINT
	// ignored, so only SIGKILL ends the sleep.
	hosttest.WriteProgram(t, fake.Bin, "brew", `/bin/sleep 60 &
echo "started"
wait`)
	step := formulaStep(fake, "lima")
	step.stopGrace = 300 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	err := step.Run(ctx, func(line string) {
		if line == "started" {
			cancel()
		}
	})

	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	// SIGKILL takes effect after kill returns, so a killed program may
	// show for a moment.
	left := markedProcesses(marker)
	for deadline := time.Now().Add(5 * time.Second); len(left) > 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		left = markedProcesses(marker)
	}
	if len(left) > 0 {
		t.Errorf("processes %v of the step are still running after the cancel", left)
	}
}

func TestCanceledStepInterruptsChildren(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")
	markProcesses(t, fake)
	interrupted := filepath.Join(fake.Home, "child-interrupted")
	// The child runs in the foreground, so it may trap SIGINT.
	child := hosttest.WriteProgram(t, fake.Home, "child", `trap 'echo yes > "$HOME/child-interrupted"; exit 0' INT
echo "started"
/bin/sleep 60 &
wait`)
	hosttest.WriteProgram(t, fake.Bin, "brew", child)
	step := formulaStep(fake, "lima")
	step.stopGrace = 300 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	err := step.Run(ctx, func(line string) {
		if line == "started" {
			cancel()
		}
	})

	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if _, err := os.Stat(interrupted); err != nil {
		t.Errorf("the program that brew started got no SIGINT: %v", err)
	}
}
