package host

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/japacx/aisand/internal/host/hosttest"
)

// lineRecorder collects the lines a step emits.
type lineRecorder struct {
	mutex sync.Mutex
	lines []string
}

func (r *lineRecorder) emit(line string) {
	r.mutex.Lock()
	defer r.mutex.Unlock()
	r.lines = append(r.lines, line)
}

func (r *lineRecorder) has(line string) bool {
	r.mutex.Lock()
	defer r.mutex.Unlock()
	return slices.Contains(r.lines, line)
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// writeHomebrewFakes writes a fake curl that records its arguments and
// "downloads" an installer, a fake bash that runs it, and the brew that the
// installer puts into ~/.linuxbrew/bin.
func writeHomebrewFakes(t *testing.T, fake *hosttest.System) {
	t.Helper()
	hosttest.WriteProgram(t, fake.Bin, "curl", `
printf '%s\n' "$@" > "$HOME/curl-arguments"
while [ $# -gt 0 ]; do
	if [ "$1" = --output ]; then output=$2; fi
	shift
done
printf '%s\n' 'echo "==> Installing Homebrew"' \
	'/bin/mkdir -p "$HOME/.linuxbrew/bin"' \
	'/bin/cp "$HOME/staged-brew" "$HOME/.linuxbrew/bin/brew"' > "$output"`)
	hosttest.WriteProgram(t, fake.Bin, "bash", `
printf '%s\n' "$1" > "$HOME/installer-path"
if [ "$NONINTERACTIVE" != 1 ]; then echo "NONINTERACTIVE is not 1" >&2; exit 9; fi
. "$1"`)
	hosttest.WriteProgram(t, fake.Home, "staged-brew", `
printf '%s\n' "$@" > "$HOME/brew-arguments"
echo "==> Fetching $2"
echo "Warning: a message on stderr" >&2
echo "==> Pouring $2"`)
}

func TestHomebrewThenFormulaSteps(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")
	writeHomebrewFakes(t, fake)
	steps := Plan(fake, Check(context.Background(), fake))
	if len(steps) != 3 {
		t.Fatalf("steps = %q, want Homebrew, lima and qemu", stepTitles(steps))
	}

	var homebrewOutput lineRecorder
	if err := steps[0].Run(context.Background(), homebrewOutput.emit); err != nil {
		t.Fatalf("Homebrew step: %v", err)
	}
	if !homebrewOutput.has("==> Installing Homebrew") {
		t.Errorf("Homebrew step lines = %q, want the installer's output", homebrewOutput.lines)
	}
	curlArguments := readLines(t, filepath.Join(fake.Home, "curl-arguments"))
	if curlArguments[len(curlArguments)-1] != HomebrewInstallerURL {
		t.Errorf("curl arguments = %q, want the installer URL last", curlArguments)
	}
	for _, want := range []string{"--fail", "--proto", "=https"} {
		if !slices.Contains(curlArguments, want) {
			t.Errorf("curl arguments = %q, want %s", curlArguments, want)
		}
	}
	installer := readLines(t, filepath.Join(fake.Home, "installer-path"))[0]
	if _, err := os.Stat(installer); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("installer %s still exists after the step (stat: %v)", installer, err)
	}

	// brew is not on PATH yet: the formula step must find it by itself.
	var limaOutput lineRecorder
	if err := steps[1].Run(context.Background(), limaOutput.emit); err != nil {
		t.Fatalf("lima step: %v", err)
	}
	if got := readLines(t, filepath.Join(fake.Home, "brew-arguments")); strings.Join(got, " ") != "install lima" {
		t.Errorf("brew arguments = %q, want install lima", got)
	}
	brew := filepath.Join(fake.Home, ".linuxbrew", "bin", "brew")
	for _, want := range []string{"+ " + brew + " install lima", "==> Pouring lima", "Warning: a message on stderr"} {
		if !limaOutput.has(want) {
			t.Errorf("lima step lines = %q, want %q", limaOutput.lines, want)
		}
	}
}

