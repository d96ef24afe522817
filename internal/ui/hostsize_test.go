package ui

import (
	"context"
	"runtime"
	"strings"
	"testing"
)

func TestParseMemInfo(t *testing.T) {
	text := "MemFree:         1000 kB\nMemTotal:       16318976 kB\n"
	got, err := parseMemInfo(strings.NewReader(text))
	if err != nil || got != 16318976*1024 {
		t.Errorf("parseMemInfo = %d, %v", got, err)
	}
	for _, bad := range []string{"", "MemTotal: lots kB\n", "MemFree: 1 kB\n"} {
		if _, err := parseMemInfo(strings.NewReader(bad)); err == nil {
			t.Errorf("parseMemInfo(%q) accepted", bad)
		}
	}
}

func TestParseMemSize(t *testing.T) {
	if got, err := parseMemSize("17179869184\n"); err != nil || got != 16<<30 {
		t.Errorf("parseMemSize = %d, %v", got, err)
	}
	for _, bad := range []string{"", "-1", "lots"} {
		if _, err := parseMemSize(bad); err == nil {
			t.Errorf("parseMemSize(%q) accepted", bad)
		}
	}
}

func TestHostMemoryOnThisHost(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("memory is read on Linux and macOS only")
	}
	got, err := hostMemory(context.Background(), runtime.GOOS)
	if err != nil || got < 256<<20 {
		t.Errorf("hostMemory = %d, %v", got, err)
	}
	if _, err := hostMemory(context.Background(), "plan9"); err == nil {
		t.Error("an unsupported system gave a size")
	}
}

func TestHostSizeDefaults(t *testing.T) {
	cases := []struct {
		size           hostSize
		cpus, memoryGB int
	}{
		{hostSize{cpus: 8, memory: 32 << 30}, 4, 8},
		{hostSize{cpus: 1, memory: 4 << 30}, 1, 2},
		{hostSize{cpus: 64, memory: 512 << 30}, 32, 16},
		{hostSize{cpus: 2, memory: 1 << 30}, 1, 1},
		{hostSize{cpus: 4}, 2, fallbackMemoryGiB},
	}
	for _, c := range cases {
		if got := c.size.defaultCPUs(); got != c.cpus {
			t.Errorf("%+v: defaultCPUs = %d, want %d", c.size, got, c.cpus)
		}
		if got := c.size.defaultMemoryGiB(); got != c.memoryGB {
			t.Errorf("%+v: defaultMemoryGiB = %d, want %d", c.size, got, c.memoryGB)
		}
	}
}
