# boot-boundary.awk - where SYSTEM_RUNNING begins in a boot recording, from the text of
# `trace-cmd report -t -R FILE`, written apart from the tool for its end-to-end tests.
#
# Prints three lines as pagecheck-replay's report names them:
#   from_boot: yes|no
#   boot_marker: KIND at SECONDS | none
#   running_from: SECONDS
# The rules (README "Boot recordings", from the order kernel_init() runs things in):
#   * The first kmem page event or marker line decides whether the recording starts at boot:
#     pid 0 and a timestamp below 10 s. If not, nothing else is looked at.
#   * Only lines before pid 1's first sched_process_exec count (a module's initcall later in the
#     recording says nothing about the boot).
#   * system_state: the first kprobe line (a "__probe_ip=" or "__probe_func=" field) whose
#     system_state= or state= value is 3 or more; running_from is its timestamp.
#   * free_initmem_burst: else the last mm_page_free by pid 1 of a page no earlier mm_page_alloc
#     or mm_page_free showed, after the last initcall_finish (if any, before the exec), when
#     there is an initcall_finish or an exec at all; running_from = that free + 1 ns.
#   * free_initmem_burst of a recording of page events alone: else, when no initcall_finish and
#     no exec came first, the first mm_page_alloc by pid 1 of a movable page (migratetype=1: a
#     user page, after its exec) after a free by pid 1 of a never-seen page ends the search; the
#     boundary is the last free of pid 1's last unbroken run of such frees (no other page event
#     of pid 1 between them) before it, + 1 ns.
#   * last_initcall: else the last initcall_finish; running_from = it + 1 ns.
#   * first_exec: else pid 1's first exec; running_from = its timestamp.
#   * none: running_from 0 when the recording does not start at boot, "not found" when it does.
# With -v counts=1, a run found that way prints its frees too: "boot_initmem_burst_events: N".
# POSIX awk (mawk and gawk); run with LC_ALL=C.

BEGIN {
	CONVFMT = "%.17g"
	decided = 0
	started = 0
	boot = 0
	exact = ""
	burst = ""
	initcall = ""
	exec1 = ""
	run = ""
	user = ""
	run_open = 0
	run_count = 0
	for (i = 0; i < 10; i++)
		H[i ""] = i
	H["a"] = 10; H["b"] = 11; H["c"] = 12; H["d"] = 13; H["e"] = 14; H["f"] = 15
}

function hex(s,    v, i) {
	if (s !~ /^0x/)
		return s + 0
	v = 0
	for (i = 3; i <= length(s); i++)
		v = v * 16 + H[substr(s, i, 1)]
	return v
}

# "SECONDS.NNNNNNNNN" to integer nanoseconds, and back.
function to_ns(t,    d) {
	d = index(t, ".")
	return substr(t, 1, d - 1) * 1000000000 + substr(substr(t, d + 1) "000000000", 1, 9)
}

function to_s(n,    sec) {
	sec = int(n / 1000000000)
	return sprintf("%d.%09d", sec, n - sec * 1000000000)
}

# The value of "key=" in the text after the event name, "" when absent.
function val(rest, key,    s) {
	if (!match(rest, "(^| )" key "=[^ ]*"))
		return ""
	s = substr(rest, RSTART, RLENGTH)
	sub(/^ ?[a-z_]+=/, "", s)
	return s
}

# Nothing after the decision counts: stop reading (trace-cmd then ends on SIGPIPE).
decided { exit }

# "COMM-PID [CPU] TS: EVENT: FIELDS"
match($0, /-[0-9]+ +\[[0-9]+\] +[0-9]+\.[0-9]+: +[a-z_0-9]+:/) {
	head = substr($0, RSTART, RLENGTH)
	rest = substr($0, RSTART + RLENGTH)
	pid = head
	sub(/^-/, "", pid)
	sub(/ .*$/, "", pid)
	ts = head
	sub(/^[^\]]*\] +/, "", ts)
	sub(/:.*$/, "", ts)
	ev = head
	sub(/^.*: +/, "", ev)
	sub(/:$/, "", ev)

	kprobe = rest ~ /(^| )__probe_(ip|func)=/
	page = ev ~ /^mm_page_(alloc|free|free_batched|alloc_zone_locked|pcpu_drain)$/
	if (!started) {
		if (!page && !kprobe && ev != "initcall_finish" && ev != "sched_process_exec")
			next
		started = 1
		boot = pid == 0 && to_ns(ts) < 10000000000
		if (!boot) {
			decided = 1
			next
		}
	}
	if (kprobe) {
		st = val(rest, "system_state")
		if (st == "")
			st = val(rest, "state")
		if (st != "" && hex(st) >= 3) {
			exact = ts
			decided = 1
		}
	} else if (ev == "initcall_finish") {
		initcall = ts
		burst = ""
	} else if (ev == "sched_process_exec" && val(rest, "pid") == "1") {
		exec1 = ts
		decided = 1
	} else if (ev == "mm_page_alloc" || ev == "mm_page_free") {
		p = val(rest, "pfn")
		if (p == "0xffffffffffffffff" || p == "")
			next
		p = hex(p)
		n = 2 ^ hex(val(rest, "order"))
		fresh = 0
		for (i = 0; i < n; i++) {
			if (!((p + i) in SEEN))
				fresh = 1
			SEEN[p + i] = 1
		}
		if (ev == "mm_page_free" && pid == 1 && fresh)
			burst = ts
		if (pid == 1 && ev == "mm_page_free" && fresh) {
			run_count = run_open ? run_count + 1 : 1
			run = ts
			run_open = 1
		} else if (pid == 1) {
			run_open = 0
			if (ev == "mm_page_alloc" && run != "" && initcall == "" && exec1 == "" &&
			    val(rest, "migratetype") == "1") {
				user = ts
				decided = 1
			}
		}
	}
}

END {
	print "from_boot: " (boot ? "yes" : "no")
	if (!boot) {
		print "boot_marker: none"
		print "running_from: 0.000000000"
	} else if (exact != "") {
		print "boot_marker: system_state at " exact
		print "running_from: " exact
	} else if (burst != "" && (initcall != "" || exec1 != "")) {
		print "boot_marker: free_initmem_burst at " burst
		print "running_from: " to_s(to_ns(burst) + 1)
	} else if (user != "") {
		print "boot_marker: free_initmem_burst at " run
		print "running_from: " to_s(to_ns(run) + 1)
		if (counts)
			print "boot_initmem_burst_events: " run_count
	} else if (initcall != "") {
		print "boot_marker: last_initcall at " initcall
		print "running_from: " to_s(to_ns(initcall) + 1)
	} else if (exec1 != "") {
		print "boot_marker: first_exec at " exec1
		print "running_from: " exec1
	} else {
		print "boot_marker: none"
		print "running_from: not found"
	}
}
