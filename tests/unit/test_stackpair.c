// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the pairing of kernel_stack records with their events (formats/stackpair.c).
 *
 * Every test feeds a hand-made sequence of struct pcr_event records and stack records, as a
 * reader would after merging the CPUs, and records what the delivery function receives. Each
 * event carries a distinct pfn that names it, so the order of delivery and the stack each event
 * got can be checked. The expected deliveries and counters are worked out by hand, from
 * stackpair.h and the rules of ftrace's stacktrace option (a kernel_stack record follows its event
 * on the same CPU; an interrupt may nest its own event and stack in between), in the comment
 * above each test.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "expect.h"

#include "stackpair.h"

#define W PCR_PAIR_WINDOW_NS

/* What the delivery function saw: copies of the events, in the order they came. */
struct recorder {
	struct pcr_event *ev;
	char (*comm)[PCR_COMM_LEN];	/* the comm as it read during the call */
	size_t nr;
	size_t cap;
	unsigned int stop_at;		/* return stop_ret on this call (1-based), 0: never */
	int stop_ret;
};

static int record_event(const struct pcr_event *ev, void *payload)
{
	struct recorder *rec = payload;

	if (rec->nr == rec->cap) {
		size_t cap = rec->cap ? rec->cap * 2 : 64;

		rec->ev = realloc(rec->ev, cap * sizeof(*rec->ev));
		rec->comm = realloc(rec->comm, cap * sizeof(*rec->comm));
		cr_assert(rec->ev && rec->comm, "out of memory");
		rec->cap = cap;
	}
	rec->ev[rec->nr] = *ev;
	/* The comm is only valid during the call: keep its text, not the pointer. */
	snprintf(rec->comm[rec->nr], PCR_COMM_LEN, "%s", ev->comm ? ev->comm : "(null)");
	rec->ev[rec->nr].comm = NULL;
	rec->nr++;
	return rec->stop_at && rec->nr == rec->stop_at ? rec->stop_ret : 0;
}

static void recorder_free(struct recorder *rec)
{
	free(rec->ev);
	free(rec->comm);
}

static struct pcr_stackpair *pairer(struct recorder *rec)
{
	struct pcr_stackpair *sp = NULL;

	cr_assert_eq(pcr_stackpair_new(&sp, record_event, rec), 0, "pcr_stackpair_new failed");
	cr_assert_not_null(sp);
	return sp;
}

/* A page or other event named by its pfn. */
static struct pcr_event make_event(uint8_t kind, uint16_t cpu, uint64_t ts_ns, uint64_t pfn)
{
	struct pcr_event ev = {
		.ts_ns = ts_ns,
		.pfn = pfn,
		.comm = "test",
		.pid = 42,
		.migratetype = -1,
		.cpu = cpu,
		.kind = kind,
	};

	if (kind == PCR_EV_ALLOC) {
		ev.gfp = 0xcc0;
		ev.migratetype = 0;
	}
	return ev;
}

/* Feeds a page event under its tracepoint's name ("mm_page_alloc", ...). */
static void event_ok(struct pcr_stackpair *sp, uint8_t kind, uint16_t cpu, uint64_t ts_ns,
		     uint64_t pfn)
{
	struct pcr_event ev = make_event(kind, cpu, ts_ns, pfn);
	int ret = pcr_stackpair_event(sp, &ev, pcr_event_name(kind));

	cr_assert_eq(ret, 0, "event %s pfn 0x%" PRIx64 " cpu %u at %" PRIu64 " returned %d",
		     pcr_event_name(kind), pfn, (unsigned int)cpu, ts_ns, ret);
}

/* Feeds a non-page record (PCR_EV_OTHER) with its own event name. */
static void other_ok(struct pcr_stackpair *sp, const char *name, uint16_t cpu, uint64_t ts_ns,
		     uint64_t pfn)
{
	struct pcr_event ev = make_event(PCR_EV_OTHER, cpu, ts_ns, pfn);
	int ret = pcr_stackpair_event(sp, &ev, name);

	cr_assert_eq(ret, 0, "other event %s cpu %u returned %d", name, (unsigned int)cpu, ret);
}

static void lost_ok(struct pcr_stackpair *sp, uint16_t cpu, uint64_t ts_ns, uint64_t lost,
		    uint64_t pfn)
{
	struct pcr_event ev = make_event(PCR_EV_LOST, cpu, ts_ns, pfn);
	int ret;

	ev.lost = lost;
	ret = pcr_stackpair_event(sp, &ev, NULL);
	cr_assert_eq(ret, 0, "lost notice cpu %u returned %d", (unsigned int)cpu, ret);
}

static void stack_ok(struct pcr_stackpair *sp, int cpu, uint64_t ts_ns, uint32_t id,
		     const char *glue)
{
	int ret = pcr_stackpair_stack(sp, cpu, ts_ns, id, glue);

	cr_assert_eq(ret, 0, "stack %u cpu %d at %" PRIu64 " returned %d", (unsigned int)id, cpu,
		     ts_ns, ret);
}

static void flush_ok(struct pcr_stackpair *sp)
{
	int ret = pcr_stackpair_flush(sp);

	cr_assert_eq(ret, 0, "flush returned %d", ret);
}

static struct pcr_pair_stats stats_of(const struct pcr_stackpair *sp)
{
	struct pcr_pair_stats st;

	pcr_stackpair_stats(sp, &st);
	return st;
}

#define EXPECT_STATS(sp, p, s, u, t)						\
	do {									\
		struct pcr_pair_stats st_ = stats_of(sp);			\
										\
		EXPECT_U64(st_.paired, p);					\
		EXPECT_U64(st_.stackless, s);					\
		EXPECT_U64(st_.unpaired_stacks, u);				\
		EXPECT_U64(st_.timeouts, t);					\
	} while (0)

