# shellcheck shell=bash
# Installs Homebrew for Linux with its official installer, after the apt
# packages it needs, and makes brew available to the guest user's login
# shells.
#
# Usage: cat lib.sh brew.sh | bash -s GUEST_HOME [HOST_HOME]
#   GUEST_HOME  the guest user's home folder, for example /home/alice.guest
#   HOST_HOME   accepted so that every install script takes the same
#               arguments, and not used
#
# Runs as the guest user, who needs sudo without a password (Lima's default),
# in a login shell or not. bash reads the whole of main before running it,
# so no command can read the rest of the script from stdin, and main's stdin
# is /dev/null so that nothing waits for input. Running the script again
# changes nothing.
#
# AISAND_APT_LOCK_WAIT (seconds, default 600) bounds the wait for apt and
# dpkg locks held by other processes, such as automatic upgrades after boot.
# AISAND_APT_RETRY_PAUSE (seconds, default 5) is the pause between attempts.

readonly installer_url=https://raw.githubusercontent.com/Homebrew/install/HEAD/install.sh
readonly prerequisites=(build-essential procps curl file git)
readonly lock_wait=${AISAND_APT_LOCK_WAIT:-600}
readonly retry_pause=${AISAND_APT_RETRY_PAUSE:-5}

missing_packages() {
	local package status
	for package in "$@"; do
		status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null) || status=""
		[[ $status == "install ok installed" ]] || printf '%s\n' "$package"
	done
}

# Runs apt-get as root. The DPkg::Lock::Timeout option makes apt-get wait for
# the dpkg locks, but not for the lists lock of apt-get update or the
# archives lock. So a failure that names a lock is retried until lock_wait
# runs out. LC_ALL=C keeps apt's messages in English for that check.
apt_get() {
	local deadline=$((SECONDS + lock_wait)) errors=$work_dir/apt-errors status remaining
	while true; do
		status=0
		remaining=$((deadline - SECONDS))
		((remaining > 0)) || remaining=0
		sudo -n env DEBIAN_FRONTEND=noninteractive LC_ALL=C \
			apt-get -o DPkg::Lock::Timeout="$remaining" "$@" 2>"$errors" || status=$?
		cat -- "$errors" >&2
		if ((status == 0)); then
			return 0
		fi
		if ! grep -qE 'Could not get lock|Unable to lock|Unable to acquire the dpkg frontend lock' "$errors"; then
			fail "apt-get $* failed (exit status $status)"
		fi
		if ((SECONDS >= deadline)); then
			fail "apt-get $* timed out after $lock_wait seconds of waiting for the apt lock, which another process such as automatic upgrades still holds. Try again later."
		fi
		say "apt is locked by another process, such as automatic upgrades, so retrying in $retry_pause seconds"
		sleep "$retry_pause"
	done
}

install_prerequisites() {
	local missing
	mapfile -t missing < <(missing_packages "${prerequisites[@]}")
	if ((${#missing[@]} == 0)); then
		say "the packages Homebrew needs are already installed"
		return 0
	fi
	say "installing ${missing[*]} with apt"
	apt_get update
	apt_get install -y --no-install-recommends "${missing[@]}"
}

# Prints the path of the brew executable, if any. The installer uses
# /home/linuxbrew/.linuxbrew when it can sudo, and Homebrew's Linux docs name
# ~/.linuxbrew for an installation without sudo. A non-login shell has
# neither on PATH.
find_brew() {
	local guest_home=$1 candidate found
	for candidate in /home/linuxbrew/.linuxbrew/bin/brew "$guest_home/.linuxbrew/bin/brew"; do
		if [[ -x $candidate ]]; then
			printf '%s\n' "$candidate"
			return 0
		fi
	done
	if found=$(command -v brew) && [[ $found == /* ]]; then
		printf '%s\n' "$found"
		return 0
	fi
	return 1
}

run_installer() {
	local guest_home=$1 installer=$work_dir/install.sh status=0

	download_installer "the Homebrew installer" "$installer_url" "$installer"

	HOME=$guest_home NONINTERACTIVE=1 bash "$installer" || status=$?
	if ((status != 0)); then
		fail "the Homebrew installer failed (exit status $status)"
	fi
}

main() {
	(($# >= 1 && $# <= 2)) || fail "expected the arguments GUEST_HOME [HOST_HOME], got $# arguments"
	local guest_home=$1 brew
	[[ $guest_home == /* ]] || fail "GUEST_HOME must be an absolute path, got '$guest_home'"
	[[ -d $guest_home ]] || fail "the guest home $guest_home does not exist"
	make_work_dir

	install_prerequisites

	if brew=$(find_brew "$guest_home"); then
		say "Homebrew is already installed at $brew"
	else
		run_installer "$guest_home"
		brew=$(find_brew "$guest_home") ||
			fail "the Homebrew installer finished, but no brew executable was found in /home/linuxbrew/.linuxbrew/bin or $guest_home/.linuxbrew/bin"
		say "installed Homebrew at $brew"
	fi
	add_login_line "$guest_home" "$(brew_login_line "$brew")"

	say "brew is ready"
}

main "$@" </dev/null
