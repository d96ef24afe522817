package ui

import (
	"context"
	"io"
	"os/exec"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
)

// flowStub stands in for limactl in the create and stop-all tests. It
// keeps a list that create and delete change, fails the calls named in
// fail, and holds the calls named in hold until their channel is closed
// or the call is canceled.
type flowStub struct {
	mu        sync.Mutex
	instances []lima.Instance
	calls     []string
	created   []lima.CreateOptions
	fail      map[string]error         // "create", "start", "stop NAME", "delete"
	hold      map[string]chan struct{} // "create", "start"
	// leaveOnFail keeps the instance after a failed create, as limactl
	// does when the image download fails.
	leaveOnFail bool
}

func newFlowStub(instances ...lima.Instance) *flowStub {
	return &flowStub{instances: instances, fail: map[string]error{}, hold: map[string]chan struct{}{}}
}

func (s *flowStub) record(call string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, call)
}

func (s *flowStub) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

func (s *flowStub) failure(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fail[key]
}

func (s *flowStub) wait(ctx context.Context, key string) error {
	s.mu.Lock()
	gate := s.hold[key]
	s.mu.Unlock()
	if gate == nil {
		return nil
	}
	select {
	case <-gate:
		return nil
	case <-ctx.Done():
		return &lima.Error{Op: key, ExitCode: -1, Message: "canceled", Kind: lima.KindCanceled, Err: ctx.Err()}
	}
}

func (s *flowStub) setStatus(name string, status lima.Status) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.instances {
		if s.instances[i].Name == name {
			s.instances[i].Status = status
		}
	}
}

func (s *flowStub) exists(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, inst := range s.instances {
		if inst.Name == name {
			return true
		}
	}
	return false
}

func (s *flowStub) Version(context.Context) (lima.Version, error) {
	return lima.Version{Major: 2, Minor: 2, Raw: "2.2.0"}, nil
}

func (s *flowStub) List(context.Context) lima.ListResult {
	s.record("list")
	s.mu.Lock()
	defer s.mu.Unlock()
	return lima.ListResult{Instances: append([]lima.Instance(nil), s.instances...)}
}

func (s *flowStub) Create(ctx context.Context, o lima.CreateOptions, onLine func(lima.Line)) error {
	s.record("create " + strings.Join(o.CreateArgs()[1:], " "))
	s.mu.Lock()
	s.created = append(s.created, o)
	s.instances = append(s.instances, lima.Instance{Name: o.Name, Status: lima.StatusStopped})
	s.mu.Unlock()
	onLine(lima.Line{Text: `time="t" level=info msg="Attempting to download the image"`, Stderr: true})
	if err := s.wait(ctx, "create"); err != nil {
		return err
	}
	if err := s.failure("create"); err != nil {
		if !s.leaveOnFail {
			s.remove(o.Name)
		}
		return err
	}
	return nil
}

func (s *flowStub) Start(ctx context.Context, name string, onLine func(lima.Line)) error {
	s.record("start " + name)
	onLine(lima.Line{Text: `time="t" level=info msg="Starting the instance"`, Stderr: true})
	if err := s.wait(ctx, "start"); err != nil {
		return err
	}
	if err := s.failure("start"); err != nil {
		return err
	}
	s.setStatus(name, lima.StatusRunning)
	return nil
}

func (s *flowStub) Stop(_ context.Context, name string, force bool, onLine func(lima.Line)) error {
	s.record("stop " + name)
	if err := s.failure("stop " + name); err != nil {
		return err
	}
	s.setStatus(name, lima.StatusStopped)
	return nil
}

func (s *flowStub) remove(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.instances[:0]
	for _, inst := range s.instances {
		if inst.Name != name {
			kept = append(kept, inst)
		}
	}
	s.instances = kept
}

func (s *flowStub) Delete(_ context.Context, name string, force bool, onLine func(lima.Line)) error {
	if force {
		s.record("delete --force " + name)
	} else {
		s.record("delete " + name)
	}
	if err := s.failure("delete"); err != nil {
		return err
	}
	s.remove(name)
	return nil
}

func (s *flowStub) Edit(context.Context, string, string, []string, func(lima.Line)) error {
	return nil
}

func (s *flowStub) Run(context.Context, string, io.Reader, func(lima.Line), ...string) error {
	return nil
}

func (s *flowStub) ShellCommand(string) *exec.Cmd { return exec.Command("true") }

// driver runs an app as the Bubble Tea runtime would: every command in a
// goroutine, its message back into Update. Endless timers (the spinner,
// the cursor blink) are dropped so the app can settle.
type driver struct {
	t    *testing.T
	a    *App
	msgs chan tea.Msg
}

func newDriver(t *testing.T, a *App) *driver {
	return &driver{t: t, a: a, msgs: make(chan tea.Msg, 1000)}
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() { d.msgs <- cmd() }()
}

// settle feeds messages until none has arrived for a while.
func (d *driver) settle() {
	d.t.Helper()
	for {
		select {
		case msg := <-d.msgs:
			d.handle(msg)
		case <-time.After(150 * time.Millisecond):
			return
		}
	}
}

// settleUntil feeds messages until cond holds, failing after a timeout.
func (d *driver) settleUntil(what string, cond func() bool) {
	d.t.Helper()
	deadline := time.After(5 * time.Second)
	for !cond() {
		select {
		case msg := <-d.msgs:
			d.handle(msg)
		case <-deadline:
			d.t.Fatalf("never reached: %s; screen:\n%s", what, screen(d.a))
		}
	}
}

func (d *driver) handle(msg tea.Msg) {
	switch m := msg.(type) {
	case nil, spinner.TickMsg, tea.QuitMsg:
		return
	case tea.BatchMsg:
		for _, c := range m {
			d.run(c)
		}
		return
	}
	v := reflect.ValueOf(msg)
	if v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		for i := 0; i < v.Len(); i++ {
			d.run(v.Index(i).Interface().(tea.Cmd))
		}
		return
	}
	if strings.Contains(v.Type().PkgPath(), "bubbles/v2/cursor") {
		return
	}
	_, cmd := d.a.Update(msg)
	d.run(cmd)
}

// press sends keys one by one, letting the app settle after each.
func (d *driver) press(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		_, cmd := d.a.Update(keyMsg(k))
		d.run(cmd)
		d.settle()
	}
}

// typeText types text into the focused field.
func (d *driver) typeText(text string) {
	d.t.Helper()
	for _, r := range text {
		_, cmd := d.a.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		d.run(cmd)
	}
	d.settle()
}

// clearField deletes what the focused field holds.
func (d *driver) clearField() {
	d.t.Helper()
	_, cmd := d.a.Update(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	d.run(cmd)
	d.settle()
}
