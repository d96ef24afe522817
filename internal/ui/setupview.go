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

func (p *setupPage) view(a *App) string {
	body := p.bodyLines(a)
	foot := p.footLines(a)
	room := max(1, a.height-len(foot))
	if len(body) > room {
		body = append(body[:room-1], a.styles.Muted.Render("… (a taller terminal shows the rest)"))
	}
	for len(body) < room {
		body = append(body, "")
	}
	return strings.Join(append(body, foot...), "\n")
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
	if p.activation != nil && p.activation.Profile != nil {
		lines = append(lines, "")
		lines = append(lines, p.activationLines(a)...)
	}
	if p.failure != nil {
		lines = append(lines, "")
		lines = append(lines, p.failureLines(a)...)
	}
	lines = append(lines, "", p.summary(a))
	return lines
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
	if dependency.State == host.Missing && dependency.Required && dependency.Formula != "" {
		detail += "; Homebrew installs it (brew install " + dependency.Formula + ")"
	}
	style := a.styles.Muted
	if dependency.State == host.Broken || dependency.Formula == "" && dependency.Required && dependency.State != host.Found {
		style = a.styles.Danger
	}
	// Wrapped, not cut, because the end often names the fix.
	for _, line := range strings.Split(style.Width(max(20, a.width-4)).Render(detail), "\n") {
		lines = append(lines, "    "+line)
	}
	return lines
}

// noticeLines draws a finding with its reason and what to do, wrapped.
func (p *setupPage) noticeLines(a *App, n host.Notice, style lipgloss.Style) []string {
	wrap := a.styles.Muted.Width(max(20, a.width-4))
	lines := []string{style.Render(truncate("! "+n.Message, a.width))}
	for _, text := range []string{n.Reason, n.Action} {
		if text == "" {
			continue
		}
		for _, line := range strings.Split(wrap.Render(text), "\n") {
			lines = append(lines, "  "+line)
		}
	}
	return lines
}

func (p *setupPage) activationLines(a *App) []string {
	profile := p.activation.Profile
	wrap := a.styles.Warn.Width(max(20, a.width))
	text := fmt.Sprintf("Homebrew is installed in %s, which was not on PATH. aisand put it on PATH for this run. "+
		"For new shells to find brew and limactl, add this line to %s:", filepath.Dir(p.activation.Brew), profile.File)
	lines := strings.Split(wrap.Render(text), "\n")
	// The line is drawn whole, even past the edge, because the user copies it.
	return append(lines, "    "+a.styles.Key.Render(profile.Line))
}

func (p *setupPage) failureLines(a *App) []string {
	var failure *host.StepError
	if !errors.As(p.failure, &failure) {
		return []string{a.styles.Danger.Render(truncate("✗ The install failed: "+oneLine(p.failure.Error()), a.width))}
	}
	lines := []string{a.styles.Danger.Render(truncate("✗ The install failed at: "+failure.Step, a.width))}
	lines = append(lines, "  "+truncate(oneLine(stepOutcome(failure)), a.width-2))
	last := failure.LastLines
	if len(last) > setupFailureLines {
		last = last[len(last)-setupFailureLines:]
	}
	if len(last) > 0 {
		lines = append(lines, "  Last output:")
		for _, line := range last {
			lines = append(lines, "    "+a.styles.Stderr.Render(truncate(line, a.width-4)))
		}
	}
	return lines
}

func (p *setupPage) summary(a *App) string {
	r := p.report
	switch {
	case p.checking:
		return a.styles.Busy.Render(a.spinner.View()) + " Checking the host again…"
	case p.connectErr != nil:
		return a.styles.Danger.Render(truncate("limactl is present but aisand cannot use it: "+oneLine(p.connectErr.Error()), a.width))
	case r.Ready():
		return a.styles.OK.Render("✓ Everything aisand needs is present.")
	case r.CanInstall():
		return truncate("Missing: "+missingNames(*r)+". Press enter on the first item to install it with Homebrew.", a.width)
	}
	return a.styles.Danger.Render(truncate("Missing: "+missingNames(*r)+". Fix what is shown above, then check again.", a.width))
}

func (p *setupPage) footLines(a *App) []string {
	items := p.items(a)
	lines := []string{""}
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
	if p.fromMenu {
		bindings = append(bindings, a.keys.Back)
	}
	bindings = append(bindings, a.keys.Quit)
	return append(lines, "", a.noticeText(), a.help.ShortHelpView(bindings))
}
