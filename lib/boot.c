// SPDX-License-Identifier: GPL-2.0
/*
 * The boot phase: where system_state reaches SYSTEM_RUNNING in a recording that starts at boot.
 *
 * The RFC does not report a free of a free page before SYSTEM_RUNNING: boot frees memory that
 * the buddy allocator never handed out (free_initmem, free_reserved_area, deferred struct page
 * init). Nothing in the kmem events says when that phase ends; the markers below do, some
 * exactly (a kprobe that fetched system_state), the others from the order kernel_init() runs
 * things in: do_initcalls(), then free_initmem() and mark_readonly() (pid 1 freeing memory it
 * never allocated), then system_state = SYSTEM_RUNNING, then run_init_process() (pid 1's exec).
 *
 * A recording of the page events alone (the usual trace_event=kmem:... boot of an arm64 or s390x
 * board) has none of those markers. There pid 1 itself says where it is: free_initmem() is one
 * unbroken run of its frees of pages the recording never showed (free_reserved_area() of the
 * init section, one order-0 page after the other, on every architecture), and the first page
 * pid 1 allocates for user space (movable: a user page of /init, faulted in by the exec) comes
 * after SYSTEM_RUNNING. The last such run before that page ends the boot.
 */
#include <stdlib.h>

#include "pagecheck.h"

/*
 * @seen:	pages the recording has shown, to tell pid 1's frees of never-seen pages (its
 *		window-model engine's "known" bits; no verdicts are asked of it)
 * @first_exec_ns: pid 1's first exec, 0 until seen
 * @last_initcall_ns: the last initcall_finish before it, 0 for none
 * @burst_last_ns: pid 1's last free of a never-seen page after @last_initcall_ns
 * @burst_events: how many such frees since @last_initcall_ns
 * @exact_ns:	the first marker with system_state >= SYSTEM_RUNNING
 * @run_last_ns: the last free of pid 1's last unbroken run of frees of never-seen pages
 * @run_events:	the frees in that run
 * @started:	the first page event or marker has been seen
 * @run_open:	pid 1's last page event was a free of a never-seen page
 * @have_user:	pid 1 allocated a user page after such a run (looked for only before any
 *		initcall_finish or exec)
 */
struct pcr_boot {
	struct pcr_engine *seen;
	uint64_t first_exec_ns;
	uint64_t last_initcall_ns;
	uint64_t burst_last_ns;
	uint64_t burst_events;
	uint64_t exact_ns;
	uint64_t run_last_ns;
	uint64_t run_events;
	bool started;
	bool run_open;
	bool have_user;
	bool from_boot;
	bool have_exact;
	bool have_initcall;
	bool have_exec;
};

static const char *const marker_names[PCR_BOOT_NR] = {
	[PCR_BOOT_NONE] = "none",
	[PCR_BOOT_SYSTEM_STATE] = "system_state",
	[PCR_BOOT_INITMEM_BURST] = "free_initmem_burst",
	[PCR_BOOT_LAST_INITCALL] = "last_initcall",
	[PCR_BOOT_FIRST_EXEC] = "first_exec",
};

const char *pcr_boot_marker_name(int marker)
{
	if (marker < 0 || marker >= PCR_BOOT_NR)
		return "?";
	return marker_names[marker];
}

int pcr_boot_new(struct pcr_boot **out)
{
	struct pcr_boot *boot = calloc(1, sizeof(*boot));

	*out = NULL;
	if (!boot)
		return -PCR_ERR_NOMEM;
	if (pcr_engine_new(&boot->seen, NULL)) {
		free(boot);
		return -PCR_ERR_NOMEM;
	}
	*out = boot;
	return 0;
}

void pcr_boot_free(struct pcr_boot *boot)
{
	if (!boot)
		return;
	pcr_engine_free(boot->seen);
	free(boot);
}

static bool is_decided(const struct pcr_boot *boot)
{
	return (boot->started && !boot->from_boot) || boot->have_exact || boot->have_exec ||
	       boot->have_user;
}

/*
 * Whether an allocation is a user page: movable (MIGRATE_MOVABLE is 1 in every kernel; readers
 * without the migratetype field give the gfp flags, whose ___GFP_MOVABLE is 0x08). Pid 1 makes
 * none before it execs /init: kernel_init() allocates kernel memory only.
 */
static bool is_user_page(const struct pcr_event *ev)
{
	if (ev->migratetype >= 0)
		return ev->migratetype == 1;
	return ev->gfp & 0x08;
}

/* Pid 1's page events, for the run of free_initmem() and the first user page after it. */
static void note_pid1(struct pcr_boot *boot, const struct pcr_event *ev, bool unseen_free)
{
	if (unseen_free) {
		if (!boot->run_open)
			boot->run_events = 0;
		boot->run_events++;
		boot->run_last_ns = ev->ts_ns;
		boot->run_open = true;
		return;
	}
	boot->run_open = false;
	/* With initcall or exec markers, the rules that use them decide. */
	if (ev->kind == PCR_EV_ALLOC && boot->run_events && !boot->have_initcall &&
	    !boot->have_exec && is_user_page(ev))
		boot->have_user = true;
}

