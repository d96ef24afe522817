package lima

import "testing"

func TestParseVersion(t *testing.T) {
	cases := []struct {
		in                  string
		major, minor, patch int
	}{
		{"limactl version 2.2.0\n", 2, 2, 0},
		{"limactl version 1.0.7", 1, 0, 7},
		{"limactl version v2.1.0-beta.1", 2, 1, 0},
		{"limactl version 2.2.0-12-gabcdef", 2, 2, 0},
	}
	for _, c := range cases {
		v, err := ParseVersion(c.in)
		if err != nil {
			t.Errorf("ParseVersion(%q): %v", c.in, err)
			continue
		}
		if v.Major != c.major || v.Minor != c.minor || v.Patch != c.patch {
			t.Errorf("ParseVersion(%q) = %d.%d.%d", c.in, v.Major, v.Minor, v.Patch)
		}
	}
	for _, bad := range []string{"", "limactl version x.y"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) gave no error", bad)
		}
	}
}

func TestVersionAtLeast(t *testing.T) {
	v := Version{Major: 2, Minor: 1}
	if !v.AtLeast(2, 0) || !v.AtLeast(1, 9) || v.AtLeast(2, 2) || v.AtLeast(3, 0) {
		t.Errorf("AtLeast wrong for %+v", v)
	}
}
