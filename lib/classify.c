// SPDX-License-Identifier: GPL-2.0
/*
 * Classes of violations: the tracepoints miss some allocations (measured against the RFC's own
 * checker: README "What the tracepoints miss"), so a double free or double alloc in a recording
 * is a real one (violation), a known path with positive evidence in the recording (explained,
 * citing the measurement), or one the recording cannot settle (undecidable, with what to record).
 * Nothing is explained by absence of evidence, and nothing is called a violation when the
 * recording could not have shown the path that would explain it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pagecheck.h"

/*
 * The measurements the rules rest on: rows of the README's tables "What the tracepoints miss,
 * measured" (the RFC checker in 6.12, tests/kernel/rfc/tp-vs-checker.py) and "And on this host's
 * 6.18" (free-after-free.py), by the recordings in testdata/rfc.
 */
#define ROW_BULK "README \"What the tracepoints miss\": 6.12 __vmalloc_node_range<copy_process allocates with alloc_pages_bulk and no mm_page_alloc (forkexec 496, vmalloc 2,383 checker calls); 6.18 vfree<delayed_vfree_work frees after a free (forkexec 287, thp-compact 455, mlock 266, pagecache 456)"
#define ROW_COMPACTION "README \"What the tracepoints miss\": 6.12 compaction_alloc<migrate_pages_batch allocates migration targets without mm_page_alloc (thp-compact 192 checker calls); 6.18 thp-compact: all 143 frees after a free outside vmalloc were of pages in a compaction_isolate_freepages range (release_free_list 70, compaction_free 45, folios_put_refs 28)"
#define ROW_MEMCG "../shared/testdata README, s07_memcg_fail_stack: when the memcg charge fails inside __alloc_pages, the page is freed (mm_page_free) and the allocation reports no page (mm_page_alloc pfn=-1)"
#define ROW_PGD "README \"Double allocations of page directories\": 6.18 fork/exec recordings, every double alloc in 4.7 M events was a page directory whose address space had ended"

/*
 * A known path the tracepoints miss, recognised by a frame of the violating free's stack that
 * only that path has.
 */
struct known_path {
	const char *path;
	const char *frames[8];
	const char *why;
	const char *row;
};

static const struct known_path bulk_paths[] = {
	/* 6.1 frees a vmalloc area's pages in __vunmap (vunmap alone passes no pages to free). */
	{ "vmalloc", { "vfree", "__vfree", "vfree_atomic", "delayed_vfree_work", "__vunmap", NULL },
	  "vmalloc fills its areas with alloc_pages_bulk, which emits no mm_page_alloc", ROW_BULK },
	{ "page_pool", { "page_pool_return_page", "page_pool_return_netmem",
			 "__page_pool_release_page_dma", "page_pool_empty_ring", NULL },
	  "page_pool refills its cache with alloc_pages_bulk, which emits no mm_page_alloc",
	  ROW_BULK },
};

/*
 * The allocator frees the page it just took when the memcg charge fails: the free is called
 * from __alloc_pages itself, near the top of the stack (a free deeper down, in reclaim, is not
 * this path).
 */
static const char *const alloc_entry[] = { "__alloc_frozen_pages_noprof", "__alloc_frozen_pages",
					   "__alloc_pages_noprof", "__alloc_pages", NULL };
#define MEMCG_MAX_DEPTH 6

/* Paths known from the kernel source to free pages taken silently, but not measured here. */
static const char *const unmeasured_frees[] = { "online_pages", "generic_online_page",
						 "offline_pages", "take_page_off_buddy", NULL };

/*
 * A slab page freed from an RCU callback a second time with no allocation seen between: on this
 * 6.18 host 2 to 6 of them in a minute of load, with no path measured yet that allocates slab
 * pages silently (README "And on this host's 6.18"). Until one is, such a free decides nothing.
 */
static const char *const slab_rcu_free[] = { "kmem_cache_free", NULL };
static const char *const rcu_callback[] = { "rcu_do_batch", NULL };

