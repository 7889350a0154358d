/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dual-bitmap primitives: a PRIMARY bitmap and a SECONDARY bitmap that is always its complement.
 *
 * Written for pagecheck-replay's reference kernel from the description of
 * "[RFC 1/7] mm: add generic dual-bitmap consistency primitives": set and clear return the old
 * PRIMARY bit, validate counts inconsistent words, and a consistency check re-reads a word pair
 * a few times so that a concurrent update between the two loads is not taken for corruption.
 */
#ifndef _LINUX_DUAL_BITMAP_H
#define _LINUX_DUAL_BITMAP_H

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/types.h>

enum dual_bitmap_index {
	DUAL_BITMAP_PRIMARY,
	DUAL_BITMAP_SECONDARY,
	DUAL_BITMAP_COUNT,
};

/* How often a word pair is re-read before a mismatch counts as corruption. */
#define DUAL_BITMAP_RETRIES	3

struct dual_bitmap {
	unsigned long *bitmap[DUAL_BITMAP_COUNT];
	unsigned int nbits;
};

/**
 * dual_bitmap_init - PRIMARY all zero, SECONDARY all one
 * @db: the dual bitmap, both arrays allocated for @db->nbits bits
 */
static inline void dual_bitmap_init(struct dual_bitmap *db)
{
	bitmap_zero(db->bitmap[DUAL_BITMAP_PRIMARY], db->nbits);
	bitmap_fill(db->bitmap[DUAL_BITMAP_SECONDARY], db->nbits);
}

/**
 * dual_bitmap_set - set @bit in PRIMARY and clear it in SECONDARY
 * @db: the dual bitmap
 * @bit: bit index
 *
 * Return: the old PRIMARY bit.
 */
static inline bool dual_bitmap_set(struct dual_bitmap *db, unsigned long bit)
{
	bool old = test_and_set_bit(bit, db->bitmap[DUAL_BITMAP_PRIMARY]);

	clear_bit(bit, db->bitmap[DUAL_BITMAP_SECONDARY]);
	return old;
}

/**
 * dual_bitmap_clear - clear @bit in PRIMARY and set it in SECONDARY
 * @db: the dual bitmap
 * @bit: bit index
 *
 * Return: the old PRIMARY bit.
 */
static inline bool dual_bitmap_clear(struct dual_bitmap *db, unsigned long bit)
{
	bool old = test_and_clear_bit(bit, db->bitmap[DUAL_BITMAP_PRIMARY]);

	set_bit(bit, db->bitmap[DUAL_BITMAP_SECONDARY]);
	return old;
}

/**
 * dual_bitmap_consistent - whether @bit's PRIMARY and SECONDARY bits are complements
 * @db: the dual bitmap
 * @bit: bit index
 *
 * Return: true when they are, or became so within DUAL_BITMAP_RETRIES re-reads.
 */
static inline bool dual_bitmap_consistent(const struct dual_bitmap *db, unsigned long bit)
{
	unsigned long idx = BIT_WORD(bit), mask = BIT_MASK(bit);
	int i;

	for (i = 0; i < DUAL_BITMAP_RETRIES; i++) {
		unsigned long p = READ_ONCE(db->bitmap[DUAL_BITMAP_PRIMARY][idx]);
		unsigned long s = READ_ONCE(db->bitmap[DUAL_BITMAP_SECONDARY][idx]);

		if (((p ^ s) & mask) == mask)
			return true;
	}
	return false;
}

/**
 * dual_bitmap_validate - count the words whose PRIMARY is not the complement of SECONDARY
 * @db: the dual bitmap
 *
 * Bits past @db->nbits in the last word are ignored.
 *
 * Return: the number of inconsistent words.
 */
static inline unsigned long dual_bitmap_validate(const struct dual_bitmap *db)
{
	unsigned long words = BITS_TO_LONGS(db->nbits), bad = 0, w;

	for (w = 0; w < words; w++) {
		unsigned long mask = ~0UL;
		int i;

		if (w == words - 1 && db->nbits % BITS_PER_LONG)
			mask = BITMAP_LAST_WORD_MASK(db->nbits);
		for (i = 0; i < DUAL_BITMAP_RETRIES; i++) {
			unsigned long p = READ_ONCE(db->bitmap[DUAL_BITMAP_PRIMARY][w]);
			unsigned long s = READ_ONCE(db->bitmap[DUAL_BITMAP_SECONDARY][w]);

			if (((p ^ s) & mask) == mask)
				break;
		}
		if (i == DUAL_BITMAP_RETRIES)
			bad++;
	}
	return bad;
}

#endif /* _LINUX_DUAL_BITMAP_H */
