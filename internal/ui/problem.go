package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Problem is something that stops aisand from working at all, with what
// the user can do about it.
type Problem struct {
	Title string
	Lines []string
}

// RootProblem explains why aisand does not run as root.
func RootProblem() *Problem {
	return &Problem{
		Title: "aisand is running as root",
		Lines: []string{
			"limactl refuses to run as root (\"must not run as the root user\").",
			"Quit and start aisand again as your own user, without sudo.",
		},
	}
}

func (a *App) problemKey(msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "q" || msg.String() == "ctrl+c" || msg.String() == "esc" {
		return tea.Quit
	}
	return nil
}

func (a *App) problemView() string {
	p := a.cfg.Problem
	body := a.styles.Danger.Bold(true).Render(p.Title) + "\n\n" + strings.Join(p.Lines, "\n") +
		"\n\n" + a.styles.Muted.Render("q quit")
	box := a.styles.Panel.Width(min(a.width-2, 100)).Render(body)
	return lipgloss.Place(a.width, a.height, lipgloss.Center, lipgloss.Center, box)
}

// tooSmall replaces the layout in a terminal it does not fit, wrapped so
// that the sizes stay readable however narrow the terminal is.
func (a *App) tooSmall() string {
	text := "Terminal too small: aisand needs at least " + itoa(minWidth) + "×" + itoa(minHeight) +
		", this one is " + itoa(a.width) + "×" + itoa(a.height) + "."
	lines := strings.Split(lipgloss.Wrap(text, a.width, " "), "\n")
	return strings.Join(lines[:min(len(lines), a.height)], "\n")
}
