package main

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/japacx/aisand/internal/limatest/fakestate"
)

// listEntry is one instance as `limactl list --format json` prints it: the
// fields of Lima's Instance type followed by the deprecated host fields.
// The Go field names are the ones a --format go-template reads.
type listEntry struct {
	Name          string      `json:"name"`
	Hostname      string      `json:"hostname"`
	Status        string      `json:"status"`
	Dir           string      `json:"dir"`
	VMType        string      `json:"vmType"`
	Arch          string      `json:"arch"`
	CPUs          int         `json:"cpus,omitempty"`
	Memory        int64       `json:"memory,omitempty"`
	Disk          int64       `json:"disk,omitempty"`
	SSHLocalPort  int         `json:"sshLocalPort,omitempty"`
	SSHConfigFile string      `json:"sshConfigFile,omitempty"`
	HostAgentPID  int         `json:"hostAgentPID,omitempty"`
	DriverPID     int         `json:"driverPID,omitempty"`
	Errors        []pathError `json:"errors,omitempty"`
	Config        *limaConfig `json:"config,omitempty"`
	SSHAddress    string      `json:"sshAddress,omitempty"`
	Protected     bool        `json:"protected"`
	LimaVersion   string      `json:"limaVersion"`
	HostOS        string      `json:"HostOS"`
	HostArch      string      `json:"HostArch"`
	LimaHome      string      `json:"LimaHome"`
	IdentityFile  string      `json:"IdentityFile"`
}

// pathError is Go's *fs.PathError as encoding/json writes it, which is how
// limactl 2.2.0 prints the errors of a broken instance.
type pathError struct {
	Op   string
	Path string
	Err  syscall.Errno
}

// limaConfig is lima.yaml after Lima filled in its defaults.
type limaConfig struct {
	MinimumLimaVersion string            `json:"minimumLimaVersion,omitempty"`
	VMType             string            `json:"vmType"`
	OS                 string            `json:"os"`
	Arch               string            `json:"arch"`
	Images             []fakestate.Image `json:"images"`
	CPUs               int               `json:"cpus"`
	Memory             string            `json:"memory"`
	Disk               string            `json:"disk"`
	Mounts             []configMount     `json:"mounts"`
	MountInotify       bool              `json:"mountInotify"`
	SSH                sshConfig         `json:"ssh"`
	Firmware           struct {
		LegacyBIOS bool `json:"legacyBIOS"`
	} `json:"firmware"`
	Audio struct {
		Device    string `json:"device"`
		Interface string `json:"interface"`
	} `json:"audio"`
	Video struct {
		Display string   `json:"display"`
		VNC     struct{} `json:"vnc"`
	} `json:"video"`
	UpgradePackages    bool       `json:"upgradePackages"`
	Containerd         containerd `json:"containerd"`
	GuestInstallPrefix string     `json:"guestInstallPrefix"`
	HostResolver       struct {
		Enabled bool `json:"enabled"`
		IPv6    bool `json:"ipv6"`
	} `json:"hostResolver"`
	PropagateProxyEnv bool `json:"propagateProxyEnv"`
	CACerts           struct {
		RemoveDefaults bool `json:"removeDefaults"`
	} `json:"caCerts"`
	Rosetta              struct{}   `json:"rosetta"`
	Plain                bool       `json:"plain"`
	Timezone             string     `json:"timezone"`
	NestedVirtualization bool       `json:"nestedVirtualization"`
	User                 configUser `json:"user"`
	TPM                  bool       `json:"tpm"`
}

type configMount struct {
	Location   string `json:"location"`
	MountPoint string `json:"mountPoint"`
	Writable   bool   `json:"writable"`
	SSHFS      struct {
		Cache          bool   `json:"cache"`
		FollowSymlinks bool   `json:"followSymlinks"`
		SFTPDriver     string `json:"sftpDriver"`
	} `json:"sshfs"`
	NineP struct {
		SecurityModel   string `json:"securityModel"`
		ProtocolVersion string `json:"protocolVersion"`
		Msize           string `json:"msize"`
		Cache           string `json:"cache"`
	} `json:"9p"`
	Virtiofs struct{} `json:"virtiofs"`
}

