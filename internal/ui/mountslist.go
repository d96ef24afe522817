package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/japacx/aisand/internal/lima"
)

// mountActions returns the Mounts, Mount and Unmount items of inst's
// action menu. They need a running or stopped instance: a running one is
// restarted to change its mounts, and a stopped one is edited and stays
// stopped. Mount and Unmount also need a mount list aisand can write.
func (a *App) mountActions(inst lima.Instance) []menuItem {
	name := inst.Name
	state := mountableState(inst)
	change := mountChangeReason(inst)
	return []menuItem{
		{label: "Mounts", disabled: state, run: func(a *App) tea.Cmd { return a.openMountsList(name) }},
		{label: "Mount", disabled: change, run: func(a *App) tea.Cmd { return a.openMountInput(name) }},
		{label: "Unmount", disabled: change, run: func(a *App) tea.Cmd { return a.openUnmountPicker(name) }},
	}
}

// mountableState returns why inst's mounts cannot be shown or changed in
// its status, or "" when they can. A Broken instance or one in an unknown
// state is left alone: limactl may not be able to edit or start it.
func mountableState(inst lima.Instance) string {
	if inst.Status == lima.StatusRunning || inst.Status == lima.StatusStopped {
		return ""
	}
	return "needs Running or Stopped"
}

// mountChangeReason returns why inst's mount list cannot be changed, or ""
// when it can.
func mountChangeReason(inst lima.Instance) string {
	if reason := mountableState(inst); reason != "" {
		return reason
	}
	return unwritableMounts(inst.Mounts)
}

// unwritableMounts returns why aisand cannot write mounts back with
// limactl edit --mount-only, such as a folder mounted at another guest
// path, or "" when it can. An empty list is writable once a folder is
// added to it.
func unwritableMounts(mounts []lima.Mount) string {
	if len(mounts) == 0 {
		return ""
	}
	if _, err := lima.MountOnlyArg(mounts); err != nil {
		return "aisand cannot write this mount list back: " + err.Error() + "; change it with limactl edit"
	}
	return ""
}

// mountKeys are the keys of the mount pages.
type mountKeys struct {
	Mount    key.Binding
	Unmount  key.Binding
	Choose   key.Binding
	First    key.Binding
	Last     key.Binding
	Complete key.Binding
	Confirm  key.Binding
	Quit     key.Binding
}

func defaultMountKeys() mountKeys {
	return mountKeys{
		Mount:    key.NewBinding(key.WithKeys("m", "a"), key.WithHelp("m", "mount a folder")),
		Unmount:  key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "unmount")),
		Choose:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "unmount")),
		First:    key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home", "first")),
		Last:     key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end", "last")),
		Complete: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
		Confirm:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "mount")),
		Quit:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
}

// mountsList is the Mounts page: every mount of one instance with its host
// path, guest path and mode. It reads the instance from the app's list on
// every draw, so it shows a change as soon as the list is refreshed.
type mountsList struct {
	instance string
	keys     mountKeys
}

func (a *App) openMountsList(name string) tea.Cmd {
	a.page = &mountsList{instance: name, keys: defaultMountKeys()}
	return nil
}

func (p *mountsList) update(a *App, msg tea.Msg) (page, tea.Cmd) {
	keyMsg, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	a.notice = notice{}
	switch {
	case key.Matches(keyMsg, a.keys.Back):
		return nil, nil
	case key.Matches(keyMsg, a.keys.Quit):
		return p, tea.Quit
	case key.Matches(keyMsg, a.keys.Refresh):
		return p, a.refresh()
	case key.Matches(keyMsg, p.keys.Mount):
		// The opener replaces a.page, or leaves this page with a notice.
		cmd := a.openMountInput(p.instance)
		return a.page, cmd
	case key.Matches(keyMsg, p.keys.Unmount):
		cmd := a.openUnmountPicker(p.instance)
		return a.page, cmd
	}
	return p, nil
}

func (p *mountsList) view(a *App) string {
	rows := []string{a.styles.Title.Render("Mounts of " + p.instance), ""}
	inst, ok := a.instanceNamed(p.instance)
	switch {
	case !ok:
		rows = append(rows, a.styles.Muted.Render(p.instance+" is no longer listed."))
	case len(inst.Mounts) == 0:
		rows = append(rows, a.styles.Muted.Render(p.instance+" has no mounts."))
	default:
		rows = append(rows, a.mountTable(inst.Mounts, hostHome())...)
	}
	bindings := []key.Binding{a.keys.Refresh, a.keys.Back, a.keys.Quit}
	if ok {
		if note := mountsNote(inst); note != "" {
			rows = append(rows, "", a.styles.Warn.Width(a.width).Render(note))
		}
		if mountChangeReason(inst) == "" {
			bindings = append([]key.Binding{p.keys.Mount, p.keys.Unmount}, bindings...)
		}
	}
	return a.pageLayout(rows, bindings)
}

