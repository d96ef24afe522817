package lima

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is limactl's release number.
type Version struct {
	Major, Minor, Patch int
	Raw                 string
}

func (v Version) String() string { return v.Raw }

// AtLeast reports whether v is major.minor or newer.
func (v Version) AtLeast(major, minor int) bool {
	if v.Major != major {
		return v.Major > major
	}
	return v.Minor >= minor
}

// ParseVersion reads the output of `limactl --version`, such as
// "limactl version 2.2.0". Suffixes like "-beta.1" or "-12-gabcdef" are
// kept in Raw and ignored in the numbers.
func ParseVersion(output string) (Version, error) {
	fields := strings.Fields(output)
	if len(fields) == 0 {
		return Version{}, fmt.Errorf("limactl --version printed nothing")
	}
	raw := strings.TrimPrefix(fields[len(fields)-1], "v")
	numbers := raw
	if i := strings.IndexAny(numbers, "-+"); i >= 0 {
		numbers = numbers[:i]
	}
	parts := strings.Split(numbers, ".")
	v := Version{Raw: raw}
	dest := []*int{&v.Major, &v.Minor, &v.Patch}
	for i, p := range parts {
		if i >= len(dest) {
			break
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return Version{}, fmt.Errorf("unexpected limactl version %q", strings.TrimSpace(output))
		}
		*dest[i] = n
	}
	return v, nil
}

// MinimumVersion is the oldest limactl that aisand works with, because it
// relies on the guest home at config.user.home and on `edit --mount-only`.
var MinimumVersion = Version{Major: 2, Raw: "2.0.0"}
