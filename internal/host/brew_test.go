package host

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/japacx/aisand/internal/host/hosttest"
)

func TestFindBrewOnPath(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")
	want := hosttest.WriteProgram(t, fake.Bin, "brew", `echo "Homebrew 4.5.8"`)
	hosttest.WriteProgram(t, filepath.Join(fake.Home, ".linuxbrew", "bin"), "brew", `echo "Homebrew 4.0.0"`)

	path, onPath := FindBrew(fake)

	if path != want {
		t.Errorf("path = %q, want %q", path, want)
	}
	if !onPath {
		t.Error("onPath = false for a brew on PATH")
	}
}

func TestFindBrewInHomePrefix(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")
	want := hosttest.WriteProgram(t, filepath.Join(fake.Home, ".linuxbrew", "bin"), "brew", `echo "Homebrew 4.5.8"`)

	path, onPath := FindBrew(fake)

	if path != want {
		t.Errorf("path = %q, want %q", path, want)
	}
	if onPath {
		t.Error("onPath = true for a brew outside PATH")
	}
}

func TestFindBrewNowhere(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")

	if path, onPath := FindBrew(fake); path != "" || onPath {
		t.Errorf("FindBrew = %q, %v; want nothing", path, onPath)
	}
}

func TestBrewFoldersOrder(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")

	folders := brewFolders(fake)

	want := []string{
		"/opt/homebrew/bin",
		"/usr/local/bin",
		"/home/linuxbrew/.linuxbrew/bin",
		filepath.Join(fake.Home, ".linuxbrew", "bin"),
	}
	if strings.Join(folders, ",") != strings.Join(want, ",") {
		t.Errorf("folders = %v, want %v", folders, want)
	}
}

func TestCheckBrewOutsidePath(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")
	hosttest.WriteProgram(t, fake.Bin, "qemu-system-x86_64", `echo "QEMU emulator version 8.2.2"`)
	hosttest.WriteProgram(t, fake.Bin, "qemu-img", `echo "qemu-img version 8.2.2"`)
	brewFolder := filepath.Join(fake.Home, ".linuxbrew", "bin")
	hosttest.WriteProgram(t, brewFolder, "brew", `echo "Homebrew 4.5.8"`)
	hosttest.WriteProgram(t, brewFolder, "limactl", `echo "limactl version 2.2.0"`)

	report := Check(context.Background(), fake)

	if report.BrewFolder != brewFolder {
		t.Errorf("BrewFolder = %q, want %q", report.BrewFolder, brewFolder)
	}
	brew := mustDependency(t, report, "brew")
	if brew.State != Found || brew.Version != "4.5.8" {
		t.Errorf("brew = %v %q, want found 4.5.8", brew.State, brew.Version)
	}
	if !strings.Contains(brew.Problem, "not on PATH") {
		t.Errorf("brew problem = %q, want it to say not on PATH", brew.Problem)
	}
	limactl := mustDependency(t, report, "limactl")
	if limactl.Path != filepath.Join(brewFolder, "limactl") {
		t.Errorf("limactl path = %q, want the one in the brew folder", limactl.Path)
	}
	if !strings.Contains(limactl.Problem, "not on PATH") {
		t.Errorf("limactl problem = %q, want it to say not on PATH", limactl.Problem)
	}
	if len(report.Warnings) != 1 {
		t.Fatalf("warnings = %v, want one about PATH", report.Warnings)
	}
	wantLine := `eval "$(` + filepath.Join(brewFolder, "brew") + ` shellenv)"`
	if report.Warnings[0].Command != wantLine {
		t.Errorf("command = %q, want %q", report.Warnings[0].Command, wantLine)
	}
}

