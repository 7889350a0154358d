#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# record-boot.sh - record the page allocator from the first traced event of a boot
#
# Usage: record-boot.sh [OUTFILE]        (as root, on Debian 12)
#
#   Boots a stock Debian kernel under qemu with the page events enabled on the kernel command
#   line (trace_event=...), lets a tiny /init run a short workload, stops tracing and has
#   trace-cmd (copied into the initramfs) extract the ring buffers. The trace.dat comes back to
#   the host base64-encoded over a second serial port: no disk, no guest modules.
#   OUTFILE defaults to t12_boot_kprobe_v7zstd.dat beside this script.
#
#   What the recording holds:
#     kmem:mm_page_alloc, kmem:mm_page_free, kmem:mm_page_free_batched,
#     initcall:initcall_finish, sched:sched_process_exec, ftrace:print (markers of /init),
#     and three boot-time kprobe events (kprobe_event=) that fetch the kernel's system_state:
#       kprobes:initmem_in  at free_initmem            (state 2 = SYSTEM_FREEING_INITMEM)
#       kprobes:initmem_out at the return of free_initmem
#       kprobes:boot_done   at rcu_end_inkernel_boot, which kernel_init() calls right after
#                           "system_state = SYSTEM_RUNNING" (state 3)
#     Kprobe events are created at fs_initcall time: they see nothing earlier in the boot.
#
#   Environment (defaults in brackets):
#     WORK [/tmp/pcr-boot]  scratch folder (kernel package, initramfs, serial logs)
#     KPKG [what linux-image-amd64 depends on]  the Debian kernel package to boot
#     ACCEL [auto]  kvm or tcg; auto takes KVM only when /dev/kvm is writable and the host's
#                   KVM is not the paravirtual kvm_pvm module (a stock kernel does not boot on it)
#     MEM [1G]  SMP [2]  BUF [16M, the ring buffer per CPU; a secondary CPU's buffer is
#                   allocated before deferred page init has freed most memory, so keep it small]
#     TIMEOUT [300]  seconds before qemu is stopped
#
#   Needs: qemu-system-x86, busybox-static, trace-cmd, cpio (installed when missing).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
OUTFILE=${1:-$here/t12_boot_kprobe_v7zstd.dat}
WORK=${WORK:-/tmp/pcr-boot}
MEM=${MEM:-1G}
SMP=${SMP:-2}
BUF=${BUF:-16M}
TIMEOUT=${TIMEOUT:-300}

say() { printf 'record-boot: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (apt-get, qemu)"

. "$here/record-lib.sh"
install_missing qemu-system-x86 busybox-static trace-cmd cpio

# --- the kernel: the Debian package, unpacked, never installed ---------------------------
mkdir -p "$WORK"
if [ -z "${KPKG:-}" ]; then
	KPKG=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' |
		head -n 1)