func TestHomebrewStepDownloadFails(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")
	const message = "curl: (6) Could not resolve host: raw.githubusercontent.com"
	hosttest.WriteProgram(t, fake.Bin, "curl", `echo "`+message+`" >&2; exit 6`)
	bashMarker := filepath.Join(fake.Root, "bash-ran")
	hosttest.WriteProgram(t, fake.Bin, "bash", `echo ran > "`+bashMarker+`"`)

	var output lineRecorder
	err := homebrewStep(fake).Run(context.Background(), output.emit)

	var failure *StepError
	if !errors.As(err, &failure) {
		t.Fatalf("error = %v (%T), want a *StepError", err, err)
	}
	if failure.ExitStatus != 6 {
		t.Errorf("exit status = %d, want 6", failure.ExitStatus)
	}
	if len(failure.LastLines) == 0 || failure.LastLines[len(failure.LastLines)-1] != message {
		t.Errorf("last lines = %q, want curl's message last", failure.LastLines)
	}
	if !strings.HasPrefix(failure.Command, "curl ") {
		t.Errorf("command = %q, want the curl call", failure.Command)
	}
	if !strings.Contains(err.Error(), "exit status 6") || !strings.Contains(err.Error(), message) {
		t.Errorf("error text = %q, want the exit status and curl's message", err)
	}
	if _, statErr := os.Stat(bashMarker); statErr == nil {
		t.Error("the installer ran although the download failed")
	}
}

func TestHomebrewStepInstallerFails(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")
	writeHomebrewFakes(t, fake)
	hosttest.WriteProgram(t, fake.Bin, "bash", `echo "==> Checking for sudo access"; echo "Need sudo access on macOS (e.g. the user alice needs to be an Administrator)!" >&2; exit 1`)

	err := homebrewStep(fake).Run(context.Background(), nil)

	var failure *StepError
	if !errors.As(err, &failure) {
		t.Fatalf("error = %v, want a *StepError", err)
	}
	if failure.ExitStatus != 1 {
		t.Errorf("exit status = %d, want 1", failure.ExitStatus)
	}
	// The two streams are read concurrently, so their lines may arrive in
	// either order.
	for _, want := range []string{"==> Checking for sudo access", "Need sudo access on macOS (e.g. the user alice needs to be an Administrator)!"} {
		if !slices.Contains(failure.LastLines, want) {
			t.Errorf("last lines = %q, want %q", failure.LastLines, want)
		}
	}
	if len(failure.LastLines) != 2 {
		t.Errorf("last lines = %q, want two", failure.LastLines)
	}
}

func TestStepMissingProgram(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")

	err := homebrewStep(fake).Run(context.Background(), nil)

	var failure *StepError
	if !errors.As(err, &failure) {
		t.Fatalf("error = %v, want a *StepError", err)
	}
	if failure.ExitStatus != -1 {
		t.Errorf("exit status = %d, want -1", failure.ExitStatus)
	}
	if !strings.Contains(err.Error(), "curl was not found on PATH") {
		t.Errorf("error = %q, want it to name curl", err)
	}
}

func TestFormulaStepFailureKeepsLastLines(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")
	hosttest.WriteProgram(t, fake.Bin, "brew", `
i=1
while [ $i -le 30 ]; do
	echo "line $i"
	i=$((i + 1))
done
exit 1`)

	var output lineRecorder
	err := formulaStep(fake, "lima").Run(context.Background(), output.emit)

	var failure *StepError
	if !errors.As(err, &failure) {
		t.Fatalf("error = %v, want a *StepError", err)
	}
	if failure.ExitStatus != 1 {
		t.Errorf("exit status = %d, want 1", failure.ExitStatus)
	}
	if len(failure.LastLines) != lastLineCount {
		t.Fatalf("kept %d lines, want %d", len(failure.LastLines), lastLineCount)
	}
	var want []string
	for i := 11; i <= 30; i++ {
		want = append(want, fmt.Sprintf("line %d", i))
	}
	if !slices.Equal(failure.LastLines, want) {
		t.Errorf("last lines = %q, want %q", failure.LastLines, want)
	}
	if len(output.lines) != 31 {
		t.Errorf("emitted %d lines, want the command and 30 lines", len(output.lines))
	}
	if !strings.Contains(err.Error(), "brew install lima failed with exit status 1") {
		t.Errorf("error = %q, want the command and exit status", err)
	}
}

func TestFormulaStepWithoutBrew(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")

	err := formulaStep(fake, "qemu").Run(context.Background(), nil)

	if err == nil || !strings.Contains(err.Error(), "install Homebrew first") {
		t.Errorf("error = %v, want it to say to install Homebrew first", err)
	}
}

func TestStepStreamsLinesAsTheyArrive(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")
	proceed := filepath.Join(fake.Root, "proceed")
	// The fake prints a line, then waits until the test has seen it. If Run
	// held lines back until the end, the step would time out.
	hosttest.WriteProgram(t, fake.Bin, "brew", `
echo "first"
while [ ! -e "`+proceed+`" ]; do /bin/sleep 0.02; done
echo "second"`)
	step := formulaStep(fake, "lima")
	step.Timeout = 20 * time.Second

	var output lineRecorder
	err := step.Run(context.Background(), func(line string) {
		output.emit(line)
		if line == "first" {
			if err := os.WriteFile(proceed, nil, 0o644); err != nil {
				t.Error(err)
			}
		}
	})

	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := output.lines[1:]; !slices.Equal(got, []string{"first", "second"}) {
		t.Errorf("lines = %q, want first then second", got)
	}
}

