package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/assets"
	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/ops"
)

// runPhase is the limactl work a createRun is doing.
type runPhase int

const (
	phaseCreate runPhase = iota // create, then start
	phaseStart                  // start again after a failure
	phaseDelete                 // delete by force after a failure
)

// errCreateCanceled ends an operation that the user canceled and whose
// half-made instance was deleted.
var errCreateCanceled = errors.New("canceled; the VM was deleted")

// createRun is the state of the VM being made after the wizard.
type createRun struct {
	name  string
	phase runPhase
	op    *ops.Operation
	// cancelAsk is the question esc asks in the log view.
	cancelAsk *confirm
	// cancelRequested is set when the user answered yes to cancelAsk. The
	// work may still have finished first, as the operation may have
	// ended before the answer.
	cancelRequested bool

	// Set when the work has failed: limactl's message, whether the
	// instance exists (and its status), and the selected choice.
	failed  bool
	message string
	exists  bool
	status  lima.Status
	cursor  int
	// templateGone is the user's template file when it could no longer
	// be read after the failure, which no wizard setting can fix.
	templateGone string
}

// createDoneMsg reports the end of a createRun's operation. After a
// failure it also tells whether limactl left the instance behind.
type createDoneMsg struct {
	op      *ops.Operation
	status  ops.Status
	err     error
	exists  bool
	inst    lima.Instance
	listErr error
	// templateErr is the reason the user's template file cannot be read now.
	templateErr error
}

// startCreate calls limactl create and start in one operation.
func (p *createPage) startCreate(a *App) tea.Cmd {
	s := p.settings
	extra, err := mountFlags(p.home, s.folders)
	if err != nil {
		a.notice = errorNotice("Cannot mount the folders: " + err.Error())
		return p.enterStep(a, stepFolders)
	}
	opts := lima.CreateOptions{Name: s.name, CPUs: s.cpus, MemoryGB: s.memoryGiB, DiskGB: s.diskGiB, Extra: extra}
	if p.templatePath != "" {
		opts.TemplatePath = p.templatePath
	} else {
		opts.Template = assets.Template
	}
	client := a.cfg.Limactl
	spec := ops.Spec{Title: "Create " + s.name, Instance: s.name, Run: createAndStart(client, opts, true)}
	return p.startPhase(a, phaseCreate, spec)
}

// createAndStart returns the work of a create (when create is true) and a
// start. When the user cancels, it deletes the instance by force, with a
// context of its own because the operation's is canceled by then.
func createAndStart(client Limactl, opts lima.CreateOptions, create bool) ops.Func {
	return func(ctx context.Context, emit func(lima.Line)) error {
		err := createThenStart(ctx, client, opts, create, emit)
		if ctx.Err() == nil {
			return err
		}
		emit(lima.Line{Text: "Canceled: deleting " + opts.Name + " by force…"})
		if err := client.Delete(context.WithoutCancel(ctx), opts.Name, true, emit); err != nil {
			return fmt.Errorf("canceled, but deleting %s failed: %s", opts.Name, limactlMessage(err))
		}
		return errCreateCanceled
	}
}

func createThenStart(ctx context.Context, client Limactl, opts lima.CreateOptions, create bool, emit func(lima.Line)) error {
	if create {
		if err := client.Create(ctx, opts, emit); err != nil {
			return err
		}
	}
	return client.Start(ctx, opts.Name, emit)
}

// startPhase starts spec, opens its log view (with the cancel question while
// the VM is being made or started) and waits for its end.
func (p *createPage) startPhase(a *App, phase runPhase, spec ops.Spec) tea.Cmd {
	cmd := a.runOperation(spec)
	if a.logView == nil || a.logView.op.Title != spec.Title {
		return cmd // runOperation has set the notice
	}
	op := a.logView.op
	r := &createRun{name: spec.Instance, phase: phase, op: op}
	if phase != phaseDelete {
		r.cancelAsk = &confirm{
			lines: []string{a.styles.Title.Render("Cancel and delete this VM?"),
				fmt.Sprintf("The running limactl command is interrupted and the half-made VM %s is deleted by force.", r.name)},
			yes: func(a *App) tea.Cmd {
				r.cancelRequested = true
				op.Cancel()
				return nil
			},
		}
		a.logView.cancel = r.cancelAsk
	}
	p.run = r
	return tea.Batch(cmd, waitCreateDone(op, a.cfg.Limactl, r.name, p.templatePath))
}

