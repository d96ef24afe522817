package lima

import (
	"strings"
	"testing"
)

func TestFatalMessageFromRecords(t *testing.T) {
	cases := []struct {
		record string
		want   string
		kind   ErrorKind
	}{
		{"create-bad-name.stderr", "instance name `bad name` is not a valid identifier", KindInvalidName},
		{"create-exists.stderr", "instance `fx1` already exists", KindExists},
		{"stop-stopped.stderr", "expected status `Running`, got `Stopped` (maybe use `limactl stop -f`?)", KindWrongStatus},
		{"shell-stopped.stderr", "instance `fx1` is stopped, run `limactl start fx1` to start the instance", KindWrongStatus},
		{"edit-running.stderr", "cannot edit a running instance", KindWrongStatus},
		{"delete-running.stderr", "failed to delete instance `fx1`: expected status `Stopped`, got `Running`", KindWrongStatus},
		{"list-missing.stderr", "unmatched instances", KindNotFound},
		{"edit-mount-stopped.stderr", "field `mounts[1].mountPoint` must not be a system path such as /etc or /usr", KindUnknown},
		{"create-offline-image.stderr", "failed to download `https://cloud-images.ubuntu.com/", KindUnknown},
	}
	for _, c := range cases {
		t.Run(c.record, func(t *testing.T) {
			lines := strings.Split(strings.TrimRight(string(readRecord(t, c.record)), "\n"), "\n")
			msg := fatalMessage(lines)
			if !strings.Contains(msg, c.want) {
				t.Errorf("message = %q, want it to contain %q", msg, c.want)
			}
			if strings.Contains(msg, `\"`) || strings.HasPrefix(msg, "time=") {
				t.Errorf("message %q is not logfmt-decoded", msg)
			}
			if k := kindOf(msg); k != c.kind {
				t.Errorf("kind = %v, want %v", k, c.kind)
			}
		})
	}
}

func TestFatalMessageDecodesEscapes(t *testing.T) {
	msg := fatalMessage([]string{`time="x" level=fatal msg="a \"quoted\" word\nsecond line"`})
	if msg != "a \"quoted\" word\nsecond line" {
		t.Errorf("message = %q", msg)
	}
}

func TestFatalMessageRootRefusal(t *testing.T) {
	msg := fatalMessage([]string{"limactl: must not run as the root user"})
	if msg != "must not run as the root user" {
		t.Errorf("message = %q", msg)
	}
	if kindOf(msg) != KindRootRefused {
		t.Errorf("kind = %v", kindOf(msg))
	}
}

func TestFatalMessageFallsBackToLastLine(t *testing.T) {
	msg := fatalMessage([]string{"first", "Segmentation fault", ""})
	if msg != "Segmentation fault" {
		t.Errorf("message = %q", msg)
	}
}

func TestParseLogLineFields(t *testing.T) {
	rec, ok := ParseLogLine(`time="2026-12-04T19:56:18Z" level=warning msg="instance ` + "`fxbroken`" + ` has errors" errors="[open x: no such file]"`)
	if !ok {
		t.Fatal("line not parsed")
	}
	if rec.Level != "warning" || rec.Message != "instance `fxbroken` has errors" {
		t.Errorf("record = %+v", rec)
	}
	if len(rec.Fields) != 1 || rec.Fields[0] != [2]string{"errors", "[open x: no such file]"} {
		t.Errorf("fields = %q", rec.Fields)
	}
	if _, ok := ParseLogLine("plain guest output"); ok {
		t.Error("plain text parsed as a log record")
	}
}

func TestErrorText(t *testing.T) {
	e := &Error{Op: "start", Instance: "fx1", ExitCode: 1, Message: "boom"}
	if got := e.Error(); got != "limactl start fx1 failed (exit status 1): boom" {
		t.Errorf("Error() = %q", got)
	}
}

func TestFatalMessageIgnoresInfoLines(t *testing.T) {
	msg := fatalMessage([]string{`time="t" level=info msg="Starting the instance"`, `time="t" level=warning msg="slow"`})
	if msg != "" {
		t.Errorf("message = %q, want none from info and warning lines", msg)
	}
	msg = fatalMessage([]string{`time="t" level=error msg="disk full"`, `time="t" level=info msg="cleaning up"`})
	if msg != "disk full" {
		t.Errorf("message = %q, want the error line", msg)
	}
}

func TestErrorWithoutMessage(t *testing.T) {
	e := &Error{Op: "--version", ExitCode: 1}
	if got := e.Error(); got != "limactl --version failed (exit status 1) without a message on stderr" {
		t.Errorf("Error() = %q", got)
	}
	if e.Explanation() != e.Error() {
		t.Errorf("Explanation() = %q", e.Explanation())
	}
}

func TestFatalMessageTrimsNilWrap(t *testing.T) {
	line := `time="t" level=fatal msg="the YAML is invalid, saved the buffer as ` + "`lima.REJECTED.yaml`" + `: field ` + "`mounts[2].location`" + ` refers to a non-directory path: ` + "`/home/tester/vanish`" + `: %!w(<nil>)"`
	msg := fatalMessage([]string{line})
	if strings.Contains(msg, "%!w") || !strings.HasSuffix(msg, "`/home/tester/vanish`") {
		t.Errorf("message = %q", msg)
	}
}
