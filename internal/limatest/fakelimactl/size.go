package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// sizePattern is the size syntax of lima.yaml as docker/go-units reads it:
// a number, an optional unit letter, an optional "i" and an optional "B".
var sizePattern = regexp.MustCompile(`^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$`)

// sizeInBytes converts a size such as "2GiB" or "1.5G" to bytes. Every
// unit is a power of 1024, as for Lima's memory and disk fields.
func sizeInBytes(size string) (int64, error) {
	match := sizePattern.FindStringSubmatch(size)
	if match == nil {
		return 0, fmt.Errorf("invalid size: %q", size)
	}
	number, err := strconv.ParseFloat(match[1], 64)
	if err != nil {
		return 0, err
	}
	exponent := strings.Index("kmgtp", strings.ToLower(match[2])) + 1
	if match[2] == "" {
		exponent = 0
	}
	for range exponent {
		number *= 1024
	}
	return int64(number), nil
}

// formatBytes prints a byte count as docker/go-units' BytesSize does, for
// example "12GiB" or "3.5GiB".
func formatBytes(size float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"}
	i := 0
	for size >= 1024 && i < len(units)-1 {
		size /= 1024
		i++
	}
	return fmt.Sprintf("%.4g%s", size, units[i])
}
