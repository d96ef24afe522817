package tools

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/japacx/aisand/internal/assets"
)

// TestShellcheckScripts runs shellcheck over every script as it is handed
// out, lib.sh included, because that joined text is what runs in the guest.
// Without shellcheck the test is skipped, except in CI (CI=true), where it
// fails.
func TestShellcheckScripts(t *testing.T) {
	shellcheck, err := exec.LookPath("shellcheck")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shellcheck is not installed, and CI=true requires it: %v", err)
		}
		t.Skipf("shellcheck is not installed: %v", err)
	}

	libLines := bytes.Count(mustReadScript(libScript), []byte("\n"))
	for _, script := range handedOutScripts(t) {
		t.Run(script.file, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()

			command := exec.CommandContext(ctx, shellcheck, "--shell=bash", "--severity=style", "-")
			command.Stdin = bytes.NewReader(script.text)
			var stdout, stderr bytes.Buffer
			command.Stdout = &stdout
			command.Stderr = &stderr
			if err := command.Run(); err != nil {
				t.Errorf("shellcheck %s after %s (line numbers count the %d lines of %s first): %v\n%s%s",
					script.file, libScript, libLines, libScript, err, stdout.String(), stderr.String())
			}
		})
	}
}

// TestShellcheckCoversEveryScript fails when an embedded script is part of
// no handed-out script, because TestShellcheckScripts would not check it.
func TestShellcheckCoversEveryScript(t *testing.T) {
	names, err := fs.Glob(assets.Scripts, "scripts/*.sh")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no embedded scripts found")
	}
	covered := map[string]bool{libScript: true}
	for _, script := range handedOutScripts(t) {
		covered[script.file] = true
	}
	for _, name := range names {
		if file := strings.TrimPrefix(name, "scripts/"); !covered[file] {
			t.Errorf("embedded script %s is not handed out, so shellcheck does not check it", file)
		}
	}
}
