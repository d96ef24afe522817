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
	if len(removable) == 0 {
		a.notice = infoNotice(fmt.Sprintf("%s has no mounts to remove: the home folder mount stays.", name))
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
	case key.Matches(keyMsg, p.keys.Choose):
		p.confirmUnmount(a, p.mounts[p.cursor])
	}
	return p, nil
}

// confirmUnmount asks before the restart that removing m needs.
func (p *unmountPicker) confirmUnmount(a *App, m lima.Mount) {
	name, folder := p.instance, expandHome(m.Location, hostHome())
	a.confirm = &confirm{
		lines: []string{
			a.styles.Title.Render(fmt.Sprintf("Unmount %s from %s?", folder, name)),
			"The folder stays on your machine; only the VM loses access to it.",
			a.styles.Warn.Render(name + " restarts: it is stopped, its mount list is"),
			a.styles.Warn.Render("changed, and it is started again. Programs running in it end."),
		},
		yes: func(a *App) tea.Cmd {
			a.page = &mountsList{instance: name, keys: defaultMountKeys()}
			return a.changeMounts(mountChange{instance: name, folder: folder})
		},
	}
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
	rows = append(rows, "", a.styles.Muted.Render("Your home folder stays mounted read-only and is not listed."))
	bindings := []key.Binding{a.keys.Up, a.keys.Down, p.keys.Choose, a.keys.Back, a.keys.Quit}
	return a.pageLayout(rows, bindings)
}
