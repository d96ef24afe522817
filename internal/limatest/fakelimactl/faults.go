package main

import (
	"fmt"
	"io"
	"time"

	"github.com/japacx/aisand/internal/limatest/fakestate"
)

// applyFault runs the fault set for this call, if any, and reports whether
// it replaced the normal behaviour. A key "command:instance" wins over a
// key "command". A create fault with only OfflineImage set is left to
// create, which fails at the download.
func (a *app) applyFault(command string, rest []string) (int, bool) {
	faults, err := fakestate.LoadFaults(a.state)
	if err != nil {
		fmt.Fprintf(a.stderr, "fake limactl: %v\n", err)
		return 2, true
	}
	key := command + ":" + faultTarget(command, rest)
	fault, ok := faults[key]
	if !ok {
		key = command
		fault, ok = faults[key]
	}
	if !ok || (fault.OfflineImage && command == "create") {
		return 0, false
	}
	if fault.Once {
		delete(faults, key)
		if err := fakestate.SaveFaults(a.state, faults); err != nil {
			fmt.Fprintf(a.stderr, "fake limactl: %v\n", err)
			return 2, true
		}
	}
	return a.actOnFault(fault), true
}

func (a *app) actOnFault(fault fakestate.Fault) int {
	if fault.Delay != "" {
		delay, err := time.ParseDuration(fault.Delay)
		if err != nil {
			fmt.Fprintf(a.stderr, "fake limactl: invalid fault delay %q: %v\n", fault.Delay, err)
			return 2
		}
		time.Sleep(delay)
	}
	_, _ = io.WriteString(a.stdout, fault.Stdout)
	_, _ = io.WriteString(a.stderr, fault.Stderr)
	if fault.Hang {
		for { // until the caller kills the process
			time.Sleep(time.Hour)
		}
	}
	return fault.Exit
}

// offlineImageFault reports whether create should fail at the download,
// and removes the fault when it is set to act once.
func (a *app) offlineImageFault(name string) bool {
	faults, err := fakestate.LoadFaults(a.state)
	if err != nil {
		return false
	}
	key := "create:" + name
	fault, ok := faults[key]
	if !ok {
		key = "create"
		fault = faults[key]
	}
	if fault.OfflineImage && fault.Once {
		delete(faults, key)
		_ = fakestate.SaveFaults(a.state, faults)
	}
	return fault.OfflineImage
}

// faultTarget returns the instance a call is about: the --name of create,
// the source of clone, and otherwise the first positional argument.
func faultTarget(command string, rest []string) string {
	specs := commandFlagSpecs[command]
	parsed, positional, err := parseFlags(rest, specs, command != "shell")
	if err != nil {
		return ""
	}
	if command == "create" && parsed.stringValue("name") != "" {
		return parsed.stringValue("name")
	}
	if len(positional) > 0 {
		return positional[0]
	}
	return ""
}
