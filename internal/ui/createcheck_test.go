package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/japacx/aisand/internal/lima"
)

func TestCheckNewNameRejects(t *testing.T) {
	existing := []lima.Instance{{Name: "Dev"}}
	cases := map[string]string{
		"":                      "empty",
		"bad name":              `contains " "`,
		"-vm":                   "starts with",
		"vm-":                   "ends with",
		"a..b":                  "two separators",
		strings.Repeat("a", 77): "too long",
		"vm.yaml":               ".yaml",
		"vm.YML":                ".YML",
		"dev":                   `"Dev" already exists`,
		"Dev":                   `"Dev" already exists`,
	}
	for name, want := range cases {
		err := checkNewName(name, "/tmp/lima-home", "linux", existing)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("checkNewName(%q) = %v, want an error with %q", name, err, want)
		}
	}
}

func TestCheckNewNameSocketLimit(t *testing.T) {
	// 40 bytes of home leave 108-1-40-1-25-1 = 40 bytes for a Linux name.
	home := "/" + strings.Repeat("h", 39)
	if err := checkNewName(strings.Repeat("a", 40), home, "linux", nil); err != nil {
		t.Errorf("a 40-character name was rejected: %v", err)
	}
	if err := checkNewName(strings.Repeat("a", 41), home, "linux", nil); err == nil {
		t.Error("a name reaching the Linux socket limit was accepted")
	}
	if err := checkNewName(strings.Repeat("a", 37), home, "darwin", nil); err == nil {
		t.Error("a name reaching the macOS socket limit was accepted")
	}
}

func TestCheckNewNameAccepts(t *testing.T) {
	for _, name := range []string{"dev", "agent-01", "a.b_c-d", "X9", strings.Repeat("a", 60)} {
		if err := checkNewName(name, "/tmp/lh", "linux", []lima.Instance{{Name: "other"}}); err != nil {
			t.Errorf("checkNewName(%q) = %v", name, err)
		}
	}
}

func TestNameWarningHostnameClash(t *testing.T) {
	existing := []lima.Instance{{Name: "my.vm"}}
	if w := nameWarning("my_vm", existing); !strings.Contains(w, "lima-my-vm") || !strings.Contains(w, `"my.vm"`) {
		t.Errorf("warning = %q", w)
	}
	if w := nameWarning("other", existing); w != "" {
		t.Errorf("unexpected warning %q", w)
	}
	if w := nameWarning("my.vm", existing); w != "" {
		t.Errorf("the name itself warned: %q", w)
	}
}

func TestParseSizes(t *testing.T) {
	type check struct {
		text string
		ok   bool
	}
	cpus := []check{{"1", true}, {"8", true}, {" 4 ", true}, {"0", false}, {"9", false}, {"-1", false}, {"2.5", false}, {"", false}, {"two", false}}
	for _, c := range cpus {
		if _, err := parseCPUs(c.text, 8); (err == nil) != c.ok {
			t.Errorf("parseCPUs(%q) error = %v, want ok=%v", c.text, err, c.ok)
		}
	}
	memory := []check{{"1", true}, {"16", true}, {"0", false}, {"17", false}, {"1.5", false}}
	for _, c := range memory {
		if _, err := parseMemory(c.text, 16); (err == nil) != c.ok {
			t.Errorf("parseMemory(%q) error = %v, want ok=%v", c.text, err, c.ok)
		}
	}
	if _, err := parseMemory("512", 0); err != nil {
		t.Errorf("unknown host memory bounded the size: %v", err)
	}
	if _, err := parseMemory("0", 0); err == nil {
		t.Error("0 GiB accepted with unknown host memory")
	}
	disk := []check{{"10", true}, {"100", true}, {"9", false}, {"16385", false}, {"ten", false}}
	for _, c := range disk {
		if _, err := parseDisk(c.text); (err == nil) != c.ok {
			t.Errorf("parseDisk(%q) error = %v, want ok=%v", c.text, err, c.ok)
		}
	}
}

