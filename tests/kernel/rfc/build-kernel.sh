#!/bin/bash
# build-kernel.sh - build pagecheck-replay's reference kernel: Debian's linux-source-6.12 with the
# RFC "mm: dual-bitmap page allocator consistency checker" and a trace event at the checker's
# update.
#
# The RFC pieces: 4/7 (the engine) is taken at build time from ../shared/seed (the mail's patch,
# whose whitespace the archive flattened: the new file is cut out of it, not copied into this
# project); 1/7 (include/linux/dual_bitmap.h), 2/7 (include/linux/page_consistency.h), 3/7
# (Kconfig) and 5/7 (the hooks: post_alloc_hook(), both exits of free_pages_prepare(), init just
# before memblock_free_all(), which 6.12 calls from mem_init()) are ours, written from the
# series' description (hooks-6.12.patch). engine-trace.patch and mm/page_consistency_trace.c add
# the page_consistency:pc_update / pc_init / pc_stats trace events.
#
# Usage: tests/kernel/rfc/build-kernel.sh [WORK]   (root for apt-get; WORK defaults to
#        /var/tmp/pcr-rfc). Result: WORK/bzImage, WORK/vmlinux, WORK/System.map, WORK/config.
# Takes about 15-25 minutes on two cores.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=${1:-${PCR_RFC_WORK:-/var/tmp/pcr-rfc}}
seed=${PCR_RFC_SEED:-$here/../../../../shared/seed/page_consistency-rfc-4of7.txt}
log() { echo "[build-kernel] $*" >&2; }

[ -r "$seed" ] || { log "cannot read the RFC seed $seed (set PCR_RFC_SEED)"; exit 2; }
need=()
for p in linux-source-6.12 build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	log "installing ${need[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

mkdir -p "$work"
src=$work/linux-source-6.12
if [ ! -f "$src/.pcr-patched" ]; then
	rm -rf "$src"
	log "unpacking /usr/src/linux-source-6.12.tar.xz"
	tar -xJf /usr/src/linux-source-6.12.tar.xz -C "$work"
	# 4/7: the new file mm/page_consistency.c, cut out of the mail between its diff header
	# and the signature line
	awk '/^\+\+\+ b\/mm\/page_consistency.c/ { f = 1; next }
	     f && /^@@/ { next }
	     f && /^--$/ { exit }
	     f { sub(/^\+/, ""); print }' "$seed" > "$src/mm/page_consistency.c"
	lines=$(wc -l < "$src/mm/page_consistency.c")
	[ "$lines" -eq 360 ] || { log "seed engine has $lines lines, expected 360"; exit 2; }
	cp -r "$here/include" "$here/mm" "$src/"
	(cd "$src" && patch -p1 -s < "$here/hooks-6.12.patch" && patch -p1 -s < "$here/engine-trace.patch")
	touch "$src/.pcr-patched"
fi

cd "$src"
if [ ! -f .config ] || [ "$here/kernel.config" -nt .config ]; then
	make -s tinyconfig
	make -s kvm_guest.config
	scripts/kconfig/merge_config.sh -m -O . .config "$here/kernel.config" > /dev/null
	make -s olddefconfig
	for opt in DEBUG_PAGE_CONSISTENCY FTRACE STACKTRACE TRANSPARENT_HUGEPAGE COMPACTION MEMCG \
		   VIRTIO_BLK SERIAL_8250_CONSOLE DEBUG_FS VMAP_STACK INET; do
		grep -q "^CONFIG_$opt=y" .config || { log "CONFIG_$opt is not set after merging"; exit 2; }
	done
fi
log "building ($(nproc) jobs)"
make -s -j"$(nproc)" bzImage
cp arch/x86/boot/bzImage vmlinux System.map "$work/"
cp .config "$work/config"
log "done: $work/bzImage ($(make -s kernelrelease))"
