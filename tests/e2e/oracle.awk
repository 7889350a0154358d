# oracle.awk - independent counter oracle for the end-to-end tests of pagecheck-replay.
#
# It recomputes, from the text that `trace-cmd report -R FILE` prints, the counters that
# pagecheck-replay prints, so that a test can compare the tool with numbers derived without
# any of the tool's code.  It shares nothing with the tool: it reads text, not trace.dat.
# POSIX awk only; checked with mawk 1.3.4 and gawk 5.2.  Run it with LC_ALL=C (oracle.sh does),
# so that lengths count bytes like trace-cmd's "%16s" does.
#
# Usage (oracle.sh wraps this):
#   trace-cmd report --stat FILE > STAT
#   trace-cmd report -t -R FILE | awk -v statfile=STAT [-v model=window|kernel]
#       [-v running_from=SECONDS] [-v buffer=NAME|top] [-v lost_markers=max|add] -f oracle.awk
#
# Variables:
#   statfile      output of `trace-cmd report --stat FILE` (per-CPU kernel ring-buffer counters);
#                 empty: no loss check from the stats, only the missed-event notices.
#   model         window (default): a page never seen before (U) is not a double free.
#                 kernel: the RFC checker's view, bitmap all "free" at start: a free of a U page
#                 is a double-free page too (and still a free-unseen page).
#   running_from  timestamp (seconds, as trace-cmd prints it) at which system_state becomes
#                 SYSTEM_RUNNING.  A free, before it, of a page in state F (or U with
#                 model=kernel) is no double free: it counts as boot_free_unallocated instead.
#                 Compared in integer nanoseconds.  Empty (default): no boot gating.
#   from_boot     1: the recording starts at boot and has a boundary (oracle.sh decides it with
#                 boot-boundary.awk): a U page has been free since memblock_free_all, so in
#                 the window model too its free is a double-free page (boot_free_unallocated
#                 before running_from).
#   buffer        which ftrace buffer to replay: an instance name (`trace-cmd record -B NAME`),
#                 or top (or @top) for the top-level buffer, as pagecheck-replay --buffer=top.
#                 Default: the only buffer that holds kmem page events; more than one such
#                 buffer is an error (exit 2).
#   lost_markers  how the "CPU:N [M EVENTS DROPPED]" notices combine with the "overrun:"
#                 counter of the same CPU.  max (default): they describe the same overwritten
#                 events (checked on a recording with a 4 KiB buffer: per CPU the notices
#                 summed exactly to overrun), so the larger of the two is counted.
#                 add: the two are summed.
#
# The per-page model (pages of an event are pfn .. pfn + 2^order - 1; state U unknown,
# A allocated, F freed):
#   mm_page_alloc, pfn == -1     failed allocation: failed_allocs++, nothing else.
#   mm_page_alloc                alloc_count++; per page: A -> double-alloc page, else
#                                pages_tracked++; then A.
#   mm_page_free                 free_count++; per page: A -> pages_tracked--; F -> double-free
#                                page; U -> free-unseen page (and a double-free page with
#                                model=kernel); then F.  Before running_from, the double-free
#                                pages are boot_free_unallocated pages instead.
#   mm_page_free_batched         (pfn only, no order) a second notice of a free already traced,
#                                never a free: batched_free_notices++, and
#                                batched_free_unmatched++ when that pfn is not in state F.
#   mm_page_alloc_zone_locked,   counted, change nothing.
#   mm_page_pcpu_drain
#   any other event              events_other, and the marker counters (count_marker()).
# Every *_events counter counts events with at least one such page; *_pages counts pages.
# violations_detected = double_alloc_pages + double_free_pages.  invariant_* are always 0:
# the oracle keeps one state per page, so the two bitmaps of the checker cannot disagree.
# pfn_range is [lowest page touched by an alloc or free, highest such page + 1), in decimal
# ([0-0) when there is none); bitmap_size_bits is its width.
#
# Loss check (lost_events), per CPU of the replayed buffer, from the --stat section of that
# buffer: expected = entries + read events; gap = max(0, expected - records present on that
# CPU), less the events still in the kernel buffer (at most "entries") when its "oldest event
# ts" is later than the buffer's last record (written after the recording ended: they are
# trailing_unrecorded_events, not lost); lost = gap + overrun + commit overrun + dropped events, with overrun combined with the
# missed-event notices as lost_markers says.  Notices without a count ("[EVENTS DROPPED]")
# add nothing and are reported on stderr.
#
# Format of a record line in `trace-cmd report -R` (trace-cmd 3.1.6, tracecmd/trace-read.c):
#   [PREFIX]%16s-%-5d [%03d] TS: EVENT: field=value field=value ...
#   comm, right-aligned in 16 columns (a comm has at most 15 bytes, may hold spaces and dashes),
#   pid, cpu, timestamp ("123.456789", "123.456789012" or a raw count), event name.
#   When the file has instance buffers, EVERY line starts with a prefix: "%*s: " with the
#   instance name (right-aligned to the longest name) or "%*s  " (blanks) for the top buffer.
#   A missed-events notice is printed as its own line "PREFIX CPU:N [M EVENTS DROPPED]" right
#   before the record it precedes, and that record's line then has NO prefix.

