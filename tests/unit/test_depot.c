// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the stack depot (lib/depot.c): each distinct stack stored once, named by an id.
 *
 * The stacks are hand-made arrays of return addresses; what each add must return is worked out
 * from the header's promises (same frames, same id; 0 for an empty stack; ids from 1) in the
 * comment above each test.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "expect.h"

#include "pagecheck.h"

#define NR(a) (unsigned int)(sizeof(a) / sizeof((a)[0]))

static struct pcr_depot *new_depot(void)
{
	struct pcr_depot *depot = NULL;

	cr_assert_eq(pcr_depot_new(&depot), 0, "pcr_depot_new failed");
	cr_assert_not_null(depot);
	return depot;
}

static uint32_t add_ok(struct pcr_depot *depot, const uint64_t *frames, unsigned int nr)
{
	uint32_t id = UINT32_MAX;
	int ret = pcr_depot_add(depot, frames, nr, &id);

	cr_assert_eq(ret, 0, "pcr_depot_add of %u frames returned %d", nr, ret);
	return id;
}

/* pcr_depot_get must return exactly @nr frames equal to @frames. */
static void expect_frames(const struct pcr_depot *depot, uint32_t id, const uint64_t *frames,
			  unsigned int nr)
{
	const uint64_t *got = NULL;
	unsigned int got_nr = 0, i;
	int ret = pcr_depot_get(depot, id, &got, &got_nr);

	cr_assert_eq(ret, 0, "pcr_depot_get(%u) returned %d", (unsigned int)id, ret);
	cr_assert_eq(got_nr, nr, "stack %u: %u frames, expected %u", (unsigned int)id, got_nr, nr);
	for (i = 0; i < nr; i++)
		cr_expect_eq(got[i], frames[i],
			     "stack %u frame %u: 0x%" PRIx64 ", expected 0x%" PRIx64,
			     (unsigned int)id, i, got[i], frames[i]);
}

/* A page free as trace-cmd -T recorded it (testdata README), and an alloc. */
static const uint64_t free_stack[] = {
	0xffffffff815c6f46, 0xffffffff81619b3a, 0xffffffff815cd1b3, 0xffffffff8166b21b,
};
static const uint64_t alloc_stack[] = {
	0xffffffff815c70ba, 0xffffffff815c5ad1, 0xffffffff8161f78b, 0xffffffff81658d16,
	0xffffffff81658fdc, 0xffffffff815e55c0, 0xffffffff815ec0e4,
};

/*
 * Fresh depot: free_stack -> id 1 (ids start at 1), alloc_stack -> 2, free_stack again -> 1,
 * alloc_stack again -> 2, a copy of free_stack in another array -> 1 (frames compared, not
 * pointers). Each id reads back its frames.
 */
Test(depot, same_frames_same_id)
{
	struct pcr_depot *depot = new_depot();
	uint64_t copy[NR(free_stack)];

	EXPECT_U64(add_ok(depot, free_stack, NR(free_stack)), 1);
	EXPECT_U64(add_ok(depot, alloc_stack, NR(alloc_stack)), 2);
	EXPECT_U64(add_ok(depot, free_stack, NR(free_stack)), 1);
	EXPECT_U64(add_ok(depot, alloc_stack, NR(alloc_stack)), 2);
	memcpy(copy, free_stack, sizeof(copy));
	EXPECT_U64(add_ok(depot, copy, NR(copy)), 1);
	expect_frames(depot, 1, free_stack, NR(free_stack));
	expect_frames(depot, 2, alloc_stack, NR(alloc_stack));
	pcr_depot_free(depot);
}

/*
 * Stacks that differ anywhere are different stacks, and so are prefixes of one another:
 *   {a,b,c} -> 1, {a,b} -> 2 (prefix), {a,b,c,d} -> 3 (extension), {a,c,b} -> 4 (order),
 *   {a,b,c+1} -> 5 (last frame), {b} -> 6, {0} -> 7, {0,0} -> 8 (a zero frame and lengths).
 * Re-adding each gives its id again; each reads back its own frames and length.
 */
Test(depot, different_frames_or_lengths_different_ids)
{
	static const uint64_t a = 0xffffffff81000010, b = 0xffffffff81000020,
			      c = 0xffffffff81000030, d = 0xffffffff81000040;
	const uint64_t s1[] = { a, b, c }, s2[] = { a, b }, s3[] = { a, b, c, d },
		       s4[] = { a, c, b }, s5[] = { a, b, c + 1 }, s6[] = { b }, s7[] = { 0 },
		       s8[] = { 0, 0 };
	const uint64_t *stacks[] = { s1, s2, s3, s4, s5, s6, s7, s8 };
	const unsigned int lens[] = { 3, 2, 4, 3, 3, 1, 1, 2 };
	struct pcr_depot *depot = new_depot();
	unsigned int i;

	for (i = 0; i < NR(stacks); i++)
		EXPECT_U64(add_ok(depot, stacks[i], lens[i]), i + 1);
	for (i = 0; i < NR(stacks); i++) {
		EXPECT_U64(add_ok(depot, stacks[i], lens[i]), i + 1);
		expect_frames(depot, i + 1, stacks[i], lens[i]);
	}
	pcr_depot_free(depot);
}

