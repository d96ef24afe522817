// Package tools is the catalog of tools that aisand installs inside a VM,
// with the bash scripts that install them and detect them.
//
// Every script runs inside the guest as
//
//	limactl shell --tty=false --workdir / NAME -- bash -s ARG...
//
// with the script on stdin. limactl 2.2.0 quotes each ARG for the guest's
// shell and runs the command in a login shell, so a path with spaces arrives
// as one argument. The scripts work in a non-login shell too.
package tools

import (
	"fmt"
	"path"
	"strings"

	"github.com/japacx/aisand/internal/assets"
)

// Tool is one installable tool in the catalog.
type Tool struct {
	Name        string
	Description string // one line, for the tool picker
	// HostAccess is one sentence on what the VM can read on the host once
	// the tool is installed, shown before the user installs it. It is empty
	// when the tool reads nothing there.
	HostAccess string
	script     string // file name under assets/scripts
}

// Homes names the two home folders that an install script works with.
type Homes struct {
	// Guest is the guest user's home folder, config.user.home in
	// `limactl list --format json`, for example /home/alice.guest.
	Guest string
	// Host is the host user's home folder. Lima mounts it at the same path
	// inside the guest.
	Host string
}

var catalog = []Tool{
	{
		Name:        "brew",
		Description: "Homebrew for Linux, with build-essential, procps, curl, file and git",
		script:      "brew.sh",
	},
	{
		Name:        "opencode",
		Description: "OpenCode coding agent, signed in with the host's OpenCode credentials",
		HostAccess: "The VM can read, not change, every credential in the host's OpenCode auth.json " +
			"and the host's whole ~/.config/opencode.",
		script: "opencode.sh",
	},
}

// Catalog returns every tool, in the order the tool picker shows them.
func Catalog() []Tool {
	return append([]Tool(nil), catalog...)
}

// Lookup returns the tool with the given name.
func Lookup(name string) (Tool, bool) {
	for _, tool := range catalog {
		if tool.Name == name {
			return tool, true
		}
	}
	return Tool{}, false
}

// InstallScript returns the bash script that installs the tool, to be fed
// to `bash -s` on stdin with the arguments from InstallArgs. The script
// exits with status 0 only when the tool is ready, and then its last output
// line is ReadyLine. Running it on a VM where the tool is ready changes
// nothing.
func (t Tool) InstallScript() []byte {
	return mustJoinScript(t.script)
}

// InstallArgs returns the arguments that follow `bash -s` for the install
// script: the guest home, then the host home. Both must be absolute paths.
func (t Tool) InstallArgs(homes Homes) ([]string, error) {
	if err := validateHome("guest home", homes.Guest); err != nil {
		return nil, err
	}
	if err := validateHome("host home", homes.Host); err != nil {
		return nil, err
	}
	return []string{homes.Guest, homes.Host}, nil
}

// ReadyLine returns the line that the install script prints last when it
// succeeds, for example "aisand: brew is ready".
func (t Tool) ReadyLine() string {
	return "aisand: " + t.Name + " is ready"
}

// validateHome rejects a home folder that the scripts cannot use. A line
// break would also split the probe's line-based output.
func validateHome(label, home string) error {
	if home == "" {
		return fmt.Errorf("the %s is missing", label)
	}
	if !path.IsAbs(home) {
		return fmt.Errorf("the %s %q is not an absolute path", label, home)
	}
	if strings.ContainsAny(home, "\x00\r\n") {
		return fmt.Errorf("the %s %q contains a line break or NUL character", label, home)
	}
	return nil
}

// libScript is the embedded file of functions that every script handed out
// here starts with. It also contains the first lines of each script: the
// bash line and set -euo pipefail.
const libScript = "lib.sh"

// mustJoinScript returns libScript followed by the named script. The
// result goes to `bash -s` on stdin, where a script cannot source another
// file, so the shared functions travel in the same text.
func mustJoinScript(name string) []byte {
	lib := mustReadScript(libScript)
	script := mustReadScript(name)
	joined := make([]byte, 0, len(lib)+len(script))
	return append(append(joined, lib...), script...)
}

func mustReadScript(name string) []byte {
	script, err := assets.Scripts.ReadFile("scripts/" + name)
	if err != nil {
		// The catalog and the embedded files ship together, and the tests
		// read every script, so this is a build mistake.
		panic(fmt.Sprintf("embedded script %s is missing: %v", name, err))
	}
	return script
}
