package host

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/japacx/aisand/internal/host/hosttest"
)

func stepTitles(steps []Step) []string {
	var titles []string
	for _, step := range steps {
		titles = append(titles, step.Title)
	}
	return titles
}

func TestPlanLinuxWithoutBrew(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")
	hosttest.WriteProgram(t, fake.Bin, "sudo", "exit 0")
	report := Check(context.Background(), fake)

	steps := Plan(fake, report)

	want := []string{
		"Confirm administrator access for the Homebrew installer",
		"Install Homebrew",
		"Install Lima with Homebrew (brew install lima)",
		"Install QEMU with Homebrew (brew install qemu)",
	}
	if got := stepTitles(steps); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("steps = %q, want %q", got, want)
	}
	if !steps[0].Terminal {
		t.Error("the sudo step does not ask for the terminal")
	}
	for _, step := range steps[1:] {
		if step.Terminal {
			t.Errorf("step %q asks for the terminal", step.Title)
		}
		if step.Timeout <= 0 {
			t.Errorf("step %q has no timeout", step.Title)
		}
	}
}

func TestPlanWithoutSudo(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")
	report := Check(context.Background(), fake)

	steps := Plan(fake, report)

	want := []string{"Install Homebrew", "Install Lima with Homebrew (brew install lima)"}
	if got := stepTitles(steps); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("steps = %q, want %q", got, want)
	}
}

func TestPlanWithBrewInstallsOnlyMissing(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")
	installLinuxPrograms(t, fake)
	if err := os.Remove(filepath.Join(fake.Bin, "qemu-img")); err != nil {
		t.Fatal(err)
	}
	report := Check(context.Background(), fake)

	steps := Plan(fake, report)

	want := []string{"Install QEMU with Homebrew (brew install qemu)"}
	if got := stepTitles(steps); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("steps = %q, want %q", got, want)
	}
}

func TestPlanNothingWhenReady(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")
	installLinuxPrograms(t, fake)
	report := Check(context.Background(), fake)

	if steps := Plan(fake, report); steps != nil {
		t.Errorf("steps = %q, want none", stepTitles(steps))
	}
}

func TestPlanNothingAsRoot(t *testing.T) {
	saved := allowRootForTests
	t.Cleanup(func() { allowRootForTests = saved })
	allowRootForTests = ""
	fake := hosttest.New(t, "linux", "amd64")
	fake.EUID = 0
	report := Check(context.Background(), fake)

	if steps := Plan(fake, report); steps != nil {
		t.Errorf("steps = %q, want none as root", stepTitles(steps))
	}
}
