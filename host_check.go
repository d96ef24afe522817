package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/japacx/aisand/internal/host"
	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/ui"
)

// checkHost runs the start-up host check. It returns a problem for what
// stops aisand at once, such as running as root. A missing program is left
// to the Host Setup screen, which hostSetup configures.
func checkHost(logger *slog.Logger) (*ui.HostSetup, *ui.Problem) {
	ctx, cancel := context.WithTimeout(context.Background(), ui.HostCheckTimeout)
	defer cancel()
	sys := host.OS()
	var report host.Report
	var activation *host.Activation
	announceIfSlow(os.Stderr, slowCheckDelay, func() {
		report, activation = ui.CheckHost(ctx, sys)
	})
	if b := report.Blocker; b != nil {
		logger.Warn("host check blocked start", "message", b.Message)
		return nil, &ui.Problem{Title: b.Message, Lines: []string{b.Reason, b.Action}}
	}
	if activation != nil {
		logger.Info("added Homebrew's folder to PATH", "brew", activation.Brew)
	}
	for _, dependency := range report.Missing() {
		logger.Warn("host program missing", "program", dependency.Name, "problem", dependency.Problem)
	}
	setup := &ui.HostSetup{
		System:     sys,
		Report:     &report,
		Activation: activation,
		Connect:    func() (ui.Limactl, error) { return connectLimactl(logger) },
	}
	return setup, nil
}

// slowCheckDelay is how long the start-up check runs before aisand says
// what it waits for, because the terminal stays blank until the UI starts.
// A hanging limactl --version holds the check until its timeout.
const slowCheckDelay = time.Second

// slowCheckMessage is the line announceIfSlow prints.
const slowCheckMessage = "aisand: checking limactl and the programs it needs…"

// announceIfSlow runs check and prints slowCheckMessage to out when check
// has not returned within delay. It returns only after any print, so the
// line cannot land on the screen that the UI draws next.
func announceIfSlow(out io.Writer, delay time.Duration, check func()) {
	done := make(chan struct{})
	announced := make(chan struct{})
	go func() {
		defer close(announced)
		timer := time.NewTimer(delay)
		defer timer.Stop()
		select {
		case <-done:
		case <-timer.C:
			fmt.Fprintln(out, slowCheckMessage)
		}
	}()
	check()
	close(done)
	<-announced
}

// connectLimactl returns the client for the limactl that lima.Find picks,
// with the AISAND_QUERY_TIMEOUT limit.
func connectLimactl(logger *slog.Logger) (ui.Limactl, error) {
	path, err := lima.Find()
	if err != nil {
		logger.Warn("limactl not found", "err", err)
		return nil, err
	}
	logger.Info("using limactl", "path", path)
	client := lima.New(path)
	clients.add(client)
	if text := os.Getenv("AISAND_QUERY_TIMEOUT"); text != "" {
		d, err := time.ParseDuration(text)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("invalid AISAND_QUERY_TIMEOUT %q: use a positive Go duration such as 30s or 2m, or unset it", text)
		}
		client.Timeouts.Query = d
	}
	return client, nil
}

// clients holds every limactl client made, so that quitting can end the
// calls they still have running.
var clients clientList

type clientList struct {
	mu   sync.Mutex
	list []*lima.Client
}

func (l *clientList) add(c *lima.Client) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, c)
}

// closeWait bounds how long quitting waits for limactl calls to end.
const closeWait = 3 * time.Second

// closeClients cancels every limactl call still running, such as a list
// that hangs, so none outlives aisand.
func closeClients() {
	clients.mu.Lock()
	defer clients.mu.Unlock()
	for _, c := range clients.list {
		c.Close(closeWait)
	}
}
