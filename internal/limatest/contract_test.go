package limatest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The contract test runs each recorded limactl 2.2.0 command against the
// fake, set up as the recording was, and compares exit status, stderr (with
// times normalised) and, for list, the decoded JSON.

// skippedRecords are the records the fake does not reproduce.
var skippedRecords = map[string]string{
	"info":            "the fake does not implement `limactl info`",
	"snapshot-create": "the fake does not implement snapshots, which work on QEMU only",
	"snapshot-list":   "the fake does not implement snapshots, which work on QEMU only",
	"watch-start":     "the fake does not implement `limactl watch`",
}

const (
	recordHome     = "/home/alice"
	recordLimaHome = "/home/alice/.lima"
)

// recordsDir finds the recorded outputs: AISAND_LIMACTL_RECORDS, or the
// copy kept in the repository's testdata.
func recordsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("AISAND_LIMACTL_RECORDS")
	if dir == "" {
		dir = filepath.Join("..", "..", "testdata", "limactl-v2.2.0")
	}
	if _, err := os.Stat(filepath.Join(dir, "version.stdout")); err != nil {
		t.Fatalf("limactl records not found in %s (set AISAND_LIMACTL_RECORDS to the folder of NAME.stdout, NAME.stderr and NAME.exit files): %v", dir, err)
	}
	return dir
}

type result struct {
	stdout, stderr string
	exit           int
}

func loadRecord(t *testing.T, name string) result {
	t.Helper()
	dir := recordsDir(t)
	read := func(ext string) string {
		data, err := os.ReadFile(filepath.Join(dir, name+ext))
		if err != nil {
			t.Fatalf("read record %s: %v", name, err)
		}
		return string(data)
	}
	exit, err := strconv.Atoi(strings.TrimSpace(read(".exit")))
	if err != nil {
		t.Fatalf("record %s has an invalid exit status: %v", name, err)
	}
	return result{stdout: read(".stdout"), stderr: read(".stderr"), exit: exit}
}

// newRecordFake returns a fake whose HOME and LIMA_HOME are the recording
// machine's paths, as plain strings.
func newRecordFake(t *testing.T) *Fake {
	f := New(t)
	f.Home = recordHome
	f.LimaHome = recordLimaHome
	return f
}

// runFake runs the fake in dir with stdin, as user alice on x86_64 like the
// recording machine.
func runFake(t *testing.T, f *Fake, dir, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := f.Command(ctx, args...)
	cmd.Env = append(cmd.Env, "USER=alice", "FAKE_LIMACTL_ARCH=x86_64", "FAKE_LIMACTL_LINE_DELAY=0")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	exit := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		exit = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("run fake %v: %v", args, err)
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), exit: exit}
}

var timeValue = regexp.MustCompile(`^time="[^"]*"`)

func normaliseTimes(text string) []string {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for i, line := range lines {
		lines[i] = timeValue.ReplaceAllString(line, `time="T"`)
	}
	return lines
}

func compareStderr(t *testing.T, got, want string) {
	t.Helper()
	gotLines, wantLines := normaliseTimes(got), normaliseTimes(want)
	for i := 0; i < len(gotLines) || i < len(wantLines); i++ {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			t.Errorf("stderr line %d:\n got: %s\nwant: %s", i+1, g, w)
		}
	}
}

func compareExit(t *testing.T, got, want result) {
	t.Helper()
	if got.exit != want.exit {
		t.Errorf("exit status = %d, want %d (stderr: %s)", got.exit, want.exit, got.stderr)
	}
}

// decodeStream decodes a stream of JSON values, one per instance.
func decodeStream(t *testing.T, text string) []map[string]any {
	t.Helper()
	decoder := json.NewDecoder(strings.NewReader(text))
	var values []map[string]any
	for {
		var value map[string]any
		err := decoder.Decode(&value)
		if errors.Is(err, io.EOF) {
			return values
		}
		if err != nil {
			t.Fatalf("decode list output: %v\n%s", err, text)
		}
		values = append(values, value)
	}
}

