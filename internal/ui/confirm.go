package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// confirm is a yes/no question; only y and n (or esc) answer it.
type confirm struct {
	lines []string
	yes   func(a *App) tea.Cmd
}

func (a *App) confirmKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, a.keys.Yes):
		c := a.confirm
		a.confirm = nil
		return c.yes(a)
	case key.Matches(msg, a.keys.No):
		a.confirm = nil
	}
	return nil
}

func (c *confirm) view(a *App) string {
	body := strings.Join(c.lines, "\n") + "\n\n" + a.styles.Key.Render("y") + " yes   " + a.styles.Key.Render("n") + " no"
	return a.styles.Focused.BorderForeground(a.styles.Danger.GetForeground()).Render(body)
}
