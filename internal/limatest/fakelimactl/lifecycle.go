package main

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"

	"github.com/japacx/aisand/internal/limatest/fakestate"
)

var startFlags = []flagSpec{
	{name: "name", kind: stringFlag},
	{name: "timeout", kind: stringFlag},
	{name: "foreground", kind: boolFlag},
	{name: "progress", kind: boolFlag},
}

var stopFlags = []flagSpec{{name: "force", shorthand: "f", kind: boolFlag}}

var deleteFlags = []flagSpec{{name: "force", shorthand: "f", kind: boolFlag}}

var cloneFlags = editFlags

// commandFlagSpecs lists each command's own flags, for finding the
// instance a fault is keyed on.
var commandFlagSpecs = map[string][]flagSpec{
	"create": createFlags,
	"start":  startFlags,
	"stop":   stopFlags,
	"delete": deleteFlags,
	"edit":   editFlags,
	"clone":  cloneFlags,
	"list":   listFlags,
	"shell":  shellFlags,
}

func (a *app) start(args []string) int {
	_, positional, err := parseFlags(args, startFlags, true)
	if err != nil {
		return a.log.fatal(err.Error())
	}
	if len(positional) > 1 {
		return a.log.fatal(argsError("start", "start NAME|FILE.yaml|URL [flags]", "Start an instance of Lima",
			fmt.Sprintf("accepts at most 1 arg(s), received %d", len(positional))))
	}
	name := "default"
	if len(positional) == 1 {
		name = positional[0]
	}
	if validateName(name) != nil {
		fmt.Fprintln(a.stderr, "fake limactl: start from a template file or URL is not implemented")
		return 2
	}
	inst, err := fakestate.LoadInstance(a.state, name)
	switch {
	case errors.Is(err, os.ErrNotExist):
		// limactl creates a missing instance from template:default.
		name, tmpl, err := a.resolveTemplate("", positionalOrEmpty(positional))
		if err != nil {
			return a.log.fatal(err.Error())
		}
		if status := a.createInstance(name, tmpl, parsedFlags{}); status != 0 {
			return status
		}
		if inst, err = fakestate.LoadInstance(a.state, name); err != nil {
			return a.log.fatal(err.Error())
		}
	case err != nil:
		return a.log.fatal(err.Error())
	case inst.Status == fakestate.StatusBroken:
		// limactl finds no lima.yaml, so it tries to create the instance and then finds the folder.
		if len(positional) == 1 && name != "default" {
			a.log.info(fmt.Sprintf("Creating an instance %#q from template:default (Not from template:%s)", name, name))
			a.log.warning(fmt.Sprintf("This form is deprecated. Use `limactl create --name=%s template:default` instead", name))
		}
		a.log.info("Terminal is not available, proceeding without opening an editor")
		return a.log.fatal(fmt.Sprintf("instance %#q already exists (%#q)", name, a.instanceDir(name)))
	case inst.Status == fakestate.StatusRunning:
		a.log.info(fmt.Sprintf("Using the existing instance %#q", name))
		a.log.info(fmt.Sprintf("The instance %#q is already running. Run `%s` to open the shell.", name, shellCommandFor(name)))
		return 0
	default:
		a.slowLog.info(fmt.Sprintf("Using the existing instance %#q", name))
	}
	return a.boot(inst)
}

func positionalOrEmpty(positional []string) string {
	if len(positional) == 0 {
		return ""
	}
	return positional[0]
}

func shellCommandFor(name string) string {
	if name == "default" {
		return "lima"
	}
	return "limactl shell " + name
}

