package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/host"
	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/ops"
)

// HostCheckTimeout bounds one host check. Each version call inside it has
// its own, shorter limit.
const HostCheckTimeout = 30 * time.Second

// setupTerminalDoneMsg carries the end of a step that had the terminal,
// with the steps still to run.
type setupTerminalDoneMsg struct {
	rest []host.Step
	err  error
}

// setupInstallDoneMsg carries the end of the install operation.
type setupInstallDoneMsg struct {
	op  *ops.Operation
	err error
}

// CheckHost runs host.Check. When it finds Homebrew outside PATH, as after
// a fresh Homebrew install, CheckHost puts brew's folder on this process's
// PATH with host.ActivateBrew and checks again, so that limactl and the
// programs that Homebrew installed are found. The activation is nil when
// PATH was not changed.
func CheckHost(ctx context.Context, sys host.System) (host.Report, *host.Activation) {
	report := host.Check(ctx, sys)
	if report.BrewFolder == "" || report.Blocker != nil {
		return report, nil
	}
	activation, err := host.ActivateBrew(sys)
	if err != nil || !activation.AddedToPath {
		return report, nil
	}
	return host.Check(ctx, sys), &activation
}

// check starts a host check. When the host is ready and the app has no
// limactl client yet, the same command makes one.
func (p *setupPage) check(a *App) tea.Cmd {
	setup := a.cfg.Host
	if setup == nil || setup.System == nil {
		return nil
	}
	p.checking = true
	needClient := a.cfg.Limactl == nil
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), HostCheckTimeout)
		defer cancel()
		var msg setupCheckedMsg
		msg.report, msg.activation = CheckHost(ctx, setup.System)
		if msg.report.Ready() && needClient && setup.Connect != nil {
			msg.client, msg.connectErr = setup.Connect()
		}
		return msg
	}
}

func (p *setupPage) applyCheck(a *App, msg setupCheckedMsg) {
	p.checking = false
	p.report = &msg.report
	if msg.activation != nil {
		p.activation = msg.activation
		a.cfg.Log.Info("added Homebrew's folder to PATH", "brew", msg.activation.Brew)
		if profile := msg.activation.Profile; profile != nil {
			a.cfg.Log.Warn("Homebrew was not on PATH; add the line to the shell profile", "file", profile.File, "line", profile.Line)
		}
		if a.cfg.Host != nil {
			// Kept for the run: Host Setup opened later shows it again.
			a.cfg.Host.Activation = msg.activation
		}
	}
	p.client, p.connectErr = msg.client, msg.connectErr
	if p.connectErr != nil {
		a.cfg.Log.Warn("limactl found but not usable", "err", p.connectErr)
	}
	for _, dependency := range msg.report.Missing() {
		a.cfg.Log.Info("host program missing", "program", dependency.Name, "state", dependency.State.String(), "problem", dependency.Problem)
	}
	p.stillMissing = ""
	if p.installEnded && !msg.report.Ready() {
		p.stillMissing = stillMissingText(msg.report)
		a.cfg.Log.Warn("install ended but programs are still missing", "detail", p.stillMissing)
	}
	p.installEnded = false
	p.placeCursor(a)
}

// stillMissingText says plainly that an install which reported success
// did not provide every required program, with each one's problem.
func stillMissingText(report host.Report) string {
	var details []string
	for _, dependency := range report.Missing() {
		details = append(details, dependency.Name+" ("+dependency.Problem+")")
	}
	verb := "is"
	if len(details) > 1 {
		verb = "are"
	}
	return fmt.Sprintf("The install finished, but %s %s still missing or not working: %s.",
		missingNames(report), verb, strings.Join(details, "; "))
}

// install runs the plan for what the newest report lists as missing. A
// plan that installs Homebrew itself asks first, because it runs an
// installer from the internet that asks for the administrator password.
func (p *setupPage) install(a *App) tea.Cmd {
	steps := host.Plan(a.cfg.Host.System, *p.report)
	if len(steps) == 0 {
		a.notice = errorNotice("Nothing to install: check again")
		return nil
	}
	if !host.InstallsHomebrew(*p.report) {
		return p.startInstall(a, steps)
	}
	// While the question is open it takes every key, so a second enter
	// cannot start another install.
	a.confirm = &confirm{
		lines: homebrewQuestion(a, host.Formulas(*p.report)),
		yes:   func(a *App) tea.Cmd { return p.startInstall(a, steps) },
	}
	return nil
}

// homebrewQuestion asks before Homebrew is installed, saying what will
// happen.
func homebrewQuestion(a *App, formulas []string) []string {
	var installs []string
	for _, formula := range formulas {
		installs = append(installs, "brew install "+formula)
	}
	width := max(20, min(a.width-6, 72))
	text := "Homebrew is not installed. aisand will download Homebrew's official installer from the internet (" +
		host.HomebrewInstallerURL + ") and run it. It asks for your administrator password. Then aisand runs " +
		strings.Join(installs, " and ") + "."
	lines := wrapAtSpaces("Install Homebrew?", width)
	lines = append(lines, "")
	lines = append(lines, wrapAtSpaces(text, width, installs...)...)
	return append(lines, "", "Install Homebrew now?")
}

func (p *setupPage) startInstall(a *App, steps []host.Step) tea.Cmd {
	p.failure = nil
	p.stillMissing = ""
	p.installing = true
	return p.runSteps(a, steps)
}

