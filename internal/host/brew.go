package host

import (
	"fmt"
	"path/filepath"
	"strings"
)

// brewFolders returns the folders where Homebrew's installer puts brew,
// in the order they are searched: Apple silicon, Intel macOS, Linux with
// sudo, and Linux without sudo. A fresh install is often not on PATH yet.
func brewFolders(sys System) []string {
	folders := []string{
		"/opt/homebrew/bin",
		"/usr/local/bin",
		"/home/linuxbrew/.linuxbrew/bin",
	}
	if home := sys.Getenv("HOME"); home != "" {
		folders = append(folders, filepath.Join(home, ".linuxbrew", "bin"))
	}
	return folders
}

// FindBrew returns the path of brew, looked up on PATH first and then in
// Homebrew's usual folders. onPath reports whether PATH had it. The path is
// empty when brew was found nowhere.
func FindBrew(sys System) (path string, onPath bool) {
	if path, err := sys.LookPath("brew"); err == nil {
		return path, true
	}
	for _, folder := range brewFolders(sys) {
		candidate := filepath.Join(folder, "brew")
		if checkExecutable(sys, candidate) == nil {
			return candidate, false
		}
	}
	return "", false
}

// Activation is the result of ActivateBrew.
type Activation struct {
	// Brew is the path of the brew that was found.
	Brew string
	// AddedToPath reports whether ActivateBrew put brew's folder at the
	// front of this process's PATH.
	AddedToPath bool
	// Profile is the line that makes brew available to new shells, and
	// the file it belongs in. It is set only when brew was not on PATH.
	Profile *ProfileLine
}

// ActivateBrew finds brew after a fresh Homebrew install and, when it is
// not on PATH, prepends its folder to this process's PATH, so that later
// checks and steps, and limactl itself, find brew and what it installs.
// It returns an error when brew is found nowhere.
func ActivateBrew(sys System) (Activation, error) {
	brew, onPath := FindBrew(sys)
	if brew == "" {
		return Activation{}, fmt.Errorf("brew was not found on PATH or in %s", strings.Join(brewFolders(sys), ", "))
	}
	activation := Activation{Brew: brew}
	if onPath {
		return activation, nil
	}
	folder := folderOf(brew)
	path := sys.Getenv("PATH")
	if path != "" {
		path = folder + string(filepath.ListSeparator) + path
	} else {
		path = folder
	}
	if err := sys.Setenv("PATH", path); err != nil {
		return activation, fmt.Errorf("adding %s to PATH: %w", folder, err)
	}
	activation.AddedToPath = true
	profile := ProfileFor(sys, brew)
	activation.Profile = &profile
	return activation, nil
}

// ProfileLine is a line for the user's shell start-up file.
type ProfileLine struct {
	// File is the absolute path of the start-up file.
	File string
	// Line is the text to add to it.
	Line string
}

// ProfileFor returns the line that puts brew on PATH for new shells, and
// the start-up file for the user's $SHELL. The files are those Homebrew's
// own installer suggests: on macOS login shells read ~/.zprofile and
// ~/.bash_profile, while Linux terminals start interactive shells that
// read ~/.zshrc and ~/.bashrc.
func ProfileFor(sys System, brew string) ProfileLine {
	home := sys.Getenv("HOME")
	zshFolder := sys.Getenv("ZDOTDIR")
	if zshFolder == "" {
		zshFolder = home
	}
	linux := sys.GOOS() == "linux"
	line := fmt.Sprintf(`eval "$(%s shellenv)"`, shellQuote(brew))

	switch shell := filepath.Base(sys.Getenv("SHELL")); {
	case strings.HasPrefix(shell, "zsh"):
		if linux {
			return ProfileLine{File: filepath.Join(zshFolder, ".zshrc"), Line: line}
		}
		return ProfileLine{File: filepath.Join(zshFolder, ".zprofile"), Line: line}
	case strings.HasPrefix(shell, "bash"):
		if linux {
			return ProfileLine{File: filepath.Join(home, ".bashrc"), Line: line}
		}
		return ProfileLine{File: filepath.Join(home, ".bash_profile"), Line: line}
	case strings.HasPrefix(shell, "fish"):
		// fish has no $(...) and reads the shellenv output from a pipe.
		return ProfileLine{
			File: filepath.Join(home, ".config", "fish", "config.fish"),
			Line: shellQuote(brew) + " shellenv | source",
		}
	default:
		return ProfileLine{File: filepath.Join(home, ".profile"), Line: line}
	}
}

func brewOffPathNotice(sys System, brew string) Notice {
	profile := ProfileFor(sys, brew)
	return Notice{
		Message: fmt.Sprintf("Homebrew is installed in %s, which is not on PATH", folderOf(brew)),
		Reason:  "New shells do not find brew or the programs it installed, such as limactl.",
		Action:  fmt.Sprintf("Add this line to %s:", profile.File),
		Command: profile.Line,
	}
}

// shellQuote returns word unchanged when a shell reads it literally, and
// single-quoted otherwise.
func shellQuote(word string) string {
	literal := word != ""
	for _, c := range word {
		isSafe := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("/._-+:@%,", c)
		if !isSafe {
			literal = false
			break
		}
	}
	if literal {
		return word
	}
	return "'" + strings.ReplaceAll(word, "'", `'\''`) + "'"
}