// boot prints limactl 2.2.0's start log, as recorded for a QEMU guest, and
// marks the instance Running. The SSH port and the process ids are kept
// when the state has them, else derived from the name so they are stable.
func (a *app) boot(inst fakestate.Instance) int {
	seed := nameHash(inst.Name)
	if inst.SSHLocalPort == 0 {
		inst.SSHLocalPort = 40000 + int(seed%20000)
	}
	if inst.HostAgentPID == 0 {
		inst.HostAgentPID = 10000 + int(seed%50000)
		inst.DriverPID = inst.HostAgentPID + 21
	}
	dir := a.instanceDir(inst.Name)
	lines := []string{
		fmt.Sprintf("Starting the instance %#q with internal VM driver %#q", inst.Name, inst.VMType),
		"[hostagent] hostagent socket created at " + dir + "/ha.sock",
		fmt.Sprintf("[hostagent] Starting QEMU (hint: to watch the boot progress, see %#q)", dir+"/serial*.log"),
		fmt.Sprintf("SSH Local Port: %d", inst.SSHLocalPort),
		"[hostagent] Waiting for the essential requirement 1 of 3: `ssh`",
		"[hostagent] The essential requirement 1 of 3 is satisfied",
		"[hostagent] Waiting for the essential requirement 2 of 3: `user session is ready for ssh`",
		"[hostagent] The essential requirement 2 of 3 is satisfied",
		"[hostagent] Waiting for the essential requirement 3 of 3: `Explicitly start ssh ControlMaster`",
		"[hostagent] The essential requirement 3 of 3 is satisfied",
		"[hostagent] Waiting for the guest agent to be running",
		fmt.Sprintf("[hostagent] Stopping forwarding `/run/lima-guestagent.sock` (guest) to %#q (host)", dir+"/ga.sock"),
		fmt.Sprintf("[hostagent] Forwarding `/run/lima-guestagent.sock` (guest) to %#q (host)", dir+"/ga.sock"),
	}
	for _, line := range lines {
		a.slowLog.info(line)
	}
	a.slowLog.warning("[hostagent] guest agent events closed unexpectedly",
		field{"error", "rpc error: code = Unavailable desc = write unix @->" + dir + "/ga.sock: write: broken pipe"})
	lines = []string{
		"[hostagent] Guest agent is running",
		"[hostagent] Waiting for the final requirement 1 of 1: `boot scripts must have finished`",
		"[hostagent] Time sync: guest agent is alive, starting time synchronization",
		"[hostagent] Not forwarding TCP 0.0.0.0:22",
		"[hostagent] Not forwarding TCP [::]:22",
		"[hostagent] Forwarding UDP from 0.0.0.0:68 to 127.0.0.1:68",
		"[hostagent] Not forwarding UDP 127.0.0.1:68",
		"[hostagent] The final requirement 1 of 1 is satisfied",
	}
	for _, line := range lines {
		a.slowLog.info(line)
	}
	inst.Status = fakestate.StatusRunning
	if err := fakestate.SaveInstance(a.state, inst); err != nil {
		return a.slowLog.fatal(err.Error())
	}
	a.slowLog.info(fmt.Sprintf("READY. Run `%s` to open the shell.", shellCommandFor(inst.Name)))
	return 0
}

func nameHash(name string) uint32 {
	h := fnv.New32a()
	_, _ = io.WriteString(h, name)
	return h.Sum32()
}

func (a *app) stop(args []string) int {
	flags, positional, err := parseFlags(args, stopFlags, true)
	if err != nil {
		return a.log.fatal(err.Error())
	}
	if len(positional) > 1 {
		return a.log.fatal(argsError("stop", "stop INSTANCE [flags]", "Stop an instance",
			fmt.Sprintf("accepts at most 1 arg(s), received %d", len(positional))))
	}
	name := "default"
	if len(positional) == 1 {
		name = positional[0]
	}
	inst, status, ok := a.inspect(name)
	if !ok {
		return status
	}
	if flags.boolValue("force") {
		a.stopForcibly(a.slowLog, inst)
	} else {
		if inst.Status != fakestate.StatusRunning {
			return a.log.fatal(fmt.Sprintf("expected status `Running`, got %#q (maybe use `limactl stop -f`?)", inst.Status))
		}
		a.stopGracefully(inst)
	}
	inst.Status = fakestate.StatusStopped
	inst.HostAgentPID, inst.DriverPID = 0, 0
	if err := fakestate.SaveInstance(a.state, inst); err != nil {
		return a.log.fatal(err.Error())
	}
	return 0
}

// inspect loads an instance the way limactl's store.Inspect does: an
// invalid name fails validation, and a missing or broken instance (no
// lima.yaml) fails on reading lima.yaml. On failure it returns the exit status.
func (a *app) inspect(name string) (fakestate.Instance, int, bool) {
	if err := validateName(name); err != nil {
		return fakestate.Instance{}, a.log.fatal(err.Error()), false
	}
	inst, err := fakestate.LoadInstance(a.state, name)
	if errors.Is(err, os.ErrNotExist) || (err == nil && inst.Status == fakestate.StatusBroken) {
		return inst, a.log.fatal(a.errNotFound(name).Error()), false
	}
	if err != nil {
		return inst, a.log.fatal(err.Error()), false
	}
	return inst, 0, true
}

func (a *app) stopGracefully(inst fakestate.Instance) {
	dir := a.instanceDir(inst.Name)
	lines := []string{
		fmt.Sprintf("Sending SIGINT to hostagent process %d", inst.HostAgentPID),
		"Waiting for the host agent and the driver processes to shut down",
		"[hostagent] Received SIGINT, shutting down the host agent",
		"[hostagent] Shutting down the host agent",
		fmt.Sprintf("[hostagent] Stopping forwarding `/run/lima-guestagent.sock` (guest) to %#q (host)", dir+"/ga.sock"),
		"[hostagent] Shutting down QEMU with the power button",
		"[hostagent] Sending QMP system_powerdown command",
		"[hostagent] QEMU has exited",
		"Waiting for the instance to shut down",
		fmt.Sprintf("The instance %s has shut down", inst.Name),
	}
	for _, line := range lines {
		a.slowLog.info(line)
	}
}

