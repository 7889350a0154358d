#!/bin/bash
# record-console.sh - make the console fixtures of testdata/console/: serial console logs of a
# stock Debian 6.1 kernel that crashes (sysrq 'c' -> panic) with ftrace_dump_on_oops and the kmem
# page events enabled, booted under qemu (TCG: no KVM needed; 2 CPUs).
#
# Usage: sudo ./record-console.sh [VARIANT...]   (default: all; see variant_cmdline below)
# Needs: Debian 12, root (apt-get download, mknod), qemu-system-x86, busybox-static, cpio, zstd,
# gawk. Results: $OUT/<variant>.log, the serial console as qemu wrote it, and <variant>.log.zst,
# the fixture (copy it here). The "capture" variant's boot is captured twice: capture.raw.log
# as qemu's stdio gives it, and capture.log behind a capture tool's wall-clock prefix
# ("[YYYY-MM-DD HH:MM:SS] ", gawk reading the stdio line by line).
# Environment: WORK [/tmp/console-rec] OUT [$WORK/out] KPKG [what linux-image-amd64 depends on]
set -euo pipefail

WORK=${WORK:-/tmp/console-rec}
OUT=${OUT:-$WORK/out}
SMP=${SMP:-2}
MEM=${MEM:-1G}
TIMEOUT=${TIMEOUT:-300}
VARIANTS=("$@")
[ ${#VARIANTS[@]} -eq 0 ] && VARIANTS=(nostack stack stacklost origcpu overflow tpprintk tpdump capture dmesg)

log() { echo "[record-console] $*" >&2; }

fetch_kernel() {
	mkdir -p "$WORK"
	if [ -z "${KPKG:-}" ]; then
		KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-6/ {print $2; exit}')
	fi
	KVER=${KPKG#linux-image-}
	if [ ! -f "$WORK/kpkg/boot/vmlinuz-$KVER" ]; then
		(cd "$WORK" && rm -f "${KPKG}"_*.deb && apt-get download "$KPKG")
		rm -rf "$WORK/kpkg"
		dpkg -x "$WORK/${KPKG}"_*.deb "$WORK/kpkg"
	fi
	VMLINUZ=$WORK/kpkg/boot/vmlinuz-$KVER
	log "kernel: $KPKG $(dpkg-deb -f "$WORK/${KPKG}"_*.deb Version)"
}

# The guest's PID 1: a small page workload on both CPUs, then the crash. What it does comes
# from the kernel command line: cr_clear=1 empties the ring buffer first (so that the dump holds
# the workload only and lost no event), cr_enable=1 turns the kmem page events on here rather
# than on the command line (tp_printk: the boot's events would flood the serial console).
write_init() {
	cat > "$1" <<'INIT'
#!/bin/sh
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
T=/sys/kernel/tracing
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tracefs tracefs $T
mount -t tmpfs tmpfs /tmp
arg() { v=$(tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -1); echo "${v:-$2}"; }
echo "record-console: init started, $(grep -c ^processor /proc/cpuinfo) CPUs" > /dev/console
if [ "$(arg cr_enable 0)" = 1 ]; then
	for e in mm_page_alloc mm_page_free mm_page_free_batched; do
		echo 1 > $T/events/kmem/$e/enable
	done
fi
[ "$(arg cr_clear 0)" = 1 ] && echo > $T/trace
echo "record-console: workload start" > /dev/console
work() {  # dd of $1 KiB to tmpfs and back, twice
	for i in 1 2; do
		dd if=/dev/zero of=/tmp/w$2 bs=4k count=$(($1 / 4)) 2>/dev/null
		rm /tmp/w$2
	done
}
KB=$(arg cr_kb 256)
work $KB a & work $KB b & wait
if [ "$(arg cr_dmesg 0)" = 1 ]; then
	# SysRq z dumps the ring buffer without a crash: then the kernel log as dmesg prints it
	echo "record-console: workload end, sysrq z" > /dev/console
	echo z > /proc/sysrq-trigger
	dmesg > /dev/ttyS1
	dmesg -r > /dev/ttyS2
	sync
	sleep 1
	poweroff -f
fi
echo "record-console: workload end, crashing" > /dev/console
echo c > /proc/sysrq-trigger
INIT
	chmod +x "$1"
}

build_initramfs() {
	local root=$WORK/initramfs
	INITRD=$WORK/initramfs.cpio.gz
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp}
	cp /bin/busybox "$root/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
	done
	mknod -m 600 "$root/dev/console" c 5 1
	mknod -m 666 "$root/dev/null" c 1 3
	write_init "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$INITRD"
}

EVENTS=kmem:mm_page_alloc,kmem:mm_page_free,kmem:mm_page_free_batched

variant_cmdline() {
	# panic=-1: reboot at once after the panic, and qemu -no-reboot then exits.
	local base="console=ttyS0 panic=-1 trace_clock=global"
	case $1 in
	nostack)  echo "$base trace_event=$EVENTS trace_buf_size=64k ftrace_dump_on_oops cr_clear=1" ;;
	stack)    echo "$base trace_event=$EVENTS trace_buf_size=256k trace_options=stacktrace ftrace_dump_on_oops cr_clear=1 cr_kb=16" ;;
	stacklost) echo "$base trace_event=$EVENTS trace_buf_size=64k trace_options=stacktrace ftrace_dump_on_oops cr_clear=1 cr_kb=64" ;;
	origcpu)  echo "$base trace_event=$EVENTS trace_buf_size=64k ftrace_dump_on_oops=orig_cpu cr_clear=1" ;;
	overflow) echo "$base trace_event=$EVENTS trace_buf_size=16k ftrace_dump_on_oops" ;;
	tpprintk) echo "$base tp_printk cr_enable=1 cr_kb=64" ;;
	tpdump)   echo "$base tp_printk ftrace_dump_on_oops cr_enable=1 cr_kb=16" ;;
	dmesg)    echo "$base trace_event=$EVENTS trace_buf_size=32k cr_clear=1 cr_kb=16 cr_dmesg=1" ;;
	capture)  echo "$base trace_event=$EVENTS trace_buf_size=32k ftrace_dump_on_oops cr_clear=1 cr_kb=64" ;;
	*) log "unknown variant $1"; exit 2 ;;
	esac
}

