package fakestate

import (
	"os"
	"os/user"
	"runtime"
)

// LocalImages returns the image the fake assumes for any template read from
// a file or stdin, because the fake does not parse YAML: the local Debian 12
// files of the recorded limactl 2.2.0 session, labelled with arch.
func LocalImages(arch string) []Image {
	return []Image{{
		File: File{Location: "/var/images/debian-12.qcow2", Arch: arch},
		Kernel: &Kernel{
			File:    File{Location: "/var/images/vmlinuz", Arch: arch},
			Cmdline: "root=LABEL=rootfs ro console=ttyS0 net.ifnames=0",
		},
		Initrd: &File{Location: "/var/images/initrd.img", Arch: arch},
	}}
}

// CatalogImages are the images of Lima 2.2.0's template:ubuntu-25.10, used
// for every `template:NAME` locator: pinned releases first, then the
// unpinned "release" aliases.
func CatalogImages() []Image {
	const pinned = "https://cloud-images.ubuntu.com/releases/questing/release-20260703/ubuntu-25.10-server-cloudimg-"
	const latest = "https://cloud-images.ubuntu.com/releases/questing/release/ubuntu-25.10-server-cloudimg-"
	digests := []struct{ suffix, arch, digest string }{
		{"amd64", "x86_64", "sha256:8dcdab6de56c2f4b56236d33909a7c5d79217469c2a76b6cd3cde969d63522a8"},
		{"arm64", "aarch64", "sha256:3d0d12d76c2ae8ba4029f537c3b6094ee5fca28fd05c8d7fe2895ff39cc2a754"},
		{"riscv64", "riscv64", "sha256:72e8a2e1e7fe884104a09625c826776514cdabd69c0789ee74f1f94667fe0ba9"},
		{"armhf", "armv7l", "sha256:6560d494cd68b1cf53d9e8acad9b6c196ccaab3b11943896da7742fe63f0816d"},
		{"s390x", "s390x", "sha256:b4e4903b67b5ae13b00c52dc3926bf7e2bbb336bc5d5159a88c8052ce566a106"},
		{"ppc64el", "ppc64le", "sha256:bdf07feb3ea1d06096ad1c3a55ec09da3e45774c273da27447326b3eb8c2f6b5"},
	}
	var images []Image
	for _, d := range digests {
		images = append(images, Image{File: File{Location: pinned + d.suffix + ".img", Arch: d.arch, Digest: d.digest}})
	}
	for _, d := range digests {
		images = append(images, Image{File: File{Location: latest + d.suffix + ".img", Arch: d.arch}})
	}
	return images
}

// NewInstance returns a stopped instance with the defaults the fake uses for
// a local template: 2 CPUs, 4GiB of memory, 100GiB of disk, the host home
// mounted read-only, and the current user as the guest user.
func NewInstance(name, hostHome string) Instance {
	arch := HostArch()
	return Instance{
		Name:        name,
		Status:      StatusStopped,
		VMType:      "qemu",
		Arch:        arch,
		CPUs:        2,
		Memory:      "4GiB",
		Disk:        "100GiB",
		Mounts:      []Mount{{Location: hostHome, MountPoint: hostHome}},
		Images:      LocalImages(arch),
		User:        DefaultUser(),
		LimaVersion: "v" + DefaultVersion,
	}
}

// HostArch returns FAKE_LIMACTL_ARCH, or the running machine's architecture
// in Lima's spelling (x86_64, aarch64, ...).
func HostArch() string {
	if arch := os.Getenv(EnvArch); arch != "" {
		return arch
	}
	switch runtime.GOARCH {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	case "arm":
		return "armv7l"
	case "ppc64le", "riscv64", "s390x":
		return runtime.GOARCH
	}
	return runtime.GOARCH
}

// DefaultUser returns the guest user Lima derives from the host user: the
// same name and uid, with the home /home/NAME.guest. USER wins over the
// account database so tests can choose the name.
func DefaultUser() User {
	name := os.Getenv("USER")
	if name == "" {
		if current, err := user.Current(); err == nil {
			name = current.Username
		}
	}
	if name == "" {
		name = "lima"
	}
	return User{Name: name, Home: "/home/" + name + ".guest", UID: os.Getuid()}
}