/* Delivery number @i was the event named @pfn, with stack @stack. */
#define EXPECT_DELIVERED(rec, i, pfn_, stack_)					\
	do {									\
		cr_assert_gt((rec)->nr, (size_t)(i), "only %zu events delivered, wanted #%d", \
			     (rec)->nr, (int)(i));				\
		cr_expect_eq((rec)->ev[i].pfn, (uint64_t)(pfn_),			\
			     "delivery #%d: pfn 0x%" PRIx64 ", expected 0x%" PRIx64, (int)(i), \
			     (rec)->ev[i].pfn, (uint64_t)(pfn_));			\
		cr_expect_eq((rec)->ev[i].stack_id, (uint32_t)(stack_),		\
			     "delivery #%d (pfn 0x%" PRIx64 "): stack %u, expected %u", (int)(i), \
			     (rec)->ev[i].pfn, (unsigned int)(rec)->ev[i].stack_id,	\
			     (unsigned int)(stack_));					\
	} while (0)

#define EXPECT_NR_DELIVERED(rec, n)						\
	cr_expect_eq((rec)->nr, (size_t)(n), "%zu events delivered, expected %zu", (rec)->nr, \
		     (size_t)(n))

/* ---- One event, one stack ---- */

/*
 * alloc 0xa on cpu0 at 1000, then its kernel_stack (id 7, glue mm_page_alloc) at 1100.
 * The alloc waits for its stack: nothing delivered after the event; after the stack it is
 * delivered once with stack 7 and every other field as fed. paired 1, nothing else.
 */
