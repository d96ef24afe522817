package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
)

// unmountPicker is the Unmount page: the mounts of one instance that can
// be removed, which are all but the read-only home folder.
type unmountPicker struct {
	instance string
	keys     mountKeys
	// back is the page esc returns to, as on the Mount page.
	back   page
	mounts []lima.Mount
	cursor int
}

func (a *App) openUnmountPicker(name string) tea.Cmd {
	if reason := a.mountChangeBlocked(name); reason != "" {
		a.notice = errorNotice("Unmount: " + reason)
		return nil
	}
	inst, _ := a.instanceNamed(name)
	removable := removableMounts(inst.Mounts, hostHome())
	switch {
	case len(removable) == 0 && len(inst.Mounts) == 0:
		a.notice = infoNotice(fmt.Sprintf("%s has no mounts to remove.", name))
		return nil
	case len(removable) == 0:
		a.notice = infoNotice(fmt.Sprintf("%s has no mounts to remove: the home folder mount stays.", name))
		return nil
	case len(inst.Mounts) == 1:
		// limactl edit --mount-only cannot write an empty list.
		a.notice = errorNotice(fmt.Sprintf("Unmount: %s is the only mount of %s, and limactl cannot set an empty mount list; mount another folder first.", removable[0].Location, name))
		return nil
	}
	a.page = &unmountPicker{instance: name, keys: defaultMountKeys(), back: a.mountsPageUnder(), mounts: removable}
	return nil
}

// removableMounts returns mounts without the home folder mount.
func removableMounts(mounts []lima.Mount, home string) []lima.Mount {
	var removable []lima.Mount
	for _, m := range mounts {
		if !isHomeMount(m, home) {
			removable = append(removable, m)
		}
	}
	return removable
}

func (p *unmountPicker) update(a *App, msg tea.Msg) (page, tea.Cmd) {
	keyMsg, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	a.notice = notice{}
	switch {
	case key.Matches(keyMsg, a.keys.Back):
		return p.back, nil
	case key.Matches(keyMsg, a.keys.Quit):
		return p, tea.Quit
	case key.Matches(keyMsg, a.keys.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(keyMsg, a.keys.Down):
		p.cursor = min(len(p.mounts)-1, p.cursor+1)
	case key.Matches(keyMsg, p.keys.First):
		p.cursor = 0
	case key.Matches(keyMsg, p.keys.Last):
		p.cursor = len(p.mounts) - 1
	case key.Matches(keyMsg, p.keys.Choose):
		p.confirmUnmount(a, p.mounts[p.cursor])
	}
	return p, nil
}

// confirmUnmount asks before m is removed.
func (p *unmountPicker) confirmUnmount(a *App, m lima.Mount) {
	a.confirm = a.mountQuestion(mountChange{instance: p.instance, folder: expandHome(m.Location, hostHome())})
}

func (p *unmountPicker) view(a *App) string {
	rows := []string{a.styles.Title.Render("Unmount a folder from " + p.instance), ""}
	width := max(10, a.width-16)
	for i, m := range p.mounts {
		cursor := "  "
		label := truncate(m.Location, width)
		if i == p.cursor {
			cursor = "▶ "
			label = a.styles.Selected.Render(label)
		}
		rows = append(rows, cursor+label+"  "+a.styles.Muted.Render(mountMode(m)))
	}
	if inst, ok := a.instanceNamed(p.instance); ok {
		if note := homeMountNote(inst.Mounts, hostHome()); note != "" {
			rows = append(rows, "", a.styles.Muted.Width(a.width).Render(note))
		}
	}
	bindings := []key.Binding{a.keys.Up, a.keys.Down, p.keys.First, p.keys.Last, p.keys.Choose, a.keys.Back, a.keys.Quit}
	return a.pageLayout(rows, bindings)
}

// homeMountNote says how the home folder is mounted, since the picker
// does not list it, or "" when it is not mounted.
func homeMountNote(mounts []lima.Mount, home string) string {
	for _, m := range mounts {
		if isHomeMount(m, home) {
			return "Your home folder stays mounted " + mountMode(m) + " and is not listed."
		}
	}
	return ""
}
