#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tp-vs-checker.py - what the kmem tracepoints miss, measured against the RFC checker itself.

Reads recordings of the reference kernel that hold both the kmem page events and the checker's
own hook calls (page_consistency:pc_update), best with kernel stacks (trace-cmd record -T), and
pairs every hook call with the tracepoint event of the same page operation:

  alloc: post_alloc_hook() calls the checker, then __alloc_pages() emits mm_page_alloc;
  free:  free_pages_prepare() emits mm_page_free at its top and calls the checker at its end.

Pairing is per first pfn: a hook alloc waits for its mm_page_alloc, an mm_page_free for its hook
free; the next operation on the same pfn (or the end of the recording) closes a wait unpaired.
Unpaired hook calls are allocations or frees the tracepoints do not show; unpaired tracepoint
events are ones the checker never counted. Both are grouped by call path: the first frames of
the event's kernel stack below the allocator's and the checker's own functions.

Usage: tp-vs-checker.py [--frames N] [--markdown] NAME=FILE.dat ...
Prints one table per recording (and the pairing totals); needs trace-cmd.
"""
import argparse
import collections
import re
import subprocess
import sys

LINE = re.compile(r'^\s*(?P<comm>.*?)-(?P<pid>\d+)\s+\[(?P<cpu>\d+)\]\s+(?P<ts>\d+\.\d+):\s+'
                  r'(?P<event>\w+):\s*(?P<rest>.*)$')
FRAME = re.compile(r'^=> (\S+)')

# Frames of the allocator, the tracing and the checker themselves: the call path starts below.
PLUMBING = re.compile(
    r'^(trace_event_raw_event_\w+|trace_\w+|__traceiter_\w+|page_consistency_\w+|'
    r'__page_consistency_\w+|post_alloc_hook|prep_new_page|get_page_from_freelist|'
    r'__alloc_pages\w*|__alloc_frozen_pages\w*|alloc_pages\w*|alloc_frozen_pages\w*|'
    r'__folio_alloc\w*|folio_alloc\w*|free_pages_prepare|free_unref_page\w*|__free_pages\w*|'
    r'free_unref_folios|__free_pages_ok|free_frozen_pages|__free_frozen_pages|'
    r'free_the_page|___free_pages|free_pages|__folio_put|stack_trace_save\w*|ftrace_\w+|'
    r'__ftrace_trace_stack|__trace_stack)$')


def fields(rest):
    return dict(kv.split('=', 1) for kv in rest.split() if '=' in kv)


class Op:
    __slots__ = ('kind', 'pfn', 'order', 'ts', 'comm', 'stack', 'early')

    def __init__(self, kind, pfn, order, ts, comm):
        self.kind, self.pfn, self.order, self.ts, self.comm = kind, pfn, order, ts, comm
        self.stack = None
        self.early = False


def call_path(stack, frames):
    if not stack:
        return '(no stack)'
    below = [f for f in stack if not PLUMBING.match(f)]
    return '<'.join(below[:frames]) or '<'.join(stack[:frames])


def read_ops(path):
    """Yields the recording's page operations in order, each with its kernel stack."""
    proc = subprocess.Popen(['trace-cmd', 'report', path], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    last_on_cpu = {}
    stack_for = None
    ops = []
    for line in proc.stdout:
        m = FRAME.match(line)
        if m:
            if stack_for is not None:
                stack_for.stack.append(m.group(1))
            continue
        m = LINE.match(line)
        if not m:
            continue
        ev, cpu, rest = m.group('event'), int(m.group('cpu')), m.group('rest')
        if ev == 'kernel_stack':
            stack_for = last_on_cpu.pop(cpu, None)
            if stack_for is not None:
                stack_for.stack = []
            continue
        stack_for = None
        f = fields(rest)
        kind = None
        if ev == 'mm_page_alloc' and f.get('pfn') and int(f['pfn'], 0) not in (0, 2**64 - 1):
            kind = 'tp-alloc'
        elif ev == 'mm_page_free':
            kind = 'tp-free'
        elif ev == 'pc_update':
            kind = 'hook-' + f['op']
        if kind is None:
            continue
        op = Op(kind, int(f['pfn'], 0), int(f.get('order', '0')), m.group('ts'),
                m.group('comm').strip())
        op.early = f.get('early') == '1'
        ops.append(op)
        last_on_cpu[cpu] = op
    proc.wait()
    return ops


def pair(ops):
    """Returns (paired counts, unpaired ops)."""
    wait_alloc = {}   # pfn -> hook alloc waiting for its mm_page_alloc
    wait_free = {}    # pfn -> mm_page_free waiting for its hook free
    unpaired = []
    paired = collections.Counter()

    def close(table, pfn):
        op = table.pop(pfn, None)
        if op is not None:
            unpaired.append(op)

    for op in ops:
        if op.kind == 'hook-alloc':
            close(wait_alloc, op.pfn)
            close(wait_free, op.pfn)
            wait_alloc[op.pfn] = op
        elif op.kind == 'tp-alloc':
            w = wait_alloc.pop(op.pfn, None)
            if w is not None and w.order == op.order:
                paired['alloc'] += 1
            else:
                if w is not None:
                    unpaired.append(w)
                unpaired.append(op)
        elif op.kind == 'tp-free':
            close(wait_alloc, op.pfn)
            close(wait_free, op.pfn)
            wait_free[op.pfn] = op
        elif op.kind == 'hook-free':
            close(wait_alloc, op.pfn)
            w = wait_free.pop(op.pfn, None)
            if w is not None and w.order == op.order:
                paired['free'] += 1
            else:
                if w is not None:
                    unpaired.append(w)
                unpaired.append(op)
    unpaired.extend(wait_alloc.values())
    unpaired.extend(wait_free.values())
    return paired, unpaired


EARLY = '(made before tracing began: kept, early=1)'

LABEL = {
    'hook-alloc': 'alloc the checker counts, no mm_page_alloc',
    'hook-free': 'free the checker counts, no mm_page_free',
    'tp-alloc': 'mm_page_alloc the checker never counted',
    'tp-free': 'mm_page_free the checker never counted',
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--frames', type=int, default=3)
    ap.add_argument('--markdown', action='store_true')
    ap.add_argument('recordings', nargs='+', metavar='NAME=FILE')
    args = ap.parse_args()
    for spec in args.recordings:
        name, _, path = spec.partition('=')
        if not path:
            name, path = spec, spec
        ops = read_ops(path)
        paired, unpaired = pair(ops)
        counts = collections.Counter(o.kind for o in ops)
        groups = collections.Counter()
        pages = collections.Counter()
        for o in unpaired:
            # A kept call's stack is that of the call that wrote it: say when it was made.
            path_ = EARLY if o.early else call_path(o.stack, args.frames)
            key = (o.kind, path_)
            groups[key] += 1
            pages[key] += 1 << o.order
        print(f'## {name}: {counts["hook-alloc"]} hook allocs, {counts["hook-free"]} hook frees, '
              f'{counts["tp-alloc"]} mm_page_alloc, {counts["tp-free"]} mm_page_free; '
              f'paired {paired["alloc"]} allocs, {paired["free"]} frees')
        if not groups:
            print('every hook call has its tracepoint event and every event its hook call\n')
            continue
        if args.markdown:
            print('\n| what | call path | calls | pages |\n| --- | --- | ---: | ---: |')
        for (kind, path_), n in sorted(groups.items(), key=lambda kv: (kv[0][0], -kv[1],
                                                                           kv[0][1])):
            if args.markdown:
                print(f'| {LABEL[kind]} | `{path_}` | {n} | {pages[(kind, path_)]} |')
            else:
                print(f'{LABEL[kind]:45} {n:7} calls {pages[(kind, path_)]:8} pages  {path_}')
        print()
    return 0


if __name__ == '__main__':
    sys.exit(main())