// deletePath removes a dotted field path, such as "config.user.uid", from
// every listed instance named in names (all when names is empty).
func deletePath(values []map[string]any, path string, names ...string) {
	for _, value := range values {
		if len(names) > 0 && !contains(names, value["name"]) {
			continue
		}
		parts := strings.Split(path, ".")
		object := value
		for _, part := range parts[:len(parts)-1] {
			next, ok := object[part].(map[string]any)
			if !ok {
				object = nil
				break
			}
			object = next
		}
		if object != nil {
			delete(object, parts[len(parts)-1])
		}
	}
}

func contains(names []string, name any) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// ignoredField is a list field that cannot match the record, with the
// instances it applies to (all when none).
type ignoredField struct {
	path      string
	instances []string
}

// hostIgnored lists fields that depend on the machine running the test.
func hostIgnored() []ignoredField {
	if runtime.GOOS == "linux" {
		return nil
	}
	// HostOS is the fake's runtime.GOOS; the records come from Linux.
	return []ignoredField{{path: "HostOS"}}
}

func compareList(t *testing.T, got, want string, ignored ...ignoredField) {
	t.Helper()
	gotValues, wantValues := decodeStream(t, got), decodeStream(t, want)
	for _, field := range append(ignored, hostIgnored()...) {
		deletePath(gotValues, field.path, field.instances...)
		deletePath(wantValues, field.path, field.instances...)
	}
	if len(gotValues) != len(wantValues) {
		t.Fatalf("list printed %d instances, want %d:\n%s", len(gotValues), len(wantValues), got)
	}
	for i := range wantValues {
		if !reflect.DeepEqual(gotValues[i], wantValues[i]) {
			gotJSON, _ := json.MarshalIndent(gotValues[i], "", "  ")
			wantJSON, _ := json.MarshalIndent(wantValues[i], "", "  ")
			t.Errorf("instance %d differs:\n got: %s\nwant: %s", i, gotJSON, wantJSON)
		}
	}
}

// Seeds matching the instances of the recording session.

func addT1T2(t *testing.T, f *Fake) {
	for _, name := range []string{"t1", "t2"} {
		f.AddInstance(t, name, Stopped, WithArch("x86_64"), WithUser("alice", 1001),
			WithMemory("2GiB"), WithDisk("10GiB"), WithSSHLocalPort(41865))
	}
}

func addFx(t *testing.T, f *Fake, name, status string, opts ...InstanceOption) {
	opts = append([]InstanceOption{WithArch("x86_64"), WithUser("alice", 1001), WithMemory("2GiB"), WithDisk("12GiB")}, opts...)
	f.AddInstance(t, name, status, opts...)
}

// writeTemplate writes a local template with the sizes the recorded
// create-from-stdin instance had.
func writeTemplate(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "fx.yaml")
	text := "# a local Debian 12 template\ncpus: 2\nmemory: 2GiB\ndisk: 10GiB\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkRecord runs args and compares with the record called name.
func checkRecord(t *testing.T, f *Fake, name, dir, stdin string, args ...string) result {
	t.Helper()
	want := loadRecord(t, name)
	got := runFake(t, f, dir, stdin, args...)
	compareExit(t, got, want)
	compareStderr(t, got.stderr, want.stderr)
	if !strings.HasPrefix(name, "list") && got.stdout != want.stdout {
		t.Errorf("stdout = %q, want %q", got.stdout, want.stdout)
	}
	return got
}

func checkListRecord(t *testing.T, f *Fake, name string, ignored []ignoredField, args ...string) {
	t.Helper()
	got := checkRecord(t, f, name, t.TempDir(), "", args...)
	compareList(t, got.stdout, loadRecord(t, name).stdout, ignored...)
}

// createdUID is config.user.uid of instances the fake created: like Lima
// it copies the uid of the user running it, which is not the recording's.
func createdUID(names ...string) ignoredField {
	return ignoredField{path: "config.user.uid", instances: names}
}

