// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the checker (lib/checker.c): classification, groups, suppressions, --strict,
 * --fail-on and the verdict with its reasons (pcr_judge()).
 *
 * The streams are written by hand; the expected classes follow pcr_classify()'s documented
 * rules for a recording without stacks: a double alloc or double free there is undecidable
 * (nothing can show the path the tracepoints miss), an invariant break is always a violation.
 */
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "expect.h"

#include "pagecheck.h"

#define MAX_SEEN 8

/* What the hooks saw: the groups and signatures of the violations, and the events replayed. */
struct seen {
	int group[MAX_SEEN];
	int cls[MAX_SEEN];
	int kind[MAX_SEEN];
	uint64_t group_events[MAX_SEEN];
	char signature[MAX_SEEN][32];
	int supp_line[MAX_SEEN];
	unsigned int calls;
	unsigned int events;
};

static int on_checked(const struct pcr_checked *c, void *ctx)
{
	struct seen *s = ctx;

	if (s->calls < MAX_SEEN) {
		s->group[s->calls] = c->group;
		s->cls[s->calls] = c->cls->cls;
		s->kind[s->calls] = c->v->kind;
		s->group_events[s->calls] = c->group_events;
		snprintf(s->signature[s->calls], sizeof(s->signature[0]), "%s", c->signature);
		s->supp_line[s->calls] = c->supp ? c->supp->line : 0;
	}
	s->calls++;
	return 0;
}

static int after_event(const struct pcr_event *ev, void *ctx)
{
	struct seen *s = ctx;

	s->events++;
	return 0;
}

static struct pcr_event page_event(uint8_t kind, uint64_t ts_ns, uint64_t pfn)
{
	return (struct pcr_event){ .kind = kind, .ts_ns = ts_ns, .pfn = pfn, .pid = 1,
				   .migratetype = 0 };
}

/*
 * Window model, no stacks: 0x100 allocated twice (a double alloc at t=2), 0x200 freed, then
 * freed again (the first free of a page never seen makes it known free: the second is a double
 * free at t=4), and 0x300 allocated twice more (a second double alloc at t=6).
 */
struct outcome {
	struct pcr_checker *c;
	const struct pcr_checker_result *r;
	enum pcr_verdict verdict;
	struct seen seen;
};

