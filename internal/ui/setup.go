package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/host"
)

// HostSetup configures the Host Setup screen. The screen opens before the
// main screen while a required program is missing, and from the global menu
// at any time.
type HostSetup struct {
	// System is the host that is checked and changed: host.OS() in aisand,
	// a fake in tests.
	System host.System
	// Report is the check made at start. When it is nil, the screen checks
	// first.
	Report *host.Report
	// Activation is set when the start-up check put Homebrew's folder on
	// PATH, so the user still learns the line for their shell profile.
	Activation *host.Activation
	// Connect returns the limactl client once every required program is
	// present. The main screen opens with it.
	Connect func() (Limactl, error)
}

// setupAction is the action of an item on the Host Setup screen.
type setupAction int

const (
	setupInstall setupAction = iota
	setupContinue
	setupCheck
)

// setupItem is one choice on the Host Setup screen. A disabled item is
// drawn grayed with its reason and cannot be chosen.
type setupItem struct {
	label    string
	disabled string
	action   setupAction
}

// setupPage is the Host Setup screen: the state of each program aisand
// needs, the install through Homebrew, and the way on to the main screen.
type setupPage struct {
	// report is the newest check; nil until the first check returns.
	report   *host.Report
	checking bool
	// activation is kept from the check that put Homebrew's folder on
	// PATH, because later checks find brew on PATH and return none.
	activation *host.Activation
	// failure is the error of the last install, shown until the next one
	// starts.
	failure error
	// client is the limactl client made once the report is ready, for the
	// main screen.
	client     Limactl
	connectErr error
	// fromMenu means the main screen was open before, so esc goes back.
	fromMenu bool
	cursor   int
	// scroll is the first line of the findings shown when they do not fit.
	scroll int
	// installing is set from the install's start until its end, so that
	// a second enter does not start another install.
	installing bool
	// installEnded is set when an install ended without error and the
	// check after it has not returned yet.
	installEnded bool
	// stillMissing says what an install that ended without error did not
	// provide, until the next install or a ready check.
	stillMissing string
}

// setupCheckedMsg carries a finished host check.
type setupCheckedMsg struct {
	report     host.Report
	activation *host.Activation
	client     Limactl
	connectErr error
}

var (
	setupCheckKey = key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "check again"))
	setupMoveKeys = key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "move"))
)

// setupScrollStep is how many lines pgup and pgdown move the findings.
const setupScrollStep = 5

// openSetupAtStart opens Host Setup when aisand starts without limactl.
// With limactl, the main screen opens and its first notice tells what the
// start-up check found that does not stop aisand: the shell profile line
// when the check put Homebrew's folder on PATH, and the warnings.
func (a *App) openSetupAtStart() {
	setup := a.cfg.Host
	if setup == nil || a.cfg.Problem != nil {
		return
	}
	if a.cfg.Limactl == nil {
		p := &setupPage{report: setup.Report, activation: setup.Activation}
		p.placeCursor(a)
		a.page = p
		return
	}
	logStartFindings(a, setup)
	if text := startFindings(setup); text != "" && a.notice.text == "" {
		a.notice = infoNotice(text)
	}
}

// logStartFindings logs the warnings of the start-up check and the shell
// profile line, because the main screen shows them only until a key.
func logStartFindings(a *App, setup *HostSetup) {
	if activation := setup.Activation; activation != nil && activation.Profile != nil {
		a.cfg.Log.Warn("Homebrew was not on PATH; add the line to the shell profile",
			"file", activation.Profile.File, "line", activation.Profile.Line)
	}
	if setup.Report == nil {
		return
	}
	for _, warning := range setup.Report.Warnings {
		a.cfg.Log.Warn("host check warning", "message", warning.Message, "action", warning.Action, "command", warning.Command)
	}
}

// startFindings is the main screen's first notice for the start-up check,
// or empty when it found nothing to tell.
func startFindings(setup *HostSetup) string {
	var parts []string
	if activation := setup.Activation; activation != nil && activation.Profile != nil {
		profile := activation.Profile
		parts = append(parts, "Homebrew was not on PATH; aisand added it for this run. For new shells, add to "+
			profile.File+": "+profile.Line)
	}
	if setup.Report != nil {
		for _, warning := range setup.Report.Warnings {
			parts = append(parts, "Warning: "+warning.Message+".")
		}
		if len(setup.Report.Warnings) > 0 {
			parts = append(parts, "g → Host setup shows what to do.")
		}
	}
	return strings.Join(parts, " ")
}

// initSetup starts the first check of a Host Setup screen opened at start
// when the start-up report is missing or ready but no client exists yet.
func (a *App) initSetup() tea.Cmd {
	p, ok := a.page.(*setupPage)
	if !ok || a.cfg.Host == nil {
		return nil
	}
	if p.report != nil && !p.report.Ready() {
		return nil
	}
	return p.check(a)
}

// hostSetupItem is the global menu's entry to Host Setup.
func (a *App) hostSetupItem() menuItem {
	item := menuItem{label: "Host setup", run: func(a *App) tea.Cmd { return a.openHostSetup() }}
	if a.cfg.Host == nil {
		item.disabled = "host checks are not available"
	}
	return item
}

