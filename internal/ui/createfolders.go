package ui

import (
	"slices"

	tea "charm.land/bubbletea/v2"
)

// folderKey handles the keys that select and remove chosen folders at the
// folder step, and reports whether it used msg. Up from the field selects
// the last chosen folder; while one is selected, the field gets no keys.
func (p *createPage) folderKey(msg tea.KeyPressMsg) bool {
	if p.folderCursor < 0 {
		if msg.String() == "up" && len(p.folders) > 0 {
			p.folderCursor = len(p.folders) - 1
			return true
		}
		return false
	}
	switch msg.String() {
	case "up", "k":
		p.folderCursor = max(0, p.folderCursor-1)
	case "down", "j":
		p.folderCursor++
		if p.folderCursor >= len(p.folders) {
			p.folderCursor = -1
		}
	case "x", "delete", "backspace":
		p.removeFolder(p.folderCursor)
	case "enter":
		p.folderCursor = -1
	}
	// Other keys are dropped, so a letter typed while a folder is selected
	// does not land in the field unseen.
	return true
}

// removeFolder takes the chosen folder i off the list and keeps a
// neighbour selected, or gives the keys back to the field when none is
// left.
func (p *createPage) removeFolder(i int) {
	p.folders = slices.Delete(p.folders, i, i+1)
	p.folderCursor = min(i, len(p.folders)-1)
}
