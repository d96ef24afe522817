package lima

import (
	"bytes"
	"context"
	"io"
	"os/exec"
	"strconv"
	"time"
)

// Version reads `limactl --version`.
func (cl *Client) Version(ctx context.Context) (Version, error) {
	res, err := cl.run(ctx, call{op: "--version", args: []string{"--version"}, timeout: cl.Timeouts.Query, query: true})
	if err != nil {
		return Version{}, err
	}
	return ParseVersion(string(res.stdout))
}

// ListResult is one `limactl list` call: the instances it could decode,
// and the problem with the rest, if any.
type ListResult struct {
	Instances []Instance
	// Err is set when limactl failed or printed something that could not
	// be decoded; Instances then holds what could be read.
	Err error
}

// List runs `limactl list --format json` once.
func (cl *Client) List(ctx context.Context) ListResult {
	res, runErr := cl.run(ctx, call{op: "list", args: []string{"list", "--format", "json"}, timeout: cl.Timeouts.Query, query: true})
	list, decErr := DecodeList(res.stdout)
	if runErr != nil {
		return ListResult{Instances: list, Err: runErr}
	}
	return ListResult{Instances: list, Err: decErr}
}

// Start boots a stopped instance, streaming limactl's output to onLine.
func (cl *Client) Start(ctx context.Context, name string, onLine func(Line)) error {
	return cl.stream(ctx, "start", name, cl.Timeouts.Start, onLine, "start", "--tty=false", name)
}

// Stop shuts a running instance down; force kills it instead.
func (cl *Client) Stop(ctx context.Context, name string, force bool, onLine func(Line)) error {
	args := []string{"stop"}
	if force {
		args = append(args, "--force")
	}
	return cl.stream(ctx, "stop", name, cl.Timeouts.Stop, onLine, append(args, name)...)
}

// Delete removes an instance; force stops a running one first.
func (cl *Client) Delete(ctx context.Context, name string, force bool, onLine func(Line)) error {
	args := []string{"delete"}
	if force {
		args = append(args, "--force")
	}
	return cl.stream(ctx, "delete", name, cl.Timeouts.Delete, onLine, append(args, name)...)
}

// CreateOptions are the settings of a new instance. Zero values leave the
// template's own.
type CreateOptions struct {
	Name     string
	CPUs     int
	MemoryGB int
	DiskGB   int
	// Template is the template's text, given to limactl on stdin. When
	// empty, TemplatePath is passed as a file instead.
	Template     []byte
	TemplatePath string
	// Extra holds additional flags, such as --mount, placed before the
	// template argument.
	Extra []string
}

// CreateArgs returns the argument list of `limactl create` for o.
func (o CreateOptions) CreateArgs() []string {
	args := []string{"create", "--tty=false", "--name", o.Name}
	if o.CPUs > 0 {
		args = append(args, "--cpus", strconv.Itoa(o.CPUs))
	}
	if o.MemoryGB > 0 {
		args = append(args, "--memory", strconv.Itoa(o.MemoryGB))
	}
	if o.DiskGB > 0 {
		args = append(args, "--disk", strconv.Itoa(o.DiskGB))
	}
	args = append(args, o.Extra...)
	if len(o.Template) > 0 {
		return append(args, "-")
	}
	return append(args, o.TemplatePath)
}

// Create makes a new stopped instance from a template.
func (cl *Client) Create(ctx context.Context, o CreateOptions, onLine func(Line)) error {
	c := call{op: "create", instance: o.Name, args: o.CreateArgs(), timeout: cl.Timeouts.Create, onLine: onLine}
	if len(o.Template) > 0 {
		c.stdin = bytes.NewReader(o.Template)
	}
	_, err := cl.run(ctx, c)
	return err
}

// Edit changes a stopped instance's configuration with the given flags,
// such as --mount-only. It runs in dir, because a rejected edit leaves
// lima.REJECTED.yaml in the working folder.
func (cl *Client) Edit(ctx context.Context, name, dir string, flags []string, onLine func(Line)) error {
	args := append([]string{"edit", "--tty=false"}, flags...)
	args = append(args, name)
	_, err := cl.run(ctx, call{op: "edit", instance: name, args: args, dir: dir, timeout: cl.Timeouts.Edit, onLine: onLine})
	return err
}

// Clone copies a stopped instance.
func (cl *Client) Clone(ctx context.Context, src, dst string, onLine func(Line)) error {
	return cl.stream(ctx, "clone", dst, cl.Timeouts.Clone, onLine, "clone", "--tty=false", src, dst)
}

// Run runs a command inside a running instance from the root folder, with
// script on its stdin (nil for none), streaming what it prints.
func (cl *Client) Run(ctx context.Context, name string, script io.Reader, onLine func(Line), command ...string) error {
	args := append([]string{"shell", "--tty=false", "--workdir", "/", name, "--"}, command...)
	_, err := cl.run(ctx, call{op: "shell", instance: name, args: args, stdin: script, timeout: cl.Timeouts.Run, onLine: onLine})
	return err
}

// ShellCommand returns an interactive `limactl shell NAME` for the caller
// to hand the terminal to. It has no timeout, because a shell lasts as
// long as the user wants it to.
func (cl *Client) ShellCommand(name string) *exec.Cmd {
	cmd := exec.CommandContext(context.Background(), cl.Path, "shell", name)
	cmd.Env = append(cmd.Environ(), cl.Env...)
	return cmd
}

func (cl *Client) stream(ctx context.Context, op, name string, timeout time.Duration, onLine func(Line), args ...string) error {
	_, err := cl.run(ctx, call{op: op, instance: name, args: args, timeout: timeout, onLine: onLine})
	return err
}
