#!/bin/bash
# run-faults.sh - build the pcr_fault module and record each of its faults in ONE qemu boot of
# the stock Debian 12 kernel (the 6.1.0-N-amd64 that linux-image-amd64 depends on).
#
# In the guest, for every recording kind and every mode, /init runs
#   trace-cmd start <kind's options>; sleep; insmod pcr_fault.ko mode=M; sleep; rmmod;
#   trace-cmd stop; trace-cmd extract -o M-KIND.dat; trace-cmd reset
# (trace-cmd 3.1's "record" reads the loss counters too early in a guest; start/stop/extract
# does not). The module is unloaded after the extract, so its symbols are in the recording.
# To keep the files small, /proc/kallsyms is bind-mounted over, for the extract, by the
# lines of the functions that the kernel's text output of the same buffer names in stacks
# (each with the next line, for its size), plus the module's symbols. Kinds:
#   kmem    -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched
#   stacks  the same with -T (a kernel stack after every event)
#   record  what "pagecheck-replay record --stacks" enables: the kmem events, -T and
#           sched:sched_process_fork, _exec and _exit
# The results (recordings, dmesg per run, per-CPU ring buffer stats) are written as a tar
# archive onto a virtio disk and unpacked on the host into $OUT.
#
# Usage:  sudo tests/kernel/faults/run-faults.sh [MODE...]   (default: all five modes)
# Environment (defaults in brackets):
#   WORK [/tmp/pcr-faults]  work folder;  OUT [$WORK/out]  results
#   KPKG [the linux-image-6.1.0-N-amd64 that linux-image-amd64 depends on]
#   KINDS [kmem stacks record]; prrecord: 'pagecheck-replay record --stacks' in the guest (needs
#     PCR_BIN=path/to/pagecheck-replay, copied into the guest with its libraries)  MEM [2G]  SMP [2]  BUFKB [2048]  STACK_BUFKB [8192] (per CPU)
#   SETTLE [2]  seconds recorded before insmod and after it;  TIMEOUT [1500]
#   ACCEL [tcg]  kvm where /dev/kvm can run a stock kernel;  APPEND: more kernel command line
# Needs Debian 12 and root (apt-get installs qemu-system-x86, busybox-static, trace-cmd, cpio,
# gcc, make and linux-headers-6.1.0-N-amd64).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../guest-root.sh"
WORK=${WORK:-/tmp/pcr-faults}
OUT=${OUT:-$WORK/out}
KINDS=${KINDS:-kmem stacks record}
MEM=${MEM:-2G}
SMP=${SMP:-2}
BUFKB=${BUFKB:-2048}
STACK_BUFKB=${STACK_BUFKB:-8192}
SETTLE=${SETTLE:-2}
TIMEOUT=${TIMEOUT:-1500}
ACCEL=${ACCEL:-tcg}
MODES=("$@")
[ ${#MODES[@]} -eq 0 ] && MODES=(control double_free double_alloc wrong_order never_allocated)

log() { echo "[run-faults] $*" >&2; }

install_packages() {
	local need=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			need+=("$p")
	done
	[ ${#need[@]} -eq 0 ] && return 0
	log "installing: ${need[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
}

fetch_kernel() {
	if [ -z "${KPKG:-}" ]; then
		KPKG=$(apt-cache depends linux-image-amd64 |
			awk '/Depends: linux-image-6/ {print $2; exit}')
	fi
	[ -n "$KPKG" ] || { log "cannot find the linux-image-6.1.0-*-amd64 package name"; exit 1; }
	KVER=${KPKG#linux-image-}
	mkdir -p "$WORK"
	if [ ! -f "$WORK/kpkg/boot/vmlinuz-$KVER" ]; then
		log "downloading $KPKG"
		(cd "$WORK" && rm -f "${KPKG}"_*.deb && apt-get download "$KPKG")
		rm -rf "$WORK/kpkg"
		dpkg -x "$WORK/${KPKG}"_*.deb "$WORK/kpkg"
	fi
	KPKG_VERSION=$(dpkg-deb -f "$WORK/${KPKG}"_*.deb Version)
	VMLINUZ=$WORK/kpkg/boot/vmlinuz-$KVER
	MODDIR=$WORK/kpkg/lib/modules/$KVER
	log "kernel: $KPKG $KPKG_VERSION"
}

# The module is built in $WORK/module so that the source folder stays clean.
build_module() {
	install_packages "linux-headers-$KVER"
	rm -rf "$WORK/module"
	mkdir -p "$WORK/module"
	cp "$HERE/pcr_fault.c" "$HERE/Makefile" "$WORK/module/"
	make -s -C "/usr/src/linux-headers-$KVER" M="$WORK/module" modules
	MODULE=$WORK/module/pcr_fault.ko
	log "module: $(strings "$MODULE" | grep -m1 '^vermagic=')"
}

# The guest's PID 1. Settings come from the kernel command line (pcr_*=).
write_init() {
	{ pcr_guest_init_head run-faults; cat <<'EOF'; } > "$1"
MODES=$(arg pcr_modes | tr , ' ')
KINDS=$(arg pcr_kinds | tr , ' ')
BUFKB=$(arg pcr_bufkb); STACK_BUFKB=$(arg pcr_stack_bufkb); SETTLE=$(arg pcr_settle)
KMEM="-e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched"
SCHED="-e sched:sched_process_fork -e sched:sched_process_exec -e sched:sched_process_exit"
uname -a > $R/uname.txt
cat /proc/cmdline > $R/cmdline.txt
dmesg -c > $R/dmesg-boot.txt
for kind in $KINDS; do
	case $kind in
	kmem)   opts="-b $BUFKB $KMEM" ;;
	stacks) opts="-b $STACK_BUFKB -T $KMEM" ;;
	record) opts="-b $STACK_BUFKB -T $KMEM $SCHED" ;;
	esac
	for mode in $MODES; do
		name=$mode-$kind
		if [ $kind = prrecord ]; then
			# what a user runs: pagecheck-replay record --stacks around the insmod
			say "$name: pagecheck-replay record --stacks"
			pagecheck-replay record --stacks --buffer-kb=$STACK_BUFKB -o $R/$name.dat -- \
				sh -c "sleep $SETTLE; insmod /lib/modules/pcr_fault.ko mode=$mode;
				       echo insmod exit \$? > $R/$name.insmod.txt; sleep $SETTLE" \
				> $R/$name.record.log 2>&1
			say "$name: record exit $? ($(wc -c < $R/$name.dat) bytes), $(cat $R/$name.insmod.txt)"
			rmmod pcr_fault
			dmesg -c > $R/$name.dmesg.txt
			continue
		fi
		say "$name: trace-cmd start $opts"
		trace-cmd start $opts > $R/$name.start.log 2>&1
		sleep $SETTLE
		insmod /lib/modules/pcr_fault.ko mode=$mode
		echo "insmod exit $?" > $R/$name.insmod.txt
		sleep $SETTLE
		trace-cmd stop
		for c in $T/per_cpu/cpu*; do echo "== ${c##*/}"; cat $c/stats; done > $R/$name.stats.txt
		trim_kallsyms
		trace-cmd extract -o $R/$name.dat > $R/$name.extract.log 2>&1
		umount /proc/kallsyms
		rmmod pcr_fault
		say "$name: extract exit $? ($(wc -c < $R/$name.dat) bytes), $(cat $R/$name.insmod.txt)"
		trace-cmd reset > /dev/null 2>&1
		dmesg -c > $R/$name.dmesg.txt
		grep -q 'Kernel panic\|Oops' $R/$name.dmesg.txt && say "$name: the kernel oopsed"
	done
done
write_results
poweroff -f
EOF
	chmod +x "$1"
}

build_initramfs() {
	local root=$WORK/initramfs m

	INITRD=$WORK/initramfs.cpio.gz
	pcr_guest_root "$root"
	for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
		 virtio_blk; do
		cp "$(find "$MODDIR" -name "$m.ko" | head -1)" "$root/lib/modules/"
	done
	cp "$MODULE" "$root/lib/modules/"
	# The prrecord kind runs the tool itself in the guest: PCR_BIN, with its libraries.
	if [ -n "${PCR_BIN:-}" ]; then
		cp "$PCR_BIN" "$root/usr/bin/pagecheck-replay"
		ldd "$PCR_BIN" | grep -o '/[^ ]*' | while read -r lib; do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	fi
	write_init "$root/init"
	pcr_guest_pack "$root" "$INITRD"
}

boot() {
	local disk=$WORK/disk.img accel cmdline
	rm -rf "$OUT"
	mkdir -p "$OUT"
	rm -f "$disk"
	truncate -s 1G "$disk"
	if [ "$ACCEL" = kvm ]; then
		accel=(-accel kvm -cpu host)
	else
		accel=(-accel tcg,thread=multi -cpu max)
	fi
	cmdline="console=ttyS0 panic=-1 pcr_modes=$(IFS=,; echo "${MODES[*]}")"
	cmdline+=" pcr_kinds=$(echo $KINDS | tr ' ' ,) pcr_bufkb=$BUFKB"
	cmdline+=" pcr_stack_bufkb=$STACK_BUFKB pcr_settle=$SETTLE${APPEND:+ $APPEND}"
	echo "$cmdline" > "$OUT/qemu-append.txt"
	log "booting: $cmdline"
	timeout "$TIMEOUT" qemu-system-x86_64 "${accel[@]}" \
		-machine q35 -smp "$SMP" -m "$MEM" \
		-nodefaults -no-user-config -display none -no-reboot \
		-serial file:"$OUT/console.log" \
		-kernel "$VMLINUZ" -initrd "$INITRD" -append "$cmdline" \
		-drive file="$disk",format=raw,if=virtio,cache=unsafe \
		</dev/null || log "qemu exit status $? (see $OUT/console.log)"
	tar -xf "$disk" -C "$OUT" || { log "no results on the disk"; exit 1; }
	rm -f "$disk"
	echo "$KPKG $KPKG_VERSION" > "$OUT/kernel-package.txt"
}

# One line per recording: its FAULT (or CONTROL) lines as trace-cmd report prints them.
summarize() {
	local dat
	for dat in "$OUT"/*.dat; do
		printf '%s: ' "$(basename "$dat")"
		trace-cmd report "$dat" 2>/dev/null | grep -o 'pcr_fault: [A-Z]* .*' | paste -sd';'
	done
}

main() {
	[ "$(id -u)" = 0 ] || { log "run as root"; exit 1; }
	install_packages qemu-system-x86 busybox-static trace-cmd cpio gcc make
	fetch_kernel
	build_module
	build_initramfs
	boot
	summarize | tee "$OUT/summary.txt"
	log "results in $OUT"
}

# run-boot-crash.sh sources this file for its functions.
[ "${BASH_SOURCE[0]}" != "$0" ] || main