/*
 * A free from the per-CPU mlock folio batch's drain (mlock_drain_local, under lru_add_drain) of a
 * page last seen freed: on this 6.18 host a tmpfs churn with forks makes 2 to 4 of them in every
 * 3-second recording with stacks, with no compaction or migration counted in /proc/vmstat (README
 * "And on this host's 6.18"). Which path puts the page back in use unseen is not found yet.
 */
static const char *const batch_drain_free[] = { "mlock_drain_local", NULL };

/* compaction's own frees of the free pages it isolated and did not use. */
static const char *const compaction_frees[] = { "compaction_free", "release_free_list",
						"split_map_pages", NULL };

static const char *const class_names[PCR_CLASS_NR] = {
	[PCR_CLASS_VIOLATION] = "violation",
	[PCR_CLASS_EXPLAINED] = "explained",
	[PCR_CLASS_UNDECIDABLE] = "undecidable",
};

const char *pcr_class_name(int cls)
{
	return cls >= 0 && cls < PCR_CLASS_NR ? class_names[cls] : "?";
}

/* Compares a symbol's name without compiler suffixes (.isra.0, .constprop.0, .cold). */
static bool same_function(const char *name, const char *want)
{
	size_t len = strlen(want);

	return !strncmp(name, want, len) && (name[len] == '\0' || name[len] == '.');
}

static const char *stack_find(const struct pcr_evidence *ev, uint32_t id,
			      const char *const *names, unsigned int *named);

/* Whether a stored stack holds a frame of the function @want. */
static bool stack_has(const struct pcr_evidence *ev, uint32_t id, const char *want)
{
	const char *const names[] = { want, NULL };

	return stack_find(ev, id, names, NULL) != NULL;
}

/*
 * A page allocated again with no free between, last allocated as a page directory: its free is
 * the last mmdrop of that address space, often deferred to a later context switch (lazy TLB).
 * In 6.18 recordings that mm_page_free is sometimes missing (every double alloc in 4.7 M events
 * of fork/exec load was one: README "Exact on real kernels"), so the recording's own process
 * events decide: the address space ended first (explained), it lived on (violation), or there
 * are none to tell (undecidable). Returns false when the rule does not apply.
 */
static bool classify_pgd(const struct pcr_violation *v, const struct pcr_evidence *ev,
			 struct pcr_class *out)
{
	const struct pcr_provenance *prev = &v->last_alloc;
	enum pcr_mm_origin origin;
	struct pcr_mm_end end;
	int ret;

	if (v->kind != PCR_VIOL_DOUBLE_ALLOC || v->prev_kind != PCR_EV_ALLOC || !prev->valid ||
	    !stack_has(ev, prev->stack_id, "pgd_alloc"))
		return false;
	if (stack_has(ev, prev->stack_id, "alloc_bprm"))
		origin = PCR_MM_EXEC;
	else if (stack_has(ev, prev->stack_id, "copy_process"))
		origin = PCR_MM_FORK;
	else
		return false;
	ret = pcr_tasks_mm_end(ev->tasks, origin, prev->pid, prev->ts_ns, v->event->ts_ns, &end);
	if (ret < 0) {
		out->cls = PCR_CLASS_UNDECIDABLE;
		out->why = "the page was last allocated as a page directory (pgd_alloc): whether its address space ended before this allocation, freeing it by an unrecorded last mmdrop, needs the recording's process events";
		out->remedy = "record with " PCR_RECORD_DECIDING;
		return true;
	}
	if (ret == 0) {
		snprintf(out->detail, sizeof(out->detail),
			 "a page directory whose address space lives on (allocated by task %d)",
			 prev->pid);
		return true;
	}
	out->cls = PCR_CLASS_EXPLAINED;
	out->path = "pgd-last-mmdrop";
	out->evidence = "pgd_alloc";
	out->where = "the previous alloc's stack";
	out->why = "the page directory of an address space that had ended is freed by its last mmdrop, often at a later context switch (lazy TLB); 6.18 recordings sometimes lack that mm_page_free";
	out->row = ROW_PGD;
	snprintf(out->detail, sizeof(out->detail), "task %d %s at %" PRIu64 ".%09" PRIu64,
		 end.owner, end.by_exit ? "exited" : "exec'd", end.ts_ns / 1000000000u,
		 end.ts_ns % 1000000000u);
	return true;
}

