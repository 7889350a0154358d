// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the boot phase finder (lib/boot.c) and of the engine's from_boot judgement.
 *
 * Each test feeds a hand-written stream; the expected boundary is worked out by hand from the
 * rules in pagecheck.h (pcr_boot_feed()) in the comment above the test.
 */
#include <stdint.h>

#include <criterion/criterion.h>

#include "expect.h"

#include "pagecheck.h"

#define S(sec, ns) ((uint64_t)(sec) * 1000000000u + (ns))

static struct pcr_event page_ev(int kind, uint64_t ts, int pid, uint64_t pfn, unsigned int order)
{
	return (struct pcr_event){ .kind = (uint8_t)kind, .ts_ns = ts, .pid = pid, .pfn = pfn,
				   .order = (uint8_t)order, .migratetype = -1, .state = -1 };
}

static struct pcr_event marker(int kind, uint64_t ts, int pid, int state)
{
	return (struct pcr_event){ .kind = (uint8_t)kind, .ts_ns = ts, .pid = pid,
				   .migratetype = -1, .state = state };
}

/* Feeds @n events; returns the index of the one after which the finder said "decided", or -1. */
static int feed_all(struct pcr_boot *boot, const struct pcr_event *evs, int n)
{
	int i, ret;

	for (i = 0; i < n; i++) {
		ret = pcr_boot_feed(boot, &evs[i]);
		cr_assert_geq(ret, 0, "pcr_boot_feed failed on event %d", i);
		if (ret == 1)
			return i;
	}
	return -1;
}

/* A new finder fed @n events, which must decide after event @decided_at (-1: never). */
static struct pcr_boot_phase find(const struct pcr_event *evs, int n, int decided_at)
{
	struct pcr_boot *boot = NULL;
	struct pcr_boot_phase ph;

	cr_assert_eq(pcr_boot_new(&boot), 0);
	EXPECT_I64(feed_all(boot, evs, n), decided_at);
	pcr_boot_finish(boot, &ph);
	pcr_boot_free(boot);
	return ph;
}

/* A free_initmem burst whose last free was at @last_ns, of @events frees. */
static void expect_burst(const struct pcr_boot_phase *ph, uint64_t last_ns, uint64_t events)
{
	cr_expect(ph->from_boot);
	cr_expect(!pcr_boot_unplaced(ph));
	EXPECT_I64(ph->marker, PCR_BOOT_INITMEM_BURST);
	EXPECT_U64(ph->marker_ts_ns, last_ns);
	EXPECT_U64(ph->running_from_ns, last_ns + 1);
	EXPECT_U64(ph->burst_events, events);
}

/*
 * A boot (first page event by pid 0 at 0.5 s) with every marker: the kprobe with
 * system_state 3 at 3.1 s wins, exactly at its timestamp; the state-2 probe before it does not.
 * Decided at the state-3 probe (event 5).
 */
Test(boot, exact_system_state_wins)
{
	struct pcr_event evs[] = {
		page_ev(PCR_EV_ALLOC, S(0, 500000000), 0, 0x100, 0),
		marker(PCR_EV_INITCALL, S(2, 0), 1, -1),
		marker(PCR_EV_INITMEM_ENTER, S(2, 900000000), 1, 2),
		page_ev(PCR_EV_FREE, S(2, 950000000), 1, 0x200, 0),
		marker(PCR_EV_INITMEM_EXIT, S(3, 0), 1, 2),
		marker(PCR_EV_SYSTEM_STATE, S(3, 100000000), 1, 3),
		marker(PCR_EV_EXEC, S(3, 200000000), 1, -1),
	};
	struct pcr_boot_phase ph = find(evs, 7, 5);

	cr_expect(ph.from_boot);
	EXPECT_I64(ph.marker, PCR_BOOT_SYSTEM_STATE);
	EXPECT_U64(ph.marker_ts_ns, S(3, 100000000));
	EXPECT_U64(ph.running_from_ns, S(3, 100000000));
	cr_expect_str_eq(pcr_boot_marker_name(ph.marker), "system_state");
}

/*
 * No system_state: pid 1's frees of never-seen pages after the last initcall. 0x300 was
 * allocated at 1 s, so pid 1's free of it at 2.7 s is no burst free; 0x400 (order 1, never
 * seen) at 2.8 s and 0x500 at 2.9 s are. A free of a never-seen page by pid 7 at 2.95 s does not
 * count. The burst ends at 2.9 s: running_from 2.9 s + 1 ns, 2 burst events. The frees by pid 1
 * before the last initcall (0x600 at 1.5 s) are not part of it.
 */
