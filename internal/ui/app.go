// Package ui is aisand's terminal interface, one file per screen. It runs
// no limactl call inside Update or View: every call is a tea.Cmd whose
// result comes back as a message.
package ui

import (
	"context"
	"io"
	"log/slog"
	"os/exec"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/ops"
)

// Limactl is the set of limactl calls the screens make. *lima.Client
// implements it, and tests put a stand-in in its place.
type Limactl interface {
	Version(ctx context.Context) (lima.Version, error)
	List(ctx context.Context) lima.ListResult
	Start(ctx context.Context, name string, onLine func(lima.Line)) error
	Stop(ctx context.Context, name string, force bool, onLine func(lima.Line)) error
	Delete(ctx context.Context, name string, force bool, onLine func(lima.Line)) error
	Create(ctx context.Context, o lima.CreateOptions, onLine func(lima.Line)) error
	Edit(ctx context.Context, name, dir string, flags []string, onLine func(lima.Line)) error
	Run(ctx context.Context, name string, script io.Reader, onLine func(lima.Line), command ...string) error
	ShellCommand(name string) *exec.Cmd
}

// Config is the app's start-up configuration.
type Config struct {
	Limactl Limactl
	Ops     *ops.Manager
	Log     *slog.Logger
	// Problem, when set, is shown instead of the main screen: aisand
	// cannot work until the user fixes it.
	Problem *Problem
	// Warning, when set, is shown in the footer at start, for a problem
	// that does not stop aisand, such as a log file it could not open.
	Warning string
	// LogPath is the log file, named on screen after an operation so the
	// user can read what did not fit.
	LogPath string
	// RefreshEvery is the pause between list refreshes while idle.
	RefreshEvery time.Duration
	// Host, when set, gives the Host Setup screen. With no Limactl, that
	// screen opens first and the main screen waits for limactl.
	Host *HostSetup
	// TemplatePath is the user's own Lima template for new VMs, given to
	// limactl as a file. Empty means the embedded template.
	TemplatePath string
}

// DefaultRefreshEvery keeps the list current without keeping limactl busy.
const DefaultRefreshEvery = 5 * time.Second

// panicKeyForTests is set only by the linker, with
//
//	-ldflags "-X github.com/japacx/aisand/internal/ui.panicKeyForTests=KEY"
//
// in the end-to-end test that checks the terminal is restored after a
// panic. Ordinary builds leave it empty, and no key panics.
var panicKeyForTests = ""

// Minimum terminal size for the split layout.
const (
	minWidth  = 60
	minHeight = 12
)

// App is the root model: it owns the instance list and routes keys to
// whichever screen is on top.
type App struct {
	cfg    Config
	keys   keyMap
	styles Styles
	help   help.Model

	width, height int

	list    instanceList
	spinner spinner.Model
	notice  notice

	// page is a full screen opened over the main one, such as a form.
	page page
	// Screens drawn over the main one or the page; the log view covers
	// both, and a menu or a question sits over them.
	menu    *menu
	confirm *confirm
	logView *logView
}

// page is a full screen of its own. Keys and every message the app does not
// handle itself go to the open page; it returns nil to close.
type page interface {
	update(a *App, msg tea.Msg) (page, tea.Cmd)
	view(a *App) string
}

// New returns the app for cfg.
func New(cfg Config) *App {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Ops == nil {
		cfg.Ops = ops.NewManager(cfg.Log)
	}
	if cfg.RefreshEvery <= 0 {
		cfg.RefreshEvery = DefaultRefreshEvery
	}
	a := &App{
		cfg:     cfg,
		keys:    defaultKeys(),
		styles:  DefaultStyles(),
		help:    help.New(),
		spinner: spinner.New(spinner.WithSpinner(spinner.Dot)),
	}
	if cfg.Warning != "" {
		a.notice = errorNotice(cfg.Warning)
	}
	a.openSetupAtStart()
	return a
}

// Failed reports whether aisand could not work at all, so that the
// process exits with an error status after the user has read why.
func (a *App) Failed() bool { return a.cfg.Problem != nil }

// Init starts the first refresh, the version check and the spinner.
func (a *App) Init() tea.Cmd {
	if a.cfg.Problem != nil {
		return nil
	}
	if a.cfg.Limactl == nil {
		// Host Setup is open; the list starts once limactl is present.
		return tea.Batch(a.spinner.Tick, a.initSetup())
	}
	return tea.Batch(a.refresh(), a.checkVersion(), a.spinner.Tick, a.scheduleRefresh())
}

// Update routes one message.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.help.SetWidth(msg.Width)
		return a, nil
	case spinner.TickMsg:
		var cmd tea.Cmd
		a.spinner, cmd = a.spinner.Update(msg)
		return a, cmd
	case listMsg:
		return a, a.applyList(msg)
	case refreshTickMsg:
		return a, a.onRefreshTick()
	case versionMsg:
		return a, a.applyVersion(msg)
	case opOutputMsg:
		return a, a.applyOpOutput(msg)
	case shellDoneMsg:
		return a, a.applyShellDone(msg)
	case tea.KeyPressMsg:
		return a, a.handleKey(msg)
	}
	return a, a.updatePage(msg)
}

func (a *App) updatePage(msg tea.Msg) tea.Cmd {
	if a.page == nil {
		return nil
	}
	var cmd tea.Cmd
	a.page, cmd = a.page.update(a, msg)
	return cmd
}

func (a *App) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if panicKeyForTests != "" && msg.String() == panicKeyForTests {
		panic("panic requested by a test build")
	}
	if a.cfg.Problem != nil {
		return a.problemKey(msg)
	}
	switch {
	case a.logView != nil:
		return a.logViewKey(msg)
	case a.confirm != nil:
		return a.confirmKey(msg)
	case a.menu != nil:
		return a.menuKey(msg)
	case a.page != nil:
		return a.updatePage(msg)
	}
	return a.mainKey(msg)
}

// View draws the screen on top.
func (a *App) View() tea.View {
	v := tea.NewView(a.render())
	v.AltScreen = true
	v.WindowTitle = "aisand"
	return v
}

func (a *App) render() string {
	if a.width == 0 {
		return ""
	}
	if a.width < minWidth || a.height < minHeight {
		return a.tooSmall()
	}
	switch {
	case a.cfg.Problem != nil:
		return a.problemView()
	case a.logView != nil:
		return a.logView.view(a)
	case a.page != nil:
		return a.pageView()
	}
	return a.mainView()
}

// pageView draws the open page with any menu or question over it.
func (a *App) pageView() string {
	body := a.page.view(a)
	if a.menu != nil {
		body = a.overlay(body, a.menu.view(a))
	}
	if a.confirm != nil {
		body = a.overlay(body, a.confirm.view(a))
	}
	return body
}
