package ui

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
)

// maxFolderSuggestions bounds the entries read from one folder for
// completion, so a huge folder does not stall the input.
const maxFolderSuggestions = 2000

// mountInput is the Mount page: a host folder path with "~" expansion and
// completion of folder names, checked as the New VM wizard checks folders
// before the instance is restarted with it.
type mountInput struct {
	instance string
	keys     mountKeys
	// back is the page esc returns to: the Mounts page when this one was
	// opened from it, else nil for the main screen.
	back  page
	input textinput.Model
	// err is the last check's message, shown until the path changes.
	err string
	// checking is the input being checked; keys other than edits wait.
	checking string

	// listedPrefix is the typed text up to its last "/" whose folder was
	// last read for completion, and folderNames are that folder's
	// subfolders.
	listedPrefix string
	folderNames  []string
}

// folderCheckedMsg is the result of checking a typed folder.
type folderCheckedMsg struct {
	input  string
	folder string
	err    error
}

// folderListedMsg carries the subfolders of the folder the typed text
// points into, for completion.
type folderListedMsg struct {
	prefix string
	names  []string
}

func (a *App) openMountInput(name string) tea.Cmd {
	if reason := a.mountChangeBlocked(name); reason != "" {
		a.notice = errorNotice("Mount: " + reason)
		return nil
	}
	in := textinput.New()
	in.Prompt = "> "
	in.Placeholder = "~/projects/app"
	in.ShowSuggestions = true
	in.SetWidth(max(20, a.width-6))
	styles := in.Styles()
	styles.Cursor.Blink = false
	in.SetStyles(styles)
	p := &mountInput{instance: name, keys: defaultMountKeys(), back: a.mountsPageUnder(), input: in}
	a.page = p
	return p.input.Focus()
}

// mountChangeBlocked returns why name's mounts cannot be changed now, or
// "" when they can.
func (a *App) mountChangeBlocked(name string) string {
	inst, ok := a.instanceNamed(name)
	if !ok {
		return name + " is no longer listed"
	}
	return mountChangeReason(inst)
}

// mountsPageUnder returns the open page when it is the Mounts page, so a
// page opened from it can return there.
func (a *App) mountsPageUnder() page {
	if p, ok := a.page.(*mountsList); ok {
		return p
	}
	return nil
}

func (p *mountInput) update(a *App, msg tea.Msg) (page, tea.Cmd) {
	switch msg := msg.(type) {
	case folderCheckedMsg:
		return p, p.applyCheck(a, msg)
	case folderListedMsg:
		if msg.prefix == p.listedPrefix {
			p.folderNames = msg.names
			p.offerSuggestions()
		}
		return p, nil
	case tea.PasteMsg:
		if a.confirm != nil {
			// Text pasted while the question is open answers nothing,
			// and the path it was asked about stays as it is.
			return p, nil
		}
	case tea.KeyPressMsg:
		a.notice = notice{}
		switch {
		case key.Matches(msg, a.keys.Back):
			return p.back, nil
		case key.Matches(msg, p.keys.Quit):
			return p, tea.Quit
		case key.Matches(msg, p.keys.Confirm):
			return p, p.check(a)
		case key.Matches(msg, p.keys.Complete):
			// Some terminals send tab with its text, which the input
			// would insert as a space after the completion.
			msg.Text = ""
			return p.forward(a, msg)
		}
	}
	return p.forward(a, msg)
}

// forward hands msg to the input and refreshes the completion when the
// typed text changed.
func (p *mountInput) forward(a *App, msg tea.Msg) (page, tea.Cmd) {
	before := p.input.Value()
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() == before {
		return p, cmd
	}
	p.err = ""
	p.offerSuggestions()
	return p, tea.Batch(cmd, p.listFolderFor(a))
}

// check starts the folder check of the typed path. It runs as a command
// because it reads the file system, which may be slow on a network share.
func (p *mountInput) check(a *App) tea.Cmd {
	input := strings.TrimSpace(p.input.Value())
	if input == "" {
		p.err = "Enter the host folder to mount, such as ~/projects/app."
		return nil
	}
	inst, ok := a.instanceNamed(p.instance)
	if !ok {
		p.err = p.instance + " is no longer listed."
		return nil
	}
	p.checking = input
	checker := lima.FolderChecker{Home: hostHome(), GuestHome: inst.GuestHome}
	existing := append([]lima.Mount(nil), inst.Mounts...)
	return func() tea.Msg {
		folder, err := checker.Check(input, existing)
		return folderCheckedMsg{input: input, folder: folder, err: err}
	}
}

