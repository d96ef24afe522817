package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/japacx/aisand/internal/limatest/fakestate"
)

// editFlags are the flags of `limactl edit` that the fake implements;
// create, clone and edit share them.
var editFlags = []flagSpec{
	{name: "cpus", kind: intFlag},
	{name: "memory", kind: float32Flag},
	{name: "disk", kind: float32Flag},
	{name: "mount", kind: stringSliceFlag},
	{name: "mount-only", kind: stringSliceFlag},
	{name: "mount-none", kind: boolFlag},
	{name: "mount-writable", kind: boolFlag},
	{name: "start", kind: boolFlag},
}

var createFlags = append([]flagSpec{
	{name: "name", kind: stringFlag},
	{name: "arch", kind: stringFlag},
}, editFlags...)

// template is a template locator resolved to its text.
type templateSource struct {
	text    string
	catalog bool
}

func (a *app) create(args []string) int {
	flags, positional, err := parseFlags(args, createFlags, true)
	if err != nil {
		return a.log.fatal(err.Error())
	}
	if len(positional) > 1 {
		return a.log.fatal(argsError("create", "create FILE.yaml|URL [flags]", "Create an instance of Lima",
			fmt.Sprintf("accepts at most 1 arg(s), received %d", len(positional))))
	}
	locator := ""
	if len(positional) == 1 {
		locator = positional[0]
	}
	name, tmpl, err := a.resolveTemplate(flags.stringValue("name"), locator)
	if err != nil {
		return a.log.fatal(err.Error())
	}
	if _, err := fakestate.LoadInstance(a.state, name); err == nil {
		return a.log.fatal(fmt.Sprintf("instance %s already exists", quoteName(name)))
	}
	status := a.createInstance(name, tmpl, flags)
	if status != 0 {
		return status
	}
	a.slowLog.info(fmt.Sprintf("Run `limactl start %s` to start the instance.", name))
	return 0
}

// resolveTemplate finds the instance name and the template text of a
// create request, as limactl's loadOrCreateInstance does.
func (a *app) resolveTemplate(name, locator string) (string, templateSource, error) {
	if name != "" {
		if err := validateName(name); err != nil {
			return "", templateSource{}, err
		}
	}
	switch {
	case locator == "-":
		if name == "" {
			return "", templateSource{}, errors.New("must pass instance name with --name when reading template from stdin")
		}
		data, err := readAll(a.stdin)
		return name, templateSource{text: string(data)}, err
	case locator == "" || validateName(locator) == nil:
		// An empty locator or a bare instance name means template:default.
		if locator != "" {
			if name != "" && name != locator {
				return "", templateSource{}, fmt.Errorf("instance name %#q and CLI flag --name=%#q cannot be specified together", locator, name)
			}
			name = locator
		}
		if name == "" {
			name = "default"
		}
		if _, err := fakestate.LoadInstance(a.state, name); err == nil {
			return name, templateSource{}, nil // create reports that it exists
		}
		if locator != "" && locator != "default" {
			a.log.info(fmt.Sprintf("Creating an instance %#q from template:default (Not from template:%s)", name, name))
			a.log.warning(fmt.Sprintf("This form is deprecated. Use `limactl create --name=%s template:default` instead", name))
		}
		return name, templateSource{text: "template:default\n", catalog: true}, nil
	case strings.HasPrefix(locator, "template:"):
		if name == "" {
			name = strings.TrimPrefix(locator, "template:")
		}
		return name, templateSource{text: locator + "\n", catalog: true}, validateName(name)
	case strings.Contains(locator, "://"):
		return "", templateSource{}, fmt.Errorf("fake limactl does not fetch templates from URLs such as %s", locator)
	}
	data, err := os.ReadFile(locator)
	if err != nil {
		return "", templateSource{}, err
	}
	if name == "" {
		base := strings.ToLower(filepath.Base(locator))
		name = strings.TrimSuffix(strings.TrimSuffix(base, ".yml"), ".yaml")
		if err := validateName(name); err != nil {
			return "", templateSource{}, fmt.Errorf("filename %#q is invalid: %w", locator, err)
		}
	}
	return name, templateSource{text: string(data)}, nil
}

