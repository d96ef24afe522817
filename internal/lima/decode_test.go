package lima

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recordsDir is where the outputs of a real limactl 2.2.0 are kept.
func recordsDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("AISAND_LIMACTL_RECORDS"); d != "" {
		return d
	}
	d, err := filepath.Abs("../../testdata/limactl-v2.2.0")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d); err != nil {
		t.Fatalf("limactl records not found at %s (set AISAND_LIMACTL_RECORDS): %v", d, err)
	}
	return d
}

func readRecord(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(recordsDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeListRunningRecord(t *testing.T) {
	list, err := DecodeList(readRecord(t, "list-running.stdout"))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 {
		t.Fatalf("got %d instances, want 4", len(list))
	}
	fx1 := list[0]
	if fx1.Name != "fx1" || fx1.Status != StatusRunning {
		t.Errorf("first instance = %s %q, want fx1 Running", fx1.Name, fx1.Status)
	}
	if fx1.CPUs != 2 || fx1.Memory != 2147483648 || fx1.Disk != 12884901888 {
		t.Errorf("sizes = %d cpus, %d memory, %d disk", fx1.CPUs, fx1.Memory, fx1.Disk)
	}
	if fx1.SSHPort != 44819 {
		t.Errorf("ssh port = %d, want 44819", fx1.SSHPort)
	}
	if fx1.GuestHome != "/home/alice.guest" {
		t.Errorf("guest home = %q", fx1.GuestHome)
	}
	if fx1.VMType != "qemu" || fx1.Arch != "x86_64" || fx1.LimaVersion != "v2.2.0" {
		t.Errorf("vmType %q arch %q limaVersion %q", fx1.VMType, fx1.Arch, fx1.LimaVersion)
	}
	want := Mount{Location: "/home/alice", MountPoint: "/home/alice", Writable: false}
	if len(fx1.Mounts) != 1 || fx1.Mounts[0] != want {
		t.Errorf("mounts = %+v, want [%+v]", fx1.Mounts, want)
	}
	if list[1].Status != StatusStopped {
		t.Errorf("fx2 status = %q", list[1].Status)
	}
}

func TestDecodeListWritableMount(t *testing.T) {
	list, err := DecodeList(readRecord(t, "list-mounts-ok.stdout"))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || len(list[0].Mounts) != 2 {
		t.Fatalf("got %+v", list)
	}
	if list[0].Mounts[0].Writable {
		t.Error("home mount decoded as writable")
	}
	if !list[0].Mounts[1].Writable || list[0].Mounts[1].Location != "/home/alice/work" {
		t.Errorf("second mount = %+v", list[0].Mounts[1])
	}
}

func TestDecodeListBrokenRecord(t *testing.T) {
	list, err := DecodeList(readRecord(t, "list-broken.stdout"))
	if err != nil {
		t.Fatal(err)
	}
	var broken *Instance
	for i := range list {
		if list[i].Name == "fxbroken" {
			broken = &list[i]
		}
	}
	if broken == nil {
		t.Fatal("fxbroken missing from the list")
	}
	if broken.Status != StatusBroken {
		t.Errorf("status = %q", broken.Status)
	}
	want := "open /home/alice/.lima/fxbroken/lima.yaml: no such file or directory"
	if len(broken.Errors) != 1 || broken.Errors[0] != want {
		t.Errorf("errors = %q, want [%q]", broken.Errors, want)
	}
}

func TestDecodeListEmpty(t *testing.T) {
	for _, in := range []string{"", "\n", "  \n\t"} {
		list, err := DecodeList([]byte(in))
		if err != nil || len(list) != 0 {
			t.Errorf("DecodeList(%q) = %v, %v; want empty, nil", in, list, err)
		}
	}
}

func TestDecodeListShapes(t *testing.T) {
	cases := map[string]string{
		"array":    `[{"name":"a","status":"Running"},{"name":"b","status":"Stopped"}]`,
		"indented": "{\n  \"name\": \"a\",\n  \"status\": \"Running\"\n}\n{\n  \"name\": \"b\",\n  \"status\": \"Stopped\"\n}\n",
		"lines":    "{\"name\":\"a\",\"status\":\"Running\"}\n{\"name\":\"b\",\"status\":\"Stopped\"}\n",
		"concat":   `{"name":"a","status":"Running"}{"name":"b","status":"Stopped"}`,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			list, err := DecodeList([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 2 || list[0].Name != "a" || list[1].Name != "b" {
				t.Fatalf("got %+v", list)
			}
			if list[0].Status != StatusRunning {
				t.Errorf("status = %q", list[0].Status)
			}
		})
	}
}

func TestDecodeListUnknownStatusAndKeys(t *testing.T) {
	in := `{"name":"a","status":"Hibernating","someNewKey":{"x":[1,2]},"cpus":"4","memory":"oops"}`
	list, err := DecodeList([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if list[0].Status != "Hibernating" {
		t.Errorf("status = %q, want it kept as it is", list[0].Status)
	}
	if list[0].CPUs != 4 {
		t.Errorf("cpus = %d, want 4 from a string", list[0].CPUs)
	}
	if list[0].Memory != 0 {
		t.Errorf("memory = %d, want 0 for a value that is not a number", list[0].Memory)
	}
}

func TestDecodeListGarbageKeepsGoodLines(t *testing.T) {
	in := "{\"name\":\"a\",\"status\":\"Running\"}\nthis is not json\n{\"name\":\"b\",\"status\":\"Stopped\"}\n"
	list, err := DecodeList([]byte(in))
	if err == nil {
		t.Fatal("no error for a line of garbage")
	}
	if !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error %q does not name the bad line", err)
	}
	if len(list) != 2 {
		t.Fatalf("got %d instances, want the 2 good ones", len(list))
	}
}

func TestDecodeListOnlyGarbage(t *testing.T) {
	list, err := DecodeList([]byte("panic: runtime error\n"))
	if err == nil {
		t.Fatal("no error for garbage")
	}
	if len(list) != 0 {
		t.Errorf("got %d instances from garbage", len(list))
	}
}

func TestDecodeListErrorsAsStrings(t *testing.T) {
	list, err := DecodeList([]byte(`{"name":"a","status":"Broken","errors":["disk missing",{"Op":"stat","Path":"/x","Err":13},{"weird":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got := list[0].Errors
	want := []string{"disk missing", "stat /x: permission denied", `{"weird":true}`}
	if len(got) != len(want) {
		t.Fatalf("errors = %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("errors[%d] = %q, want %q", i, got[i], want[i])
		}
	}
}
