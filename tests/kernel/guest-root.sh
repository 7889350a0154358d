# guest-root.sh - the base of the initramfs that the qemu guests of tests/kernel boot; source it.
#
# pcr_guest_root ROOT: an empty ROOT with busybox (one link per applet), the host's trace-cmd
#   with the shared libraries it links (at the paths ldd prints) and /dev/console, /dev/null
#   (the kernel opens the console for PID 1 before devtmpfs is mounted).
# pcr_guest_pack ROOT CPIO_GZ: pack ROOT as the initramfs CPIO_GZ.
# pcr_guest_init_head NAME: print the start of a guest's /init: the mounts, say() (a line on the
#   console, prefixed NAME), arg() (a pcr_*= value of the kernel command line), the folder
#   R=/tmp/rec of the results, trim_kallsyms and write_results (see there).

pcr_guest_root() {
	local root=$1 applet lib

	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,lib/modules,etc}
	cp /bin/busybox "$root/bin/busybox"
	for applet in $(/bin/busybox --list); do
		[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
	done
	cp /usr/bin/trace-cmd "$root/usr/bin/trace-cmd"
	ldd /usr/bin/trace-cmd | grep -o '/[^ ]*' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
	mknod -m 600 "$root/dev/console" c 5 1
	mknod -m 666 "$root/dev/null" c 1 3
}

pcr_guest_pack() {
	(cd "$1" && find . | cpio -o -H newc --quiet | gzip -1) > "$2"
}

pcr_guest_init_head() {
	echo '#!/bin/sh'
	echo "say() { echo \"$1: \$*\" > /dev/console; }"
	cat <<'EOF'
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
T=/sys/kernel/tracing
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tracefs tracefs $T
mount -t tmpfs tmpfs /tmp
arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -1; }
R=/tmp/rec; mkdir -p $R
# The full kallsyms is 900 KB of every trace.dat extracted: bind-mount over it, until umount,
# the functions the kernel's own text output names in the stacks, each with the symbol after
# it (which gives its size), and the module's symbols (while it is loaded).
trim_kallsyms() {
	grep '=> ' $T/trace | sed 's/.*=> //; s/[+ ].*//' | sort -u > /tmp/names
	awk 'NR == FNR { n[$1] = 1; next }
	     next_too || ($3 in n) || $4 == "[pcr_fault]" { print }
	     { next_too = $3 in n }' /tmp/names /proc/kallsyms > /tmp/kallsyms
	mount -o bind /tmp/kallsyms /proc/kallsyms
}
# $R as a tar archive onto the virtio disk (the host unpacks it)
write_results() {
	for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk; do
		insmod /lib/modules/$m.ko || say "insmod $m failed"
	done
	n=0
	while [ ! -b /dev/vda ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	(cd $R && tar -cf /dev/vda .) && sync && say "results written to /dev/vda"
}
EOF
}
