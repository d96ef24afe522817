#!/usr/bin/env bash
set -euo pipefail

# Functions shared by aisand's guest scripts. internal/tools puts this file
# in front of every install script and the probe script, and the result
# goes to `bash -s` on stdin, where no second file can be sourced. So the
# lines above are the first ones of every script that runs in the guest.
#
# Nothing here reads stdin or runs anything but definitions. To run or
# check a script by hand, join the two files first:
#   cat lib.sh probe.sh | bash -s GUEST_HOME HOST_HOME
#   cat lib.sh probe.sh | shellcheck --shell=bash -

say() {
	printf 'aisand: %s\n' "$*"
}

fail() {
	printf 'aisand: %s\n' "$*" >&2
	exit 1
}

work_dir="" # temporary folder of an install script, made by make_work_dir

remove_work_dir() {
	[[ -z $work_dir ]] || rm -rf -- "$work_dir"
}

# Creates work_dir, which is removed when the script exits.
make_work_dir() {
	trap remove_work_dir EXIT
	work_dir=$(mktemp -d)
}

# Downloads an installer to a file over HTTPS, or fails naming it.
# Usage: download_installer LABEL URL FILE, where LABEL is for example
# "the Homebrew installer".
download_installer() {
	local label=$1 url=$2 file=$3 status=0
	say "downloading $label from $url"
	curl -fsSL --proto '=https' --retry 3 -o "$file" "$url" || status=$?
	if ((status != 0)); then
		fail "downloading $label from $url failed (curl exit status $status)"
	fi
}

# Prints the file bash reads at login: the first of these that exists, or
# ~/.profile when none does.
login_profile() {
	local guest_home=$1 name
	for name in .bash_profile .bash_login .profile; do
		if [[ -e $guest_home/$name ]]; then
			printf '%s\n' "$guest_home/$name"
			return 0
		fi
	done
	printf '%s\n' "$guest_home/.profile"
}

has_login_line() {
	local guest_home=$1 line=$2 profile
	profile=$(login_profile "$guest_home")
	[[ -f $profile ]] && grep -qxF -- "$line" "$profile"
}

add_login_line() {
	local guest_home=$1 line=$2 profile
	if has_login_line "$guest_home" "$line"; then
		return 0
	fi
	profile=$(login_profile "$guest_home")
	printf '\n# Added by aisand\n%s\n' "$line" >>"$profile"
	say "added '$line' to $profile"
}

# Prints the login line that puts the brew at the given path on PATH.
brew_login_line() {
	local brew=$1
	# shellcheck disable=SC2016 # $(...) is for the login shell to run
	printf 'eval "$(%q shellenv)"\n' "$brew"
}

# Prints the login line that puts ~/.opencode/bin, where the OpenCode
# installer puts opencode, on PATH.
opencode_login_line() {
	# shellcheck disable=SC2016 # the login shell expands $HOME and $PATH
	printf '%s\n' 'export PATH="$HOME/.opencode/bin:$PATH"'
}

links_to() {
	local link=$1 target=$2
	[[ -L $link && $(readlink -- "$link") == "$target" ]]
}