// stopForcibly prints limactl's StopForcibly lines.
//
// NOTE: limactl then lists each *.pid and *.sock file it removes; the fake
// prints only the summary line.
func (a *app) stopForcibly(log *logger, inst fakestate.Instance) {
	if inst.Status == fakestate.StatusRunning && inst.DriverPID > 0 {
		log.info(fmt.Sprintf("Sending SIGKILL to the %s driver process %d", inst.VMType, inst.DriverPID))
	} else {
		log.info(fmt.Sprintf("The %s driver process seems already stopped", inst.VMType))
	}
	if inst.Status == fakestate.StatusRunning && inst.HostAgentPID > 0 {
		log.info(fmt.Sprintf("Sending SIGKILL to the host agent process %d", inst.HostAgentPID))
	} else {
		log.info("The host agent process seems already stopped")
	}
	log.info(fmt.Sprintf("Removing *.pid *.sock *.tmp under %#q", a.instanceDir(inst.Name)))
}

func (a *app) delete(args []string) int {
	flags, names, err := parseFlags(args, deleteFlags, true)
	if err != nil {
		return a.log.fatal(err.Error())
	}
	if len(names) == 0 {
		return a.log.fatal(argsError("delete", "delete INSTANCE [INSTANCE, ...] [flags]", "Delete an instance of Lima",
			"requires at least 1 arg(s), only received 0"))
	}
	var errs []error
	for _, name := range names {
		if err := validateName(name); err != nil {
			return a.log.fatal(err.Error())
		}
		inst, err := fakestate.LoadInstance(a.state, name)
		if errors.Is(err, os.ErrNotExist) {
			a.log.warning(fmt.Sprintf("Ignoring non-existent instance %#q", name))
			continue
		}
		if err != nil {
			return a.log.fatal(err.Error())
		}
		if inst.Status == fakestate.StatusBroken {
			errs = append(errs, fmt.Errorf("instance %#q directory %#q exists but its `lima.yaml` could not be read; "+
				"it was NOT deleted, in case it is currently being cloned into. "+
				"If no `limactl` operation is using it, remove it manually", name, a.instanceDir(name)))
			continue
		}
		if !flags.boolValue("force") && inst.Status != fakestate.StatusStopped {
			return a.log.fatal(fmt.Sprintf("failed to delete instance %#q: expected status `Stopped`, got %#q", name, inst.Status))
		}
		a.stopForcibly(a.log, inst)
		if err := fakestate.DeleteInstance(a.state, name); err != nil {
			return a.log.fatal(err.Error())
		}
		a.log.info(fmt.Sprintf("Deleted %#q (%#q)", name, a.instanceDir(name)))
	}
	if len(errs) > 0 {
		return a.log.fatal(errors.Join(errs...).Error())
	}
	return 0
}

func (a *app) clone(args []string) int {
	flags, positional, err := parseFlags(args, cloneFlags, true)
	if err != nil {
		return a.log.fatal(err.Error())
	}
	if len(positional) != 2 {
		return a.log.fatal(argsError("clone", "clone OLDINST NEWINST [flags]", "Clone an instance of Lima",
			fmt.Sprintf("accepts 2 arg(s), received %d", len(positional))))
	}
	source, target := positional[0], positional[1]
	if err := validateName(source); err != nil {
		return a.log.fatal(err.Error())
	}
	inst, err := fakestate.LoadInstance(a.state, source)
	if errors.Is(err, os.ErrNotExist) || (err == nil && inst.Status == fakestate.StatusBroken) {
		return a.log.fatal(fmt.Sprintf("instance %#q not found", source))
	}
	if err != nil {
		return a.log.fatal(err.Error())
	}
	if err := a.checkClone(inst, target); err != nil {
		return a.log.fatal(err.Error())
	}
	inst.Name = target
	// The clone gets no ssh.config, so limactl shows no SSH port for it.
	inst.SSHLocalPort, inst.HostAgentPID, inst.DriverPID = 0, 0, 0
	if err := a.applyEditFlags(&inst, flags); err != nil {
		return a.log.fatal(err.Error())
	}
	if err := validateConfig(inst); err != nil {
		return a.log.fatal(a.rejectConfig(inst, err).Error())
	}
	if err := fakestate.SaveInstance(a.state, inst); err != nil {
		return a.log.fatal(err.Error())
	}
	if text, err := os.ReadFile(fakestate.TemplatePath(a.state, source)); err == nil {
		_ = os.WriteFile(fakestate.TemplatePath(a.state, target), text, 0o644)
	}
	if flags.boolValue("start") {
		return a.boot(inst)
	}
	return 0
}

func (a *app) checkClone(inst fakestate.Instance, target string) error {
	if target == inst.Name {
		return fmt.Errorf("new instance name %#q must be different from %#q", target, inst.Name)
	}
	if inst.Status == fakestate.StatusRunning {
		return errors.New("cannot clone a running instance")
	}
	if err := validateName(target); err != nil {
		return err
	}
	if _, err := fakestate.LoadInstance(a.state, target); !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("instance %#q already exists", target)
	}
	return a.checkSocketPath(target)
}
