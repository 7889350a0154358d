// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the replay engine (lib/engine.c) against the RFC's mark_page_state(),
 * __page_consistency_alloc/free(), page_consistency_validate_all() and its debugfs stats.
 *
 * Every test feeds a small hand-written stream of events. The expected counters are worked out
 * by hand from the RFC in the comment above each test, never copied from the engine's output.
 */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "expect.h"

#include "pagecheck.h"

/* A page's bits and whether the replay has seen it: pcr_engine_page_state() in one line. */
#define EXPECT_PAGE(engine, pfn, ret, primary, secondary)			\
	do {									\
		int p_ = -1, s_ = -1;						\
		int r_ = pcr_engine_page_state(engine, pfn, &p_, &s_);		\
										\
		EXPECT_I64(r_, ret);						\
		EXPECT_I64(p_, primary);					\
		EXPECT_I64(s_, secondary);					\
	} while (0)

#define MAX_RECORDED 8

/* What the violation callback saw: copies, since the violation lives only during the call. */
struct recorder {
	struct pcr_violation v[MAX_RECORDED];
	struct pcr_event ev[MAX_RECORDED];
	unsigned int calls;
	unsigned int stop_at;	/* return non-zero on this call (1-based), 0: never */
};

static int record_violation(const struct pcr_violation *v, void *payload)
{
	struct recorder *rec = payload;

	if (rec->calls < MAX_RECORDED) {
		rec->v[rec->calls] = *v;
		rec->ev[rec->calls] = *v->event;
		rec->v[rec->calls].event = &rec->ev[rec->calls];
	}
	rec->calls++;
	return rec->stop_at && rec->calls == rec->stop_at;
}

static struct pcr_engine *engine_with(const struct pcr_options *opts, struct recorder *rec)
{
	struct pcr_engine *engine = NULL;

	cr_assert_eq(pcr_engine_new(&engine, opts), 0, "pcr_engine_new failed");
	cr_assert_not_null(engine);
	if (rec)
		pcr_engine_set_violation_fn(engine, record_violation, rec);
	return engine;
}

static struct pcr_engine *window_engine(struct recorder *rec)
{
	struct pcr_options opts = PCR_OPTIONS_INIT;

	return engine_with(&opts, rec);
}

static struct pcr_engine *kernel_engine(uint64_t running_from_ns, struct recorder *rec)
{
	struct pcr_options opts = PCR_OPTIONS_INIT;

	opts.model = PCR_MODEL_KERNEL;
	opts.running_from_ns = running_from_ns;
	return engine_with(&opts, rec);
}

static struct pcr_engine *range_engine(uint64_t min, uint64_t max, struct recorder *rec)
{
	struct pcr_options opts = PCR_OPTIONS_INIT;

	opts.pfn_range = true;
	opts.pfn_min = min;
	opts.pfn_max = max;
	return engine_with(&opts, rec);
}

static struct pcr_event make_event(uint8_t kind, uint64_t ts_ns, uint64_t pfn, uint8_t order)
{
	struct pcr_event ev = {
		.ts_ns = ts_ns,
		.pfn = pfn,
		.comm = "test",
		.pid = 42,
		.migratetype = -1,
		.cpu = 1,
		.kind = kind,
		.order = order,
	};

	if (kind == PCR_EV_ALLOC) {
		ev.gfp = 0xcc0;
		ev.migratetype = 0;
	}
	return ev;
}

static int feed(struct pcr_engine *engine, uint8_t kind, uint64_t ts_ns, uint64_t pfn,
		uint8_t order)
{
	struct pcr_event ev = make_event(kind, ts_ns, pfn, order);

	return pcr_engine_feed(engine, &ev);
}

/* Feed an event that must be accepted without stopping. */
static void feed_ok(struct pcr_engine *engine, uint8_t kind, uint64_t ts_ns, uint64_t pfn,
		    uint8_t order)
{
	int ret = feed(engine, kind, ts_ns, pfn, order);

	cr_assert_eq(ret, 0, "feeding %s pfn 0x%" PRIx64 " order %u at %" PRIu64 " returned %d",
		     pcr_event_name(kind), pfn, (unsigned int)order, ts_ns, ret);
}

static struct pcr_stats stats_of(const struct pcr_engine *engine)
{
	struct pcr_stats st;

	pcr_engine_stats(engine, &st);
	return st;
}

/* ---- Alloc, free and transitions ---- */

/*
 * alloc pfn 0x100 order 1 -> pages 0x100,0x101: PRIMARY 0->1, SECONDARY 1->0, two transitions.
 * pages_tracked 2, alloc_count 1, free_count 0, violations 0, events[ALLOC] 1, pages_known 2.
 * No --pfn-range: pfn_range is [0x100-0x102), bitmap_size_bits 2.
 * 0x102 was never touched: page_state returns 0 with the initial bits PRIMARY 0, SECONDARY 1.
 */
Test(engine, alloc_order1_sets_both_pages)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 1000, 0x100, 1);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 2);
	EXPECT_U64(st.alloc_count, 1);
	EXPECT_U64(st.free_count, 0);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_U64(st.events[PCR_EV_ALLOC], 1);
	EXPECT_U64(st.pages_known, 2);
	cr_expect(st.have_range);
	EXPECT_U64(st.pfn_min, 0x100);
	EXPECT_U64(st.pfn_max, 0x102);
	EXPECT_U64(st.bitmap_size_bits, 2);
	EXPECT_PAGE(e, 0x100, 1, 1, 0);
	EXPECT_PAGE(e, 0x101, 1, 1, 0);
	EXPECT_PAGE(e, 0x102, 0, 0, 1);
	EXPECT_PAGE(e, 0xff, 0, 0, 1);
	pcr_engine_free(e);
}

/*
 * alloc 0x100 order 1 (+2 transitions), free 0x100 order 1 (-2 transitions):
 * pages_tracked 0, alloc_count 1, free_count 1, violations 0, no free_unseen (both pages were
 * seen allocated). Both pages are back to PRIMARY 0 / SECONDARY 1 and known (page_state 1).
 */
Test(engine, alloc_then_free_is_clean)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = window_engine(&rec);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 1000, 0x100, 1);
	feed_ok(e, PCR_EV_FREE, 2000, 0x100, 1);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 0);
	EXPECT_U64(st.alloc_count, 1);
	EXPECT_U64(st.free_count, 1);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_U64(st.free_unseen_events, 0);
	EXPECT_U64(st.free_unseen_pages, 0);
	EXPECT_U64(st.events[PCR_EV_FREE], 1);
	EXPECT_U64(rec.calls, 0);
	EXPECT_PAGE(e, 0x100, 1, 0, 1);
	EXPECT_PAGE(e, 0x101, 1, 0, 1);
	pcr_engine_free(e);
}

/*
 * pages_tracked counts real transitions, alloc_count/free_count count events:
 *   alloc 0x100 order 0 @1000 -> 0x100 0->1: pages_tracked 1, alloc_count 1
 *   alloc 0x100 order 1 @2000 -> 0x100 already 1 (DOUBLE-ALLOC, no transition), 0x101 0->1:
 *	pages_tracked 2, alloc_count 2, violations 1 (one page)
 *   free  0x100 order 1 @3000 -> both 1->0: pages_tracked 0, free_count 1
 * The double alloc: first_pfn 0x100, pages 1, previous event of 0x100 the alloc at 1000.
 */
Test(engine, pages_tracked_counts_transitions_only)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = window_engine(&rec);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 1000, 0x100, 0);
	feed_ok(e, PCR_EV_ALLOC, 2000, 0x100, 1);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 2);
	EXPECT_U64(st.alloc_count, 2);
	EXPECT_U64(st.violations_detected, 1);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_ALLOC], 1);
	EXPECT_U64(st.violation_pages[PCR_VIOL_DOUBLE_ALLOC], 1);
	cr_assert_eq(rec.calls, 1);
	EXPECT_U64(rec.v[0].kind, PCR_VIOL_DOUBLE_ALLOC);
	EXPECT_U64(rec.v[0].first_pfn, 0x100);
	EXPECT_U64(rec.v[0].pages, 1);
	EXPECT_U64(rec.v[0].prev_kind, PCR_EV_ALLOC);
	EXPECT_U64(rec.v[0].prev_ts_ns, 1000);
	EXPECT_U64(rec.v[0].event->ts_ns, 2000);
	EXPECT_U64(rec.v[0].event->pfn, 0x100);
	EXPECT_U64(rec.v[0].event->order, 1);

	feed_ok(e, PCR_EV_FREE, 3000, 0x100, 1);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 0);
	EXPECT_U64(st.alloc_count, 2);
	EXPECT_U64(st.free_count, 1);
	EXPECT_U64(st.violations_detected, 1);
	pcr_engine_free(e);
}

/* ---- Double alloc ---- */

/*
 * A double alloc is reported whatever the boot phase (the RFC gates only double frees).
 * running_from 5000; alloc 0x200 @1000 (+1), alloc 0x200 @2000: DOUBLE-ALLOC, no transition.
 * pages_tracked 1, alloc_count 2, violations 1, double_alloc events 1 pages 1,
 * boot_free_unallocated 0.
 */
