#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""free-after-free.py - on a kernel without the checker, what the frees after frees are.

Reads trace-cmd recordings made with kernel stacks (-T), the kmem page events and migration's
migrate:remove_migration_pte (plus, optionally, compaction:mm_compaction_isolate_freepages), as
tests/kernel/rfc/host-6.18.sh records them. For every mm_page_free of a page whose previous
page event was also an mm_page_free (no mm_page_alloc between: what a replay calls a double
free), it says whether a migration installed the page as the new home of a folio in between
(remove_migration_pte's pte names the destination pfn) or compaction isolated a free-page range
that holds it, and groups the frees by that and by the free's call path.

Usage: free-after-free.py [--frames N] NAME=FILE.dat ...
"""
import argparse
import collections
import re
import subprocess
import sys

LINE = re.compile(r'^\s*(?P<comm>.*?)-(?P<pid>\d+)\s+\[(?P<cpu>\d+)\]\s+(?P<ts>\d+\.\d+):\s+'
                  r'(?P<event>\w+):\s*(?P<rest>.*)$')
FRAME = re.compile(r'^=> (\S+)')
PLUMBING = re.compile(
    r'^(trace_event_raw_event_\w+|free_pages_prepare|free_unref_page\w*|__free_pages\w*|'
    r'free_unref_folios|__free_pages_ok|free_frozen_pages|__free_frozen_pages|free_the_page|'
    r'___free_pages|free_pages|__folio_put)$')
PTE_PFN_MASK = ((1 << 52) - 1) & ~0xfff


def fields(rest):
    return dict(kv.split('=', 1) for kv in rest.replace(',', ' ').split() if '=' in kv)


def analyse(path, frames):
    proc = subprocess.Popen(['trace-cmd', 'report', path], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    last = {}          # pfn -> 'alloc' | 'free'
    migrated = set()   # pfns installed by a migration since their last page event
    isolated = []      # (lo, hi) ranges isolated since ... (kept whole: short recordings)
    pending = {}       # cpu -> [free record] waiting for its stack
    totals = collections.Counter()
    frees = []
    cur = None
    for line in proc.stdout:
        m = FRAME.match(line)
        if m:
            if cur is not None:
                cur['stack'].append(m.group(1))
            continue
        m = LINE.match(line)
        if not m:
            continue
        ev, cpu = m.group('event'), int(m.group('cpu'))
        if ev == 'kernel_stack':
            cur = pending.pop(cpu, None)
            if cur is not None:
                cur['stack'] = []
            continue
        cur = None
        f = fields(m.group('rest'))
        if ev == 'remove_migration_pte':
            pfn = (int(f['pte'], 16) & PTE_PFN_MASK) >> 12
            for p in range(pfn, pfn + (1 << int(f.get('order', '0')))):
                migrated.add(p)
            totals['remove_migration_pte'] += 1
        elif ev in ('mm_compaction_isolate_freepages', 'mm_compaction_fast_isolate_freepages'):
            r = re.search(r'range=\(0x([0-9a-f]+) ~ 0x([0-9a-f]+)\)', m.group('rest'))
            if r and int(f.get('nr_taken', '0')):
                isolated.append((int(r.group(1), 16), int(r.group(2), 16)))
        elif ev == 'mm_page_alloc':
            pfn = int(f.get('pfn', '0'), 0)
            if pfn in (0, 2**64 - 1):
                continue
            for p in range(pfn, pfn + (1 << int(f['order']))):
                last[p] = 'alloc'
                migrated.discard(p)
        elif ev == 'mm_page_free':
            pfn, order = int(f['pfn'], 0), int(f['order'])
            pages = range(pfn, pfn + (1 << order))
            again = [p for p in pages if last.get(p) == 'free']
            totals['mm_page_free'] += 1
            if again:
                if any(p in migrated for p in again):
                    why = 'migration target (remove_migration_pte)'
                elif any(lo <= p < hi for p in again for lo, hi in isolated):
                    why = 'in a compaction-isolated range'
                else:
                    why = 'no migration or isolation seen'
                rec = {'why': why, 'stack': None}
                pending[cpu] = rec
                totals['free after free'] += 1
                frees.append(rec)
            for p in pages:
                last[p] = 'free'
                migrated.discard(p)
    proc.wait()
    groups = collections.Counter()
    for rec in frees:
        stack = [s for s in (rec['stack'] or []) if not PLUMBING.match(s)]
        groups[(rec['why'], '<'.join(stack[:frames]) or '(no stack)')] += 1
    return totals, groups


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--frames', type=int, default=3)
    ap.add_argument('recordings', nargs='+', metavar='NAME=FILE')
    args = ap.parse_args()
    for spec in args.recordings:
        name, _, path = spec.partition('=')
        if not path:
            name, path = spec, spec
        totals, groups = analyse(path, args.frames)
        print(f'## {name}: {totals["mm_page_free"]} mm_page_free, '
              f'{totals["free after free"]} after a free with no alloc between, '
              f'{totals["remove_migration_pte"]} remove_migration_pte')
        for (why, path_), n in sorted(groups.items(), key=lambda kv: (kv[0][0], -kv[1])):
            print(f'{why:42} {n:6}  {path_}')
        print()
    return 0


if __name__ == '__main__':
    sys.exit(main())
