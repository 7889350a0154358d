// SPDX-License-Identifier: GPL-2.0
/*
 * The stack depot: each distinct stack is stored once and named by a small id, as the kernel's
 * lib/stackdepot.c does, so that a recording with millions of stack records costs memory per
 * distinct stack.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "pagecheck.h"

#define DEPOT_TABLE_MIN_BITS 10
#define DEPOT_POOL_BYTES (1u << 20)

struct depot_record {
	uint64_t hash;
	uint32_t nr_frames;
	uint32_t pad;
	uint64_t frames[];
};

struct depot_pool {
	struct depot_pool *next;
	size_t used;
	size_t size;
	unsigned char data[];
};

/* An index or record array replaced by a larger one, kept for the lookups that may read it. */
struct depot_retired {
	struct depot_retired *next;
	void *block;
};

/* The hash index: open addressing, each slot a stack's id or 0 for empty. */
struct depot_table {
	size_t bits;
	_Atomic uint32_t slots[];
};

/*
 * A reader thread adds stacks while the replay thread reports them (cmd/pipeline.c), and with
 * --inject the replay thread adds some too. Adding a stack the depot holds already, and getting
 * one, take no lock: a stack's frames never move once stored, an id is published in the index
 * (release) only after its record and the array that holds it, and an index or array replaced
 * when it grows stays allocated until the depot is freed (@retired), so a lookup that loaded the
 * old one reads valid memory. Storing a new stack takes @lock and looks again under it. On
 * two threads the lock taken for every stack record was 11 % of the samples of testdata's t13
 * (README "Speed").
 */
struct pcr_depot {
	pthread_mutex_t lock;
	struct depot_record **_Atomic records;	/* by id - 1 */
	_Atomic size_t nr_records;
	struct depot_table *_Atomic table;
	/* under @lock: */
	struct depot_retired *retired;
	struct depot_pool *pools;
	size_t cap_records;
	uint64_t frames;
	uint64_t bytes;		/* pool memory allocated */
	uint64_t used;		/* pool memory holding stacks */
};

static struct depot_table *table_new(size_t bits)
{
	struct depot_table *t = calloc(1, sizeof(*t) + (sizeof(t->slots[0]) << bits));

	if (t)
		t->bits = bits;
	return t;
}

int pcr_depot_new(struct pcr_depot **out)
{
	struct pcr_depot *depot = calloc(1, sizeof(*depot));
	struct depot_table *table = table_new(DEPOT_TABLE_MIN_BITS);

	*out = NULL;
	if (!depot || !table) {
		free(depot);
		free(table);
		return -PCR_ERR_NOMEM;
	}
	pthread_mutex_init(&depot->lock, NULL);
	atomic_init(&depot->table, table);
	atomic_init(&depot->records, NULL);
	atomic_init(&depot->nr_records, 0);
	*out = depot;
	return 0;
}

void pcr_depot_free(struct pcr_depot *depot)
{
	struct depot_retired *old, *next_old;
	struct depot_pool *pool, *next;

	if (!depot)
		return;
	for (pool = depot->pools; pool; pool = next) {
		next = pool->next;
		free(pool);
	}
	for (old = depot->retired; old; old = next_old) {
		next_old = old->next;
		free(old->block);
		free(old);
	}
	free(atomic_load_explicit(&depot->records, memory_order_relaxed));
	free(atomic_load_explicit(&depot->table, memory_order_relaxed));
	pthread_mutex_destroy(&depot->lock);
	free(depot);
}

/* Keeps a replaced index or array for lookups that may still read it; under the lock. */
static int retire(struct pcr_depot *depot, void *old)
{
	struct depot_retired *r;

	if (!old)
		return 0;
	r = malloc(sizeof(*r));
	if (!r)
		return -PCR_ERR_NOMEM;
	r->block = old;
	r->next = depot->retired;
	depot->retired = r;
	return 0;
}

static void *pool_alloc(struct pcr_depot *depot, size_t bytes)
{
	struct depot_pool *pool = depot->pools;
	void *p;

	bytes = (bytes + 7) & ~(size_t)7;
	if (!pool || pool->size - pool->used < bytes) {
		size_t size = bytes > DEPOT_POOL_BYTES ? bytes : DEPOT_POOL_BYTES;

		pool = malloc(sizeof(*pool) + size);
		if (!pool)
			return NULL;
		pool->next = depot->pools;
		pool->used = 0;
		pool->size = size;
		depot->pools = pool;
		depot->bytes += sizeof(*pool) + size;
	}
	p = pool->data + pool->used;
	pool->used += bytes;
	depot->used += bytes;
	return p;
}

static size_t depot_slot(uint64_t hash, size_t bits)
{
	return (size_t)(hash >> (64 - bits));
}

/* The id of the stored stack with these frames, 0 if none; no lock. */
static uint32_t depot_find(const struct pcr_depot *depot, const uint64_t *frames, size_t bytes,
			   unsigned int nr_frames, uint64_t hash)
{
	struct depot_table *t = atomic_load_explicit(&depot->table, memory_order_acquire);
	size_t mask = ((size_t)1 << t->bits) - 1, slot;
	uint32_t id;

	for (slot = depot_slot(hash, t->bits);
	     (id = atomic_load_explicit(&t->slots[slot], memory_order_acquire));
	     slot = (slot + 1) & mask) {
		struct depot_record **records =
			atomic_load_explicit(&depot->records, memory_order_acquire);
		const struct depot_record *rec = records[id - 1];

		if (rec->hash == hash && rec->nr_frames == nr_frames &&
		    !memcmp(rec->frames, frames, bytes))
			return id;
	}
	return 0;
}

