# shellcheck shell=bash
# Reports, in one run, which of aisand's tools are installed in the guest,
# and whether the setup their install script adds is in place.
#
# Usage: cat lib.sh probe.sh | bash -s GUEST_HOME HOST_HOME
#   GUEST_HOME  the guest user's home folder, for example /home/alice.guest
#   HOST_HOME   the host user's home folder as mounted in the guest
#
# Prints one line per tool, and nothing else on stdout:
#   tool=NAME state=installed path=ABSOLUTE_PATH
#   tool=NAME state=incomplete missing=PART[,PART...] path=ABSOLUTE_PATH
#   tool=NAME state=missing
# The path is the last field and runs to the end of the line, so it may
# contain spaces. A tool counts as present when its executable is on PATH
# or in one of the places its installer uses, because a non-login shell may
# lack those on PATH. It is incomplete when the executable is present but
# some part that its install script adds is not:
#   login-line   the line in the login profile that puts it on PATH
#   config-link  ~/.config/opencode linking to the host's folder
#   auth-link    ~/.local/share/opencode/auth.json linking to the host's file

# Prints one tool's line. missing is a comma-separated list of the absent
# parts, empty when none is.
report() {
	local name=$1 path=$2 missing=$3
	if [[ -z $path ]]; then
		printf 'tool=%s state=missing\n' "$name"
	elif [[ -z $missing ]]; then
		printf 'tool=%s state=installed path=%s\n' "$name" "$path"
	else
		printf 'tool=%s state=incomplete missing=%s path=%s\n' "$name" "$missing" "$path"
	fi
}

# Prints the first executable among the candidates, in order. The word PATH
# stands for a lookup on PATH.
find_executable() {
	local name=$1 candidate found
	shift
	for candidate in "$@"; do
		if [[ $candidate == PATH ]]; then
			if found=$(command -v "$name") && [[ $found == /* ]]; then
				printf '%s\n' "$found"
				return 0
			fi
		elif [[ -f $candidate && -x $candidate ]]; then
			printf '%s\n' "$candidate"
			return 0
		fi
	done
	return 1
}

# brew.sh looks in Homebrew's two prefixes before PATH and adds a shellenv
# line with the path it found.
probe_brew() {
	local guest_home=$1 brew="" missing=""
	if brew=$(find_executable brew /home/linuxbrew/.linuxbrew/bin/brew "$guest_home/.linuxbrew/bin/brew" PATH); then
		has_login_line "$guest_home" "$(brew_login_line "$brew")" || missing=login-line
	fi
	report brew "$brew" "$missing"
}

# opencode.sh looks on PATH first, adds a PATH line only for its own
# installer's folder, and links the config and credentials to the host.
probe_opencode() {
	local guest_home=$1 host_home=$2 opencode="" parts=()
	if opencode=$(find_executable opencode PATH "$guest_home/.opencode/bin/opencode"); then
		if [[ $opencode == "$guest_home/.opencode/bin/opencode" ]]; then
			has_login_line "$guest_home" "$(opencode_login_line)" || parts+=(login-line)
		fi
		links_to "$guest_home/.config/opencode" "$host_home/.config/opencode" || parts+=(config-link)
		links_to "$guest_home/.local/share/opencode/auth.json" "$host_home/.local/share/opencode/auth.json" ||
			parts+=(auth-link)
	fi
	local IFS=,
	report opencode "$opencode" "${parts[*]}"
}

main() {
	if (($# != 2)) || [[ $1 != /* || $2 != /* ]]; then
		fail "expected two arguments, the absolute paths of the guest home and the host home"
	fi
	local guest_home=$1 host_home=$2

	probe_brew "$guest_home"
	probe_opencode "$guest_home" "$host_home"
}

main "$@" </dev/null