/* Whether a free touches a page the recording has not shown before. */
static bool frees_unseen(const struct pcr_boot *boot, const struct pcr_event *ev)
{
	uint64_t i, n = 1ull << ev->order;
	int primary, secondary;

	for (i = 0; i < n; i++)
		if (pcr_engine_page_state(boot->seen, ev->pfn + i, &primary, &secondary) == 0)
			return true;
	return false;
}

int pcr_boot_feed(struct pcr_boot *boot, const struct pcr_event *ev)
{
	if (is_decided(boot))
		return 1;
	if (ev->kind == PCR_EV_OTHER || ev->kind == PCR_EV_LOST || ev->kind == PCR_EV_NONE)
		return 0;
	if (!boot->started) {
		boot->started = true;
		boot->from_boot = ev->pid == 0 && ev->ts_ns < PCR_BOOT_START_MAX_NS;
		if (!boot->from_boot)
			return 1;
	}

	switch (ev->kind) {
	case PCR_EV_SYSTEM_STATE:
	case PCR_EV_INITMEM_ENTER:
	case PCR_EV_INITMEM_EXIT:
		if (ev->state >= PCR_SYSTEM_RUNNING) {
			boot->have_exact = true;
			boot->exact_ns = ev->ts_ns;
		}
		break;
	case PCR_EV_INITCALL:
		/* A later initcall means the frees so far were not free_initmem's. */
		boot->have_initcall = true;
		boot->last_initcall_ns = ev->ts_ns;
		boot->burst_events = 0;
		break;
	case PCR_EV_EXEC:
		if (ev->pid == 1) {
			boot->have_exec = true;
			boot->first_exec_ns = ev->ts_ns;
		}
		break;
	case PCR_EV_FREE:
	case PCR_EV_ALLOC:
		if (ev->pfn != PCR_PFN_NONE && ev->order <= PCR_MAX_ORDER) {
			bool unseen = ev->kind == PCR_EV_FREE && ev->pid == 1 &&
				      frees_unseen(boot, ev);
			int ret;

			if (unseen) {
				boot->burst_events++;
				boot->burst_last_ns = ev->ts_ns;
			}
			if (ev->pid == 1)
				note_pid1(boot, ev, unseen);
			ret = pcr_engine_feed(boot->seen, ev);

			/* Only memory can fail here: the event's kind and order were checked. */
			if (ret == -PCR_ERR_NOMEM)
				return ret;
		}
		break;
	default:
		break;
	}
	return is_decided(boot) ? 1 : 0;
}

void pcr_boot_finish(struct pcr_boot *boot, struct pcr_boot_phase *out)
{
	*out = (struct pcr_boot_phase){ .marker = PCR_BOOT_NONE, .from_boot = boot->from_boot };
	out->decided = true;
	if (!boot->from_boot)
		return;
	if (boot->have_exact) {
		out->marker = PCR_BOOT_SYSTEM_STATE;
		out->marker_ts_ns = boot->exact_ns;
		out->running_from_ns = boot->exact_ns;
	} else if (boot->burst_events && (boot->have_initcall || boot->have_exec)) {
		/*
		 * Anchored: without an initcall_finish or pid 1's exec to bound it, pid 1's frees
		 * of never-seen pages could be any part of the boot.
		 */
		out->marker = PCR_BOOT_INITMEM_BURST;
		out->marker_ts_ns = boot->burst_last_ns;
		out->running_from_ns = boot->burst_last_ns + 1;
		out->burst_events = boot->burst_events;
	} else if (boot->have_user) {
		/* The run and the user page after it: free_initmem(), then /init. */
		out->marker = PCR_BOOT_INITMEM_BURST;
		out->marker_ts_ns = boot->run_last_ns;
		out->running_from_ns = boot->run_last_ns + 1;
		out->burst_events = boot->run_events;
	} else if (boot->have_initcall) {
		out->marker = PCR_BOOT_LAST_INITCALL;
		out->marker_ts_ns = boot->last_initcall_ns;
		out->running_from_ns = boot->last_initcall_ns + 1;
	} else if (boot->have_exec) {
		out->marker = PCR_BOOT_FIRST_EXEC;
		out->marker_ts_ns = boot->first_exec_ns;
		out->running_from_ns = boot->first_exec_ns;
	} else {
		/*
		 * A boot without a boundary: any free may have come before SYSTEM_RUNNING, where
		 * the RFC's gate hides it. None is judged (pcr_boot_unplaced()).
		 */
		out->running_from_ns = PCR_TS_NEVER;
	}
}

bool pcr_boot_unplaced(const struct pcr_boot_phase *phase)
{
	return phase->from_boot && phase->marker == PCR_BOOT_NONE;
}
