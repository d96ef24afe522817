package host

// State is whether a dependency was found and works.
type State int

const (
	// Missing means the program was not found, or the file named for it
	// cannot be run.
	Missing State = iota
	// Found means the program was found and, unless the report carries a
	// blocker, printed its version.
	Found
	// Broken means the program was found but its version call failed.
	Broken
)

func (s State) String() string {
	switch s {
	case Found:
		return "found"
	case Broken:
		return "broken"
	default:
		return "missing"
	}
}

// Dependency is one program that aisand needs on the host, or uses to
// install the others.
type Dependency struct {
	// Name is the program name, for example "limactl" or "qemu-img".
	Name string
	// Purpose is a few words for the user on why aisand needs the program.
	Purpose string
	// Required dependencies must be Found for Report.Ready. Homebrew is
	// not required: it only installs the others.
	Required bool
	State    State
	// Path is the program's absolute path, empty when Missing.
	Path string
	// Version is the first version number in VersionLine, such as "2.2.0",
	// or empty when none was read.
	Version string
	// VersionLine is the first line that `PROGRAM --version` printed.
	VersionLine string
	// Problem is the reason for a Missing or Broken state, or a note that a
	// Found program is not on PATH. It is empty otherwise.
	Problem string
	// Fix is what the user can do about a Broken program, such as
	// reinstalling it or unsetting the variable that chose it; empty for
	// the other states.
	Fix string
	// FixCommand, when set, is the command that Fix suggests.
	FixCommand string
	// Formula is the Homebrew formula that provides the program, empty
	// when installing cannot help, for example when an environment
	// variable names a file that does not exist.
	Formula string
	// Override is the environment variable that chose the program instead
	// of PATH, such as "AISAND_LIMACTL", or empty.
	Override string
}

// Notice is a finding for the user: what was found, why it matters and
// what to do about it.
type Notice struct {
	Message string
	Reason  string
	Action  string
	// Command, when set, is a command or line that Action tells the user
	// to run or copy. It is kept apart so that a screen can show it whole
	// on a line of its own.
	Command string
}

// Report is the result of Check.
type Report struct {
	GOOS   string
	GOARCH string
	// Dependencies are in a fixed order per operating system, required
	// ones first.
	Dependencies []Dependency
	// Warnings do not stop aisand, for example a missing /dev/kvm.
	Warnings []Notice
	// Blocker, when set, is the reason aisand must not start at all, for
	// example because it runs as root.
	Blocker *Notice
	// BrewFolder is the folder of a brew found outside PATH, empty
	// otherwise. Call ActivateBrew to use it in this process.
	BrewFolder string
}

// Ready reports whether nothing refuses the start and every required
// dependency was found.
func (r Report) Ready() bool {
	if r.Blocker != nil {
		return false
	}
	for _, dependency := range r.Dependencies {
		if dependency.Required && dependency.State != Found {
			return false
		}
	}
	return true
}

// Missing returns the required dependencies that are not Found.
func (r Report) Missing() []Dependency {
	var missing []Dependency
	for _, dependency := range r.Dependencies {
		if dependency.Required && dependency.State != Found {
			missing = append(missing, dependency)
		}
	}
	return missing
}

// CanInstall reports whether an install plan can help: nothing refuses the
// start, and some required dependency is Missing and has a Homebrew
// formula. Broken programs are left to the user because reinstalling may
// not fix them.
func (r Report) CanInstall() bool {
	if r.Blocker != nil {
		return false
	}
	for _, dependency := range r.Dependencies {
		if dependency.Required && dependency.State == Missing && dependency.Formula != "" {
			return true
		}
	}
	return false
}

// Broken returns the required dependencies that were found but do not
// work.
func (r Report) Broken() []Dependency {
	var broken []Dependency
	for _, dependency := range r.Dependencies {
		if dependency.Required && dependency.State == Broken {
			broken = append(broken, dependency)
		}
	}
	return broken
}

// Dependency returns the dependency with the given program name.
func (r Report) Dependency(name string) (Dependency, bool) {
	for _, dependency := range r.Dependencies {
		if dependency.Name == name {
			return dependency, true
		}
	}
	return Dependency{}, false
}
