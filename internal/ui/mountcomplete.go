package ui

import (
	"errors"
	"path/filepath"

	"github.com/japacx/aisand/internal/lima"
)

// leadingFolders returns the names of subfolders of folder that are worth
// offering for completion: those the folder check could accept, or that
// contain such a folder. A folder is left out when it and everything
// inside it would be rejected: a name with a character Lima cannot mount,
// a guest system folder, or a folder that is mounted already or lies
// inside a mount other than the home folder.
func leadingFolders(folder string, names []string, mounts []lima.Mount, home string) []string {
	var kept []string
	for _, name := range names {
		path := filepath.Join(folder, name)
		if resolved, err := filepath.EvalSymlinks(path); err == nil {
			path = resolved
		}
		if lima.HidesGuestSystem(path) || insideMount(path, mounts, home) || unmountableName(path) {
			continue
		}
		kept = append(kept, name)
	}
	return kept
}

// insideMount reports whether path is one of mounts, other than the home
// folder, or lies inside one.
func insideMount(path string, mounts []lima.Mount, home string) bool {
	for _, m := range mounts {
		if isHomeMount(m, home) {
			continue
		}
		location := expandHome(m.Location, home)
		if resolved, err := filepath.EvalSymlinks(location); err == nil {
			location = resolved
		}
		if rel, err := filepath.Rel(location, path); err == nil && filepath.IsLocal(rel) {
			return true
		}
	}
	return false
}

// unmountableName reports whether the folder check rejects path for a
// character in it. Such a character stays in every path below it.
func unmountableName(path string) bool {
	_, err := lima.FolderChecker{}.Check(path, nil)
	return errors.Is(err, lima.ErrFolderCharacter)
}
