package ui

import "charm.land/bubbles/v2/key"

// keyMap holds every binding; the footer is drawn from the same values, so
// what it shows is what the keys do.
type keyMap struct {
	Up      key.Binding
	Down    key.Binding
	Enter   key.Binding
	Global  key.Binding
	Refresh key.Binding
	Back    key.Binding
	Quit    key.Binding
	Yes     key.Binding
	No      key.Binding
	Cancel  key.Binding

	Home     key.Binding
	End      key.Binding
	PageUp   key.Binding
	PageDown key.Binding
}

func defaultKeys() keyMap {
	return keyMap{
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Enter:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "actions")),
		Global:  key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "global")),
		Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Yes:     key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		No:      key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n", "no")),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),

		Home:     key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "first")),
		End:      key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end", "last")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdown", "page down")),
	}
}

// mainHelp lists the bindings the main screen's footer shows, the ones a
// narrow footer must keep first.
func (k keyMap) mainHelp() []key.Binding {
	return []key.Binding{k.Enter, k.Global, k.Refresh, k.Quit, k.Up, k.Down}
}

func (k keyMap) menuHelp() []key.Binding {
	choose := k.Enter
	choose.SetHelp("enter", "choose")
	return []key.Binding{k.Up, k.Down, choose, k.Back}
}
