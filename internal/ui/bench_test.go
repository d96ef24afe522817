package ui

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
)

// BenchmarkMainView200 renders the main screen with 200 instances in a
// 120×40 terminal, the selection in the middle. Target: under 2 ms.
func BenchmarkMainView200(b *testing.B) {
	list := make([]lima.Instance, 200)
	for i := range list {
		list[i] = lima.Instance{Name: fmt.Sprintf("agent-%03d", i), Status: lima.StatusRunning, CPUs: 4, Memory: 8 << 30, Disk: 100 << 30,
			Arch: "aarch64", VMType: "vz", Mounts: []lima.Mount{{Location: "/Users/you", MountPoint: "/Users/you"}}}
	}
	a := New(Config{Limactl: &stubLimactl{list: lima.ListResult{Instances: list}}})
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	a.Update(a.refresh()())
	a.list.selected = "agent-100"
	b.ReportAllocs()
	for b.Loop() {
		if a.View().Content == "" {
			b.Fatal("empty view")
		}
	}
}
