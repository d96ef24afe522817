package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/japacx/aisand/internal/limatest/fakestate"
)

func (a *app) edit(args []string) int {
	flags, positional, err := parseFlags(args, editFlags, true)
	if err != nil {
		return a.log.fatal(err.Error())
	}
	if len(positional) > 1 {
		return a.log.fatal(argsError("edit", "edit INSTANCE|FILE.yaml [flags]", "Edit an instance of Lima or a template",
			fmt.Sprintf("accepts at most 1 arg(s), received %d", len(positional))))
	}
	name := "default"
	if len(positional) == 1 {
		name = positional[0]
	}
	if validateName(name) != nil {
		fmt.Fprintln(a.stderr, "fake limactl: editing a template file is not implemented")
		return 2
	}
	inst, err := fakestate.LoadInstance(a.state, name)
	if errors.Is(err, os.ErrNotExist) || (err == nil && inst.Status == fakestate.StatusBroken) {
		return a.log.fatal(fmt.Sprintf("instance %#q not found", name))
	}
	if err != nil {
		return a.log.fatal(err.Error())
	}
	if inst.Status == fakestate.StatusRunning {
		return a.log.fatal("cannot edit a running instance")
	}
	if !anyEditFlag(flags) {
		// Without edit flags limactl opens an editor on a terminal; the fake
		// has none and acts as if the buffer was saved empty.
		a.log.info("Aborting, as requested by saving the file with empty content")
		return 0
	}
	edited := inst
	edited.Mounts = append([]fakestate.Mount(nil), inst.Mounts...)
	if err := a.applyEditFlags(&edited, flags); err != nil {
		return a.log.fatal(err.Error())
	}
	if reflect.DeepEqual(edited, inst) {
		a.log.info("Aborting, no changes made to the instance")
		return 0
	}
	if err := validateConfig(edited); err != nil {
		return a.log.fatal(a.rejectConfig(edited, err).Error())
	}
	if err := fakestate.SaveInstance(a.state, edited); err != nil {
		return a.log.fatal(err.Error())
	}
	a.log.info(fmt.Sprintf("Instance %#q configuration edited", name))
	if flags.boolValue("start") {
		return a.boot(edited)
	}
	return 0
}

func anyEditFlag(flags parsedFlags) bool {
	for _, spec := range editFlags {
		if spec.name != "start" && flags.changed(spec.name) {
			return true
		}
	}
	return false
}

// rejectConfig writes the rejected configuration as lima.REJECTED.yaml in
// the working folder and returns limactl's error for it.
func (a *app) rejectConfig(inst fakestate.Instance, cause error) error {
	const rejected = "lima.REJECTED.yaml"
	if err := os.WriteFile(filepath.Join(a.cwd, rejected), []byte(configYAML(inst)), 0o644); err != nil {
		return fmt.Errorf("the YAML is invalid, attempted to save the buffer as %#q but failed: %w", rejected, errors.Join(err, cause))
	}
	return fmt.Errorf("the YAML is invalid, saved the buffer as %#q: %w", rejected, cause)
}

// configYAML renders the fields the fake edits as lima.yaml text.
func configYAML(inst fakestate.Instance) string {
	var b strings.Builder
	fmt.Fprintf(&b, "vmType: %q\narch: %q\ncpus: %d\nmemory: %q\ndisk: %q\n", inst.VMType, inst.Arch, inst.CPUs, inst.Memory, inst.Disk)
	b.WriteString("mounts:")
	if len(inst.Mounts) == 0 {
		b.WriteString(" []")
	}
	b.WriteString("\n")
	for _, m := range inst.Mounts {
		fmt.Fprintf(&b, "- location: %q\n  mountPoint: %q\n  writable: %t\n", m.Location, m.MountPoint, m.Writable)
	}
	return b.String()
}
