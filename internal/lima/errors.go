package lima

import (
	"fmt"
	"strings"

	"github.com/go-logfmt/logfmt"
)

// ErrorKind is the category of a failed limactl call, where limactl's
// message shows it.
type ErrorKind int

const (
	KindUnknown ErrorKind = iota
	KindNotFound
	KindExists
	KindWrongStatus
	KindInvalidName
	KindRootRefused
	KindTimeout
	KindCanceled
)

func (k ErrorKind) String() string {
	switch k {
	case KindNotFound:
		return "not found"
	case KindExists:
		return "already exists"
	case KindWrongStatus:
		return "wrong status"
	case KindInvalidName:
		return "invalid name"
	case KindRootRefused:
		return "root refused"
	case KindTimeout:
		return "timeout"
	case KindCanceled:
		return "canceled"
	}
	return "unknown"
}

// Error is a failed limactl call.
type Error struct {
	Op       string   // limactl subcommand, such as "start"
	Instance string   // empty for calls about no single instance
	Args     []string // the whole argument list
	ExitCode int      // -1 when limactl did not exit on its own
	// Message is limactl's own explanation: the msg of its last fatal line.
	Message string
	Kind    ErrorKind
	// Stderr holds the last lines limactl wrote to stderr.
	Stderr []string
	Err    error
}

func (e *Error) Error() string {
	subject := "limactl " + e.Op
	if e.Instance != "" {
		subject += " " + e.Instance
	}
	status := ""
	switch {
	case e.ExitCode > 0:
		status = fmt.Sprintf(" (exit status %d)", e.ExitCode)
	case e.Err != nil && e.Message == "":
		status = " (" + e.Err.Error() + ")"
	}
	if e.Message == "" {
		return subject + " failed" + status + " without a message on stderr"
	}
	return subject + " failed" + status + ": " + e.Message
}

// Explanation returns limactl's own message, or the whole error when
// limactl wrote none.
func (e *Error) Explanation() string {
	if e.Message != "" {
		return e.Message
	}
	return e.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// rootRefusal is what limactl 2.x prints, without logfmt, when run as root.
const rootRefusal = "must not run as the root user"

// fatalMessage returns the msg of the last `level=fatal` line, decoded from
// logfmt. Without one it returns the last error line, then the last line
// that is not logfmt, such as the plain root refusal. Info and warning
// lines describe what limactl was doing, not why it failed, so they are
// never the message.
func fatalMessage(stderr []string) string {
	for _, level := range []string{"fatal", "error"} {
		for i := len(stderr) - 1; i >= 0; i-- {
			if rec, ok := ParseLogLine(stderr[i]); ok && rec.Level == level {
				return trimFormatNoise(rec.Message)
			}
		}
	}
	for i := len(stderr) - 1; i >= 0; i-- {
		line := strings.TrimSpace(stderr[i])
		if line == "" {
			continue
		}
		if _, ok := ParseLogLine(line); !ok {
			return strings.TrimPrefix(line, "limactl: ")
		}
	}
	return ""
}

// trimFormatNoise removes the "%!w(<nil>)" that limactl 2.2.0 appends to
// some validation errors (a nil error formatted with %w), which means
// nothing to a reader.
func trimFormatNoise(msg string) string {
	msg = strings.ReplaceAll(msg, ": %!w(<nil>)", "")
	return strings.ReplaceAll(msg, "%!w(<nil>)", "")
}

// LogRecord is one logfmt line of limactl's stderr.
type LogRecord struct {
	Time    string
	Level   string
	Message string
	// Fields are the other keys, such as errors= or arch=, in order.
	Fields [][2]string
}

// ParseLogLine decodes one of limactl's logfmt lines. It reports false for a
// line that has no msg key, such as the guest's own output.
func ParseLogLine(line string) (LogRecord, bool) {
	if !strings.Contains(line, "msg=") {
		return LogRecord{}, false
	}
	dec := logfmt.NewDecoder(strings.NewReader(line))
	var rec LogRecord
	found := false
	for dec.ScanRecord() {
		for dec.ScanKeyval() {
			key, value := string(dec.Key()), string(dec.Value())
			switch key {
			case "time":
				rec.Time = value
			case "level":
				rec.Level = value
			case "msg":
				rec.Message = value
				found = true
			default:
				rec.Fields = append(rec.Fields, [2]string{key, value})
			}
		}
	}
	if dec.Err() != nil {
		return LogRecord{}, false
	}
	return rec, found
}

// kindOf tells the kind of failure from limactl 2.2.0's wording.
func kindOf(msg string) ErrorKind {
	switch {
	case strings.Contains(msg, rootRefusal):
		return KindRootRefused
	case strings.Contains(msg, "already exists"):
		return KindExists
	case strings.Contains(msg, "not a valid identifier"):
		return KindInvalidName
	case strings.Contains(msg, "expected status"),
		strings.Contains(msg, "is stopped"),
		strings.Contains(msg, "is running"),
		strings.Contains(msg, "cannot edit a running instance"):
		return KindWrongStatus
	case strings.Contains(msg, "unmatched instances"),
		strings.Contains(msg, "does not exist"),
		strings.Contains(msg, "not found"),
		strings.Contains(msg, "no such file or directory"):
		return KindNotFound
	}
	return KindUnknown
}
