package lima

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const testHome = "/home/alice"

func TestMountOnlyArgPlainPaths(t *testing.T) {
	// The same value as the recorded `limactl edit --mount-only
	// "$HOME,$HOME/work:w"` that limactl 2.2.0 accepted.
	mounts := []Mount{
		{Location: "/home/alice", MountPoint: "/home/alice"},
		{Location: "/home/alice/work", Writable: true},
	}
	got, err := MountOnlyArg(mounts)
	if err != nil {
		t.Fatal(err)
	}
	if want := "/home/alice,/home/alice/work:w"; got != want {
		t.Errorf("MountOnlyArg = %q, want %q", got, want)
	}
}

func TestMountOnlyArgQuotesSpecialPaths(t *testing.T) {
	cases := []struct {
		location string
		want     string
	}{
		{"/data/a,b", `"/data/a,b"`},
		{`/data/say "hi"`, `"/data/say ""hi"""`},
		{"/data/my project", "/data/my project"},
		{"/data/it's", "/data/it's"},
	}
	for _, c := range cases {
		got, err := MountOnlyArg([]Mount{{Location: c.location}})
		if err != nil {
			t.Errorf("MountOnlyArg(%q) = %v", c.location, err)
			continue
		}
		if got != c.want {
			t.Errorf("MountOnlyArg(%q) = %s, want %s", c.location, got, c.want)
		}
	}
}

func TestMountOnlyArgRoundTrip(t *testing.T) {
	locations := []string{
		"/data/a,b",
		"/data/a, b,",
		"/data/my project",
		"/data/ leading space",
		"/data/trailing space ",
		`/data/say "hi"`,
		`/data/"`,
		`/data/""`,
		"/data/it's",
		"/data/'single'",
		"/data/a:b",
		"/data/c:\\w",
		"/data/x:ro",
		"/data/naïve-日本語",
		"/data/Ørsted ünïcödé",
		`/data/mix "a, b" 'c':d é`,
		"/data/#hash",
		"/data/{{.Home}}",
	}
	for i, location := range locations {
		mounts := []Mount{{Location: location, MountPoint: location, Writable: i%2 == 0}}
		value, err := MountOnlyArg(mounts)
		if err != nil {
			t.Errorf("MountOnlyArg(%q) = %v", location, err)
			continue
		}
		parsed, err := ParseMountArg(value, testHome)
		if err != nil {
			t.Errorf("ParseMountArg(%s) = %v", value, err)
			continue
		}
		if !slices.Equal(parsed, mounts) {
			t.Errorf("round trip of %q through %s = %+v, want %+v", location, value, parsed, mounts)
		}
	}
}

func TestMountOnlyArgRoundTripList(t *testing.T) {
	mounts := []Mount{
		{Location: "/home/alice", MountPoint: "/home/alice"},
		{Location: "/home/alice/a,b", MountPoint: "/home/alice/a,b", Writable: true},
		{Location: `/home/alice/"q" 'r'`, MountPoint: `/home/alice/"q" 'r'`},
		{Location: "/srv/日本/x:y", MountPoint: "/srv/日本/x:y", Writable: true},
	}
	value, err := MountOnlyArg(mounts)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseMountArg(value, testHome)
	if err != nil {
		t.Fatalf("ParseMountArg(%s) = %v", value, err)
	}
	if !slices.Equal(parsed, mounts) {
		t.Errorf("round trip through %s = %+v, want %+v", value, parsed, mounts)
	}
}

func TestMountOnlyArgOrdersParentsFirst(t *testing.T) {
	mounts := []Mount{
		{Location: "/home/alice/work/deep", Writable: true},
		{Location: "/srv/b"},
		{Location: "/home/alice"},
		{Location: "/srv/a"},
	}
	got, err := MountOnlyArg(mounts)
	if err != nil {
		t.Fatal(err)
	}
	if want := "/srv/b,/home/alice,/srv/a,/home/alice/work/deep:w"; got != want {
		t.Errorf("MountOnlyArg = %q, want %q", got, want)
	}
}

func TestMountOnlyArgCleansPaths(t *testing.T) {
	got, err := MountOnlyArg([]Mount{{Location: "/data//x/./y/"}})
	if err != nil {
		t.Fatal(err)
	}
	if got != "/data/x/y" {
		t.Errorf("MountOnlyArg = %q, want /data/x/y", got)
	}
}

