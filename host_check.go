package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/japacx/aisand/internal/host"
	"github.com/japacx/aisand/internal/ui"
)

// hostCheckTimeout bounds the start-up check; each version call has its
// own, shorter limit inside it.
const hostCheckTimeout = 30 * time.Second

// hostProblem returns what stops aisand before any limactl call, such as
// running as root.
func hostProblem(logger *slog.Logger) *ui.Problem {
	ctx, cancel := context.WithTimeout(context.Background(), hostCheckTimeout)
	defer cancel()
	report := host.Check(ctx, host.OS())
	if b := report.Blocker; b != nil {
		logger.Warn("host check blocked start", "message", b.Message)
		return &ui.Problem{Title: b.Message, Lines: []string{b.Reason, b.Action}}
	}
	return nil
}
