// Package assets contains the files that aisand embeds in its binary.
package assets

import "embed"

// Scripts contains the bash scripts that aisand feeds to `bash -s` inside a
// VM, under the folder name "scripts", for example "scripts/brew.sh".
// scripts/lib.sh contains the functions they share, and package tools puts
// it in front of each script before handing the script out.
//
//go:embed scripts/*.sh
var Scripts embed.FS