// createInstance writes a new Stopped instance and prints what limactl
// prints from the editor notice to the disk resize. It returns the exit
// status; on a download or resize failure the instance stays, as with limactl.
func (a *app) createInstance(name string, tmpl templateSource, flags parsedFlags) int {
	a.slowLog.info("Terminal is not available, proceeding without opening an editor")
	inst := fakestate.NewInstance(name, a.home)
	if tmpl.catalog {
		inst.Catalog = true
		inst.Images = fakestate.CatalogImages()
	} else {
		inst.Images = fakestate.LocalImages(inst.Arch)
		applyTemplateScalars(&inst, tmpl.text)
	}
	if flags.changed("arch") {
		inst.Arch = flags.stringValue("arch")
		if !tmpl.catalog {
			inst.Images = fakestate.LocalImages(inst.Arch)
		}
	}
	if err := a.applyEditFlags(&inst, flags); err != nil {
		return a.slowLog.fatal(err.Error())
	}
	if err := a.checkSocketPath(name); err != nil {
		return a.slowLog.fatal(err.Error())
	}
	if err := validateConfig(inst); err != nil {
		return a.slowLog.fatal(err.Error())
	}
	if err := os.MkdirAll(filepath.Dir(fakestate.TemplatePath(a.state, name)), 0o755); err != nil {
		return a.slowLog.fatal(err.Error())
	}
	if err := os.WriteFile(fakestate.TemplatePath(a.state, name), []byte(tmpl.text), 0o644); err != nil {
		return a.slowLog.fatal(err.Error())
	}
	if err := fakestate.SaveInstance(a.state, inst); err != nil {
		return a.slowLog.fatal(err.Error())
	}
	if err := a.downloadImages(inst); err != nil {
		return a.slowLog.fatal(err.Error())
	}
	return a.resizeDisk(inst)
}

// templateScalar matches a top-level `key: value` line of a template.
var templateScalar = regexp.MustCompile(`^(cpus|memory|disk|arch|vmType):\s*["']?([^"'#\s]+)["']?\s*(?:#.*)?$`)

// applyTemplateScalars reads the top-level cpus, memory, disk, arch and
// vmType of a template.
//
// NOTE: the fake reads no other YAML. Images and mounts of a template are
// ignored: every local template gets LocalImages and the host home mounted
// read-only.
func applyTemplateScalars(inst *fakestate.Instance, text string) {
	for _, line := range strings.Split(text, "\n") {
		match := templateScalar.FindStringSubmatch(strings.TrimRight(line, "\r"))
		if match == nil {
			continue
		}
		switch match[1] {
		case "cpus":
			if n, err := strconv.Atoi(match[2]); err == nil {
				inst.CPUs = n
			}
		case "memory":
			inst.Memory = match[2]
		case "disk":
			inst.Disk = match[2]
		case "arch":
			inst.Arch = match[2]
			inst.Images = fakestate.LocalImages(inst.Arch)
		case "vmType":
			inst.VMType = match[2]
		}
	}
}