// mountsNote returns what a change of inst's mounts does in its state, or
// why there can be none.
func mountsNote(inst lima.Instance) string {
	if reason := mountableState(inst); reason != "" {
		return fmt.Sprintf("%s is %s: its mounts can be changed only while it is Running or Stopped.", inst.Name, statusWord(inst.Status))
	}
	if reason := unwritableMounts(inst.Mounts); reason != "" {
		return "Mount and Unmount are off: " + reason + "."
	}
	if inst.Status == lima.StatusStopped {
		return inst.Name + " is stopped: a change edits its mount list and it stays stopped."
	}
	return ""
}

// mountTable draws mounts as aligned columns: mode, host folder and guest
// path, with the home folder marked. A guest path equal to the host path,
// as Lima's mount lists make it, is written "same path" to save room.
// Widths are display cells, so wide characters keep the columns aligned.
func (a *App) mountTable(mounts []lima.Mount, home string) []string {
	const modeWidth = len("read-write")
	const sameText = "same path"
	const homeMark = "  (home folder)"
	guestCells := make([]string, len(mounts))
	hostNeed, guestNeed := lipgloss.Width("HOST FOLDER"), lipgloss.Width("GUEST PATH")
	for i, m := range mounts {
		guestCells[i] = guestColumn(m, sameText)
		if isHomeMount(m, home) {
			guestCells[i] += a.styles.Muted.Render(homeMark)
		}
		hostNeed = max(hostNeed, lipgloss.Width(m.Location))
		guestNeed = max(guestNeed, lipgloss.Width(guestCells[i]))
	}
	// The host folder comes first: it is the path the user chose. The
	// guest column keeps room for "same path" at least, and gets the rest.
	room := max(20, a.width-modeWidth-6)
	hostWidth := min(hostNeed, room-min(guestNeed, len(sameText)+3))
	guestWidth := min(guestNeed, room-hostWidth)

	row := func(mode, host, guest string) string {
		return "  " + padRight(mode, modeWidth) + "  " + padRight(truncate(host, hostWidth), hostWidth) + "  " + truncate(guest, guestWidth)
	}
	rows := []string{a.styles.Muted.Render(row("MODE", "HOST FOLDER", "GUEST PATH"))}
	for i, m := range mounts {
		rows = append(rows, row(mountMode(m), m.Location, guestCells[i]))
	}
	return rows
}

// guestColumn returns m's guest path, or same when it is the host path.
func guestColumn(m lima.Mount, same string) string {
	if guestPath(m) == m.Location {
		return same
	}
	return guestPath(m)
}

// pageLayout fills the screen with rows and puts the notice and the key
// help at the bottom, as the main screen does.
func (a *App) pageLayout(rows []string, bindings []key.Binding) string {
	height := a.height - a.footerHeight()
	rows = strings.Split(strings.Join(rows, "\n"), "\n")
	if len(rows) > height {
		rows = rows[:height]
	}
	for len(rows) < height {
		rows = append(rows, "")
	}
	body := lipgloss.NewStyle().MaxWidth(a.width).Render(strings.Join(rows, "\n"))
	return body + "\n" + a.footer(bindings)
}

// instanceNamed returns the instance called name from the newest list.
func (a *App) instanceNamed(name string) (lima.Instance, bool) {
	for _, inst := range a.list.items {
		if inst.Name == name {
			return inst, true
		}
	}
	return lima.Instance{}, false
}

func mountMode(m lima.Mount) string {
	if m.Writable {
		return "read-write"
	}
	return "read-only"
}

func guestPath(m lima.Mount) string {
	if m.MountPoint != "" {
		return m.MountPoint
	}
	return m.Location
}

func padRight(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-lipgloss.Width(s)))
}

// expandHome returns location with a leading "~" replaced by home, cleaned.
func expandHome(location, home string) string {
	if home != "" && (location == "~" || strings.HasPrefix(location, "~/")) {
		location = home + strings.TrimPrefix(location, "~")
	}
	return filepath.Clean(location)
}

// isHomeMount reports whether m shares the user's home folder. That mount
// is what every aisand VM starts with, and it is never offered for removal.
func isHomeMount(m lima.Mount, home string) bool {
	return home != "" && expandHome(m.Location, home) == filepath.Clean(home)
}

// sameMount reports whether m's host folder is folder.
func sameMount(m lima.Mount, folder, home string) bool {
	return expandHome(m.Location, home) == filepath.Clean(folder)
}

func findMount(mounts []lima.Mount, folder, home string) (lima.Mount, bool) {
	for _, m := range mounts {
		if sameMount(m, folder, home) {
			return m, true
		}
	}
	return lima.Mount{}, false
}