Test(engine, double_alloc_reported_before_running_from)
{
	struct pcr_options opts = PCR_OPTIONS_INIT;
	struct recorder rec = { 0 };
	struct pcr_engine *e;
	struct pcr_stats st;

	opts.running_from_ns = 5000;
	e = engine_with(&opts, &rec);
	feed_ok(e, PCR_EV_ALLOC, 1000, 0x200, 0);
	feed_ok(e, PCR_EV_ALLOC, 2000, 0x200, 0);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 1);
	EXPECT_U64(st.alloc_count, 2);
	EXPECT_U64(st.violations_detected, 1);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_ALLOC], 1);
	EXPECT_U64(st.violation_pages[PCR_VIOL_DOUBLE_ALLOC], 1);
	EXPECT_U64(st.boot_free_unallocated_events, 0);
	cr_assert_eq(rec.calls, 1);
	EXPECT_U64(rec.v[0].kind, PCR_VIOL_DOUBLE_ALLOC);
	EXPECT_PAGE(e, 0x200, 1, 1, 0);
	pcr_engine_free(e);
}

/*
 * Same in the kernel model: alloc 0x200 order 0 twice at 1000 and 2000 with running_from 5000.
 * pages_tracked 1, alloc_count 2, violations 1.
 */
Test(engine, double_alloc_reported_kernel_model)
{
	struct pcr_engine *e = kernel_engine(5000, NULL);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 1000, 0x200, 0);
	feed_ok(e, PCR_EV_ALLOC, 2000, 0x200, 0);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 1);
	EXPECT_U64(st.alloc_count, 2);
	EXPECT_U64(st.violations_detected, 1);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_ALLOC], 1);
	pcr_engine_free(e);
}

/*
 * Only some pages of an order-2 alloc are already allocated:
 *   alloc 0x801 order 0 @10 (+1), alloc 0x803 order 0 @20 (+1)
 *   alloc 0x800 order 2 @30: 0x800 0->1, 0x801 DOUBLE, 0x802 0->1, 0x803 DOUBLE (+2)
 * pages_tracked 4, alloc_count 3, violations 2 (pages), double_alloc events 1 pages 2.
 * One callback: first_pfn 0x801, pages 2, prev alloc of 0x801 at 10.
 */
Test(engine, double_alloc_some_pages_of_an_order)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = window_engine(&rec);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, 0x801, 0);
	feed_ok(e, PCR_EV_ALLOC, 20, 0x803, 0);
	feed_ok(e, PCR_EV_ALLOC, 30, 0x800, 2);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 4);
	EXPECT_U64(st.alloc_count, 3);
	EXPECT_U64(st.violations_detected, 2);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_ALLOC], 1);
	EXPECT_U64(st.violation_pages[PCR_VIOL_DOUBLE_ALLOC], 2);
	cr_assert_eq(rec.calls, 1);
	EXPECT_U64(rec.v[0].kind, PCR_VIOL_DOUBLE_ALLOC);
	EXPECT_U64(rec.v[0].first_pfn, 0x801);
	EXPECT_U64(rec.v[0].pages, 2);
	EXPECT_U64(rec.v[0].prev_kind, PCR_EV_ALLOC);
	EXPECT_U64(rec.v[0].prev_ts_ns, 10);
	EXPECT_U64(rec.v[0].event->pfn, 0x800);
	pcr_engine_free(e);
}

/* ---- Double free: window model vs kernel model ---- */

/*
 * Window model, a page seen then freed twice:
 *   alloc 0x300 @100 (+1), free 0x300 @200 (-1), free 0x300 @300: PRIMARY already 0 and the page
 *   was seen, running_from 0 -> DOUBLE-FREE.
 * pages_tracked 0, alloc_count 1, free_count 2, violations 1, double_free events 1 pages 1,
 * free_unseen 0. Callback: first_pfn 0x300, previous is the free at 200.
 */
Test(engine, window_double_free_of_seen_page)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = window_engine(&rec);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 100, 0x300, 0);
	feed_ok(e, PCR_EV_FREE, 200, 0x300, 0);
	feed_ok(e, PCR_EV_FREE, 300, 0x300, 0);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 0);
	EXPECT_U64(st.alloc_count, 1);
	EXPECT_U64(st.free_count, 2);
	EXPECT_U64(st.violations_detected, 1);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_FREE], 1);
	EXPECT_U64(st.violation_pages[PCR_VIOL_DOUBLE_FREE], 1);
	EXPECT_U64(st.free_unseen_events, 0);
	EXPECT_U64(st.free_unseen_pages, 0);
	cr_assert_eq(rec.calls, 1);
	EXPECT_U64(rec.v[0].kind, PCR_VIOL_DOUBLE_FREE);
	EXPECT_U64(rec.v[0].first_pfn, 0x300);
	EXPECT_U64(rec.v[0].pages, 1);
	EXPECT_U64(rec.v[0].prev_kind, PCR_EV_FREE);
	EXPECT_U64(rec.v[0].prev_ts_ns, 200);
	pcr_engine_free(e);
}

/*
 * Window model, a free of pages never seen: their state is unknown, so no verdict.
 *   free 0x400 order 1 @100: 0x400,0x401 unseen -> free_unseen_events 1, free_unseen_pages 2,
 *	no violation, no transition (PRIMARY was 0): pages_tracked 0, free_count 1.
 * Both pages are now known and free, so a second free of 0x400 order 0 @200 is a DOUBLE-FREE:
 * violations 1, free_unseen_events still 1, free_count 2.
 */
Test(engine, window_free_of_unseen_page_is_not_a_violation)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = window_engine(&rec);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_FREE, 100, 0x400, 1);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 0);
	EXPECT_U64(st.free_count, 1);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_U64(st.free_unseen_events, 1);
	EXPECT_U64(st.free_unseen_pages, 2);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_FREE], 0);
	EXPECT_U64(rec.calls, 0);
	EXPECT_PAGE(e, 0x400, 1, 0, 1);
	EXPECT_PAGE(e, 0x401, 1, 0, 1);

	feed_ok(e, PCR_EV_FREE, 200, 0x400, 0);
	st = stats_of(e);
	EXPECT_U64(st.free_count, 2);
	EXPECT_U64(st.violations_detected, 1);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_FREE], 1);
	EXPECT_U64(st.free_unseen_events, 1);
	EXPECT_U64(st.free_unseen_pages, 2);
	cr_assert_eq(rec.calls, 1);
	EXPECT_U64(rec.v[0].prev_kind, PCR_EV_FREE);
	EXPECT_U64(rec.v[0].prev_ts_ns, 100);
	pcr_engine_free(e);
}

/*
 * Window model, an order-1 free of which one page was seen allocated and one never seen:
 *   alloc 0x500 order 0 @10 (+1); free 0x500 order 1 @20: 0x500 1->0 (-1), 0x501 unseen.
 * pages_tracked 0, free_count 1, free_unseen_events 1 pages 1, violations 0.
 */
Test(engine, window_free_partly_unseen)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, 0x500, 0);
	feed_ok(e, PCR_EV_FREE, 20, 0x500, 1);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 0);
	EXPECT_U64(st.free_count, 1);
	EXPECT_U64(st.free_unseen_events, 1);
	EXPECT_U64(st.free_unseen_pages, 1);
	EXPECT_U64(st.violations_detected, 0);
	pcr_engine_free(e);
}

/*
 * Kernel model (the RFC verbatim): every page starts free, so a free of a never-seen page after
 * running_from is a DOUBLE-FREE, and it is also counted as unseen.
 *   free 0x400 order 1 @100, running_from 0: both pages had PRIMARY 0 -> 2 violating pages.
 * pages_tracked 0, free_count 1, violations 2, double_free events 1 pages 2,
 * free_unseen_events 1 pages 2. Callback: first_pfn 0x400, pages 2, no previous event (NONE, 0).
 */
Test(engine, kernel_free_of_unseen_page_is_double_free)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = kernel_engine(0, &rec);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_FREE, 100, 0x400, 1);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 0);
	EXPECT_U64(st.free_count, 1);
	EXPECT_U64(st.violations_detected, 2);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_FREE], 1);
	EXPECT_U64(st.violation_pages[PCR_VIOL_DOUBLE_FREE], 2);
	EXPECT_U64(st.free_unseen_events, 1);
	EXPECT_U64(st.free_unseen_pages, 2);
	cr_assert_eq(rec.calls, 1);
	EXPECT_U64(rec.v[0].kind, PCR_VIOL_DOUBLE_FREE);
	EXPECT_U64(rec.v[0].first_pfn, 0x400);
	EXPECT_U64(rec.v[0].pages, 2);
	EXPECT_U64(rec.v[0].prev_kind, PCR_EV_NONE);
	EXPECT_U64(rec.v[0].prev_ts_ns, 0);
	pcr_engine_free(e);
}

/*
 * Kernel model, alloc then free of the same block: clean.
 * alloc 0x600 order 2 @10 (+4), free 0x600 order 2 @20 (-4): pages_tracked 0, violations 0,
 * free_unseen 0 (the free touches pages seen by the alloc).
 */
Test(engine, kernel_alloc_then_free_is_clean)
{
	struct pcr_engine *e = kernel_engine(0, NULL);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, 0x600, 2);
	feed_ok(e, PCR_EV_FREE, 20, 0x600, 2);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 0);
	EXPECT_U64(st.alloc_count, 1);
	EXPECT_U64(st.free_count, 1);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_U64(st.free_unseen_events, 0);
	pcr_engine_free(e);
}

/*
 * Several pages of an order-2 free already free, window model:
 *   alloc 0x700 order 2 @10 (+4), free 0x701 @20 (-1), free 0x703 @30 (-1),
 *   free 0x700 order 2 @40: 0x700,0x702 1->0 (-2); 0x701,0x703 seen and free: DOUBLE-FREE.
 * pages_tracked 0, free_count 3, violations 2, double_free events 1 (the event once) pages 2.
 * Callback: first_pfn 0x701, pages 2, previous event of 0x701 the free at 20.
 */