BEGIN {
	# Integral numbers up to 2^53 must convert to exact decimal strings (array keys):
	# mawk would otherwise turn pages above 2^31 into "%.6g" strings, which collide.
	CONVFMT = "%.17g"
	OFMT = "%.17g"

	if (model == "")
		model = "window"
	if (model != "window" && model != "kernel")
		fatal("model must be window or kernel, not '" model "'")
	kernel_model = (model == "kernel")

	gate = (running_from != "")
	if (gate && running_from !~ /^[0-9]+(\.[0-9]*)?$/)
		fatal("running_from must be a timestamp in seconds, not '" running_from "'")
	boot_end = ns(running_from)

	if (lost_markers == "")
		lost_markers = "max"
	if (lost_markers != "max" && lost_markers != "add")
		fatal("lost_markers must be max or add, not '" lost_markers "'")

	for (i = 0; i < 10; i++)
		HEX[i ""] = i
	HEX["a"] = HEX["A"] = 10; HEX["b"] = HEX["B"] = 11; HEX["c"] = HEX["C"] = 12
	HEX["d"] = HEX["D"] = 13; HEX["e"] = HEX["E"] = 14; HEX["f"] = HEX["F"] = 15

	KMEM["mm_page_alloc"] = 1
	KMEM["mm_page_free"] = 1
	KMEM["mm_page_free_batched"] = 1
	KMEM["mm_page_alloc_zone_locked"] = 1
	KMEM["mm_page_pcpu_drain"] = 1

	ST_A = 1	# page state values; a page absent from the state array is U
	ST_F = 2

	nbuf = 0
	pending = 0	# a missed-events notice names the buffer of the next line
	if (statfile != "")
		read_stats(statfile)
}

function fatal(msg) {
	printf "oracle.awk: %s\n", msg > "/dev/stderr"
	failed = 1
	exit 2
}

function warn(msg) {
	printf "oracle.awk: warning: %s\n", msg > "/dev/stderr"
}

# A number printed by trace-cmd: 0x... hex or decimal.  Exact below 2^53.
function num(s,    v, i, n, c) {
	if (s !~ /^0[xX]/)
		return s + 0
	v = 0
	n = length(s)
	for (i = 3; i <= n; i++) {
		c = substr(s, i, 1)
		if (!(c in HEX))
			fatal("bad hex number '" s "' on line " NR)
		v = v * 16 + HEX[c]
	}
	return v
}

# A timestamp "SECONDS[.FRACTION]" as an integer count of nanoseconds (exact below 2^53 ns,
# 104 days); digits beyond the ninth decimal are dropped.  oracle.sh runs `trace-cmd report -t`,
# which prints all nine decimals (without -t trace-cmd rounds to microseconds).
function ns(t,    i, frac) {
	i = index(t, ".")
	if (!i)
		return t * 1000000000
	frac = substr(substr(t, i + 1) "000000000", 1, 9)
	return substr(t, 1, i - 1) * 1000000000 + frac
}

# Buffer name from the text printed before the comm column: "" (no instances), blanks
# (top buffer of a file with instances), or "NAME: " (right-aligned instance name).
function prefix_buffer(p) {
	if (p ~ /^ *$/)
		return ""
	if (p ~ /: $/) {
		sub(/^ +/, "", p)
		return substr(p, 1, length(p) - 2)
	}
	warn("unexpected line prefix '" p "' on line " NR)
	return p
}