func TestCheckNewFolder(t *testing.T) {
	home := t.TempDir()
	for _, dir := range []string{"src", "src/inner", "with space", "with,comma", `with"quote`, "other"} {
		if err := os.MkdirAll(filepath.Join(home, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(home, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	checker := lima.FolderChecker{Home: home}
	chosen := []string{filepath.Join(home, "src")}
	rejected := map[string]error{
		"relative":                        lima.ErrFolderInvalid,
		"~":                               lima.ErrFolderHome,
		home:                              lima.ErrFolderHome,
		filepath.Dir(home):                lima.ErrFolderHome,
		"/etc":                            lima.ErrFolderSystem,
		"/tmp":                            lima.ErrFolderSystem,
		"/usr":                            lima.ErrFolderSystem,
		"/":                               lima.ErrFolderSystem,
		"~/missing":                       lima.ErrFolderMissing,
		"~/file":                          lima.ErrFolderNotDir,
		"~/src":                           lima.ErrFolderOverlap,
		"~/src/inner":                     lima.ErrFolderOverlap,
		"~/with space":                    lima.ErrFolderCharacter,
		"~/with,comma":                    lima.ErrFolderCharacter,
		filepath.Join(home, `with"quote`): lima.ErrFolderCharacter,
	}
	for input, kind := range rejected {
		_, err := checkNewFolder(checker, input, chosen)
		if !errors.Is(err, kind) {
			t.Errorf("checkNewFolder(%q) = %v, want %v", input, err, kind)
		}
	}
	got, err := checkNewFolder(checker, " ~/other ", chosen)
	if err != nil || got != filepath.Join(home, "other") {
		t.Errorf("checkNewFolder(~/other) = %q, %v", got, err)
	}
}

func TestMountFlagsHomeFirst(t *testing.T) {
	flags, err := mountFlags("/home/u", []string{"/home/u/src/deep", "/data/x", "/home/u/src2"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"--mount-only", "/home/u,/data/x:w,/home/u/src2:w,/home/u/src/deep:w"}
	if strings.Join(flags, " ") != strings.Join(want, " ") {
		t.Errorf("mountFlags = %q, want %q", flags, want)
	}
	parsed, err := lima.ParseMountArg(flags[1], "/home/u")
	if err != nil {
		t.Fatal(err)
	}
	if parsed[0].Location != "/home/u" || parsed[0].Writable {
		t.Errorf("home is not first and read-only: %+v", parsed[0])
	}
	for _, m := range parsed[1:] {
		if !m.Writable {
			t.Errorf("%s is not writable", m.Location)
		}
	}
	if flags, err := mountFlags("/home/u", nil); flags != nil || err != nil {
		t.Errorf("no folders gave %q, %v; the template's mounts should stay", flags, err)
	}
}

func TestParseSizesMessages(t *testing.T) {
	huge := "99999999999999999999999"
	if _, err := parseCPUs(huge, 8); err == nil || !strings.Contains(err.Error(), "too large") || !strings.Contains(err.Error(), "from 1 to 8") {
		t.Errorf("parseCPUs(huge) = %v, want it too large with the range", err)
	}
	if _, err := parseMemory(huge, 0); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("parseMemory(huge) = %v, want it too large", err)
	}
	if _, err := parseDisk(huge); err == nil || !strings.Contains(err.Error(), "too large") || !strings.Contains(err.Error(), "16384") {
		t.Errorf("parseDisk(huge) = %v, want it too large with the maximum", err)
	}
	_, err := parseDisk("20000")
	if err == nil || !strings.Contains(err.Error(), "at most 16384 GiB") || strings.Contains(err.Error(), "need at least") {
		t.Errorf("parseDisk(20000) = %v, want the maximum and its reason", err)
	}
	_, err = parseDisk("5")
	if err == nil || !strings.Contains(err.Error(), "at least 10 GiB") {
		t.Errorf("parseDisk(5) = %v, want the minimum", err)
	}
}