Test(engine, double_free_some_pages_of_an_order)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = window_engine(&rec);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, 0x700, 2);
	feed_ok(e, PCR_EV_FREE, 20, 0x701, 0);
	feed_ok(e, PCR_EV_FREE, 30, 0x703, 0);
	feed_ok(e, PCR_EV_FREE, 40, 0x700, 2);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 0);
	EXPECT_U64(st.alloc_count, 1);
	EXPECT_U64(st.free_count, 3);
	EXPECT_U64(st.violations_detected, 2);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_FREE], 1);
	EXPECT_U64(st.violation_pages[PCR_VIOL_DOUBLE_FREE], 2);
	cr_assert_eq(rec.calls, 1);
	EXPECT_U64(rec.v[0].kind, PCR_VIOL_DOUBLE_FREE);
	EXPECT_U64(rec.v[0].first_pfn, 0x701);
	EXPECT_U64(rec.v[0].pages, 2);
	EXPECT_U64(rec.v[0].prev_kind, PCR_EV_FREE);
	EXPECT_U64(rec.v[0].prev_ts_ns, 20);
	EXPECT_U64(rec.v[0].event->pfn, 0x700);
	EXPECT_U64(rec.v[0].event->order, 2);
	pcr_engine_free(e);
}

/* ---- Boot gating (system_state >= SYSTEM_RUNNING from running_from_ns on) ---- */

/*
 * Window model, running_from 1000:
 *   alloc 0x500 @100 (+1), free @200 (-1)
 *   free @300: seen and free, before running_from -> boot_free_unallocated 1 event 1 page, no
 *	violation
 *   free @1000: exactly at running_from -> DOUBLE-FREE, violations 1
 *   free @1001: DOUBLE-FREE again, violations 2, double_free events 2
 * boot_free_unallocated stays 1/1, free_count 4, pages_tracked 0.
 */
Test(engine, boot_gate_window_model)
{
	struct pcr_options opts = PCR_OPTIONS_INIT;
	struct recorder rec = { 0 };
	struct pcr_engine *e;
	struct pcr_stats st;

	opts.running_from_ns = 1000;
	e = engine_with(&opts, &rec);
	feed_ok(e, PCR_EV_ALLOC, 100, 0x500, 0);
	feed_ok(e, PCR_EV_FREE, 200, 0x500, 0);
	feed_ok(e, PCR_EV_FREE, 300, 0x500, 0);
	st = stats_of(e);
	EXPECT_U64(st.boot_free_unallocated_events, 1);
	EXPECT_U64(st.boot_free_unallocated_pages, 1);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_U64(rec.calls, 0);

	feed_ok(e, PCR_EV_FREE, 1000, 0x500, 0);
	st = stats_of(e);
	EXPECT_U64(st.violations_detected, 1);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_FREE], 1);
	EXPECT_U64(st.boot_free_unallocated_events, 1);
	cr_assert_eq(rec.calls, 1);
	EXPECT_U64(rec.v[0].prev_ts_ns, 300);

	feed_ok(e, PCR_EV_FREE, 1001, 0x500, 0);
	st = stats_of(e);
	EXPECT_U64(st.violations_detected, 2);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_FREE], 2);
	EXPECT_U64(st.boot_free_unallocated_events, 1);
	EXPECT_U64(st.boot_free_unallocated_pages, 1);
	EXPECT_U64(st.free_count, 4);
	EXPECT_I64(st.pages_tracked, 0);
	pcr_engine_free(e);
}

/*
 * Kernel model, running_from 1000 (the boot case the RFC's gate exists for):
 *   free 0x600 order 2 @999: 4 never-allocated pages before SYSTEM_RUNNING ->
 *	boot_free_unallocated 1 event 4 pages, free_unseen 1 event 4 pages, no violation
 *   free 0x600 order 2 @1000: at running_from, all 4 pages already free -> DOUBLE-FREE
 *	4 pages: violations 4, double_free events 1 pages 4; free_unseen unchanged (seen now).
 * free_count 2, pages_tracked 0.
 */
Test(engine, boot_gate_kernel_model)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = kernel_engine(1000, &rec);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_FREE, 999, 0x600, 2);
	st = stats_of(e);
	EXPECT_U64(st.boot_free_unallocated_events, 1);
	EXPECT_U64(st.boot_free_unallocated_pages, 4);
	EXPECT_U64(st.free_unseen_events, 1);
	EXPECT_U64(st.free_unseen_pages, 4);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_U64(rec.calls, 0);

	feed_ok(e, PCR_EV_FREE, 1000, 0x600, 2);
	st = stats_of(e);
	EXPECT_U64(st.violations_detected, 4);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_FREE], 1);
	EXPECT_U64(st.violation_pages[PCR_VIOL_DOUBLE_FREE], 4);
	EXPECT_U64(st.boot_free_unallocated_events, 1);
	EXPECT_U64(st.boot_free_unallocated_pages, 4);
	EXPECT_U64(st.free_unseen_events, 1);
	EXPECT_U64(st.free_unseen_pages, 4);
	EXPECT_U64(st.free_count, 2);
	EXPECT_I64(st.pages_tracked, 0);
	cr_assert_eq(rec.calls, 1);
	EXPECT_U64(rec.v[0].first_pfn, 0x600);
	EXPECT_U64(rec.v[0].pages, 4);
	EXPECT_U64(rec.v[0].prev_kind, PCR_EV_FREE);
	EXPECT_U64(rec.v[0].prev_ts_ns, 999);
	pcr_engine_free(e);
}

/* ---- Events that change no state ---- */

/*
 * A failed allocation (pfn == PCR_PFN_NONE): post_alloc_hook() never runs.
 *   alloc PFN_NONE order 3 @10 -> failed_allocs 1, events[ALLOC] 1, alloc_count 0,
 *	pages_tracked 0, pages_known 0, no range (have_range false, bitmap_size_bits 0).
 *   alloc 0x10 order 0 @20 (+1), alloc PFN_NONE order 0 @30 -> failed_allocs 2, alloc_count 1,
 *	pages_tracked 1, pfn_range [0x10-0x11).
 */
Test(engine, failed_alloc_changes_nothing)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, PCR_PFN_NONE, 3);
	st = stats_of(e);
	EXPECT_U64(st.failed_allocs, 1);
	EXPECT_U64(st.events[PCR_EV_ALLOC], 1);
	EXPECT_U64(st.alloc_count, 0);
	EXPECT_I64(st.pages_tracked, 0);
	EXPECT_U64(st.pages_known, 0);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_U64(st.out_of_range_events, 0);
	cr_expect(!st.have_range);
	EXPECT_U64(st.bitmap_size_bits, 0);

	feed_ok(e, PCR_EV_ALLOC, 20, 0x10, 0);
	feed_ok(e, PCR_EV_ALLOC, 30, PCR_PFN_NONE, 0);
	st = stats_of(e);
	EXPECT_U64(st.failed_allocs, 2);
	EXPECT_U64(st.events[PCR_EV_ALLOC], 3);
	EXPECT_U64(st.alloc_count, 1);
	EXPECT_I64(st.pages_tracked, 1);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_U64(st.pfn_min, 0x10);
	EXPECT_U64(st.pfn_max, 0x11);
	EXPECT_PAGE(e, 0x10, 1, 1, 0);
	pcr_engine_free(e);
}

/*
 * mm_page_free_batched is a second notice of a free, never a free:
 *   alloc 0x900 @10 (+1), free 0x900 @20 (-1), batched 0x900 @21: the page was last seen freed
 *	-> batched_free_notices 1, unmatched 0
 * free_count 1, pages_tracked 0, violations 0 (a second free would have been a DOUBLE-FREE),
 * events[FREE_BATCHED] 1, 0x900 still PRIMARY 0 / SECONDARY 1.
 */
Test(engine, batched_free_after_free_is_matched)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, 0x900, 0);
	feed_ok(e, PCR_EV_FREE, 20, 0x900, 0);
	feed_ok(e, PCR_EV_FREE_BATCHED, 21, 0x900, 0);
	st = stats_of(e);
	EXPECT_U64(st.batched_free_notices, 1);
	EXPECT_U64(st.batched_free_unmatched, 0);
	EXPECT_U64(st.events[PCR_EV_FREE_BATCHED], 1);
	EXPECT_U64(st.free_count, 1);
	EXPECT_I64(st.pages_tracked, 0);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_PAGE(e, 0x900, 1, 0, 1);
	pcr_engine_free(e);
}

/*
 * Batched notices for a page not last seen freed are counted as unmatched and still change
 * nothing:
 *   batched 0xa00 @10: never seen -> notices 1, unmatched 1; 0xa00 stays unseen
 *   alloc 0xa01 @20 (+1), batched 0xa01 @30: last seen allocated -> notices 2, unmatched 2;
 *	0xa01 stays allocated
 * free_count 0, pages_tracked 1, pages_known 1, pfn_range only from the alloc: [0xa01-0xa02).
 * Kernel model: the same page never seen is not "last seen freed" either -> unmatched.
 */
Test(engine, batched_free_unmatched_changes_nothing)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_FREE_BATCHED, 10, 0xa00, 0);
	feed_ok(e, PCR_EV_ALLOC, 20, 0xa01, 0);
	feed_ok(e, PCR_EV_FREE_BATCHED, 30, 0xa01, 0);
	st = stats_of(e);
	EXPECT_U64(st.batched_free_notices, 2);
	EXPECT_U64(st.batched_free_unmatched, 2);
	EXPECT_U64(st.free_count, 0);
	EXPECT_I64(st.pages_tracked, 1);
	EXPECT_U64(st.pages_known, 1);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_U64(st.pfn_min, 0xa01);
	EXPECT_U64(st.pfn_max, 0xa02);
	EXPECT_PAGE(e, 0xa00, 0, 0, 1);
	EXPECT_PAGE(e, 0xa01, 1, 1, 0);
	pcr_engine_free(e);

	e = kernel_engine(0, NULL);
	feed_ok(e, PCR_EV_FREE_BATCHED, 10, 0xa00, 0);
	st = stats_of(e);
	EXPECT_U64(st.batched_free_notices, 1);
	EXPECT_U64(st.batched_free_unmatched, 1);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_U64(st.free_count, 0);
	EXPECT_PAGE(e, 0xa00, 0, 0, 1);
	pcr_engine_free(e);
}

