// Package assets contains the files that aisand embeds in its binary.
package assets

import "embed"

// Scripts contains the bash scripts that aisand feeds to `bash -s` inside a
// VM, under the folder name "scripts", for example "scripts/brew.sh".
//
//go:embed scripts/*.sh
var Scripts embed.FS
