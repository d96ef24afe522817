package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRunVersion(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--version"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit status %d, stderr %q", code, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "aisand ") {
		t.Errorf("stdout = %q", stdout.String())
	}
}

func TestRunHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit status %d", code)
	}
	for _, want := range []string{"AISAND_LIMACTL", "AISAND_TEMPLATE", "LIMA_HOME", "--template"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
	if stderr.Len() != 0 {
		t.Errorf("help wrote to stderr: %q", stderr.String())
	}
}

func TestRunUnknownFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--bogus"}, &stdout, &stderr); code != 2 {
		t.Errorf("exit status %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "-bogus") || !strings.Contains(stderr.String(), "aisand --help") {
		t.Errorf("stderr = %q", stderr.String())
	}
	if strings.Count(stderr.String(), "\n") > 3 {
		t.Errorf("the whole help buries the error:\n%s", stderr.String())
	}
}

func TestRunUnexpectedArgument(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"start"}, &stdout, &stderr); code != 2 {
		t.Errorf("exit status %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), `unexpected argument "start"`) {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func TestRunRejectsEmptyTemplate(t *testing.T) {
	for _, args := range [][]string{{"--template="}, {"--template", ""}} {
		var stdout, stderr strings.Builder
		code := run(args, &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), "--template needs a file") {
			t.Errorf("run(%q): exit %d, stderr %q", args, code, stderr.String())
		}
	}
	var stdout, stderr strings.Builder
	if code := run([]string{"--template"}, &stdout, &stderr); code != 2 {
		t.Errorf("run(--template): exit %d, stderr %q", code, stderr.String())
	}
}
