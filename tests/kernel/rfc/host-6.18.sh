#!/bin/bash
# host-6.18.sh - record, on the running kernel (no checker), the workloads of the reference-kernel
# runs with kernel stacks and migration's events, and say what each free after a free is
# (free-after-free.py). On a locked-down kernel only `trace-cmd record -d --no-filter` works.
#
# Usage: tests/kernel/rfc/host-6.18.sh [OUT]   as root; OUT defaults to /var/tmp/pcr-host
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/var/tmp/pcr-host}
mkdir -p "$out"
gcc -static -O2 -Wall -Wextra -Werror -o "$out/workload" "$here/workload.c" -lpthread
head -c 64M /dev/urandom > "$out/pagecache.img"
events=(-e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched
	-e migrate:remove_migration_pte -e migrate:mm_migrate_pages
	-e compaction:mm_compaction_isolate_freepages
	-e compaction:mm_compaction_fast_isolate_freepages)
specs=()
for w in forkexec thp-compact mlock pagecache; do
	case $w in
	forkexec)	cmd=("$out/workload" forkexec 200) ;;
	thp-compact)	cmd=("$out/workload" thp-compact 256) ;;
	mlock)		cmd=("$out/workload" mlock 64) ;;
	pagecache)	cmd=("$out/workload" pagecache "$out/pagecache.img" 64) ;;
	esac
	# trace-cmd 3.1 exits 1 on a locked-down kernel after writing the whole file
	trace-cmd record -q -d --no-filter -B "pcr-host-$$" -b 65536 -T "${events[@]}" \
		-o "$out/$w.dat" -- "${cmd[@]}" > "$out/$w.log" 2>&1 || true
	rmdir "/sys/kernel/tracing/instances/pcr-host-$$" 2> /dev/null || true
	[ -s "$out/$w.dat" ] || { echo "no recording for $w (see $out/$w.log)" >&2; exit 1; }
	specs+=("$w=$out/$w.dat")
done
"$here/free-after-free.py" "${specs[@]}" | tee "$out/free-after-free.txt"
