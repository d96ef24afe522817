package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/japacx/aisand/internal/lima"
)

// questionBoxFrame is the width of the question box's border and padding.
const questionBoxFrame = 4

// mountQuestion asks before change is applied, saying what happens to
// the instance in its status: a running one restarts, a stopped one
// stays stopped.
func (a *App) mountQuestion(change mountChange) *confirm {
	name, folder := change.instance, change.folder
	var title, about string
	if change.add {
		title = fmt.Sprintf("Mount %s in %s?", folder, name)
		about = "It is mounted read-write at the same path inside the VM."
	} else {
		title = fmt.Sprintf("Unmount %s from %s?", folder, name)
		about = "The folder stays on your machine; only the VM loses access to it."
		if insideReadOnlyMount(a, name, folder) {
			about = "The folder stays on your machine. The VM can still read it through the read-only mount of a folder around it, but no longer write to it."
		}
	}
	effect := name + " restarts: it is stopped, its mount list is changed, and it is started again. Programs running in it end."
	if inst, ok := a.instanceNamed(name); ok && inst.Status == lima.StatusStopped {
		effect = name + " is stopped and stays stopped: only its mount list is changed, and the change takes effect when it starts."
	}
	var lines []string
	lines = append(lines, a.questionLines(a.styles.Title, title)...)
	lines = append(lines, a.questionLines(lipgloss.NewStyle(), about)...)
	lines = append(lines, a.questionLines(a.styles.Warn, effect)...)
	return &confirm{
		lines: lines,
		yes: func(a *App) tea.Cmd {
			a.page = &mountsList{instance: name, keys: defaultMountKeys()}
			return a.changeMounts(change)
		},
	}
}

// questionLines wraps text to fit the question box on the screen, at
// spaces or, inside a long path, after a slash, and styles each line.
func (a *App) questionLines(style lipgloss.Style, text string) []string {
	width := max(20, a.width-4-questionBoxFrame)
	lines := strings.Split(lipgloss.Wrap(text, width, " /"), "\n")
	for i, line := range lines {
		lines[i] = style.Render(strings.TrimRight(line, " "))
	}
	return lines
}

// insideReadOnlyMount reports whether folder lies inside another of the
// instance's mounts that is read-only, such as the home folder, which
// keeps the folder readable in the VM after its own mount is gone.
func insideReadOnlyMount(a *App, instance, folder string) bool {
	inst, ok := a.instanceNamed(instance)
	if !ok {
		return false
	}
	for _, m := range inst.Mounts {
		if !m.Writable && m.Location != folder && strings.HasPrefix(folder, strings.TrimSuffix(m.Location, "/")+"/") {
			return true
		}
	}
	return false
}
