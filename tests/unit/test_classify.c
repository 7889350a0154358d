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
	"ffffffff81000a00 T pgd_alloc\n"
	"ffffffff81000b00 T mm_init\n"
	"ffffffff81000c00 T copy_process\n"
	"ffffffff81000d00 T alloc_bprm\n"
	"ffffffff81000e00 T pte_alloc_one\n"
	"ffffffff81000f00 T mlock_drain_local\n"
	"ffffffff81001000 T shmem_undo_range\n"
	"ffffffff81001100 T the_end\n";

#define F(n) (0xffffffff81000000ull + (n) * 0x100 + 0x10)

struct fixture {
	struct pcr_kallsyms *table;
	struct pcr_symbolizer sym;
	struct pcr_depot *depot;
	bool isolation;		/* the recording holds compaction's isolation events */
	bool isolated;		/* and one covered the page since its previous event */
};

static void setup(struct fixture *fx)
{
	cr_assert_eq(pcr_kallsyms_parse(&fx->table, kallsyms, strlen(kallsyms)), 0);
	fx->sym.resolve = pcr_kallsyms_resolve;
	fx->sym.ctx = fx->table;
	cr_assert_eq(pcr_depot_new(&fx->depot), 0);
	fx->isolation = true;
	fx->isolated = false;
}

static struct pcr_evidence evidence(const struct fixture *fx, bool symbols,
				    const struct pcr_tasks *tasks)
{
	return (struct pcr_evidence){ .depot = fx->depot, .sym = symbols ? &fx->sym : NULL,
				      .tasks = tasks, .isolation = fx->isolation };
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
	struct pcr_violation v = { .event = &ev, .kind = (uint8_t)kind, .pages = 1,
				   .prev_kind = kind == PCR_VIOL_DOUBLE_ALLOC ? PCR_EV_ALLOC :
				   PCR_EV_FREE, .isolated = fx->isolated };
	struct pcr_evidence e = evidence(fx, symbols, NULL);
	struct pcr_class cls;
	uint32_t id = 0;

	if (nr)
		cr_assert_eq(pcr_depot_add(fx->depot, frames, nr, &id), 0);
	ev.stack_id = id;
	/* The previous allocation of a double alloc: an ordinary one, with a stack. */
	if (kind == PCR_VIOL_DOUBLE_ALLOC && nr) {
		v.last_alloc.valid = true;
		v.last_alloc.stack_id = id;
	}
	cr_assert_eq(pcr_classify(&v, &e, &cls), 0);
	return cls;
}

/* s08's double frees: free_pages_prepare called from compaction_free. */
Test(classify, compaction_free_is_explained)
{
	struct fixture fx;
	const uint64_t frames[] = { F(0), F(1), F(2), F(3) };
	struct pcr_class cls;

	setup(&fx);
	/* A recording without isolation events: the frame is the evidence. */
	fx.isolation = false;
	cls = classify(&fx, PCR_VIOL_DOUBLE_FREE, frames, 4, true);
	EXPECT_I64(cls.cls, PCR_CLASS_EXPLAINED);
	cr_expect_str_eq(cls.path, "compaction");
	cr_expect_str_eq(cls.evidence, "compaction_free");
	cr_expect_not_null(strstr(cls.row, "thp-compact"));
	/* With them, and one covering the page: explained by the event. */
	fx.isolation = true;
	fx.isolated = true;
	cls = classify(&fx, PCR_VIOL_DOUBLE_FREE, frames, 4, true);
	EXPECT_I64(cls.cls, PCR_CLASS_EXPLAINED);
	cr_expect_str_eq(cls.evidence, "mm_compaction_isolate_freepages");
	teardown(&fx);
}

/* A fault inside compaction: it frees a page no isolation event covered since its last free. */
Test(classify, compaction_free_of_a_page_never_isolated_is_a_violation)
{
	struct fixture fx;
	const uint64_t frames[] = { F(0), F(1), F(2), F(3) };
	struct pcr_class cls;

	setup(&fx);
	cls = classify(&fx, PCR_VIOL_DOUBLE_FREE, frames, 4, true);
	EXPECT_I64(cls.cls, PCR_CLASS_VIOLATION);
	cr_expect_not_null(strstr(cls.detail, "compaction_free freed a page no compaction isolation event covered since its last allocation"));
	teardown(&fx);
}

