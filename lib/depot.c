// SPDX-License-Identifier: GPL-2.0
/*
 * The stack depot: each distinct stack is stored once and named by a small id, as the kernel's
 * lib/stackdepot.c does, so that a recording with millions of stack records costs memory per
 * distinct stack.
 */
#include <pthread.h>
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

/*
 * A reader thread adds stacks while the replay thread reports them (cmd/pipeline.c): every call
 * holds @lock. A stack's frames never move once stored, so they are read after it is released.
 */
struct pcr_depot {
	pthread_mutex_t lock;
	struct depot_record **records;	/* by id - 1 */
	uint32_t *table;		/* open addressing: id, 0 = empty */
	struct depot_pool *pools;
	size_t nr_records;
	size_t cap_records;
	size_t table_bits;
	uint64_t frames;
	uint64_t bytes;		/* pool memory allocated */
	uint64_t used;		/* pool memory holding stacks */
};

int pcr_depot_new(struct pcr_depot **out)
{
	struct pcr_depot *depot = calloc(1, sizeof(*depot));

	*out = NULL;
	if (!depot)
		return -PCR_ERR_NOMEM;
	pthread_mutex_init(&depot->lock, NULL);
	depot->table_bits = DEPOT_TABLE_MIN_BITS;
	depot->table = calloc((size_t)1 << depot->table_bits, sizeof(*depot->table));
	if (!depot->table) {
		free(depot);
		return -PCR_ERR_NOMEM;
	}
	*out = depot;
	return 0;
}

void pcr_depot_free(struct pcr_depot *depot)
{
	struct depot_pool *pool, *next;

	if (!depot)
		return;
	for (pool = depot->pools; pool; pool = next) {
		next = pool->next;
		free(pool);
	}
	free(depot->records);
	free(depot->table);
	pthread_mutex_destroy(&depot->lock);
	free(depot);
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

static int depot_grow(struct pcr_depot *depot)
{
	size_t bits = depot->table_bits + 1;
	size_t size = (size_t)1 << bits, i;
	uint32_t *table = calloc(size, sizeof(*table));

	if (!table)
		return -PCR_ERR_NOMEM;
	for (i = 0; i < depot->nr_records; i++) {
		size_t slot = depot_slot(depot->records[i]->hash, bits);

		while (table[slot])
			slot = (slot + 1) & (size - 1);
		table[slot] = (uint32_t)(i + 1);
	}
	free(depot->table);
	depot->table = table;
	depot->table_bits = bits;
	return 0;
}

static int depot_add(struct pcr_depot *depot, const uint64_t *frames, unsigned int nr_frames,
		     uint32_t *id)
{
	size_t bytes = nr_frames * sizeof(*frames);
	uint64_t hash = XXH3_64bits(frames, bytes);
	struct depot_record *rec;
	size_t mask, slot;

	*id = 0;
	if (!nr_frames)
		return 0;
	mask = ((size_t)1 << depot->table_bits) - 1;
	for (slot = depot_slot(hash, depot->table_bits); depot->table[slot];
	     slot = (slot + 1) & mask) {
		rec = depot->records[depot->table[slot] - 1];
		if (rec->hash == hash && rec->nr_frames == nr_frames &&
		    !memcmp(rec->frames, frames, bytes)) {
			*id = depot->table[slot];
			return 0;
		}
	}
	if (depot->nr_records >= UINT32_MAX - 1)
		return -PCR_ERR_NOMEM;
	if ((depot->nr_records + 1) * 2 > mask + 1) {
		if (depot_grow(depot))
			return -PCR_ERR_NOMEM;
		mask = ((size_t)1 << depot->table_bits) - 1;
		for (slot = depot_slot(hash, depot->table_bits); depot->table[slot];
		     slot = (slot + 1) & mask)
			;
	}
	if (depot->nr_records == depot->cap_records) {
		size_t cap = depot->cap_records ? depot->cap_records * 2 : 1024;
		struct depot_record **records = realloc(depot->records, cap * sizeof(*records));

		if (!records)
			return -PCR_ERR_NOMEM;
		depot->records = records;
		depot->cap_records = cap;
	}
	rec = pool_alloc(depot, sizeof(*rec) + bytes);
	if (!rec)
		return -PCR_ERR_NOMEM;
	rec->hash = hash;
	rec->nr_frames = nr_frames;
	rec->pad = 0;
	memcpy(rec->frames, frames, bytes);
	depot->records[depot->nr_records++] = rec;
	depot->table[slot] = (uint32_t)depot->nr_records;
	depot->frames += nr_frames;
	*id = (uint32_t)depot->nr_records;
	return 0;
}

int pcr_depot_add(struct pcr_depot *depot, const uint64_t *frames, unsigned int nr_frames,
		  uint32_t *id)
{
	int ret;

	pthread_mutex_lock(&depot->lock);
	ret = depot_add(depot, frames, nr_frames, id);
	pthread_mutex_unlock(&depot->lock);
	return ret;
}

/* The lookups change nothing but the lock: a const depot is locked through a cast. */
static pthread_mutex_t *depot_lock(const struct pcr_depot *depot)
{
	return (pthread_mutex_t *)&depot->lock;
}

int pcr_depot_get(const struct pcr_depot *depot, uint32_t id, const uint64_t **frames,
		  unsigned int *nr_frames)
{
	const struct depot_record *rec = NULL;

	pthread_mutex_lock(depot_lock(depot));
	if (id && id <= depot->nr_records)
		rec = depot->records[id - 1];
	pthread_mutex_unlock(depot_lock(depot));
	if (!rec)
		return -PCR_ERR_INVAL;
	*frames = rec->frames;
	*nr_frames = rec->nr_frames;
	return 0;
}

void pcr_depot_stats(const struct pcr_depot *depot, uint64_t *stacks, uint64_t *frames,
		     uint64_t *bytes)
{
	pthread_mutex_lock(depot_lock(depot));
	*stacks = depot->nr_records;
	*frames = depot->frames;
	*bytes = depot->used + sizeof(*depot) +
		 depot->cap_records * sizeof(*depot->records) +
		 (sizeof(*depot->table) << depot->table_bits);
	pthread_mutex_unlock(depot_lock(depot));
}