// openHostSetup opens Host Setup over the main screen and checks the host.
func (a *App) openHostSetup() tea.Cmd {
	p := &setupPage{fromMenu: true}
	a.page = p
	return p.check(a)
}

func (p *setupPage) update(a *App, msg tea.Msg) (page, tea.Cmd) {
	switch msg := msg.(type) {
	case setupCheckedMsg:
		p.applyCheck(a, msg)
	case setupTerminalDoneMsg:
		return p, p.applyTerminalStep(a, msg)
	case setupInstallDoneMsg:
		return p, p.applyInstall(a, msg)
	case tea.KeyPressMsg:
		return p.key(a, msg)
	}
	return p, nil
}

func (p *setupPage) key(a *App, msg tea.KeyPressMsg) (page, tea.Cmd) {
	a.notice = notice{}
	items := p.items(a)
	switch {
	case key.Matches(msg, a.keys.PageUp):
		p.scrollBy(a, -setupScrollStep)
	case key.Matches(msg, a.keys.PageDown):
		p.scrollBy(a, setupScrollStep)
	case key.Matches(msg, a.keys.Quit):
		return p, tea.Quit
	case key.Matches(msg, a.keys.Back):
		if p.fromMenu {
			return nil, a.refresh()
		}
	case key.Matches(msg, a.keys.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(msg, a.keys.Down):
		p.cursor = min(len(items)-1, p.cursor+1)
	case key.Matches(msg, setupCheckKey):
		if !p.checking {
			return p, p.check(a)
		}
	case key.Matches(msg, a.keys.Enter):
		item := items[min(p.cursor, len(items)-1)]
		if item.action == setupInstall && p.installing {
			// A second enter while the install starts is ignored.
			return p, nil
		}
		if item.disabled != "" {
			a.notice = errorNotice(item.label + ": " + item.disabled)
			return p, nil
		}
		return p.choose(a, item.action)
	}
	return p, nil
}

func (p *setupPage) choose(a *App, action setupAction) (page, tea.Cmd) {
	switch action {
	case setupInstall:
		return p, p.install(a)
	case setupCheck:
		return p, p.check(a)
	case setupContinue:
		return p.continueToMain(a)
	}
	return p, nil
}

// continueToMain closes the screen. The first time, the main screen starts
// with the client made by the last check.
func (p *setupPage) continueToMain(a *App) (page, tea.Cmd) {
	if a.cfg.Limactl != nil {
		return nil, a.refresh()
	}
	a.cfg.Limactl = p.client
	a.cfg.Log.Info("host setup complete, opening the main screen")
	return nil, tea.Batch(a.refresh(), a.checkVersion(), a.scheduleRefresh())
}

// items lists the screen's choices for its current state. Install comes
// first and Continue second, so that the cursor, placed on the first item
// that can be chosen, rests on whichever the user needs next.
func (p *setupPage) items(a *App) []setupItem {
	install := setupItem{label: "Install the missing programs with Homebrew", action: setupInstall}
	if p.failure != nil {
		install.label = "Try the install again"
	}
	next := setupItem{label: "Continue to the VM list", action: setupContinue}
	if p.fromMenu {
		next.label = "Back to the VM list"
	}
	check := setupItem{label: "Check again", action: setupCheck}

	switch {
	case p.checking || p.report == nil:
		install.disabled = "checking the host"
		next.disabled = "checking the host"
		check.disabled = "checking the host"
	case p.installing:
		install.disabled = "the install is running"
	case p.report.Ready():
		install.disabled = "every required program is present"
		if p.client == nil && a.cfg.Limactl == nil {
			next.disabled = "see the message above"
		}
	default:
		next.disabled = "needs " + missingNames(*p.report)
		if !p.report.CanInstall() {
			install.disabled = cannotInstallReason(*p.report)
		}
	}
	// Opened from the global menu, the screen can always go back to the
	// main screen that was already open.
	if p.fromMenu {
		next.disabled = ""
	}
	return []setupItem{install, next, check}
}

// placeCursor puts the cursor on the first item that can be chosen.
func (p *setupPage) placeCursor(a *App) {
	for i, item := range p.items(a) {
		if item.disabled == "" {
			p.cursor = i
			return
		}
	}
}

// cannotInstallReason says why Homebrew cannot help with what is missing.
func cannotInstallReason(report host.Report) string {
	if report.Blocker != nil {
		return "see the problem above"
	}
	if broken := report.Broken(); len(broken) > 0 {
		var names []string
		for _, dependency := range broken {
			names = append(names, dependency.Name)
		}
		return "nothing to install: " + strings.Join(names, ", ") + " is installed but not working, see above"
	}
	return "Homebrew cannot install it, see above"
}

// shownActivation is the Homebrew activation of this run, kept for the
// whole run because later checks find brew on PATH and return none.
func (p *setupPage) shownActivation(a *App) *host.Activation {
	if p.activation != nil && p.activation.Profile != nil {
		return p.activation
	}
	if setup := a.cfg.Host; setup != nil && setup.Activation != nil && setup.Activation.Profile != nil {
		return setup.Activation
	}
	return nil
}

func missingNames(report host.Report) string {
	var names []string
	for _, dependency := range report.Missing() {
		names = append(names, dependency.Name)
	}
	if len(names) == 0 {
		return "the problem above fixed"
	}
	return strings.Join(names, ", ")
}
