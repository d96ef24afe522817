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

// maxNoticeLines bounds the footer's messages, so that the screen above
// keeps its room; three lines hold a path and the command to run.
const maxNoticeLines = 3

// noticeLines returns the footer's messages wrapped to the screen. A
// failed list comes first, because it explains what the screen shows, and
// the notice follows. With neither, it returns one empty line.
func (a *App) noticeLines() []string {
	var lines []string
	if a.list.err != nil {
		lines = append(lines, a.wrapStyled(listProblem(a.list.err), a.styles.ErrorLine)...)
	}
	if a.notice.text != "" {
		style := a.styles.InfoLine
		if a.notice.isErr {
			style = a.styles.ErrorLine
		}
		lines = append(lines, a.wrapStyled(a.notice.text, style)...)
	}
	if len(lines) == 0 {
		return []string{""}
	}
	if len(lines) > maxNoticeLines {
		lines = lines[:maxNoticeLines]
		lines[maxNoticeLines-1] += " …"
	}
	return lines
}

// wrapStyled wraps text to the screen at spaces and styles each line.
func (a *App) wrapStyled(text string, style lipgloss.Style) []string {
	lines := strings.Split(lipgloss.Wrap(oneLine(text), max(1, a.width-2), " "), "\n")
	for i := range lines {
		lines[i] = style.Render(lines[i])
	}
	return lines
}

// footerHeight is the footer's notice lines and its key help line.
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
