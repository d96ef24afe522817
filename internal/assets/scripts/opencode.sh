# shellcheck shell=bash
# Installs OpenCode for the guest user and signs it in by linking its
# config and credentials to the host home, which the VM mounts read-only at
# the same path. No key is copied into the VM.
#
# Usage: cat lib.sh opencode.sh | bash -s GUEST_HOME HOST_HOME
#   GUEST_HOME  the guest user's home folder, for example /home/alice.guest
#   HOST_HOME   the host user's home folder as mounted in the guest
#
# Runs as the guest user, in a login shell or not. bash reads the whole of
# main before running it, so no command can read the rest of the script from
# stdin, and main's stdin is /dev/null so that nothing waits for input.
# Running the script again changes nothing.

readonly installer_url=https://opencode.ai/install

require_absolute_path() {
	local label=$1 value=$2
	[[ $value == /* ]] || fail "$label must be an absolute path, got '$value'"
}

# Prints the path of an installed opencode executable, if any. The installer
# puts it in ~/.opencode/bin, which a non-login shell may lack on PATH.
find_opencode() {
	local guest_home=$1 found
	if found=$(command -v opencode) && [[ $found == /* ]]; then
		printf '%s\n' "$found"
		return 0
	fi
	if [[ -x $guest_home/.opencode/bin/opencode ]]; then
		printf '%s\n' "$guest_home/.opencode/bin/opencode"
		return 0
	fi
	return 1
}

run_installer() {
	local guest_home=$1 installer=$work_dir/install status=0

	download_installer "the OpenCode installer" "$installer_url" "$installer"

	# --no-modify-path because the installer would add its PATH line to
	# ~/.bashrc, which Ubuntu skips for non-interactive shells. The login
	# profile gets the line below instead.
	HOME=$guest_home bash "$installer" --no-modify-path || status=$?
	if ((status != 0)); then
		fail "the OpenCode installer failed (exit status $status)"
	fi
}

# Prints an unused name for moving the given path aside: the path followed by
# .aisand-backup- and a UTC timestamp.
backup_name() {
	local path=$1 stamp candidate counter=1
	stamp=$(date -u +%Y%m%dT%H%M%SZ)
	candidate="$path.aisand-backup-$stamp"
	while [[ -e $candidate || -L $candidate ]]; do
		counter=$((counter + 1))
		candidate="$path.aisand-backup-$stamp-$counter"
	done
	printf '%s\n' "$candidate"
}

# Makes LINK a symbolic link to TARGET. Whatever is at LINK already, a file,
# a folder or a link elsewhere, is renamed, never deleted. A link that
# already points at TARGET is left alone.
link_to_host() {
	local target=$1 link=$2 backup
	if links_to "$link" "$target"; then
		say "$link already links to $target"
		return 0
	fi
	if [[ -e $link || -L $link ]]; then
		backup=$(backup_name "$link")
		mv -- "$link" "$backup"
		say "moved $link aside to $backup"
	fi
	mkdir -p -- "$(dirname -- "$link")"
	ln -s -- "$target" "$link"
	say "linked $link to $target"
}

main() {
	(($# == 2)) || fail "expected 2 arguments, GUEST_HOME and HOST_HOME, got $#"
	local guest_home=$1 host_home=$2 opencode
	require_absolute_path GUEST_HOME "$guest_home"
	require_absolute_path HOST_HOME "$host_home"
	[[ -d $guest_home ]] || fail "the guest home $guest_home does not exist"
	make_work_dir

	if opencode=$(find_opencode "$guest_home"); then
		say "OpenCode is already installed at $opencode"
	else
		run_installer "$guest_home"
		opencode=$(find_opencode "$guest_home") ||
			fail "the OpenCode installer finished, but no opencode executable was found on PATH or in $guest_home/.opencode/bin"
		say "installed OpenCode at $opencode"
	fi
	if [[ $opencode == "$guest_home/.opencode/bin/opencode" ]]; then
		add_login_line "$guest_home" "$(opencode_login_line)"
	fi

	local host_config=$host_home/.config/opencode
	local host_auth=$host_home/.local/share/opencode/auth.json
	link_to_host "$host_config" "$guest_home/.config/opencode"
	link_to_host "$host_auth" "$guest_home/.local/share/opencode/auth.json"

	if [[ ! -d $host_home ]]; then
		say "the host home $host_home is not visible in this VM, so the links stay broken until it is mounted"
	elif [[ ! -e $host_config || ! -e $host_auth ]]; then
		say "OpenCode is not configured on the host yet. Run 'opencode auth login' on the host once, and this VM uses the result."
	fi

	say "opencode is ready"
}

main "$@" </dev/null