run_variant() {
	local v=$1 cmdline
	cmdline=$(variant_cmdline "$v")
	log "booting $v: $cmdline"
	local q=(qemu-system-x86_64 -accel tcg,thread=multi -cpu max -machine q35 -smp "$SMP"
		 -m "$MEM" -nodefaults -no-user-config -display none -no-reboot
		 -kernel "$VMLINUZ" -initrd "$INITRD" -append "$cmdline")
	if [ "$v" = capture ]; then
		# the same boot twice: as qemu writes it, and behind a capture tool's clock
		timeout "$TIMEOUT" "${q[@]}" -serial stdio < /dev/null | tee "$OUT/capture.raw.log" |
			gawk '{ t = systime(); printf "[%s] %s\n", strftime("%Y-%m-%d %H:%M:%S", t), $0; fflush() }' \
			> "$OUT/capture.log" || true
	elif [ "$v" = dmesg ]; then
		# the console, then what busybox dmesg and dmesg -r print, on two more serial ports
		timeout "$TIMEOUT" "${q[@]}" -serial file:"$OUT/dmesg-console.log" \
			-serial file:"$OUT/dmesg.log" -serial file:"$OUT/dmesg-r.log" < /dev/null || true
		zstd -q -19 -f "$OUT/dmesg-r.log" -o "$OUT/dmesg-r.log.zst"
		zstd -q -19 -f "$OUT/dmesg-console.log" -o "$OUT/dmesg-console.log.zst"
	else
		timeout "$TIMEOUT" "${q[@]}" -serial file:"$OUT/$v.log" < /dev/null || true
	fi
	echo "$cmdline" > "$OUT/$v.cmdline"
	# the fixtures: compressed copies (the capture variant: both captures of its boot)
	if [ "$v" = capture ]; then
		zstd -q -19 -f "$OUT/capture.raw.log" -o "$OUT/capture-raw.log.zst"
	fi
	zstd -q -19 -f "$OUT/$v.log" -o "$OUT/$v.log.zst"
}

[ "$(id -u)" = 0 ] || { log "run as root"; exit 1; }
fetch_kernel
build_initramfs
mkdir -p "$OUT"
for v in "${VARIANTS[@]}"; do
	run_variant "$v"
done
log "results in $OUT"
