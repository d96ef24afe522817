package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTemplateFileSources(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(file, []byte("images: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := func(value string) func(string) string {
		return func(key string) string {
			if key == envTemplate {
				return value
			}
			return ""
		}
	}
	if got, err := templateFile("", env("")); got != "" || err != nil {
		t.Errorf("no template = %q, %v", got, err)
	}
	if got, err := templateFile("", env(file)); got != file || err != nil {
		t.Errorf("from the environment = %q, %v", got, err)
	}
	if got, err := templateFile(file, env("/no/such.yaml")); got != file || err != nil {
		t.Errorf("the flag does not win: %q, %v", got, err)
	}
	_, err := templateFile("", env(filepath.Join(dir, "missing.yaml")))
	if err == nil || !strings.Contains(err.Error(), "AISAND_TEMPLATE") {
		t.Errorf("missing file error = %v", err)
	}
	if _, err := templateFile(dir, env("")); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("folder error = %v", err)
	}
}

func TestRunRejectsMissingTemplate(t *testing.T) {
	var stdout, stderr strings.Builder
	code := run([]string{"--template", filepath.Join(t.TempDir(), "none.yaml")}, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "--template") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

func TestCheckTemplateFlag(t *testing.T) {
	for _, c := range []struct {
		args    []string
		wantErr bool
	}{
		{nil, false},
		{[]string{"--template=/x.yaml"}, false},
		{[]string{"--template="}, true},
		{[]string{"--template", ""}, true},
	} {
		flags := flag.NewFlagSet("aisand", flag.ContinueOnError)
		flags.String("template", "", "")
		if err := flags.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		err := checkTemplateFlag(flags)
		if (err != nil) != c.wantErr {
			t.Errorf("checkTemplateFlag(%q) = %v, want error %v", c.args, err, c.wantErr)
		}
	}
}
