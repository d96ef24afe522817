package tools

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/japacx/aisand/internal/assets"
)

// TestShellcheckScripts runs shellcheck over every embedded script. Without
// shellcheck the test is skipped, except in CI (CI=true), where it fails.
func TestShellcheckScripts(t *testing.T) {
	shellcheck, err := exec.LookPath("shellcheck")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shellcheck is not installed, and CI=true requires it: %v", err)
		}
		t.Skipf("shellcheck is not installed: %v", err)
	}

	names, err := fs.Glob(assets.Scripts, "scripts/*.sh")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no embedded scripts found")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			script, err := assets.Scripts.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()

			command := exec.CommandContext(ctx, shellcheck, "--shell=bash", "--severity=style", "-")
			command.Stdin = bytes.NewReader(script)
			var stdout, stderr bytes.Buffer
			command.Stdout = &stdout
			command.Stderr = &stderr
			if err := command.Run(); err != nil {
				t.Errorf("shellcheck %s: %v\n%s%s", name, err, stdout.String(), stderr.String())
			}
		})
	}
}