/*
 * zone_locked, pcpu_drain and other records only count:
 *   alloc 0xb00 @10 (+1), zone_locked 0xb00 @11, pcpu_drain 0xb00 @12, other @13,
 *   zone_locked 0xc00 order 3 @14
 * events: ALLOC 1, ZONE_LOCKED 2, PCPU_DRAIN 1, OTHER 1; alloc_count 1, free_count 0,
 * pages_tracked 1, pages_known 1, violations 0, pfn_range [0xb00-0xb01); 0xc00 never seen.
 */
Test(engine, zone_locked_pcpu_drain_other_change_nothing)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, 0xb00, 0);
	feed_ok(e, PCR_EV_ZONE_LOCKED, 11, 0xb00, 0);
	feed_ok(e, PCR_EV_PCPU_DRAIN, 12, 0xb00, 0);
	feed_ok(e, PCR_EV_OTHER, 13, 0, 0);
	feed_ok(e, PCR_EV_ZONE_LOCKED, 14, 0xc00, 3);
	st = stats_of(e);
	EXPECT_U64(st.events[PCR_EV_ALLOC], 1);
	EXPECT_U64(st.events[PCR_EV_ZONE_LOCKED], 2);
	EXPECT_U64(st.events[PCR_EV_PCPU_DRAIN], 1);
	EXPECT_U64(st.events[PCR_EV_OTHER], 1);
	EXPECT_U64(st.events[PCR_EV_FREE], 0);
	EXPECT_U64(st.alloc_count, 1);
	EXPECT_U64(st.free_count, 0);
	EXPECT_I64(st.pages_tracked, 1);
	EXPECT_U64(st.pages_known, 1);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_U64(st.pfn_min, 0xb00);
	EXPECT_U64(st.pfn_max, 0xb01);
	EXPECT_PAGE(e, 0xb00, 1, 1, 0);
	EXPECT_PAGE(e, 0xc00, 0, 0, 1);
	pcr_engine_free(e);
}

/*
 * Lost events: a notice with a count adds it to lost_events; a notice with 0 (count unknown)
 * adds 1 to lost_unknown.
 *   lost 68 @10 -> lost_events 68, lost_unknown 0
 *   lost 0 @20  -> lost_events 68, lost_unknown 1
 * events[LOST] 2 (notices), nothing else changes.
 */
Test(engine, lost_events_with_and_without_count)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_event ev = make_event(PCR_EV_LOST, 10, 0, 0);
	struct pcr_stats st;

	ev.lost = 68;
	cr_assert_eq(pcr_engine_feed(e, &ev), 0);
	st = stats_of(e);
	EXPECT_U64(st.lost_events, 68);
	EXPECT_U64(st.lost_unknown, 0);

	ev.ts_ns = 20;
	ev.lost = 0;
	cr_assert_eq(pcr_engine_feed(e, &ev), 0);
	st = stats_of(e);
	EXPECT_U64(st.lost_events, 68);
	EXPECT_U64(st.lost_unknown, 1);
	EXPECT_U64(st.events[PCR_EV_LOST], 2);
	EXPECT_U64(st.alloc_count, 0);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_U64(st.pages_known, 0);
	pcr_engine_free(e);
}

/* ---- --pfn-range ---- */

/*
 * pfn_range [0x1000-0x1010):
 *   alloc 0x100e order 1 @10: 0x100e,0x100f inside (+2)
 *   alloc 0x100f order 1 @20: last page 0x1010 outside -> skipped entirely, out_of_range 1 (so
 *	0x100f is NOT a double alloc)
 *   alloc 0x0fff order 1 @30: first page outside -> out_of_range 2
 *   free 0x1010 order 0 @40: outside -> out_of_range 3
 * alloc_count 1, free_count 0, events[ALLOC] 3, events[FREE] 1, pages_tracked 2, violations 0.
 * pfn_range stats are the option's: [0x1000-0x1010), bitmap_size_bits 16.
 * page_state outside the range is -INVAL.
 */
Test(engine, pfn_range_skips_events_partly_outside)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = range_engine(0x1000, 0x1010, &rec);
	struct pcr_stats st;
	int p, s;

	feed_ok(e, PCR_EV_ALLOC, 10, 0x100e, 1);
	feed_ok(e, PCR_EV_ALLOC, 20, 0x100f, 1);
	feed_ok(e, PCR_EV_ALLOC, 30, 0x0fff, 1);
	feed_ok(e, PCR_EV_FREE, 40, 0x1010, 0);
	st = stats_of(e);
	EXPECT_U64(st.out_of_range_events, 3);
	EXPECT_U64(st.alloc_count, 1);
	EXPECT_U64(st.free_count, 0);
	EXPECT_U64(st.events[PCR_EV_ALLOC], 3);
	EXPECT_U64(st.events[PCR_EV_FREE], 1);
	EXPECT_I64(st.pages_tracked, 2);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_U64(rec.calls, 0);
	cr_expect(st.have_range);
	EXPECT_U64(st.pfn_min, 0x1000);
	EXPECT_U64(st.pfn_max, 0x1010);
	EXPECT_U64(st.bitmap_size_bits, 16);
	EXPECT_PAGE(e, 0x100f, 1, 1, 0);
	EXPECT_PAGE(e, 0x1000, 0, 0, 1);
	EXPECT_I64(pcr_engine_page_state(e, 0x1010, &p, &s), -PCR_ERR_INVAL);
	EXPECT_I64(pcr_engine_page_state(e, 0x0fff, &p, &s), -PCR_ERR_INVAL);
	EXPECT_I64(pcr_engine_flip(e, 0x1010, PCR_BITMAP_PRIMARY), -PCR_ERR_INVAL);
	EXPECT_I64(pcr_engine_flip(e, 0x0fff, PCR_BITMAP_SECONDARY), -PCR_ERR_INVAL);
	pcr_engine_free(e);
}

/*
 * pfn_range [10-20) with no event at all: the stats are still the option's range,
 * pfn_min 10, pfn_max 20, bitmap_size_bits 10.
 */
Test(engine, pfn_range_stats_are_the_options)
{
	struct pcr_engine *e = range_engine(10, 20, NULL);
	struct pcr_stats st = stats_of(e);

	cr_expect(st.have_range);
	EXPECT_U64(st.pfn_min, 10);
	EXPECT_U64(st.pfn_max, 20);
	EXPECT_U64(st.bitmap_size_bits, 10);
	pcr_engine_free(e);
}

/*
 * Without --pfn-range, pfn_min/pfn_max are the lowest / highest + 1 page replayed:
 *   nothing yet: have_range false, bitmap_size_bits 0
 *   alloc 0x50 order 2 @10 -> pages 0x50..0x53: [0x50-0x54), bits 4
 *   free 0x20 order 0 @20  -> [0x20-0x54), bits 0x34
 *   alloc 0x60 order 3 @30 -> pages 0x60..0x67: [0x20-0x68), bits 0x48 = 72
 *   failed alloc and a batched notice of 0x1000 @40,50 do not widen it.
 */
Test(engine, no_pfn_range_tracks_lowest_and_highest)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_stats st = stats_of(e);

	cr_expect(!st.have_range);
	EXPECT_U64(st.bitmap_size_bits, 0);

	feed_ok(e, PCR_EV_ALLOC, 10, 0x50, 2);
	st = stats_of(e);
	EXPECT_U64(st.pfn_min, 0x50);
	EXPECT_U64(st.pfn_max, 0x54);
	EXPECT_U64(st.bitmap_size_bits, 4);

	feed_ok(e, PCR_EV_FREE, 20, 0x20, 0);
	st = stats_of(e);
	EXPECT_U64(st.pfn_min, 0x20);
	EXPECT_U64(st.pfn_max, 0x54);
	EXPECT_U64(st.bitmap_size_bits, 0x34);

	feed_ok(e, PCR_EV_ALLOC, 30, 0x60, 3);
	feed_ok(e, PCR_EV_ALLOC, 40, PCR_PFN_NONE, 0);
	feed_ok(e, PCR_EV_FREE_BATCHED, 50, 0x1000, 0);
	st = stats_of(e);
	cr_expect(st.have_range);
	EXPECT_U64(st.pfn_min, 0x20);
	EXPECT_U64(st.pfn_max, 0x68);
	EXPECT_U64(st.bitmap_size_bits, 72);
	pcr_engine_free(e);
}

/* ---- The complement invariant (pcr_engine_flip) ---- */

/*
 * Secondary-only corruption, the case the RFC's pre-check exists for:
 *   alloc 0x100 @10 (+1): PRIMARY 1, SECONDARY 0
 *   flip SECONDARY of 0x100: PRIMARY 1, SECONDARY 1 (broken)
 *   free 0x100 @20: INVARIANT reported with the bits before the update (1, 1), then the update
 *	still happens: PRIMARY 1->0 is a real transition (-1), SECONDARY 1.
 * pages_tracked 0, free_count 1, violations 1, invariant events 1 pages 1, no double free.
 * Callback: INVARIANT, first_pfn 0x100, pages 1, primary 1, secondary 1, prev alloc at 10.
 */