Test(stackpair, event_then_its_stack)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_ALLOC, 0, 1000, 0xa);
	EXPECT_NR_DELIVERED(&rec, 0);
	stack_ok(sp, 0, 1100, 7, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_DELIVERED(&rec, 0, 0xa, 7);
	EXPECT_U64(rec.ev[0].ts_ns, 1000);
	EXPECT_U64(rec.ev[0].kind, PCR_EV_ALLOC);
	EXPECT_U64(rec.ev[0].gfp, 0xcc0);
	EXPECT_U64(rec.ev[0].cpu, 0);
	EXPECT_I64(rec.ev[0].pid, 42);
	EXPECT_I64(rec.ev[0].migratetype, 0);
	cr_expect_str_eq(rec.comm[0], "test");
	EXPECT_STATS(sp, 1, 0, 0, 0);

	/* Nothing is left: flush delivers nothing more. */
	flush_ok(sp);
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_STATS(sp, 1, 0, 0, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/* Without a glue name (no symbols) the stack goes to the waiting event all the same. */
Test(stackpair, stack_without_glue_name)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_FREE, 3, 1000, 0xb);
	stack_ok(sp, 3, 1001, 9, NULL);
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_DELIVERED(&rec, 0, 0xb, 9);
	EXPECT_STATS(sp, 1, 0, 0, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * Every page kind waits for its stack: alloc_zone_locked, pcpu_drain and free_batched are
 * kmem page events too. Each is fed then paired at once on cpu1 (ids 1, 2, 3): after each event
 * nothing new is delivered, after each stack exactly that event. paired 3.
 */
Test(stackpair, every_page_kind_waits_for_its_stack)
{
	static const uint8_t kinds[] = { PCR_EV_ZONE_LOCKED, PCR_EV_PCPU_DRAIN,
					 PCR_EV_FREE_BATCHED };
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);
	unsigned int i;

	for (i = 0; i < 3; i++) {
		event_ok(sp, kinds[i], 1, 100 + 10 * i, 0x10 + i);
		EXPECT_NR_DELIVERED(&rec, i);
		stack_ok(sp, 1, 101 + 10 * i, i + 1, pcr_event_name(kinds[i]));
		EXPECT_NR_DELIVERED(&rec, i + 1);
		EXPECT_DELIVERED(&rec, i, 0x10 + i, i + 1);
	}
	EXPECT_STATS(sp, 3, 0, 0, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * Two CPUs pair independently, and delivery keeps the arrival order:
 *   alloc 0x1 cpu1 @100, free 0x2 cpu0 @101, stack(cpu0, id 20) @102 -> 0x2 has its stack but
 *   0x1 came first and still waits: nothing delivered. stack(cpu1, id 10) @103 -> 0x1 (10),
 *   0x2 (20). paired 2.
 */
Test(stackpair, per_cpu_pairing_keeps_arrival_order)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_ALLOC, 1, 100, 0x1);
	event_ok(sp, PCR_EV_FREE, 0, 101, 0x2);
	stack_ok(sp, 0, 102, 20, "mm_page_free");
	EXPECT_NR_DELIVERED(&rec, 0);
	stack_ok(sp, 1, 103, 10, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 2);
	EXPECT_DELIVERED(&rec, 0, 0x1, 10);
	EXPECT_DELIVERED(&rec, 1, 0x2, 20);
	EXPECT_STATS(sp, 2, 0, 0, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/* ---- Nested interrupts ---- */

/*
 * cpu0: alloc A (0xa) @100; an interrupt comes before A's stack is written and does
 * free B (0xb) @101, stack(B, id 2, glue mm_page_free) @102, alloc C (0xc) @103,
 * stack(C, id 3, glue mm_page_alloc) @104; back in A's context: stack(A, id 1) @105.
 * Each stack goes to the latest waiting event of its name: B gets 2, C gets 3, A gets 1.
 * A stays at the front until @105, so nothing is delivered before; then A, B, C in that order.
 * paired 3, stackless 0, unpaired 0.
 */
Test(stackpair, nested_interrupt)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_ALLOC, 0, 100, 0xa);
	event_ok(sp, PCR_EV_FREE, 0, 101, 0xb);
	stack_ok(sp, 0, 102, 2, "mm_page_free");
	EXPECT_NR_DELIVERED(&rec, 0);
	event_ok(sp, PCR_EV_ALLOC, 0, 103, 0xc);
	stack_ok(sp, 0, 104, 3, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 0);
	stack_ok(sp, 0, 105, 1, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 3);
	EXPECT_DELIVERED(&rec, 0, 0xa, 1);
	EXPECT_DELIVERED(&rec, 1, 0xb, 2);
	EXPECT_DELIVERED(&rec, 2, 0xc, 3);
	EXPECT_STATS(sp, 3, 0, 0, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * The same nesting without glue names (a recording without kallsyms): each stack goes to the
 * topmost waiting event, which is again B, then C, then A. Same deliveries and counters.
 */
Test(stackpair, nested_interrupt_without_glue_names)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_ALLOC, 0, 100, 0xa);
	event_ok(sp, PCR_EV_FREE, 0, 101, 0xb);
	stack_ok(sp, 0, 102, 2, NULL);
	event_ok(sp, PCR_EV_ALLOC, 0, 103, 0xc);
	stack_ok(sp, 0, 104, 3, NULL);
	EXPECT_NR_DELIVERED(&rec, 0);
	stack_ok(sp, 0, 105, 1, NULL);
	EXPECT_NR_DELIVERED(&rec, 3);
	EXPECT_DELIVERED(&rec, 0, 0xa, 1);
	EXPECT_DELIVERED(&rec, 1, 0xb, 2);
	EXPECT_DELIVERED(&rec, 2, 0xc, 3);
	EXPECT_STATS(sp, 3, 0, 0, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * Two interrupt levels: A alloc @100, B free @101 (irq), C alloc @102 (nested irq),
 * stack(C, 3) @103, stack(B, 2) @104, stack(A, 1) @105, all with glue names.
 * Deliveries after the last stack only: A 1, B 2, C 3. paired 3.
 */
Test(stackpair, nested_two_levels)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_ALLOC, 0, 100, 0xa);
	event_ok(sp, PCR_EV_FREE, 0, 101, 0xb);
	event_ok(sp, PCR_EV_ALLOC, 0, 102, 0xc);
	stack_ok(sp, 0, 103, 3, "mm_page_alloc");
	stack_ok(sp, 0, 104, 2, "mm_page_free");
	EXPECT_NR_DELIVERED(&rec, 0);
	stack_ok(sp, 0, 105, 1, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 3);
	EXPECT_DELIVERED(&rec, 0, 0xa, 1);
	EXPECT_DELIVERED(&rec, 1, 0xb, 2);
	EXPECT_DELIVERED(&rec, 2, 0xc, 3);
	EXPECT_STATS(sp, 3, 0, 0, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * cpu0: alloc A (0xa) @100, free B (0xb) @101, then a stack whose glue names mm_page_alloc
 * (id 5) @102. The latest waiting mm_page_alloc is A; B waited above A, so B's own stack
 * would have come before A's: B gets none. Delivered: A (5), B (0). paired 1, stackless 1.
 * A later stack naming mm_page_free (id 6) @103 finds nothing waiting: unpaired 1, and B,
 * already delivered, keeps stack 0.
 */
Test(stackpair, glue_name_skips_the_event_above)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_ALLOC, 0, 100, 0xa);
	event_ok(sp, PCR_EV_FREE, 0, 101, 0xb);
	stack_ok(sp, 0, 102, 5, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 2);
	EXPECT_DELIVERED(&rec, 0, 0xa, 5);
	EXPECT_DELIVERED(&rec, 1, 0xb, 0);
	EXPECT_STATS(sp, 1, 1, 0, 0);

	stack_ok(sp, 0, 103, 6, "mm_page_free");
	EXPECT_NR_DELIVERED(&rec, 2);
	EXPECT_STATS(sp, 1, 1, 1, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * A stack whose glue names no waiting event is unpaired and takes nothing:
 * alloc A (0xa) cpu0 @100; stack(glue mm_page_free, id 4) @101 -> unpaired 1, A still waits
 * (nothing delivered); stack(glue mm_page_alloc, id 5) @102 -> A (5). paired 1, unpaired 1.
 */
Test(stackpair, glue_name_matching_nothing_is_unpaired)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_ALLOC, 0, 100, 0xa);
	stack_ok(sp, 0, 101, 4, "mm_page_free");
	EXPECT_NR_DELIVERED(&rec, 0);
	EXPECT_STATS(sp, 0, 0, 1, 0);
	stack_ok(sp, 0, 102, 5, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_DELIVERED(&rec, 0, 0xa, 5);
	EXPECT_STATS(sp, 1, 0, 1, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/* ---- Events that never get a stack ---- */

/*
 * X (0x100, alloc, cpu0 @100) never gets a stack. Eight nested events N1..N8 (0x101..0x108,
 * cpu0 @101..@108) come before any stack. When N8 arrives, PCR_PAIR_DEPTH (8) newer events wait
 * above X: X is given up and, being the front, delivered at once without a stack (after N7,
 * only 7 wait above it: nothing delivered). Then the stacks of N8..N1 (ids 8..1, no glue name,
 * @200..@207) each go to the topmost waiting event: N8 gets 8, ..., N1 gets 1. After the last,
 * N1..N8 are delivered in arrival order. paired 8, stackless 1, timeouts 0, unpaired 0.
 */
Test(stackpair, stackless_after_depth_newer_events)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);
	unsigned int i;

	cr_assert_eq(PCR_PAIR_DEPTH, 8, "the comment above counts with PCR_PAIR_DEPTH 8");
	event_ok(sp, PCR_EV_ALLOC, 0, 100, 0x100);
	for (i = 1; i <= 7; i++)
		event_ok(sp, i % 2 ? PCR_EV_FREE : PCR_EV_ALLOC, 0, 100 + i, 0x100 + i);
	EXPECT_NR_DELIVERED(&rec, 0);
	EXPECT_STATS(sp, 0, 0, 0, 0);
	event_ok(sp, PCR_EV_ALLOC, 0, 108, 0x108);
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_DELIVERED(&rec, 0, 0x100, 0);
	EXPECT_STATS(sp, 0, 1, 0, 0);

	for (i = 8; i >= 2; i--)
		stack_ok(sp, 0, 200 + 8 - i, i, NULL);
	EXPECT_NR_DELIVERED(&rec, 1);
	stack_ok(sp, 0, 207, 1, NULL);
	EXPECT_NR_DELIVERED(&rec, 9);
	for (i = 1; i <= 8; i++)
		EXPECT_DELIVERED(&rec, i, 0x100 + i, i);
	EXPECT_STATS(sp, 8, 1, 0, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * X (0x1, alloc, cpu0 @1000) never gets a stack; the events after it keep theirs.
 *   free Y (0x2) cpu0 @2000, stack(id 2, mm_page_free) @2100: Y paired, X still at the front.
 *   alloc V (0x3) cpu1 @1000+W/2, stack(cpu1, id 3) @1000+W/2+1: V paired, nothing delivered
 *	(X has waited W/2 < W).
 *   alloc Z (0x4) cpu0 @1000+W+1: trace time is now W+1 past X, more than PCR_PAIR_WINDOW_NS:
 *	X is given up (stackless 1, timeouts 1) and X (0), Y (2), V (3) are delivered; Z waits.
 *   stack(id 4, mm_page_alloc) @1000+W+2: Z (4) - the stale X does not take Z's stack.
 * Order X, Y, V, Z. paired 3, stackless 1, unpaired 0, timeouts 1.
 */
Test(stackpair, stackless_after_window)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_ALLOC, 0, 1000, 0x1);
	event_ok(sp, PCR_EV_FREE, 0, 2000, 0x2);
	stack_ok(sp, 0, 2100, 2, "mm_page_free");
	event_ok(sp, PCR_EV_ALLOC, 1, 1000 + W / 2, 0x3);
	stack_ok(sp, 1, 1000 + W / 2 + 1, 3, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 0);
	EXPECT_STATS(sp, 2, 0, 0, 0);

	event_ok(sp, PCR_EV_ALLOC, 0, 1000 + W + 1, 0x4);
	EXPECT_NR_DELIVERED(&rec, 3);
	EXPECT_DELIVERED(&rec, 0, 0x1, 0);
	EXPECT_DELIVERED(&rec, 1, 0x2, 2);
	EXPECT_DELIVERED(&rec, 2, 0x3, 3);
	EXPECT_STATS(sp, 2, 1, 0, 1);

	stack_ok(sp, 0, 1000 + W + 2, 4, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 4);
	EXPECT_DELIVERED(&rec, 3, 0x4, 4);
	EXPECT_STATS(sp, 3, 1, 0, 1);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * Trace time also moves with stack records: X (0x1, free, cpu0 @500) waits; a stack on cpu1
 * @500+W+1 finds nothing waiting on cpu1 (unpaired 1) but moves the clock past X's window:
 * X is delivered without a stack. stackless 1, timeouts 1, unpaired 1, paired 0.
 */
Test(stackpair, window_measured_by_stack_records_too)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_FREE, 0, 500, 0x1);
	stack_ok(sp, 1, 500 + W + 1, 9, NULL);
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_DELIVERED(&rec, 0, 0x1, 0);
	EXPECT_STATS(sp, 0, 1, 1, 1);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * X (0x1, alloc, cpu0 @100) never gets a stack; alloc Y (0x2) cpu0 @200 and its stack (id 2)
 * @201 do. X is the front and within the window: nothing delivered. flush gives X up: X (0),
 * Y (2) in that order. paired 1, stackless 1, timeouts 0. A second flush delivers nothing.
 */
Test(stackpair, stackless_at_flush)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_ALLOC, 0, 100, 0x1);
	event_ok(sp, PCR_EV_ALLOC, 0, 200, 0x2);
	stack_ok(sp, 0, 201, 2, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 0);
	EXPECT_STATS(sp, 1, 0, 0, 0);
	flush_ok(sp);
	EXPECT_NR_DELIVERED(&rec, 2);
	EXPECT_DELIVERED(&rec, 0, 0x1, 0);
	EXPECT_DELIVERED(&rec, 1, 0x2, 2);
	EXPECT_STATS(sp, 1, 1, 0, 0);
	flush_ok(sp);
	EXPECT_NR_DELIVERED(&rec, 2);
	EXPECT_STATS(sp, 1, 1, 0, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/* ---- Stacks that belong to nothing ---- */

/*
 * A stack on another CPU is not this CPU's: alloc A (0xa) cpu0 @100; stack(cpu1, id 9) @101:
 * nothing waits on cpu1, unpaired 1, A not delivered. stack(cpu0, id 4) @102: A (4).
 * paired 1, unpaired 1.
 */
Test(stackpair, stack_on_another_cpu_is_unpaired)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_ALLOC, 0, 100, 0xa);
	stack_ok(sp, 1, 101, 9, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 0);
	EXPECT_STATS(sp, 0, 0, 1, 0);
	stack_ok(sp, 0, 102, 4, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_DELIVERED(&rec, 0, 0xa, 4);
	EXPECT_STATS(sp, 1, 0, 1, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * A stack with nothing waiting: a fresh pairer gets stack(cpu0, id 1) @10: unpaired 1, nothing
 * delivered. Then free A (0xa) @20 + stack(id 2) @21: A (2). A second stack(id 3) @22: A no
 * longer waits, unpaired 2. paired 1.
 */
Test(stackpair, stack_with_no_waiting_event_is_unpaired)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	stack_ok(sp, 0, 10, 1, NULL);
	EXPECT_NR_DELIVERED(&rec, 0);
	EXPECT_STATS(sp, 0, 0, 1, 0);
	event_ok(sp, PCR_EV_FREE, 0, 20, 0xa);
	stack_ok(sp, 0, 21, 2, NULL);
	stack_ok(sp, 0, 22, 3, NULL);
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_DELIVERED(&rec, 0, 0xa, 2);
	EXPECT_STATS(sp, 1, 0, 2, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/* ---- Loss notices and other records ---- */

/*
 * Loss notices keep their place and take no stack:
 *   alloc A (0xa) cpu0 @100; LOST (0x1, 5 events) cpu1 @110; alloc B (0xb) cpu1 @120;
 *   stack(cpu1, id 2) @121 -> B paired; A still first: nothing delivered.
 *   stack(cpu0, id 1) @130 -> A (1), LOST (0, lost 5), B (2).
 *   LOST (0x2, unknown count) cpu0 @140 with nothing queued: delivered at once.
 *   free C (0xc) cpu0 @150; LOST (0x3, 1 event) cpu0 @151; stack(cpu0, id 3) @152 -> the notice
 *	does not wait for a stack, so the stack is C's: C (3), LOST (0).
 * paired 3, stackless 0, unpaired 0.
 */
Test(stackpair, lost_notices_keep_their_place)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_ALLOC, 0, 100, 0xa);
	lost_ok(sp, 1, 110, 5, 0x1);
	event_ok(sp, PCR_EV_ALLOC, 1, 120, 0xb);
	stack_ok(sp, 1, 121, 2, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 0);
	stack_ok(sp, 0, 130, 1, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 3);
	EXPECT_DELIVERED(&rec, 0, 0xa, 1);
	EXPECT_DELIVERED(&rec, 1, 0x1, 0);
	EXPECT_U64(rec.ev[1].kind, PCR_EV_LOST);
	EXPECT_U64(rec.ev[1].lost, 5);
	EXPECT_U64(rec.ev[1].cpu, 1);
	EXPECT_DELIVERED(&rec, 2, 0xb, 2);

	lost_ok(sp, 0, 140, 0, 0x2);
	EXPECT_NR_DELIVERED(&rec, 4);
	EXPECT_DELIVERED(&rec, 3, 0x2, 0);
	EXPECT_U64(rec.ev[3].kind, PCR_EV_LOST);
	EXPECT_U64(rec.ev[3].lost, 0);

	event_ok(sp, PCR_EV_FREE, 0, 150, 0xc);
	lost_ok(sp, 0, 151, 1, 0x3);
	EXPECT_NR_DELIVERED(&rec, 4);
	stack_ok(sp, 0, 152, 3, NULL);
	EXPECT_NR_DELIVERED(&rec, 6);
	EXPECT_DELIVERED(&rec, 4, 0xc, 3);
	EXPECT_DELIVERED(&rec, 5, 0x3, 0);
	EXPECT_U64(rec.ev[5].kind, PCR_EV_LOST);
	EXPECT_STATS(sp, 3, 0, 0, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * Other (non-page) records are delivered, never wait for a stack, but their own stack must be
 * taken so that it does not land on a page event:
 *   O1 (0x1, sched_switch) cpu0 @100 with nothing queued: delivered at once (stack 0).
 *   stack(cpu0, id 7, glue sched_switch) @101: O1's. Not unpaired, not paired (no page event).
 *   alloc A (0xa) cpu0 @200; O2 (0x2, sched_wakeup) cpu0 @201 (an interrupt between A and its
 *	stack): O2 came after A, so it is held behind A to keep the order.
 *   stack(cpu0, id 8, no glue name) @202: the topmost waiting record is O2: O2's stack, A
 *	still waits, nothing more delivered.
 *   stack(cpu0, id 9, glue mm_page_alloc) @203: A (9), then O2 (0).
 * Deliveries: O1, A, O2. paired 1, stackless 0, unpaired 0.
 */
Test(stackpair, other_events_take_their_own_stack)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	other_ok(sp, "sched_switch", 0, 100, 0x1);
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_DELIVERED(&rec, 0, 0x1, 0);
	EXPECT_U64(rec.ev[0].kind, PCR_EV_OTHER);
	stack_ok(sp, 0, 101, 7, "sched_switch");
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_STATS(sp, 0, 0, 0, 0);

	event_ok(sp, PCR_EV_ALLOC, 0, 200, 0xa);
	other_ok(sp, "sched_wakeup", 0, 201, 0x2);
	EXPECT_NR_DELIVERED(&rec, 1);
	stack_ok(sp, 0, 202, 8, NULL);
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_STATS(sp, 0, 0, 0, 0);
	stack_ok(sp, 0, 203, 9, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 3);
	EXPECT_DELIVERED(&rec, 1, 0xa, 9);
	EXPECT_DELIVERED(&rec, 2, 0x2, 0);
	EXPECT_U64(rec.ev[2].kind, PCR_EV_OTHER);
	EXPECT_STATS(sp, 1, 0, 0, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/* ---- The delivery function's return value ---- */

/*
 * The delivery function returns -PCR_ERR_STOPPED on its 2nd call:
 *   alloc A (0xa) @100 + stack(1) @101: A delivered (call 1, 0), both calls return 0.
 *   free B (0xb) @200, alloc C (0xc) @201 (nested), stack(C, 3) @202 (B still waits: no call),
 *   stack(B, 2) @203: B is delivered (call 2) and its -PCR_ERR_STOPPED is what
 *   pcr_stackpair_stack returns; C is not delivered in that call.
 */
Test(stackpair, delivery_error_is_returned_by_stack)
{
	struct recorder rec = { .stop_at = 2, .stop_ret = -PCR_ERR_STOPPED };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_ALLOC, 0, 100, 0xa);
	stack_ok(sp, 0, 101, 1, "mm_page_alloc");
	event_ok(sp, PCR_EV_FREE, 0, 200, 0xb);
	event_ok(sp, PCR_EV_ALLOC, 0, 201, 0xc);
	stack_ok(sp, 0, 202, 3, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_I64(pcr_stackpair_stack(sp, 0, 203, 2, "mm_page_free"), -PCR_ERR_STOPPED);
	EXPECT_NR_DELIVERED(&rec, 2);
	EXPECT_DELIVERED(&rec, 0, 0xa, 1);
	EXPECT_DELIVERED(&rec, 1, 0xb, 2);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * Any non-zero value comes back, from every path that delivers:
 *   an other record delivered at once (stop on call 1, value 42) -> pcr_stackpair_event 42;
 *   a loss notice delivered at once (call 1, -PCR_ERR_STOPPED) -> the same from _event;
 *   an event given up by the window: X (0x1) @0 waits, Y (0x2) cpu1 @W+1 arrives (call 1 is
 *	X's delivery, value 7) -> pcr_stackpair_event 7;
 *   flush: A (0xa) waits, flush delivers it (call 1, value 5) -> pcr_stackpair_flush 5.
 */
Test(stackpair, delivery_error_is_returned_by_every_path)
{
	struct pcr_event ev;
	struct recorder rec = { .stop_at = 1, .stop_ret = 42 };
	struct pcr_stackpair *sp = pairer(&rec);

	ev = make_event(PCR_EV_OTHER, 0, 100, 0x1);
	EXPECT_I64(pcr_stackpair_event(sp, &ev, "sched_switch"), 42);
	EXPECT_NR_DELIVERED(&rec, 1);
	pcr_stackpair_free(sp);
	recorder_free(&rec);

	rec = (struct recorder){ .stop_at = 1, .stop_ret = -PCR_ERR_STOPPED };
	sp = pairer(&rec);
	ev = make_event(PCR_EV_LOST, 0, 100, 0x1);
	ev.lost = 3;
	EXPECT_I64(pcr_stackpair_event(sp, &ev, NULL), -PCR_ERR_STOPPED);
	EXPECT_NR_DELIVERED(&rec, 1);
	pcr_stackpair_free(sp);
	recorder_free(&rec);

	rec = (struct recorder){ .stop_at = 1, .stop_ret = 7 };
	sp = pairer(&rec);
	event_ok(sp, PCR_EV_ALLOC, 0, 0, 0x1);
	ev = make_event(PCR_EV_FREE, 1, W + 1, 0x2);
	EXPECT_I64(pcr_stackpair_event(sp, &ev, "mm_page_free"), 7);
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_DELIVERED(&rec, 0, 0x1, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);

	rec = (struct recorder){ .stop_at = 1, .stop_ret = 5 };
	sp = pairer(&rec);
	event_ok(sp, PCR_EV_ALLOC, 0, 100, 0xa);
	EXPECT_I64(pcr_stackpair_flush(sp), 5);
	EXPECT_NR_DELIVERED(&rec, 1);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/* ---- Counters ---- */

/*
 * One run, counted by hand:
 *   1. alloc A (0x1) cpu0 @100, stack(cpu0, 1, mm_page_alloc) @101      paired 1
 *   2. stack(cpu0, 2) @102, nothing waits                                unpaired 1
 *   3. free B (0x2) cpu0 @200, alloc C (0x3) cpu0 @201 (nested),
 *      stack(cpu0, 3, mm_page_free) @202: C above B is given up          paired 2, stackless 1
 *   4. alloc D (0x4) cpu63 @300, stack(cpu2, 4) @301                     unpaired 2
 *      stack(cpu63, 5) @302                                              paired 3
 *   5. alloc E (0x5) cpu3 @400, never a stack
 *   6. free G (0x6) cpu0 @400+W+1: E has waited W+1                      stackless 2, timeouts 1
 *      stack(cpu0, 6, mm_page_free) @400+W+2                              paired 4
 *   7. alloc H (0x7) cpu0 @400+W+3, then flush                           stackless 3
 * Delivered in arrival order: A 1, B 3, C 0, D 5, E 0, G 6, H 0.
 * paired 4, stackless 3, unpaired_stacks 2, timeouts 1.
 */
Test(stackpair, stats_hand_counted)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_ALLOC, 0, 100, 0x1);
	stack_ok(sp, 0, 101, 1, "mm_page_alloc");
	stack_ok(sp, 0, 102, 2, NULL);
	event_ok(sp, PCR_EV_FREE, 0, 200, 0x2);
	event_ok(sp, PCR_EV_ALLOC, 0, 201, 0x3);
	stack_ok(sp, 0, 202, 3, "mm_page_free");
	event_ok(sp, PCR_EV_ALLOC, 63, 300, 0x4);
	stack_ok(sp, 2, 301, 4, NULL);
	stack_ok(sp, 63, 302, 5, NULL);
	EXPECT_STATS(sp, 3, 1, 2, 0);
	event_ok(sp, PCR_EV_ALLOC, 3, 400, 0x5);
	event_ok(sp, PCR_EV_FREE, 0, 400 + W + 1, 0x6);
	stack_ok(sp, 0, 400 + W + 2, 6, "mm_page_free");
	event_ok(sp, PCR_EV_ALLOC, 0, 400 + W + 3, 0x7);
	flush_ok(sp);

	EXPECT_NR_DELIVERED(&rec, 7);
	EXPECT_DELIVERED(&rec, 0, 0x1, 1);
	EXPECT_DELIVERED(&rec, 1, 0x2, 3);
	EXPECT_DELIVERED(&rec, 2, 0x3, 0);
	EXPECT_DELIVERED(&rec, 3, 0x4, 5);
	EXPECT_DELIVERED(&rec, 4, 0x5, 0);
	EXPECT_DELIVERED(&rec, 5, 0x6, 6);
	EXPECT_DELIVERED(&rec, 6, 0x7, 0);
	EXPECT_STATS(sp, 4, 3, 2, 1);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/* ---- Many waiting events ---- */

#define PREFIX 700
#define MANY 3000

/*
 * More events wait than the initial ring of 1024 holds, with the ring's head not at slot 0:
 *   700 allocs on cpu0 (pfn 1..700, @1..@700), each followed by its stack (id = pfn): all
 *	delivered as they come.
 *   X (pfn 0x100000, free) on cpu1 @1000, never a stack.
 *   3000 allocs on cpu0 (pfn 701..3700, @1001..@4000), each with its stack (id = pfn): all
 *	paired, all within X's window, none delivered since X is at the front.
 *   flush: X given up, then X (0) and the 3000 (id = pfn) in arrival order.
 * Deliveries: 700, then 700 until the flush, then 3701. paired 3700, stackless 1, timeouts 0.
 */
Test(stackpair, ring_grows_behind_a_stackless_front)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);
	unsigned int i;

	for (i = 1; i <= PREFIX; i++) {
		event_ok(sp, PCR_EV_ALLOC, 0, i, i);
		stack_ok(sp, 0, i, i, "mm_page_alloc");
	}
	EXPECT_NR_DELIVERED(&rec, PREFIX);
	event_ok(sp, PCR_EV_FREE, 1, 1000, 0x100000);
	for (i = PREFIX + 1; i <= PREFIX + MANY; i++) {
		event_ok(sp, PCR_EV_ALLOC, 0, 300 + i, i);
		stack_ok(sp, 0, 300 + i, i, "mm_page_alloc");
	}
	EXPECT_NR_DELIVERED(&rec, PREFIX);
	EXPECT_STATS(sp, PREFIX + MANY, 0, 0, 0);

	flush_ok(sp);
	cr_assert_eq(rec.nr, (size_t)PREFIX + 1 + MANY, "%zu delivered", rec.nr);
	for (i = 0; i < PREFIX; i++)
		EXPECT_DELIVERED(&rec, i, i + 1, i + 1);
	EXPECT_DELIVERED(&rec, PREFIX, 0x100000, 0);
	for (i = PREFIX + 1; i <= PREFIX + MANY; i++)
		EXPECT_DELIVERED(&rec, i, i, i);
	EXPECT_STATS(sp, PREFIX + MANY, 1, 0, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * The same front resolved by the window instead of the flush: X (pfn 0x100000, alloc) cpu1 @0,
 * then 3000 frees on cpu0 @1..@3000 with stacks (id = pfn = 1..3000): nothing delivered. Then
 * alloc Z (0x200000) cpu2 @W+1: X times out; X (0) and the 3000 are delivered in order, Z waits.
 * flush: Z (0). paired 3000, stackless 2, timeouts 1.
 */
Test(stackpair, ring_grows_then_front_times_out)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);
	unsigned int i;

	event_ok(sp, PCR_EV_ALLOC, 1, 0, 0x100000);
	for (i = 1; i <= MANY; i++) {
		event_ok(sp, PCR_EV_FREE, 0, i, i);
		stack_ok(sp, 0, i, i, NULL);
	}
	EXPECT_NR_DELIVERED(&rec, 0);
	event_ok(sp, PCR_EV_ALLOC, 2, W + 1, 0x200000);
	cr_assert_eq(rec.nr, (size_t)1 + MANY, "%zu delivered", rec.nr);
	EXPECT_DELIVERED(&rec, 0, 0x100000, 0);
	for (i = 1; i <= MANY; i++)
		EXPECT_DELIVERED(&rec, i, i, i);
	EXPECT_STATS(sp, MANY, 1, 0, 1);
	flush_ok(sp);
	EXPECT_NR_DELIVERED(&rec, MANY + 2);
	EXPECT_DELIVERED(&rec, MANY + 1, 0x200000, 0);
	EXPECT_STATS(sp, MANY, 2, 0, 1);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/* ---- The event's comm ---- */

/*
 * struct pcr_event documents @comm as "only valid during the call that receives the event", so
 * a reader may hand pcr_stackpair_event() a comm in a buffer it reuses. An event that waits for
 * its stack must still be delivered with the comm it was fed with.
 *   alloc A (0xa, comm "first") cpu0 @100, the reader's buffer then reads "second";
 *   stack(1) @101: A is delivered and its comm reads "first".
 */
Test(stackpair, waiting_event_keeps_its_comm)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);
	char comm[PCR_COMM_LEN] = "first";
	struct pcr_event ev = make_event(PCR_EV_ALLOC, 0, 100, 0xa);

	ev.comm = comm;
	cr_assert_eq(pcr_stackpair_event(sp, &ev, "mm_page_alloc"), 0);
	/* The call is over: the reader reuses its buffer for the next record. */
	snprintf(comm, sizeof(comm), "second");
	stack_ok(sp, 0, 101, 1, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_DELIVERED(&rec, 0, 0xa, 1);
	cr_expect_str_eq(rec.comm[0], "first",
			 "the waiting event's comm reads \"%s\": the pairer kept the caller's "
			 "pointer past the call", rec.comm[0]);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/* ---- Events the reader knows get no stack (pcr_stackpair_quiet) ---- */

static void quiet_ok(struct pcr_stackpair *sp, uint8_t kind, uint16_t cpu, uint64_t ts_ns,
		     uint64_t pfn)
{
	struct pcr_event ev = make_event(kind, cpu, ts_ns, pfn);
	int ret = pcr_stackpair_quiet(sp, &ev);

	cr_assert_eq(ret, 0, "quiet %s pfn 0x%" PRIx64 " returned %d", pcr_event_name(kind), pfn,
		     ret);
}

/*
 * Nothing waits: quiet alloc A (0xa) cpu0 @100 is delivered during the call, stackless.
 * paired 0, stackless 1.
 */
Test(stackpair, quiet_event_goes_straight_on)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	quiet_ok(sp, PCR_EV_ALLOC, 0, 100, 0xa);
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_DELIVERED(&rec, 0, 0xa, 0);
	EXPECT_STATS(sp, 0, 1, 0, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * alloc A (0x1) cpu0 @100 waits; alloc C (0x3) cpu1 @150 waits; quiet free B (0x2) cpu0 @200:
 * A can no longer get a stack (the records that make B quiet would push it out), so A is
 * given up, delivered, and B is queued behind C, which still waits. Delivered: A. Then C's
 * stack (id 3) @250: C (3) and B (0) follow. paired 1, stackless 2.
 */
Test(stackpair, quiet_event_gives_up_its_cpu_only)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_ALLOC, 0, 100, 0x1);
	event_ok(sp, PCR_EV_ALLOC, 1, 150, 0x3);
	quiet_ok(sp, PCR_EV_FREE, 0, 200, 0x2);
	EXPECT_NR_DELIVERED(&rec, 1);
	EXPECT_DELIVERED(&rec, 0, 0x1, 0);
	EXPECT_STATS(sp, 0, 2, 0, 0);
	stack_ok(sp, 1, 250, 3, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 3);
	EXPECT_DELIVERED(&rec, 1, 0x3, 3);
	EXPECT_DELIVERED(&rec, 2, 0x2, 0);
	EXPECT_STATS(sp, 1, 2, 0, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * The window counts from an event's arrival, not its timestamp. alloc A (0x1) cpu0 @1000 and
 * its stack (1) @1100: A delivered. alloc B (0x2) cpu1 @500 arrives late (the clock is at
 * 1100). A record on cpu0 @500+W+1 is W+1 after B's timestamp but not W after its arrival: B
 * still waits (delivered: A, and nothing of B). Its stack (2) on cpu1 then pairs with it.
 * paired 2, stackless 0, timeouts 0. The other record (an OTHER event, 0x3) is delivered after B.
 */
Test(stackpair, window_counts_from_arrival)
{
	struct recorder rec = { 0 };
	struct pcr_stackpair *sp = pairer(&rec);

	event_ok(sp, PCR_EV_ALLOC, 0, 1000, 0x1);
	stack_ok(sp, 0, 1100, 1, "mm_page_alloc");
	event_ok(sp, PCR_EV_ALLOC, 1, 500, 0x2);
	other_ok(sp, "sched_switch", 0, 500 + W + 1, 0x3);
	EXPECT_NR_DELIVERED(&rec, 1);
	stack_ok(sp, 1, 500 + W + 2, 2, "mm_page_alloc");
	EXPECT_NR_DELIVERED(&rec, 3);
	EXPECT_DELIVERED(&rec, 1, 0x2, 2);
	EXPECT_DELIVERED(&rec, 2, 0x3, 0);
	EXPECT_STATS(sp, 2, 0, 0, 0);
	pcr_stackpair_free(sp);
	recorder_free(&rec);
}

/*
 * The hint changes nothing but timing. Random streams of records on three CPUs (page events,
 * other events, stacks with a matching, a wrong or no glue name; stretches with and without
 * stacks; jumps past the window; timestamps that step back) are fed twice: once every event
 * through pcr_stackpair_event(), once through pcr_stackpair_quiet() wherever the next
 * PCR_PAIR_DEPTH records of the event's CPU exist and none is a stack (worked out here from the
 * stream, as flyrecord.c does from a page). Both runs must deliver the same events in the same
 * order with the same stacks, and count the same paired, stackless and unpaired.
 */
struct random_record {
	struct pcr_event ev;
	const char *name;
	const char *glue;
	bool stack;
	bool quiet;
};

static uint64_t next_random(uint64_t *state)
{
	/* xorshift64: a fixed seed gives the same streams on every run. */
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static size_t random_stream(struct random_record *r, size_t max, uint64_t *seed)
{
	static const char *const names[] = { "mm_page_alloc", "mm_page_free",
					     "mm_page_free_batched", "sched_switch" };
	static const uint8_t kinds[] = { PCR_EV_ALLOC, PCR_EV_FREE, PCR_EV_FREE_BATCHED,
					 PCR_EV_OTHER };
	uint64_t now = 1000, stack_odds = 0;
	size_t i, j;

	for (i = 0; i < max; i++) {
		uint64_t x = next_random(seed);
		int which = (int)(x % 4);

		/* Stretches with stacks on most events, with a few, and with none. */
		if (i % 64 == 0)
			stack_odds = (next_random(seed) % 3) * 45;
		if (x % 97 == 0)
			now += W + 1;
		else if (x % 89 == 0 && now > 2000)
			now -= 1000;
		else
			now += x % 50;
		memset(&r[i], 0, sizeof(r[i]));
		r[i].ev = make_event(kinds[which], (uint16_t)((x >> 8) % 3), now, i + 1);
		r[i].stack = (x >> 16) % 100 < stack_odds;
		if (r[i].stack) {
			uint64_t g = (x >> 24) % 5;

			r[i].glue = g < 3 ? names[(x >> 32) % 4] : g == 3 ? NULL : "kmalloc";
		} else {
			r[i].name = names[which];
		}
	}
	for (i = 0; i < max; i++) {
		int seen = 0;

		if (r[i].stack)
			continue;
		r[i].quiet = true;
		for (j = i + 1; j < max && seen < PCR_PAIR_DEPTH; j++) {
			if (r[j].ev.cpu != r[i].ev.cpu)
				continue;
			seen++;
			if (r[j].stack)
				r[i].quiet = false;
		}
		if (seen < PCR_PAIR_DEPTH)
			r[i].quiet = false;
	}
	return max;
}

static void feed_random(struct pcr_stackpair *sp, const struct random_record *r, size_t n,
			bool hints, size_t *quiet)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int ret;

		if (r[i].stack) {
			ret = pcr_stackpair_stack(sp, r[i].ev.cpu, r[i].ev.ts_ns,
						  (uint32_t)r[i].ev.pfn, r[i].glue);
		} else if (hints && r[i].quiet) {
			ret = pcr_stackpair_quiet(sp, &r[i].ev);
			(*quiet)++;
		} else {
			ret = pcr_stackpair_event(sp, &r[i].ev, r[i].name);
		}
		cr_assert_eq(ret, 0, "record %zu returned %d", i, ret);
	}
	flush_ok(sp);
}

Test(stackpair, quiet_hints_change_nothing_on_random_streams)
{
	enum { STREAMS = 400, RECORDS = 600 };
	struct random_record *r = calloc(RECORDS, sizeof(*r));
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	size_t quiet = 0, paired = 0;
	int n;

	cr_assert_not_null(r);
	for (n = 0; n < STREAMS; n++) {
		struct recorder plain = { 0 }, hinted = { 0 };
		struct pcr_stackpair *a = pairer(&plain), *b = pairer(&hinted);
		struct pcr_pair_stats sa, sb;
		size_t nr = random_stream(r, RECORDS, &seed), i;

		feed_random(a, r, nr, false, &quiet);
		feed_random(b, r, nr, true, &quiet);
		pcr_stackpair_stats(a, &sa);
		pcr_stackpair_stats(b, &sb);
		cr_assert_eq(hinted.nr, plain.nr, "stream %d: %zu events delivered, without hints %zu",
			     n, hinted.nr, plain.nr);
		for (i = 0; i < plain.nr; i++) {
			cr_assert_eq(hinted.ev[i].pfn, plain.ev[i].pfn,
				     "stream %d delivery %zu: event %" PRIu64 ", without hints %" PRIu64,
				     n, i, hinted.ev[i].pfn, plain.ev[i].pfn);
			cr_assert_eq(hinted.ev[i].stack_id, plain.ev[i].stack_id,
				     "stream %d event %" PRIu64 ": stack %u, without hints %u", n,
				     plain.ev[i].pfn, hinted.ev[i].stack_id, plain.ev[i].stack_id);
		}
		EXPECT_U64(sb.paired, sa.paired);
		EXPECT_U64(sb.stackless, sa.stackless);
		EXPECT_U64(sb.unpaired_stacks, sa.unpaired_stacks);
		paired += sa.paired;
		pcr_stackpair_free(a);
		pcr_stackpair_free(b);
		recorder_free(&plain);
		recorder_free(&hinted);
	}
	/* The streams exercise both paths: many hints, many stacks paired. */
	cr_expect_gt(quiet, (size_t)STREAMS * RECORDS / 10, "only %zu quiet hints", quiet);
	cr_expect_gt(paired, (size_t)STREAMS * RECORDS / 20, "only %zu events paired", paired);
	free(r);
}
