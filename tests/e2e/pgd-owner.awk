# pgd-owner.awk - from 'trace-cmd report -t' text, the double allocs of page directories and
# when their address space ended, found without pagecheck-replay's code.
#
# A double alloc: a page allocated again with no mm_page_free of it in between. A kernel_stack
# belongs to the previous event of its CPU. The previous alloc was a page directory when its
# stack holds pgd_alloc: from alloc_bprm the mm is the allocating task's, installed by its next
# exec and ended by the exec after that or by its exit; from copy_process it is the child's of
# the allocating task's next fork, ended by the child's first exec or exit.
# Prints one line per double alloc: "PFN TS explained OWNER exited|exec'd ENDTS", or
# "PFN TS violation" / "PFN TS other" (not a page directory).

function hex(s,    n, i, c) {
	n = 0
	s = tolower(s)
	sub(/^0x/, "", s)
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(s, i, 1)) - 1
		n = n * 16 + c
	}
	return n
}

function field(name,    i) {
	for (i = 1; i <= NF; i++)
		if (index($i, name "=") == 1)
			return substr($i, length(name) + 2)
	return ""
}

/^=>/ {
	if (owner_ev)
		frames[owner_ev] = frames[owner_ev] " " $2 " "
	next
}

{
	# "[prefix: ]comm-pid [cpu] ts: event: fields"
	for (i = 1; i <= NF; i++)
		if ($i ~ /^\[[0-9]+\]$/)
			break
	if (i > NF)
		next
	cpu = $i
	ts = $(i + 1)
	sub(/:$/, "", ts)
	ev = $(i + 2)
	sub(/:$/, "", ev)
	task = $(i - 1)
	pid = task
	sub(/.*-/, "", pid)
	if (ev == "kernel_stack") {
		owner_ev = last[cpu]
		next
	}
	owner_ev = 0
	nev++
	last[cpu] = nev
	evpid[nev] = pid
	evts[nev] = ts
	if (ev == "sched_process_fork") {
		np++
		pkind[np] = "fork"; pts[np] = ts; ppid[np] = field("pid"); pchild[np] = field("child_pid")
	} else if (ev == "sched_process_exec") {
		np++
		pkind[np] = "exec"; pts[np] = ts; ppid[np] = field("pid")
	} else if (ev == "sched_process_exit") {
		if (field("group_dead") == "false")
			next
		np++
		pkind[np] = "exit"; pts[np] = ts; ppid[np] = field("pid")
	} else if (ev == "mm_page_alloc" || ev == "mm_page_free") {
		pfn = field("pfn")
		if (pfn == "" || field("page") == "(nil)")
			next
		first = hex(pfn)
		pages = 2 ^ field("order")
		for (p = first; p < first + pages; p++) {
			if (ev == "mm_page_alloc") {
				if (state[p] == "A") {
					nd++
					dpfn[nd] = pfn; dts[nd] = ts; dprev[nd] = lastalloc[p]
				}
				state[p] = "A"
				lastalloc[p] = nev
			} else {
				state[p] = "F"
			}
		}
	}
}

END {
	for (d = 1; d <= nd; d++) {
		e = dprev[d]
		if (frames[e] !~ / pgd_alloc /) {
			print dpfn[d], dts[d], "other"
			continue
		}
		byexec = frames[e] ~ / alloc_bprm /
		owner = byexec ? evpid[e] : -1
		installed = !byexec
		found = 0
		for (k = 1; k <= np && !found; k++) {
			if (pts[k] + 0 < evts[e] + 0 || pts[k] + 0 >= dts[d] + 0)
				continue
			if (owner < 0) {
				if (pkind[k] == "fork" && ppid[k] == evpid[e])
					owner = pchild[k]
				continue
			}
			if (ppid[k] != owner || pkind[k] == "fork")
				continue
			if (pkind[k] == "exec" && !installed) {
				installed = 1
				continue
			}
			print dpfn[d], dts[d], "explained", owner, \
				(pkind[k] == "exit" ? "exited" : "exec'd"), pts[k]
			found = 1
		}
		if (!found)
			print dpfn[d], dts[d], "violation"
	}
}
