package lima

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"syscall"
)

// rawInstance holds the keys of `limactl list --format json` that aisand
// uses. Every other key is skipped, so keys that come and go between
// releases do no harm.
type rawInstance struct {
	Name         string            `json:"name"`
	Hostname     string            `json:"hostname"`
	Status       string            `json:"status"`
	Dir          string            `json:"dir"`
	VMType       string            `json:"vmType"`
	Arch         string            `json:"arch"`
	CPUs         flexInt           `json:"cpus"`
	Memory       flexInt           `json:"memory"`
	Disk         flexInt           `json:"disk"`
	SSHLocalPort flexInt           `json:"sshLocalPort"`
	Errors       []json.RawMessage `json:"errors"`
	LimaVersion  string            `json:"limaVersion"`
	Config       *struct {
		Mounts []struct {
			Location   string  `json:"location"`
			MountPoint *string `json:"mountPoint"`
			Writable   *bool   `json:"writable"`
		} `json:"mounts"`
		User struct {
			Home string `json:"home"`
		} `json:"user"`
	} `json:"config"`
}

// flexInt accepts a JSON number or a string holding one, and treats
// anything else as zero rather than failing the whole instance.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		*f = 0
		return nil
	}
	*f = flexInt(n)
	return nil
}

// DecodeList decodes the output of `limactl list --format json`: a stream
// of JSON values, each an instance object or an array of them, on one line
// each or indented. Empty input is an empty list. On malformed input it
// returns the instances it could read together with an error.
func DecodeList(data []byte) ([]Instance, error) {
	list, err := decodeStream(data)
	if err == nil {
		return list, nil
	}
	// One bad line ends a stream decode; decoding line by line keeps every
	// good instance around it.
	byLine, lineErr := decodeLines(data)
	if len(byLine) > len(list) {
		list = byLine
	}
	if lineErr == nil {
		lineErr = err
	}
	return list, lineErr
}

// decodeStream decodes each value straight into rawInstance; going through
// json.RawMessage first would scan every byte twice more.
func decodeStream(data []byte) ([]Instance, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var list []Instance
	for {
		switch nextByte(data, dec.InputOffset()) {
		case 0:
			return list, nil
		case '[':
			if _, err := dec.Token(); err != nil {
				return list, invalidJSON(err)
			}
			for dec.More() {
				inst, err := decodeInstance(dec)
				if err != nil {
					return list, err
				}
				list = append(list, inst)
			}
			if _, err := dec.Token(); err != nil {
				return list, invalidJSON(err)
			}
		default:
			inst, err := decodeInstance(dec)
			if err != nil {
				return list, err
			}
			list = append(list, inst)
		}
	}
}

func decodeInstance(dec *json.Decoder) (Instance, error) {
	var r rawInstance
	if err := dec.Decode(&r); err != nil {
		return Instance{}, invalidJSON(err)
	}
	if r.Name == "" {
		return Instance{}, errors.New("limactl list printed an instance without a name")
	}
	return r.instance(), nil
}

// nextByte returns the first byte at or after offset that is not JSON
// white space, or 0 at the end.
func nextByte(data []byte, offset int64) byte {
	for _, c := range data[offset:] {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}

func invalidJSON(err error) error {
	return fmt.Errorf("invalid JSON from limactl list: %w", err)
}

func decodeLines(data []byte) ([]Instance, error) {
	var list []Instance
	var firstErr error
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		got, err := decodeValue(line)
		list = append(list, got...)
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("limactl list output line %d: %w", n, err)
		}
	}
	return list, firstErr
}

// decodeValue decodes one JSON value: an instance or an array of them.
func decodeValue(raw []byte) ([]Instance, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("invalid JSON from limactl list: %w", err)
		}
		var list []Instance
		for _, item := range items {
			got, err := decodeValue(item)
			list = append(list, got...)
			if err != nil {
				return list, err
			}
		}
		return list, nil
	}
	var r rawInstance
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("invalid JSON from limactl list: %w", err)
	}
	if r.Name == "" {
		return nil, errors.New("limactl list printed an instance without a name")
	}
	return []Instance{r.instance()}, nil
}

func (r rawInstance) instance() Instance {
	inst := Instance{
		Name:        r.Name,
		Hostname:    r.Hostname,
		Status:      Status(r.Status),
		Dir:         r.Dir,
		VMType:      r.VMType,
		Arch:        r.Arch,
		CPUs:        int(r.CPUs),
		Memory:      int64(r.Memory),
		Disk:        int64(r.Disk),
		SSHPort:     int(r.SSHLocalPort),
		LimaVersion: r.LimaVersion,
	}
	for _, e := range r.Errors {
		inst.Errors = append(inst.Errors, errorText(e))
	}
	if r.Config != nil {
		inst.GuestHome = r.Config.User.Home
		for _, m := range r.Config.Mounts {
			mount := Mount{Location: m.Location, MountPoint: m.Location}
			if m.MountPoint != nil && *m.MountPoint != "" {
				mount.MountPoint = *m.MountPoint
			}
			if m.Writable != nil {
				mount.Writable = *m.Writable
			}
			inst.Mounts = append(inst.Mounts, mount)
		}
	}
	return inst
}

// errorText renders one entry of `errors`. limactl 2.2.0 writes Go error
// values as objects, such as {"Op":"open","Path":"…","Err":2} for a
// *fs.PathError; older releases wrote strings.
func errorText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var pathErr struct {
		Op   string
		Path string
		Err  json.RawMessage
	}
	if json.Unmarshal(raw, &pathErr) == nil && pathErr.Op != "" {
		return pathErr.Op + " " + pathErr.Path + ": " + errnoText(pathErr.Err)
	}
	var compact bytes.Buffer
	if json.Compact(&compact, raw) == nil {
		return compact.String()
	}
	return string(raw)
}

// errnoText renders an errno number as the system's text for it, as Go's
// own error would read.
func errnoText(raw json.RawMessage) string {
	var n int
	if json.Unmarshal(raw, &n) == nil && n > 0 {
		return syscall.Errno(n).Error()
	}
	return errorText(raw)
}