Test(engine, invariant_secondary_flip_then_free)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = window_engine(&rec);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, 0x100, 0);
	cr_assert_eq(pcr_engine_flip(e, 0x100, PCR_BITMAP_SECONDARY), 0);
	EXPECT_PAGE(e, 0x100, 1, 1, 1);
	feed_ok(e, PCR_EV_FREE, 20, 0x100, 0);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 0);
	EXPECT_U64(st.free_count, 1);
	EXPECT_U64(st.violations_detected, 1);
	EXPECT_U64(st.violation_events[PCR_VIOL_INVARIANT], 1);
	EXPECT_U64(st.violation_pages[PCR_VIOL_INVARIANT], 1);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_FREE], 0);
	cr_assert_eq(rec.calls, 1);
	EXPECT_U64(rec.v[0].kind, PCR_VIOL_INVARIANT);
	EXPECT_U64(rec.v[0].first_pfn, 0x100);
	EXPECT_U64(rec.v[0].pages, 1);
	EXPECT_U64(rec.v[0].primary, 1);
	EXPECT_U64(rec.v[0].secondary, 1);
	EXPECT_U64(rec.v[0].prev_kind, PCR_EV_ALLOC);
	EXPECT_U64(rec.v[0].prev_ts_ns, 10);
	EXPECT_PAGE(e, 0x100, 1, 0, 1);
	pcr_engine_free(e);
}

/*
 * Primary flipped to 1 on a free, never-seen page, then alloc (RFC: the pre-check reports the
 * break, and dual_bitmap_set() returns the old PRIMARY 1, so it is also a DOUBLE-ALLOC):
 *   flip PRIMARY of 0x100: PRIMARY 1, SECONDARY 1; page_state still 0 (never seen)
 *   alloc 0x100 @10: INVARIANT (1, 1) and DOUBLE-ALLOC; no transition.
 * pages_tracked 0, alloc_count 1, violations 2, invariant 1/1, double_alloc 1/1.
 * Callbacks: INVARIANT first (prev NONE), then DOUBLE-ALLOC, both first_pfn 0x100.
 * After: PRIMARY 1, SECONDARY 0.
 */
Test(engine, invariant_primary_flip_then_alloc_is_also_double_alloc)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = window_engine(&rec);
	struct pcr_stats st;

	cr_assert_eq(pcr_engine_flip(e, 0x100, PCR_BITMAP_PRIMARY), 0);
	EXPECT_PAGE(e, 0x100, 0, 1, 1);
	feed_ok(e, PCR_EV_ALLOC, 10, 0x100, 0);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 0);
	EXPECT_U64(st.alloc_count, 1);
	EXPECT_U64(st.violations_detected, 2);
	EXPECT_U64(st.violation_events[PCR_VIOL_INVARIANT], 1);
	EXPECT_U64(st.violation_pages[PCR_VIOL_INVARIANT], 1);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_ALLOC], 1);
	EXPECT_U64(st.violation_pages[PCR_VIOL_DOUBLE_ALLOC], 1);
	cr_assert_eq(rec.calls, 2);
	EXPECT_U64(rec.v[0].kind, PCR_VIOL_INVARIANT);
	EXPECT_U64(rec.v[0].first_pfn, 0x100);
	EXPECT_U64(rec.v[0].primary, 1);
	EXPECT_U64(rec.v[0].secondary, 1);
	EXPECT_U64(rec.v[0].prev_kind, PCR_EV_NONE);
	EXPECT_U64(rec.v[0].prev_ts_ns, 0);
	EXPECT_U64(rec.v[1].kind, PCR_VIOL_DOUBLE_ALLOC);
	EXPECT_U64(rec.v[1].first_pfn, 0x100);
	EXPECT_U64(rec.v[1].pages, 1);
	EXPECT_U64(rec.v[1].prev_kind, PCR_EV_NONE);
	EXPECT_PAGE(e, 0x100, 1, 1, 0);
	pcr_engine_free(e);
}

/*
 * Primary flipped to 0 on an allocated page, then free:
 *   alloc 0x100 @10 (+1); flip PRIMARY: PRIMARY 0, SECONDARY 0
 *   free 0x100 @20: INVARIANT (0, 0); PRIMARY already 0 on a seen page, running -> DOUBLE-FREE;
 *	no transition, so pages_tracked stays 1 (the RFC's counter does not see the flip).
 * free_count 1, violations 2, invariant 1/1, double_free 1/1. After: PRIMARY 0, SECONDARY 1.
 */
Test(engine, invariant_primary_flip_then_free_is_also_double_free)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = window_engine(&rec);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, 0x100, 0);
	cr_assert_eq(pcr_engine_flip(e, 0x100, PCR_BITMAP_PRIMARY), 0);
	feed_ok(e, PCR_EV_FREE, 20, 0x100, 0);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 1);
	EXPECT_U64(st.free_count, 1);
	EXPECT_U64(st.violations_detected, 2);
	EXPECT_U64(st.violation_events[PCR_VIOL_INVARIANT], 1);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_FREE], 1);
	cr_assert_eq(rec.calls, 2);
	EXPECT_U64(rec.v[0].kind, PCR_VIOL_INVARIANT);
	EXPECT_U64(rec.v[0].primary, 0);
	EXPECT_U64(rec.v[0].secondary, 0);
	EXPECT_U64(rec.v[1].kind, PCR_VIOL_DOUBLE_FREE);
	EXPECT_PAGE(e, 0x100, 1, 0, 1);
	pcr_engine_free(e);
}

/*
 * Secondary flipped to 0 on a free, never-seen page, then alloc:
 *   flip SECONDARY of 0x200: PRIMARY 0, SECONDARY 0
 *   alloc 0x200 @10: INVARIANT (0, 0), then PRIMARY 0->1 is a real transition (+1).
 * pages_tracked 1, alloc_count 1, violations 1, no double alloc. After: 1, 0.
 */
Test(engine, invariant_secondary_flip_then_alloc)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = window_engine(&rec);
	struct pcr_stats st;

	cr_assert_eq(pcr_engine_flip(e, 0x200, PCR_BITMAP_SECONDARY), 0);
	EXPECT_PAGE(e, 0x200, 0, 0, 0);
	feed_ok(e, PCR_EV_ALLOC, 10, 0x200, 0);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 1);
	EXPECT_U64(st.alloc_count, 1);
	EXPECT_U64(st.violations_detected, 1);
	EXPECT_U64(st.violation_events[PCR_VIOL_INVARIANT], 1);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_ALLOC], 0);
	cr_assert_eq(rec.calls, 1);
	EXPECT_U64(rec.v[0].primary, 0);
	EXPECT_U64(rec.v[0].secondary, 0);
	EXPECT_PAGE(e, 0x200, 1, 1, 0);
	pcr_engine_free(e);
}

/*
 * Two broken pages in one order-2 free:
 *   alloc 0x300 order 2 @10 (+4); flip SECONDARY of 0x302 and 0x303 (both 1, 1)
 *   free 0x300 order 2 @20: 4 real transitions (-4); INVARIANT on 0x302 and 0x303.
 * pages_tracked 0, violations 2, invariant events 1 pages 2. One callback: first_pfn 0x302,
 * pages 2, primary 1, secondary 1.
 */
Test(engine, invariant_some_pages_of_an_order)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = window_engine(&rec);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, 0x300, 2);
	cr_assert_eq(pcr_engine_flip(e, 0x302, PCR_BITMAP_SECONDARY), 0);
	cr_assert_eq(pcr_engine_flip(e, 0x303, PCR_BITMAP_SECONDARY), 0);
	feed_ok(e, PCR_EV_FREE, 20, 0x300, 2);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 0);
	EXPECT_U64(st.violations_detected, 2);
	EXPECT_U64(st.violation_events[PCR_VIOL_INVARIANT], 1);
	EXPECT_U64(st.violation_pages[PCR_VIOL_INVARIANT], 2);
	cr_assert_eq(rec.calls, 1);
	EXPECT_U64(rec.v[0].first_pfn, 0x302);
	EXPECT_U64(rec.v[0].pages, 2);
	EXPECT_U64(rec.v[0].primary, 1);
	EXPECT_U64(rec.v[0].secondary, 1);
	pcr_engine_free(e);
}

/* ---- validate ---- */

/*
 * validate counts inconsistent 64-bit words, not bits (no --pfn-range: word = pfn / 64):
 *   flip PRIMARY of 0x40 and SECONDARY of 0x7f: both in word 1 (pfns 64..127) -> 1 word
 * validate returns 1, validate_words 1, violations_detected 1, validated.
 */
Test(engine, validate_two_flips_in_one_word)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_stats st;

	cr_assert_eq(pcr_engine_flip(e, 0x40, PCR_BITMAP_PRIMARY), 0);
	cr_assert_eq(pcr_engine_flip(e, 0x7f, PCR_BITMAP_SECONDARY), 0);
	EXPECT_U64(pcr_engine_validate(e), 1);
	st = stats_of(e);
	EXPECT_U64(st.validate_words, 1);
	EXPECT_U64(st.violations_detected, 1);
	cr_expect(st.validated);
	pcr_engine_free(e);
}

/*
 * flip 0x3f (word 0, pfns 0..63) and 0x40 (word 1): 2 words; violations_detected 2.
 */
