package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/japacx/aisand/internal/limatest/fakestate"
)

var shellFlags = []flagSpec{
	{name: "workdir", kind: stringFlag},
	{name: "shell", kind: stringFlag},
	{name: "start", kind: boolFlag},
	{name: "preserve-env", kind: boolFlag},
	{name: "reconnect", kind: boolFlag},
	{name: "instance", kind: stringFlag},
	{name: "sync", kind: stringFlag},
}

// guestCommandTimeout bounds a guest command, so a test that forgets to
// stop one does not leave it running for ever.
const guestCommandTimeout = 30 * time.Minute

// shellCall logs the call and runs `limactl shell`. When stdin is not a
// terminal it is read to the end first, so the log holds the whole script
// and the guest command gets the same bytes.
//
// NOTE: reading stdin to the end means a caller that never closes stdin
// blocks the fake, where real limactl would start the command at once.
func (a *app) shellCall(args []string) int {
	stdin := ""
	if file, ok := a.stdin.(*os.File); !ok || !isTerminal(file) {
		data, err := io.ReadAll(a.stdin)
		if err != nil {
			fmt.Fprintf(a.stderr, "fake limactl: cannot read stdin: %v\n", err)
			return 2
		}
		stdin = string(data)
		a.stdin = &replayReader{data: data}
	}
	if err := a.logCall(stdin); err != nil {
		fmt.Fprintf(a.stderr, "fake limactl: cannot log the call: %v\n", err)
		return 2
	}
	if status, handled := a.applyFault("shell", args); handled {
		return status
	}
	return a.shell(args)
}

func (a *app) shell(args []string) int {
	flags, positional, err := parseFlags(args, shellFlags, false)
	if err != nil {
		return a.log.fatal(err.Error())
	}
	name := flags.stringValue("instance")
	if name == "" {
		if len(positional) == 0 {
			return a.log.fatal("requires instance name as first argument")
		}
		name, positional = positional[0], positional[1:]
	}
	if len(positional) > 0 && positional[0] == "--" {
		positional = positional[1:]
	}
	if len(positional) > 0 {
		switch positional[0] {
		case "create", "start", "delete", "shell":
			a.log.warning(fmt.Sprintf("Perhaps you meant `limactl %s`?", strings.Join(positional, " ")))
		}
	}
	if err := validateName(name); err != nil {
		return a.log.fatal(err.Error())
	}
	inst, err := fakestate.LoadInstance(a.state, name)
	if errors.Is(err, os.ErrNotExist) || (err == nil && inst.Status == fakestate.StatusBroken) {
		return a.log.fatal(fmt.Sprintf("instance %#q does not exist, run `limactl create %s` to create a new instance", name, name))
	}
	if err != nil {
		return a.log.fatal(err.Error())
	}
	if inst.Status == fakestate.StatusStopped {
		if !flags.boolValue("start") {
			return a.log.fatal(fmt.Sprintf("instance %#q is stopped, run `limactl start %s` to start the instance", name, name))
		}
		if status := a.boot(inst); status != 0 {
			return status
		}
	}
	return a.runInGuest(inst, flags.stringValue("workdir"), positional)
}

// runInGuest runs a command in the simulated guest $STATE/guests/NAME:
// its home/ is HOME and its bin/ comes first on PATH. An executable
// handler file there receives the command as its arguments instead.
// Without a command it starts an interactive /bin/sh.
func (a *app) runInGuest(inst fakestate.Instance, workdir string, command []string) int {
	guest := fakestate.GuestDir(a.state, inst.Name)
	guestHome := filepath.Join(guest, "home")
	guestBin := filepath.Join(guest, "bin")
	for _, dir := range []string{guestHome, guestBin} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return a.log.fatal(err.Error())
		}
	}
	dir, ok := a.guestWorkdir(inst, workdir, guestHome)
	if !ok {
		fmt.Fprintf(a.stderr, "bash: line 1: cd: %s: No such file or directory\n", workdir)
		return 1
	}

	program, programArgs := "/bin/sh", []string{}
	handler := filepath.Join(guest, "handler")
	switch info, err := os.Stat(handler); {
	case len(command) == 0:
	case err == nil && info.Mode().IsRegular() && info.Mode()&0o111 != 0:
		program, programArgs = handler, command
	default:
		program, programArgs = command[0], command[1:]
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, guestCommandTimeout)
	defer cancel()
	path, err := lookPathIn(program, guestBin)
	if err != nil {
		fmt.Fprintf(a.stderr, "bash: line 1: %s: command not found\n", program)
		return 127
	}
	cmd := exec.CommandContext(ctx, path, programArgs...)
	cmd.Args[0] = program
	cmd.Dir = dir
	cmd.Env = guestEnv(guestHome, guestBin)
	cmd.Stdin = a.stdin
	cmd.Stdout = a.stdout
	cmd.Stderr = a.stderr
	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exitErr) && exitErr.ExitCode() >= 0:
		return exitErr.ExitCode()
	case errors.As(err, &exitErr):
		// Killed by a signal: ssh reports 255 when the session dies.
		return 255
	}
	fmt.Fprintf(a.stderr, "fake limactl: %v\n", err)
	return 255
}

// guestWorkdir picks the folder the command runs in, as limactl's
// `cd WORKDIR || exit 1` or `cd HOSTCWD || cd HOSTHOME` does. The guest
// home path of the instance maps to the simulated home folder.
func (a *app) guestWorkdir(inst fakestate.Instance, workdir, guestHome string) (string, bool) {
	if workdir != "" {
		dir := workdir
		if rest, ok := strings.CutPrefix(workdir, inst.User.Home); ok && (rest == "" || rest[0] == '/') {
			dir = guestHome + rest
		}
		info, err := os.Stat(dir)
		return dir, err == nil && info.IsDir()
	}
	for _, candidate := range []string{a.cwd, a.home} {
		if candidate != "" && mountsContain(inst.Mounts, candidate) {
			if info, err := os.Stat(candidate); err == nil && info.IsDir() {
				return candidate, true
			}
		}
	}
	return guestHome, true
}

func mountsContain(mounts []fakestate.Mount, path string) bool {
	for _, m := range mounts {
		rel, err := filepath.Rel(m.Location, path)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
			return true
		}
	}
	return false
}

// guestEnv is the caller's environment with HOME, PATH and GUEST_HOME
// pointing into the simulated guest.
func guestEnv(guestHome, guestBin string) []string {
	var env []string
	for _, kv := range os.Environ() {
		key, _, _ := strings.Cut(kv, "=")
		if key != "HOME" && key != "PATH" && key != "GUEST_HOME" {
			env = append(env, kv)
		}
	}
	path := guestBin
	if hostPath := os.Getenv("PATH"); hostPath != "" {
		path += string(os.PathListSeparator) + hostPath
	}
	return append(env, "HOME="+guestHome, "PATH="+path, "GUEST_HOME="+guestHome)
}

// lookPathIn resolves program against the guest PATH.
func lookPathIn(program, guestBin string) (string, error) {
	if strings.Contains(program, "/") {
		return exec.LookPath(program)
	}
	candidate := filepath.Join(guestBin, program)
	if info, err := os.Stat(candidate); err == nil && !info.IsDir() && info.Mode()&0o111 != 0 {
		return candidate, nil
	}
	return exec.LookPath(program)
}

func readAll(r io.Reader) ([]byte, error) { return io.ReadAll(r) }
