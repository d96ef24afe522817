package ui

import (
	"errors"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/japacx/aisand/internal/lima"
)

// notice is the message under the main screen. It is cleared by the next
// key, so an old message never passes for a new one.
type notice struct {
	text  string
	isErr bool
}

func errorNotice(text string) notice { return notice{text: text, isErr: true} }
func infoNotice(text string) notice  { return notice{text: text} }

// maxNoticeLines bounds a wrapped notice, so that the screen above keeps
// its room; three lines hold a path and the command to run.
const maxNoticeLines = 3

// noticeLines returns the footer's message, wrapped to the screen: the
// notice, else the list's error, else one empty line.
func (a *App) noticeLines() []string {
	text, style := a.notice.text, a.styles.InfoLine
	if a.notice.isErr {
		style = a.styles.ErrorLine
	}
	if text == "" && a.list.err != nil {
		text, style = listProblem(a.list.err), a.styles.ErrorLine
	}
	if text == "" {
		return []string{""}
	}
	lines := strings.Split(lipgloss.Wrap(oneLine(text), a.width, " "), "\n")
	if len(lines) > maxNoticeLines {
		lines = lines[:maxNoticeLines]
		lines[maxNoticeLines-1] = truncate(lines[maxNoticeLines-1]+" …", a.width)
	}
	for i := range lines {
		lines[i] = style.Render(lines[i])
	}
	return lines
}

// a.footerHeight() is the footer's notice lines and its key help line.
func (a *App) footerHeight() int { return len(a.noticeLines()) + 1 }

// limactlMessage is what a person reads for err: limactl's own message
// when there is one.
func limactlMessage(err error) string {
	var e *lima.Error
	if errors.As(err, &e) {
		return e.Explanation()
	}
	return err.Error()
}

func isRootRefusal(err error) bool {
	var e *lima.Error
	return errors.As(err, &e) && e.Kind == lima.KindRootRefused
}

// oneLine joins a message's lines, for places with room for one.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// truncate cuts s to width terminal cells, marking the cut. It counts
// cells, not bytes or runes, and leaves colour codes whole, so a styled
// string is cut where it shows.
func truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// noticeText is noticeLines joined, for screens that place it themselves.
func (a *App) noticeText() string { return strings.Join(a.noticeLines(), "\n") }
