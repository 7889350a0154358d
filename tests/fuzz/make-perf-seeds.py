#!/usr/bin/env python3
# make-perf-seeds.py - small perf.data seeds for fuzz_perfdata from a pipe-mode `perf record -z`
# stream (testdata/z02_zstd_pipe.perf.data): the same attrs and features, the tracing data cut
# down to the kmem formats and a few printk / cmdline lines, and N records (the first ones and a run from the middle), written
# plain, as COMPRESSED (one zstd frame in two records) and as COMPRESSED2, in pipe and in file
# mode. A seed of 130 KB made libFuzzer run some 100 inputs a second; these are a few KB.
#
# Usage: make-perf-seeds.py PIPEFILE OUTDIR [N]   (needs the zstd command)
import os
import struct
import subprocess
import sys


def records(b, off):
    while off + 8 <= len(b):
        t, _, s = struct.unpack_from('<IHH', b, off)
        extra = struct.unpack_from('<I', b, off + 8)[0] if t == 66 else 0
        yield t, b[off:off + s], b[off + s:off + s + extra]
        off += s + extra


def trim_tracing(td):
    p = 10
    p = td.index(b'\0', p) + 1 + 2 + 4
    for name in (b'header_page\0', b'header_event\0'):
        assert td[p:p + len(name)] == name
        p += len(name)
        p += 8 + struct.unpack_from('<Q', td, p)[0]
    assert struct.unpack_from('<I', td, p)[0] == 0    # no ftrace formats
    p += 4
    nsys = struct.unpack_from('<I', td, p)[0]
    p += 4
    for _ in range(nsys):
        p = td.index(b'\0', p) + 1
        cnt = struct.unpack_from('<I', td, p)[0]
        p += 4
        for _ in range(cnt):
            p += 8 + struct.unpack_from('<Q', td, p)[0]
    head = td[:p]
    ks = struct.unpack_from('<I', td, p)[0]
    p += 4 + ks
    pk = struct.unpack_from('<I', td, p)[0]
    printk = b''.join(td[p + 4:p + 4 + pk].split(b'\n')[:3]) + b'\n'
    p += 4 + pk
    cl = struct.unpack_from('<Q', td, p)[0]
    cmdlines = b'\n'.join(td[p + 8:p + 8 + cl].split(b'\n')[:6]) + b'\n'
    return (head + struct.pack('<I', 0) + struct.pack('<I', len(printk)) + printk +
            struct.pack('<Q', len(cmdlines)) + cmdlines)


def rec(t, body):
    return struct.pack('<IHH', t, 0, 8 + len(body)) + body


def compressed(recs, v2):
    z = subprocess.run(['zstd', '-1', '-c', '-q'], input=recs, capture_output=True,
                       check=True).stdout
    out = b''
    for piece in (z[:len(z) // 3], z[len(z) // 3:]):
        if v2:
            body = struct.pack('<Q', len(piece)) + piece
            body += b'\0' * ((8 - (8 + len(body)) % 8) % 8)
            out += rec(83, body)
        else:
            out += rec(81, piece)
    return out


def main():
    src, outdir = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    b = open(src, 'rb').read()
    meta, attrs, feats, tracing, zdata = b'', [], {}, b'', b''
    for t, r, extra in records(b, 16):
        if t == 81:
            zdata += r[8:]
        elif t == 66:
            tracing = trim_tracing(extra)
        elif t == 64:
            attrs.append(r)
        elif t == 80:
            feats[struct.unpack_from('<Q', r, 8)[0]] = r[16:]
        if t == 64 or (t == 80 and struct.unpack_from('<Q', r, 8)[0] in (3, 4, 6, 7, 27)):
            meta += r
    plain = subprocess.run(['zstd', '-d', '-c', '-q'], input=zdata,
                           capture_output=True).stdout
    inner = b''.join(r for _, r, _ in records(plain, 0))
    # The first records (comms, forks, the first samples) and a run from the middle (frees).
    every = list(records(plain, 0))
    cut = b''.join(r for _, r, _ in every[:n // 2] + every[len(every) // 2:][:n - n // 2])
    assert len(inner) == len(plain), 'the decompressed stream is not whole records'
    head = b[:16]
    td = rec(66, struct.pack('<II', len(tracing), 0)) + tracing
    for name, data in (('pipe-plain', cut), ('pipe-z', compressed(cut, False)),
                       ('pipe-z2', compressed(cut, True))):
        open(os.path.join(outdir, name), 'wb').write(head + meta + td + data)

    # File mode: header, attrs with their ids, data, feature index, feature sections.
    for name, data in (('file-plain', cut), ('file-z', compressed(cut, False))):
        attr_size = None
        ids, entries = b'', []
        for r in attrs:
            asize = struct.unpack_from('<I', r, 12)[0]
            attr_size = asize + 16
            entries.append((r[8:8 + asize], r[8 + asize:]))
        off = 104
        ids_off = off
        ids = b''.join(i for _, i in entries)
        off += len(ids)
        attrs_off = off
        sec = b''
        pos = ids_off
        for a, i in entries:
            sec += a + struct.pack('<QQ', pos, len(i))
            pos += len(i)
        off += len(sec)
        data_off = off
        off += len(data)
        want = {1: tracing}
        want.update({k: v for k, v in feats.items() if k in (3, 4, 6, 7, 27)})
        bits = sorted(want)
        index_len = 16 * len(bits)
        body, index = b'', b''
        spos = off + index_len
        for k in bits:
            index += struct.pack('<QQ', spos + len(body), len(want[k]))
            body += want[k]
        fb = 0
        for k in bits:
            fb |= 1 << k
        hdr = (b'PERFILE2' + struct.pack('<QQQQQQ', 104, attr_size, attrs_off, len(sec),
                                         data_off, len(data)) +
               struct.pack('<QQ', 0, 0) + fb.to_bytes(32, 'little'))
        assert len(hdr) == 104
        open(os.path.join(outdir, name), 'wb').write(hdr + ids + sec + data + index + body)


main()