# A timestamp "SECONDS.FRACTION" in whole microseconds (the fraction cut to 6 digits), exact
# in awk's doubles for any uptime below 285 years.
function usec(t,    sec, frac) {
	sec = t
	sub(/\..*$/, "", sec)
	frac = t
	if (!sub(/^[0-9]+\./, "", frac))
		frac = ""
	frac = substr(frac "000000", 1, 6)
	return sec * 1000000 + frac
}

function see_buffer(b) {
	if (!(b in BUFSEEN)) {
		BUFSEEN[b] = 1
		BUFNAME[++nbuf] = b
	}
}

# `trace-cmd report --stat` output: optional "Buffer: NAME" headers (the top buffer's
# CPUs come first, without a header), then "CPU: N" sections with "key: value" lines.
function read_stats(path,    line, b, cpu, key, val, r) {
	b = ""
	cpu = -1
	while ((r = (getline line < path)) > 0) {
		if (line ~ /^Buffer: /) {
			b = substr(line, 9)
			cpu = -1
			continue
		}
		if (line ~ /^CPU: [0-9]+$/) {
			cpu = substr(line, 6) + 0
			STAT_CPU[b, cpu] = 1
			STAT_BUFCPUS[b] = STAT_BUFCPUS[b] " " cpu
			continue
		}
		if (cpu >= 0 && line ~ /^oldest event ts: +[0-9]+\.[0-9]+$/) {
			val = line
			sub(/^oldest event ts: +/, "", val)
			STAT[b, cpu, "oldest_us"] = usec(val)
			continue
		}
		if (cpu < 0 || line !~ /^[a-z ]+: +[0-9]+$/)
			continue
		key = line
		sub(/: +[0-9]+$/, "", key)
		val = line
		sub(/^[a-z ]+: +/, "", val)
		if (key == "entries" || key == "overrun" || key == "commit overrun" ||
		    key == "dropped events" || key == "read events")
			STAT[b, cpu, key] = val + 0
	}
	if (r < 0)
		fatal("cannot read " path)
	close(path)
}

# ---- the replay; every counter is kept per buffer (index b) ----

function page_alloc(b, pfn, order,    n, i, k, dap) {
	C[b, "alloc_count"]++
	n = 2 ^ order
	dap = 0
	for (i = 0; i < n; i++) {
		k = b SUBSEP (pfn + i)
		if ((k in S) && S[k] == ST_A)
			dap++
		else
			C[b, "pages_tracked"]++
		S[k] = ST_A
	}
	touch(b, pfn, pfn + n - 1)
	if (dap) {
		C[b, "double_alloc_events"]++
		C[b, "double_alloc_pages"] += dap
	}
}

function page_free(b, pfn, order, ts,    n, i, k, st, dfp, unseen, bootp, boot) {
	C[b, "free_count"]++
	n = 2 ^ order
	boot = gate && ts < boot_end
	dfp = unseen = bootp = 0
	for (i = 0; i < n; i++) {
		k = b SUBSEP (pfn + i)
		st = (k in S) ? S[k] : 0
		if (st == ST_A) {
			C[b, "pages_tracked"]--
		} else {
			if (st == 0)
				unseen++
			if (st == ST_F || (st == 0 && (kernel_model || from_boot))) {
				if (boot)
					bootp++
				else
					dfp++
			}
		}
		S[k] = ST_F
	}
	touch(b, pfn, pfn + n - 1)
	if (dfp) {
		C[b, "double_free_events"]++
		C[b, "double_free_pages"] += dfp
	}
	if (unseen) {
		C[b, "free_unseen_events"]++
		C[b, "free_unseen_pages"] += unseen
	}
	if (bootp) {
		C[b, "boot_free_unallocated_events"]++
		C[b, "boot_free_unallocated_pages"] += bootp
	}
}

function page_free_batched(b, pfn,    k) {
	C[b, "batched_free_notices"]++
	k = b SUBSEP pfn
	if (!(k in S) || S[k] != ST_F)
		C[b, "batched_free_unmatched"]++
}

