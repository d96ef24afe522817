package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// logger writes stderr lines in the logfmt shape of logrus's text
// formatter, which limactl uses when stderr is not a terminal:
//
//	time="2026-12-04T19:54:56Z" level=info msg="..." key=value
//
// Each line is written with one call, and lines after the first wait
// lineDelay, so a reader sees them arrive one by one.
type logger struct {
	out       io.Writer
	lineDelay time.Duration
	lines     int
}

func newLogger(out io.Writer, lineDelay time.Duration) *logger {
	return &logger{out: out, lineDelay: lineDelay}
}

// field is one key=value pair after msg; logrus sorts them by key.
type field struct{ key, value string }

func (l *logger) info(msg string, fields ...field)    { l.line("info", msg, fields) }
func (l *logger) warning(msg string, fields ...field) { l.line("warning", msg, fields) }

// fatal writes a fatal line and returns exit status 1, as logrus.Fatal does.
func (l *logger) fatal(msg string) int {
	l.line("fatal", msg, nil)
	return 1
}

func (l *logger) line(level, msg string, fields []field) {
	if l.lines > 0 && l.lineDelay > 0 {
		time.Sleep(l.lineDelay)
	}
	l.lines++
	var b strings.Builder
	b.WriteString("time=")
	b.WriteString(logfmtValue(time.Now().UTC().Format(time.RFC3339)))
	b.WriteString(" level=" + level)
	b.WriteString(" msg=" + logfmtValue(msg))
	sorted := append([]field(nil), fields...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].key < sorted[j].key })
	for _, f := range sorted {
		b.WriteString(" " + f.key + "=" + logfmtValue(f.value))
	}
	b.WriteString("\n")
	// os.Stderr is unbuffered, so each line reaches the reader at once.
	_, _ = io.WriteString(l.out, b.String())
}

// logfmtValue quotes a value the way logrus does: bare when it holds only
// letters, digits and -._/@^+ (or is empty), else as a Go string literal.
func logfmtValue(s string) string {
	for _, r := range s {
		bare := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("-._/@^+", r)
		if !bare {
			return strconv.Quote(s)
		}
	}
	return s
}

// quoteName formats a value like Go's %#q verb, which limactl uses for
// names and paths in messages: in backquotes when possible.
func quoteName(s string) string {
	return fmt.Sprintf("%#q", s)
}
