// Command fakelimactl replaces limactl 2.2.0 in tests. It keeps its
// instances as JSON files under FAKE_LIMACTL_STATE, logs every call to
// calls.jsonl there, and prints what the real limactl prints for the same
// request: the same stdout, logfmt stderr lines and exit status.
//
// Environment:
//
//	FAKE_LIMACTL_STATE       state folder (required)
//	FAKE_LIMACTL_ALLOW_ROOT  "1" lets it run as root, which limactl refuses
//	FAKE_LIMACTL_LINE_DELAY  Go duration slept between the stderr lines of
//	                         create, start and stop (default 0)
//	FAKE_LIMACTL_VERSION     version printed by --version (default 2.2.0)
//	FAKE_LIMACTL_ARCH        guest and host architecture (default: this machine's)
//	LIMA_HOME, HOME          as limactl reads them; the fake never writes there
//
// A table in $FAKE_LIMACTL_STATE/faults.json can replace the behaviour of a
// command; see the Fault type of package fakestate.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/japacx/aisand/internal/limatest/fakestate"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// app is one invocation of the fake.
type app struct {
	state    string
	limaHome string
	home     string
	cwd      string
	args     []string
	stdin    io.Reader
	stdout   io.Writer
	stderr   io.Writer
	log      *logger
	// slowLog is the logger for the long commands, which pause between lines.
	slowLog *logger
}

func run(args []string) int {
	if os.Geteuid() == 0 && os.Getenv(fakestate.EnvAllowRoot) != "1" {
		fmt.Fprint(os.Stderr, "limactl: must not run as the root user\n")
		return 1
	}
	state := os.Getenv(fakestate.EnvState)
	if state == "" {
		fmt.Fprintf(os.Stderr, "fake limactl: %s is not set; point it at a state folder\n", fakestate.EnvState)
		return 2
	}
	a, err := newApp(state, args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fake limactl: %v\n", err)
		return 2
	}
	return a.dispatch()
}

func newApp(state string, args []string) (*app, error) {
	delay := time.Duration(0)
	if text := os.Getenv(fakestate.EnvLineDelay); text != "" {
		parsed, err := time.ParseDuration(text)
		if err != nil {
			return nil, fmt.Errorf("invalid %s %q: %w", fakestate.EnvLineDelay, text, err)
		}
		delay = parsed
	}
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	home := os.Getenv("HOME")
	limaHome := os.Getenv("LIMA_HOME")
	if limaHome == "" {
		limaHome = filepath.Join(home, ".lima")
	}
	// limactl resolves symbolic links in LIMA_HOME when the folder exists.
	if resolved, err := filepath.EvalSymlinks(limaHome); err == nil {
		limaHome = resolved
	}
	return &app{
		state:    state,
		limaHome: limaHome,
		home:     home,
		cwd:      cwd,
		args:     args,
		stdin:    os.Stdin,
		stdout:   os.Stdout,
		stderr:   os.Stderr,
		log:      newLogger(os.Stderr, 0),
		slowLog:  newLogger(os.Stderr, delay),
	}, nil
}

// instanceDir returns where limactl would keep the instance.
func (a *app) instanceDir(name string) string { return filepath.Join(a.limaHome, name) }

// commands maps each command (and alias) to its handler.
func (a *app) commands() map[string]func([]string) int {
	return map[string]func([]string) int{
		"list":   a.list,
		"ls":     a.list,
		"create": a.create,
		"start":  a.start,
		"stop":   a.stop,
		"delete": a.delete,
		"remove": a.delete,
		"rm":     a.delete,
		"edit":   a.edit,
		"shell":  a.shell,
		"clone":  a.clone,
	}
}

func (a *app) dispatch() int {
	command, rest := splitCommand(a.args)
	if command == "shell" {
		// shell logs its own call, because the stdin it logs is the one it
		// passes to the guest command.
		return a.shellCall(rest)
	}
	stdin := ""
	if command == "create" && len(rest) > 0 && rest[len(rest)-1] == "-" {
		data, err := io.ReadAll(a.stdin)
		if err != nil {
			return a.log.fatal(err.Error())
		}
		stdin = string(data)
		a.stdin = &replayReader{data: data}
	}
	if err := a.logCall(stdin); err != nil {
		fmt.Fprintf(a.stderr, "fake limactl: cannot log the call: %v\n", err)
		return 2
	}
	if status, handled := a.applyFault(command, rest); handled {
		return status
	}
	switch {
	case command == "" && hasVersionFlag(rest):
		fmt.Fprintf(a.stdout, "limactl version %s\n", version())
		return 0
	case command == "":
		fmt.Fprintln(a.stdout, "Lima: Linux virtual machines (fake limactl for tests)")
		return 0
	}
	handler, ok := a.commands()[command]
	if !ok {
		return a.log.fatal(fmt.Sprintf("unknown command %q for %q", command, "limactl"))
	}
	return handler(rest)
}

func (a *app) logCall(stdin string) error {
	argv := a.args
	if argv == nil {
		argv = []string{}
	}
	return fakestate.AppendCall(a.state, fakestate.Call{Argv: argv, Stdin: stdin, Dir: a.cwd})
}

// splitCommand finds the command name after any leading global flags.
func splitCommand(args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			return "", args
		}
		if arg == "--log-level" || arg == "--log-format" {
			i++ // the next argument is the flag's value
			continue
		}
		if len(arg) > 0 && arg[0] != '-' {
			rest := append(append([]string(nil), args[:i]...), args[i+1:]...)
			return arg, rest
		}
	}
	return "", args
}

func hasVersionFlag(args []string) bool {
	for _, arg := range args {
		if arg == "--version" || arg == "-v" {
			return true
		}
	}
	return false
}

func version() string {
	if v := os.Getenv(fakestate.EnvVersion); v != "" {
		return v
	}
	return fakestate.DefaultVersion
}

// replayReader returns stdin that was already read in full.
type replayReader struct {
	data []byte
}

func (r *replayReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}
