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
	confirmed                        bool

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
	p := &createPage{templatePath: a.cfg.TemplatePath}
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

// advance goes to the step after the one just answered.
func (p *createPage) advance(a *App) (page, tea.Cmd) {
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
		if !p.confirmed {
			return nil, nil
		}
		return p, p.startCreate(a)
	}
	return p, p.enterStep(a, p.step+1)
}

// back goes one step back; from the first step it leaves the wizard. In
// the folder step each chosen folder counts as a step, so esc puts the
// last one back in the field.
func (p *createPage) back(a *App) (page, tea.Cmd) {
	if !p.loaded {
		return nil, nil
	}
	switch p.step {
	case stepName:
		return nil, nil
	case stepFolders:
		if n := len(p.folders); n > 0 {
			p.folder = p.folders[n-1]
			p.folders = p.folders[:n-1]
			return p, p.enterStep(a, stepFolders)
		}
	case stepSummary:
		p.folder = ""
		return p, p.enterStep(a, stepFolders)
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
	p.confirmed = true
	return p.enterStep(a, stepSummary)
}

// enterStep builds the form of step, filled with the answer given before.
func (p *createPage) enterStep(a *App, step wizardStep) tea.Cmd {
	p.step = step
	p.form = huh.NewForm(huh.NewGroup(p.field(a, step))).WithShowHelp(false)
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
	p.form.WithWidth(min(max(a.width-6, 20), 90))
	p.form.Update(tea.WindowSizeMsg{Width: min(max(a.width-6, 20), 90), Height: max(a.height-14, 6)})
}

func (p *createPage) field(a *App, step wizardStep) huh.Field {
	switch step {
	case stepName:
		return huh.NewInput().Title("Name").
			Description(`Letters and digits, with single ".", "_" or "-" between them`).
			Value(&p.name).
			Validate(func(s string) error { return checkNewName(s, p.limaHome, runtime.GOOS, a.list.items) })
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
			Description(fmt.Sprintf("At least %d GiB. The disk image grows only as the VM writes to it.", minDiskGiB)).
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
	return huh.NewConfirm().Title("Create and start this VM?").
		Affirmative("Create").Negative("Cancel").
		Value(&p.confirmed)
}

func (p *createPage) memoryHint() string {
	if total := p.host.memoryGiB(); total > 0 {
		return fmt.Sprintf("From %d to %d GiB, the memory of this host", minMemoryGiB, total)
	}
	return fmt.Sprintf("At least %d GiB (the memory of this host could not be read)", minMemoryGiB)
}

func (p *createPage) view(a *App) string {
	if p.run != nil {
		return p.runView(a)
	}
	title := a.styles.Title.Render("New VM")
	if !p.loaded {
		return p.frame(a, title+"\n\n"+a.styles.Muted.Render(a.spinner.View()+" reading this host's CPUs and memory…"), "esc back")
	}
	rows := []string{title + a.styles.Muted.Render(fmt.Sprintf("   step %d of %d", p.step+1, stepCount)), ""}
	if answers := p.answerRows(a); len(answers) > 0 {
		rows = append(rows, answers...)
		rows = append(rows, "")
	}
	rows = append(rows, p.form.View())
	if p.step == stepName {
		if warning := nameWarning(p.name, a.list.items); warning != "" {
			rows = append(rows, a.styles.Warn.Render("Warning: "+warning))
		}
	}
	hint := "enter next · esc back"
	switch p.step {
	case stepName:
		hint = "enter next · esc leave"
	case stepFolders:
		hint = "enter add the folder, or go on when empty · esc back"
	case stepSummary:
		hint = "←/→ choose · enter confirm · esc back"
	}
	return p.frame(a, strings.Join(rows, "\n"), hint)
}

// answerRows lists the answers given so far; at the summary, all of them.
func (p *createPage) answerRows(a *App) []string {
	var rows []string
	field := func(label, value string) {
		rows = append(rows, a.styles.Label.Render(label)+truncate(value, a.width-16))
	}
	if p.step > stepName {
		field("Name", p.name)
	}
	if p.step > stepCPUs {
		field("CPUs", p.cpus)
	}
	if p.step > stepMemory {
		field("Memory", p.memory+" GiB")
	}
	if p.step > stepDisk {
		field("Disk", p.disk+" GiB")
	}
	if p.step >= stepFolders {
		rows = append(rows, p.mountRows(a)...)
	}
	if p.step == stepSummary {
		field("Template", p.templateLabel())
		if warning := nameWarning(p.name, a.list.items); warning != "" {
			rows = append(rows, a.styles.Warn.Render(truncate("Warning: "+warning, a.width-6)))
		}
	}
	return rows
}

// mountRows shows what the VM will mount, as the create flags set it.
func (p *createPage) mountRows(a *App) []string {
	label := func(i int) string {
		if i == 0 {
			return a.styles.Label.Render("Mounts")
		}
		return a.styles.Label.Render("")
	}
	if len(p.folders) == 0 && p.templatePath != "" {
		return []string{label(0) + "as your template sets them"}
	}
	rows := []string{label(0) + truncate(p.home+" (read-only)", a.width-16)}
	for i, folder := range p.folders {
		rows = append(rows, label(i+1)+truncate(folder+" (read-write)", a.width-16))
	}
	if len(p.folders) > 0 && p.templatePath != "" {
		rows = append(rows, label(1)+a.styles.Muted.Render("these replace the mounts of your template"))
	}
	return rows
}

func (p *createPage) templateLabel() string {
	if p.templatePath == "" {
		return "Ubuntu 25.10 (built in)"
	}
	return p.templatePath
}

// frame draws body in a panel with hint below it and the notice line.
func (p *createPage) frame(a *App, body, hint string) string {
	box := a.styles.Focused.Width(a.width).Height(a.height - a.footerHeight()).Render(body)
	return box + "\n" + a.noticeText() + "\n" + a.styles.Muted.Render(truncate(hint, a.width))
}
