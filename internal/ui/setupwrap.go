package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// unbreakableSpace, a private-use character that strings.Fields does not
// split at, stands for a space inside a phrase that must stay on
// one line while the text around it is wrapped.
const unbreakableSpace = "\ue000"

// wrapAtSpaces wraps text to width cells, breaking only at spaces. A word
// wider than the width keeps its own line and runs past the edge, because
// a path or command cut in two cannot be copied. The phrases in keep, such
// as commands, are not broken at their inner spaces either.
func wrapAtSpaces(text string, width int, keep ...string) []string {
	for _, phrase := range keep {
		if phrase != "" {
			text = strings.ReplaceAll(text, phrase, strings.ReplaceAll(phrase, " ", unbreakableSpace))
		}
	}
	width = max(1, width)
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		word = strings.ReplaceAll(word, unbreakableSpace, " ")
		switch {
		case line == "":
			line = word
		case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}