# Markers, counted as well as "other": initcall_finish, sched_process_exec, _fork, _exit, and
# kprobe lines (raw "__probe_ip=" or "__probe_func=" field): one whose name says "initmem" is
# free_initmem's entry (__probe_ip) or return (__probe_func); another with a system_state= or
# state= field reports system_state.
function count_marker(b, ev, rest,    ret) {
	if (ev == "initcall_finish" || ev == "sched_process_exec" || ev == "sched_process_fork") {
		C[b, "events_" ev]++
		return
	}
	# A thread's exit is no process's end: only the last thread's (group_dead) counts.
	if (ev == "sched_process_exit") {
		if (rest !~ /(^| )group_dead=(false|0)( |$)/)
			C[b, "events_" ev]++
		return
	}
	ret = rest ~ /(^| )__probe_func=/
	if (!ret && rest !~ /(^| )__probe_ip=/)
		return
	if (ev ~ /initmem/)
		C[b, ret ? "events_free_initmem_exit" : "events_free_initmem_enter"]++
	else if (rest ~ /(^| )(system_)?state=/)
		C[b, "events_system_state"]++
}

function touch(b, lo, hi) {
	if (!((b, "min") in R) || lo < R[b, "min"])
		R[b, "min"] = lo
	if (!((b, "max") in R) || hi > R[b, "max"])
		R[b, "max"] = hi
}

# Value of the pfn / order field in the raw field text, "" when absent.  Static regexes:
# gawk recompiles a dynamic regex whenever it differs from the previous one.
function field_pfn(rest,    s) {
	if (!match(rest, /(^| )pfn=[^ ]*/))
		return ""
	s = substr(rest, RSTART, RLENGTH)
	sub(/^ ?pfn=/, "", s)
	return s
}

function field_order(rest,    s) {
	if (!match(rest, /(^| )order=[^ ]*/))
		return ""
	s = substr(rest, RSTART, RLENGTH)
	sub(/^ ?order=/, "", s)
	return s
}

# Split a record line "PREFIX+COMM-PID [CPU] TS: EVENT: FIELDS" into H_PRE (prefix and
# 16-column comm), H_CPU, H_TS (string), H_EV and H_REST (the fields).  Returns 0 when the
# line is no record.  "-PID [CPU] TS: EVENT:" anchors it, and its first occurrence is the
# right one: a comm (at most 15 bytes) cannot hold that after a "-PID".
# Fast path first: the first "] " of the line, checked with plain (DFA) regex tests; gawk's
# match() is slow, so it only runs when the fast path fails (a "] " inside a comm).
function parse_record(line,    i, left, right, j, k) {
	i = index(line, "] ")
	if (i > 0) {
		left = substr(line, 1, i)
		right = substr(line, i + 2)
		if (left ~ /-[0-9]+ +\[[0-9]+\]$/ && right ~ /^ *[0-9]+(\.[0-9]+)?: +[^ :]+:/) {
			match(left, /-[0-9]+ +\[[0-9]+\]$/)
			H_PRE = substr(left, 1, RSTART - 1)
			H_CPU = substr(left, 1, i - 1)
			sub(/^.*\[/, "", H_CPU)
			H_CPU += 0
			j = index(right, ":")
			H_TS = substr(right, 1, j - 1)
			sub(/^ +/, "", H_TS)
			right = substr(right, j + 1)
			sub(/^ +/, "", right)
			k = index(right, ":")
			H_EV = substr(right, 1, k - 1)
			H_REST = substr(right, k + 1)
			return 1
		}
	}
	if (!match(line, /-[0-9]+ +\[[0-9]+\] +[0-9]+(\.[0-9]+)?: +[^ :]+:/))
		return 0
	H_PRE = substr(line, 1, RSTART - 1)
	H_REST = substr(line, RSTART + RLENGTH)
	left = substr(line, RSTART, RLENGTH)		# "-PID [CPU] TS: EVENT:"
	sub(/^-[0-9]+ +\[/, "", left)
	H_CPU = left
	sub(/\].*$/, "", H_CPU)
	H_CPU += 0
	sub(/^[0-9]+\] +/, "", left)
	H_TS = left
	sub(/:.*$/, "", H_TS)
	H_EV = left
	sub(/^[^:]*: +/, "", H_EV)
	sub(/:$/, "", H_EV)
	return 1
}

