#!/usr/bin/env python3
# make-lava.py - derive the LAVA job log and dmesg -T fixtures of this folder from the real
# serial console logs recorded here (see README.md, "LAVA job logs and dmesg -T").
#
# A LAVA dispatcher logs every line it reads from the device's serial console as one YAML flow
# mapping, with yaml.dump(data, default_flow_style=True, default_style='"', width=10**6), the
# message in YAML's double-quoted style:
#   - {"dt": "2026-12-06T14:00:01.234567", "lvl": "target", "msg": "[    1.234567] ..."}
# LAVA's own records (lvl info, debug, results, ...) come between. This script wraps each line
# of a console log that way, the "dt" being a made-up wall clock (START plus the line's printk
# time), and damages chosen lines as a lab's serial reader does:
#   cut:    the line is logged as two records, split in the middle of its pfn value;
#   merged: the line and the next one are logged as one record (the newline lost).
# Page event lines (numbered from 0 in the order they appear) are cut when n % 50 == 7 and
# merged with the next line when n % 50 == 23; --cut-fault also cuts the first mm_page_free
# after the module's "pcr_fault: FAULT" line, the double free itself.
#
# dmesg -T prints each record behind "[Sun Dec  6 14:00:01 2026] ", the boot time plus the
# record's time in the local time zone (here UTC), to the second: --dmesg-T converts a log of
# busybox dmesg ("[    1.234567] ...") to that.
#
# Usage:
#   make-lava.py [--cut-fault] CONSOLE.log.zst OUT.yaml.zst
#   make-lava.py --dmesg-T DMESG.log.zst OUT.log.zst
# Needs python3-yaml and zstd. Deterministic: the same input gives the same output.
import datetime
import re
import subprocess
import sys

import yaml

START = datetime.datetime(2026, 12, 6, 14, 0, 0)
PRINTK = re.compile(r"^\[ *(\d+)\.(\d+)\] ")
EVENT = re.compile(r"mm_page_(alloc|free|free_batched): ")


def read_zst(path):
    out = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
    return [line.rstrip("\r") for line in out.decode("utf-8", "replace").split("\n")][:-1]


def write_zst(path, lines):
    data = "".join(line + "\n" for line in lines).encode()
    subprocess.run(["zstd", "-q", "-19", "-f", "-o", path], input=data, check=True)


def record(dt, lvl, msg):
    data = {"dt": dt.isoformat(timespec="microseconds"), "lvl": lvl, "msg": msg}
    text = yaml.dump(data, default_flow_style=True, default_style='"', width=10**6,
                     Dumper=yaml.CDumper)[:-1]
    return "- " + text


def when(line, last):
    m = PRINTK.match(line)
    if not m:
        return last
    return START + datetime.timedelta(seconds=int(m.group(1)), microseconds=int(m.group(2)))


def cut_point(line):
    # in the middle of the pfn's value: "pfn=0x47" | "ce order=1"
    m = re.search(r"pfn=0x([0-9a-f]+)", line)
    if m and len(m.group(1)) > 1:
        return m.start(1) + len(m.group(1)) // 2
    return len(line) // 2


def lava(lines, cut_fault):
    dt = START
    out = [record(dt, "info", "lava-dispatcher, installed at version: 2024.01"),
           record(dt, "info", "start: 2 qemu-boot (timeout 00:10:00) [common]"),
           record(dt, "debug", "Boot command: qemu-system-x86_64 -smp 2 ...")]
    n = 0
    fault_seen = fault_cut = False
    i = 0
    while i < len(lines):
        line = lines[i]
        dt = when(line, dt)
        event = EVENT.search(line) is not None
        cut = merge = False
        if "pcr_fault: FAULT" in line:
            fault_seen = True
        if event:
            cut = n % 50 == 7
            merge = n % 50 == 23 and i + 1 < len(lines)
            if cut_fault and fault_seen and not fault_cut and "mm_page_free: " in line:
                cut = fault_cut = True
                merge = False
            n += 1
        if cut:
            at = cut_point(line)
            out.append(record(dt, "target", line[:at]))
            out.append(record(dt, "target", line[at:]))
        elif merge:
            out.append(record(dt, "target", line + lines[i + 1]))
            i += 1
        else:
            out.append(record(dt, "target", line))
        i += 1
    out.append(record(dt, "results", {"case": "job", "definition": "lava", "result": "fail"}))
    return out


def dmesg_t(lines):
    out = []
    for line in lines:
        m = PRINTK.match(line)
        if not m:
            out.append(line)
            continue
        t = START + datetime.timedelta(seconds=int(m.group(1)))
        out.append("[" + t.strftime("%a %b ") + "%2d" % t.day + t.strftime(" %H:%M:%S %Y") +
                   "] " + line[m.end():])
    return out


def main(argv):
    if len(argv) == 3 and argv[0] == "--dmesg-T":
        write_zst(argv[2], dmesg_t(read_zst(argv[1])))
        return 0
    cut_fault = argv[:1] == ["--cut-fault"]
    if cut_fault:
        argv = argv[1:]
    if len(argv) != 2:
        sys.stderr.write(__doc__ or "usage: make-lava.py [--cut-fault] IN.log.zst OUT.yaml.zst\n")
        return 2
    write_zst(argv[1], lava(read_zst(argv[0]), cut_fault))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
