package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"text/template"

	"github.com/japacx/aisand/internal/limatest/fakestate"
)

var listFlags = []flagSpec{
	{name: "format", shorthand: "f", kind: stringFlag},
	{name: "json", kind: boolFlag},
	{name: "quiet", shorthand: "q", kind: boolFlag},
	{name: "list-fields", kind: boolFlag},
	{name: "all-fields", kind: boolFlag},
	{name: "yq", kind: stringArrayFlag},
	{name: "filter", shorthand: "l", kind: stringArrayFlag},
}

func (a *app) list(args []string) int {
	flags, names, err := parseFlags(args, listFlags, true)
	if err != nil {
		return a.log.fatal(err.Error())
	}
	format := "table"
	if flags.changed("format") {
		format = flags.stringValue("format")
	}
	if flags.boolValue("json") {
		if flags.changed("format") {
			return a.log.fatal("option --json conflicts with option --format")
		}
		format = "json"
	}
	if flags.boolValue("quiet") && format != "table" {
		return a.log.fatal("option --quiet can only be used with '--format table'")
	}
	if flags.changed("yq") || flags.changed("filter") || flags.changed("list-fields") || format == "yaml" {
		fmt.Fprintln(a.stderr, "fake limactl: --yq, --filter, --list-fields and --format yaml are not implemented")
		return 2
	}

	all, err := fakestate.InstanceNames(a.state)
	if err != nil {
		return a.log.fatal(err.Error())
	}
	instances, err := a.loadAll(all)
	if err != nil {
		return a.log.fatal(err.Error())
	}
	a.warnAboutBroken(instances)
	if len(names) == 0 && len(instances) == 0 {
		a.log.warning("No instance found. Run `limactl create` to create an instance.")
		return 0
	}
	selected, unmatched := selectInstances(instances, names)
	for _, name := range unmatched {
		a.log.warning(fmt.Sprintf("No instance matching %v found.", name))
	}
	for _, inst := range selected {
		if inst.Status == fakestate.StatusBroken {
			path := a.instanceDir(inst.Name) + "/lima.yaml"
			a.log.warning(fmt.Sprintf("instance %s has errors", quoteName(inst.Name)),
				field{"errors", "[open " + path + ": no such file or directory]"})
		}
	}
	if err := a.printInstances(selected, format, flags.boolValue("quiet")); err != nil {
		return a.log.fatal(err.Error())
	}
	if len(unmatched) > 0 {
		return a.log.fatal("unmatched instances")
	}
	return 0
}

func (a *app) loadAll(names []string) ([]fakestate.Instance, error) {
	var instances []fakestate.Instance
	for _, name := range names {
		inst, err := fakestate.LoadInstance(a.state, name)
		if err != nil {
			return nil, err
		}
		instances = append(instances, inst)
	}
	return instances, nil
}

// warnAboutBroken repeats limactl's check that every instance folder has a
// lima.yaml; like limactl, it reports the first one missing.
func (a *app) warnAboutBroken(instances []fakestate.Instance) {
	for _, inst := range instances {
		if inst.Status == fakestate.StatusBroken {
			a.log.warning(fmt.Sprintf("The directory %s does not look like a valid Lima directory: stat %s/lima.yaml: no such file or directory",
				quoteName(a.limaHome), a.instanceDir(inst.Name)))
			return
		}
	}
}

// selectInstances returns the instances named on the command line in the
// order given (all of them when none is named) and the names not found.
func selectInstances(instances []fakestate.Instance, names []string) ([]fakestate.Instance, []string) {
	if len(names) == 0 {
		return instances, nil
	}
	var selected []fakestate.Instance
	var unmatched []string
	for _, name := range names {
		found := false
		for _, inst := range instances {
			if inst.Name == name {
				selected = append(selected, inst)
				found = true
			}
		}
		if !found {
			unmatched = append(unmatched, name)
		}
	}
	return selected, unmatched
}

func (a *app) printInstances(instances []fakestate.Instance, format string, quiet bool) error {
	switch {
	case quiet:
		for _, inst := range instances {
			fmt.Fprintln(a.stdout, inst.Name)
		}
		return nil
	case format == "table":
		return a.printTable(instances)
	case format == "json":
		return a.printJSON(instances)
	}
	tmpl, err := template.New("format").Funcs(template.FuncMap{"json": templateJSON}).Parse(format)
	if err != nil {
		return fmt.Errorf("invalid go template: %w", err)
	}
	for _, inst := range instances {
		if err := tmpl.Execute(a.stdout, a.listEntryFor(inst)); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout)
	}
	return nil
}

// printJSON writes one compact object per line with empty objects
// removed, or indented objects when stdout is a terminal, as limactl does.
func (a *app) printJSON(instances []fakestate.Instance) error {
	indent := ""
	if isTerminal(os.Stdout) {
		indent = "    "
	}
	for _, inst := range instances {
		data, err := marshalCompact(a.listEntryFor(inst))
		if err != nil {
			return err
		}
		pruned, err := dropEmptyObjects(data, indent)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "%s\n", pruned)
	}
	return nil
}

func (a *app) printTable(instances []fakestate.Instance) error {
	w := tabwriter.NewWriter(a.stdout, 4, 8, 4, ' ', 0)
	fmt.Fprintln(w, "NAME\tSTATUS\tSSH\tVMTYPE\tARCH\tCPUS\tMEMORY\tDISK\tDIR")
	for _, inst := range instances {
		entry := a.listEntryFor(inst)
		dir := entry.Dir
		if a.home != "" && strings.HasPrefix(dir, a.home) {
			dir = "~" + strings.TrimPrefix(dir, a.home)
		}
		fmt.Fprintf(w, "%s\t%s\t%s:%d\t%s\t%s\t%d\t%s\t%s\t%s\n",
			entry.Name, entry.Status, entry.SSHAddress, entry.SSHLocalPort, entry.VMType, entry.Arch,
			entry.CPUs, formatBytes(float64(entry.Memory)), formatBytes(float64(entry.Disk)), dir)
	}
	return w.Flush()
}

func templateJSON(v any) (string, error) {
	data, err := marshalCompact(v)
	return string(data), err
}

func isTerminal(file *os.File) bool {
	info, err := file.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// errNotFound is the error of a missing lima.yaml, as limactl reports it.
func (a *app) errNotFound(name string) error {
	return errors.New("open " + a.instanceDir(name) + "/lima.yaml: no such file or directory")
}