func TestMountOnlyArgRejects(t *testing.T) {
	cases := []struct {
		name   string
		mounts []Mount
		want   string
	}{
		{"empty list", nil, "empty"},
		{"empty path", []Mount{{Location: ""}}, "empty host path"},
		{"relative", []Mount{{Location: "work"}}, "not an absolute path"},
		{"tilde", []Mount{{Location: "~/work"}}, "not an absolute path"},
		{"newline", []Mount{{Location: "/data/a\nb"}}, "control character"},
		{"carriage return", []Mount{{Location: "/data/a\rb"}}, "control character"},
		{"tab", []Mount{{Location: "/data/a\tb"}}, "control character"},
		{"writable suffix", []Mount{{Location: "/data/x:w", Writable: true}}, "writable flag"},
		{"other mount point", []Mount{{Location: "/data/x", MountPoint: "/mnt/x"}}, "guest path"},
		{"duplicate", []Mount{{Location: "/data/x"}, {Location: "/data/x/", Writable: true}}, "listed twice"},
	}
	for _, c := range cases {
		_, err := MountOnlyArg(c.mounts)
		if err == nil {
			t.Errorf("%s: MountOnlyArg = nil error, want one", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: MountOnlyArg = %q, want it to contain %q", c.name, err, c.want)
		}
	}
}

func TestParseMountArgLimaForms(t *testing.T) {
	cases := []struct {
		value string
		want  []Mount
	}{
		{"", []Mount{}},
		{"/a", []Mount{{Location: "/a", MountPoint: "/a"}}},
		{"/a:w", []Mount{{Location: "/a", MountPoint: "/a", Writable: true}}},
		// limactl strips one ":w" only.
		{"/a:w:w", []Mount{{Location: "/a:w", MountPoint: "/a:w", Writable: true}}},
		// ":ro" is not a flag: limactl takes it as part of the path.
		{"/home/alice:ro,/tmp:w", []Mount{
			{Location: "/home/alice:ro", MountPoint: "/home/alice:ro"},
			{Location: "/tmp", MountPoint: "/tmp", Writable: true},
		}},
		{"~,~/work:w", []Mount{
			{Location: testHome, MountPoint: testHome},
			{Location: testHome + "/work", MountPoint: testHome + "/work", Writable: true},
		}},
		{"/a//b/../c/", []Mount{{Location: "/a/c", MountPoint: "/a/c"}}},
		{`"/a,b",/c`, []Mount{
			{Location: "/a,b", MountPoint: "/a,b"},
			{Location: "/c", MountPoint: "/c"},
		}},
		// A quoted empty record prints back as "", which pflag then
		// reads as an empty list.
		{`""`, []Mount{}},
	}
	for _, c := range cases {
		got, err := ParseMountArg(c.value, testHome)
		if err != nil {
			t.Errorf("ParseMountArg(%s) = %v", c.value, err)
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("ParseMountArg(%s) = %+v, want %+v", c.value, got, c.want)
		}
	}
}

func TestParseMountArgRelativePath(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseMountArg("work:w", testHome)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(wd, "work")
	if len(got) != 1 || got[0].Location != want || !got[0].Writable {
		t.Errorf("ParseMountArg(work:w) = %+v, want %s writable", got, want)
	}
}

func TestParseMountArgErrors(t *testing.T) {
	cases := []struct {
		value string
		want  string
	}{
		{`/a"b`, "invalid mount list"},
		{`"/a`, "invalid mount list"},
		{"/a,,/b", "empty path"},
		{":w", "empty path"},
		{"~bob/x", "cannot be expanded"},
	}
	for _, c := range cases {
		_, err := ParseMountArg(c.value, testHome)
		if err == nil {
			t.Errorf("ParseMountArg(%s) = nil error, want one", c.value)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseMountArg(%s) = %q, want it to contain %q", c.value, err, c.want)
		}
	}
	_, err := ParseMountArg(`/a"b`, testHome)
	if !errors.Is(err, csv.ErrBareQuote) {
		t.Errorf("ParseMountArg(/a\"b) = %v, want csv.ErrBareQuote", err)
	}
}

func TestMountArgsForCreate(t *testing.T) {
	mounts := []Mount{
		{Location: "/srv/a"},
		{Location: "/srv/a/b,c", Writable: true},
		{Location: "/srv/d e"},
	}
	args, err := MountArgs(mounts)
	if err != nil {
		t.Fatal(err)
	}
	if len(args) != 2 || args[0] != "--mount" {
		t.Fatalf("MountArgs = %q, want --mount and one value", args)
	}
	parsed, err := ParseMountArg(args[1], testHome)
	if err != nil {
		t.Fatalf("ParseMountArg(%s) = %v", args[1], err)
	}
	// limactl reverses the --mount entries before it uses them.
	slices.Reverse(parsed)
	want := []Mount{
		{Location: "/srv/a", MountPoint: "/srv/a"},
		{Location: "/srv/d e", MountPoint: "/srv/d e"},
		{Location: "/srv/a/b,c", MountPoint: "/srv/a/b,c", Writable: true},
	}
	if !slices.Equal(parsed, want) {
		t.Errorf("MountArgs as limactl applies them = %+v, want %+v", parsed, want)
	}
}

func TestMountArgsEmpty(t *testing.T) {
	args, err := MountArgs(nil)
	if err != nil || args != nil {
		t.Errorf("MountArgs(nil) = %q, %v, want nil, nil", args, err)
	}
}

func TestMountArgsRejects(t *testing.T) {
	if _, err := MountArgs([]Mount{{Location: "/data/x:w"}}); err == nil {
		t.Error("MountArgs with a path ending in :w = nil error, want one")
	}
}
