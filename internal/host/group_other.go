//go:build !unix

package host

import "os/exec"

// processGroup is only the command itself where process groups do not
// exist: a cancel kills the program, but not the programs it started.
type processGroup struct{}

func newProcessGroup(*exec.Cmd) *processGroup { return &processGroup{} }

func (*processGroup) end() {}
