package lima

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// shortLimaHome is a Lima folder short enough that only the name rules
// matter: even a 76-character name keeps the socket path at 103 bytes.
const shortLimaHome = "/"

// socketSuffixLength is the length of "/" + "ssh.sock.1234567890123456",
// the longest socket file Lima 2.2.0 puts in an instance folder.
const socketSuffixLength = 1 + 25

func TestValidateNameAccepts(t *testing.T) {
	names := []string{
		"a",
		"default",
		"Dev2",
		"my-vm",
		"my_vm",
		"my.vm",
		"a.b-c_d",
		"0912",
		strings.Repeat("a", MaxNameLength),
	}
	for _, name := range names {
		if err := ValidateName(name, shortLimaHome, "darwin"); err != nil {
			t.Errorf("ValidateName(%q) = %v, want nil", name, err)
		}
	}
}

func TestValidateNameShapeErrors(t *testing.T) {
	cases := []struct {
		name string
		want string
	}{
		{"", "name is empty"},
		{"vm-", `name "vm-" ends with "-"`},
		{"-vm", `name "-vm" starts with "-"`},
		{".vm", `name ".vm" starts with "."`},
		{"a--b", `name "a--b" has two separators in a row ("--")`},
		{"a._b", `has two separators in a row ("._")`},
		{"bad name", `name "bad name" contains " "`},
		{"a/b", `contains "/"`},
		{"café", `contains "é"`},
	}
	for _, c := range cases {
		err := ValidateName(c.name, shortLimaHome, "linux")
		if err == nil {
			t.Errorf("ValidateName(%q) = nil, want an error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("ValidateName(%q) = %q, want it to contain %q", c.name, err, c.want)
		}
		if !strings.Contains(err.Error(), nameRule) {
			t.Errorf("ValidateName(%q) = %q, want it to state the rule", c.name, err)
		}
	}
}

func TestValidateNameTooLong(t *testing.T) {
	name := strings.Repeat("a", MaxNameLength+1)
	err := ValidateName(name, shortLimaHome, "linux")
	if err == nil {
		t.Fatalf("ValidateName of %d characters = nil, want an error", len(name))
	}
	if !strings.Contains(err.Error(), "at most 76") {
		t.Errorf("error %q does not name the limit", err)
	}
}

func TestValidateNameTemplateSuffix(t *testing.T) {
	for _, name := range []string{"vm.yaml", "vm.yml", "vm.YAML", "vm.Yml"} {
		err := ValidateName(name, shortLimaHome, "linux")
		if err == nil {
			t.Errorf("ValidateName(%q) = nil, want an error", name)
			continue
		}
		if !strings.Contains(err.Error(), "template") {
			t.Errorf("ValidateName(%q) = %q, want it to say why", name, err)
		}
	}
	if err := ValidateName("vm.yamlx", shortLimaHome, "linux"); err != nil {
		t.Errorf("ValidateName(vm.yamlx) = %v, want nil", err)
	}
}

func TestValidateNameSocketLimit(t *testing.T) {
	limaHome := "/" + strings.Repeat("h", 39) // 40 bytes
	cases := []struct {
		goos  string
		limit int
	}{
		{"linux", 108},
		{"windows", 108},
		{"darwin", 104},
		{"freebsd", 104},
	}
	for _, c := range cases {
		// The socket path must be shorter than the limit:
		// len(limaHome) + 1 + len(name) + socketSuffixLength < limit.
		longest := c.limit - 1 - len(limaHome) - 1 - socketSuffixLength
		fits := strings.Repeat("n", longest)
		if err := ValidateName(fits, limaHome, c.goos); err != nil {
			t.Errorf("%s: name of %d characters = %v, want nil", c.goos, longest, err)
		}
		tooLong := fits + "n"
		err := ValidateName(tooLong, limaHome, c.goos)
		if err == nil {
			t.Errorf("%s: name of %d characters = nil, want an error", c.goos, longest+1)
			continue
		}
		if !strings.Contains(err.Error(), "at most "+strconv.Itoa(longest)+" characters") {
			t.Errorf("%s: error %q does not give the longest name", c.goos, err)
		}
		if !strings.Contains(err.Error(), strconv.Itoa(c.limit)) {
			t.Errorf("%s: error %q does not give the limit", c.goos, err)
		}
	}
}

func TestValidateNameHomeTooLongForAnyName(t *testing.T) {
	limaHome := "/" + strings.Repeat("h", 80)
	err := ValidateName("a", limaHome, "darwin")
	if err == nil {
		t.Fatal("ValidateName in an 81-byte Lima folder = nil, want an error")
	}
	if !strings.Contains(err.Error(), "LIMA_HOME") {
		t.Errorf("error %q does not say how to fix it", err)
	}
}

func TestValidateNameResolvesLimaHomeLink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, strings.Repeat("r", 60))
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "l")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	resolved, err := filepath.EvalSymlinks(link)
	if err != nil {
		t.Fatal(err)
	}
	// Pick a name that fits under the link's path but not under the
	// resolved one.
	longest := 108 - 1 - len(link) - 1 - socketSuffixLength
	name := strings.Repeat("n", min(longest, MaxNameLength))
	if len(resolved)+1+len(name)+socketSuffixLength < 108 {
		t.Skipf("temporary folder %q is too short for this test", dir)
	}
	if len(name) < 1 {
		t.Skipf("temporary folder %q is too long for this test", dir)
	}
	err = ValidateName(name, link, "linux")
	if err == nil {
		t.Fatalf("ValidateName(%q, %q) = nil, want an error for the resolved path", name, link)
	}
	if !strings.Contains(err.Error(), resolved) {
		t.Errorf("error %q does not show the resolved folder %q", err, resolved)
	}
}