/* Under the lock: a twice larger index, published whole. */
static int depot_grow(struct pcr_depot *depot)
{
	struct depot_table *old = atomic_load_explicit(&depot->table, memory_order_relaxed);
	struct depot_record **records = atomic_load_explicit(&depot->records, memory_order_relaxed);
	size_t nr = atomic_load_explicit(&depot->nr_records, memory_order_relaxed);
	struct depot_table *t = table_new(old->bits + 1);
	size_t mask, i;

	if (!t || retire(depot, old)) {
		free(t);
		return -PCR_ERR_NOMEM;
	}
	mask = ((size_t)1 << t->bits) - 1;
	for (i = 0; i < nr; i++) {
		size_t slot = depot_slot(records[i]->hash, t->bits);

		while (atomic_load_explicit(&t->slots[slot], memory_order_relaxed))
			slot = (slot + 1) & mask;
		atomic_store_explicit(&t->slots[slot], (uint32_t)(i + 1), memory_order_relaxed);
	}
	atomic_store_explicit(&depot->table, t, memory_order_release);
	return 0;
}

/* Under the lock: room for one more record, the array replaced by a copy when full. */
static int records_room(struct pcr_depot *depot, size_t nr)
{
	struct depot_record **old = atomic_load_explicit(&depot->records, memory_order_relaxed);
	struct depot_record **records;
	size_t cap;

	if (nr < depot->cap_records)
		return 0;
	cap = depot->cap_records ? depot->cap_records * 2 : 1024;
	records = malloc(cap * sizeof(*records));
	if (!records || retire(depot, old)) {
		free(records);
		return -PCR_ERR_NOMEM;
	}
	if (nr)
		memcpy(records, old, nr * sizeof(*records));
	depot->cap_records = cap;
	atomic_store_explicit(&depot->records, records, memory_order_release);
	return 0;
}

/* Under the lock: stores a stack that depot_find() did not find. */
static int depot_insert(struct pcr_depot *depot, const uint64_t *frames, size_t bytes,
			unsigned int nr_frames, uint64_t hash, uint32_t *id)
{
	size_t nr = atomic_load_explicit(&depot->nr_records, memory_order_relaxed);
	struct depot_table *t = atomic_load_explicit(&depot->table, memory_order_relaxed);
	struct depot_record *rec;
	size_t mask, slot;

	if (nr >= UINT32_MAX - 1)
		return -PCR_ERR_NOMEM;
	if ((nr + 1) * 2 > ((size_t)1 << t->bits)) {
		if (depot_grow(depot))
			return -PCR_ERR_NOMEM;
		t = atomic_load_explicit(&depot->table, memory_order_relaxed);
	}
	if (records_room(depot, nr))
		return -PCR_ERR_NOMEM;
	rec = pool_alloc(depot, sizeof(*rec) + bytes);
	if (!rec)
		return -PCR_ERR_NOMEM;
	rec->hash = hash;
	rec->nr_frames = nr_frames;
	rec->pad = 0;
	memcpy(rec->frames, frames, bytes);
	atomic_load_explicit(&depot->records, memory_order_relaxed)[nr] = rec;
	depot->frames += nr_frames;
	atomic_store_explicit(&depot->nr_records, nr + 1, memory_order_release);
	mask = ((size_t)1 << t->bits) - 1;
	for (slot = depot_slot(hash, t->bits);
	     atomic_load_explicit(&t->slots[slot], memory_order_relaxed);
	     slot = (slot + 1) & mask)
		;
	/* Last: a lookup that sees the id finds the record it names. */
	atomic_store_explicit(&t->slots[slot], (uint32_t)(nr + 1), memory_order_release);
	*id = (uint32_t)(nr + 1);
	return 0;
}

int pcr_depot_add(struct pcr_depot *depot, const uint64_t *frames, unsigned int nr_frames,
		  uint32_t *id)
{
	size_t bytes = nr_frames * sizeof(*frames);
	uint64_t hash;
	int ret = 0;

	*id = 0;
	if (!nr_frames)
		return 0;
	hash = XXH3_64bits(frames, bytes);
	*id = depot_find(depot, frames, bytes, nr_frames, hash);
	if (*id)
		return 0;
	pthread_mutex_lock(&depot->lock);
	/* Another thread may have stored it since. */
	*id = depot_find(depot, frames, bytes, nr_frames, hash);
	if (!*id)
		ret = depot_insert(depot, frames, bytes, nr_frames, hash, id);
	pthread_mutex_unlock(&depot->lock);
	return ret;
}

int pcr_depot_get(const struct pcr_depot *depot, uint32_t id, const uint64_t **frames,
		  unsigned int *nr_frames)
{
	const struct depot_record *rec;

	if (!id || id > atomic_load_explicit(&depot->nr_records, memory_order_acquire))
		return -PCR_ERR_INVAL;
	rec = atomic_load_explicit(&depot->records, memory_order_acquire)[id - 1];
	*frames = rec->frames;
	*nr_frames = rec->nr_frames;
	return 0;
}

/* The lookups change nothing but the lock: a const depot is locked through a cast. */
static pthread_mutex_t *depot_lock(const struct pcr_depot *depot)
{
	return (pthread_mutex_t *)&depot->lock;
}

void pcr_depot_stats(const struct pcr_depot *depot, uint64_t *stacks, uint64_t *frames,
		     uint64_t *bytes)
{
	pthread_mutex_lock(depot_lock(depot));
	*stacks = atomic_load_explicit(&depot->nr_records, memory_order_relaxed);
	*frames = depot->frames;
	*bytes = depot->used + sizeof(*depot) + depot->cap_records * sizeof(struct depot_record *) +
		 (sizeof(uint32_t) << atomic_load_explicit(&depot->table, memory_order_relaxed)->bits);
	pthread_mutex_unlock(depot_lock(depot));
}