func TestActivateBrewAfterFreshInstall(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")
	brewFolder := filepath.Join(fake.Home, ".linuxbrew", "bin")
	brew := hosttest.WriteProgram(t, brewFolder, "brew", `echo "Homebrew 4.5.8"`)
	oldPath := fake.Getenv("PATH")

	activation, err := ActivateBrew(fake)

	if err != nil {
		t.Fatal(err)
	}
	if activation.Brew != brew {
		t.Errorf("Brew = %q, want %q", activation.Brew, brew)
	}
	if !activation.AddedToPath {
		t.Error("AddedToPath = false")
	}
	if got, want := fake.Getenv("PATH"), brewFolder+":"+oldPath; got != want {
		t.Errorf("PATH = %q, want %q", got, want)
	}
	if found, err := fake.LookPath("brew"); err != nil || found != brew {
		t.Errorf("LookPath(brew) = %q, %v after activation", found, err)
	}
	if activation.Profile == nil {
		t.Fatal("Profile = nil for a brew that was not on PATH")
	}
	if want := filepath.Join(fake.Home, ".bashrc"); activation.Profile.File != want {
		t.Errorf("profile file = %q, want %q", activation.Profile.File, want)
	}

	again, err := ActivateBrew(fake)
	if err != nil {
		t.Fatal(err)
	}
	if again.AddedToPath || again.Profile != nil {
		t.Errorf("second activation = %+v, want no change", again)
	}
	if got := fake.Getenv("PATH"); strings.Count(got, brewFolder) != 1 {
		t.Errorf("PATH = %q, want the brew folder once", got)
	}
}

func TestActivateBrewNotFound(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")
	oldPath := fake.Getenv("PATH")

	_, err := ActivateBrew(fake)

	if err == nil {
		t.Fatal("ActivateBrew found a brew that does not exist")
	}
	if !strings.Contains(err.Error(), "/opt/homebrew/bin") {
		t.Errorf("error = %q, want it to list the folders searched", err)
	}
	if fake.Getenv("PATH") != oldPath {
		t.Error("PATH changed although brew was not found")
	}
}

func TestProfileForShells(t *testing.T) {
	const brew = "/opt/homebrew/bin/brew"
	const evalLine = `eval "$(/opt/homebrew/bin/brew shellenv)"`
	cases := []struct {
		goos, shell, zdotdir string
		file, line           string
	}{
		{"darwin", "/bin/zsh", "", "HOME/.zprofile", evalLine},
		{"darwin", "/bin/zsh", "/custom/zsh", "/custom/zsh/.zprofile", evalLine},
		{"darwin", "/bin/bash", "", "HOME/.bash_profile", evalLine},
		{"darwin", "/opt/homebrew/bin/bash", "", "HOME/.bash_profile", evalLine},
		{"linux", "/usr/bin/bash", "", "HOME/.bashrc", evalLine},
		{"linux", "/usr/bin/zsh", "", "HOME/.zshrc", evalLine},
		{"linux", "/usr/bin/fish", "", "HOME/.config/fish/config.fish", "/opt/homebrew/bin/brew shellenv | source"},
		{"linux", "/bin/dash", "", "HOME/.profile", evalLine},
		{"darwin", "", "", "HOME/.profile", evalLine},
	}
	for _, c := range cases {
		t.Run(c.goos+" "+c.shell, func(t *testing.T) {
			fake := hosttest.New(t, c.goos, "arm64")
			fake.Setenv("SHELL", c.shell)
			if c.zdotdir != "" {
				fake.Setenv("ZDOTDIR", c.zdotdir)
			}

			profile := ProfileFor(fake, brew)

			if want := strings.Replace(c.file, "HOME", fake.Home, 1); profile.File != want {
				t.Errorf("file = %q, want %q", profile.File, want)
			}
			if profile.Line != c.line {
				t.Errorf("line = %q, want %q", profile.Line, c.line)
			}
		})
	}
}

func TestProfileForQuotesPath(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")

	profile := ProfileFor(fake, "/home/Jo's Mac/.linuxbrew/bin/brew")

	if want := `eval "$('/home/Jo'\''s Mac/.linuxbrew/bin/brew' shellenv)"`; profile.Line != want {
		t.Errorf("line = %q, want %q", profile.Line, want)
	}
}
