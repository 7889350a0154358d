# SPDX-License-Identifier: GPL-2.0
# record-lib.sh - what the recording scripts share; source it after defining say().
#
# install_missing PKG...: apt-get install the Debian packages of the list not installed yet.
# init_mounts: print the lines of a guest's /init that mount proc, sysfs, devtmpfs, a tmpfs on
#   /tmp and tracefs on $T (/sys/kernel/tracing).
install_missing() {
	local pkg missing=()

	for pkg in "$@"; do
		dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null |
			grep -q '^install ok installed$' || missing+=("$pkg")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	say "installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

init_mounts() {
	cat <<'EOF'
mount -t proc none /proc
mount -t sysfs none /sys
mount -t devtmpfs none /dev
mount -t tmpfs none /tmp
T=/sys/kernel/tracing
mount -t tracefs none $T
EOF
}
