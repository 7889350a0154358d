#!/bin/bash
# run-rfc.sh - boot the reference kernel (build-kernel.sh) under qemu, run the fixed workloads
# and bring back the recordings and the RFC checker's stats (see guest-init.sh for what the
# guest does, README.md beside this file for the whole procedure).
#
# Usage: tests/kernel/rfc/run-rfc.sh [OUT]   as root; OUT defaults to WORK/out
# Environment: PCR_RFC_WORK [/var/tmp/pcr-rfc] (where build-kernel.sh left bzImage),
#   WORKLOADS [forkexec,thp-compact,vmalloc,mlock,memcg-oom,pagecache,net], SCALE [1],
#   MODES [kmem,stacks,checker] (extras: -T, the process and compaction isolation events
#   'pagecheck-replay record --stacks' records, and the checker's pc_update),
#   STACKTRACE [0] (1: the boot recording also holds a kernel stack after every event),
#   BUFFER_KB [32768] (each workload's buffer per CPU; tmpfs-churn with stacks wants 262144
#   and MEM=4G), MEM [2G], SMP [2], TIMEOUT [1800] seconds.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=${PCR_RFC_WORK:-/var/tmp/pcr-rfc}
out=${1:-$work/out}
WORKLOADS=${WORKLOADS:-forkexec,thp-compact,vmalloc,mlock,memcg-oom,pagecache,net}
SCALE=${SCALE:-1}
STACKTRACE=${STACKTRACE:-0}
MEM=${MEM:-2G}
SMP=${SMP:-2}
TIMEOUT=${TIMEOUT:-1800}
MODES=${MODES:-kmem,stacks,checker}
BUFFER_KB=${BUFFER_KB:-32768}
log() { echo "[run-rfc] $*" >&2; }

[ -f "$work/bzImage" ] || { log "no $work/bzImage: run build-kernel.sh first"; exit 2; }
need=()
for p in qemu-system-x86 busybox-static trace-cmd cpio gcc libc6-dev; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# initramfs: busybox, the host's trace-cmd with the libraries it links, the workloads
. "$here/../guest-root.sh"
root=$work/initramfs
pcr_guest_root "$root"
gcc -static -O2 -Wall -Wextra -Werror -o "$root/bin/workload" "$here/workload.c" -lpthread
install -m 755 "$here/guest-init.sh" "$root/init"
install -m 755 "$here/guest-workload.sh" "$root/init-workload"
pcr_guest_pack "$root" "$work/initramfs.cpio.gz"

events=kmem:mm_page_alloc,kmem:mm_page_free,kmem:mm_page_free_batched
events+=,page_consistency:pc_update,page_consistency:pc_init,page_consistency:pc_stats
events+=,initcall:initcall_finish,sched:sched_process_exec
# trace_clock=global: otherwise the late switch to it on an unstable-TSC guest clears the buffer
append="console=ttyS0 panic=-1 trace_clock=global trace_buf_size=64M pc_boot_trace trace_event=$events"
[ "$STACKTRACE" = 1 ] && append+=" trace_options=stacktrace"
append+=" rfc_workloads=$WORKLOADS rfc_scale=$SCALE rfc_modes=$MODES rfc_buffer_kb=$BUFFER_KB"

rm -rf "$out"
mkdir -p "$out"
disk=$work/results.img
data=$work/pagecache.img
rm -f "$disk"
truncate -s 2G "$disk"
[ -f "$data" ] || head -c 64M /dev/urandom > "$data"
log "booting: $append"
t0=$SECONDS
timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg,thread=multi -cpu max -machine q35 \
	-smp "$SMP" -m "$MEM" -nodefaults -no-user-config -display none -no-reboot \
	-serial file:"$out/console.log" \
	-kernel "$work/bzImage" -initrd "$work/initramfs.cpio.gz" -append "$append" \
	-drive file="$disk",format=raw,if=virtio,cache=unsafe \
	-drive file="$data",format=raw,if=virtio,cache=unsafe,readonly=on \
	< /dev/null || log "qemu exit status $?"
log "qemu ran $((SECONDS - t0)) s"
tar -xf "$disk" -C "$out" || { log "no results on the disk (see $out/console.log)"; exit 1; }
rm -f "$disk"
echo "$append" > "$out/qemu-append.txt"
log "results in $out"
grep -h "violations_detected" "$out"/*.stats* | sort | uniq -c >&2 || true
