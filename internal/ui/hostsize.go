package ui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// hostSize is the host capacity that bounds a new VM.
type hostSize struct {
	cpus int
	// memory is the host's RAM in bytes; 0 when it could not be read.
	memory int64
}

// sysctlTimeout bounds `sysctl -n hw.memsize`, which answers at once on a
// healthy Mac.
const sysctlTimeout = 3 * time.Second

// readHostSize reads the host's CPU count and memory. Tests replace it.
var readHostSize = func(ctx context.Context) hostSize {
	size := hostSize{cpus: runtime.NumCPU()}
	if memory, err := hostMemory(ctx, runtime.GOOS); err == nil {
		size.memory = memory
	}
	return size
}

// hostMemory returns the host's RAM in bytes: MemTotal of /proc/meminfo on
// Linux, `sysctl -n hw.memsize` on macOS.
func hostMemory(ctx context.Context, goos string) (int64, error) {
	switch goos {
	case "linux":
		f, err := os.Open("/proc/meminfo")
		if err != nil {
			return 0, err
		}
		defer f.Close()
		return parseMemInfo(f)
	case "darwin":
		ctx, cancel := context.WithTimeout(ctx, sysctlTimeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, "sysctl", "-n", "hw.memsize")
		cmd.Stdin = nil
		out, err := cmd.Output()
		if err != nil {
			return 0, fmt.Errorf("sysctl -n hw.memsize: %w", err)
		}
		return parseMemSize(string(out))
	}
	return 0, fmt.Errorf("reading the memory size is not supported on %s", goos)
}

// parseMemInfo reads the MemTotal line of /proc/meminfo, which is in KiB.
func parseMemInfo(r io.Reader) (int64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || fields[0] != "MemTotal:" {
			continue
		}
		kib, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil || kib <= 0 {
			return 0, fmt.Errorf("invalid MemTotal line %q", sc.Text())
		}
		return kib * 1024, nil
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("no MemTotal line in /proc/meminfo")
}

// parseMemSize reads the byte count that `sysctl -n hw.memsize` prints.
func parseMemSize(text string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("invalid hw.memsize %q", strings.TrimSpace(text))
	}
	return n, nil
}

// Bounds of the default memory size. A quarter of the host is the aim, but
// an Ubuntu guest with an agent is cramped below 2 GiB, and more than
// 16 GiB by default would take from the host what few agents need.
const (
	minDefaultMemoryGiB = 2
	maxDefaultMemoryGiB = 16
	// fallbackMemoryGiB is the default when the host's memory is unknown.
	fallbackMemoryGiB = 4
	// defaultDiskGiB is Lima's own default. The disk image is sparse, so
	// it takes host space only as the guest writes.
	defaultDiskGiB = 100
)

// hostMemoryGiB is the host's memory in whole GiB, rounded down; 0 when
// unknown.
func (h hostSize) memoryGiB() int {
	return int(h.memory >> 30)
}

// defaultCPUs is half the host's cores, at least one.
func (h hostSize) defaultCPUs() int {
	return max(1, h.cpus/2)
}

// defaultMemoryGiB is a quarter of the host's memory within the default
// bounds, and never more than the host has.
func (h hostSize) defaultMemoryGiB() int {
	total := h.memoryGiB()
	if total <= 0 {
		return fallbackMemoryGiB
	}
	value := min(max(total/4, minDefaultMemoryGiB), maxDefaultMemoryGiB)
	return max(1, min(value, total))
}