/*
 * An empty stack has id 0 and is not stored: add of 0 frames -> id 0, stats 0 stacks 0 frames;
 * the next real stack still gets id 1. pcr_depot_get(0) is -PCR_ERR_INVAL (0 names no stack).
 */
Test(depot, empty_stack_is_id_0)
{
	struct pcr_depot *depot = new_depot();
	uint64_t stacks = 9, frames = 9, bytes = 0;
	const uint64_t *got = NULL;
	unsigned int nr = 0;

	EXPECT_U64(add_ok(depot, free_stack, 0), 0);
	pcr_depot_stats(depot, &stacks, &frames, &bytes);
	EXPECT_U64(stacks, 0);
	EXPECT_U64(frames, 0);
	EXPECT_I64(pcr_depot_get(depot, 0, &got, &nr), -PCR_ERR_INVAL);
	EXPECT_U64(add_ok(depot, free_stack, NR(free_stack)), 1);
	EXPECT_U64(add_ok(depot, free_stack, 0), 0);
	pcr_depot_free(depot);
}

/*
 * Unknown ids: an empty depot knows none (1 and UINT32_MAX are -PCR_ERR_INVAL); with two stacks,
 * ids 1 and 2 exist and 3 does not.
 */
Test(depot, unknown_id_is_inval)
{
	struct pcr_depot *depot = new_depot();
	const uint64_t *got = NULL;
	unsigned int nr = 0;

	EXPECT_I64(pcr_depot_get(depot, 1, &got, &nr), -PCR_ERR_INVAL);
	EXPECT_I64(pcr_depot_get(depot, UINT32_MAX, &got, &nr), -PCR_ERR_INVAL);
	add_ok(depot, free_stack, NR(free_stack));
	add_ok(depot, alloc_stack, NR(alloc_stack));
	EXPECT_I64(pcr_depot_get(depot, 1, &got, &nr), 0);
	EXPECT_I64(pcr_depot_get(depot, 2, &got, &nr), 0);
	EXPECT_I64(pcr_depot_get(depot, 3, &got, &nr), -PCR_ERR_INVAL);
	EXPECT_I64(pcr_depot_get(depot, UINT32_MAX, &got, &nr), -PCR_ERR_INVAL);
	pcr_depot_free(depot);
}

/*
 * Counters: free_stack (4 frames) and alloc_stack (7) -> 2 stacks, 11 frames; adding them again
 * changes nothing (stored once). bytes covers at least the frames themselves (11 * 8) and does
 * not shrink; an empty depot already takes some memory (its table).
 */
Test(depot, stats_count_distinct_stacks)
{
	struct pcr_depot *depot = new_depot();
	uint64_t stacks, frames, bytes0, bytes1, bytes2;

	pcr_depot_stats(depot, &stacks, &frames, &bytes0);
	EXPECT_U64(stacks, 0);
	EXPECT_U64(frames, 0);
	cr_expect_gt(bytes0, 0);

	add_ok(depot, free_stack, NR(free_stack));
	add_ok(depot, alloc_stack, NR(alloc_stack));
	pcr_depot_stats(depot, &stacks, &frames, &bytes1);
	EXPECT_U64(stacks, 2);
	EXPECT_U64(frames, 11);
	cr_expect_geq(bytes1, bytes0 + 11 * sizeof(uint64_t));

	add_ok(depot, alloc_stack, NR(alloc_stack));
	add_ok(depot, free_stack, NR(free_stack));
	pcr_depot_stats(depot, &stacks, &frames, &bytes2);
	EXPECT_U64(stacks, 2);
	EXPECT_U64(frames, 11);
	EXPECT_U64(bytes2, bytes1);
	pcr_depot_free(depot);
}

#define MANY 100000u

/* Stack number @i (0-based) of the many: 1 to 5 frames, all distinct across i. */
static unsigned int many_stack(unsigned int i, uint64_t *frames)
{
	unsigned int nr = 1 + i % 5, k;

	for (k = 0; k < nr; k++)
		frames[k] = 0xffffffff81000000ull + ((uint64_t)i << 8) + k;
	return nr;
}

/*
 * 100000 distinct stacks (far past the initial table and the first memory pool): each gets a
 * new id, the ids are 100000 distinct non-zero values; every stack is found again under its id
 * and reads back its frames; the frames of the first stack, read before all the others were
 * added, are still valid ("valid while the depot lives"). Frames: i % 5 + 1 each, so 20000 of
 * each length 1..5: 20000 * (1+2+3+4+5) = 300000 frames.
 */