static void run(const struct pcr_checker_opts *opts, struct outcome *o)
{
	struct seen *seen = &o->seen;

	const struct pcr_event evs[] = {
		page_event(PCR_EV_ALLOC, 1, 0x100), page_event(PCR_EV_ALLOC, 2, 0x100),
		page_event(PCR_EV_FREE, 3, 0x200), page_event(PCR_EV_FREE, 4, 0x200),
		page_event(PCR_EV_ALLOC, 5, 0x300), page_event(PCR_EV_ALLOC, 6, 0x300),
	};
	const struct pcr_checker_hooks hooks = { .violation = on_checked, .after = after_event,
						 .ctx = seen };
	const struct pcr_checker_source src = { 0 };
	struct pcr_checker *c = NULL;
	size_t i;

	memset(seen, 0, sizeof(*seen));
	cr_assert_eq(pcr_checker_new(&c, opts), 0);
	pcr_checker_set_hooks(c, &hooks);
	pcr_checker_set_source(c, &src);
	for (i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		cr_assert_eq(pcr_checker_feed(c, &evs[i]), 0);
	cr_assert_eq(pcr_checker_end_events(c), 0);
	/* Every event was replayed once, the held ones included. */
	EXPECT_U64(seen->events, 6);
	o->verdict = pcr_checker_finish(c, 0);
	o->c = c;
	o->r = pcr_checker_result(c);
}

static struct pcr_checker_opts default_opts(void)
{
	return (struct pcr_checker_opts){ .engine = PCR_OPTIONS_INIT,
					  .fail_on = (1u << PCR_VIOL_NR) - 1 };
}

/* Without stacks nothing decides: three undecidable candidates, an inconclusive verdict. */
Test(checker, undecidable_without_stacks)
{
	struct pcr_checker_opts opts = default_opts();
	struct outcome o;

	run(&opts, &o);
	EXPECT_I64(o.verdict, PCR_VERDICT_INCONCLUSIVE);
	EXPECT_I64(o.r->judgement.decisive, PCR_REASON_UNDECIDABLE);
	EXPECT_U64(o.r->judgement.holds, 1u << PCR_REASON_UNDECIDABLE);
	EXPECT_U64(o.seen.calls, 3);
	EXPECT_I64(o.seen.kind[0], PCR_VIOL_DOUBLE_ALLOC);
	EXPECT_I64(o.seen.kind[1], PCR_VIOL_DOUBLE_FREE);
	EXPECT_I64(o.seen.kind[2], PCR_VIOL_DOUBLE_ALLOC);
	EXPECT_I64(o.seen.group[0], PCR_GROUP_UNDECIDABLE);
	EXPECT_I64(o.seen.cls[1], PCR_CLASS_UNDECIDABLE);
	cr_expect_str_eq(o.seen.signature[0], "-");
	/* Both double allocs have the empty stack's signature: one row of two events. */
	EXPECT_U64(o.seen.group_events[0], 1);
	EXPECT_U64(o.seen.group_events[2], 2);
	EXPECT_U64(o.r->classes[PCR_VIOL_DOUBLE_ALLOC][PCR_CLASS_UNDECIDABLE], 2);
	EXPECT_U64(o.r->classes[PCR_VIOL_DOUBLE_FREE][PCR_CLASS_UNDECIDABLE], 1);
	EXPECT_U64(o.r->nr_undecided, 3);
	/* Two distinct reasons: the double allocs' and the double free's. */
	EXPECT_U64(o.r->undecided[0].events, 2);
	EXPECT_U64(o.r->undecided[1].events, 1);
	cr_expect_null(o.r->undecided[2].why);
	EXPECT_U64(o.r->unsuppressed[PCR_VIOL_DOUBLE_ALLOC], 0);
	pcr_checker_free(o.c);
}

/* --allow-undecidable: the same run is clean, the reason still holds, accepted. */
Test(checker, allow_undecidable)
{
	struct pcr_checker_opts opts = default_opts();
	struct outcome o;

	opts.allow_undecidable = true;
	run(&opts, &o);
	EXPECT_I64(o.verdict, PCR_VERDICT_CLEAN);
	EXPECT_I64(o.r->judgement.decisive, -1);
	EXPECT_U64(o.r->judgement.accepted, 1u << PCR_REASON_UNDECIDABLE);
	pcr_checker_free(o.c);
}

/* --strict counts every candidate: three violations, none undecided. */
Test(checker, strict_counts_every_candidate)
{
	struct pcr_checker_opts opts = default_opts();
	struct outcome o;

	opts.strict = true;
	run(&opts, &o);
	EXPECT_I64(o.verdict, PCR_VERDICT_VIOLATIONS);
	EXPECT_U64(o.r->unsuppressed[PCR_VIOL_DOUBLE_ALLOC], 2);
	EXPECT_U64(o.r->unsuppressed[PCR_VIOL_DOUBLE_FREE], 1);
	EXPECT_U64(o.r->nr_undecided, 0);
	EXPECT_I64(o.seen.group[1], PCR_GROUP_VIOLATION);
	/* The class is still the recording's: --strict only changes what counts. */
	EXPECT_I64(o.seen.cls[1], PCR_CLASS_UNDECIDABLE);
	pcr_checker_free(o.c);
}

/* --strict --fail-on=double-free with the double free suppressed: counted, but clean. */
Test(checker, strict_fail_on_and_suppression)
{
	const struct pcr_suppression supps[] = {
		{ .pattern = "no-such-signature", .kind = -1, .line = 2 },
		{ .pattern = "*", .kind = PCR_VIOL_DOUBLE_FREE, .line = 5 },
	};
	struct pcr_checker_opts opts = default_opts();
	struct outcome o;

	opts.strict = true;
	opts.fail_on = 1u << PCR_VIOL_DOUBLE_FREE;
	opts.supps = supps;
	opts.nr_supps = 2;
	run(&opts, &o);
	EXPECT_I64(o.verdict, PCR_VERDICT_CLEAN);
	EXPECT_U64(o.r->unsuppressed[PCR_VIOL_DOUBLE_ALLOC], 2);
	EXPECT_U64(o.r->suppressed[PCR_VIOL_DOUBLE_FREE], 1);
	EXPECT_I64(o.seen.group[1], PCR_GROUP_SUPPRESSED);
	EXPECT_I64(o.seen.supp_line[1], 5);
	EXPECT_I64(o.seen.supp_line[0], 0);
	pcr_checker_free(o.c);
}

/* A suppression accepts undecidable candidates too: they stay in their group, not undecided. */
Test(checker, suppressed_undecidable)
{
	const struct pcr_suppression supps[] = { { .pattern = "-", .kind = -1, .line = 1 } };
	struct pcr_checker_opts opts = default_opts();
	struct outcome o;

	opts.supps = supps;
	opts.nr_supps = 1;
	run(&opts, &o);
	EXPECT_I64(o.verdict, PCR_VERDICT_CLEAN);
	EXPECT_U64(o.r->nr_undecided, 0);
	EXPECT_U64(o.r->suppressed[PCR_VIOL_DOUBLE_ALLOC], 2);
	EXPECT_I64(o.seen.group[0], PCR_GROUP_UNDECIDABLE);
	EXPECT_I64(o.seen.supp_line[0], 1);
	pcr_checker_free(o.c);
}

/* pcr_judge(): the reasons in their order, and which one decides. */
Test(checker, judge_reasons)
{
	struct pcr_stats st = { 0 };
	struct pcr_judge_input in = { .stats = &st };
	struct pcr_judgement j;

	pcr_judge(&in, &j);
	EXPECT_I64(j.verdict, PCR_VERDICT_CLEAN);
	EXPECT_U64(j.holds, 0);

	/* Lost events beat violations; accepted, the violations decide. */
	st.lost_events = 7;
	in.failing = 1;
	pcr_judge(&in, &j);
	EXPECT_I64(j.verdict, PCR_VERDICT_INCONCLUSIVE);
	EXPECT_I64(j.decisive, PCR_REASON_LOST);
	EXPECT_U64(j.holds, (1u << PCR_REASON_LOST) | (1u << PCR_REASON_VIOLATIONS));
	in.allow_lost = true;
	pcr_judge(&in, &j);
	EXPECT_I64(j.verdict, PCR_VERDICT_VIOLATIONS);
	EXPECT_I64(j.decisive, -1);

	/* Damage comes before an unchecked range; both before violations. */
	in.damaged = true;
	in.unchecked = true;
	pcr_judge(&in, &j);
	EXPECT_I64(j.decisive, PCR_REASON_DAMAGED);
	in.allow_damaged = true;
	pcr_judge(&in, &j);
	EXPECT_I64(j.decisive, PCR_REASON_UNCHECKED);

	/* Unplaced boot frees count only when there are some. */
	memset(&st, 0, sizeof(st));
	in = (struct pcr_judge_input){ .stats = &st, .unplaced = true };
	pcr_judge(&in, &j);
	EXPECT_I64(j.verdict, PCR_VERDICT_CLEAN);
	st.boot_free_unallocated_events = 3;
	pcr_judge(&in, &j);
	EXPECT_I64(j.decisive, PCR_REASON_UNPLACED);

	/* Validate words fail only when invariant breaks are in --fail-on. */
	memset(&st, 0, sizeof(st));
	st.validate_words = 2;
	in = (struct pcr_judge_input){ .stats = &st, .undecided = 4 };
	pcr_judge(&in, &j);
	EXPECT_I64(j.decisive, PCR_REASON_UNDECIDABLE);
	in.validate_fails = true;
	pcr_judge(&in, &j);
	EXPECT_I64(j.verdict, PCR_VERDICT_VIOLATIONS);
	EXPECT_U64(j.holds, (1u << PCR_REASON_VALIDATE) | (1u << PCR_REASON_UNDECIDABLE));
}
