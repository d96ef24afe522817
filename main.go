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
		fmt.Fprint(stderr, usage)
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "aisand: unexpected argument %q\n%s", flags.Arg(0), usage)
		return 2
	}
	if *showVersion {
		fmt.Fprintln(stdout, "aisand", version)
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
	logger, closer, err := logfile.Open(level)
	if err != nil {
		fmt.Fprintln(stderr, "aisand:", err)
		return 1
	}
	defer closer.Close()
	logger.Info("aisand started", "version", version)

	cfg := appConfig(logger)
	cfg.TemplatePath = template
	if _, err := tea.NewProgram(ui.New(cfg)).Run(); err != nil {
		logger.Error("aisand ended with an error", "err", err)
		fmt.Fprintln(stderr, "aisand:", err)
		return 1
	}
	return 0
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
		cfg.Problem = &ui.Problem{Title: "aisand cannot use limactl", Lines: []string{err.Error()}}
		return cfg
	}
	cfg.Limactl = client
	return cfg
}