type sshConfig struct {
	LocalPort         int  `json:"localPort"`
	LoadDotSSHPubKeys bool `json:"loadDotSSHPubKeys"`
	ForwardAgent      bool `json:"forwardAgent"`
	ForwardX11        bool `json:"forwardX11"`
	ForwardX11Trusted bool `json:"forwardX11Trusted"`
}

type containerd struct {
	System   bool             `json:"system"`
	User     bool             `json:"user"`
	Archives []fakestate.File `json:"archives"`
}

type configUser struct {
	Name             string `json:"name"`
	Comment          string `json:"comment"`
	Home             string `json:"home"`
	Shell            string `json:"shell"`
	UID              int    `json:"uid"`
	PasswordlessSudo bool   `json:"passwordlessSudo"`
}

// nerdctlArchives are the containerd archives Lima 2.2.0 fills in.
var nerdctlArchives = []fakestate.File{
	{
		Location: "https://github.com/containerd/nerdctl/releases/download/v2.3.5/nerdctl-full-2.3.5-linux-amd64.tar.gz",
		Arch:     "x86_64",
		Digest:   "sha256:b697295c623639734aaab737523c808fd3cc8d3046039fd94fff1744e4c317aa",
	},
	{
		Location: "https://github.com/containerd/nerdctl/releases/download/v2.3.5/nerdctl-full-2.3.5-linux-arm64.tar.gz",
		Arch:     "aarch64",
		Digest:   "sha256:6e4b687f1d138e750a3c8372abc0f81d3d7490b6359c48c0562fc7dfe98859b2",
	},
}

// listEntryFor renders a stored instance as limactl lists it.
func (a *app) listEntryFor(inst fakestate.Instance) listEntry {
	dir := a.instanceDir(inst.Name)
	entry := listEntry{
		Name:         inst.Name,
		Status:       inst.Status,
		Dir:          dir,
		HostOS:       runtime.GOOS,
		HostArch:     fakestate.HostArch(),
		LimaHome:     a.limaHome,
		IdentityFile: filepath.Join(a.limaHome, "_config", "user"),
	}
	if inst.Status == fakestate.StatusBroken {
		entry.Errors = []pathError{{Op: "open", Path: filepath.Join(dir, "lima.yaml"), Err: syscall.ENOENT}}
		return entry
	}
	// Lima replaces dots for the hostname: "ubuntu-24.04" becomes "lima-ubuntu-24-04".
	entry.Hostname = "lima-" + strings.ReplaceAll(inst.Name, ".", "-")
	entry.VMType = inst.VMType
	entry.Arch = inst.Arch
	entry.CPUs = inst.CPUs
	entry.Memory, _ = sizeInBytes(inst.Memory)
	entry.Disk, _ = sizeInBytes(inst.Disk)
	entry.SSHLocalPort = inst.SSHLocalPort
	entry.SSHConfigFile = filepath.Join(dir, "ssh.config")
	if inst.Status == fakestate.StatusRunning {
		entry.HostAgentPID = inst.HostAgentPID
		entry.DriverPID = inst.DriverPID
	}
	entry.Config = configFor(inst)
	entry.SSHAddress = "127.0.0.1"
	entry.LimaVersion = inst.LimaVersion
	return entry
}

func configFor(inst fakestate.Instance) *limaConfig {
	config := &limaConfig{
		VMType:             inst.VMType,
		OS:                 "Linux",
		Arch:               inst.Arch,
		Images:             inst.Images,
		CPUs:               inst.CPUs,
		Memory:             inst.Memory,
		Disk:               inst.Disk,
		Mounts:             []configMount{},
		GuestInstallPrefix: "/usr/local",
		PropagateProxyEnv:  true,
		Timezone:           "Etc/UTC",
		User: configUser{
			Name: inst.User.Name, Home: inst.User.Home, Shell: "/bin/bash",
			UID: inst.User.UID, PasswordlessSudo: true,
		},
	}
	if config.Images == nil {
		config.Images = []fakestate.Image{}
	}
	config.Video.Display = "none"
	config.HostResolver.Enabled = true
	config.Containerd.Archives = nerdctlArchives
	// Lima's bundled templates enable containerd and boot with UEFI; the
	// recorded local template did neither.
	if inst.Catalog {
		config.MinimumLimaVersion = "2.0.0"
		config.Containerd.User = true
	} else {
		config.Firmware.LegacyBIOS = true
	}
	for _, m := range inst.Mounts {
		config.Mounts = append(config.Mounts, configMountFor(m))
	}
	return config
}

