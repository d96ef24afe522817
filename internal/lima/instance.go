package lima

// Status is an instance status as limactl reports it. Values other than the
// constants below are kept as they are, because newer limactl releases may
// add some.
type Status string

const (
	StatusRunning       Status = "Running"
	StatusStopped       Status = "Stopped"
	StatusBroken        Status = "Broken"
	StatusInstalling    Status = "Installing"
	StatusUninitialized Status = "Uninitialized"
	StatusUnknown       Status = ""
)

// Instance is one Lima instance as decoded from `limactl list --format json`.
type Instance struct {
	Name     string
	Hostname string
	Status   Status
	Dir      string
	VMType   string
	Arch     string
	CPUs     int
	// Memory and Disk are in bytes.
	Memory  int64
	Disk    int64
	SSHPort int
	Mounts  []Mount
	// GuestHome is the guest user's home folder (config.user.home), for
	// example /home/alice.guest on Lima 2.x.
	GuestHome   string
	Errors      []string
	LimaVersion string
}

// Mount is a host folder shared with an instance.
type Mount struct {
	Location   string // host path
	MountPoint string // guest path; limactl uses Location when empty
	Writable   bool
}