/* The first frame of @id's stack that is one of @names, or NULL; counts the named frames. */
static const char *stack_find(const struct pcr_evidence *ev, uint32_t id,
			      const char *const *names, unsigned int *named)
{
	const uint64_t *frames;
	unsigned int nr, i, n;

	if (!ev->depot || !id || !ev->sym || !ev->sym->resolve ||
	    pcr_depot_get(ev->depot, id, &frames, &nr))
		return NULL;
	for (i = 0; i < nr; i++) {
		struct pcr_symbol s;

		if (ev->sym->resolve(ev->sym->ctx, frames[i], &s))
			continue;
		if (named)
			(*named)++;
		for (n = 0; names[n]; n++)
			if (same_function(s.name, names[n]))
				return names[n];
	}
	return NULL;
}

static void undecidable(struct pcr_class *out, const char *why)
{
	out->cls = PCR_CLASS_UNDECIDABLE;
	out->why = why;
	out->remedy = "record with " PCR_RECORD_DECIDING;
}

static void explained(struct pcr_class *out, const char *path, const char *evidence,
		      const char *where, const char *why, const char *row)
{
	out->cls = PCR_CLASS_EXPLAINED;
	out->path = path;
	out->evidence = evidence;
	out->where = where;
	out->why = why;
	out->row = row;
}

/* Whether the violating event's stack can be read: it has one and a symbol names a frame. */
static const char *stack_missing(const struct pcr_violation *v, const struct pcr_evidence *ev)
{
	static const char *const none[] = { NULL };
	const uint64_t *frames;
	unsigned int nr, named = 0;

	if (!ev->depot || !v->event->stack_id ||
	    pcr_depot_get(ev->depot, v->event->stack_id, &frames, &nr))
		return "the event has no kernel stack, which would show whether a path the tracepoints miss is involved";
	stack_find(ev, v->event->stack_id, none, &named);
	if (!named)
		return "the event's stack has no symbols, so a path the tracepoints miss cannot be recognised; pass --kallsyms with the traced machine's /proc/kallsyms";
	return NULL;
}

static void classify_double_free(const struct pcr_violation *v, const struct pcr_evidence *ev,
				 struct pcr_class *out)
{
	const char *missing, *frame;
	unsigned int named;
	size_t p;

