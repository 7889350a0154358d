#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# record-boot-arch.sh - record the page allocator from the first traced event of a boot of
#                       Debian's stock kernel of another architecture (arm64, s390x)
#
# Usage: record-boot-arch.sh ARCH [OUTDIR]      (as root, on Debian 12; ARCH: arm64 or s390x)
#
#   Boots Debian's stock 6.1 kernel of ARCH under qemu (TCG) as a user of that architecture
#   would record a boot: only the three page events on the kernel command line
#     trace_event=kmem:mm_page_alloc,kmem:mm_page_free,kmem:mm_page_free_batched
#     trace_options=stacktrace trace_clock=global
#   and nothing else (no initcall, exec or kprobe markers: the boundary has to be found from the
#   page events and their stacks). A tiny /init runs a short workload, stops tracing, saves dmesg
#   (its "Freeing unused kernel memory" and "Run /init as init process" lines give the expected
#   boundary) and has trace-cmd of ARCH extract the ring buffers. With MID=1 it then makes a
#   mid-life recording too (trace-cmd record of the same three events with stacks, after boot).
#   The files come back on a virtio-blk disk (the virt machine has no second serial port) as a
#   tar archive, which the host unpacks into OUTDIR:
#     boot.dat    the boot recording (trace.dat v7, zstd)
#     mid.dat     with MID=1, the mid-life recording
#     dmesg.txt   the guest's kernel log, read after tracing stopped
#     stats.txt   the ring buffers' per-CPU counters (overrun and dropped events)
#
#   The kernel, trace-cmd, its libraries and busybox-static are the Debian packages of ARCH,
#   fetched with apt-get download (dpkg --add-architecture ARCH) and unpacked with dpkg -x;
#   nothing is installed. The guest kernel's virtio_blk (and on arm64 virtio_mmio) modules are
#   loaded only after tracing stopped.
#
#   Environment (defaults in brackets):
#     WORK [/tmp/pcr-boot-ARCH]  scratch folder     KPKG [what linux-image-ARCH depends on]
#     MEM [1G]  SMP [2]  BUF [16M, the ring buffer per CPU]  TIMEOUT [1200] seconds of qemu
#     MID [1]   also make the mid-life recording
#
#   Needs: qemu-system-arm (arm64) or qemu-system-misc (s390x), cpio (installed when missing).
set -euo pipefail

ARCH=${1:-}
here=$(cd "$(dirname "$0")" && pwd)
OUTDIR=${2:-$PWD/boot-$ARCH}
WORK=${WORK:-/tmp/pcr-boot-$ARCH}
MEM=${MEM:-1G}
SMP=${SMP:-2}
BUF=${BUF:-16M}
TIMEOUT=${TIMEOUT:-1200}
MID=${MID:-1}

say() { printf 'record-boot-arch: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

case $ARCH in
arm64)
	qpkg=qemu-system-arm
	qemu=(qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on
	      -device virtio-blk-device,drive=out)
	console=ttyAMA0
	serial=(-serial "file:$WORK/console.log")
	modules="virtio_mmio virtio_blk"
	;;
s390x)
	qpkg=qemu-system-misc
	qemu=(qemu-system-s390x -M s390-ccw-virtio -cpu max -device virtio-blk-ccw,drive=out)
	console=ttysclp0
	serial=(-chardev "file,id=con,path=$WORK/console.log" -device sclpconsole,chardev=con)
	modules="virtio_blk"
	;;
*)
	die "usage: record-boot-arch.sh arm64|s390x [OUTDIR]"
	;;
esac
[ "$(id -u)" -eq 0 ] || die "run as root (dpkg --add-architecture, apt-get, qemu)"

. "$here/record-lib.sh"
install_missing "$qpkg" cpio
if ! dpkg --print-foreign-architectures | grep -qx "$ARCH"; then
	dpkg --add-architecture "$ARCH"
	apt-get update -qq
fi

# --- the packages of ARCH, unpacked, never installed -----------------------------------------
mkdir -p "$WORK/debs"
if [ -z "${KPKG:-}" ]; then
	KPKG=$(apt-cache depends "linux-image-$ARCH:$ARCH" |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*\).*$/\1/p' | head -n 1)