// runSteps hands the terminal to a leading step that prompts, because sudo
// reads the password there. It runs the others in one operation streamed
// in the log view. A prompting step later in the plan runs without the
// terminal, as Step.Run allows.
func (p *setupPage) runSteps(a *App, steps []host.Step) tea.Cmd {
	if len(steps) > 0 && steps[0].Terminal {
		return runTerminalStep(steps[0], steps[1:])
	}
	if len(steps) == 0 {
		p.installing = false
		return p.check(a)
	}
	cmd := a.runOperation(ops.Spec{Title: "Host setup: install what aisand needs", Run: installSteps(steps)})
	if a.logView == nil {
		// The operation did not start; runOperation set the notice.
		p.installing = false
		return cmd
	}
	// q quits at any time on this screen, so during the install it stops
	// the installer and quits once it has ended.
	a.logView.quitCancels = true
	return tea.Batch(cmd, waitInstall(a.logView.op))
}

func installSteps(steps []host.Step) ops.Func {
	return func(ctx context.Context, emit func(lima.Line)) error {
		for i, step := range steps {
			emit(lima.Line{Text: fmt.Sprintf("== Step %d of %d: %s", i+1, len(steps), step.Title)})
			err := step.Run(ctx, func(line string) { emit(lima.Line{Text: line}) })
			if err != nil {
				// The command goes on a line of its own, so that the log
				// view cuts it last.
				emit(lima.Line{Text: "== " + failureCause(err) + ". The command was:", Stderr: true})
				if command := failedCommand(err); command != "" {
					emit(lima.Line{Text: "   " + command, Stderr: true})
				}
				return err
			}
		}
		return nil
	}
}

// waitInstall waits for the install to end, so the screen can check the
// host again while the log view still shows the output.
func waitInstall(op *ops.Operation) tea.Cmd {
	return func() tea.Msg {
		seen := 0
		for {
			_, total, done := op.Wait(context.Background(), seen)
			if done {
				return setupInstallDoneMsg{op: op, err: op.Snapshot().Err}
			}
			seen = total
		}
	}
}

func (p *setupPage) applyInstall(a *App, msg setupInstallDoneMsg) tea.Cmd {
	p.installing = false
	p.failure = msg.err
	p.installEnded = msg.err == nil
	return p.check(a)
}

// runTerminalStep runs step with the terminal handed over, after printing
// the step's title.
func runTerminalStep(step host.Step, rest []host.Step) tea.Cmd {
	command, cancel, err := step.TerminalCommand(context.Background())
	if err != nil {
		return func() tea.Msg {
			return setupTerminalDoneMsg{err: &host.StepError{Step: step.Title, Command: "sudo -v", ExitStatus: -1, Err: err}}
		}
	}
	announced := &announcedCommand{command: command, title: "aisand: " + step.Title}
	return tea.Exec(announced, func(err error) tea.Msg {
		cancel()
		if err != nil {
			err = terminalStepError(step, command, err)
		}
		return setupTerminalDoneMsg{rest: rest, err: err}
	})
}

func terminalStepError(step host.Step, command *exec.Cmd, err error) error {
	failure := &host.StepError{Step: step.Title, Command: strings.Join(command.Args, " "), ExitStatus: -1, Err: err}
	var exitError *exec.ExitError
	if errors.As(err, &exitError) && exitError.Exited() {
		failure.ExitStatus = exitError.ExitCode()
	}
	return failure
}

func (p *setupPage) applyTerminalStep(a *App, msg setupTerminalDoneMsg) tea.Cmd {
	if msg.err != nil {
		a.cfg.Log.Warn("host setup step failed", "err", msg.err)
		p.failure = msg.err
		p.installing = false
		return nil
	}
	return p.runSteps(a, msg.rest)
}

// announcedCommand is a command run with the terminal handed over. It first
// prints a title, because the prompt of a program such as sudo does not
// give the reason for the request.
type announcedCommand struct {
	command *exec.Cmd
	title   string
}

func (c *announcedCommand) SetStdin(r io.Reader) {
	if c.command.Stdin == nil {
		c.command.Stdin = r
	}
}

func (c *announcedCommand) SetStdout(w io.Writer) {
	if c.command.Stdout == nil {
		c.command.Stdout = w
	}
}

func (c *announcedCommand) SetStderr(w io.Writer) {
	if c.command.Stderr == nil {
		c.command.Stderr = w
	}
}

func (c *announcedCommand) Run() error {
	if c.command.Stdout != nil {
		fmt.Fprintln(c.command.Stdout, c.title)
	}
	return c.command.Run()
}

// failureCause describes how a failed step ended: the exit status, or why
// the program did not exit by itself.
func failureCause(err error) string {
	var failure *host.StepError
	if !errors.As(err, &failure) {
		return "Failed: " + err.Error()
	}
	if failure.ExitStatus >= 0 {
		return fmt.Sprintf("Failed with exit status %d", failure.ExitStatus)
	}
	return fmt.Sprintf("Failed (%v)", failure.Err)
}

// failedCommand is the command line of a failed step, or empty.
func failedCommand(err error) string {
	var failure *host.StepError
	if !errors.As(err, &failure) {
		return ""
	}
	return failure.Command
}