Test(engine, validate_two_flips_in_two_words)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_stats st;

	cr_assert_eq(pcr_engine_flip(e, 0x3f, PCR_BITMAP_PRIMARY), 0);
	cr_assert_eq(pcr_engine_flip(e, 0x40, PCR_BITMAP_PRIMARY), 0);
	EXPECT_U64(pcr_engine_validate(e), 2);
	st = stats_of(e);
	EXPECT_U64(st.validate_words, 2);
	EXPECT_U64(st.violations_detected, 2);
	pcr_engine_free(e);
}

/*
 * With --pfn-range the words are counted from pfn_min (the RFC's pfn_to_bit = pfn - min_pfn):
 * pfn_min 10 -> word 0 holds pfns 10..73, word 1 holds 74..137.
 *   engine A: flip 10 and 73 -> 1 word
 *   engine B: flip 73 and 74 -> 2 words (without the range they would share word 1)
 *   engine C: flip 10 and 74 -> 2 words
 */
Test(engine, validate_words_relative_to_pfn_min)
{
	struct pcr_engine *e;
	struct pcr_stats st;

	e = range_engine(10, 1000, NULL);
	cr_assert_eq(pcr_engine_flip(e, 10, PCR_BITMAP_PRIMARY), 0);
	cr_assert_eq(pcr_engine_flip(e, 73, PCR_BITMAP_PRIMARY), 0);
	EXPECT_U64(pcr_engine_validate(e), 1);
	st = stats_of(e);
	EXPECT_U64(st.violations_detected, 1);
	pcr_engine_free(e);

	e = range_engine(10, 1000, NULL);
	cr_assert_eq(pcr_engine_flip(e, 73, PCR_BITMAP_SECONDARY), 0);
	cr_assert_eq(pcr_engine_flip(e, 74, PCR_BITMAP_SECONDARY), 0);
	EXPECT_U64(pcr_engine_validate(e), 2);
	pcr_engine_free(e);

	e = range_engine(10, 1000, NULL);
	cr_assert_eq(pcr_engine_flip(e, 10, PCR_BITMAP_PRIMARY), 0);
	cr_assert_eq(pcr_engine_flip(e, 74, PCR_BITMAP_SECONDARY), 0);
	EXPECT_U64(pcr_engine_validate(e), 2);
	pcr_engine_free(e);
}

/*
 * validate adds to violations_detected, which already counts pages:
 *   alloc 0x100 @10, alloc 0x100 @20: DOUBLE-ALLOC 1 page -> violations 1
 *   (a double alloc leaves the bits consistent: PRIMARY 1, SECONDARY 0)
 *   flip PRIMARY of 0x500 (word 20) -> validate 1 word -> violations 2
 * A flip repaired by a later event is consistent again: flip SECONDARY of 0x900, alloc 0x900 @30
 * (INVARIANT, violations 3, repaired) -> validate still finds 1 word (0x500's): violations 4.
 */
Test(engine, validate_adds_words_to_violations)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, 0x100, 0);
	feed_ok(e, PCR_EV_ALLOC, 20, 0x100, 0);
	cr_assert_eq(pcr_engine_flip(e, 0x500, PCR_BITMAP_PRIMARY), 0);
	EXPECT_U64(pcr_engine_validate(e), 1);
	st = stats_of(e);
	EXPECT_U64(st.violations_detected, 2);

	cr_assert_eq(pcr_engine_flip(e, 0x900, PCR_BITMAP_SECONDARY), 0);
	feed_ok(e, PCR_EV_ALLOC, 30, 0x900, 0);
	st = stats_of(e);
	EXPECT_U64(st.violations_detected, 3);
	EXPECT_U64(pcr_engine_validate(e), 1);
	st = stats_of(e);
	EXPECT_U64(st.validate_words, 1);
	EXPECT_U64(st.violations_detected, 4);
	pcr_engine_free(e);
}

/*
 * A replay with events but no corruption validates clean:
 *   alloc 0x0 order 7 @10 (128 pages, words 0 and 1), free 0x40 order 6 @20, alloc 0x1000 @30
 * validate 0, violations 0, validated true, pages_tracked 128 - 64 + 1 = 65.
 */
Test(engine, validate_clean_replay)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, 0x0, 7);
	feed_ok(e, PCR_EV_FREE, 20, 0x40, 6);
	feed_ok(e, PCR_EV_ALLOC, 30, 0x1000, 0);
	EXPECT_U64(pcr_engine_validate(e), 0);
	st = stats_of(e);
	EXPECT_U64(st.validate_words, 0);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_I64(st.pages_tracked, 65);
	cr_expect(st.validated);
	pcr_engine_free(e);
}

/* ---- The violation callback ---- */

/*
 * A non-zero return from the callback makes pcr_engine_feed() return -PCR_ERR_STOPPED:
 *   alloc 0x100 @10, alloc 0x100 @20 -> DOUBLE-ALLOC, callback returns 1 -> -STOPPED
 * The event was still applied and counted: alloc_count 2, violations 1, pages_tracked 1.
 * A later event is accepted again: free 0x100 @30 -> 0, pages_tracked 0.
 */
Test(engine, callback_stop)
{
	struct recorder rec = { .stop_at = 1 };
	struct pcr_engine *e = window_engine(&rec);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, 0x100, 0);
	EXPECT_I64(feed(e, PCR_EV_ALLOC, 20, 0x100, 0), -PCR_ERR_STOPPED);
	st = stats_of(e);
	EXPECT_U64(st.alloc_count, 2);
	EXPECT_U64(st.violations_detected, 1);
	EXPECT_I64(st.pages_tracked, 1);
	EXPECT_U64(rec.calls, 1);
	feed_ok(e, PCR_EV_FREE, 30, 0x100, 0);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 0);
	pcr_engine_free(e);
}

/*
 * Stopping on the first of two violations of one event: the engine has already applied the
 * event (alloc_count, bits), so its counters must still hold both violations, as the RFC's
 * counter would:
 *   flip PRIMARY of 0x100; alloc 0x100 @10 -> INVARIANT (callback returns 1) and DOUBLE-ALLOC
 * feed returns -STOPPED; alloc_count 1, violations_detected 2, invariant 1/1, double_alloc 1/1.
 */
Test(engine, callback_stop_still_counts_every_violation_of_the_event)
{
	struct recorder rec = { .stop_at = 1 };
	struct pcr_engine *e = window_engine(&rec);
	struct pcr_stats st;

	cr_assert_eq(pcr_engine_flip(e, 0x100, PCR_BITMAP_PRIMARY), 0);
	EXPECT_I64(feed(e, PCR_EV_ALLOC, 10, 0x100, 0), -PCR_ERR_STOPPED);
	st = stats_of(e);
	EXPECT_U64(st.alloc_count, 1);
	EXPECT_U64(st.violation_events[PCR_VIOL_INVARIANT], 1);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_ALLOC], 1);
	EXPECT_U64(st.violation_pages[PCR_VIOL_DOUBLE_ALLOC], 1);
	EXPECT_U64(st.violations_detected, 2);
	EXPECT_PAGE(e, 0x100, 1, 1, 0);
	pcr_engine_free(e);
}

/*
 * Without a callback violations are only counted, and a callback can be removed with NULL:
 *   alloc 0x100 @10, alloc 0x100 @20 (1 violation, recorded), set fn NULL,
 *   alloc 0x100 @30 (violation 2, not recorded): violations 2, rec.calls 1.
 */
Test(engine, callback_can_be_removed)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = window_engine(&rec);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, 0x100, 0);
	feed_ok(e, PCR_EV_ALLOC, 20, 0x100, 0);
	pcr_engine_set_violation_fn(e, NULL, NULL);
	feed_ok(e, PCR_EV_ALLOC, 30, 0x100, 0);
	st = stats_of(e);
	EXPECT_U64(st.violations_detected, 2);
	EXPECT_U64(rec.calls, 1);
	pcr_engine_free(e);
}

/* ---- Invalid input ---- */

/*
 * order 21 > PCR_MAX_ORDER on alloc and free, a kind out of range (PCR_EV_NR, 200), the
 * "no event" kind, a NULL engine or event: -PCR_ERR_INVAL, and nothing is counted
 * (events[] all 0, alloc_count 0, free_count 0).
 */
Test(engine, invalid_events)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_event ev = make_event(PCR_EV_ALLOC, 10, 0x100, 0);
	struct pcr_stats st;
	int kind;

	EXPECT_I64(feed(e, PCR_EV_ALLOC, 10, 0x100, PCR_MAX_ORDER + 1), -PCR_ERR_INVAL);
	EXPECT_I64(feed(e, PCR_EV_FREE, 10, 0x100, PCR_MAX_ORDER + 1), -PCR_ERR_INVAL);
	EXPECT_I64(feed(e, PCR_EV_NR, 10, 0x100, 0), -PCR_ERR_INVAL);
	EXPECT_I64(feed(e, 200, 10, 0x100, 0), -PCR_ERR_INVAL);
	EXPECT_I64(feed(e, PCR_EV_NONE, 10, 0x100, 0), -PCR_ERR_INVAL);
	EXPECT_I64(pcr_engine_feed(NULL, &ev), -PCR_ERR_INVAL);
	EXPECT_I64(pcr_engine_feed(e, NULL), -PCR_ERR_INVAL);
	st = stats_of(e);
	for (kind = 0; kind < PCR_EV_NR; kind++)
		EXPECT_U64(st.events[kind], 0);
	EXPECT_U64(st.alloc_count, 0);
	EXPECT_U64(st.free_count, 0);
	EXPECT_U64(st.out_of_range_events, 0);
	EXPECT_U64(st.pages_known, 0);
	pcr_engine_free(e);
}

/*
 * order == PCR_MAX_ORDER is accepted: alloc 0 order 20 -> 2^20 = 1048576 transitions,
 * pfn_range [0-1048576); free 0 order 20 -> pages_tracked 0.
 */
