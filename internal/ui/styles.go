package ui

import (
	"charm.land/lipgloss/v2"
)

// Styles names the roles things play on screen, not their colours, so a
// screen asks for "muted" or "danger" and the palette lives here alone.
type Styles struct {
	Title     lipgloss.Style
	Muted     lipgloss.Style
	Selected  lipgloss.Style
	OK        lipgloss.Style
	Danger    lipgloss.Style
	Warn      lipgloss.Style
	Busy      lipgloss.Style
	Label     lipgloss.Style
	Panel     lipgloss.Style
	Focused   lipgloss.Style
	Key       lipgloss.Style
	ErrorLine lipgloss.Style
	InfoLine  lipgloss.Style
	Stderr    lipgloss.Style
}

// DefaultStyles is the palette, chosen to read on dark and light terminals.
func DefaultStyles() Styles {
	var (
		muted  = lipgloss.Color("#808080")
		accent = lipgloss.Color("#7D56F4")
		ok     = lipgloss.Color("#3FB950")
		danger = lipgloss.Color("#F85149")
		warn   = lipgloss.Color("#D29922")
	)
	panel := lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(muted).Padding(0, 1)
	return Styles{
		Title:     lipgloss.NewStyle().Bold(true),
		Muted:     lipgloss.NewStyle().Foreground(muted),
		Selected:  lipgloss.NewStyle().Bold(true).Foreground(accent),
		OK:        lipgloss.NewStyle().Foreground(ok),
		Danger:    lipgloss.NewStyle().Foreground(danger),
		Warn:      lipgloss.NewStyle().Foreground(warn),
		Busy:      lipgloss.NewStyle().Foreground(accent),
		Label:     lipgloss.NewStyle().Foreground(muted).Width(10),
		Panel:     panel,
		Focused:   panel.BorderForeground(accent),
		Key:       lipgloss.NewStyle().Bold(true),
		ErrorLine: lipgloss.NewStyle().Foreground(danger),
		InfoLine:  lipgloss.NewStyle().Foreground(ok),
		Stderr:    lipgloss.NewStyle().Foreground(muted),
	}
}