# ---- one line of `trace-cmd report -R` ----
{
	line = $0

	# Missed-events notice (printed by trace-cmd when a ring-buffer page says events were
	# overwritten).  "CPU:N [M EVENTS DROPPED]", "CPU:N [EVENTS DROPPED]"; the
	# "LOST M EVENTS" spellings of other versions are accepted too.
	# It must fill the line after the buffer prefix, so that a print record whose text
	# quotes one is not taken for a notice.
	if ((match(line, /CPU: ?[0-9]+:? \[(LOST )?[0-9]* ?EVENTS( DROPPED)?\] *$/) ||
	     match(line, /CPU: ?[0-9]+:? [Ll]ost [0-9]* ?[Ee]vents *$/)) &&
	    substr(line, 1, RSTART - 1) ~ /^( *| *[^ ].*: )$/) {
		s = substr(line, RSTART, RLENGTH)
		pb = prefix_buffer(substr(line, 1, RSTART - 1))
		see_buffer(pb)
		cpu = s
		sub(/^CPU: ?/, "", cpu)
		sub(/[^0-9].*$/, "", cpu)
		cpu += 0
		cnt = s
		sub(/^CPU: ?[0-9]+:? /, "", cnt)
		if (cnt ~ /[0-9]/) {
			sub(/^[^0-9]*/, "", cnt)
			sub(/[^0-9].*$/, "", cnt)
			MARK[pb, cpu] += cnt
		} else {
			MARK_UNKNOWN[pb]++
		}
		MARK_CPUS[pb] = MARK_CPUS[pb] " " cpu
		pending = 1
		pending_buf = pb
		next
	}

	# A record?  parse_record() sets H_PRE, H_CPU, H_TS, H_EV, H_REST.
	if (!parse_record(line)) {
		if (line !~ /^cpus=[0-9]+$/ && line !~ /^ *$/)
			unparsed++
		pending = 0
		next
	}
	cpu = H_CPU
	ts = H_TS
	ev = H_EV
	rest = H_REST
	if (pending) {
		b = pending_buf
		pending = 0
	} else if (length(H_PRE) > 16) {
		b = prefix_buffer(substr(H_PRE, 1, length(H_PRE) - 16))
	} else {
		b = ""
	}
	see_buffer(b)

	PRESENT[b, cpu]++
	if (!(b in END_US) || usec(ts) > END_US[b])
		END_US[b] = usec(ts)
	if (!((b, cpu) in PCPU_SEEN)) {
		PCPU_SEEN[b, cpu] = 1
		PRESENT_CPUS[b] = PRESENT_CPUS[b] " " cpu
	}

	if (!(ev in KMEM)) {
		C[b, "events_other"]++
		count_marker(b, ev, rest)
		next
	}
	C[b, "events_" ev]++
	HAS_KMEM[b] = 1

	pfs = field_pfn(rest)
	if (pfs == "") {
		# Kernels before 4.1 traced "page" (a struct page *), not pfn: not supported here.
		nopfn++
		next
	}

	if (ev == "mm_page_alloc") {
		if (pfs == "0xffffffffffffffff" || pfs == "18446744073709551615" || pfs == "-1") {
			C[b, "failed_allocs"]++
			next
		}
		page_alloc(b, num(pfs), num(field_order(rest)))
	} else if (ev == "mm_page_free") {
		page_free(b, num(pfs), num(field_order(rest)), gate ? ns(ts) : 0)
	} else if (ev == "mm_page_free_batched") {
		page_free_batched(b, num(pfs))
	}
	# mm_page_alloc_zone_locked, mm_page_pcpu_drain: counted above, nothing else.
}

function out(name, v) {
	printf "%s: %.0f\n", name, v + 0
}

function counter(b, name) {
	return ((b, name) in C) ? C[b, name] : 0
}