func configMountFor(m fakestate.Mount) configMount {
	out := configMount{Location: m.Location, MountPoint: m.MountPoint, Writable: m.Writable}
	out.SSHFS.Cache = true
	out.NineP.SecurityModel = "none"
	out.NineP.ProtocolVersion = "9p2000.L"
	out.NineP.Msize = "128KiB"
	// Lima's 9p cache default depends on whether the mount is writable.
	out.NineP.Cache = "fscache"
	if m.Writable {
		out.NineP.Cache = "mmap"
	}
	return out
}

// marshalCompact encodes v on one line without escaping <, > and &, as
// Go templates' json function and yq do not either.
func marshalCompact(v any) ([]byte, error) {
	var buf bytes.Buffer
	encoder := json.NewEncoder(&buf)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// dropEmptyObjects removes every object member and array element that is
// an empty object, repeating until none is left, and keeps the key order.
// `limactl list --format json` pipes its output through yq to do the same.
func dropEmptyObjects(data []byte, indent string) ([]byte, error) {
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()
	value, err := readOrdered(decoder)
	if err != nil {
		return nil, err
	}
	value, _ = prune(value)
	var buf bytes.Buffer
	writeOrdered(&buf, value, indent, "")
	return buf.Bytes(), nil
}

// orderedObject is a JSON object that keeps its key order.
type orderedObject struct {
	keys   []string
	values []any
}

func readOrdered(decoder *json.Decoder) (any, error) {
	token, err := decoder.Token()
	if err != nil {
		return nil, err
	}
	switch token {
	case json.Delim('{'):
		object := &orderedObject{}
		for decoder.More() {
			key, err := decoder.Token()
			if err != nil {
				return nil, err
			}
			value, err := readOrdered(decoder)
			if err != nil {
				return nil, err
			}
			object.keys = append(object.keys, key.(string))
			object.values = append(object.values, value)
		}
		_, err = decoder.Token()
		return object, err
	case json.Delim('['):
		array := []any{}
		for decoder.More() {
			value, err := readOrdered(decoder)
			if err != nil {
				return nil, err
			}
			array = append(array, value)
		}
		_, err = decoder.Token()
		return array, err
	}
	return token, nil
}

// prune drops empty objects below value and reports whether value itself
// ended up an empty object.
func prune(value any) (any, bool) {
	switch v := value.(type) {
	case *orderedObject:
		kept := &orderedObject{}
		for i, key := range v.keys {
			child, empty := prune(v.values[i])
			if !empty {
				kept.keys = append(kept.keys, key)
				kept.values = append(kept.values, child)
			}
		}
		return kept, len(kept.keys) == 0
	case []any:
		kept := []any{}
		for _, item := range v {
			child, empty := prune(item)
			if !empty {
				kept = append(kept, child)
			}
		}
		return kept, false
	}
	return value, false
}

func writeOrdered(w io.Writer, value any, indent, prefix string) {
	newline, inner, colon := "", prefix+indent, ":"
	if indent != "" {
		newline, colon = "\n", ": "
	}
	switch v := value.(type) {
	case *orderedObject:
		if len(v.keys) == 0 {
			_, _ = io.WriteString(w, "{}")
			return
		}
		_, _ = io.WriteString(w, "{"+newline)
		for i, key := range v.keys {
			encodedKey, _ := marshalCompact(key)
			_, _ = io.WriteString(w, inner+string(encodedKey)+colon)
			writeOrdered(w, v.values[i], indent, inner)
			if i < len(v.keys)-1 {
				_, _ = io.WriteString(w, ",")
			}
			_, _ = io.WriteString(w, newline)
		}
		_, _ = io.WriteString(w, prefix+"}")
	case []any:
		if len(v) == 0 {
			_, _ = io.WriteString(w, "[]")
			return
		}
		_, _ = io.WriteString(w, "["+newline)
		for i, item := range v {
			_, _ = io.WriteString(w, inner)
			writeOrdered(w, item, indent, inner)
			if i < len(v)-1 {
				_, _ = io.WriteString(w, ",")
			}
			_, _ = io.WriteString(w, newline)
		}
		_, _ = io.WriteString(w, prefix+"]")
	default:
		encoded, _ := marshalCompact(v)
		_, _ = io.WriteString(w, string(encoded))
	}
}
