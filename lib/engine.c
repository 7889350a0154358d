// SPDX-License-Identifier: GPL-2.0
/*
 * The replay engine: the RFC's dual bitmap (mm/page_consistency.c), kept sparse.
 *
 * The RFC keeps two flat bitmaps over [min_pfn, max_pfn). A flat bitmap costs memory for the
 * whole PFN span, holes included, and the RFC refuses spans above 2^32 pages. Here the bitmaps are
 * cut into 64-page words ("leaves") that exist only once a page in them is touched; a word never
 * touched holds the initial state (PRIMARY 0, SECONDARY ~0), exactly what the flat bitmap would.
 * Bit i of the bitmaps is pfn - base, base being --pfn-range's start (the RFC's min_pfn) or 0, so
 * validate groups bits into the same words as the RFC does.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "pagecheck.h"

#define LEAF_SHIFT 6
#define LEAF_PAGES (1u << LEAF_SHIFT)
#define LEAVES_PER_CHUNK 1024
#define TABLE_MIN_BITS 10

/* Index of a page's provenance arrays: its last alloc and its last free. */
enum { PROV_ALLOC, PROV_FREE, PROV_NR };

/* Where one alloc or one free of a page came from. */
struct pcr_page_origin {
	uint64_t ts;
	uint32_t stack;
	int32_t pid;
	uint16_t cpu;
};

/*
 * Where each page of a leaf was last allocated and last freed, and which pages compaction
 * isolated (PCR_EV_ISOLATE) since their last event, and since their last allocation: read only
 * to report and classify.
 */
struct leaf_origins {
	struct pcr_page_origin page[PROV_NR][LEAF_PAGES];
	uint64_t isolated;
	uint64_t isolated_since_alloc;
};

/*
 * One 64-bit word of each bitmap, in one cache line. What the report needs about each page sits
 * apart in the leaf's origins: an event loads only this line and stores one origin record, so
 * the lines every event must load (the table and the leaves) stay few enough to be cached.
 */
struct pcr_leaf {
	_Alignas(64) uint64_t key;
	uint64_t primary;
	uint64_t secondary;
	uint64_t known;
	uint64_t had[PROV_NR];
	uint64_t last_was_alloc;
	struct leaf_origins *origins;
};

struct leaf_chunk {
	struct leaf_chunk *next;
	size_t used;
	struct pcr_leaf leaves[LEAVES_PER_CHUNK];
	struct leaf_origins origins[LEAVES_PER_CHUNK];
};

/* A table slot names both parts of a leaf, so a prefetch needs no load from the leaf. */
struct leaf_ref {
	struct pcr_leaf *leaf;
	struct leaf_origins *origins;
};

/*
 * Leaves are found through an open-addressing table keyed by word index. A library hash table
 * (glib, uthash) would box the 64-bit key or embed a handle in each leaf and call through a
 * function pointer per lookup; this table is one multiply, one shift and a linear probe.
 */
struct pcr_engine {
	struct pcr_options opts;
	struct pcr_stats stats;
	pcr_violation_fn violation_fn;
	void *violation_payload;
	struct leaf_ref *table;
	struct leaf_chunk *chunks;
	struct pcr_leaf *last_leaf;
	uint64_t base;
	size_t table_bits;
	size_t nr_leaves;
};

/* What one event did to one kind of violation, gathered over its pages. */
struct viol_acc {
	struct pcr_provenance last[PROV_NR];
	uint64_t first_pfn;
	uint64_t prev_ts;
	uint32_t pages;
	uint8_t prev_kind;
	uint8_t primary;
	uint8_t secondary;
	bool isolated;
	bool isolated_since_alloc;
};

