package lima

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
)

// writableSuffix marks a writable entry in limactl's --mount and
// --mount-only values. limactl strips one such suffix from each entry.
const writableSuffix = ":w"

// MountOnlyArg returns the value for
// `limactl edit --tty=false --mount-only VALUE NAME`, which replaces the
// instance's mount list with mounts.
//
// limactl 2.2.0 reads the value as one CSV record (--mount-only is a
// pflag StringSlice) whose entries are PATH or PATH:w, mounted at the same
// path in the guest. The value is built with encoding/csv, so commas,
// quotes and spaces in paths survive. Paths that the form cannot carry are
// rejected: empty or relative paths, paths with control characters or
// ending in ":w", a mount point other than the host path, and duplicates.
//
// Entries are ordered so that a folder comes after every folder that
// contains it, because Lima keeps the list order in the guest's
// /etc/fstab and a parent mounted later would hide its child.
func MountOnlyArg(mounts []Mount) (string, error) {
	if len(mounts) == 0 {
		return "", errors.New("mount list is empty: limactl would remove every mount, including the home folder")
	}
	entries, err := mountEntries(mounts)
	if err != nil {
		return "", err
	}
	sortParentsFirst(entries)
	return writeCSVRecord(entryStrings(entries))
}

// MountArgs returns the `--mount VALUE` arguments of `limactl create`
// that add mounts to those of the template, or nil when mounts is empty.
// The value has the same form as MountOnlyArg's.
//
// limactl 2.2.0 reverses the --mount entries and puts them before the
// template's own mounts, so the value lists children before parents to
// come out parents first.
//
// NOTE: the template's mounts, such as the read-only home folder, still
// end up after these entries. A folder inside one of them is then listed
// before its parent in the guest's /etc/fstab, and on first boot
// cloud-init mounts in that order, which may hide the inner folder. To
// control the order, create with `--mount-only` and MountOnlyArg instead.
func MountArgs(mounts []Mount) ([]string, error) {
	if len(mounts) == 0 {
		return nil, nil
	}
	entries, err := mountEntries(mounts)
	if err != nil {
		return nil, err
	}
	sortParentsFirst(entries)
	slices.Reverse(entries)
	value, err := writeCSVRecord(entryStrings(entries))
	if err != nil {
		return nil, err
	}
	return []string{"--mount", value}, nil
}

// ParseMountArg reads a --mount or --mount-only value as limactl 2.2.0
// does. pflag parses the value as one CSV record, and GetStringSlice
// writes the result back as CSV and parses it again. Lima then strips a
// ":w" suffix from each entry, expands "~" and "~/..." with home, and
// makes the path absolute against the current working folder. An empty
// value is an empty list, which limactl applies as "no mounts".
func ParseMountArg(value string, home string) ([]Mount, error) {
	entries, err := readStringSlice(value)
	if err != nil {
		return nil, err
	}
	mounts := make([]Mount, 0, len(entries))
	for _, entry := range entries {
		writable := strings.HasSuffix(entry, writableSuffix)
		location, err := expandLimaPath(strings.TrimSuffix(entry, writableSuffix), home)
		if err != nil {
			return nil, err
		}
		mounts = append(mounts, Mount{Location: location, MountPoint: location, Writable: writable})
	}
	return mounts, nil
}

// mountEntry is one checked entry of a mount list argument.
type mountEntry struct {
	location string
	writable bool
}

func mountEntries(mounts []Mount) ([]mountEntry, error) {
	entries := make([]mountEntry, 0, len(mounts))
	seen := make(map[string]bool, len(mounts))
	for _, m := range mounts {
		location, err := carriableLocation(m)
		if err != nil {
			return nil, err
		}
		if seen[location] {
			return nil, fmt.Errorf("mount %q is listed twice: list each folder once", location)
		}
		seen[location] = true
		entries = append(entries, mountEntry{location: location, writable: m.Writable})
	}
	return entries, nil
}

// carriableLocation returns m's cleaned host path, or an error when the
// mount list argument cannot carry m as it is.
func carriableLocation(m Mount) (string, error) {
	if m.Location == "" {
		return "", errors.New("mount has an empty host path")
	}
	for _, r := range m.Location {
		if unicode.IsControl(r) {
			return "", fmt.Errorf("mount %q contains the control character %U, which limactl's mount list cannot carry", m.Location, r)
		}
	}
	if !filepath.IsAbs(m.Location) {
		return "", fmt.Errorf("mount %q is not an absolute path: limactl would resolve it against its own working folder", m.Location)
	}
	location := filepath.Clean(m.Location)
	if strings.HasSuffix(location, writableSuffix) {
		return "", fmt.Errorf("mount %q ends with %q, which limactl reads as the writable flag", location, writableSuffix)
	}
	if m.MountPoint != "" && filepath.Clean(m.MountPoint) != location {
		return "", fmt.Errorf("mount %q has the guest path %q, but limactl's mount list mounts each folder at its host path", location, m.MountPoint)
	}
	return location, nil
}

// sortParentsFirst orders entries by path depth, keeping the given order
// among equal depths, so every folder follows the folders that contain it.
func sortParentsFirst(entries []mountEntry) {
	slices.SortStableFunc(entries, func(a, b mountEntry) int {
		return pathDepth(a.location) - pathDepth(b.location)
	})
}

func pathDepth(path string) int {
	if path == "/" {
		return 0
	}
	return strings.Count(path, "/")
}

func entryStrings(entries []mountEntry) []string {
	fields := make([]string, len(entries))
	for i, e := range entries {
		fields[i] = e.location
		if e.writable {
			fields[i] += writableSuffix
		}
	}
	return fields
}

// writeCSVRecord writes fields as one CSV record without the line end, as
// pflag prints a StringSlice.
func writeCSVRecord(fields []string) (string, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(fields); err != nil {
		return "", err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// readCSVRecord reads value as pflag's StringSlice does: "" is an empty
// list, anything else is one CSV record with the default settings.
func readCSVRecord(value string) ([]string, error) {
	if value == "" {
		return []string{}, nil
	}
	return csv.NewReader(strings.NewReader(value)).Read()
}

// readStringSlice reads value as pflag's StringSlice Set and then
// GetStringSlice do: parse, print back as CSV, parse again.
func readStringSlice(value string) ([]string, error) {
	fields, err := readCSVRecord(value)
	if err != nil {
		return nil, fmt.Errorf("invalid mount list %q: %w", value, err)
	}
	printed, err := writeCSVRecord(fields)
	if err != nil {
		return nil, err
	}
	fields, err = readCSVRecord(printed)
	if err != nil {
		return nil, fmt.Errorf("invalid mount list %q: %w", value, err)
	}
	return fields, nil
}

// expandLimaPath expands a mount path as Lima 2.2.0 does
// (pkg/localpathutil): "~" and "~/..." start from home, "~user" is
// rejected, and the result is made absolute and cleaned.
func expandLimaPath(path, home string) (string, error) {
	switch {
	case path == "":
		return "", errors.New("invalid mount list: an entry has an empty path")
	case path == "~" || strings.HasPrefix(path, "~/"):
		path = home + strings.TrimPrefix(path, "~")
	case strings.HasPrefix(path, "~"):
		return "", fmt.Errorf("invalid mount list: path %q cannot be expanded, because only ~ and ~/ are supported", path)
	}
	return filepath.Abs(path)
}