func TestContractVersion(t *testing.T) {
	f := newRecordFake(t)
	checkRecord(t, f, "version", t.TempDir(), "", "--version")
}

func TestContractCreateAndList(t *testing.T) {
	f := newRecordFake(t)
	template := writeTemplate(t)
	dir := t.TempDir()
	addT1T2(t, f)
	checkRecord(t, f, "create-bad-name", dir, "", "create", "--tty=false", "--name", "bad name", template)
	checkRecord(t, f, "create-trailing-dash", dir, "", "create", "--tty=false", "--name", "vm-", template)
	checkRecord(t, f, "create", dir, "", "create", "--tty=false", "--name", "fx1", "--cpus", "2", "--memory", "2", "--disk", "12", template)
	checkRecord(t, f, "create-exists", dir, "", "create", "--tty=false", "--name", "fx1", "--cpus", "2", "--memory", "2", "--disk", "12", template)
	checkListRecord(t, f, "list-stopped", []ignoredField{createdUID("fx1")}, "list", "--format", "json")
	if got := f.Template(t, "fx1"); !strings.Contains(got, "disk: 10GiB") {
		t.Errorf("stored template = %q, want the template file's text", got)
	}
}

func TestContractStoppedInstance(t *testing.T) {
	f := newRecordFake(t)
	addT1T2(t, f)
	addFx(t, f, "fx1", Stopped)
	dir := t.TempDir()
	checkRecord(t, f, "shell-stopped", dir, "", "shell", "--tty=false", "fx1", "true")
	checkRecord(t, f, "stop-stopped", dir, "", "stop", "fx1")
	checkRecord(t, f, "edit-mount-stopped", dir, "", "edit", "--tty=false", "--mount-only", recordHome+":ro,/tmp:w", "fx1")
	if _, err := os.Stat(filepath.Join(dir, "lima.REJECTED.yaml")); err != nil {
		t.Errorf("rejected edit did not write lima.REJECTED.yaml in the working folder: %v", err)
	}
	checkListRecord(t, f, "list-with-mounts", nil, "list", "--format", "json", "fx1")
	checkRecord(t, f, "clone", dir, "", "clone", "--tty=false", "fx1", "fx2")
	if _, ok := f.Instance(t, "fx2"); !ok {
		t.Error("clone did not store fx2")
	}
}

func TestContractStart(t *testing.T) {
	f := newRecordFake(t)
	// The recorded start picked port 44819; seeding it makes the fake reuse it.
	addFx(t, f, "fx1", Stopped, WithSSHLocalPort(44819))
	checkRecord(t, f, "start", t.TempDir(), "", "start", "--tty=false", "fx1")
	inst, _ := f.Instance(t, "fx1")
	if inst.Status != Running {
		t.Errorf("status after start = %q, want Running", inst.Status)
	}
}

// addRunningSession seeds the instances as they were while fx1 ran, with
// the recorded port and process ids.
func addRunningSession(t *testing.T, f *Fake) {
	addT1T2(t, f)
	addFx(t, f, "fx1", Running, WithSSHLocalPort(44819), WithPIDs(10887, 10908))
	addFx(t, f, "fx2", Stopped)
}

func TestContractRunningInstance(t *testing.T) {
	f := newRecordFake(t)
	addRunningSession(t, f)
	dir := t.TempDir()
	checkListRecord(t, f, "list-running", nil, "list", "--format", "json")
	checkListRecord(t, f, "list-one-running", nil, "list", "--format", "json", "fx1")
	checkListRecord(t, f, "list-missing", nil, "list", "--format", "json", "nosuch")
	checkRecord(t, f, "edit-running", dir, "", "edit", "--tty=false", "--mount-only", recordHome+",/home/alice/work:w", "fx1")
	checkRecord(t, f, "delete-running", dir, "", "delete", "fx1")
	checkRecord(t, f, "shell-cmd", dir, "", "shell", "--tty=false", "--workdir", "/", "fx1", "--", "sh", "-c", "echo out; echo err >&2; exit 3")
	// The recorded script looked up git and a missing tool in the real
	// guest; this one prints the same lines without depending on this machine.
	script := "echo from-stdin\necho /usr/bin/git\necho missing\n"
	checkRecord(t, f, "shell-script", dir, script, "shell", "--tty=false", "fx1", "--", "bash", "-s")
	checkRecord(t, f, "stop", dir, "", "stop", "fx1")
	checkListRecord(t, f, "list-after-stop", nil, "list", "--format", "json")
}