static size_t leaf_slot(uint64_t key, size_t bits)
{
	/* Fibonacci hashing: consecutive word indexes spread over the whole table. */
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

#define HUGE_PAGE (2u << 20)

/*
 * Zeroed memory in transparent huge pages where the kernel gives them, aligned to one so that
 * none of it falls in 4 KiB pages: each first write to a 4 KiB page is a page fault, and on the
 * VMs measured a fault cost ~10 us (a quarter of a small replay, README "Speed").
 */
static void *huge_map(size_t bytes)
{
	size_t size = (bytes + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
	unsigned char *p = mmap(NULL, size + HUGE_PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t head;

	if (p == MAP_FAILED)
		return NULL;
	head = (HUGE_PAGE - ((uintptr_t)p & (HUGE_PAGE - 1))) & (HUGE_PAGE - 1);
	if (head)
		munmap(p, head);
	munmap(p + head + size, HUGE_PAGE - head);
#ifdef MADV_HUGEPAGE
	madvise(p + head, size, MADV_HUGEPAGE);
#endif
	return p + head;
}

static void huge_unmap(void *p, size_t bytes)
{
	if (p)
		munmap(p, (bytes + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1));
}

/* The table from 256 KiB up is mapped in huge pages, smaller ones come from calloc(). */
#define TABLE_HUGE_MIN (256u * 1024)

static struct leaf_ref *table_alloc(size_t bits)
{
	size_t bytes = sizeof(struct leaf_ref) << bits;

	return bytes < TABLE_HUGE_MIN ? calloc((size_t)1 << bits, sizeof(struct leaf_ref)) :
	       huge_map(bytes);
}

static void table_free(struct leaf_ref *table, size_t bits)
{
	size_t bytes = sizeof(struct leaf_ref) << bits;

	if (bytes < TABLE_HUGE_MIN)
		free(table);
	else
		huge_unmap(table, bytes);
}

static int table_grow(struct pcr_engine *engine)
{
	size_t bits = engine->table_bits ? engine->table_bits + 1 : TABLE_MIN_BITS;
	size_t size = (size_t)1 << bits;
	struct leaf_ref *table = table_alloc(bits);
	size_t i;

	if (!table)
		return -PCR_ERR_NOMEM;
	if (engine->table) {
		for (i = 0; i < ((size_t)1 << engine->table_bits); i++) {
			struct pcr_leaf *leaf = engine->table[i].leaf;
			size_t slot;

			if (!leaf)
				continue;
			slot = leaf_slot(leaf->key, bits);
			while (table[slot].leaf)
				slot = (slot + 1) & (size - 1);
			table[slot] = engine->table[i];
		}
		table_free(engine->table, engine->table_bits);
	}
	engine->table = table;
	engine->table_bits = bits;
	return 0;
}

static struct pcr_leaf *leaf_find(const struct pcr_engine *engine, uint64_t key)
{
	size_t mask = ((size_t)1 << engine->table_bits) - 1;
	size_t slot = leaf_slot(key, engine->table_bits);
	struct pcr_leaf *leaf;

	while ((leaf = engine->table[slot].leaf)) {
		if (leaf->key == key)
			return leaf;
		slot = (slot + 1) & mask;
	}
	return NULL;
}

/*
 * A chunk of leaves in one transparent huge page where the kernel gives one: a new page's state
 * is touched once, and 4 KiB pages made each chunk ~400 page faults (on the VMs measured, page
 * faults were a quarter of a small replay, README "Speed"). The mapping is zeroed by the kernel.
 */
#define CHUNK_BYTES ((sizeof(struct leaf_chunk) + (2u << 20) - 1) & ~(size_t)((2u << 20) - 1))

static struct leaf_chunk *chunk_alloc(void)
{
	return huge_map(CHUNK_BYTES);
}

static struct pcr_leaf *leaf_get(struct pcr_engine *engine, uint64_t key)
{
	struct pcr_leaf *leaf = engine->last_leaf;
	struct leaf_chunk *chunk;
	size_t mask, slot;

	if (leaf && leaf->key == key)
		return leaf;
	leaf = leaf_find(engine, key);
	if (leaf)
		return engine->last_leaf = leaf;

	if ((engine->nr_leaves + 1) * 2 > ((size_t)1 << engine->table_bits) &&
	    table_grow(engine))
		return NULL;
	chunk = engine->chunks;
	if (!chunk || chunk->used == LEAVES_PER_CHUNK) {
		chunk = chunk_alloc();
		if (!chunk)
			return NULL;
		chunk->used = 0;
		chunk->next = engine->chunks;
		engine->chunks = chunk;
	}
	leaf = &chunk->leaves[chunk->used];
	memset(leaf, 0, sizeof(*leaf));
	leaf->origins = &chunk->origins[chunk->used++];
	memset(leaf->origins, 0, sizeof(*leaf->origins));
	leaf->key = key;
	leaf->secondary = ~0ull;

	mask = ((size_t)1 << engine->table_bits) - 1;
	slot = leaf_slot(key, engine->table_bits);
	while (engine->table[slot].leaf)
		slot = (slot + 1) & mask;
	engine->table[slot] = (struct leaf_ref){ .leaf = leaf, .origins = leaf->origins };
	engine->nr_leaves++;
	return engine->last_leaf = leaf;
}

int pcr_engine_new(struct pcr_engine **out, const struct pcr_options *opts)
{
	struct pcr_options defaults = PCR_OPTIONS_INIT;
	struct pcr_engine *engine;

	if (!out)
		return -PCR_ERR_INVAL;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->pfn_range && opts->pfn_min >= opts->pfn_max)
		return -PCR_ERR_INVAL;
	if (opts->model != PCR_MODEL_WINDOW && opts->model != PCR_MODEL_KERNEL)
		return -PCR_ERR_INVAL;

	engine = calloc(1, sizeof(*engine));
	if (!engine)
		return -PCR_ERR_NOMEM;
	engine->opts = *opts;
	engine->base = opts->pfn_range ? opts->pfn_min : 0;
	if (table_grow(engine)) {
		free(engine);
		return -PCR_ERR_NOMEM;
	}
	if (opts->pfn_range) {
		engine->stats.have_range = true;
		engine->stats.pfn_min = opts->pfn_min;
		engine->stats.pfn_max = opts->pfn_max;
	}
	*out = engine;
	return 0;
}

void pcr_engine_free(struct pcr_engine *engine)
{
	struct leaf_chunk *chunk, *next;

	if (!engine)
		return;
	for (chunk = engine->chunks; chunk; chunk = next) {
		next = chunk->next;
		huge_unmap(chunk, CHUNK_BYTES);
	}
	table_free(engine->table, engine->table_bits);
	free(engine);
}

void pcr_engine_set_violation_fn(struct pcr_engine *engine, pcr_violation_fn fn, void *payload)
{
	engine->violation_fn = fn;
	engine->violation_payload = payload;
}

/* The RFC's pfn_in_range() for both ends of a block, with a range or without one. */
static bool block_in_range(const struct pcr_engine *engine, uint64_t pfn, uint64_t nr_pages)
{
	uint64_t last = pfn + nr_pages - 1;

	/* The range's end is exclusive, so no range holds the last pfn (nor a wrapped block). */
	if (last < pfn || last == UINT64_MAX)
		return false;
	if (!engine->opts.pfn_range)
		return true;
	return pfn >= engine->opts.pfn_min && last < engine->opts.pfn_max;
}

static void viol_note(struct viol_acc *acc, uint64_t pfn, const struct pcr_leaf *leaf,
		      unsigned int bit)
{
	int i;

	if ((leaf->origins->isolated >> bit) & 1)
		acc->isolated = true;
	if ((leaf->origins->isolated_since_alloc >> bit) & 1)
		acc->isolated_since_alloc = true;
	if (acc->pages++)
		return;
	acc->first_pfn = pfn;
	acc->prev_kind = PCR_EV_NONE;
	acc->prev_ts = 0;
	if (((leaf->had[PROV_ALLOC] | leaf->had[PROV_FREE]) >> bit) & 1) {
		int prev = ((leaf->last_was_alloc >> bit) & 1) ? PROV_ALLOC : PROV_FREE;

		acc->prev_kind = prev == PROV_ALLOC ? PCR_EV_ALLOC : PCR_EV_FREE;
		acc->prev_ts = leaf->origins->page[prev][bit].ts;
	}
	acc->primary = (leaf->primary >> bit) & 1;
	acc->secondary = (leaf->secondary >> bit) & 1;
	for (i = 0; i < PROV_NR; i++) {
		acc->last[i] = (struct pcr_provenance){
			.ts_ns = leaf->origins->page[i][bit].ts,
			.stack_id = leaf->origins->page[i][bit].stack,
			.pid = leaf->origins->page[i][bit].pid,
			.cpu = leaf->origins->page[i][bit].cpu,
			.valid = (leaf->had[i] >> bit) & 1,
		};
	}
}

static void viol_count(struct pcr_engine *engine, int kind, const struct viol_acc *acc)
{
	if (!acc->pages)
		return;
	engine->stats.violation_events[kind]++;
	engine->stats.violation_pages[kind] += acc->pages;
	engine->stats.violations_detected += acc->pages;
}

static int viol_emit(struct pcr_engine *engine, const struct pcr_event *ev, int kind,
		     const struct viol_acc *acc)
{
	struct pcr_violation v;

	if (!acc->pages || !engine->violation_fn)
		return 0;
	v = (struct pcr_violation){
		.event = ev,
		.first_pfn = acc->first_pfn,
		.prev_ts_ns = acc->prev_ts,
		.last_alloc = acc->last[PROV_ALLOC],
		.last_free = acc->last[PROV_FREE],
		.pages = acc->pages,
		.kind = (uint8_t)kind,
		.prev_kind = acc->prev_kind,
		.primary = acc->primary,
		.secondary = acc->secondary,
		.isolated = acc->isolated,
		.isolated_since_alloc = acc->isolated_since_alloc,
	};
	return engine->violation_fn(&v, engine->violation_payload) ? -PCR_ERR_STOPPED : 0;
}

/*
 * mark_page_state() of the RFC for every page of one alloc or free event: check the complement
 * invariant, test-and-set (alloc) or test-and-clear (free) PRIMARY and the opposite on SECONDARY,
 * and judge the old PRIMARY bit. Returns the number of real transitions.
 */
static int mark_block(struct pcr_engine *engine, const struct pcr_event *ev, bool is_alloc)
{
	/* A hook call says which system_state the kernel's gate read. */
	bool running = ev->kind == PCR_EV_HOOK_FREE ? ev->state >= PCR_SYSTEM_RUNNING :
			ev->ts_ns >= engine->opts.running_from_ns;
	bool window = engine->opts.model == PCR_MODEL_WINDOW;
	uint64_t nr_pages = 1ull << ev->order;
	int prov = is_alloc ? PROV_ALLOC : PROV_FREE;
	/* Only .pages is read before the first page fills the rest (zeroing all cost 8%). */
	struct viol_acc invariant, twice;
	uint64_t unseen = 0, boot_gated = 0;
	struct pcr_leaf *leaf = NULL;
	int64_t transitions = 0;
	int ret, twice_kind;
	uint64_t i;

	invariant.pages = 0;
	invariant.isolated = false;
	invariant.isolated_since_alloc = false;
	twice.pages = 0;
	twice.isolated = false;
	twice.isolated_since_alloc = false;
	for (i = 0; i < nr_pages; i++) {
		uint64_t pfn = ev->pfn + i;
		uint64_t bitno = pfn - engine->base;
		unsigned int bit = bitno & (LEAF_PAGES - 1);
		uint64_t mask = 1ull << bit;
		bool was_allocated, seen;

		if (!leaf || leaf->key != bitno >> LEAF_SHIFT) {
			leaf = leaf_get(engine, bitno >> LEAF_SHIFT);
			if (!leaf)
				return -PCR_ERR_NOMEM;
		}
		/* The complement invariant is checked before the update, which repairs it. */
		if (!(leaf->primary & mask) == !(leaf->secondary & mask))
			viol_note(&invariant, pfn, leaf, bit);

		was_allocated = leaf->primary & mask;
		seen = leaf->known & mask;
		if (is_alloc) {
			leaf->primary |= mask;
			leaf->secondary &= ~mask;
			if (was_allocated)
				viol_note(&twice, pfn, leaf, bit);
			else
				transitions++;
		} else {
			leaf->primary &= ~mask;
			leaf->secondary |= mask;
			if (was_allocated) {
				transitions--;
			} else {
				if (!seen)
					unseen++;
				/*
				 * The window model knows nothing of an unseen page, unless the
				 * recording starts at boot: then it has been free since
				 * memblock_free_all().
				 */
				if (seen || !window || engine->opts.from_boot) {
					if (running)
						viol_note(&twice, pfn, leaf, bit);
					else
						boot_gated++;
				}
			}
		}
		if (!seen) {
			leaf->known |= mask;
			engine->stats.pages_known++;
		}
		if (is_alloc)
			leaf->last_was_alloc |= mask;
		else
			leaf->last_was_alloc &= ~mask;
		leaf->had[prov] |= mask;
		leaf->origins->isolated &= ~mask;
		if (is_alloc)
			leaf->origins->isolated_since_alloc &= ~mask;
		leaf->origins->page[prov][bit] = (struct pcr_page_origin){
			.ts = ev->ts_ns,
			.stack = ev->stack_id,
			.pid = ev->pid,
			.cpu = ev->cpu,
		};
	}

	engine->stats.pages_tracked += transitions;
	if (unseen) {
		engine->stats.free_unseen_events++;
		engine->stats.free_unseen_pages += unseen;
	}
	if (boot_gated) {
		engine->stats.boot_free_unallocated_events++;
		engine->stats.boot_free_unallocated_pages += boot_gated;
	}
	if (!engine->opts.pfn_range) {
		uint64_t last = ev->pfn + nr_pages - 1;

		if (!engine->stats.have_range || ev->pfn < engine->stats.pfn_min)
			engine->stats.pfn_min = ev->pfn;
		if (!engine->stats.have_range || last + 1 > engine->stats.pfn_max)
			engine->stats.pfn_max = last + 1;
		engine->stats.have_range = true;
	}

	/* Everything is counted before anyone hears of it, so a caller that stops loses nothing. */
	twice_kind = is_alloc ? PCR_VIOL_DOUBLE_ALLOC : PCR_VIOL_DOUBLE_FREE;
	viol_count(engine, PCR_VIOL_INVARIANT, &invariant);
	viol_count(engine, twice_kind, &twice);
	ret = viol_emit(engine, ev, PCR_VIOL_INVARIANT, &invariant);
	if (ret)
		return ret;
	return viol_emit(engine, ev, twice_kind, &twice);
}

static void note_batched(struct pcr_engine *engine, const struct pcr_event *ev)
{
	const struct pcr_leaf *leaf;
	uint64_t bitno;
	uint64_t mask;

	engine->stats.batched_free_notices++;
	if (ev->pfn == PCR_PFN_NONE || !block_in_range(engine, ev->pfn, 1))
		return;
	bitno = ev->pfn - engine->base;
	mask = 1ull << (bitno & (LEAF_PAGES - 1));
	leaf = leaf_find(engine, bitno >> LEAF_SHIFT);
	/* The notice follows the page's mm_page_free: it must have been seen, and freed. */
	if (!leaf || !(leaf->known & mask) || (leaf->primary & mask))
		engine->stats.batched_free_unmatched++;
}

void pcr_engine_prefetch(const struct pcr_engine *engine, const struct pcr_event *ev, bool near)
{
	const struct leaf_ref *ref;
	uint64_t bitno;

	if ((ev->kind != PCR_EV_ALLOC && ev->kind != PCR_EV_FREE) || ev->pfn < engine->base)
		return;
	bitno = ev->pfn - engine->base;
	/* The slot the lookup probes first: nearly always the leaf's own. */
	ref = &engine->table[leaf_slot(bitno >> LEAF_SHIFT, engine->table_bits)];
	/* Far ahead, only the slot: reading it then would wait for memory. */
	if (!near) {
		__builtin_prefetch(ref);
		return;
	}
	if (!ref->leaf)
		return;
	__builtin_prefetch(ref->leaf, 1);
	__builtin_prefetch(&ref->origins->page[ev->kind == PCR_EV_ALLOC ? PROV_ALLOC : PROV_FREE]
					      [bitno & (LEAF_PAGES - 1)], 1);
}

/*
 * Compaction isolated free pages somewhere in [pfn, pfn_end]: mark the pages not allocated,
 * seen or not (compaction frees a page it isolated before the recording saw it), until their
 * next alloc or free. The range is the scan's, not the pages taken: a page scanned but left
 * counts as isolated too.
 */
static void isolate_leaf(struct pcr_leaf *leaf, uint64_t first, uint64_t last)
{
	uint64_t lo = leaf->key << LEAF_SHIFT, hi = lo + LEAF_PAGES - 1;
	uint64_t mask = ~0ull;

	if (last < lo || first > hi)
		return;
	if (first > lo)
		mask &= ~0ull << (first - lo);
	if (last < hi)
		mask &= ~0ull >> (hi - last);
	mask &= ~leaf->primary;
	leaf->origins->isolated |= mask;
	leaf->origins->isolated_since_alloc |= mask;
}

/* Pages of an isolation range for which leaves are made: a pageblock (2^9 pages) and more. */
#define ISOLATE_NEW_LEAVES_MAX 4096u

static int note_isolation(struct pcr_engine *engine, const struct pcr_event *ev)
{
	uint64_t first, last, key;
	struct leaf_chunk *chunk;
	size_t i;

	if (ev->pfn_end < ev->pfn || ev->pfn_end < engine->base)
		return 0;
	first = ev->pfn < engine->base ? 0 : ev->pfn - engine->base;
	last = ev->pfn_end - engine->base;
	/* A range wider than the pages ever seen: walk those instead of the range. */
	if ((last >> LEAF_SHIFT) - (first >> LEAF_SHIFT) > engine->nr_leaves &&
	    last - first >= ISOLATE_NEW_LEAVES_MAX) {
		for (chunk = engine->chunks; chunk; chunk = chunk->next)
			for (i = 0; i < chunk->used; i++)
				isolate_leaf(&chunk->leaves[i], first, last);
		return 0;
	}
	for (key = first >> LEAF_SHIFT; key <= last >> LEAF_SHIFT; key++) {
		/* A pageblock's scan makes its leaves: its pages' first events may be frees. */
		struct pcr_leaf *leaf = last - first < ISOLATE_NEW_LEAVES_MAX ?
					leaf_get(engine, key) : leaf_find(engine, key);

		if (!leaf && last - first < ISOLATE_NEW_LEAVES_MAX)
			return -PCR_ERR_NOMEM;
		if (leaf)
			isolate_leaf(leaf, first, last);
	}
	return 0;
}

/* The checker's range from its init, unless --pfn-range gave one. */
static void hook_init(struct pcr_engine *engine, const struct pcr_event *ev)
{
	if (engine->opts.pfn_range || ev->pfn >= ev->pfn_end)
		return;
	engine->opts.pfn_range = true;
	engine->opts.pfn_min = ev->pfn;
	engine->opts.pfn_max = ev->pfn_end;
	engine->stats.have_range = true;
	engine->stats.pfn_min = ev->pfn;
	engine->stats.pfn_max = ev->pfn_end;
}

/* The RFC's __page_consistency_alloc/free(): range check, call count, every page's update. */
static int replay_block(struct pcr_engine *engine, const struct pcr_event *ev, bool is_alloc)
{
	if (!block_in_range(engine, ev->pfn, 1ull << ev->order)) {
		engine->stats.out_of_range_events++;
		return 0;
	}
	if (is_alloc)
		engine->stats.alloc_count++;
	else
		engine->stats.free_count++;
	return mark_block(engine, ev, is_alloc);
}

int pcr_engine_feed(struct pcr_engine *engine, const struct pcr_event *ev)
{
	bool hooks;

	if (!engine || !ev || ev->kind >= PCR_EV_NR || ev->kind == PCR_EV_NONE)
		return -PCR_ERR_INVAL;
	if (ev->order > PCR_MAX_ORDER &&
	    (ev->kind == PCR_EV_ALLOC || ev->kind == PCR_EV_FREE || ev->kind == PCR_EV_HOOK_ALLOC ||
	     ev->kind == PCR_EV_HOOK_FREE))
		return -PCR_ERR_INVAL;

	engine->stats.events[ev->kind]++;
	if (ev->kind >= PCR_EV_FIRST_MARKER)
		engine->stats.events[PCR_EV_OTHER]++;
	/* The hook calls drive the bitmaps when replayed; the kmem page events then only count. */
	hooks = engine->opts.replay_hooks;
	switch (ev->kind) {
	case PCR_EV_ALLOC:
		if (ev->pfn == PCR_PFN_NONE) {
			/* post_alloc_hook() never runs for a failed allocation. */
			engine->stats.failed_allocs++;
			return 0;
		}
		return hooks ? 0 : replay_block(engine, ev, true);
	case PCR_EV_FREE:
		return hooks ? 0 : replay_block(engine, ev, false);
	case PCR_EV_HOOK_ALLOC:
	case PCR_EV_HOOK_FREE:
		return hooks ? replay_block(engine, ev, ev->kind == PCR_EV_HOOK_ALLOC) : 0;
	case PCR_EV_HOOK_INIT:
		if (hooks)
			hook_init(engine, ev);
		return 0;
	case PCR_EV_FREE_BATCHED:
		/* Matching a notice to its free needs the kmem replay's state. */
		if (hooks)
			engine->stats.batched_free_notices++;
		else
			note_batched(engine, ev);
		return 0;
	case PCR_EV_ISOLATE:
		return note_isolation(engine, ev);
	case PCR_EV_LOST:
		engine->stats.lost_events += ev->lost;
		if (!ev->lost)
			engine->stats.lost_unknown++;
		return 0;
	default:
		return 0;
	}
}

uint64_t pcr_engine_validate(struct pcr_engine *engine)
{
	const struct leaf_chunk *chunk;
	uint64_t words = 0;
	size_t i;

	for (chunk = engine->chunks; chunk; chunk = chunk->next)
		for (i = 0; i < chunk->used; i++)
			if (chunk->leaves[i].primary != ~chunk->leaves[i].secondary)
				words++;
	engine->stats.validate_words = words;
	engine->stats.violations_detected += words;
	engine->stats.validated = true;
	return words;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

size_t pcr_engine_inconsistent_words(const struct pcr_engine *engine, uint64_t *pfns,
				     size_t max)
{
	const struct leaf_chunk *chunk;
	size_t n = 0, i;

	for (chunk = engine->chunks; chunk; chunk = chunk->next)
		for (i = 0; i < chunk->used; i++)
			if (chunk->leaves[i].primary != ~chunk->leaves[i].secondary) {
				if (n < max)
					pfns[n] = engine->base +
						  (chunk->leaves[i].key << LEAF_SHIFT);
				n++;
			}
	if (n > 1)
		qsort(pfns, n < max ? n : max, sizeof(*pfns), u64_cmp);
	return n;
}

int pcr_engine_flip(struct pcr_engine *engine, uint64_t pfn, enum pcr_bitmap which)
{
	struct pcr_leaf *leaf;
	uint64_t bitno;
	uint64_t mask;

	if (pfn == PCR_PFN_NONE || !block_in_range(engine, pfn, 1))
		return -PCR_ERR_INVAL;
	bitno = pfn - engine->base;
	leaf = leaf_get(engine, bitno >> LEAF_SHIFT);
	if (!leaf)
		return -PCR_ERR_NOMEM;
	mask = 1ull << (bitno & (LEAF_PAGES - 1));
	if (which == PCR_BITMAP_PRIMARY)
		leaf->primary ^= mask;
	else
		leaf->secondary ^= mask;
	return 0;
}

int pcr_engine_page_state(const struct pcr_engine *engine, uint64_t pfn, int *primary,
			  int *secondary)
{
	const struct pcr_leaf *leaf;
	unsigned int bit;
	uint64_t bitno;

	if (pfn == PCR_PFN_NONE || !block_in_range(engine, pfn, 1))
		return -PCR_ERR_INVAL;
	bitno = pfn - engine->base;
	bit = bitno & (LEAF_PAGES - 1);
	leaf = leaf_find(engine, bitno >> LEAF_SHIFT);
	if (!leaf) {
		*primary = 0;
		*secondary = 1;
		return 0;
	}
	*primary = (leaf->primary >> bit) & 1;
	*secondary = (leaf->secondary >> bit) & 1;
	return (leaf->known >> bit) & 1;
}

void pcr_engine_set_boot(struct pcr_engine *engine, uint64_t running_from_ns, bool from_boot)
{
	engine->opts.running_from_ns = running_from_ns;
	engine->opts.from_boot = from_boot;
}

void pcr_engine_replay_hooks(struct pcr_engine *engine, bool on)
{
	engine->opts.replay_hooks = on;
}

void pcr_engine_stats(const struct pcr_engine *engine, struct pcr_stats *out)
{
	*out = engine->stats;
	out->bitmap_size_bits = out->have_range ? out->pfn_max - out->pfn_min : 0;
	/* Leaves in use: a chunk's untouched tail costs address space, not resident memory. */
	out->state_bytes = sizeof(*engine) +
			   engine->nr_leaves * (sizeof(struct pcr_leaf) + sizeof(struct leaf_origins)) +
			   (sizeof(*engine->table) << engine->table_bits);
}
