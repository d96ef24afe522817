package tools

import (
	"bytes"
	"strings"
	"testing"
)

func TestCatalogEntries(t *testing.T) {
	tools := Catalog()
	if len(tools) < 2 {
		t.Fatalf("Catalog has %d tools, want at least brew and opencode", len(tools))
	}
	seen := make(map[string]bool)
	for _, tool := range tools {
		if seen[tool.Name] {
			t.Errorf("tool %q appears twice", tool.Name)
		}
		seen[tool.Name] = true
		if tool.Description == "" || strings.Contains(tool.Description, "\n") {
			t.Errorf("tool %q: description %q is not one non-empty line", tool.Name, tool.Description)
		}
	}
	for _, name := range []string{"brew", "opencode"} {
		if !seen[name] {
			t.Errorf("Catalog lacks %q", name)
		}
	}
}

// TestOpencodeNamesHostAccess keeps the warning that the VM reads the host's
// OpenCode credentials and config, shown before the install.
func TestOpencodeNamesHostAccess(t *testing.T) {
	opencode := mustLookup(t, "opencode")
	for _, text := range []string{"every credential", "auth.json", "whole ~/.config/opencode", "not change"} {
		if !strings.Contains(opencode.HostAccess, text) {
			t.Errorf("opencode's HostAccess %q lacks %q", opencode.HostAccess, text)
		}
	}
	if brew := mustLookup(t, "brew"); brew.HostAccess != "" {
		t.Errorf("brew's HostAccess = %q, want empty because brew reads nothing on the host", brew.HostAccess)
	}
}

func TestCatalogReturnsCopy(t *testing.T) {
	tools := Catalog()
	tools[0].Name = "changed"
	if Catalog()[0].Name == "changed" {
		t.Error("changing the slice from Catalog changed the catalog")
	}
}

func TestLookup(t *testing.T) {
	tool, ok := Lookup("opencode")
	if !ok {
		t.Fatal("Lookup(opencode) found nothing")
	}
	if tool.Name != "opencode" {
		t.Errorf("Lookup(opencode).Name = %q", tool.Name)
	}
	if _, ok := Lookup("nosuch"); ok {
		t.Error("Lookup(nosuch) found a tool")
	}
}

// handedOutScript is a script as InstallScript or ProbeScript returns it,
// with the name of the embedded file it comes from.
type handedOutScript struct {
	file string
	text []byte
}

// handedOutScripts returns every catalog tool's install script and the
// probe script.
func handedOutScripts(t *testing.T) []handedOutScript {
	t.Helper()
	var scripts []handedOutScript
	for _, tool := range Catalog() {
		scripts = append(scripts, handedOutScript{tool.script, tool.InstallScript()})
	}
	return append(scripts, handedOutScript{"probe.sh", ProbeScript()})
}

func TestInstallScriptShape(t *testing.T) {
	for _, tool := range Catalog() {
		script := tool.InstallScript()
		if !bytes.HasPrefix(script, []byte("#!/usr/bin/env bash\nset -euo pipefail\n")) {
			t.Errorf("%s: script does not start with the bash line and set -euo pipefail", tool.Name)
		}
		if !bytes.Contains(script, []byte(`say "`+tool.Name+` is ready"`)) {
			t.Errorf("%s: script does not print %q", tool.Name, tool.ReadyLine())
		}
	}
}

// TestScriptsJoinLib checks that each handed-out script is lib.sh followed
// by its own file, and that only the last line runs main, so that bash has
// read the whole text before anything runs.
func TestScriptsJoinLib(t *testing.T) {
	lib := mustReadScript(libScript)
	if !bytes.HasPrefix(lib, []byte("#!/usr/bin/env bash\nset -euo pipefail\n")) {
		t.Errorf("%s does not start with the bash line and set -euo pipefail", libScript)
	}
	if !bytes.HasSuffix(lib, []byte("\n")) {
		t.Errorf("%s does not end with a line break, so its last line would run into the script", libScript)
	}
	const runMain = `main "$@" </dev/null`
	for _, script := range handedOutScripts(t) {
		own := mustReadScript(script.file)
		if !bytes.Equal(script.text, append(append([]byte(nil), lib...), own...)) {
			t.Errorf("%s: the handed-out script is not %s followed by %s", script.file, libScript, script.file)
		}
		lines := strings.Split(strings.TrimSuffix(string(script.text), "\n"), "\n")
		if last := lines[len(lines)-1]; last != runMain {
			t.Errorf("%s: last line = %q, want %q", script.file, last, runMain)
		}
		if n := strings.Count(string(script.text), "\n"+runMain); n != 1 {
			t.Errorf("%s: %q appears %d times, want once, at the end", script.file, runMain, n)
		}
	}
}

func TestInstallArgs(t *testing.T) {
	tool, _ := Lookup("opencode")
	args, err := tool.InstallArgs(Homes{Guest: "/home/alice.guest", Host: "/Users/alice smith"})
	if err != nil {
		t.Fatalf("InstallArgs: %v", err)
	}
	want := []string{"/home/alice.guest", "/Users/alice smith"}
	if strings.Join(args, "|") != strings.Join(want, "|") {
		t.Errorf("InstallArgs = %q, want %q", args, want)
	}

	bad := []Homes{
		{Guest: "", Host: "/home/alice"},
		{Guest: "/home/alice.guest", Host: ""},
		{Guest: "alice.guest", Host: "/home/alice"},
		{Guest: "/home/alice.guest", Host: "~/"},
		{Guest: "/home/alice.guest", Host: "/home/a\nb"},
	}
	for _, homes := range bad {
		if args, err := tool.InstallArgs(homes); err == nil {
			t.Errorf("InstallArgs(%+v) = %q, want an error", homes, args)
		}
	}
}

func TestProbeScriptCoversCatalog(t *testing.T) {
	script := ProbeScript()
	for _, tool := range Catalog() {
		if !bytes.Contains(script, []byte("report "+tool.Name+" ")) {
			t.Errorf("probe script has no report line for %s", tool.Name)
		}
	}
}
