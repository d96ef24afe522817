package ui

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/japacx/aisand/internal/lima"
)

// wizardStep is one question of the New VM wizard.
type wizardStep int

const (
	stepName wizardStep = iota
	stepCPUs
	stepMemory
	stepDisk
	stepFolders
	stepSummary
	stepCount
)

// hostSizeTimeout bounds reading the host's CPUs and memory.
const hostSizeTimeout = 5 * time.Second

// vmSettings are the parsed values of the wizard.
type vmSettings struct {
	name      string
	cpus      int
	memoryGiB int
	diskGiB   int
	// folders are resolved host paths, mounted read-write.
	folders []string
}

// createPage is the New VM wizard and, once the VM is being made, the
// screen under its log view that handles the end of that work.
type createPage struct {
	host     hostSize
	loaded   bool
	limaHome string
	home     string
	checker  lima.FolderChecker
	// templatePath is the user's template; empty means the embedded one.
	templatePath string

	step wizardStep
	form *huh.Form
	// formSize is the screen size the form was last laid out for.
	formWidth, formHeight int

	// The values as typed, which huh writes on every key.
	name, cpus, memory, disk, folder string
	folders                          []string
	// folderCursor is the chosen folder selected for removal, or -1
	// while the folder field has the keys.
	folderCursor int
	// answerOffset is the first answer row shown when the answers do not
	// fit above the form.
	answerOffset int
	// choice is the summary's answer: choiceCreate, choiceBack or
	// choiceCancel.
	choice string

	settings vmSettings
	// run is set once limactl has been called.
	run *createRun
}

type hostSizeMsg struct{ size hostSize }

// newVMItem is the global menu's entry of the wizard.
func (a *App) newVMItem() menuItem {
	return menuItem{label: "New VM", run: func(a *App) tea.Cmd { return a.openCreateVM() }}
}

// openCreateVM opens the wizard. It reads the host's size first, because
// the defaults and limits depend on it.
func (a *App) openCreateVM() tea.Cmd {
	p := &createPage{templatePath: a.cfg.TemplatePath, folderCursor: -1}
	p.limaHome, _ = lima.Home()
	p.home, _ = os.UserHomeDir()
	p.checker = lima.FolderChecker{Home: p.home}
	a.page = p
	readSize := func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), hostSizeTimeout)
		defer cancel()
		return hostSizeMsg{size: readHostSize(ctx)}
	}
	// A fresh list makes the name check see every existing instance.
	return tea.Batch(readSize, a.refresh())
}

func (p *createPage) update(a *App, msg tea.Msg) (page, tea.Cmd) {
	switch msg := msg.(type) {
	case hostSizeMsg:
		p.applyHostSize(msg.size)
		return p, p.enterStep(a, stepName)
	case createDoneMsg:
		return p.applyDone(a, msg)
	case tea.KeyPressMsg:
		if p.run != nil {
			return p.runKey(a, msg)
		}
		switch msg.String() {
		case "ctrl+c":
			return p, tea.Quit
		case "esc", "shift+tab":
			return p.back(a)
		case "pgup":
			p.scrollAnswers(-answerScrollStep)
			return p, nil
		case "pgdown":
			p.scrollAnswers(answerScrollStep)
			return p, nil
		}
		if p.step == stepFolders && p.folderKey(msg) {
			return p, nil
		}
		if p.step == stepSummary && msg.String() == "/" {
			// huh's select filters its options on "/"; three choices
			// need no filter, and typing into one would hide the others.
			return p, nil
		}
	}
	if p.form == nil || p.run != nil {
		return p, nil
	}
	return p.updateForm(a, msg)
}

func (p *createPage) applyHostSize(size hostSize) {
	p.host = size
	p.loaded = true
	p.cpus = itoa(size.defaultCPUs())
	p.memory = itoa(size.defaultMemoryGiB())
	p.disk = itoa(defaultDiskGiB)
}

// updateForm passes msg to the step's form and moves on when the form is
// answered.
func (p *createPage) updateForm(a *App, msg tea.Msg) (page, tea.Cmd) {
	p.fitForm(a)
	model, cmd := p.form.Update(msg)
	if f, ok := model.(*huh.Form); ok {
		p.form = f
	}
	switch p.form.State {
	case huh.StateCompleted:
		next, nextCmd := p.advance(a)
		return next, tea.Batch(cmd, nextCmd)
	case huh.StateAborted:
		return nil, nil
	}
	return p, cmd
}

// advance goes to the step after the one just answered. Values are kept
// trimmed, so the summary and limactl get what the checks accepted.
func (p *createPage) advance(a *App) (page, tea.Cmd) {
	p.name = strings.TrimSpace(p.name)
	p.cpus = strings.TrimSpace(p.cpus)
	p.memory = strings.TrimSpace(p.memory)
	p.disk = strings.TrimSpace(p.disk)
	switch p.step {
	case stepFolders:
		if strings.TrimSpace(p.folder) == "" {
			return p, p.enterSummary(a)
		}
		resolved, err := checkNewFolder(p.checker, p.folder, p.folders)
		if err == nil {
			p.folders = append(p.folders, resolved)
			p.folder = ""
		}
		return p, p.enterStep(a, stepFolders)
	case stepSummary:
		switch p.choice {
		case choiceCreate:
			return p, p.startCreate(a)
		case choiceBack:
			return p, p.enterStep(a, stepFolders)
		}
		return nil, nil
	}
	return p, p.enterStep(a, p.step+1)
}