	/* A compaction isolation of the page after its free: the page left the free lists. */
	if (v->isolated) {
		explained(out, "compaction", "mm_compaction_isolate_freepages",
			  "the recording, after the page's previous free",
			  "compaction took the free page off the buddy lists (isolate_freepages) without mm_page_alloc, as a migration target or to free it again unused",
			  ROW_COMPACTION);
		return;
	}
	missing = stack_missing(v, ev);
	if (!missing) {
		for (p = 0; p < sizeof(bulk_paths) / sizeof(bulk_paths[0]); p++) {
			frame = stack_find(ev, v->event->stack_id, bulk_paths[p].frames, NULL);
			if (frame) {
				explained(out, bulk_paths[p].path, frame, NULL, bulk_paths[p].why,
					  bulk_paths[p].row);
				return;
			}
		}
		named = 0;
		frame = stack_find(ev, v->event->stack_id, alloc_entry, &named);
		if (frame && named <= MEMCG_MAX_DEPTH) {
			explained(out, "memcg-charge-failure", frame, NULL,
				  "the allocator freed the page inside the allocation: its memcg charge failed after the page was taken (the mm_page_alloc that follows has no page)",
				  ROW_MEMCG);
			return;
		}
		frame = stack_find(ev, v->event->stack_id, unmeasured_frees, NULL);
		if (frame) {
			undecidable(out, "the stack shows memory on/offlining, which takes and returns pages without the page events; no measurement here tells its frees apart from a fault");
			out->remedy = "pass --allow-undecidable when the recording spans memory hotplug";
			return;
		}
		if (stack_find(ev, v->event->stack_id, slab_rcu_free, NULL) &&
		    stack_find(ev, v->event->stack_id, rcu_callback, NULL)) {
			undecidable(out, "a slab page freed from an RCU callback (kmem_cache_free<rcu_do_batch) with no allocation seen since its last free: healthy 6.18 kernels do this, by a path not measured yet");
			out->remedy = "pass --allow-undecidable to accept them (README \"And on this host's 6.18\")";
			return;
		}
		/*
		 * The previous free was compaction's own: the page stayed on its list, and
		 * compaction_alloc handed it out again as a migration target freed later.
		 */
		frame = stack_find(ev, v->last_free.stack_id, compaction_frees, NULL);
		if (frame && v->isolated_since_alloc && v->prev_kind == PCR_EV_FREE) {
			explained(out, "compaction", frame, "the previous free's stack",
				  "compaction's own free returned the page to its private list, from which compaction_alloc handed it out again as a migration target without mm_page_alloc",
				  ROW_COMPACTION);
			return;
		}
		frame = stack_find(ev, v->event->stack_id, compaction_frees, NULL);
		if (frame && v->isolated_since_alloc) {
			explained(out, "compaction", frame,
				  "the stack, of a page compaction isolated since its last allocation",
				  "compaction's own frees (compaction_free, release_free_list) put pages back on its private free list, from which compaction_alloc hands them out again without mm_page_alloc",
				  ROW_COMPACTION);
			return;
		}
		if (frame && ev->isolation) {
			snprintf(out->detail, sizeof(out->detail),
				 "%s freed a page no compaction isolation event covered since its last allocation",
				 frame);
			return;
		}
		if (frame) {
			explained(out, "compaction", frame, NULL,
				  "compaction frees the free pages it isolated without mm_page_alloc and did not use",
				  ROW_COMPACTION);
			return;
		}
		if (v->prev_kind == PCR_EV_FREE &&
		    stack_find(ev, v->event->stack_id, batch_drain_free, NULL)) {
			undecidable(out, "a free from the drain of a per-CPU mlock folio batch (mlock_drain_local) with no allocation seen since the page's last free: healthy 6.18 kernels do this under tmpfs churn with no compaction or migration, by a path not measured yet");
			out->remedy = "pass --allow-undecidable to accept them (README \"And on this host's 6.18\")";
			return;
		}
	}
	if (missing) {
		undecidable(out, missing);
		return;
	}
	/* Nothing explains it: a violation only when an isolation could have shown. */
	if (!ev->isolation)
		undecidable(out, "the recording has no compaction isolation events, which would show whether compaction took the page silently (a migration target freed later by any path)");
}

int pcr_classify(const struct pcr_violation *v, const struct pcr_evidence *ev,
		 struct pcr_class *out)
{
	const char *missing;

	memset(out, 0, sizeof(*out));
	out->cls = PCR_CLASS_VIOLATION;
	if (v->kind == PCR_VIOL_INVARIANT)
		return 0;
	if (v->kind == PCR_VIOL_DOUBLE_FREE) {
		classify_double_free(v, ev, out);
		return 0;
	}
	if (classify_pgd(v, ev, out))
		return 0;
	/*
	 * No free the checker saw went without mm_page_free (README "What the tracepoints miss"),
	 * so a double alloc is a violation unless its previous allocation was a page directory,
	 * which only that allocation's stack shows.
	 */
	missing = NULL;
	if (!ev->depot || (v->prev_kind == PCR_EV_ALLOC && !v->last_alloc.stack_id))
		missing = "the page's previous allocation has no kernel stack, which would show whether it was a page directory (whose last mmdrop 6.18 recordings sometimes miss)";
	if (missing)
		undecidable(out, missing);
	return 0;
}