Test(engine, max_order_accepted)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, 0, PCR_MAX_ORDER);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 1048576);
	EXPECT_U64(st.pfn_max, 1048576);
	EXPECT_U64(st.bitmap_size_bits, 1048576);
	feed_ok(e, PCR_EV_FREE, 20, 0, PCR_MAX_ORDER);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 0);
	EXPECT_U64(st.violations_detected, 0);
	pcr_engine_free(e);
}

/*
 * pcr_engine_new: NULL out, an empty range (10-10), an inverted range (20-10) and an unknown
 * model are -PCR_ERR_INVAL and leave no engine; NULL options mean PCR_OPTIONS_INIT (window
 * model: a free of an unseen page is not a violation). pcr_engine_free(NULL) does nothing.
 */
Test(engine, engine_new_rejects_bad_options)
{
	struct pcr_options opts = PCR_OPTIONS_INIT;
	struct pcr_engine *e = (struct pcr_engine *)&opts;
	struct pcr_stats st;

	EXPECT_I64(pcr_engine_new(NULL, NULL), -PCR_ERR_INVAL);

	opts.pfn_range = true;
	opts.pfn_min = 10;
	opts.pfn_max = 10;
	EXPECT_I64(pcr_engine_new(&e, &opts), -PCR_ERR_INVAL);
	cr_expect_null(e);

	e = (struct pcr_engine *)&opts;
	opts.pfn_min = 20;
	EXPECT_I64(pcr_engine_new(&e, &opts), -PCR_ERR_INVAL);
	cr_expect_null(e);

	opts = (struct pcr_options)PCR_OPTIONS_INIT;
	opts.model = (enum pcr_model)7;
	EXPECT_I64(pcr_engine_new(&e, &opts), -PCR_ERR_INVAL);

	pcr_engine_free(NULL);

	cr_assert_eq(pcr_engine_new(&e, NULL), 0);
	feed_ok(e, PCR_EV_FREE, 10, 0x100, 0);
	st = stats_of(e);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_U64(st.free_unseen_events, 1);
	pcr_engine_free(e);
}

/* ---- Extreme pfns ---- */

/*
 * pfn + 2^order - 1 overflows 64 bits: out of range, skipped and counted, no crash.
 *   alloc UINT64_MAX-1 order 2 (last = UINT64_MAX+2 wraps to 1) -> out_of_range 1
 *   free UINT64_MAX-3 order 3 (wraps to 3)                      -> out_of_range 2
 *   alloc UINT64_MAX-5 order 20                                 -> out_of_range 3
 * alloc_count 0, free_count 0, pages_known 0, no range. Same with a --pfn-range: out_of_range 1.
 * flip/page_state of PCR_PFN_NONE are -INVAL.
 */
Test(engine, pfn_overflow_is_out_of_range)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_stats st;
	int p, s;

	feed_ok(e, PCR_EV_ALLOC, 10, UINT64_MAX - 1, 2);
	feed_ok(e, PCR_EV_FREE, 20, UINT64_MAX - 3, 3);
	feed_ok(e, PCR_EV_ALLOC, 30, UINT64_MAX - 5, 20);
	st = stats_of(e);
	EXPECT_U64(st.out_of_range_events, 3);
	EXPECT_U64(st.alloc_count, 0);
	EXPECT_U64(st.free_count, 0);
	EXPECT_U64(st.pages_known, 0);
	EXPECT_U64(st.violations_detected, 0);
	cr_expect(!st.have_range);
	EXPECT_I64(pcr_engine_flip(e, PCR_PFN_NONE, PCR_BITMAP_PRIMARY), -PCR_ERR_INVAL);
	EXPECT_I64(pcr_engine_page_state(e, PCR_PFN_NONE, &p, &s), -PCR_ERR_INVAL);
	pcr_engine_free(e);

	e = range_engine(0, UINT64_MAX, NULL);
	feed_ok(e, PCR_EV_ALLOC, 10, UINT64_MAX - 1, 2);
	st = stats_of(e);
	EXPECT_U64(st.out_of_range_events, 1);
	EXPECT_U64(st.alloc_count, 0);
	pcr_engine_free(e);
}

/*
 * A block whose last page is 2^64 - 1 (PCR_PFN_NONE) does not overflow pfn + 2^order - 1, but it
 * cannot lie inside any RFC range either: max_pfn is exclusive, so no [min_pfn, max_pfn) holds
 * pfn ULONG_MAX, and the stats' pfn_max (last + 1) would wrap to 0. flip and page_state already
 * refuse that pfn. Expected:
 *   alloc UINT64_MAX-1 order 1 @10 -> out_of_range 1, alloc_count 0, pages_tracked 0
 *   free UINT64_MAX order 0 @20    -> out_of_range 2, free_count 0
 *   alloc 5 order 0 @30 (+1)       -> pfn_range [5-6), bitmap_size_bits 1
 */
Test(engine, block_reaching_last_pfn_is_out_of_range)
{
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, UINT64_MAX - 1, 1);
	feed_ok(e, PCR_EV_FREE, 20, UINT64_MAX, 0);
	st = stats_of(e);
	EXPECT_U64(st.out_of_range_events, 2);
	EXPECT_U64(st.alloc_count, 0);
	EXPECT_U64(st.free_count, 0);
	EXPECT_I64(st.pages_tracked, 0);
	EXPECT_U64(st.pages_known, 0);
	cr_expect(!st.have_range);

	feed_ok(e, PCR_EV_ALLOC, 30, 5, 0);
	st = stats_of(e);
	EXPECT_U64(st.pfn_min, 5);
	EXPECT_U64(st.pfn_max, 6);
	EXPECT_U64(st.bitmap_size_bits, 1);
	pcr_engine_free(e);
}

/*
 * Huge sparse pfns share nothing: 1<<51 | 3 and 3 have the same low bits but are distinct pages.
 *   alloc (1<<51)|3 @10 (+1), alloc 3 @20 (+1): no double alloc
 *   free 3 @30 (-1): (1<<51)|3 stays allocated
 * pages_tracked 1, violations 0, pages_known 2, pfn_range [3-(1<<51)+4),
 * bitmap_size_bits (1<<51)+4-3 = (1<<51)+1. (1<<51) itself was never seen.
 */
Test(engine, huge_sparse_pfns)
{
	const uint64_t high = (1ull << 51) | 3;
	struct pcr_engine *e = window_engine(NULL);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 10, high, 0);
	feed_ok(e, PCR_EV_ALLOC, 20, 3, 0);
	feed_ok(e, PCR_EV_FREE, 30, 3, 0);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 1);
	EXPECT_U64(st.violations_detected, 0);
	EXPECT_U64(st.pages_known, 2);
	EXPECT_U64(st.pfn_min, 3);
	EXPECT_U64(st.pfn_max, (1ull << 51) + 4);
	EXPECT_U64(st.bitmap_size_bits, (1ull << 51) + 1);
	EXPECT_PAGE(e, high, 1, 1, 0);
	EXPECT_PAGE(e, 3, 1, 0, 1);
	EXPECT_PAGE(e, 1ull << 51, 0, 0, 1);
	EXPECT_U64(pcr_engine_validate(e), 0);
	pcr_engine_free(e);
}

/*
 * Many sparse words (3000 pages, each in its own 64-page word, 64 * 1021 apart): every page is
 * allocated once (+3000), then allocated again: 3000 double allocs, one per event.
 * pages_tracked 3000, alloc_count 6000, violations 3000, pages_known 3000; every page 1, 0.
 */
Test(engine, many_sparse_words)
{
	const uint64_t stride = 64 * 1021;
	struct pcr_engine *e = window_engine(NULL);
	uint64_t i, wrong = 0;
	struct pcr_stats st;

	for (i = 0; i < 3000; i++)
		feed_ok(e, PCR_EV_ALLOC, 10 + i, 5 + i * stride, 0);
	for (i = 0; i < 3000; i++)
		feed_ok(e, PCR_EV_ALLOC, 5000 + i, 5 + i * stride, 0);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 3000);
	EXPECT_U64(st.alloc_count, 6000);
	EXPECT_U64(st.violations_detected, 3000);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_ALLOC], 3000);
	EXPECT_U64(st.pages_known, 3000);
	for (i = 0; i < 3000; i++) {
		int p = -1, s = -1;

		if (pcr_engine_page_state(e, 5 + i * stride, &p, &s) != 1 || p != 1 || s != 0)
			wrong++;
	}
	EXPECT_U64(wrong, 0);
	EXPECT_PAGE(e, 6 + stride, 0, 0, 1);
	EXPECT_U64(pcr_engine_validate(e), 0);
	pcr_engine_free(e);
}

/* ---- pcr_engine_page_state ---- */

/*
 * A page's state in both models: never seen -> 0 with the initial bits (PRIMARY 0,
 * SECONDARY 1); after alloc -> 1 with (1, 0); after free -> 1 with (0, 1).
 */
Test(engine, page_state)
{
	struct pcr_engine *e = kernel_engine(0, NULL);

	EXPECT_PAGE(e, 0x42, 0, 0, 1);
	feed_ok(e, PCR_EV_ALLOC, 10, 0x42, 0);
	EXPECT_PAGE(e, 0x42, 1, 1, 0);
	EXPECT_PAGE(e, 0x43, 0, 0, 1);
	feed_ok(e, PCR_EV_FREE, 20, 0x42, 0);
	EXPECT_PAGE(e, 0x42, 1, 0, 1);
	pcr_engine_free(e);

	e = window_engine(NULL);
	EXPECT_PAGE(e, 0, 0, 0, 1);
	EXPECT_PAGE(e, UINT64_MAX - 1, 0, 0, 1);
	pcr_engine_free(e);
}