fi
[ -n "$KPKG" ] || die "no kernel package found (apt-get update first?)"
kver=${KPKG#linux-image-}
if [ ! -f "$WORK/kernel/boot/vmlinuz-$kver" ]; then
	say "downloading $KPKG"
	rm -rf "$WORK/kernel" "$WORK"/linux-image-*.deb
	(cd "$WORK" && apt-get download -qq "$KPKG")
	dpkg-deb -x "$WORK/$KPKG"_*.deb "$WORK/kernel"
fi
kdeb_version=$(dpkg-deb -f "$WORK/$KPKG"_*.deb Version)
say "kernel $KPKG $kdeb_version"

# --- the initramfs: busybox, trace-cmd with its libraries, /init ---------------------------
root=$WORK/root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,usr/bin}
cp /bin/busybox "$root/bin/"
for applet in $(/bin/busybox --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cp /usr/bin/trace-cmd "$root/usr/bin/"
# The dynamic loader and every library, at the path the host's loader resolved.
for lib in $(ldd /usr/bin/trace-cmd | grep -o '/[^ )]*'); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
mknod "$root/dev/console" c 5 1

cat >"$root/init" <<'EOF'
#!/bin/sh
# PID 1 of the recording guest. The kernel has set SYSTEM_RUNNING before exec'ing this.
PATH=/bin:/usr/bin
EOF
init_mounts >>"$root/init"
cat >>"$root/init" <<'EOF'
mark() { echo "pcr-boot: $*" > $T/trace_marker; }

mark "init runs"
# A little of everything: page cache written and dropped, processes made and gone.
dd if=/dev/zero of=/tmp/f bs=1M count=8 2>/dev/null
rm /tmp/f
n=0
while [ $n -lt 10 ]; do /bin/true; n=$((n + 1)); done
mark "workload done"

echo 0 > $T/tracing_on
# The kernel's counters, so that a lost event would show in the host's checks.
for c in $T/per_cpu/cpu*; do echo "${c##*/}: $(tr '\n' ' ' < $c/stats)"; done > /dev/console
trace-cmd extract -o /tmp/boot.dat > /tmp/extract.log 2>&1
echo "pcr-boot: extract exit $? size $(wc -c < /tmp/boot.dat)" > /dev/console
# Framed base64 on the second serial port: the host cuts between the two lines.
{ echo "==PCR-BEGIN=="; base64 /tmp/boot.dat; echo "==PCR-END=="; } > /dev/ttyS1
sync
poweroff -f
EOF
chmod 755 "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$WORK/initrd.gz"

# --- boot ----------------------------------------------------------------------------------
accel=${ACCEL:-auto}
if [ "$accel" = auto ]; then
	accel=tcg
	[ -w /dev/kvm ] && [ ! -d /sys/module/kvm_pvm ] && accel=kvm
fi
if [ "$accel" = kvm ]; then
	accel_args=(-accel kvm -cpu host)
else
	accel_args=(-accel tcg,thread=multi -cpu max)
fi

state='@system_state:u32'
probes="p:kprobes/initmem_in,free_initmem,system_state=$state"
probes+=";r:kprobes/initmem_out,free_initmem,system_state=$state"
probes+=";p:kprobes/boot_done,rcu_end_inkernel_boot,system_state=$state"
events=kmem:mm_page_alloc,kmem:mm_page_free,kmem:mm_page_free_batched
events+=,initcall:initcall_finish,sched:sched_process_exec
# trace_clock=global: otherwise late_trace_init() may switch the clock of a guest whose TSC it
# finds unstable, and switching clocks empties the ring buffer.
cmdline="console=ttyS0 panic=-1 trace_clock=global trace_buf_size=$BUF"
cmdline+=" trace_event=$events kprobe_event=$probes"

say "booting with $accel: $cmdline"
rm -f "$WORK/console.log" "$WORK/data.log"
start=$SECONDS
timeout "$TIMEOUT" qemu-system-x86_64 "${accel_args[@]}" -machine q35 -smp "$SMP" -m "$MEM" \
	-nodefaults -no-user-config -display none -no-reboot \
	-serial "file:$WORK/console.log" -serial "file:$WORK/data.log" \
	-kernel "$WORK/kernel/boot/vmlinuz-$kver" -initrd "$WORK/initrd.gz" \
	-append "$cmdline" </dev/null || say "qemu exit status $?"
say "qemu ran $((SECONDS - start)) s"

tmp=$OUTFILE.tmp
sed -n '/^==PCR-BEGIN==/,/^==PCR-END==/p' "$WORK/data.log" | tr -d '\r' |
	sed '1d;$d' | base64 -d >"$tmp" || die "no trace came back; see $WORK/console.log"
[ -s "$tmp" ] || die "empty trace; see $WORK/console.log"
# A recording whose event formats are incomplete shows unknown events: useless.
if trace-cmd report "$tmp" 2>&1 | grep -q 'UNKNOWN EVENT'; then
	die "the recording lacks some event formats; run again"
fi
mv "$tmp" "$OUTFILE"
grep -E '^cpu[0-9]+:|pcr-boot:' "$WORK/console.log" | tr -d '\r' >&2 || true
say "wrote $OUTFILE ($(stat -c %s "$OUTFILE") bytes)"
