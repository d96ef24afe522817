package tools

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// State is the probe's finding for one tool in the guest.
type State struct {
	Installed bool
	// Path is the absolute path of the tool's executable in the guest, empty
	// when the tool is missing.
	Path string
}

// Probe states as the probe script prints them.
const (
	probeInstalled = "installed"
	probeMissing   = "missing"
)

// ProbeScript returns the bash script that reports every catalog tool's
// state in one run, to be fed to `bash -s` on stdin with the arguments from
// ProbeArgs. ParseProbe reads its stdout.
func ProbeScript() []byte {
	return mustReadScript("probe.sh")
}

// ProbeArgs returns the arguments that follow `bash -s` for the probe
// script: the guest home, which must be an absolute path.
func ProbeArgs(guestHome string) ([]string, error) {
	if err := validateHome("guest home", guestHome); err != nil {
		return nil, err
	}
	return []string{guestHome}, nil
}

// ParseProbe parses the probe script's stdout into a state per catalog tool.
//
// Each line reads "tool=NAME state=installed path=PATH" or
// "tool=NAME state=missing". Fields other than tool, state and path are
// ignored, and path runs to the end of the line. Lines that do not start
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
	switch values["state"] {
	case probeInstalled:
		if !hasPath || !strings.HasPrefix(path, "/") {
			return "", State{}, fmt.Errorf("an installed tool needs an absolute path")
		}
		return name, State{Installed: true, Path: path}, nil
	case probeMissing:
		return name, State{}, nil
	default:
		return "", State{}, fmt.Errorf("state %q is neither %q nor %q", values["state"], probeInstalled, probeMissing)
	}
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
