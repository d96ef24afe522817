package main

import (
	"os"

	"github.com/japacx/aisand/internal/ui"
)

// hostProblem returns what stops aisand before any limactl call.
func hostProblem() *ui.Problem {
	if os.Geteuid() == 0 {
		return ui.RootProblem()
	}
	return nil
}
