package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/japacx/aisand/internal/host"
)

// setupNameWidth fits the longest program name, qemu-system-aarch64.
const setupNameWidth = 21

// setupFailureLines is how many of a failed step's last output lines the
// screen shows; the log view has the rest.
const setupFailureLines = 6

var setupScrollKeys = key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdown", "scroll"))

// view draws the findings above and the summary, choices and keys below.
// The part below always shows; the findings scroll when they do not fit.
func (p *setupPage) view(a *App) string {
	body := p.bodyLines(a)
	room := max(1, a.height-len(p.footLines(a, false)))
	foot := p.footLines(a, len(body) > room)
	body = p.visibleBody(a, body, room)
	for len(body) < room {
		body = append(body, "")
	}
	return strings.Join(append(body, foot...), "\n")
}

// visibleBody returns the room lines of body from the scroll position,
// with a marker line where lines are hidden.
func (p *setupPage) visibleBody(a *App, body []string, room int) []string {
	if len(body) <= room {
		return body
	}
	if room < 2 {
		return body[:room]
	}
	top := min(max(0, p.scroll), len(body)-(room-1))
	shown := body[top : top+room-1]
	marker := fmt.Sprintf("lines %d–%d of %d · pgup/pgdown scroll", top+1, top+len(shown), len(body))
	return append(shown, a.styles.Muted.Render(truncate(marker, a.width)))
}

// scrollBy moves the findings by delta lines, within what can be shown.
func (p *setupPage) scrollBy(a *App, delta int) {
	room := max(1, a.height-len(p.footLines(a, false)))
	last := max(0, len(p.bodyLines(a))-(room-1))
	p.scroll = min(max(0, p.scroll+delta), last)
}

func (p *setupPage) bodyLines(a *App) []string {
	title := a.styles.Title.Render("Host Setup")
	if p.report != nil {
		title += a.styles.Muted.Render("  " + p.report.GOOS + "/" + p.report.GOARCH)
	}
	lines := []string{title, ""}
	if p.report == nil {
		return append(lines, a.styles.Busy.Render(a.spinner.View())+" Checking the host…")
	}

	lines = append(lines, "aisand needs these programs on this computer:")
	for _, dependency := range p.report.Dependencies {
		lines = append(lines, p.dependencyLines(a, dependency)...)
	}
	if b := p.report.Blocker; b != nil {
		lines = append(lines, "")
		lines = append(lines, p.noticeLines(a, *b, a.styles.Danger)...)
	}
	for _, warning := range p.report.Warnings {
		lines = append(lines, "")
		lines = append(lines, p.noticeLines(a, warning, a.styles.Warn)...)
	}
	if activation := p.shownActivation(a); activation != nil {
		lines = append(lines, "")
		lines = append(lines, p.activationLines(a, activation)...)
	}
	if p.stillMissing != "" {
		lines = append(lines, "")
		lines = append(lines, p.wrapped(a, a.styles.Danger, p.stillMissing, "")...)
	}
	if p.failure != nil {
		lines = append(lines, "")
		lines = append(lines, p.failureLines(a)...)
	}
	return lines
}

// wrapped wraps text at spaces under indent, in style.
func (p *setupPage) wrapped(a *App, style lipgloss.Style, text, indent string, keep ...string) []string {
	lines := wrapAtSpaces(text, a.width-len(indent), keep...)
	for i, line := range lines {
		lines[i] = indent + style.Render(line)
	}
	return lines
}

// commandLine draws a command to copy on its own line, whole even past the
// edge of the screen.
func (p *setupPage) commandLine(a *App, command string) string {
	return "      " + a.styles.Key.Render(command)
}

func (p *setupPage) dependencyLines(a *App, dependency host.Dependency) []string {
	name := fmt.Sprintf("%-*s", setupNameWidth, dependency.Name)
	// row joins the parts, cutting the muted tail to the screen width.
	row := func(mark, state string, stateStyle lipgloss.Style, tail string) string {
		room := a.width - 2 - setupNameWidth - len([]rune(state)) - 2
		return mark + " " + name + stateStyle.Render(state) + "  " + a.styles.Muted.Render(truncate(tail, room))
	}
	var first string
	switch {
	case dependency.State == host.Found:
		version := dependency.Version
		if version == "" {
			version = "found"
		}
		first = row(a.styles.OK.Render("✓"), version, lipgloss.NewStyle(), dependency.Path)
	case dependency.State == host.Broken:
		first = row(a.styles.Danger.Render("!"), "not working", a.styles.Danger, dependency.Path)
	case dependency.Required:
		first = row(a.styles.Danger.Render("✗"), "missing", a.styles.Danger, dependency.Purpose)
	default:
		first = row(a.styles.Muted.Render("·"), "not installed", lipgloss.NewStyle(), "optional: "+dependency.Purpose)
	}
	lines := []string{first}

	if dependency.Problem == "" {
		return lines
	}
	detail := dependency.Problem
	install := ""
	if dependency.State == host.Missing && dependency.Required && dependency.Formula != "" {
		install = "brew install " + dependency.Formula
		detail += "; Homebrew installs it (" + install + ")"
	}
	style := a.styles.Muted
	if dependency.State == host.Broken || dependency.Formula == "" && dependency.Required && dependency.State != host.Found {
		style = a.styles.Danger
	}
	if dependency.State == host.Broken {
		detail = "It is installed but does not work: " + detail
	}
	// Wrapped, not cut, because the end often names the fix.
	lines = append(lines, p.wrapped(a, style, detail, "    ", install)...)
	if dependency.Fix != "" {
		lines = append(lines, p.wrapped(a, a.styles.Muted, dependency.Fix, "    ")...)
	}
	if dependency.FixCommand != "" {
		lines = append(lines, p.commandLine(a, dependency.FixCommand))
	}
	return lines
}