END {
	if (failed)
		exit 2

	if (unparsed)
		warn(unparsed " line(s) were not records (continuation lines of multi-line fields?)")
	if (nopfn)
		warn(nopfn " kmem record(s) without a pfn field were skipped")

	# Which buffer to replay.
	if (buffer != "") {
		sel = (buffer == "@top" || buffer == "top") ? "" : buffer
	} else {
		nk = 0
		for (i = 1; i <= nbuf; i++)
			if (BUFNAME[i] in HAS_KMEM) {
				nk++
				sel = BUFNAME[i]
				names = names " '" (BUFNAME[i] == "" ? "top" : BUFNAME[i]) "'"
			}
		if (nk > 1)
			fatal("page events in more than one buffer:" names "; choose one with buffer=")
		if (nk == 0) {
			sel = ""
			warn("no kmem page events in any buffer")
		}
	}

	# Loss check for that buffer, per CPU.
	lost = 0
	trailing = 0
	split("", cpus)
	n = split(STAT_BUFCPUS[sel] " " PRESENT_CPUS[sel] " " MARK_CPUS[sel], list, " ")
	for (i = 1; i <= n; i++) {
		if (list[i] == "" || (list[i] in cpus))
			continue
		cpus[list[i]] = 1
		cpu = list[i] + 0
		present = ((sel, cpu) in PRESENT) ? PRESENT[sel, cpu] : 0
		marks = ((sel, cpu) in MARK) ? MARK[sel, cpu] : 0
		if ((sel, cpu) in STAT_CPU) {
			expected = STAT[sel, cpu, "entries"] + STAT[sel, cpu, "read events"]
			gap = expected - present
			if (gap < 0) {
				warn("CPU " cpu ": " present " records but the kernel counted " expected)
				gap = 0
			}
			# Events the kernel still held when its counters were read and whose oldest is
			# later than the last record of the buffer were written after the recording
			# ended: not lost from the window.
			if (gap > 0 && ((sel, cpu, "oldest_us") in STAT) && (sel in END_US) &&
			    STAT[sel, cpu, "oldest_us"] > END_US[sel]) {
				tr = gap < STAT[sel, cpu, "entries"] ? gap : STAT[sel, cpu, "entries"]
				trailing += tr
				gap -= tr
			}
			ovr = STAT[sel, cpu, "overrun"]
			if (lost_markers == "add")
				ovr += marks
			else if (marks > ovr)
				ovr = marks
			lost += gap + ovr + STAT[sel, cpu, "commit overrun"] + \
				STAT[sel, cpu, "dropped events"]
		} else {
			lost += marks
		}
	}
	if (MARK_UNKNOWN[sel])
		warn(MARK_UNKNOWN[sel] " missed-events notice(s) without a count")

	if ((sel, "min") in R) {
		lo = R[sel, "min"]
		hi = R[sel, "max"] + 1
	} else {
		lo = hi = 0
	}

	out("pages_tracked", counter(sel, "pages_tracked"))
	out("alloc_count", counter(sel, "alloc_count"))
	out("free_count", counter(sel, "free_count"))
	out("violations_detected", counter(sel, "double_alloc_pages") + counter(sel, "double_free_pages"))
	out("bitmap_size_bits", hi - lo)
	printf "pfn_range: [%.0f-%.0f)\n", lo, hi
	out("events_mm_page_alloc", counter(sel, "events_mm_page_alloc"))
	out("events_mm_page_free", counter(sel, "events_mm_page_free"))
	out("events_mm_page_free_batched", counter(sel, "events_mm_page_free_batched"))
	out("events_mm_page_alloc_zone_locked", counter(sel, "events_mm_page_alloc_zone_locked"))
	out("events_mm_page_pcpu_drain", counter(sel, "events_mm_page_pcpu_drain"))
	out("events_other", counter(sel, "events_other"))
	out("events_initcall_finish", counter(sel, "events_initcall_finish"))
	out("events_sched_process_exec", counter(sel, "events_sched_process_exec"))
	out("events_system_state", counter(sel, "events_system_state"))
	out("events_free_initmem_enter", counter(sel, "events_free_initmem_enter"))
	out("events_free_initmem_exit", counter(sel, "events_free_initmem_exit"))
	out("events_sched_process_fork", counter(sel, "events_sched_process_fork"))
	out("events_sched_process_exit", counter(sel, "events_sched_process_exit"))
	out("failed_allocs", counter(sel, "failed_allocs"))
	out("batched_free_notices", counter(sel, "batched_free_notices"))
	out("batched_free_unmatched", counter(sel, "batched_free_unmatched"))
	out("free_unseen_events", counter(sel, "free_unseen_events"))
	out("free_unseen_pages", counter(sel, "free_unseen_pages"))
	out("boot_free_unallocated_events", counter(sel, "boot_free_unallocated_events"))
	out("boot_free_unallocated_pages", counter(sel, "boot_free_unallocated_pages"))
	out("lost_events", lost)
	out("trailing_unrecorded_events", trailing)
	out("double_alloc_events", counter(sel, "double_alloc_events"))
	out("double_alloc_pages", counter(sel, "double_alloc_pages"))
	out("double_free_events", counter(sel, "double_free_events"))
	out("double_free_pages", counter(sel, "double_free_pages"))
	out("invariant_events", 0)
	out("invariant_pages", 0)
}
