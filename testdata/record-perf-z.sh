#!/bin/sh
# record-perf-z.sh - record the two `perf record -z` test files of this folder (README.md,
# "perf record -z"): the same small workload, once to a file and once in pipe mode.
#
# Usage: sudo ./record-perf-z.sh [OUTDIR]   (default: this folder)
set -eu

out=${1:-$(cd "$(dirname "$0")" && pwd)}
events="-e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched"
work=$(mktemp -d /tmp/pagecheck-perfz.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The workload: write, sync and read back 4 MiB, and start a few short processes.
cat >"$work/wl.sh" <<EOT
#!/bin/sh
dd if=/dev/zero of=$work/f bs=64k count=64 status=none
sync
cat $work/f >/dev/null
for i in 1 2 3 4; do ls / >/dev/null; done
rm -f $work/f
EOT
chmod +x "$work/wl.sh"

settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 0.5
}

settle
# shellcheck disable=SC2086 # $events is a list of options
perf record -z -a $events -o "$out/z01_zstd.perf.data" -- "$work/wl.sh"
settle
# shellcheck disable=SC2086
perf record -z -a $events -o - -- "$work/wl.sh" >"$out/z02_zstd_pipe.perf.data"
for f in z01_zstd.perf.data z02_zstd_pipe.perf.data; do
	printf '%s: %s bytes, ' "$f" "$(stat -c %s "$out/$f")"
	perf script -i "$out/$f" 2>/dev/null |
		awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^kmem:mm_page/) n[$i]++ }
		     END { for (e in n) printf "%s %d ", e, n[e]; print "" }'
done
