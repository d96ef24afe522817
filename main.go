// Command aisand is a terminal UI that gives every AI coding agent its own
// disposable Lima VM.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/logfile"
	"github.com/japacx/aisand/internal/ops"
	"github.com/japacx/aisand/internal/ui"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `aisand: a terminal UI that runs AI coding agents in disposable Lima VMs.

Usage:
  aisand [flags]

Flags:
  --version   print the version and exit
  --debug     write debug lines, every limactl output line among them, to the log
  --template FILE
              create new VMs from this Lima template instead of the built-in
              Ubuntu 25.10 one
  --help      print this help and exit

Environment:
  AISAND_LIMACTL   path of the limactl to use (default: limactl on PATH)
  AISAND_TEMPLATE  Lima template for new VMs, as --template (which wins)
  AISAND_QUERY_TIMEOUT
                   time limit of quick limactl calls such as list, as a Go
                   duration like 30s or 2m (default 30s)
  LIMA_HOME        folder of Lima's instances, as limactl reads it (default: ~/.lima)
  XDG_STATE_HOME   the log is written to $XDG_STATE_HOME/aisand/aisand.log

Keys: ↑/↓ or k/j move, enter opens actions, g the global menu, r refreshes,
esc goes back, q quits.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("aisand", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {} // printed below, to stdout for --help

	showVersion := flags.Bool("version", false, "")
	debug := flags.Bool("debug", false, "")
	templateFlag := flags.String("template", "", "")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintln(stderr, "Run 'aisand --help' for the flags.")
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "aisand: unexpected argument %q; aisand takes only flags. Run 'aisand --help' for them.\n", flags.Arg(0))
		return 2
	}
	if err := checkTemplateFlag(flags); err != nil {
		fmt.Fprintln(stderr, "aisand:", err)
		return 2
	}
	if *showVersion {
		fmt.Fprintln(stdout, "aisand", buildVersion())
		return 0
	}
	template, err := templateFile(*templateFlag, os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "aisand:", err)
		return 2
	}

	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	logger, closer, logErr := logfile.Open(level)
	if logErr != nil {
		// A log is worth having but not worth refusing to start over.
		logger = slog.New(slog.DiscardHandler)
	} else {
		defer closer.Close()
	}
	// Several aisand windows may share the log, so each line carries the pid.
	logger = logger.With("pid", os.Getpid())
	logger.Info("aisand started", "version", buildVersion())

	cfg := appConfig(logger)
	cfg.TemplatePath = template
	cfg.LogPath = logfile.Path()
	if logErr != nil {
		cfg.LogPath = ""
		cfg.Warning = fmt.Sprintf("No log is kept: %v. Set XDG_STATE_HOME to a writable folder.", logErr)
	}
	model, err := tea.NewProgram(ui.New(cfg)).Run()
	closeClients()
	if err != nil {
		logger.Error("aisand ended with an error", "err", err)
		if isTerminalError(err) {
			fmt.Fprintln(stderr, "aisand needs an interactive terminal:", err)
		} else {
			fmt.Fprintln(stderr, "aisand:", err)
		}
		return 1
	}
	if app, ok := model.(*ui.App); ok && app.Failed() {
		return 1
	}
	return 0
}

// isTerminalError reports whether err is Bubble Tea failing to open the
// terminal, as when aisand runs with its input redirected.
func isTerminalError(err error) bool {
	return strings.Contains(err.Error(), "TTY")
}

// buildVersion is the version set at build time, else the module version
// that `go install` records, else "dev".
func buildVersion() string {
	if version != "dev" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return version
}

func appConfig(logger *slog.Logger) ui.Config {
	cfg := ui.Config{Log: logger, Ops: ops.NewManager(logger)}
	setup, problem := checkHost(logger)
	if problem != nil {
		cfg.Problem = problem
		return cfg
	}
	// While a required program is missing, the Host Setup screen opens
	// first and makes the client itself once the program is installed.
	cfg.Host = setup
	if !setup.Report.Ready() {
		return cfg
	}
	client, err := setup.Connect()
	if err != nil {
		cfg.Problem = &ui.Problem{Title: "aisand cannot start", Lines: []string{err.Error()}}
		return cfg
	}
	cfg.Limactl = client
	return cfg
}
