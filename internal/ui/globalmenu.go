package ui

import tea "charm.land/bubbletea/v2"

// openGlobalMenu opens the menu of actions that concern no single instance.
func (a *App) openGlobalMenu() tea.Cmd {
	var items []menuItem
	// Items of later features, each defined in its own file, go below.
	items = append(items, a.newVMItem(), a.stopAllItem())
	items = append(items, a.hostSetupItem())
	a.menu = newMenu("Global", items)
	a.menu.empty = "No global actions yet."
	return nil
}
