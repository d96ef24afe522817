package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// menuItem is one choice in a menu. A disabled item is drawn grayed, with
// the reason, and cannot be chosen.
type menuItem struct {
	label    string
	disabled string // why the item cannot be chosen; empty when it can
	run      func(a *App) tea.Cmd
}

// newMenu returns a menu whose cursor starts on the first item that can be
// chosen.
func newMenu(title string, items []menuItem) *menu {
	m := &menu{title: title, items: items}
	for i, item := range items {
		if item.disabled == "" {
			m.cursor = i
			break
		}
	}
	return m
}

// menu is a list of choices drawn over the main screen.
type menu struct {
	title  string
	items  []menuItem
	cursor int
	empty  string // shown when there are no items
}

func (a *App) menuKey(msg tea.KeyPressMsg) tea.Cmd {
	m := a.menu
	switch {
	case key.Matches(msg, a.keys.Back):
		a.menu = nil
	case key.Matches(msg, a.keys.Quit):
		return tea.Quit
	case key.Matches(msg, a.keys.Up):
		m.cursor = max(0, m.cursor-1)
	case key.Matches(msg, a.keys.Down):
		m.cursor = min(len(m.items)-1, m.cursor+1)
	case key.Matches(msg, a.keys.Enter):
		if len(m.items) == 0 {
			return nil
		}
		item := m.items[m.cursor]
		if item.disabled != "" {
			a.notice = errorNotice(item.label + ": " + item.disabled)
			return nil
		}
		a.notice = notice{}
		a.menu = nil
		return item.run(a)
	}
	return nil
}

func (m *menu) view(a *App) string {
	rows := []string{a.styles.Title.Render(m.title), ""}
	if len(m.items) == 0 {
		rows = append(rows, a.styles.Muted.Render(m.empty))
	}
	for i, item := range m.items {
		cursor := "  "
		if i == m.cursor {
			cursor = "▶ "
		}
		label := item.label
		switch {
		case item.disabled != "":
			label = a.styles.Muted.Render(label + "  (" + item.disabled + ")")
		case i == m.cursor:
			label = a.styles.Selected.Render(label)
		}
		rows = append(rows, cursor+label)
	}
	rows = append(rows, "", a.help.ShortHelpView(a.keys.menuHelp()))
	return a.styles.Focused.Render(strings.Join(rows, "\n"))
}
