package tools

import (
	"strings"
	"testing"
)

func TestParseProbeInstalledAndMissing(t *testing.T) {
	output := "tool=brew state=installed path=/home/linuxbrew/.linuxbrew/bin/brew\n" +
		"tool=opencode state=missing\n"

	states, err := ParseProbe([]byte(output))
	if err != nil {
		t.Fatalf("ParseProbe: %v", err)
	}

	brew := states["brew"]
	if !brew.Installed {
		t.Errorf("brew: Installed = false, want true")
	}
	if brew.Path != "/home/linuxbrew/.linuxbrew/bin/brew" {
		t.Errorf("brew: Path = %q, want /home/linuxbrew/.linuxbrew/bin/brew", brew.Path)
	}
	opencode := states["opencode"]
	if opencode.Installed {
		t.Errorf("opencode: Installed = true, want false")
	}
	if opencode.Path != "" {
		t.Errorf("opencode: Path = %q, want empty", opencode.Path)
	}
	if len(states) != len(Catalog()) {
		t.Errorf("got %d states, want one per catalog tool (%d)", len(states), len(Catalog()))
	}
}

func TestParseProbePathWithSpaces(t *testing.T) {
	output := "tool=brew state=missing\n" +
		"tool=opencode state=installed path=/home/a b/.opencode/bin/opencode\r\n"

	states, err := ParseProbe([]byte(output))
	if err != nil {
		t.Fatalf("ParseProbe: %v", err)
	}
	if got := states["opencode"].Path; got != "/home/a b/.opencode/bin/opencode" {
		t.Errorf("opencode: Path = %q, want the full path with its space", got)
	}
}

func TestParseProbeIgnoresUnknownLines(t *testing.T) {
	output := "Welcome to Ubuntu\n" +
		"\n" +
		"tool=brew state=missing version=none\n" +
		"tool=futuretool state=installed path=/usr/bin/futuretool\n" +
		"some other noise=1\n" +
		"tool=opencode state=installed path=/usr/local/bin/opencode\n"

	states, err := ParseProbe([]byte(output))
	if err != nil {
		t.Fatalf("ParseProbe: %v", err)
	}
	if _, ok := states["futuretool"]; ok {
		t.Errorf("states contain futuretool, which is not in the catalog")
	}
	if states["brew"].Installed {
		t.Errorf("brew: Installed = true, want false")
	}
	if !states["opencode"].Installed {
		t.Errorf("opencode: Installed = false, want true")
	}
}

func TestParseProbeMissingTool(t *testing.T) {
	_, err := ParseProbe([]byte("tool=brew state=missing\n"))
	if err == nil {
		t.Fatal("ParseProbe returned no error for output without opencode")
	}
	if !strings.Contains(err.Error(), "opencode") {
		t.Errorf("error %q does not name the missing tool opencode", err)
	}
	if strings.Contains(err.Error(), "brew") {
		t.Errorf("error %q names brew, which the output reports", err)
	}
}

func TestParseProbeGarbage(t *testing.T) {
	cases := map[string]string{
		"empty":                "",
		"text only":            "bash: line 1: syntax error\n",
		"binary":               "\x00\x01\x02\xff\xfe",
		"unknown state":        "tool=brew state=maybe\ntool=opencode state=missing\n",
		"no state":             "tool=brew\ntool=opencode state=missing\n",
		"field without equals": "tool=brew state=missing junk\ntool=opencode state=missing\n",
		"empty name":           "tool= state=missing\ntool=brew state=missing\ntool=opencode state=missing\n",
		"installed no path":    "tool=brew state=installed\ntool=opencode state=missing\n",
		"relative path":        "tool=brew state=installed path=bin/brew\ntool=opencode state=missing\n",
		"reported twice":       "tool=brew state=missing\ntool=brew state=installed path=/bin/brew\ntool=opencode state=missing\n",
		"line too long":        "tool=brew state=missing x=" + strings.Repeat("a", 70000) + "\ntool=opencode state=missing\n",
	}
	for name, output := range cases {
		t.Run(name, func(t *testing.T) {
			states, err := ParseProbe([]byte(output))
			if err == nil {
				t.Fatalf("ParseProbe returned no error, states %v", states)
			}
			if states != nil {
				t.Errorf("ParseProbe returned states %v along with error %v", states, err)
			}
		})
	}
}