func TestStepKeepsStreamsApart(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")
	hosttest.WriteProgram(t, fake.Bin, "brew", `
printf 'out-start'
echo "err-line" >&2
echo "-out-end"`)

	var output lineRecorder
	if err := formulaStep(fake, "lima").Run(context.Background(), output.emit); err != nil {
		t.Fatal(err)
	}

	if !output.has("out-start-out-end") {
		t.Errorf("lines = %q, want the stdout line whole", output.lines)
	}
	if !output.has("err-line") {
		t.Errorf("lines = %q, want the stderr line on its own", output.lines)
	}
}

func TestStepTimesOut(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")
	hosttest.WriteProgram(t, fake.Bin, "brew", `echo "waiting"; exec /bin/sleep 60`)
	step := formulaStep(fake, "lima")
	step.Timeout = 200 * time.Millisecond

	err := step.Run(context.Background(), nil)

	var failure *StepError
	if !errors.As(err, &failure) {
		t.Fatalf("error = %v, want a *StepError", err)
	}
	if failure.ExitStatus != -1 {
		t.Errorf("exit status = %d, want -1", failure.ExitStatus)
	}
	if !strings.Contains(err.Error(), "timed out after 200ms") {
		t.Errorf("error = %q, want it to say timed out", err)
	}
	if !slices.Equal(failure.LastLines, []string{"waiting"}) {
		t.Errorf("last lines = %q, want the output before the timeout", failure.LastLines)
	}
}

func TestStepCancelled(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")
	hosttest.WriteProgram(t, fake.Bin, "brew", `echo "started"; exec /bin/sleep 60`)
	ctx, cancel := context.WithCancel(context.Background())

	err := formulaStep(fake, "lima").Run(ctx, func(line string) {
		if line == "started" {
			cancel()
		}
	})

	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

func TestSudoStep(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")
	sudo := hosttest.WriteProgram(t, fake.Bin, "sudo", `printf '%s\n' "$@" > "$HOME/sudo-arguments"`)
	step := sudoStep(fake)

	if err := step.Run(context.Background(), nil); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := readLines(t, filepath.Join(fake.Home, "sudo-arguments")); !slices.Equal(got, []string{"-n", "-v"}) {
		t.Errorf("Run called sudo with %q, want -n -v so that it never prompts", got)
	}

	command, cancel, err := step.TerminalCommand(context.Background())
	if err != nil {
		t.Fatalf("TerminalCommand: %v", err)
	}
	defer cancel()
	if !slices.Equal(command.Args, []string{sudo, "-v"}) {
		t.Errorf("terminal command = %q, want %q", command.Args, []string{sudo, "-v"})
	}
}

func TestSudoStepWithoutCachedPassword(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")
	hosttest.WriteProgram(t, fake.Bin, "sudo", `echo "sudo: a password is required" >&2; exit 1`)

	err := sudoStep(fake).Run(context.Background(), nil)

	var failure *StepError
	if !errors.As(err, &failure) {
		t.Fatalf("error = %v, want a *StepError", err)
	}
	if !slices.Equal(failure.LastLines, []string{"sudo: a password is required"}) {
		t.Errorf("last lines = %q, want sudo's message", failure.LastLines)
	}
}

func TestTerminalCommandOnlyForTerminalSteps(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")

	if _, _, err := formulaStep(fake, "lima").TerminalCommand(context.Background()); err == nil {
		t.Error("TerminalCommand succeeded for a step that does not use the terminal")
	}
}

func TestLineWriterSplitsLines(t *testing.T) {
	var recorder lineRecorder
	writer := &lineWriter{out: &output{emit: recorder.emit}}

	writer.Write([]byte("one\r\ntw"))
	writer.Write([]byte("o\n\nthree"))
	writer.Write([]byte(strings.Repeat("x", maxLineLength+10)))
	writer.flush()

	want := []string{"one", "two", "", "three" + strings.Repeat("x", maxLineLength-5), strings.Repeat("x", 15)}
	if !slices.Equal(recorder.lines, want) {
		t.Errorf("got %d lines, want %d; first lines %q", len(recorder.lines), len(want), recorder.lines[:min(3, len(recorder.lines))])
	}
}