fi
[ -n "$KPKG" ] || die "no kernel package found for $ARCH (apt-get update first?)"
kver=${KPKG#linux-image-}
userland="trace-cmd libtraceevent1 libtracefs1 libzstd1 libc6 busybox-static"
(
	cd "$WORK/debs"
	for pkg in "$KPKG" $userland; do
		ls "${pkg}"_*_"$ARCH".deb >/dev/null 2>&1 || apt-get download -qq "$pkg:$ARCH"
	done
)
kdeb=$(ls "$WORK/debs/${KPKG}"_*_"$ARCH".deb)
if [ ! -f "$WORK/kernel/boot/vmlinuz-$kver" ]; then
	rm -rf "$WORK/kernel"
	dpkg-deb -x "$kdeb" "$WORK/kernel"
fi
say "kernel $KPKG $(dpkg-deb -f "$kdeb" Version) ($ARCH)"

# --- the initramfs: busybox, trace-cmd with its libraries, two modules, /init ---------------
root=$WORK/root
rm -rf "$root"
mkdir -p "$root"/{dev,proc,sys,tmp,mnt,modules}
for pkg in $userland; do
	dpkg-deb -x "$WORK/debs/${pkg}"_*_"$ARCH".deb "$root"
	say "$(dpkg-deb -f "$WORK/debs/${pkg}"_*_"$ARCH".deb Package Version | paste -sd' ')"
done
rm -rf "$root"/usr/share "$root"/usr/lib/*/gconv "$root"/etc
for applet in $(busybox --list); do
	[ -e "$root/bin/$applet" ] || [ -e "$root/usr/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
for m in $modules; do
	find "$WORK/kernel/lib/modules/$kver" -name "$m.ko*" -exec cp {} "$root/modules/" \;
done
mknod "$root/dev/console" c 5 1

cat >"$root/init" <<EOF
#!/bin/sh
# PID 1 of the recording guest. The kernel has set SYSTEM_RUNNING before exec'ing this.
PATH=/bin:/sbin:/usr/bin:/usr/sbin
MID=$MID
MODULES="$modules"
EOF
init_mounts >>"$root/init"
cat >>"$root/init" <<'EOF'
echo 1 > /proc/sys/kernel/printk

# A little of everything: page cache written and dropped, processes made and gone.
work() {
	dd if=/dev/zero of=/tmp/f bs=1M count=4 2>/dev/null
	rm /tmp/f
	n=0
	while [ $n -lt 5 ]; do /bin/true; n=$((n + 1)); done
}
work
echo 0 > $T/tracing_on
mkdir /tmp/out
dmesg > /tmp/out/dmesg.txt
cat /proc/cmdline > /tmp/out/cmdline.txt
for c in $T/per_cpu/cpu*; do echo "${c##*/}: $(tr '\n' ' ' < $c/stats)"; done > /tmp/out/stats.txt
trace-cmd extract -o /tmp/out/boot.dat > /tmp/out/extract.log 2>&1
echo "extract exit $?" >> /tmp/out/extract.log
if [ "$MID" = 1 ]; then
	# Mid-life: the system has run a while; the same three events, with stacks.
	trace-cmd record -q -T -b 4096 -o /tmp/out/mid.dat -e kmem:mm_page_alloc \
		-e kmem:mm_page_free -e kmem:mm_page_free_batched \
		sh -c 'dd if=/dev/zero of=/tmp/g bs=1M count=4 2>/dev/null; rm /tmp/g; /bin/true' \
		> /tmp/out/mid.log 2>&1
	echo "record exit $?" >> /tmp/out/mid.log
fi
for m in $MODULES; do insmod /modules/$m.ko* 2>> /tmp/out/extract.log; done
n=0
while [ ! -b /dev/vda ] && [ $n -lt 50 ]; do sleep 0.2; n=$((n + 1)); done
tar cf /dev/vda -C /tmp out
sync
echo "pcr-boot: done" > /dev/console
poweroff -f
EOF
chmod 755 "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$WORK/initrd.gz"

# --- boot ----------------------------------------------------------------------------------
cmdline="console=$console panic=-1 trace_buf_size=$BUF"
cmdline+=" trace_event=kmem:mm_page_alloc,kmem:mm_page_free,kmem:mm_page_free_batched"
cmdline+=" trace_options=stacktrace trace_clock=global"
say "booting $ARCH (tcg, $SMP CPUs, $MEM): $cmdline"
rm -f "$WORK/console.log"
truncate -s 0 "$WORK/disk.img"
truncate -s 64M "$WORK/disk.img"
start=$SECONDS
timeout "$TIMEOUT" "${qemu[@]}" -accel tcg,thread=multi -smp "$SMP" -m "$MEM" \
	-nodefaults -no-user-config -display none -no-reboot "${serial[@]}" \
	-drive "if=none,id=out,format=raw,file=$WORK/disk.img" \
	-kernel "$WORK/kernel/boot/vmlinuz-$kver" -initrd "$WORK/initrd.gz" \
	-append "$cmdline" </dev/null || say "qemu exit status $?"
say "qemu ran $((SECONDS - start)) s"

rm -rf "$WORK/out"
tar xf "$WORK/disk.img" -C "$WORK" || die "no archive on the disk; see $WORK/console.log"
[ -s "$WORK/out/boot.dat" ] || die "no boot.dat; see $WORK/out/extract.log"
mkdir -p "$OUTDIR"
cp "$WORK"/out/* "$OUTDIR/"
cat "$OUTDIR/stats.txt" >&2
say "wrote $OUTDIR: $(cd "$OUTDIR" && ls -l | awk 'NR > 1 { printf "%s %s, ", $NF, $5 }')"
