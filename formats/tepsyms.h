/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A recording's kallsyms as libtraceevent 1.7.1 names addresses with them, built without its
 * cost (tepsyms.c). Private to formats/.
 */
#ifndef PCR_TEPSYMS_H
#define PCR_TEPSYMS_H

#include <stddef.h>
#include <stdint.h>

struct pcr_symbol;
struct pcr_tepsyms;

/**
 * pcr_tepsyms_parse - build the table libtraceevent's tep_parse_kallsyms() would build
 * @out: receives the table, or NULL when @text holds a line this parser leaves to
 *	 libtraceevent (the caller then calls tep_parse_kallsyms())
 * @text: kallsyms text that pcr_tep_check_kallsyms() accepted, not NUL-terminated; the
 *	  table's names point into it (its newlines become NULs), so it must outlive the
 *	  table; without a table (or on an error) it is as it was
 * @len: its length in bytes
 *
 * Return: 0 (with or without a table), or -PCR_ERR_NOMEM.
 */
int pcr_tepsyms_parse(struct pcr_tepsyms **out, char *text, size_t len);

/**
 * pcr_tepsyms_any - whether tep_parse_kallsyms() would register a function of @text
 * @text: kallsyms text that pcr_tep_check_kallsyms() accepted (not changed)
 * @len: its length
 *
 * Stops at the first line that answers; only a text of symbols libtraceevent skips is read
 * to its end.
 *
 * Return: 1 or 0; -1 when a line before the answer is of a shape left to libtraceevent.
 */
int pcr_tepsyms_any(const char *text, size_t len);

/**
 * pcr_tepsyms_count - how many functions the table holds (tep_get_function_count()'s count)
 * @t: the table
 *
 * Return: the count.
 */
size_t pcr_tepsyms_count(const struct pcr_tepsyms *t);

/**
 * pcr_tepsyms_resolve - a pcr_resolve_fn naming @addr as tep_find_function_info() does
 * @ctx: the table
 * @addr: a kernel address
 * @sym: receives the name, start and size (module NULL, as libtraceevent keeps none)
 *
 * Return: 0, or -PCR_ERR_INVAL when no function contains @addr.
 */
int pcr_tepsyms_resolve(void *ctx, uint64_t addr, struct pcr_symbol *sym);

/* One function of a table as a cache keeps it: its address and its name's offset in the text. */
struct pcr_tepsym_saved {
	uint64_t addr;
	uint64_t name;
};

/**
 * pcr_tepsyms_saved_size - the bytes pcr_tepsyms_save() writes for @t
 * @t: the table
 *
 * Return: the size.
 */
size_t pcr_tepsyms_saved_size(const struct pcr_tepsyms *t);

/**
 * pcr_tepsyms_save - write @t's functions, in their order, as offsets into the text
 * @t: the table, built by pcr_tepsyms_parse() on @text
 * @text: its text, as the parse left it (each name NUL-terminated)
 * @out: receives pcr_tepsyms_count(@t) entries
 */
void pcr_tepsyms_save(const struct pcr_tepsyms *t, const char *text, struct pcr_tepsym_saved *out);

/**
 * pcr_tepsyms_load - the table pcr_tepsyms_save() wrote, over the text it was saved with
 * @out: receives the table
 * @text: that text, as the parse left it, NUL-terminated at @len - 1; outlives the table
 * @len: its length, its final NUL included
 * @in: the entries
 * @nr: how many
 *
 * Return: 0, -PCR_ERR_FORMAT when an entry names no place in @text or the entries are not in
 * address order, or -PCR_ERR_NOMEM.
 */
int pcr_tepsyms_load(struct pcr_tepsyms **out, const char *text, size_t len,
		     const struct pcr_tepsym_saved *in, size_t nr);

/**
 * pcr_tepsyms_restore - put back the newlines and tabs a parse cut into NULs
 * @text: a kallsyms text pcr_tepsyms_parse() parsed (one without NUL bytes before)
 * @end: how far to restore
 */
void pcr_tepsyms_restore(char *text, size_t end);

/**
 * pcr_tepsyms_free - release a table (not its text)
 * @t: the table, or NULL
 */
void pcr_tepsyms_free(struct pcr_tepsyms *t);

#endif
