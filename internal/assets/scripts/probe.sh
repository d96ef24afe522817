#!/usr/bin/env bash
set -euo pipefail

# Reports, in one run, which of aisand's tools are installed in the guest.
#
# Usage: bash -s GUEST_HOME < probe.sh
#   GUEST_HOME  the guest user's home folder, for example /home/alice.guest
#
# Prints one line per tool, and nothing else on stdout:
#   tool=NAME state=installed path=ABSOLUTE_PATH
#   tool=NAME state=missing
# The path is the last field and runs to the end of the line, so it may
# contain spaces. A tool counts as installed when its executable is on PATH
# or in one of the places its installer uses, because a non-login shell may
# lack those on PATH.

report() {
	local name=$1 found candidate
	shift
	if found=$(command -v "$name") && [[ $found == /* ]]; then
		printf 'tool=%s state=installed path=%s\n' "$name" "$found"
		return 0
	fi
	for candidate in "$@"; do
		if [[ -f $candidate && -x $candidate ]]; then
			printf 'tool=%s state=installed path=%s\n' "$name" "$candidate"
			return 0
		fi
	done
	printf 'tool=%s state=missing\n' "$name"
}

main() {
	if (($# != 1)) || [[ $1 != /* ]]; then
		printf 'aisand: expected one argument, the absolute path of the guest home\n' >&2
		exit 1
	fi
	local guest_home=$1

	report brew /home/linuxbrew/.linuxbrew/bin/brew "$guest_home/.linuxbrew/bin/brew"
	report opencode "$guest_home/.opencode/bin/opencode"
}

main "$@" </dev/null
