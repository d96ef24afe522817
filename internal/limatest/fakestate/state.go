// Package fakestate defines the on-disk state shared by the fake limactl
// and the limatest helpers: one JSON file per instance, the call log, the
// stored templates and the fault table.
package fakestate

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Environment variables read by the fake limactl.
const (
	EnvState       = "FAKE_LIMACTL_STATE"
	EnvAllowRoot   = "FAKE_LIMACTL_ALLOW_ROOT"
	EnvLineDelay   = "FAKE_LIMACTL_LINE_DELAY"
	EnvVersion     = "FAKE_LIMACTL_VERSION"
	EnvArch        = "FAKE_LIMACTL_ARCH"
	DefaultVersion = "2.2.0"
)

// Instance statuses as limactl 2.2.0 prints them.
const (
	StatusStopped = "Stopped"
	StatusRunning = "Running"
	StatusBroken  = "Broken"
)

// Instance is the stored state of one fake instance. The fake renders
// `limactl list` output from it.
type Instance struct {
	Name string `json:"name"`
	// Status is StatusStopped, StatusRunning or StatusBroken. A broken
	// instance stands for a folder in LIMA_HOME without lima.yaml.
	Status string `json:"status"`
	VMType string `json:"vmType"`
	Arch   string `json:"arch"`
	CPUs   int    `json:"cpus"`
	// Memory and Disk are sizes as written in lima.yaml, such as "2GiB".
	Memory string  `json:"memory"`
	Disk   string  `json:"disk"`
	Mounts []Mount `json:"mounts"`
	Images []Image `json:"images"`
	// Catalog marks an instance made from a `template:NAME` locator; such
	// instances carry the defaults of Lima's bundled templates.
	Catalog      bool   `json:"catalog,omitempty"`
	User         User   `json:"user"`
	SSHLocalPort int    `json:"sshLocalPort,omitempty"`
	HostAgentPID int    `json:"hostAgentPID,omitempty"`
	DriverPID    int    `json:"driverPID,omitempty"`
	LimaVersion  string `json:"limaVersion"`
}

// Mount is one host folder shared with the guest.
type Mount struct {
	Location   string `json:"location"`
	MountPoint string `json:"mountPoint"`
	Writable   bool   `json:"writable"`
}

// Image is one entry of the `images` list of lima.yaml.
type Image struct {
	File
	Kernel *Kernel `json:"kernel,omitempty"`
	Initrd *File   `json:"initrd,omitempty"`
}

// File is a downloadable file with its architecture and optional digest.
type File struct {
	Location string `json:"location"`
	Arch     string `json:"arch"`
	Digest   string `json:"digest,omitempty"`
}

// Kernel is a kernel image with its command line.
type Kernel struct {
	File
	Cmdline string `json:"cmdline,omitempty"`
}

// User is the guest user of lima.yaml.
type User struct {
	Name string `json:"name"`
	Home string `json:"home"`
	UID  int    `json:"uid"`
}

// Fault replaces the normal behaviour of one fake limactl call.
type Fault struct {
	Exit   int    `json:"exit,omitempty"`
	Stdout string `json:"stdout,omitempty"`
	Stderr string `json:"stderr,omitempty"`
	// Hang makes the call sleep until it is killed.
	Hang bool `json:"hang,omitempty"`
	// Once removes the fault after its first use.
	Once bool `json:"once,omitempty"`
	// Delay is a Go duration slept before the fault acts.
	Delay string `json:"delay,omitempty"`
	// OfflineImage applies to create only. It does not replace the normal
	// behaviour: create runs until the image download, which fails as it
	// does without internet, and leaves the half-made instance Stopped.
	OfflineImage bool `json:"offlineImage,omitempty"`
}

// Call is one line of the call log.
type Call struct {
	Argv  []string `json:"argv"`
	Stdin string   `json:"stdin"`
	Dir   string   `json:"dir"`
}

// InstancePath returns the file holding the instance called name.
func InstancePath(state, name string) string {
	return filepath.Join(state, "instances", name+".json")
}

// TemplatePath returns the file holding the template an instance was created from.
func TemplatePath(state, name string) string {
	return filepath.Join(state, "templates", name+".yaml")
}

// GuestDir returns the folder that simulates the guest of an instance.
func GuestDir(state, name string) string {
	return filepath.Join(state, "guests", name)
}

// CallsPath returns the call log.
func CallsPath(state string) string { return filepath.Join(state, "calls.jsonl") }

// FaultsPath returns the fault table.
func FaultsPath(state string) string { return filepath.Join(state, "faults.json") }

// LoadInstance reads one instance. The error wraps os.ErrNotExist when
// there is no such instance.
func LoadInstance(state, name string) (Instance, error) {
	var inst Instance
	data, err := os.ReadFile(InstancePath(state, name))
	if err != nil {
		return inst, err
	}
	if err := json.Unmarshal(data, &inst); err != nil {
		return inst, fmt.Errorf("invalid instance file %s: %w", InstancePath(state, name), err)
	}
	return inst, nil
}

// SaveInstance writes one instance, replacing the file in one rename so a
// concurrent reader never sees half a file.
func SaveInstance(state string, inst Instance) error {
	data, err := json.MarshalIndent(inst, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(InstancePath(state, inst.Name), data)
}

// DeleteInstance removes an instance, its template and its guest folder.
func DeleteInstance(state, name string) error {
	err := os.Remove(InstancePath(state, name))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	_ = os.Remove(TemplatePath(state, name))
	return os.RemoveAll(GuestDir(state, name))
}

// InstanceNames returns the stored instance names in byte order, which is
// the order limactl lists instances in.
func InstanceNames(state string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(state, "instances"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, entry := range entries {
		name, ok := strings.CutSuffix(entry.Name(), ".json")
		if ok && !entry.IsDir() {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names, nil
}

// LoadFaults reads the fault table; a missing file is an empty table.
func LoadFaults(state string) (map[string]Fault, error) {
	faults := map[string]Fault{}
	data, err := os.ReadFile(FaultsPath(state))
	if errors.Is(err, os.ErrNotExist) {
		return faults, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &faults); err != nil {
		return nil, fmt.Errorf("invalid fault table %s: %w", FaultsPath(state), err)
	}
	return faults, nil
}

// SaveFaults writes the fault table.
func SaveFaults(state string, faults map[string]Fault) error {
	data, err := json.MarshalIndent(faults, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(FaultsPath(state), data)
}

// AppendCall adds one line to the call log in a single write, so lines of
// concurrent calls do not interleave.
func AppendCall(state string, call Call) error {
	line, err := json.Marshal(call)
	if err != nil {
		return err
	}
	file, err := os.OpenFile(CallsPath(state), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = file.Write(append(line, '\n'))
	if closeErr := file.Close(); err == nil {
		err = closeErr
	}
	return err
}

// ReadCalls returns the call log in order; a missing log is empty.
func ReadCalls(state string) ([]Call, error) {
	data, err := os.ReadFile(CallsPath(state))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var calls []Call
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if line == "" {
			continue
		}
		var call Call
		if err := json.Unmarshal([]byte(line), &call); err != nil {
			return nil, fmt.Errorf("invalid line %d of %s: %w", i+1, CallsPath(state), err)
		}
		calls = append(calls, call)
	}
	return calls, nil
}

func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
	}
	return err
}