/* Any free of a page compaction isolated after its free (a migration target freed later). */
Test(classify, isolated_page_freed_by_any_path_is_explained)
{
	struct fixture fx;
	const uint64_t frames[] = { F(0), F(6), F(9) };
	struct pcr_class cls;

	setup(&fx);
	fx.isolated = true;
	cls = classify(&fx, PCR_VIOL_DOUBLE_FREE, frames, 3, true);
	EXPECT_I64(cls.cls, PCR_CLASS_EXPLAINED);
	cr_expect_str_eq(cls.path, "compaction");
	/* Even without stacks: the isolation event is the evidence. */
	cls = classify(&fx, PCR_VIOL_DOUBLE_FREE, NULL, 0, true);
	EXPECT_I64(cls.cls, PCR_CLASS_EXPLAINED);
	teardown(&fx);
}

/* An ordinary free with stacks but no isolation events: compaction's targets cannot be ruled out. */
Test(classify, ordinary_free_without_isolation_events_is_undecidable)
{
	struct fixture fx;
	const uint64_t frames[] = { F(0), F(6), F(9) };
	struct pcr_class cls;

	setup(&fx);
	fx.isolation = false;
	cls = classify(&fx, PCR_VIOL_DOUBLE_FREE, frames, 3, true);
	EXPECT_I64(cls.cls, PCR_CLASS_UNDECIDABLE);
	cr_expect_not_null(strstr(cls.why, "compaction isolation events"));
	cr_expect_not_null(strstr(cls.remedy, "compaction:mm_compaction_isolate_freepages"));
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

/*
 * The host's 6.18 tmpfs churn: a page freed by a truncation, then freed again from the drain of
 * the per-CPU mlock batch (free_pages_prepare<mlock_drain_local<shmem_undo_range), nothing
 * between. The trace cannot tell a silent reuse from a fault.
 */
Test(classify, free_from_an_mlock_batch_drain_after_a_free_is_undecidable)
{
	struct fixture fx;
	const uint64_t frames[] = { F(0), F(1), F(15), F(16) };
	struct pcr_class cls;

	setup(&fx);
	cls = classify(&fx, PCR_VIOL_DOUBLE_FREE, frames, 4, true);
	EXPECT_I64(cls.cls, PCR_CLASS_UNDECIDABLE);
	cr_expect_not_null(strstr(cls.why, "(mlock_drain_local)"));
	cr_expect_not_null(strstr(cls.remedy, "--allow-undecidable"));
	teardown(&fx);
}

/* The same free of a page compaction isolated since: compaction's, which is positive evidence. */
Test(classify, mlock_batch_drain_of_an_isolated_page_is_explained)
{
	struct fixture fx;
	const uint64_t frames[] = { F(0), F(1), F(15), F(16) };
	struct pcr_class cls;

	setup(&fx);
	fx.isolated = true;
	cls = classify(&fx, PCR_VIOL_DOUBLE_FREE, frames, 4, true);
	EXPECT_I64(cls.cls, PCR_CLASS_EXPLAINED);
	cr_expect_str_eq(cls.path, "compaction");
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

/* No stack: undecidable, and the remedy names pagecheck-replay record --stacks and -T. */
Test(classify, no_stack_is_undecidable)
{
	struct fixture fx;
	struct pcr_class cls;

	setup(&fx);
	cls = classify(&fx, PCR_VIOL_DOUBLE_FREE, NULL, 0, true);
	EXPECT_I64(cls.cls, PCR_CLASS_UNDECIDABLE);
	cr_expect_not_null(strstr(cls.remedy, "pagecheck-replay record --stacks"));
	cr_expect_not_null(strstr(cls.remedy, "trace-cmd record -d --no-filter -T"));
	/* The same for a double alloc: its previous allocation might be a page directory. */
	cls = classify(&fx, PCR_VIOL_DOUBLE_ALLOC, NULL, 0, true);
	EXPECT_I64(cls.cls, PCR_CLASS_UNDECIDABLE);
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
	cr_expect_not_null(strstr(cls.why, "--kallsyms"));
	teardown(&fx);
}

/* A broken invariant is always a violation, stack or not. */
Test(classify, invariant_is_always_a_violation)
{
	struct fixture fx;
	struct pcr_event ev = { .kind = PCR_EV_FREE };
	struct pcr_violation v = { .event = &ev, .kind = PCR_VIOL_INVARIANT, .pages = 1 };
	struct pcr_evidence none = { 0 };
	struct pcr_class cls;

	setup(&fx);
	cr_assert_eq(pcr_classify(&v, &none, &cls), 0);
	EXPECT_I64(cls.cls, PCR_CLASS_VIOLATION);
	cr_expect_str_eq(pcr_class_name(PCR_CLASS_EXPLAINED), "explained");
	cr_expect_str_eq(pcr_class_name(PCR_CLASS_NR), "?");
	teardown(&fx);
}

/* Process events of a hand-made recording: 100 forks 101 at 10 ns, 101 execs at 20, exits at 40. */
static struct pcr_tasks *lifetimes(bool with_exit)
{
	const struct pcr_event evs[] = {
		{ .kind = PCR_EV_FORK, .ts_ns = 10, .pid = 100, .child_pid = 101 },
		{ .kind = PCR_EV_FORK, .ts_ns = 12, .pid = 300, .child_pid = 301 },
		{ .kind = PCR_EV_EXEC, .ts_ns = 20, .pid = 101 },
		{ .kind = PCR_EV_ALLOC, .ts_ns = 30, .pid = 101, .pfn = 5 },
		{ .kind = PCR_EV_EXIT, .ts_ns = 40, .pid = 101 },
	};
	struct pcr_tasks *t;
	size_t i;

	cr_assert_eq(pcr_tasks_new(&t), 0);
	for (i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		if (with_exit || evs[i].kind != PCR_EV_EXIT)
			cr_assert_eq(pcr_tasks_feed(t, &evs[i]), 0);
	return t;
}

Test(tasks, fork_owner_ends_at_its_first_exec)
{
	struct pcr_tasks *t = lifetimes(true);
	struct pcr_mm_end end;

	/* The page directory 100 allocated at 5 for the child it forked at 10. */
	EXPECT_I64(pcr_tasks_mm_end(t, PCR_MM_FORK, 100, 5, 50, &end), 1);
	EXPECT_U64(end.ts_ns, 20);
	EXPECT_I64(end.owner, 101);
	EXPECT_I64(end.by_exit, false);
	/* Judged at 15, the child had not exec'd yet. */
	EXPECT_I64(pcr_tasks_mm_end(t, PCR_MM_FORK, 100, 5, 15, &end), 0);
	/* A parent that forked nobody after the allocation names no owner. */
	EXPECT_I64(pcr_tasks_mm_end(t, PCR_MM_FORK, 101, 5, 50, &end), 0);
	pcr_tasks_free(t);
}

Test(tasks, exec_mm_is_installed_by_the_exec_and_ends_at_the_exit)
{
	struct pcr_tasks *with = lifetimes(true), *without = lifetimes(false);
	struct pcr_mm_end end;

	/* 101 allocated its new mm at 15; the exec at 20 installs it; the exit at 40 ends it. */
	EXPECT_I64(pcr_tasks_mm_end(with, PCR_MM_EXEC, 101, 15, 50, &end), 1);
	EXPECT_U64(end.ts_ns, 40);
	EXPECT_I64(end.by_exit, true);
	EXPECT_I64(pcr_tasks_mm_end(without, PCR_MM_EXEC, 101, 15, 50, &end), 0);
	pcr_tasks_free(with);
	pcr_tasks_free(without);
}

Test(tasks, no_process_events_cannot_tell)
{
	struct pcr_tasks *t;
	struct pcr_mm_end end;

	cr_assert_eq(pcr_tasks_new(&t), 0);
	EXPECT_I64(pcr_tasks_mm_end(t, PCR_MM_FORK, 100, 5, 50, &end), -1);
	EXPECT_I64(pcr_tasks_mm_end(NULL, PCR_MM_FORK, 100, 5, 50, &end), -1);
	pcr_tasks_free(t);
}

/* A double alloc at 50 ns of a page 100 allocated at 5 ns with @frames, judged with @tasks. */
static struct pcr_class classify_realloc(struct fixture *fx, const uint64_t *frames,
					 unsigned int nr, const struct pcr_tasks *tasks)
{
	const uint64_t now_frames[] = { F(7), F(14) };
	struct pcr_event ev = { .kind = PCR_EV_ALLOC, .ts_ns = 50, .pid = 400 };
	struct pcr_violation v = { .event = &ev, .kind = PCR_VIOL_DOUBLE_ALLOC, .pages = 1,
				   .prev_kind = PCR_EV_ALLOC };
	struct pcr_evidence e;
	struct pcr_class cls;

	cr_assert_eq(pcr_depot_add(fx->depot, now_frames, 2, &ev.stack_id), 0);
	cr_assert_eq(pcr_depot_add(fx->depot, frames, nr, &v.last_alloc.stack_id), 0);
	v.last_alloc.valid = true;
	v.last_alloc.ts_ns = 5;
	v.last_alloc.pid = 100;
	e = evidence(fx, true, tasks);
	cr_assert_eq(pcr_classify(&v, &e, &cls), 0);
	return cls;
}

/* The s07 and exp8 double allocs: the previous alloc was a fork's page directory. */
Test(classify, page_directory_of_an_ended_mm_is_explained)
{
	const uint64_t pgd[] = { F(7), F(10), F(11), F(12) };
	struct pcr_tasks *t = lifetimes(true);
	struct fixture fx;
	struct pcr_class cls;

	setup(&fx);
	cls = classify_realloc(&fx, pgd, 4, t);
	EXPECT_I64(cls.cls, PCR_CLASS_EXPLAINED);
	cr_expect_str_eq(cls.path, "pgd-last-mmdrop");
	cr_expect_str_eq(cls.evidence, "pgd_alloc");
	cr_expect_str_eq(cls.where, "the previous alloc's stack");
	cr_expect_str_eq(cls.detail, "task 101 exec'd at 0.000000020");
	teardown(&fx);
	pcr_tasks_free(t);
}

Test(classify, page_directory_without_process_events_is_undecidable)
{
	const uint64_t pgd[] = { F(7), F(10), F(11), F(12) };
	struct pcr_tasks *t;
	struct fixture fx;
	struct pcr_class cls;

	cr_assert_eq(pcr_tasks_new(&t), 0);
	setup(&fx);
	cls = classify_realloc(&fx, pgd, 4, t);
	EXPECT_I64(cls.cls, PCR_CLASS_UNDECIDABLE);
	cr_expect(strstr(cls.remedy, "sched:sched_process_exit") != NULL);
	teardown(&fx);
	pcr_tasks_free(t);
}

Test(classify, page_directory_of_a_live_mm_is_a_violation)
{
	/* An exec's page directory (alloc_bprm) whose task 100 never exec'd nor exited. */
	const uint64_t pgd[] = { F(7), F(10), F(11), F(13) };
	struct pcr_tasks *t = lifetimes(true);
	struct fixture fx;
	struct pcr_class cls;

	setup(&fx);
	cls = classify_realloc(&fx, pgd, 4, t);
	EXPECT_I64(cls.cls, PCR_CLASS_VIOLATION);
	cr_expect(strstr(cls.detail, "lives on") != NULL);
	teardown(&fx);
	pcr_tasks_free(t);
}

Test(classify, other_page_tables_are_not_page_directories)
{
	const uint64_t pte[] = { F(7), F(14), F(12) };
	struct pcr_tasks *t = lifetimes(true);
	struct fixture fx;
	struct pcr_class cls;

	setup(&fx);
	cls = classify_realloc(&fx, pte, 3, t);
	EXPECT_I64(cls.cls, PCR_CLASS_VIOLATION);
	cr_expect_str_eq(cls.detail, "");
	teardown(&fx);
	pcr_tasks_free(t);
}

/*
 * A migration target freed by its user after compaction_free had returned it to compaction's
 * list: the previous free's stack shows compaction_free, and compaction isolated the page since
 * its last allocation. Without that isolation the same stacks are a violation.
 */
Test(classify, free_after_compactions_own_free_is_explained)
{
	const uint64_t user[] = { F(0), F(6), F(9) };
	const uint64_t compaction[] = { F(0), F(1), F(2), F(3) };
	struct pcr_event ev = { .kind = PCR_EV_FREE };
	struct pcr_violation v = { .event = &ev, .kind = PCR_VIOL_DOUBLE_FREE, .pages = 1,
				   .prev_kind = PCR_EV_FREE, .isolated_since_alloc = true };
	struct pcr_evidence e;
	struct pcr_class cls;
	struct fixture fx;

	setup(&fx);
	e = evidence(&fx, true, NULL);
	cr_assert_eq(pcr_depot_add(fx.depot, user, 3, &ev.stack_id), 0);
	cr_assert_eq(pcr_depot_add(fx.depot, compaction, 4, &v.last_free.stack_id), 0);
	v.last_free.valid = true;
	cr_assert_eq(pcr_classify(&v, &e, &cls), 0);
	EXPECT_I64(cls.cls, PCR_CLASS_EXPLAINED);
	cr_expect_str_eq(cls.evidence, "compaction_free");
	cr_expect_str_eq(cls.where, "the previous free's stack");
	v.isolated_since_alloc = false;
	cr_assert_eq(pcr_classify(&v, &e, &cls), 0);
	EXPECT_I64(cls.cls, PCR_CLASS_VIOLATION);
	teardown(&fx);
}