Test(boot, initmem_burst)
{
	struct pcr_event evs[] = {
		page_ev(PCR_EV_ALLOC, S(0, 400000000), 0, 0x100, 0),
		page_ev(PCR_EV_ALLOC, S(1, 0), 1, 0x300, 0),
		page_ev(PCR_EV_FREE, S(1, 500000000), 1, 0x600, 0),
		marker(PCR_EV_INITCALL, S(2, 600000000), 1, -1),
		page_ev(PCR_EV_FREE, S(2, 700000000), 1, 0x300, 0),
		page_ev(PCR_EV_FREE, S(2, 800000000), 1, 0x400, 1),
		page_ev(PCR_EV_FREE, S(2, 900000000), 1, 0x500, 0),
		page_ev(PCR_EV_FREE, S(2, 950000000), 7, 0x700, 0),
		marker(PCR_EV_EXEC, S(3, 0), 1, -1),
	};
	struct pcr_boot_phase ph = find(evs, 9, 8);

	expect_burst(&ph, S(2, 900000000), 2);
}

/*
 * No burst after the last initcall (pid 1 frees only a page it allocated): the last
 * initcall_finish before the exec, 2.5 s, + 1 ns. The initcall of a module after the exec
 * (4 s) is never looked at: the finder decided at the exec.
 */
Test(boot, last_initcall_before_exec)
{
	struct pcr_event evs[] = {
		page_ev(PCR_EV_ALLOC, S(0, 400000000), 0, 0x100, 0),
		marker(PCR_EV_INITCALL, S(2, 0), 1, -1),
		marker(PCR_EV_INITCALL, S(2, 500000000), 1, -1),
		page_ev(PCR_EV_FREE, S(2, 600000000), 1, 0x100, 0),
		marker(PCR_EV_EXEC, S(3, 0), 1, -1),
		marker(PCR_EV_INITCALL, S(4, 0), 55, -1),
	};
	struct pcr_boot_phase ph = find(evs, 6, 4);

	EXPECT_I64(ph.marker, PCR_BOOT_LAST_INITCALL);
	EXPECT_U64(ph.running_from_ns, S(2, 500000001));
}

/*
 * Only execs: pid 5's exec at 2 s is not pid 1's; pid 1's first exec at 3 s is the boundary,
 * exactly.
 */
Test(boot, first_exec_of_pid_1)
{
	struct pcr_event evs[] = {
		page_ev(PCR_EV_ALLOC, S(0, 400000000), 0, 0x100, 0),
		marker(PCR_EV_EXEC, S(2, 0), 5, -1),
		marker(PCR_EV_EXEC, S(3, 0), 1, -1),
	};
	struct pcr_boot_phase ph = find(evs, 3, 2);

	EXPECT_I64(ph.marker, PCR_BOOT_FIRST_EXEC);
	EXPECT_U64(ph.running_from_ns, S(3, 0));
}

/*
 * Not a boot: the first page event is by pid 0 but at 12 s (>= 10 s), or by pid 42 at 1 s.
 * Decided at once; a later system_state 3 changes nothing. "Other" records before it do not
 * count as the first event.
 */
Test(boot, not_from_boot)
{
	struct pcr_event late[] = {
		marker(PCR_EV_OTHER, S(0, 1), 0, -1),
		page_ev(PCR_EV_FREE, S(12, 0), 0, 0x100, 0),
		marker(PCR_EV_SYSTEM_STATE, S(13, 0), 1, 3),
	};
	struct pcr_event busy[] = {
		page_ev(PCR_EV_ALLOC, S(1, 0), 42, 0x100, 0),
	};
	struct pcr_boot_phase ph = find(late, 3, 1);

	cr_expect(!ph.from_boot);
	EXPECT_I64(ph.marker, PCR_BOOT_NONE);
	EXPECT_U64(ph.running_from_ns, 0);
	ph = find(busy, 1, 0);
	cr_expect(!ph.from_boot);
}