/* ---- Replaying the checker's own hook calls (the reference kernel, tests/kernel/rfc) ---- */

static void feed_hook(struct pcr_engine *engine, uint8_t kind, uint64_t ts_ns, uint64_t pfn,
		      uint8_t order, int32_t state)
{
	struct pcr_event ev = make_event(kind, ts_ns, pfn, order);

	ev.state = state;
	cr_assert_eq(pcr_engine_feed(engine, &ev), 0, "feeding %s pfn 0x%" PRIx64 " failed",
		     pcr_event_name(kind), pfn);
}

static void feed_hook_init(struct pcr_engine *engine, uint64_t min_pfn, uint64_t max_pfn)
{
	struct pcr_event ev = make_event(PCR_EV_HOOK_INIT, 1, min_pfn, 0);

	ev.pfn_end = max_pfn;
	cr_assert_eq(pcr_engine_feed(engine, &ev), 0);
}

/*
 * The RFC kernel's boot in miniature, replayed from the hook calls (kernel model):
 *   init [0x1000-0x1010): bitmap_size_bits 16, pfn_range [4096-4112)
 *   free  0x1000 order 2, state 0 (memblock_free_all): 4 pages already free, no transition,
 *	gated (state < RUNNING): free_count 1, no violation
 *   alloc 0x1004 order 1, state 1: pages 0x1004-5 0->1: pages_tracked 2, alloc_count 1
 *   mm_page_alloc 0x1008 order 0 (a kmem event): only counted, no state change, no alloc_count
 *   free  0x1006 order 0, state 3 (RUNNING): page free already: DOUBLE-FREE, violations 1
 *   free  0x1004 order 0, state 3: 1->0: pages_tracked 1, free_count 3
 *   alloc 0x1010 order 0: outside the range, skipped and counted apart (not in alloc_count)
 * The kmem page event leaves page 0x1008 untouched (page_state 0: never seen).
 */
Test(engine, replays_hook_calls_with_their_system_state)
{
	struct recorder rec = { 0 };
	struct pcr_options opts = PCR_OPTIONS_INIT;
	struct pcr_engine *e;
	struct pcr_stats st;

	opts.model = PCR_MODEL_KERNEL;
	opts.replay_hooks = true;
	e = engine_with(&opts, &rec);
	feed_hook_init(e, 0x1000, 0x1010);
	feed_hook(e, PCR_EV_HOOK_FREE, 10, 0x1000, 2, 0);
	feed_hook(e, PCR_EV_HOOK_ALLOC, 20, 0x1004, 1, 1);
	feed_ok(e, PCR_EV_ALLOC, 25, 0x1008, 0);
	feed_hook(e, PCR_EV_HOOK_FREE, 30, 0x1006, 0, 3);
	feed_hook(e, PCR_EV_HOOK_FREE, 40, 0x1004, 0, 3);
	feed_hook(e, PCR_EV_HOOK_ALLOC, 50, 0x1010, 0, 3);
	st = stats_of(e);
	EXPECT_I64(st.pages_tracked, 1);
	EXPECT_U64(st.alloc_count, 1);
	EXPECT_U64(st.free_count, 3);
	EXPECT_U64(st.violations_detected, 1);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_FREE], 1);
	EXPECT_U64(st.bitmap_size_bits, 16);
	EXPECT_U64(st.pfn_min, 0x1000);
	EXPECT_U64(st.pfn_max, 0x1010);
	EXPECT_U64(st.out_of_range_events, 1);
	EXPECT_U64(st.events[PCR_EV_ALLOC], 1);
	EXPECT_U64(st.events[PCR_EV_HOOK_FREE], 3);
	EXPECT_U64(st.boot_free_unallocated_pages, 4);
	EXPECT_U64(rec.calls, 1);
	EXPECT_U64(rec.v[0].first_pfn, 0x1006);
	EXPECT_I64(rec.v[0].kind, PCR_VIOL_DOUBLE_FREE);
	EXPECT_PAGE(e, 0x1005, 1, 1, 0);
	EXPECT_PAGE(e, 0x1008, 0, 0, 1);
	pcr_engine_free(e);
}

/*
 * Without replay_hooks the hook calls are only counted: the same alloc leaves the engine
 * empty (alloc_count 0, pages_tracked 0), and a kmem alloc is replayed as always.
 */
Test(engine, hook_calls_only_counted_when_replaying_kmem)
{
	struct pcr_engine *e = kernel_engine(0, NULL);
	struct pcr_stats st;

	feed_hook(e, PCR_EV_HOOK_ALLOC, 20, 0x1004, 1, 3);
	feed_ok(e, PCR_EV_ALLOC, 25, 0x1008, 0);
	st = stats_of(e);
	EXPECT_U64(st.alloc_count, 1);
	EXPECT_I64(st.pages_tracked, 1);
	EXPECT_U64(st.events[PCR_EV_HOOK_ALLOC], 1);
	EXPECT_PAGE(e, 0x1004, 0, 0, 1);
	pcr_engine_free(e);
}

static void feed_isolation(struct pcr_engine *engine, uint64_t ts_ns, uint64_t lo, uint64_t hi)
{
	struct pcr_event ev = make_event(PCR_EV_ISOLATE, ts_ns, lo, 0);

	ev.pfn_end = hi;
	cr_assert_eq(pcr_engine_feed(engine, &ev), 0);
}

/*
 * Compaction's isolations mark the free pages of their range until the page's next event
 * (@isolated) and until its next allocation (@isolated_since_alloc); they change no counter.
 *   0x500 alloc @100, free @200; isolation [0x4f0, 0x50f] @250; free @300: double free,
 *	isolated (the isolation came after the previous free) and isolated since its alloc.
 *   free @400 again: double free, not isolated (nothing since @300), still since its alloc.
 *   alloc @500, free @600, free @700: double free, neither (the alloc cleared both).
 *   isolation [0x540, 0x600] @750 while 0x540 is allocated (alloc @740): not marked, so its
 *	free @760 is clean and a free @770 is a double free isolated by nothing.
 *   0x700, never seen, inside an isolation [0x700, 0x700] @800, then freed @810 and @820 (as
 *	compaction_free does): the second free is isolated since its (never seen) allocation.
 */
Test(engine, isolation_marks_free_pages_until_their_next_event)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = window_engine(&rec);
	struct pcr_stats st;

	feed_ok(e, PCR_EV_ALLOC, 100, 0x500, 0);
	feed_ok(e, PCR_EV_FREE, 200, 0x500, 0);
	feed_isolation(e, 250, 0x4f0, 0x50f);
	feed_ok(e, PCR_EV_FREE, 300, 0x500, 0);
	feed_ok(e, PCR_EV_FREE, 400, 0x500, 0);
	feed_ok(e, PCR_EV_ALLOC, 500, 0x500, 0);
	feed_ok(e, PCR_EV_FREE, 600, 0x500, 0);
	feed_ok(e, PCR_EV_FREE, 700, 0x500, 0);
	feed_ok(e, PCR_EV_ALLOC, 740, 0x540, 0);
	feed_isolation(e, 750, 0x540, 0x600);
	feed_ok(e, PCR_EV_FREE, 760, 0x540, 0);
	feed_ok(e, PCR_EV_FREE, 770, 0x540, 0);
	feed_isolation(e, 800, 0x700, 0x700);
	feed_ok(e, PCR_EV_FREE, 810, 0x700, 0);
	feed_ok(e, PCR_EV_FREE, 820, 0x700, 0);
	st = stats_of(e);
	EXPECT_U64(st.violation_events[PCR_VIOL_DOUBLE_FREE], 5);
	EXPECT_U64(st.events[PCR_EV_ISOLATE], 3);
	EXPECT_U64(st.alloc_count, 3);
	EXPECT_U64(st.free_count, 9);
	cr_assert_eq(rec.calls, 5);
	EXPECT_U64(rec.ev[0].ts_ns, 300);
	EXPECT_I64(rec.v[0].isolated, true);
	EXPECT_I64(rec.v[0].isolated_since_alloc, true);
	EXPECT_U64(rec.ev[1].ts_ns, 400);
	EXPECT_I64(rec.v[1].isolated, false);
	EXPECT_I64(rec.v[1].isolated_since_alloc, true);
	EXPECT_U64(rec.ev[2].ts_ns, 700);
	EXPECT_I64(rec.v[2].isolated, false);
	EXPECT_I64(rec.v[2].isolated_since_alloc, false);
	EXPECT_U64(rec.ev[3].ts_ns, 770);
	EXPECT_I64(rec.v[3].isolated, false);
	EXPECT_I64(rec.v[3].isolated_since_alloc, false);
	EXPECT_U64(rec.ev[4].ts_ns, 820);
	EXPECT_I64(rec.v[4].isolated, false);
	EXPECT_I64(rec.v[4].isolated_since_alloc, true);
	pcr_engine_free(e);
}

/* An isolation range of 2^40 pages walks the pages seen, not the range, and marks them. */
Test(engine, huge_isolation_range_is_bounded)
{
	struct recorder rec = { 0 };
	struct pcr_engine *e = window_engine(&rec);

	feed_ok(e, PCR_EV_ALLOC, 100, 0x123456, 0);
	feed_ok(e, PCR_EV_FREE, 200, 0x123456, 0);
	feed_isolation(e, 300, 0, 1ull << 40);
	feed_ok(e, PCR_EV_FREE, 400, 0x123456, 0);
	cr_assert_eq(rec.calls, 1);
	EXPECT_I64(rec.v[0].isolated, true);
	pcr_engine_free(e);
}