Test(depot, many_stacks_table_growth)
{
	struct pcr_depot *depot = new_depot();
	uint32_t *ids = calloc(MANY, sizeof(*ids));
	unsigned char *seen = calloc((size_t)MANY + 1, 1);
	const uint64_t *first = NULL;
	unsigned int first_nr = 0, i;
	uint64_t frames[5], stacks, nr_frames, bytes;

	cr_assert(ids && seen);
	many_stack(0, frames);
	ids[0] = add_ok(depot, frames, 1);
	cr_assert_eq(pcr_depot_get(depot, ids[0], &first, &first_nr), 0);
	for (i = 1; i < MANY; i++) {
		unsigned int nr = many_stack(i, frames);

		ids[i] = add_ok(depot, frames, nr);
	}
	for (i = 0; i < MANY; i++) {
		cr_assert(ids[i] >= 1 && ids[i] <= MANY, "stack %u got id %u", i,
			  (unsigned int)ids[i]);
		cr_assert(!seen[ids[i]], "id %u given twice", (unsigned int)ids[i]);
		seen[ids[i]] = 1;
	}
	for (i = 0; i < MANY; i++) {
		unsigned int nr = many_stack(i, frames);
		const uint64_t *got;
		unsigned int got_nr;

		cr_assert_eq(add_ok(depot, frames, nr), ids[i], "stack %u not found again", i);
		cr_assert_eq(pcr_depot_get(depot, ids[i], &got, &got_nr), 0);
		cr_assert_eq(got_nr, nr, "stack %u: %u frames, expected %u", i, got_nr, nr);
		cr_assert(!memcmp(got, frames, nr * sizeof(*frames)), "stack %u frames differ", i);
	}
	EXPECT_U64(first_nr, 1);
	EXPECT_U64(first[0], 0xffffffff81000000ull);

	pcr_depot_stats(depot, &stacks, &nr_frames, &bytes);
	EXPECT_U64(stacks, MANY);
	EXPECT_U64(nr_frames, 300000);
	cr_expect_geq(bytes, 300000 * sizeof(uint64_t));
	free(ids);
	free(seen);
	pcr_depot_free(depot);
}

struct adder {
	struct pcr_depot *depot;
	uint32_t *ids;		/* by stack number */
	unsigned int from;	/* the first stack number it adds, going round all MANY */
	int failed;
};

/* Adds every one of the MANY stacks, from its own starting point, and gets each back. */
static void *add_all(void *arg)
{
	struct adder *a = arg;
	uint64_t frames[5];
	unsigned int n, i;

	for (n = 0; n < MANY; n++) {
		const uint64_t *got;
		unsigned int nr, got_nr;

		i = (a->from + n) % MANY;
		nr = many_stack(i, frames);
		if (pcr_depot_add(a->depot, frames, nr, &a->ids[i]) || !a->ids[i] ||
		    pcr_depot_get(a->depot, a->ids[i], &got, &got_nr) || got_nr != nr ||
		    memcmp(got, frames, nr * sizeof(*frames))) {
			a->failed = 1;
			break;
		}
	}
	return NULL;
}

/*
 * Three threads add the same MANY stacks at once, each starting elsewhere (0, MANY/3,
 * 2*MANY/3), while the index and the record array grow under them: each stack gets one id
 * whichever thread stored it (all three threads see the same id for stack i), the ids are
 * 1..MANY, each thread reads back the frames of every id it was given, and the depot holds
 * MANY stacks and 300000 frames as when one thread adds them.
 */
Test(depot, threads_add_and_get_at_once)
{
	struct pcr_depot *depot = new_depot();
	struct adder a[3];
	pthread_t t[3];
	unsigned char *seen = calloc((size_t)MANY + 1, 1);
	uint64_t stacks, nr_frames, bytes;
	unsigned int i, k;

	cr_assert(seen);
	for (k = 0; k < 3; k++) {
		a[k] = (struct adder){ .depot = depot, .ids = calloc(MANY, sizeof(uint32_t)),
				       .from = k * (MANY / 3) };
		cr_assert(a[k].ids);
		cr_assert_eq(pthread_create(&t[k], NULL, add_all, &a[k]), 0);
	}
	for (k = 0; k < 3; k++) {
		pthread_join(t[k], NULL);
		cr_assert(!a[k].failed, "thread %u: an add or get failed", k);
	}
	for (i = 0; i < MANY; i++) {
		cr_assert(a[0].ids[i] == a[1].ids[i] && a[1].ids[i] == a[2].ids[i],
			  "stack %u: ids %u, %u, %u", i, (unsigned int)a[0].ids[i],
			  (unsigned int)a[1].ids[i], (unsigned int)a[2].ids[i]);
		cr_assert(a[0].ids[i] >= 1 && a[0].ids[i] <= MANY && !seen[a[0].ids[i]],
			  "stack %u: id %u out of range or given twice", i,
			  (unsigned int)a[0].ids[i]);
		seen[a[0].ids[i]] = 1;
	}
	pcr_depot_stats(depot, &stacks, &nr_frames, &bytes);
	EXPECT_U64(stacks, MANY);
	EXPECT_U64(nr_frames, 300000);
	for (k = 0; k < 3; k++)
		free(a[k].ids);
	free(seen);
	pcr_depot_free(depot);
}

/* pcr_depot_free(NULL) does nothing. */
Test(depot, free_null)
{
	pcr_depot_free(NULL);
}