// back goes one step back; from the first step it leaves the wizard. The
// chosen folders stay chosen: only x or delete removes one.
func (p *createPage) back(a *App) (page, tea.Cmd) {
	if !p.loaded || p.step == stepName {
		return nil, nil
	}
	return p, p.enterStep(a, p.step-1)
}

// enterSummary parses the answers, which their fields have validated, and
// shows the summary with the final question.
func (p *createPage) enterSummary(a *App) tea.Cmd {
	s := vmSettings{name: p.name, folders: append([]string(nil), p.folders...)}
	s.cpus, _ = parseCPUs(p.cpus, p.host.cpus)
	s.memoryGiB, _ = parseMemory(p.memory, p.host.memoryGiB())
	s.diskGiB, _ = parseDisk(p.disk)
	p.settings = s
	p.choice = choiceCreate
	return p.enterStep(a, stepSummary)
}

// enterStep builds the form of step, filled with the answer given before.
func (p *createPage) enterStep(a *App, step wizardStep) tea.Cmd {
	p.step = step
	p.folderCursor = -1
	p.answerOffset = 0
	// The page draws the field's error itself, wrapped and indented, and
	// keeps it in view on a small screen.
	p.form = huh.NewForm(huh.NewGroup(p.field(a, step))).WithShowHelp(false).WithShowErrors(false)
	p.formWidth, p.formHeight = 0, 0
	p.fitForm(a)
	return p.form.Init()
}

// fitForm lays the form out for the current screen. The app keeps window
// sizes to itself, so the page passes them on when they change.
func (p *createPage) fitForm(a *App) {
	if p.form == nil || (p.formWidth == a.width && p.formHeight == a.height) {
		return
	}
	p.formWidth, p.formHeight = a.width, a.height
	width := p.formWidthFor(a)
	p.form.WithWidth(width)
	// The form takes the height it needs: the page clips the answers
	// above it instead, so the field itself never scrolls out of view.
	p.form.Update(tea.WindowSizeMsg{Width: width, Height: maxFormHeight})
}

// answerScrollStep is how many answer rows pgup and pgdown move.
const answerScrollStep = 3

// maxFormHeight is more rows than any step's form needs.
const maxFormHeight = 200

// formWidthFor is the form's width inside the page's panel.
func (p *createPage) formWidthFor(a *App) int {
	return min(max(a.width-6, 20), 90)
}

func (p *createPage) field(a *App, step wizardStep) huh.Field {
	switch step {
	case stepName:
		return huh.NewInput().Title("Name").
			Description(`Letters and digits, with single ".", "_" or "-" between them`).
			Value(&p.name).
			Validate(func(s string) error {
				return checkNewName(strings.TrimSpace(s), p.limaHome, runtime.GOOS, a.list.items)
			})
	case stepCPUs:
		return huh.NewInput().Title("CPUs").
			Description(fmt.Sprintf("From 1 to %d, the cores of this host", p.host.cpus)).
			Value(&p.cpus).
			Validate(func(s string) error { _, err := parseCPUs(s, p.host.cpus); return err })
	case stepMemory:
		return huh.NewInput().Title("Memory (GiB)").
			Description(p.memoryHint()).
			Value(&p.memory).
			Validate(func(s string) error { _, err := parseMemory(s, p.host.memoryGiB()); return err })
	case stepDisk:
		return huh.NewInput().Title("Disk (GiB)").
			Description(fmt.Sprintf("From %d to %d GiB (16 TiB). The disk image grows only as the VM writes to it.", minDiskGiB, maxDiskGiB)).
			Value(&p.disk).
			Validate(func(s string) error { _, err := parseDisk(s); return err })
	case stepFolders:
		return huh.NewInput().Title("Host folder to mount read-write (optional)").
			Description("A folder the VM may change, such as ~/src/project. Leave it empty and press enter to go on.").
			Value(&p.folder).
			Validate(func(s string) error {
				if strings.TrimSpace(s) == "" {
					return nil
				}
				_, err := checkNewFolder(p.checker, s, p.folders)
				return err
			})
	}
	return huh.NewSelect[string]().Title("Create and start this VM?").
		Options(
			huh.NewOption("Create and start it", choiceCreate),
			huh.NewOption("Back to the folders", choiceBack),
			huh.NewOption("Cancel: leave the wizard", choiceCancel),
		).
		Value(&p.choice)
}

// The summary's choices.
const (
	choiceCreate = "create"
	choiceBack   = "back"
	choiceCancel = "cancel"
)

func (p *createPage) memoryHint() string {
	if total := p.host.memoryGiB(); total > 0 {
		return fmt.Sprintf("From %d to %d GiB, the memory of this host", minMemoryGiB, total)
	}
	return fmt.Sprintf("At least %d GiB (the memory of this host could not be read)", minMemoryGiB)
}