// applyCheck shows a rejected folder's reason, or asks before a valid one
// is mounted.
func (p *mountInput) applyCheck(a *App, msg folderCheckedMsg) tea.Cmd {
	if msg.input != p.checking {
		return nil
	}
	p.checking = ""
	if msg.err != nil {
		p.err = msg.err.Error()
		return nil
	}
	a.confirm = a.mountQuestion(mountChange{instance: p.instance, folder: msg.folder, add: true})
	return nil
}

// offerSuggestions gives the input the folder names that continue what is
// typed. The input matches suggestions without regard to case, but file
// names are case-sensitive on most hosts, so they are filtered here first.
// Hidden folders are offered once a "." is typed.
func (p *mountInput) offerSuggestions() {
	value := p.input.Value()
	if value == "~" {
		p.input.SetSuggestions([]string{"~/"})
		return
	}
	prefix, base := splitTyped(value)
	if prefix != p.listedPrefix {
		p.input.SetSuggestions(nil)
		return
	}
	var suggestions []string
	for _, name := range p.folderNames {
		if strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		if strings.HasPrefix(name, base) {
			suggestions = append(suggestions, prefix+name+"/")
		}
	}
	p.input.SetSuggestions(suggestions)
}

// listFolderFor reads the folder the typed text points into, when it is
// not the one read last.
func (p *mountInput) listFolderFor(a *App) tea.Cmd {
	prefix, _ := splitTyped(p.input.Value())
	if prefix == p.listedPrefix {
		return nil
	}
	p.listedPrefix = prefix
	p.folderNames = nil
	folder := typedFolder(prefix, hostHome())
	if folder == "" {
		return nil
	}
	var mounts []lima.Mount
	if inst, ok := a.instanceNamed(p.instance); ok {
		mounts = append(mounts, inst.Mounts...)
	}
	home := hostHome()
	return func() tea.Msg {
		names := subfolderNames(folder, maxFolderSuggestions)
		return folderListedMsg{prefix: prefix, names: leadingFolders(folder, names, mounts, home)}
	}
}

// splitTyped splits typed text at its last "/" into the folder part, with
// the slash, and the start of a name.
func splitTyped(value string) (prefix, base string) {
	i := strings.LastIndex(value, "/")
	if i < 0 {
		return "", value
	}
	return value[:i+1], value[i+1:]
}

// typedFolder returns the folder that prefix names, with "~" expanded, or
// "" for text that is not an absolute path.
func typedFolder(prefix, home string) string {
	switch {
	case strings.HasPrefix(prefix, "~/"):
		if home == "" {
			return ""
		}
		return home + prefix[1:]
	case strings.HasPrefix(prefix, "/"):
		return prefix
	}
	return ""
}

// subfolderNames returns the sorted names of up to limit entries of folder
// that are folders or symbolic links to folders. A folder that cannot be
// read has none.
func subfolderNames(folder string, limit int) []string {
	f, err := os.Open(folder)
	if err != nil {
		return nil
	}
	defer f.Close()
	entries, err := f.ReadDir(limit)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil
	}
	var names []string
	for _, entry := range entries {
		isDir := entry.IsDir()
		if entry.Type()&os.ModeSymlink != 0 {
			info, err := os.Stat(filepath.Join(folder, entry.Name()))
			isDir = err == nil && info.IsDir()
		}
		if isDir {
			names = append(names, entry.Name())
		}
	}
	slices.Sort(names)
	return names
}

func (p *mountInput) view(a *App) string {
	rows := []string{
		a.styles.Title.Render("Mount a host folder in " + p.instance),
		"",
		"Host folder, mounted read-write at the same path inside the VM:",
		p.input.View(),
	}
	switch {
	case p.checking != "":
		rows = append(rows, a.styles.Muted.Render("Checking "+p.checking+"…"))
	case p.err != "":
		rows = append(rows, a.styles.Danger.Width(a.width).Render(p.err))
	default:
		rows = append(rows, a.styles.Muted.Render("~ is your home folder. tab accepts the grayed folder name; ↑/↓ show other matches."))
	}
	if inst, ok := a.instanceNamed(p.instance); ok && len(inst.Mounts) > 0 {
		rows = append(rows, "", "Mounted now:")
		rows = append(rows, a.mountTable(inst.Mounts, hostHome())...)
	}
	bindings := []key.Binding{p.keys.Confirm, p.keys.Complete, a.keys.Cancel, p.keys.Quit}
	return a.pageLayout(rows, bindings)
}