// waitCreateDone waits for op to end. After a failure it lists the
// instances, because a failed create may leave a half-made one behind,
// and checks that templatePath (when set) can still be read.
func waitCreateDone(op *ops.Operation, client Limactl, name, templatePath string) tea.Cmd {
	return func() tea.Msg {
		for seen := 0; ; {
			_, total, done := op.Wait(context.Background(), seen)
			if done {
				break
			}
			seen = total
		}
		snap := op.Snapshot()
		msg := createDoneMsg{op: op, status: snap.Status, err: snap.Err}
		if snap.Status == ops.Succeeded || errors.Is(snap.Err, errCreateCanceled) {
			return msg
		}
		if templatePath != "" {
			msg.templateErr = checkTemplateReadable(templatePath)
		}
		result := client.List(context.Background())
		msg.listErr = result.Err
		for _, inst := range result.Instances {
			if inst.Name == name {
				msg.exists, msg.inst = true, inst
			}
		}
		return msg
	}
}

func (p *createPage) applyDone(a *App, msg createDoneMsg) (page, tea.Cmd) {
	r := p.run
	if r == nil || r.op != msg.op {
		return p, nil
	}
	// The user chose to cancel when the question is still open or was
	// answered yes after the work had ended.
	cancelChosen := r.cancelRequested
	if r.cancelAsk != nil && a.confirm == r.cancelAsk {
		a.confirm = nil
		cancelChosen = true
	}
	switch {
	case msg.status == ops.Succeeded && r.phase == phaseDelete:
		a.logView = nil
		a.notice = infoNotice(fmt.Sprintf("Deleted the VM %s.", r.name))
		return nil, a.refresh()
	case msg.status == ops.Succeeded && cancelChosen:
		// Leave the log view, whose "Done" would hide that the VM the
		// user meant to delete is still there.
		a.logView = nil
		a.list.selected = r.name
		a.notice = errorNotice(r.keptText())
		return nil, a.refresh()
	case msg.status == ops.Succeeded:
		// The log view stays open on its result until the user leaves it.
		a.list.selected = r.name
		a.notice = infoNotice(fmt.Sprintf("The VM %s is created and running.", r.name))
		return nil, a.refresh()
	case errors.Is(msg.err, errCreateCanceled):
		a.logView = nil
		a.notice = infoNotice(fmt.Sprintf("Canceled: the VM %s was deleted.", r.name))
		return nil, a.refresh()
	}
	a.logView = nil
	r.failed = true
	r.message = limactlMessage(msg.err)
	r.exists = msg.exists
	r.status = msg.inst.Status
	if !r.exists && msg.listErr != nil {
		// Without a list it is unknown whether the instance was made, so
		// offer the choices that are safe either way.
		r.exists = true
		r.status = ""
	}
	if msg.templateErr != nil {
		r.templateGone = p.templatePath
	}
	r.cursor = 0
	return p, a.refresh()
}

// keptText tells that the work finished before the user's cancel could
// stop it, so the VM was kept.
func (r *createRun) keptText() string {
	work := "Creating"
	if r.phase == phaseStart {
		work = "Starting"
	}
	return fmt.Sprintf("%s %s finished before it could be canceled, so the VM was kept and is running. To remove it, delete it from its actions (enter).", work, r.name)
}

// checkTemplateReadable returns why the template file at path cannot be
// opened, or nil.
func checkTemplateReadable(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return f.Close()
}

// The choices offered after a failure.
const (
	choiceTryStart = "Try starting it"
	choiceDeleteVM = "Delete the VM"
	choiceToWizard = "Back to the wizard"
	choiceToList   = "Back to the list"
)