// applyEditFlags changes an instance as limactl's yq expressions for the
// edit flags do.
func (a *app) applyEditFlags(inst *fakestate.Instance, flags parsedFlags) error {
	if flags.changed("cpus") {
		if flags.intValue("cpus") < 0 {
			return errors.New("error while processing flag `cpus`: invalid value for number of cpus, must be >= 0")
		}
		inst.CPUs = flags.intValue("cpus")
	}
	if flags.changed("memory") {
		inst.Memory = flags.float32Text("memory") + "GiB"
	}
	if flags.changed("mount") {
		if len(flags.strings("mount-only")) > 0 {
			return errors.New("error while processing flag `mount`: flag `--mount` conflicts with `--mount-only`")
		}
		// limactl puts the --mount entries, last one first, before the
		// template's mounts.
		entries := slices.Clone(flags.strings("mount"))
		slices.Reverse(entries)
		mounts, err := a.parseMountList(entries)
		if err != nil {
			return fmt.Errorf("error while processing flag `mount`: %w", err)
		}
		inst.Mounts = append(mounts, inst.Mounts...)
	}
	if flags.changed("mount-only") {
		mounts, err := a.parseMountList(flags.strings("mount-only"))
		if err != nil {
			return fmt.Errorf("error while processing flag `mount-only`: %w", err)
		}
		inst.Mounts = mounts
	}
	if flags.changed("mount-none") {
		for _, other := range []string{"mount", "mount-only"} {
			if len(flags.strings(other)) > 0 {
				return fmt.Errorf("error while processing flag `mount-none`: flag `--mount-none` conflicts with `%s`", other)
			}
		}
		inst.Mounts = []fakestate.Mount{}
	}
	if flags.changed("mount-writable") {
		for i := range inst.Mounts {
			inst.Mounts[i].Writable = flags.boolValue("mount-writable")
		}
	}
	if flags.changed("disk") {
		inst.Disk = flags.float32Text("disk") + "GiB"
	}
	return nil
}

// downloadImages prints limactl's download lines for the first image of
// the instance's architecture, with its kernel and initrd. With the
// offlineImage fault every candidate fails, as without internet.
func (a *app) downloadImages(inst fakestate.Instance) error {
	var candidates []fakestate.Image
	for _, image := range inst.Images {
		if image.Arch == inst.Arch {
			candidates = append(candidates, image)
		}
	}
	if len(candidates) == 0 {
		return fmt.Errorf("fake limactl has no image for arch %#q", inst.Arch)
	}
	if a.offlineImageFault(inst.Name) {
		var errs []error
		for _, image := range candidates {
			a.logDownloadAttempt("the image", image.File)
			errs = append(errs, fmt.Errorf("failed to download %#q: %s", image.Location, offlineCause(image.Location)))
		}
		return errors.Join(errs...)
	}
	image := candidates[0]
	a.logDownload("the image", image.File)
	if image.Kernel != nil {
		a.logDownload("the kernel", image.Kernel.File)
	}
	if image.Initrd != nil {
		a.logDownload("the initrd", *image.Initrd)
	}
	return nil
}

func (a *app) logDownloadAttempt(description string, file fakestate.File) {
	a.slowLog.info("Attempting to download "+description,
		field{"location", file.Location}, field{"arch", file.Arch}, field{"digest", file.Digest})
}

func (a *app) logDownload(description string, file fakestate.File) {
	a.logDownloadAttempt(description, file)
	a.slowLog.info(fmt.Sprintf("Downloaded %s from %#q", description, file.Location))
}

// offlineCause is the error Go's HTTP client returned on the machine the
// records come from, which had no DNS for outside names.
func offlineCause(location string) string {
	parsed, err := url.Parse(location)
	if err != nil || parsed.Host == "" {
		return fmt.Sprintf("open %s: no such file or directory", location)
	}
	return fmt.Sprintf("Get %q: dial tcp: lookup %s on 10.255.255.53:53: no such host", location, parsed.Hostname())
}

// imageSize is the virtual disk size of the fake's images: 3GiB for the
// local Debian image, as recorded.
//
// NOTE: 3.5GiB for the Ubuntu cloud image is an estimate, not a record.
func imageSize(inst fakestate.Instance) int64 {
	if inst.Catalog {
		return 3584 << 20
	}
	return 3 << 30
}

// resizeDisk prints the resize line of limactl's first boot preparation and
// fails, as limactl does, when the disk would shrink.
func (a *app) resizeDisk(inst fakestate.Instance) int {
	disk, _ := sizeInBytes(inst.Disk)
	image := imageSize(inst)
	if disk == image {
		return 0
	}
	a.slowLog.info(fmt.Sprintf("Resize instance %s's disk from %s to %s", inst.Name, formatBytes(float64(image)), formatBytes(float64(disk))))
	if disk < image {
		return a.slowLog.fatal("disk shrinking is not supported")
	}
	return 0
}
