package host

import (
	"context"
	"fmt"
	"os"
	"time"
)

// HomebrewInstallerURL is the address of Homebrew's official installer.
const HomebrewInstallerURL = "https://raw.githubusercontent.com/Homebrew/install/HEAD/install.sh"

// Step timeouts. They are estimates: a first Homebrew install on macOS may
// also install the Xcode Command Line Tools, and QEMU with its libraries is
// several hundred megabytes.
const (
	sudoTimeout     = 5 * time.Minute
	homebrewTimeout = 45 * time.Minute
	formulaTimeout  = 45 * time.Minute
)

// Plan returns the steps that install what report lists as missing, in
// order, or nil when report.CanInstall is false. When brew is missing, the
// plan starts with Homebrew itself. The steps that follow look brew up
// again when they run, in PATH and in Homebrew's usual folders, so they
// find a brew installed moments before.
func Plan(sys System, report Report) []Step {
	if !report.CanInstall() {
		return nil
	}
	var steps []Step
	if InstallsHomebrew(report) {
		if _, err := sys.LookPath("sudo"); err == nil {
			steps = append(steps, sudoStep(sys))
		}
		steps = append(steps, homebrewStep(sys))
	}
	for _, formula := range Formulas(report) {
		steps = append(steps, formulaStep(sys, formula))
	}
	return steps
}

// InstallsHomebrew reports whether the plan for report starts by
// installing Homebrew itself, which downloads its installer from the
// internet and asks for an administrator password.
func InstallsHomebrew(report Report) bool {
	if !report.CanInstall() {
		return false
	}
	brew, ok := report.Dependency("brew")
	return !ok || brew.State == Missing
}

// Formulas returns the Homebrew formulas that the plan for report installs,
// once each, in the order of the dependencies.
func Formulas(report Report) []string {
	if !report.CanInstall() {
		return nil
	}
	var formulas []string
	seen := map[string]bool{}
	for _, dependency := range report.Dependencies {
		if !dependency.Required || dependency.State != Missing || dependency.Formula == "" || seen[dependency.Formula] {
			continue
		}
		seen[dependency.Formula] = true
		formulas = append(formulas, dependency.Formula)
	}
	return formulas
}

// sudoStep caches the user's sudo credentials, because Homebrew's installer
// with NONINTERACTIVE=1 calls `sudo -n`, which fails instead of prompting
// for a password.
//
// NOTE: this relies on sudo's credential cache, kept per terminal by
// default, covering the installer that aisand starts later from the same
// terminal session. It is not yet tried on a real Mac.
func sudoStep(sys System) Step {
	return Step{
		Title:             "Confirm administrator access for the Homebrew installer",
		Terminal:          true,
		Timeout:           sudoTimeout,
		sys:               sys,
		terminalArguments: []string{"sudo", "-v"},
		// Without a terminal sudo cannot ask for the password, so Run only
		// checks that sudo needs none at the moment.
		action: func(ctx context.Context, run *runner) error {
			return run.run(ctx, "sudo", []string{"-n", "-v"})
		},
	}
}

// homebrewStep downloads Homebrew's installer to a temporary file and runs
// it with bash. Nothing is spliced into a shell line.
func homebrewStep(sys System) Step {
	step := Step{Title: "Install Homebrew", Timeout: homebrewTimeout, sys: sys}
	step.action = func(ctx context.Context, run *runner) error {
		file, err := os.CreateTemp("", "aisand-homebrew-install-*.sh")
		if err != nil {
			return &StepError{Step: step.Title, Command: "create a temporary file", ExitStatus: -1, Err: err}
		}
		installer := file.Name()
		file.Close()
		defer os.Remove(installer)

		download := []string{
			"--fail", "--silent", "--show-error", "--location",
			"--proto", "=https", "--tlsv1.2",
			"--output", installer, HomebrewInstallerURL,
		}
		if err := run.run(ctx, "curl", download); err != nil {
			return err
		}
		return run.run(ctx, "bash", []string{installer}, "NONINTERACTIVE=1")
	}
	return step
}

// formulaStep runs `brew install FORMULA` with the brew that FindBrew
// returns when the step runs.
func formulaStep(sys System, formula string) Step {
	step := Step{
		Title:   fmt.Sprintf("Install %s with Homebrew (brew install %s)", formulaTitle(formula), formula),
		Timeout: formulaTimeout,
		sys:     sys,
	}
	step.action = func(ctx context.Context, run *runner) error {
		brew, _ := FindBrew(sys)
		if brew == "" {
			return &StepError{
				Step:       step.Title,
				Command:    "brew install " + formula,
				ExitStatus: -1,
				Err:        fmt.Errorf("brew was not found on PATH or in Homebrew's usual folders: install Homebrew first"),
			}
		}
		return run.run(ctx, brew, []string{"install", formula}, "NONINTERACTIVE=1")
	}
	return step
}

func formulaTitle(formula string) string {
	switch formula {
	case "lima":
		return "Lima"
	case "qemu":
		return "QEMU"
	default:
		return formula
	}
}
