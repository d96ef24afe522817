package tools

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// State is the probe's finding for one tool in the guest.
type State struct {
	// Installed is true when the tool is ready: its executable and every
	// part of the setup its install script adds are in place.
	Installed bool
	// Path is the absolute path of the tool's executable in the guest, empty
	// when the executable is missing.
	Path string
	// Missing lists the setup parts that are absent although the executable
	// is present, such as PartAuthLink. Running the install script adds them.
	Missing []string
}

// NeedsSetup reports whether the executable is present but some part of its
// setup is not.
func (s State) NeedsSetup() bool {
	return !s.Installed && s.Path != "" && len(s.Missing) > 0
}

// Setup parts that the probe reports as missing.
const (
	// PartLoginLine is the login profile line that puts the tool on PATH.
	PartLoginLine = "login-line"
	// PartConfigLink is ~/.config/opencode linking to the host's folder.
	PartConfigLink = "config-link"
	// PartAuthLink is ~/.local/share/opencode/auth.json linking to the
	// host's file.
	PartAuthLink = "auth-link"
)

// PartDescription returns a few words for the user about a setup part, or
// the part's name when it is unknown.
func PartDescription(part string) string {
	switch part {
	case PartLoginLine:
		return "the login profile line that puts it on PATH"
	case PartConfigLink:
		return "the link to the host's OpenCode config"
	case PartAuthLink:
		return "the link to the host's OpenCode credentials"
	}
	return part
}

// Probe states as the probe script prints them.
const (
	probeInstalled  = "installed"
	probeIncomplete = "incomplete"
	probeMissing    = "missing"
)

// ProbeScript returns the bash script that reports every catalog tool's
// state in one run, to be fed to `bash -s` on stdin with the arguments from
// ProbeArgs. ParseProbe reads its stdout.
func ProbeScript() []byte {
	return mustJoinScript("probe.sh")
}

// ProbeArgs returns the arguments that follow `bash -s` for the probe
// script: the guest home, then the host home, which the probe needs to
// check where the credential links point. Both must be absolute paths.
func ProbeArgs(homes Homes) ([]string, error) {
	if err := validateHome("guest home", homes.Guest); err != nil {
		return nil, err
	}
	if err := validateHome("host home", homes.Host); err != nil {
		return nil, err
	}
	return []string{homes.Guest, homes.Host}, nil
}

// ParseProbe parses the probe script's stdout into a state per catalog tool.
//
// Each line reads "tool=NAME state=installed path=PATH",
// "tool=NAME state=incomplete missing=PART[,PART...] path=PATH" or
// "tool=NAME state=missing". Other fields are ignored, and path runs to the
// end of the line. Lines that do not start
// with "tool=" are ignored, because a login shell may print a banner, and
// so are lines for tools outside the catalog. A malformed tool line, a tool
// reported twice and a catalog tool with no line are errors.
func ParseProbe(stdout []byte) (map[string]State, error) {
	states := make(map[string]State)
	toolLines := 0

	scanner := bufio.NewScanner(bytes.NewReader(stdout))
	for lineNumber := 1; scanner.Scan(); lineNumber++ {
		line := strings.TrimSuffix(scanner.Text(), "\r")
		if !strings.HasPrefix(line, "tool=") {
			continue
		}
		toolLines++

		name, state, err := parseProbeLine(line)
		if err != nil {
			return nil, fmt.Errorf("probe output line %d %q: %w", lineNumber, line, err)
		}
		if _, known := Lookup(name); !known {
			continue
		}
		if _, seen := states[name]; seen {
			return nil, fmt.Errorf("probe output line %d reports the tool %q a second time", lineNumber, name)
		}
		states[name] = state
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("reading probe output: %w", err)
	}

	if toolLines == 0 {
		return nil, fmt.Errorf("probe output contains no tool lines, so the probe did not run: %q", firstLine(stdout))
	}
	var missing []string
	for _, tool := range catalog {
		if _, ok := states[tool.Name]; !ok {
			missing = append(missing, tool.Name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("probe output has no line for the tool(s) %s", strings.Join(missing, ", "))
	}
	return states, nil
}

// parseProbeLine parses one line that starts with "tool=".
func parseProbeLine(line string) (string, State, error) {
	fields, path, hasPath := strings.Cut(line, " path=")

	values := make(map[string]string)
	for _, field := range strings.Fields(fields) {
		key, value, ok := strings.Cut(field, "=")
		if !ok {
			return "", State{}, fmt.Errorf("field %q is not KEY=VALUE", field)
		}
		values[key] = value
	}

	name := values["tool"]
	if name == "" {
		return "", State{}, fmt.Errorf("the tool name is empty")
	}
	state := values["state"]
	switch state {
	case probeMissing:
		return name, State{}, nil
	case probeInstalled, probeIncomplete:
	default:
		return "", State{}, fmt.Errorf("state %q is not %q, %q or %q", state, probeInstalled, probeIncomplete, probeMissing)
	}
	if !hasPath || !strings.HasPrefix(path, "/") {
		return "", State{}, fmt.Errorf("a %s tool needs an absolute path", state)
	}
	if state == probeInstalled {
		return name, State{Installed: true, Path: path}, nil
	}
	missing := strings.Split(values["missing"], ",")
	if slices.Contains(missing, "") {
		return "", State{}, fmt.Errorf("an incomplete tool needs a list of missing parts, got %q", values["missing"])
	}
	return name, State{Path: path, Missing: missing}, nil
}

// firstLine returns the start of the output's first line, for messages.
func firstLine(output []byte) string {
	line, _, _ := bytes.Cut(output, []byte("\n"))
	const maxLength = 80
	if len(line) > maxLength {
		line = line[:maxLength]
	}
	return string(line)
}