func TestProbeArgsRejectsBadHome(t *testing.T) {
	for _, home := range []string{"", "home/alice", "/home/a\nb"} {
		if args, err := ProbeArgs(Homes{Guest: home, Host: "/Users/alice"}); err == nil {
			t.Errorf("ProbeArgs with guest home %q = %q, want an error", home, args)
		}
		if args, err := ProbeArgs(Homes{Guest: "/home/alice.guest", Host: home}); err == nil {
			t.Errorf("ProbeArgs with host home %q = %q, want an error", home, args)
		}
	}
	args, err := ProbeArgs(Homes{Guest: "/home/alice.guest", Host: "/Users/alice"})
	if err != nil {
		t.Fatalf("ProbeArgs: %v", err)
	}
	if len(args) != 2 || args[0] != "/home/alice.guest" || args[1] != "/Users/alice" {
		t.Errorf("ProbeArgs = %q, want [/home/alice.guest /Users/alice]", args)
	}
}

func TestParseProbeIncomplete(t *testing.T) {
	output := "tool=brew state=incomplete missing=login-line path=/home/linuxbrew/.linuxbrew/bin/brew\n" +
		"tool=opencode state=incomplete missing=config-link,auth-link path=/usr/local/bin/open code\n"

	states, err := ParseProbe([]byte(output))
	if err != nil {
		t.Fatalf("ParseProbe: %v", err)
	}

	opencode := states["opencode"]
	if opencode.Installed {
		t.Error("opencode: Installed = true for an incomplete tool")
	}
	if !opencode.NeedsSetup() {
		t.Error("opencode: NeedsSetup = false, want true")
	}
	if opencode.Path != "/usr/local/bin/open code" {
		t.Errorf("opencode: Path = %q", opencode.Path)
	}
	if got := strings.Join(opencode.Missing, " "); got != PartConfigLink+" "+PartAuthLink {
		t.Errorf("opencode: Missing = %q", opencode.Missing)
	}
	if got := strings.Join(states["brew"].Missing, " "); got != PartLoginLine {
		t.Errorf("brew: Missing = %q", states["brew"].Missing)
	}
}

func TestParseProbeRejectsBadIncomplete(t *testing.T) {
	cases := map[string]string{
		"no parts":    "tool=brew state=incomplete path=/bin/brew\ntool=opencode state=missing\n",
		"empty part":  "tool=brew state=incomplete missing=a,,b path=/bin/brew\ntool=opencode state=missing\n",
		"no path":     "tool=brew state=incomplete missing=login-line\ntool=opencode state=missing\n",
		"a bare path": "tool=brew state=incomplete missing=login-line path=brew\ntool=opencode state=missing\n",
	}
	for name, output := range cases {
		t.Run(name, func(t *testing.T) {
			if states, err := ParseProbe([]byte(output)); err == nil {
				t.Errorf("ParseProbe returned no error, states %v", states)
			}
		})
	}
}

func TestStateNeedsSetup(t *testing.T) {
	cases := []struct {
		state State
		want  bool
	}{
		{State{}, false},
		{State{Installed: true, Path: "/bin/brew"}, false},
		{State{Path: "/bin/brew", Missing: []string{PartLoginLine}}, true},
	}
	for _, c := range cases {
		if got := c.state.NeedsSetup(); got != c.want {
			t.Errorf("%+v.NeedsSetup() = %v, want %v", c.state, got, c.want)
		}
	}
}
