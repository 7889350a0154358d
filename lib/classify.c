// SPDX-License-Identifier: GPL-2.0
/*
 * Classes of violations: the tracepoints miss some allocations (DOMAIN.md, "Paths the
 * tracepoints do not see"), so a double free or double alloc in a recording is a real one
 * (violation), a known path with positive evidence (explained), or one the recording cannot
 * settle (undecidable). Nothing is explained by absence of evidence.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pagecheck.h"

/* A known path the tracepoints miss, recognised by a frame of the violating event's stack. */
struct known_path {
	const char *path;
	const char *frames[8];
	const char *why;
	int kind;
};

static const struct known_path known_paths[] = {
	{ "compaction", { "compaction_free", "release_free_list", "split_map_pages", NULL },
	  "compaction takes free pages off the buddy lists (isolate_freepages) without mm_page_alloc and frees unused targets again",
	  PCR_VIOL_DOUBLE_FREE },
	{ "vmalloc", { "vfree", "__vfree", "vfree_atomic", "delayed_vfree_work", "__vunmap",
		       "vm_reset_perms", "vunmap", NULL },
	  "vmalloc fills its areas with alloc_pages_bulk, which emits no mm_page_alloc",
	  PCR_VIOL_DOUBLE_FREE },
	{ "contig", { "free_contig_range", "free_contig_frozen_range", "cma_release",
		      "cma_free_folio", "__free_gigantic_folio", NULL },
	  "alloc_contig_range (CMA, gigantic hugetlb) allocates without mm_page_alloc",
	  PCR_VIOL_DOUBLE_FREE },
	{ "page_pool", { "page_pool_return_page", "page_pool_return_netmem",
			 "__page_pool_release_page_dma", "page_pool_empty_ring", NULL },
	  "page_pool refills its cache with alloc_pages_bulk, which emits no mm_page_alloc",
	  PCR_VIOL_DOUBLE_FREE },
	{ "memcg-charge-failure", { "__alloc_frozen_pages_noprof", "__alloc_frozen_pages",
				    "__alloc_pages_noprof", "__alloc_pages", NULL },
	  "the allocator freed the page inside the allocation: its memcg charge failed after the page was taken (the mm_page_alloc that follows has no page)",
	  PCR_VIOL_DOUBLE_FREE },
	{ "memory-offline", { "offline_pages", "__offline_pages", "take_page_off_buddy", NULL },
	  "memory offlining and hwpoison take pages off the buddy lists without mm_page_alloc",
	  PCR_VIOL_DOUBLE_FREE },
};

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

/* Whether a stored stack holds a frame of the function @want. */
static bool stack_has(const struct pcr_depot *depot, const struct pcr_symbolizer *sym, uint32_t id,
		      const char *want)
{
	const uint64_t *frames;
	unsigned int nr, i;

	if (!depot || !id || !sym || !sym->resolve || pcr_depot_get(depot, id, &frames, &nr))
		return false;
	for (i = 0; i < nr; i++) {
		struct pcr_symbol s;

		if (!sym->resolve(sym->ctx, frames[i], &s) && same_function(s.name, want))
			return true;
	}
	return false;
}

/*
 * A page allocated again with no free between, last allocated as a page directory: its free is
 * the last mmdrop of that address space, often deferred to a later context switch (lazy TLB).
 * In 6.18 recordings that mm_page_free is sometimes missing (every double alloc in 4.7 M events
 * of fork/exec load was one: README "Exact on real kernels"), so the recording's own process
 * events decide: the address space ended first (explained), it lived on (violation), or there
 * are none to tell (undecidable). Returns false when the rule does not apply.
 */
static bool classify_pgd(const struct pcr_violation *v, const struct pcr_depot *depot,
			 const struct pcr_symbolizer *sym, const struct pcr_tasks *tasks,
			 struct pcr_class *out)
{
	const struct pcr_provenance *prev = &v->last_alloc;
	enum pcr_mm_origin origin;
	struct pcr_mm_end end;
	int ret;

	if (v->kind != PCR_VIOL_DOUBLE_ALLOC || v->prev_kind != PCR_EV_ALLOC || !prev->valid ||
	    !stack_has(depot, sym, prev->stack_id, "pgd_alloc"))
		return false;
	if (stack_has(depot, sym, prev->stack_id, "alloc_bprm"))
		origin = PCR_MM_EXEC;
	else if (stack_has(depot, sym, prev->stack_id, "copy_process"))
		origin = PCR_MM_FORK;
	else
		return false;
	ret = pcr_tasks_mm_end(tasks, origin, prev->pid, prev->ts_ns, v->event->ts_ns, &end);
	if (ret < 0) {
		out->cls = PCR_CLASS_UNDECIDABLE;
		out->why = "the page was last allocated as a page directory (pgd_alloc): whether its address space ended before this allocation, freeing it by an unrecorded last mmdrop, needs the recording's process events";
		out->remedy = "record with -e sched:sched_process_fork -e sched:sched_process_exec -e sched:sched_process_exit";
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
	snprintf(out->detail, sizeof(out->detail), "task %d %s at %" PRIu64 ".%09" PRIu64,
		 end.owner, end.by_exit ? "exited" : "exec'd", end.ts_ns / 1000000000u,
		 end.ts_ns % 1000000000u);
	return true;
}

int pcr_classify(const struct pcr_violation *v, const struct pcr_depot *depot,
		 const struct pcr_symbolizer *sym, const struct pcr_tasks *tasks,
		 struct pcr_class *out)
{
	const uint64_t *frames;
	unsigned int nr, i, named = 0;
	size_t p, f;

	memset(out, 0, sizeof(*out));
	out->cls = PCR_CLASS_VIOLATION;
	if (v->kind == PCR_VIOL_INVARIANT)
		return 0;
	if (classify_pgd(v, depot, sym, tasks, out))
		return 0;
	if (!depot || !v->event->stack_id ||
	    pcr_depot_get(depot, v->event->stack_id, &frames, &nr)) {
		out->cls = PCR_CLASS_UNDECIDABLE;
		out->why = "the event has no kernel stack, which would show whether a path the tracepoints miss is involved";
		out->remedy = "record with 'trace-cmd record -T' (kernel stacks)";
		return 0;
	}
	for (i = 0; i < nr; i++) {
		struct pcr_symbol s;

		if (!sym || !sym->resolve || sym->resolve(sym->ctx, frames[i], &s))
			continue;
		named++;
		for (p = 0; p < sizeof(known_paths) / sizeof(known_paths[0]); p++) {
			const struct known_path *k = &known_paths[p];

			if (k->kind != v->kind)
				continue;
			for (f = 0; k->frames[f]; f++) {
				if (!same_function(s.name, k->frames[f]))
					continue;
				out->cls = PCR_CLASS_EXPLAINED;
				out->path = k->path;
				out->evidence = k->frames[f];
				out->why = k->why;
				return 0;
			}
		}
	}
	if (!named) {
		out->cls = PCR_CLASS_UNDECIDABLE;
		out->why = "the event's stack has no symbols, so a path the tracepoints miss cannot be recognised";
		out->remedy = "pass --kallsyms with the traced machine's /proc/kallsyms, or record with kallsyms";
	}
	return 0;
}