/*
 * A boot recording cut before any marker: undecided to the end, then a boot without a
 * boundary (running_from PCR_TS_NEVER, unplaced). pid 1's free of a never-seen page alone is not
 * anchored: no burst. Its unmovable allocation after it (migratetype 0) is no user page.
 */
Test(boot, no_marker)
{
	struct pcr_event evs[] = {
		page_ev(PCR_EV_ALLOC, S(0, 400000000), 0, 0x100, 0),
		page_ev(PCR_EV_FREE, S(1, 0), 1, 0x900, 0),
		page_ev(PCR_EV_ALLOC, S(1, 100000000), 1, 0xa00, 0),
	};
	struct pcr_boot_phase ph;

	evs[2].migratetype = 0;
	ph = find(evs, 3, -1);
	cr_expect(ph.from_boot);
	EXPECT_I64(ph.marker, PCR_BOOT_NONE);
	EXPECT_U64(ph.running_from_ns, PCR_TS_NEVER);
	cr_expect(pcr_boot_unplaced(&ph));
	cr_expect_str_eq(pcr_boot_marker_name(ph.marker), "none");
}

/*
 * Page events alone (an arm64 or s390x boot): pid 1 frees never-seen pages in two runs, 0x600
 * at 1.5 s (one free), then 0x300 it allocated itself at 1.6 s (seen: breaks the run), then
 * 0x400, 0x401 (order 0) at 2.8 s, 2.85 s and 0x402 order 1 at 2.9 s (a run of 3). pid 9's
 * never-seen free at 2.95 s is not pid 1's. pid 1's unmovable page at 3.0 s is no user page;
 * its movable page (migratetype 1) at 3.1 s is: decided there (event 9). The boundary: the run's
 * last free, 2.9 s, + 1 ns; 3 burst events (the run, not the 4 never-seen frees of pid 1).
 */
Test(boot, initmem_run_before_user_page)
{
	struct pcr_event evs[] = {
		page_ev(PCR_EV_ALLOC, S(0, 400000000), 0, 0x100, 0),
		page_ev(PCR_EV_ALLOC, S(1, 0), 1, 0x300, 0),
		page_ev(PCR_EV_FREE, S(1, 500000000), 1, 0x600, 0),
		page_ev(PCR_EV_FREE, S(1, 600000000), 1, 0x300, 0),
		page_ev(PCR_EV_FREE, S(2, 800000000), 1, 0x400, 0),
		page_ev(PCR_EV_FREE, S(2, 850000000), 1, 0x401, 0),
		page_ev(PCR_EV_FREE, S(2, 900000000), 1, 0x402, 1),
		page_ev(PCR_EV_FREE, S(2, 950000000), 9, 0x700, 0),
		page_ev(PCR_EV_ALLOC, S(3, 0), 1, 0x800, 0),
		page_ev(PCR_EV_ALLOC, S(3, 100000000), 1, 0x900, 0),
		page_ev(PCR_EV_FREE, S(4, 0), 1, 0xb00, 0),
	};
	struct pcr_boot_phase ph;

	evs[8].migratetype = 0;
	evs[9].migratetype = 1;
	ph = find(evs, 11, 9);
	expect_burst(&ph, S(2, 900000000), 3);
}

/*
 * A reader without the migratetype field (-1): the gfp flags' ___GFP_MOVABLE (0x08) tells the
 * user page. GFP_KERNEL (0xcc0) at 2 s is not one; GFP_HIGHUSER_MOVABLE (0x100cca) at 2.5 s is.
 * A user page of pid 1 with no run before it (a second stream) decides nothing: no marker.
 */
Test(boot, user_page_by_gfp)
{
	struct pcr_event evs[] = {
		page_ev(PCR_EV_ALLOC, S(0, 400000000), 0, 0x100, 0),
		page_ev(PCR_EV_FREE, S(1, 0), 1, 0x900, 0),
		page_ev(PCR_EV_ALLOC, S(2, 0), 1, 0xa00, 0),
		page_ev(PCR_EV_ALLOC, S(2, 500000000), 1, 0xb00, 0),
	};
	struct pcr_event no_run[] = {
		page_ev(PCR_EV_ALLOC, S(0, 400000000), 0, 0x100, 0),
		page_ev(PCR_EV_ALLOC, S(2, 500000000), 1, 0xb00, 0),
	};
	struct pcr_boot_phase ph;

	evs[2].gfp = 0xcc0;
	evs[3].gfp = 0x100cca;
	no_run[1].gfp = 0x100cca;
	ph = find(evs, 4, 3);
	expect_burst(&ph, S(1, 0), 1);
	ph = find(no_run, 2, -1);
	EXPECT_I64(ph.marker, PCR_BOOT_NONE);
}

