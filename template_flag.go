package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// envTemplate names the environment variable that sets the template of
// new VMs; --template wins over it.
const envTemplate = "AISAND_TEMPLATE"

// templateFile returns the absolute path of the user's Lima template, from
// the --template value or else AISAND_TEMPLATE, or "" for the embedded
// template. It checks that the file can be read now, so a wrong path
// fails at start and not at the end of the New VM wizard.
func templateFile(flagValue string, getenv func(string) string) (string, error) {
	path, source := flagValue, "--template"
	if path == "" {
		path, source = getenv(envTemplate), envTemplate
	}
	if path == "" {
		return "", nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("%s %s: template not found or not accessible: %w", source, path, err)
	}
	if info.IsDir() {
		return "", fmt.Errorf("%s %s is a folder: give the path of a Lima template file (YAML)", source, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("%s %s: template cannot be read: %w", source, path, err)
	}
	defer f.Close()
	if _, err := f.Read(make([]byte, 1)); err != nil && err != io.EOF {
		return "", fmt.Errorf("%s %s: template cannot be read: %w", source, path, err)
	}
	return filepath.Abs(path)
}

// checkTemplateFlag rejects a --template flag given with an empty value,
// as in --template= or --template "", which would otherwise pass for no
// flag and quietly fall back to AISAND_TEMPLATE or the built-in template.
// The flag package itself rejects --template with no value at all.
func checkTemplateFlag(flags *flag.FlagSet) error {
	var err error
	flags.Visit(func(f *flag.Flag) {
		if f.Name == "template" && f.Value.String() == "" {
			err = errors.New("--template needs a file: give the path of a Lima template (YAML), or leave the flag out for the built-in template")
		}
	})
	return err
}
