package assets

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// No YAML library is in the module graph, so these tests read the template
// with a strict reader for the small YAML subset it uses. Anything outside
// that subset is reported as a problem, so the template stays readable by
// these checks.

// templateDoc is the template as read by readTemplate.
type templateDoc struct {
	scalars map[string]string              // top-level key: value
	lists   map[string][]map[string]string // top-level key with "- key: value" items
	maps    map[string]map[string]string   // top-level key with "  key: value" entries
}

var (
	pinnedImage   = regexp.MustCompile(`^https://cloud-images\.ubuntu\.com/releases/questing/release-(\d{8})/ubuntu-25\.10-server-cloudimg-(amd64|arm64)\.img$`)
	currentImage  = regexp.MustCompile(`^https://cloud-images\.ubuntu\.com/releases/questing/release/ubuntu-25\.10-server-cloudimg-(amd64|arm64)\.img$`)
	sha256Digest  = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	ubuntuArchOf  = map[string]string{"x86_64": "amd64", "aarch64": "arm64"}
	imageKeys     = map[string]bool{"location": true, "arch": true, "digest": true}
	templateLists = map[string]bool{"images": true, "mounts": true}
)

// readTemplate reads data as top-level keys whose values are scalars,
// block lists of flat maps, or flat maps. It returns the problems it met.
func readTemplate(data []byte) (templateDoc, []string) {
	doc := templateDoc{
		scalars: map[string]string{},
		lists:   map[string][]map[string]string{},
		maps:    map[string]map[string]string{},
	}
	var problems []string
	section := ""
	for i, line := range strings.Split(string(data), "\n") {
		where := fmt.Sprintf("line %d", i+1)
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if strings.Contains(line, "\t") {
			problems = append(problems, where+": contains a tab")
			continue
		}
		switch {
		case strings.HasPrefix(line, "- "):
			key, value, err := splitEntry(line[2:])
			if err != nil || !templateLists[section] {
				problems = append(problems, fmt.Sprintf("%s: unexpected list item %q", where, line))
				continue
			}
			doc.lists[section] = append(doc.lists[section], map[string]string{key: value})
		case strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   "):
			key, value, err := splitEntry(line[2:])
			if err != nil || section == "" {
				problems = append(problems, fmt.Sprintf("%s: unexpected entry %q", where, line))
				continue
			}
			if problem := addNested(&doc, section, key, value); problem != "" {
				problems = append(problems, where+": "+problem)
			}
		case line[0] != ' ' && line[0] != '-':
			key, value, err := splitEntry(line)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", where, err))
				continue
			}
			if _, dup := doc.scalars[key]; dup || doc.lists[key] != nil || doc.maps[key] != nil {
				problems = append(problems, fmt.Sprintf("%s: key %q appears twice", where, key))
			}
			section = ""
			if value == "" {
				section = key
			} else {
				doc.scalars[key] = value
			}
		default:
			problems = append(problems, fmt.Sprintf("%s: unexpected indentation in %q", where, line))
		}
	}
	return doc, problems
}

// addNested adds key to the last list item of section, or to the map of
// section when section is not a list.
func addNested(doc *templateDoc, section, key, value string) string {
	if templateLists[section] {
		items := doc.lists[section]
		if len(items) == 0 {
			return fmt.Sprintf("entry %q before the first item of %s", key, section)
		}
		item := items[len(items)-1]
		if _, dup := item[key]; dup {
			return fmt.Sprintf("key %q appears twice in one item of %s", key, section)
		}
		item[key] = value
		return ""
	}
	if doc.maps[section] == nil {
		doc.maps[section] = map[string]string{}
	}
	if _, dup := doc.maps[section][key]; dup {
		return fmt.Sprintf("key %q appears twice in %s", key, section)
	}
	doc.maps[section][key] = value
	return ""
}

// splitEntry splits "key: value" and unquotes a double-quoted value.
func splitEntry(text string) (key, value string, err error) {
	key, value, ok := strings.Cut(text, ":")
	if !ok || key == "" || strings.ContainsAny(key, ` "'`) {
		return "", "", fmt.Errorf("%q is not a key: value entry", text)
	}
	value = strings.TrimSpace(value)
	if strings.HasPrefix(value, `"`) {
		return key, unquoteOrKeep(value), nil
	}
	if strings.Contains(value, " #") {
		return "", "", fmt.Errorf("%q has a comment after the value", text)
	}
	return key, value, nil
}

func unquoteOrKeep(value string) string {
	unquoted, err := strconv.Unquote(value)
	if err != nil {
		return value
	}
	return unquoted
}

// templateProblems lists every way data breaks what aisand expects of its
// default template.
func templateProblems(data []byte) []string {
	doc, problems := readTemplate(data)
	if v := doc.scalars["minimumLimaVersion"]; v != "2.0.0" {
		problems = append(problems, fmt.Sprintf("minimumLimaVersion is %q, want 2.0.0", v))
	}
	problems = append(problems, imageProblems(doc.lists["images"])...)
	problems = append(problems, mountProblems(doc.lists["mounts"])...)
	containerd := doc.maps["containerd"]
	for _, mode := range []string{"system", "user"} {
		if containerd[mode] != "false" {
			problems = append(problems, fmt.Sprintf("containerd.%s is %q, want false", mode, containerd[mode]))
		}
	}
	return problems
}

