package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// versionTimeout bounds each `PROGRAM --version` call. Homebrew's is the
// slowest and usually takes about a second.
const versionTimeout = 10 * time.Second

// locate finds the program for req: the one its override variable names,
// else the one on PATH, else one in extraFolders (a brew folder that is not
// on PATH yet).
func locate(sys System, req requirement, extraFolders []string) Dependency {
	dependency := Dependency{
		Name:     req.name,
		Purpose:  req.purpose,
		Required: req.required,
		Formula:  req.formula,
	}
	if req.override != "" {
		if value := strings.TrimSpace(sys.Getenv(req.override)); value != "" {
			return locateOverride(sys, req, value, dependency)
		}
	}
	if path, err := sys.LookPath(req.name); err == nil {
		dependency.State = Found
		dependency.Path = path
		return dependency
	}
	for _, folder := range extraFolders {
		candidate := filepath.Join(folder, req.name)
		if checkExecutable(sys, candidate) == nil {
			dependency.State = Found
			dependency.Path = candidate
			dependency.Problem = fmt.Sprintf("found in %s, which is not on PATH", folder)
			return dependency
		}
	}
	dependency.State = Missing
	dependency.Problem = fmt.Sprintf("%s was not found on PATH", req.name)
	return dependency
}

// locateOverride resolves the program that an environment variable names.
// A value without a slash is looked up on PATH, as a shell would. When the
// file cannot be used, installing cannot help, so Formula is cleared.
func locateOverride(sys System, req requirement, value string, dependency Dependency) Dependency {
	dependency.Override = req.override
	program := value
	if req.overrideHasArguments {
		// NOTE: Lima splits this value with shell quoting rules. Splitting
		// at white space is wrong only for a quoted path with spaces.
		program = strings.Fields(value)[0]
	}

	if !strings.ContainsRune(program, '/') {
		path, err := sys.LookPath(program)
		if err != nil {
			dependency.State = Missing
			dependency.Formula = ""
			dependency.Problem = fmt.Sprintf("%s=%s names a program that was not found on PATH; fix or unset %s", req.override, program, req.override)
			return dependency
		}
		dependency.State = Found
		dependency.Path = path
		return dependency
	}

	if absolute, err := filepath.Abs(program); err == nil {
		program = absolute
	}
	if err := checkExecutable(sys, program); err != nil {
		dependency.State = Missing
		dependency.Formula = ""
		dependency.Problem = fmt.Sprintf("%s=%s cannot be used: %v; fix or unset %s", req.override, program, err, req.override)
		return dependency
	}
	dependency.State = Found
	dependency.Path = program
	return dependency
}

// checkExecutable returns why path cannot be run as a program, or nil.
func checkExecutable(sys System, path string) error {
	info, err := sys.Stat(path)
	if err != nil {
		if isNotExist(err) {
			return errors.New("the file does not exist")
		}
		return err
	}
	if info.IsDir() {
		return errors.New("it is a folder, not a program")
	}
	if info.Mode().Perm()&0o111 == 0 {
		return errors.New("the file is not executable")
	}
	if err := sys.Access(path, AccessExecute); err != nil {
		return errors.New("the file is not executable by your user")
	}
	return nil
}

func brewDependency(req requirement, brew string, onPath bool) Dependency {
	dependency := Dependency{Name: req.name, Purpose: req.purpose, Required: req.required}
	if brew == "" {
		dependency.State = Missing
		dependency.Problem = "brew was not found on PATH or in the usual Homebrew folders"
		return dependency
	}
	dependency.State = Found
	dependency.Path = brew
	if !onPath {
		dependency.Problem = fmt.Sprintf("found in %s, which is not on PATH", folderOf(brew))
	}
	return dependency
}

var versionNumber = regexp.MustCompile(`[0-9]+\.[0-9]+(?:\.[0-9]+)?`)

// readVersion runs `PATH --version` and stores its first line and version
// number in dependency. A failed call marks the dependency Broken.
func readVersion(ctx context.Context, sys System, dependency *Dependency) {
	ctx, cancel := context.WithTimeout(ctx, versionTimeout)
	defer cancel()

	var stdout, stderr bytes.Buffer
	command := exec.CommandContext(ctx, dependency.Path, "--version")
	command.Stdin = nil // reads from the null device
	command.Stdout = &stdout
	command.Stderr = &stderr
	command.Env = sys.Environ()
	command.WaitDelay = time.Second
	err := command.Run()

	if err != nil {
		dependency.State = Broken
		cause := err.Error()
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			// The deadline may be the caller's, shorter than versionTimeout.
			cause = "timed out"
		}
		if line := lastLine(stderr.String()); line != "" {
			cause += ": " + line
		}
		dependency.Problem = fmt.Sprintf("`%s --version` failed: %s", dependency.Path, cause)
		return
	}

	line := firstLine(stdout.String())
	if line == "" {
		line = firstLine(stderr.String())
	}
	dependency.VersionLine = line
	dependency.Version = versionNumber.FindString(line)
}

// suggestFix fills in what the user can do about a Broken program. The
// variable that chose it comes first, because it may name the wrong file.
func suggestFix(dependency *Dependency) {
	switch {
	case dependency.Override != "":
		dependency.Fix = fmt.Sprintf("Fix %s so that it names a working program, or unset it to use the one on PATH.", dependency.Override)
	case dependency.Formula != "":
		dependency.Fix = "Reinstall it with the tool that installed it; if that was Homebrew, run:"
		dependency.FixCommand = "brew reinstall " + dependency.Formula
	default:
		dependency.Fix = "Reinstall it, or remove it from PATH."
	}
}

func firstLine(text string) string {
	for line := range strings.Lines(text) {
		if trimmed := strings.TrimSpace(line); trimmed != "" {
			return trimmed
		}
	}
	return ""
}

func lastLine(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

func folderOf(path string) string { return filepath.Dir(path) }