/*
 * With initcall markers the user page decides nothing: the burst after the last initcall
 * (0x400 at 2.8 s) is anchored by the exec at 3.2 s as before, after pid 1's movable page at
 * 3.1 s. Decided at the exec (event 4).
 */
Test(boot, user_page_ignored_with_initcalls)
{
	struct pcr_event evs[] = {
		page_ev(PCR_EV_ALLOC, S(0, 400000000), 0, 0x100, 0),
		marker(PCR_EV_INITCALL, S(2, 0), 1, -1),
		page_ev(PCR_EV_FREE, S(2, 800000000), 1, 0x400, 0),
		page_ev(PCR_EV_ALLOC, S(3, 100000000), 1, 0x900, 0),
		marker(PCR_EV_EXEC, S(3, 200000000), 1, -1),
	};
	struct pcr_boot_phase ph;

	evs[3].migratetype = 1;
	ph = find(evs, 5, 4);
	expect_burst(&ph, S(2, 800000000), 1);
}

/*
 * The window model of a boot recording (from_boot, running_from 3 s): a never-seen page is free
 * since boot. free 0x10 @1 s: before the boundary -> boot_free_unallocated 1 event, 1 page;
 * free 0x20 order 1 @4 s: after it -> DOUBLE-FREE, 1 event, 2 pages. Both are free_unseen
 * (2 events, 3 pages). Without from_boot the same stream has no double free and nothing gated.
 */
Test(boot, window_model_from_boot)
{
	struct pcr_event evs[] = {
		page_ev(PCR_EV_FREE, S(1, 0), 1, 0x10, 0),
		page_ev(PCR_EV_FREE, S(4, 0), 9, 0x20, 1),
	};
	struct pcr_engine *engine = NULL;
	struct pcr_stats st;
	int i, from_boot;

	for (from_boot = 0; from_boot <= 1; from_boot++) {
		cr_assert_eq(pcr_engine_new(&engine, NULL), 0);
		pcr_engine_set_boot(engine, S(3, 0), from_boot);
		for (i = 0; i < 2; i++)
			cr_assert_eq(pcr_engine_feed(engine, &evs[i]), 0);
		pcr_engine_stats(engine, &st);
		EXPECT_U64(st.free_unseen_events, 2);
		EXPECT_U64(st.free_unseen_pages, 3);
		EXPECT_U64(st.boot_free_unallocated_events, from_boot ? 1 : 0);
		EXPECT_U64(st.boot_free_unallocated_pages, from_boot ? 1 : 0);
		EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_FREE], from_boot ? 1 : 0);
		EXPECT_U64(st.violation_pages[PCR_VIOL_DOUBLE_FREE], from_boot ? 2 : 0);
		pcr_engine_free(engine);
	}
}

/*
 * Markers count under their own kind and as "other": 2 initcalls, 1 exec, 1 system_state,
 * plus 1 plain other record -> events_other 5.
 */
Test(boot, markers_count_as_other)
{
	struct pcr_event evs[] = {
		marker(PCR_EV_INITCALL, 1, 1, -1),
		marker(PCR_EV_INITCALL, 2, 1, -1),
		marker(PCR_EV_EXEC, 3, 1, -1),
		marker(PCR_EV_SYSTEM_STATE, 4, 1, 3),
		marker(PCR_EV_OTHER, 5, 1, -1),
	};
	struct pcr_engine *engine = NULL;
	struct pcr_stats st;
	int i;

	cr_assert_eq(pcr_engine_new(&engine, NULL), 0);
	for (i = 0; i < 5; i++)
		cr_assert_eq(pcr_engine_feed(engine, &evs[i]), 0);
	pcr_engine_stats(engine, &st);
	EXPECT_U64(st.events[PCR_EV_OTHER], 5);
	EXPECT_U64(st.events[PCR_EV_INITCALL], 2);
	EXPECT_U64(st.events[PCR_EV_EXEC], 1);
	EXPECT_U64(st.events[PCR_EV_SYSTEM_STATE], 1);
	pcr_engine_free(engine);
}
