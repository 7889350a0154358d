/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A cache of the kallsyms recordings carry, checked and parsed (kscache.c). Private to formats/.
 */
#ifndef PCR_KSCACHE_H
#define PCR_KSCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pcr_tepsym_saved;

/* What names one recording's kallsyms: a hash of their bytes as the file stores them. */
struct pcr_kscache_key {
	uint8_t bytes[16];
};

/**
 * pcr_kscache_key - the key of a kallsyms block
 * @key: receives it
 * @how: how the bytes are stored ("v6", or v7's compression name and section flags)
 * @bytes: the block as the file stores it (v7: the section, compressed or not)
 * @len: its length
 */
void pcr_kscache_key(struct pcr_kscache_key *key, const char *how, const void *bytes, size_t len);

struct pcr_kscache_entry;

/**
 * pcr_kscache_find - the cache entry of @key, once its header is read and agrees
 * @dir: the cache directory
 * @key: the key
 * @out: receives the entry (the file stays open: pcr_kscache_load() reads it), or NULL
 *
 * An entry exists only for kallsyms pcr_tep_check_kallsyms() accepted. A missing, unreadable
 * or malformed entry is a miss. A hit marks the entry used (its time), which keeps it.
 *
 * Return: 1 on a hit, 0 on a miss, -PCR_ERR_NOMEM.
 */
int pcr_kscache_find(const char *dir, const struct pcr_kscache_key *key,
		     struct pcr_kscache_entry **out);

/**
 * pcr_kscache_any - pcr_tepsyms_any() of the entry's text, as stored
 * @e: the entry
 *
 * Return: 1, 0 or -1.
 */
int pcr_kscache_any(const struct pcr_kscache_entry *e);

/**
 * pcr_kscache_load - read an entry's text, and its table when it has one
 * @e: the entry
 * @text: receives the text in a buffer of its own (free()), NUL-terminated after @len bytes;
 *	  as the parse left it (names NUL-terminated) when there is a table
 * @len: receives the text's length (without that NUL)
 * @syms: receives the table's entries inside @text's buffer, or NULL without a table
 * @nr: receives their count
 * @tep_only: receives whether the text holds a line only libtraceevent parses (no table)
 *
 * Return: 0, -PCR_ERR_FORMAT when the entry's bytes do not match the hash it was written with
 * (the caller reads the recording instead), or -PCR_ERR_NOMEM.
 */
int pcr_kscache_load(struct pcr_kscache_entry *e, char **text, size_t *len,
		     const struct pcr_tepsym_saved **syms, size_t *nr, bool *tep_only);

/**
 * pcr_kscache_entry_free - close an entry
 * @e: the entry, or NULL
 */
void pcr_kscache_entry_free(struct pcr_kscache_entry *e);

/**
 * struct pcr_kscache_item - what an entry holds
 * @text: the checked kallsyms (as a parse left them, when @syms is given)
 * @len: its length
 * @any: pcr_tepsyms_any() of the text before any parse
 * @syms: the parsed table (pcr_tepsyms_save()), or NULL
 * @nr: its entries
 * @tep_only: the text holds a line only libtraceevent parses: no table
 */
struct pcr_kscache_item {
	const char *text;
	size_t len;
	int any;
	const struct pcr_tepsym_saved *syms;
	size_t nr;
	bool tep_only;
};

/**
 * pcr_kscache_store - write an entry, replacing one of the same key
 * @dir: the cache directory (made, mode 0700, when missing)
 * @key: its key
 * @item: what it holds
 *
 * Written to a file of its own and renamed into place, so a reader sees a whole entry or none;
 * the oldest entries past PCR_KSCACHE_KEEP are removed. Best effort: a cache that cannot be
 * written changes nothing of a replay.
 *
 * Return: 0, or a negative error code (the caller may ignore it).
 */
int pcr_kscache_store(const char *dir, const struct pcr_kscache_key *key,
		      const struct pcr_kscache_item *item);

/* Entries kept: one per kernel whose recordings are replayed (5 to 20 MB each). */
#define PCR_KSCACHE_KEEP 16

#endif