func TestGuestHostname(t *testing.T) {
	cases := map[string]string{
		"default":     "lima-default",
		"my.vm":       "lima-my-vm",
		"my_vm":       "lima-my-vm",
		"a.b_c-d":     "lima-a-b-c-d",
		"UPPER.case1": "lima-UPPER-case1",
	}
	for name, want := range cases {
		if got := GuestHostname(name); got != want {
			t.Errorf("GuestHostname(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestNameTakenIgnoresCase(t *testing.T) {
	existing := []Instance{{Name: "alpha"}, {Name: "Dev", Status: StatusStopped}}
	inst, ok := NameTaken("dev", existing)
	if !ok {
		t.Fatal("NameTaken(dev) = false, want true")
	}
	if inst.Name != "Dev" {
		t.Errorf("NameTaken(dev) returned %q, want Dev", inst.Name)
	}
	if _, ok := NameTaken("dev2", existing); ok {
		t.Error("NameTaken(dev2) = true, want false")
	}
	if _, ok := NameTaken("dev", nil); ok {
		t.Error("NameTaken with no instances = true, want false")
	}
}

func TestHostnameClash(t *testing.T) {
	existing := []Instance{{Name: "my_vm"}, {Name: "other"}}
	inst, ok := HostnameClash("my.vm", existing)
	if !ok {
		t.Fatal("HostnameClash(my.vm) = false, want true")
	}
	if inst.Name != "my_vm" {
		t.Errorf("HostnameClash(my.vm) returned %q, want my_vm", inst.Name)
	}
	if inst, ok := HostnameClash("My-VM", existing); !ok || inst.Name != "my_vm" {
		t.Errorf("HostnameClash(My-VM) = %q, %v, want my_vm, true", inst.Name, ok)
	}
	if _, ok := HostnameClash("my_vm", existing); ok {
		t.Error("HostnameClash of an instance with itself = true, want false")
	}
	if _, ok := HostnameClash("myvm", existing); ok {
		t.Error("HostnameClash(myvm) = true, want false")
	}
}
