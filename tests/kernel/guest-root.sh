# guest-root.sh - the base of the initramfs that the qemu guests of tests/kernel boot; source it.
#
# pcr_guest_root ROOT: an empty ROOT with busybox (one link per applet), the host's trace-cmd
#   with the shared libraries it links (at the paths ldd prints) and /dev/console, /dev/null
#   (the kernel opens the console for PID 1 before devtmpfs is mounted).
# pcr_guest_pack ROOT CPIO_GZ: pack ROOT as the initramfs CPIO_GZ.

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
