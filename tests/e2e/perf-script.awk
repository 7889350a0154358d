# perf-script.awk - turn `perf script --ns -F comm,tid,cpu,time,event,trace` output into the
# lines of `trace-cmd report -t -R`, so that oracle.awk (unchanged) counts a perf.data
# recording too.  It reads text printed by perf, shares no code with pagecheck-replay, and
# decides nothing: it only rewrites each sample line
#   COMM TID [CPU] SECONDS.NANOS: SYSTEM:EVENT: FIELDS
# as
#   COMM-TID [CPU] SECONDS.NANOS: EVENT: FIELDS
# A failed allocation prints "page=(nil) pfn=0x0" in perf script; trace-cmd report -R prints
# the raw pfn=0xffffffffffffffff, which is what oracle.awk recognizes.  Lines of
# `perf script --show-lost-events` ("... LOST N events!") become the "CPU:N [N EVENTS DROPPED]"
# notices oracle.awk counts.  POSIX awk; run with LC_ALL=C.
{
	line = $0
	if (match(line, /[0-9]+ +\[[0-9]+\] +[0-9]+\.[0-9]+: +[^ :]+:[^ :]+:/)) {
		comm = substr(line, 1, RSTART - 1)
		sub(/ +$/, "", comm)
		head = substr(line, RSTART, RLENGTH)
		rest = substr(line, RSTART + RLENGTH)
		tid = head
		sub(/ .*$/, "", tid)
		cpu = head
		sub(/^[0-9]+ +\[/, "", cpu)
		sub(/\].*$/, "", cpu)
		ts = head
		sub(/^[0-9]+ +\[[0-9]+\] +/, "", ts)
		sub(/:.*$/, "", ts)
		ev = head
		sub(/^[^:]*: +[^:]*:/, "", ev)
		sub(/:$/, "", ev)
		if (ev == "mm_page_alloc" && rest ~ /page=\(nil\)/)
			sub(/pfn=0x0( |$)/, "pfn=0xffffffffffffffff ", rest)
		printf "%16s-%-5d [%03d] %s: %s:%s\n", comm, tid, cpu, ts, ev, rest
		next
	}
	if (match(line, /LOST [0-9]+ events!/)) {
		n = substr(line, RSTART + 5, RLENGTH - 13)
		cpu = line
		if (sub(/^.*\[/, "", cpu) && sub(/\].*$/, "", cpu) && cpu ~ /^[0-9]+$/)
			printf "CPU:%d [%d EVENTS DROPPED]\n", cpu, n
		else
			printf "CPU:0 [%d EVENTS DROPPED]\n", n
	}
}