func TestContractBrokenAndDelete(t *testing.T) {
	f := newRecordFake(t)
	addT1T2(t, f)
	addFx(t, f, "fx1", Stopped, WithSSHLocalPort(44819))
	addFx(t, f, "fx2", Stopped)
	f.AddInstance(t, "fxbroken", Broken)
	dir := t.TempDir()
	checkListRecord(t, f, "list-broken", nil, "list", "--format", "json")
	checkRecord(t, f, "delete-missing", dir, "", "delete", "nosuch")
	checkRecord(t, f, "delete", dir, "", "delete", "fx2")
	checkRecord(t, f, "delete-force", dir, "", "delete", "--force", "fx1")
	for _, name := range []string{"fx1", "fx2"} {
		if _, ok := f.Instance(t, name); ok {
			t.Errorf("%s still stored after delete", name)
		}
	}
}

func TestContractListEmpty(t *testing.T) {
	f := newRecordFake(t)
	checkListRecord(t, f, "list-empty", nil, "list", "--format", "json")
}

func TestContractOfflineCreate(t *testing.T) {
	f := newRecordFake(t)
	f.SetFault(t, "create", Fault{OfflineImage: true})
	checkRecord(t, f, "create-offline-image", t.TempDir(), "", "create", "--tty=false", "--name", "fxoff", "template:ubuntu-25.10")
	checkListRecord(t, f, "list-after-failed-create", []ignoredField{createdUID("fxoff")}, "list", "--format", "json")
}

func TestContractStdinTemplateAndEdits(t *testing.T) {
	f := newRecordFake(t)
	addT1T2(t, f)
	dir := t.TempDir()
	template, err := os.ReadFile(writeTemplate(t))
	if err != nil {
		t.Fatal(err)
	}
	created := []ignoredField{createdUID("fxstdin")}
	checkRecord(t, f, "create-from-stdin", dir, string(template), "create", "--tty=false", "--name", "fxstdin", "-")
	checkRecord(t, f, "edit-mounts-ok", dir, "", "edit", "--tty=false", "--mount-only", recordHome+","+recordHome+"/work:w", "fxstdin")
	checkListRecord(t, f, "list-mounts-ok", created, "list", "--format", "json", "fxstdin")
	checkRecord(t, f, "edit-cpus", dir, "", "edit", "--tty=false", "--cpus", "3", "--memory", "3", "fxstdin")
	checkListRecord(t, f, "list-json-quoted", created, "list", "--format", "{{json .}}", "fxstdin")
	checkRecord(t, f, "delete-stopped", dir, "", "delete", "fxstdin")
	checkListRecord(t, f, "list-end", nil, "list", "--format", "json")
	calls := f.Calls(t)
	if len(calls) == 0 || calls[0].Stdin != string(template) {
		t.Errorf("first call stdin = %+v, want the template text", calls)
	}
}

// TestContractCoversEveryRecord fails when a record is neither compared by
// a test above nor listed as skipped with a reason.
func TestContractCoversEveryRecord(t *testing.T) {
	source, err := os.ReadFile("contract_test.go")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(recordsDir(t), "*.stderr"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".stderr")
		if _, skipped := skippedRecords[name]; skipped {
			continue
		}
		if !bytes.Contains(source, []byte(`"`+name+`", `)) {
			t.Errorf("record %s is not compared and not in skippedRecords", name)
		}
	}
}
