// SPDX-License-Identifier: GPL-2.0
/*
 * Classes of violations (lib/classify.c), on hand-made stacks named by a hand-written kallsyms.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "expect.h"
#include "pagecheck.h"

/* Each function 0x100 bytes long, in this order from ffffffff81000000. */
static const char kallsyms[] =
	"ffffffff81000000 T trace_event_raw_event_mm_page_free\n"
	"ffffffff81000100 T free_pages_prepare\n"
	"ffffffff81000200 T compaction_free\n"
	"ffffffff81000300 T migrate_pages_batch\n"
	"ffffffff81000400 T vfree.part.0\n"
	"ffffffff81000500 T delayed_vfree_work\n"
	"ffffffff81000600 T __free_frozen_pages\n"
	"ffffffff81000700 T __alloc_frozen_pages_noprof\n"
	"ffffffff81000800 T anon_pipe_write\n"
	"ffffffff81000900 T free_pipe_info\n"
	"ffffffff81000a00 T the_end\n";

#define F(n) (0xffffffff81000000ull + (n) * 0x100 + 0x10)

struct fixture {
	struct pcr_kallsyms *table;
	struct pcr_symbolizer sym;
	struct pcr_depot *depot;
};

static void setup(struct fixture *fx)
{
	cr_assert_eq(pcr_kallsyms_parse(&fx->table, kallsyms, strlen(kallsyms)), 0);
	fx->sym.resolve = pcr_kallsyms_resolve;
	fx->sym.ctx = fx->table;
	cr_assert_eq(pcr_depot_new(&fx->depot), 0);
}

static void teardown(struct fixture *fx)
{
	pcr_depot_free(fx->depot);
	pcr_kallsyms_free(fx->table);
}

/* The class of a violation of @kind whose event has the stack @frames (none when @nr is 0). */
static struct pcr_class classify(struct fixture *fx, int kind, const uint64_t *frames,
				 unsigned int nr, bool symbols)
{
	struct pcr_event ev = { .kind = kind == PCR_VIOL_DOUBLE_ALLOC ? PCR_EV_ALLOC : PCR_EV_FREE };
	struct pcr_violation v = { .event = &ev, .kind = (uint8_t)kind, .pages = 1 };
	struct pcr_class cls;
	uint32_t id = 0;

	if (nr)
		cr_assert_eq(pcr_depot_add(fx->depot, frames, nr, &id), 0);
	ev.stack_id = id;
	cr_assert_eq(pcr_classify(&v, fx->depot, symbols ? &fx->sym : NULL, &cls), 0);
	return cls;
}

/* s08's double frees: free_pages_prepare called from compaction_free. */
Test(classify, compaction_free_is_explained)
{
	struct fixture fx;
	const uint64_t frames[] = { F(0), F(1), F(2), F(3) };
	struct pcr_class cls;

	setup(&fx);
	cls = classify(&fx, PCR_VIOL_DOUBLE_FREE, frames, 4, true);
	EXPECT_I64(cls.cls, PCR_CLASS_EXPLAINED);
	cr_expect_str_eq(cls.path, "compaction");
	cr_expect_str_eq(cls.evidence, "compaction_free");
	teardown(&fx);
}

/* vfree.part.0: a compiler clone of vfree still names the vmalloc path. */
Test(classify, vfree_clone_is_explained)
{
	struct fixture fx;
	const uint64_t frames[] = { F(0), F(6), F(4), F(5) };
	struct pcr_class cls;

	setup(&fx);
	cls = classify(&fx, PCR_VIOL_DOUBLE_FREE, frames, 4, true);
	EXPECT_I64(cls.cls, PCR_CLASS_EXPLAINED);
	cr_expect_str_eq(cls.path, "vmalloc");
	cr_expect_str_eq(cls.evidence, "vfree");
	teardown(&fx);
}

/* s07's memcg failure: __free_frozen_pages called from __alloc_frozen_pages_noprof. */
Test(classify, free_inside_the_allocator_is_a_memcg_failure)
{
	struct fixture fx;
	const uint64_t frames[] = { F(0), F(6), F(7), F(8) };
	struct pcr_class cls;

	setup(&fx);
	cls = classify(&fx, PCR_VIOL_DOUBLE_FREE, frames, 4, true);
	EXPECT_I64(cls.cls, PCR_CLASS_EXPLAINED);
	cr_expect_str_eq(cls.path, "memcg-charge-failure");
	teardown(&fx);
}

/* A pipe buffer freed twice by free_pipe_info: nothing explains it. */
Test(classify, ordinary_free_is_a_violation)
{
	struct fixture fx;
	const uint64_t frames[] = { F(0), F(6), F(9) };
	struct pcr_class cls;

	setup(&fx);
	cls = classify(&fx, PCR_VIOL_DOUBLE_FREE, frames, 3, true);
	EXPECT_I64(cls.cls, PCR_CLASS_VIOLATION);
	cr_expect_null(cls.path);
	teardown(&fx);
}

/* The paths explain double frees only: a double alloc with vfree in its stack stays one. */
Test(classify, double_alloc_is_not_explained_by_a_free_path)
{
	struct fixture fx;
	const uint64_t frames[] = { F(7), F(4) };
	struct pcr_class cls;

	setup(&fx);
	cls = classify(&fx, PCR_VIOL_DOUBLE_ALLOC, frames, 2, true);
	EXPECT_I64(cls.cls, PCR_CLASS_VIOLATION);
	teardown(&fx);
}

/* No stack: undecidable, and the remedy names trace-cmd record -T. */
Test(classify, no_stack_is_undecidable)
{
	struct fixture fx;
	struct pcr_class cls;

	setup(&fx);
	cls = classify(&fx, PCR_VIOL_DOUBLE_FREE, NULL, 0, true);
	EXPECT_I64(cls.cls, PCR_CLASS_UNDECIDABLE);
	cr_expect_not_null(strstr(cls.remedy, "trace-cmd record -T"));
	teardown(&fx);
}

/* A stack no symbol names (no kallsyms): undecidable, the remedy names --kallsyms. */
Test(classify, stack_without_symbols_is_undecidable)
{
	struct fixture fx;
	const uint64_t frames[] = { F(0), F(2) };
	struct pcr_class cls;

	setup(&fx);
	cls = classify(&fx, PCR_VIOL_DOUBLE_FREE, frames, 2, false);
	EXPECT_I64(cls.cls, PCR_CLASS_UNDECIDABLE);
	cr_expect_not_null(strstr(cls.remedy, "--kallsyms"));
	teardown(&fx);
}

/* A broken invariant is always a violation, stack or not. */
Test(classify, invariant_is_always_a_violation)
{
	struct fixture fx;
	struct pcr_event ev = { .kind = PCR_EV_FREE };
	struct pcr_violation v = { .event = &ev, .kind = PCR_VIOL_INVARIANT, .pages = 1 };
	struct pcr_class cls;

	setup(&fx);
	cr_assert_eq(pcr_classify(&v, NULL, NULL, &cls), 0);
	EXPECT_I64(cls.cls, PCR_CLASS_VIOLATION);
	cr_expect_str_eq(pcr_class_name(PCR_CLASS_EXPLAINED), "explained");
	cr_expect_str_eq(pcr_class_name(PCR_CLASS_NR), "?");
	teardown(&fx);
}