// failureChoices returns the choices offered after a failure. The wizard
// is no choice when the template file is gone, because its settings
// cannot bring the file back.
func (r *createRun) failureChoices() []string {
	switch {
	case r.exists:
		return []string{choiceTryStart, choiceDeleteVM}
	case r.templateGone != "":
		return []string{choiceToList}
	}
	return []string{choiceToWizard, choiceToList}
}

func (p *createPage) runKey(a *App, msg tea.KeyPressMsg) (page, tea.Cmd) {
	r := p.run
	if !r.failed {
		return p, nil
	}
	a.notice = notice{}
	choices := r.failureChoices()
	switch msg.String() {
	case "up", "k":
		r.cursor = max(0, r.cursor-1)
	case "down", "j":
		r.cursor = min(len(choices)-1, r.cursor+1)
	case "l":
		return p, a.openLogView(r.op)
	case "ctrl+c":
		return p, tea.Quit
	case "esc":
		return p.leaveFailure(a)
	case "enter":
		return p.choose(a, choices[r.cursor])
	}
	return p, nil
}

// leaveFailure goes back to the list, saying what was left behind.
func (p *createPage) leaveFailure(a *App) (page, tea.Cmd) {
	r := p.run
	if r.exists {
		a.list.selected = r.name
		a.notice = errorNotice(fmt.Sprintf("The VM %s was kept, not running: start or delete it from its actions (enter).", r.name))
	}
	return nil, a.refresh()
}

func (p *createPage) choose(a *App, choice string) (page, tea.Cmd) {
	r := p.run
	client := a.cfg.Limactl
	name := r.name
	switch choice {
	case choiceTryStart:
		spec := ops.Spec{Title: "Start " + name, Instance: name, Run: createAndStart(client, lima.CreateOptions{Name: name}, false)}
		return p, p.startPhase(a, phaseStart, spec)
	case choiceDeleteVM:
		spec := ops.Spec{Title: "Delete " + name, Instance: name, Run: func(ctx context.Context, emit func(lima.Line)) error {
			return client.Delete(ctx, name, true, emit)
		}}
		return p, p.startPhase(a, phaseDelete, spec)
	case choiceToWizard:
		p.run = nil
		return p, p.enterSummary(a)
	}
	return nil, a.refresh()
}

func (p *createPage) runView(a *App) string {
	r := p.run
	if !r.failed {
		// Only visible for a moment: the log view covers the page while
		// the work runs.
		return p.frame(a, a.styles.Title.Render("New VM")+"\n\n"+a.styles.Muted.Render("Working on "+r.name+"…"), "")
	}
	width := max(20, a.width-6)
	rows := []string{a.styles.Danger.Bold(true).Render(r.failureTitle()), ""}
	rows = append(rows, a.styles.Danger.Width(width).Render(oneLine(r.message)), "")
	rows = append(rows, a.styles.Muted.Width(width).Render(r.stateText()), "")
	for i, choice := range r.failureChoices() {
		cursor := "  "
		if i == r.cursor {
			cursor = "▶ "
			choice = a.styles.Selected.Render(choice)
		}
		rows = append(rows, cursor+choice)
	}
	hint := "↑/↓ move · enter choose · l show the log · esc back to the list"
	return p.frame(a, strings.Join(rows, "\n"), hint)
}

func (r *createRun) failureTitle() string {
	switch r.phase {
	case phaseStart:
		return "Starting " + r.name + " failed"
	case phaseDelete:
		return "Deleting " + r.name + " failed"
	}
	return "Creating " + r.name + " failed"
}

// stateText describes what is left on the host, so the user learns that a VM exists.
func (r *createRun) stateText() string {
	switch {
	case !r.exists && r.templateGone != "":
		return fmt.Sprintf("No VM was made. The template file %s cannot be read any more: restore it, or quit and start aisand with another --template or AISAND_TEMPLATE.", r.templateGone)
	case !r.exists:
		return "No VM was made. Go back to the wizard to change the settings, or to the list."
	case r.status == "":
		return fmt.Sprintf("The VM %s may have been made. Try starting it, or delete it?", r.name)
	}
	return fmt.Sprintf("The VM %s was made and is %s. Try starting it, or delete it?", r.name, r.status)
}