// imageProblems checks that each architecture has a pinned image with a
// digest first and the current release image as a later fallback.
func imageProblems(images []map[string]string) []string {
	var problems []string
	firstFallback := len(images)
	pinnedDates := map[string]bool{}
	digests := map[string]bool{}
	pinned := map[string]int{}
	fallback := map[string]int{}
	for i, image := range images {
		for key := range image {
			if !imageKeys[key] {
				problems = append(problems, fmt.Sprintf("images[%d] has the unknown key %q", i, key))
			}
		}
		arch := image["arch"]
		ubuntuArch, known := ubuntuArchOf[arch]
		if !known {
			problems = append(problems, fmt.Sprintf("images[%d] has the architecture %q, want x86_64 or aarch64", i, arch))
			continue
		}
		location, digest := image["location"], image["digest"]
		if m := pinnedImage.FindStringSubmatch(location); m != nil {
			pinned[arch]++
			pinnedDates[m[1]] = true
			if m[2] != ubuntuArch {
				problems = append(problems, fmt.Sprintf("images[%d] is a %s image marked %s", i, m[2], arch))
			}
			if !sha256Digest.MatchString(digest) {
				problems = append(problems, fmt.Sprintf("images[%d] has the digest %q, want sha256: and 64 hex digits", i, digest))
			}
			if digests[digest] {
				problems = append(problems, fmt.Sprintf("images[%d] repeats the digest %q", i, digest))
			}
			digests[digest] = true
			if i > firstFallback {
				problems = append(problems, fmt.Sprintf("images[%d] is pinned but follows a fallback image", i))
			}
			continue
		}
		if m := currentImage.FindStringSubmatch(location); m != nil {
			fallback[arch]++
			firstFallback = min(firstFallback, i)
			if m[1] != ubuntuArch {
				problems = append(problems, fmt.Sprintf("images[%d] is a %s image marked %s", i, m[1], arch))
			}
			if digest != "" {
				problems = append(problems, fmt.Sprintf("images[%d] is a current image with a digest, which breaks at the next Ubuntu update", i))
			}
			continue
		}
		problems = append(problems, fmt.Sprintf("images[%d] has the unexpected location %q", i, location))
	}
	for arch := range ubuntuArchOf {
		if pinned[arch] != 1 || fallback[arch] != 1 {
			problems = append(problems, fmt.Sprintf("%s has %d pinned and %d fallback images, want 1 and 1", arch, pinned[arch], fallback[arch]))
		}
	}
	if len(pinnedDates) > 1 {
		problems = append(problems, fmt.Sprintf("pinned images come from %d release dates, want one", len(pinnedDates)))
	}
	return problems
}

// mountProblems checks that the only mount is the read-only home folder.
func mountProblems(mounts []map[string]string) []string {
	if len(mounts) != 1 {
		return []string{fmt.Sprintf("template has %d mounts, want only the home folder", len(mounts))}
	}
	var problems []string
	if mounts[0]["location"] != "~" {
		problems = append(problems, fmt.Sprintf("mount location is %q, want ~", mounts[0]["location"]))
	}
	if mounts[0]["writable"] != "false" {
		problems = append(problems, fmt.Sprintf("home mount writable is %q, want false", mounts[0]["writable"]))
	}
	for key := range mounts[0] {
		if key != "location" && key != "writable" {
			problems = append(problems, fmt.Sprintf("home mount has the unexpected key %q", key))
		}
	}
	return problems
}

func TestTemplateEmbedsFile(t *testing.T) {
	onDisk, err := os.ReadFile("template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(Template, onDisk) {
		t.Error("Template differs from template.yaml")
	}
}

func TestTemplateFields(t *testing.T) {
	for _, problem := range templateProblems(Template) {
		t.Error(problem)
	}
}

func TestTemplateReadsBothArchitectures(t *testing.T) {
	doc, problems := readTemplate(Template)
	if len(problems) > 0 {
		t.Fatalf("template is outside the YAML subset: %q", problems)
	}
	archs := map[string]int{}
	for _, image := range doc.lists["images"] {
		archs[image["arch"]]++
	}
	if archs["x86_64"] != 2 || archs["aarch64"] != 2 || len(archs) != 2 {
		t.Errorf("images per architecture = %v, want 2 for x86_64 and aarch64 only", archs)
	}
}

// TestTemplateChecksCatchMistakes changes one line of the template at a
// time and expects templateProblems to notice.
func TestTemplateChecksCatchMistakes(t *testing.T) {
	text := string(Template)
	digest := "sha256:8dcdab6de56c2f4b56236d33909a7c5d79217469c2a76b6cd3cde969d63522a8"
	mutations := map[string][2]string{
		"writable home":     {"  writable: false", "  writable: true"},
		"containerd user":   {"  user: false", "  user: true"},
		"containerd system": {"  system: false", "  system: true"},
		"missing digest":    {"  digest: \"" + digest + "\"\n", ""},
		"short digest":      {digest, digest[:20]},
		"wrong arch":        {`  arch: "aarch64"`, `  arch: "riscv64"`},
		"old version":       {"minimumLimaVersion: 2.0.0", "minimumLimaVersion: 1.0.0"},
		"tab indentation":   {"  writable: false", "\twritable: false"},
		"misspelled key":    {"  digest: \"" + digest, "  digets: \"" + digest},
		"other release":     {"releases/questing/release/", "releases/plucky/release/"},
	}
	for name, m := range mutations {
		if !strings.Contains(text, m[0]) {
			t.Fatalf("%s: template has no %q to change", name, m[0])
		}
		changed := strings.Replace(text, m[0], m[1], 1)
		if problems := templateProblems([]byte(changed)); len(problems) == 0 {
			t.Errorf("%s: templateProblems found nothing", name)
		}
	}
}
