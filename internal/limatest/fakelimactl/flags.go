package main

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
)

// flagKind is the pflag type of a flag, which decides how its value parses.
type flagKind int

const (
	boolFlag flagKind = iota
	stringFlag
	intFlag
	float32Flag
	stringSliceFlag
	stringArrayFlag
)

// flagSpec describes one flag a command accepts.
type flagSpec struct {
	name      string
	shorthand string
	kind      flagKind
}

// globalFlags are limactl's persistent flags, accepted by every command.
var globalFlags = []flagSpec{
	{name: "tty", kind: boolFlag},
	{name: "yes", shorthand: "y", kind: boolFlag},
	{name: "debug", kind: boolFlag},
	{name: "log-level", kind: stringFlag},
	{name: "log-format", kind: stringFlag},
}

// parsedFlags holds the flags set on the command line, with values in
// their parsed form: bool, string, int, float32 (kept as its text too) or
// []string.
type parsedFlags struct {
	values map[string]any
	text   map[string]string
}

func (p parsedFlags) changed(name string) bool { _, ok := p.values[name]; return ok }

func (p parsedFlags) boolValue(name string) bool { v, _ := p.values[name].(bool); return v }

func (p parsedFlags) stringValue(name string) string { v, _ := p.values[name].(string); return v }

func (p parsedFlags) intValue(name string) int { v, _ := p.values[name].(int); return v }

func (p parsedFlags) strings(name string) []string { v, _ := p.values[name].([]string); return v }

// float32Text returns the value as pflag prints a float32, which is what
// limactl pastes into sizes such as "1.5GiB".
func (p parsedFlags) float32Text(name string) string { return p.text[name] }

// parseFlags splits args into flags and positional arguments the way
// pflag does. With interspersed false, the first positional argument ends
// the flags (as `limactl shell` does). "--" always ends the flags and is
// dropped.
func parseFlags(args []string, specs []flagSpec, interspersed bool) (parsedFlags, []string, error) {
	specs = append(append([]flagSpec(nil), specs...), globalFlags...)
	parsed := parsedFlags{values: map[string]any{}, text: map[string]string{}}
	var positional []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			return parsed, append(positional, args[i+1:]...), nil
		case strings.HasPrefix(arg, "--") || (strings.HasPrefix(arg, "-") && len(arg) > 1):
			consumed, err := parseOneFlag(args[i:], specs, parsed)
			if err != nil {
				return parsed, nil, err
			}
			i += consumed - 1
		default:
			if !interspersed {
				return parsed, append(positional, args[i:]...), nil
			}
			positional = append(positional, arg)
		}
	}
	return parsed, positional, nil
}

// parseOneFlag parses the flag at args[0] and returns how many arguments
// it used.
func parseOneFlag(args []string, specs []flagSpec, parsed parsedFlags) (int, error) {
	arg := args[0]
	long := strings.HasPrefix(arg, "--")
	name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	var spec *flagSpec
	for i := range specs {
		if (long && specs[i].name == name) || (!long && specs[i].shorthand != "" && specs[i].shorthand == name) {
			spec = &specs[i]
		}
	}
	if spec == nil {
		if long {
			return 0, fmt.Errorf("unknown flag: --%s", name)
		}
		return 0, fmt.Errorf("unknown shorthand flag: %q in %s", name[:1], arg)
	}
	display := "--" + spec.name
	if spec.shorthand != "" {
		display = "-" + spec.shorthand + ", --" + spec.name
	}
	used := 1
	if !hasValue {
		if spec.kind == boolFlag {
			value = "true"
		} else if len(args) > 1 {
			value = args[1]
			used = 2
		} else {
			return 0, fmt.Errorf("flag needs an argument: %s", arg)
		}
	}
	if err := setFlag(*spec, value, parsed); err != nil {
		return 0, fmt.Errorf("invalid argument %q for %q flag: %w", value, display, err)
	}
	return used, nil
}

func setFlag(spec flagSpec, value string, parsed parsedFlags) error {
	switch spec.kind {
	case boolFlag:
		b, err := strconv.ParseBool(value)
		if err != nil {
			return err
		}
		parsed.values[spec.name] = b
	case stringFlag:
		parsed.values[spec.name] = value
	case intFlag:
		n, err := strconv.ParseInt(value, 0, 64)
		if err != nil {
			return err
		}
		parsed.values[spec.name] = int(n)
	case float32Flag:
		f, err := strconv.ParseFloat(value, 32)
		if err != nil {
			return err
		}
		parsed.values[spec.name] = float32(f)
		parsed.text[spec.name] = strconv.FormatFloat(f, 'g', -1, 32)
	case stringSliceFlag:
		// pflag reads each value of a StringSlice flag as one CSV record,
		// so a field in double quotes may hold commas.
		var fields []string
		if value != "" {
			record, err := csv.NewReader(strings.NewReader(value)).Read()
			if err != nil {
				return err
			}
			fields = record
		}
		previous, _ := parsed.values[spec.name].([]string)
		parsed.values[spec.name] = append(append([]string{}, previous...), fields...)
	case stringArrayFlag:
		previous, _ := parsed.values[spec.name].([]string)
		parsed.values[spec.name] = append(append([]string{}, previous...), value)
	}
	return nil
}
