package ui

import (
	"errors"
	"github.com/charmbracelet/x/ansi"
	"strings"

	"github.com/japacx/aisand/internal/lima"
)

// notice is the one-line message under the main screen. It is cleared by
// the next key, so an old message never passes for a new one.
type notice struct {
	text  string
	isErr bool
}

func errorNotice(text string) notice { return notice{text: text, isErr: true} }
func infoNotice(text string) notice  { return notice{text: text} }

func (a *App) noticeLine() string {
	if a.notice.text == "" {
		return ""
	}
	text := oneLine(a.notice.text)
	if a.notice.isErr {
		return a.styles.ErrorLine.Render(truncate(text, a.width))
	}
	return a.styles.InfoLine.Render(truncate(text, a.width))
}

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
