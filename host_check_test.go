package main

import (
	"bytes"
	"sync"
	"testing"
	"time"
)

// signalingWriter records what is written and closes written at the
// first write.
type signalingWriter struct {
	mutex   sync.Mutex
	text    bytes.Buffer
	written chan struct{}
}

func (w *signalingWriter) Write(data []byte) (int, error) {
	w.mutex.Lock()
	defer w.mutex.Unlock()
	if w.text.Len() == 0 {
		close(w.written)
	}
	return w.text.Write(data)
}

func (w *signalingWriter) String() string {
	w.mutex.Lock()
	defer w.mutex.Unlock()
	return w.text.String()
}

func TestSlowCheckAnnounced(t *testing.T) {
	out := &signalingWriter{written: make(chan struct{})}

	// The check runs until the message appears, as a hanging limactl
	// would, with a bound so that a missing message fails the test.
	announceIfSlow(out, time.Millisecond, func() {
		select {
		case <-out.written:
		case <-time.After(10 * time.Second):
		}
	})

	if got, want := out.String(), slowCheckMessage+"\n"; got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
}

func TestFastCheckSilent(t *testing.T) {
	out := &signalingWriter{written: make(chan struct{})}
	checked := false

	announceIfSlow(out, time.Hour, func() { checked = true })

	if !checked {
		t.Error("the check did not run")
	}
	if got := out.String(); got != "" {
		t.Errorf("output = %q, want nothing for a fast check", got)
	}
}
