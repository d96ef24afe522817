package assets

import _ "embed"

// Template is the default Lima template for new VMs, in YAML: Ubuntu 25.10
// for aarch64 and x86_64 with pinned image digests, the host home folder
// mounted read-only, and containerd off. Treat it as read-only.
//
//go:embed template.yaml
var Template []byte