// noticeLines draws a finding with its reason and what to do, wrapped, and
// the command to run on its own line.
func (p *setupPage) noticeLines(a *App, n host.Notice, style lipgloss.Style) []string {
	lines := p.wrapped(a, style, "! "+n.Message, "")
	for _, text := range []string{n.Reason, n.Action} {
		if text != "" {
			lines = append(lines, p.wrapped(a, a.styles.Muted, text, "  ")...)
		}
	}
	if n.Command != "" {
		lines = append(lines, p.commandLine(a, n.Command))
	}
	return lines
}

func (p *setupPage) activationLines(a *App, activation *host.Activation) []string {
	profile := activation.Profile
	text := fmt.Sprintf("Homebrew is installed in %s, which was not on PATH. aisand put it on PATH for this run. "+
		"For new shells to find brew and limactl, add this line to %s:", filepath.Dir(activation.Brew), profile.File)
	return append(p.wrapped(a, a.styles.Warn, text, ""), p.commandLine(a, profile.Line))
}

func (p *setupPage) failureLines(a *App) []string {
	var failure *host.StepError
	if !errors.As(p.failure, &failure) {
		return p.wrapped(a, a.styles.Danger, "✗ The install failed: "+oneLine(p.failure.Error()), "")
	}
	lines := p.wrapped(a, a.styles.Danger, "✗ The install failed at: "+failure.Step, "")
	lines = append(lines, p.wrapped(a, lipgloss.NewStyle(), failureCause(failure)+". The command was:", "  ")...)
	lines = append(lines, p.commandLine(a, failure.Command))
	last := failure.LastLines
	if len(last) > setupFailureLines {
		last = last[len(last)-setupFailureLines:]
	}
	if len(last) > 0 {
		lines = append(lines, "  Last output:")
		for _, line := range last {
			lines = append(lines, p.wrapped(a, a.styles.Stderr, line, "    ")...)
		}
	}
	return lines
}

// summaryLines say what the user does next, wrapped.
func (p *setupPage) summaryLines(a *App) []string {
	r := p.report
	switch {
	case r == nil:
		return nil
	case p.checking:
		return []string{a.styles.Busy.Render(a.spinner.View()) + " Checking the host again…"}
	case p.connectErr != nil:
		return p.wrapped(a, a.styles.Danger, "aisand cannot continue: "+oneLine(p.connectErr.Error()), "")
	case r.Ready():
		return []string{a.styles.OK.Render("✓ Everything aisand needs is present.")}
	}
	text := needsText(*r)
	if r.CanInstall() {
		return p.wrapped(a, lipgloss.NewStyle(), text+" Press enter on the first item to install it with Homebrew.", "")
	}
	return p.wrapped(a, a.styles.Danger, text+" Fix what is shown above, then check again.", "")
}

// needsText names the required programs that are missing and those that
// do not work.
func needsText(r host.Report) string {
	var missing, broken []string
	for _, dependency := range r.Missing() {
		if dependency.State == host.Broken {
			broken = append(broken, dependency.Name)
		} else {
			missing = append(missing, dependency.Name)
		}
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "Missing: "+strings.Join(missing, ", ")+".")
	}
	if len(broken) > 0 {
		parts = append(parts, "Not working: "+strings.Join(broken, ", ")+".")
	}
	return strings.Join(parts, " ")
}

// footLines are the summary, the choices, the notice and the keys, with
// the scroll keys when the findings above do not fit.
func (p *setupPage) footLines(a *App, scrollable bool) []string {
	lines := []string{""}
	if summary := p.summaryLines(a); len(summary) > 0 {
		lines = append(lines, summary...)
		lines = append(lines, "")
	}
	items := p.items(a)
	for i, item := range items {
		cursor := "  "
		if i == p.cursor {
			cursor = "▶ "
		}
		label := item.label
		switch {
		case item.disabled != "":
			label = a.styles.Muted.Render(label + "  (" + item.disabled + ")")
		case i == p.cursor:
			label = a.styles.Selected.Render(label)
		}
		lines = append(lines, truncate(cursor+label, a.width+40))
	}
	bindings := []key.Binding{setupMoveKeys, a.keys.Enter, setupCheckKey}
	bindings[1].SetHelp("enter", "choose")
	if scrollable {
		bindings = append(bindings, setupScrollKeys)
	}
	if p.fromMenu {
		bindings = append(bindings, a.keys.Back)
	}
	bindings = append(bindings, a.keys.Quit)
	return append(lines, "", a.noticeText(), a.help.ShortHelpView(bindings))
}
