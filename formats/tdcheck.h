/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The check of a whole trace.dat before libtracecmd or libtraceevent reads any of it
 * (tdcheck.c): libtracecmd 3.1.6 and libtraceevent 1.7.1 trust the file, and crash on some
 * damaged ones (issue 17). Private to formats/.
 */
#ifndef PCR_TDCHECK_H
#define PCR_TDCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "kscache.h"

/**
 * pcr_tdcheck - check a trace.dat's structure and texts before libtracecmd opens it
 * @path: the file (a regular file)
 * @every_page: check every ring-buffer page (libtracecmd will read the records), not only
 *		each CPU's first page (the one tracecmd_init_data() loads)
 * @errmsg: receives a one-line message naming the section, the offset and what to do
 *	    (PCR_ERRMSG_LEN bytes)
 *
 * Checks what libtracecmd and libtraceevent would read: the fixed header (version, endianness,
 * long size, page size), every section and option against the file's size (v7: the section
 * chain, the compressed sections decompressed under a cap), the header_page text, every event
 * format through pcr_tep_check_event(), kallsyms and saved cmdlines through their grammars in
 * tepcheck.c, the printk formats through the kernel's "0xADDR : \"FORMAT\"" grammar, the
 * options libtracecmd parses, each CPU's data against the file and its first page (or every
 * page) with the page walker's rules. Memory stays bounded by the largest section it allows.
 *
 * Return: 0 when the file passes; -PCR_ERR_FORMAT, -PCR_ERR_TRUNCATED, -PCR_ERR_IO or
 * -PCR_ERR_NOMEM.
 */
int pcr_tdcheck(const char *path, bool every_page, char *errmsg);

struct tep_handle;
struct pcr_tepsyms;

/**
 * struct pcr_tdmeta - what our trace.dat reader needs of the metadata, loaded by the check
 * @tep:	the event formats, header_page and saved cmdlines, parsed by libtraceevent as
 *		libtracecmd's tracecmd_open_head() parses them; kallsyms only after
 *		pcr_tdmeta_kallsyms()
 * @uname:	the UNAME option, or NULL
 * @cpustats:	the CPUSTAT options, joined as libtracecmd joins them, or NULL
 * @compression: the v7 compression name ("none" when not compressed), "" for v6
 * @version:	the file version, 6 or 7
 * @cpus:	the CPU count (v6 header, or the last v7 CPUCOUNT option)
 * @kallsyms_text: the kallsyms, checked (not NUL-terminated; @syms names point into them
 *		once parsed); NULL when the file has none
 * @kallsyms_len: their length
 * @kallsyms_block: the buffer that holds them (the file's bytes, or the decompressed section)
 * @kallsyms_loaded: pcr_tdmeta_kallsyms() succeeded
 * @tep_kallsyms: give the kallsyms to @tep (its tep_find_function() is asked); else they go
 *		to @syms, which names frames as @tep would for a fraction of the cost
 * @syms:	the kallsyms once loaded, unless @tep_kallsyms or a line only libtraceevent
 *		parses sent them to @tep
 * @path:	the file, for a read of its kallsyms again (kscache.h: a damaged entry)
 * @cache_dir:	the kallsyms cache's directory, or NULL without a cache
 * @kallsyms_key: with @kallsyms_keyed, the cache key of the file's kallsyms
 * @kallsyms_keyed: the key was computed (a cache was asked for)
 * @kallsyms_entry: the cache entry that holds the kallsyms (a hit): read by
 *		pcr_tdmeta_kallsyms() instead of the file's block, which was not checked again
 * @kallsyms_store: write the kallsyms to the cache when released (a miss, or an entry that
 *		lacked the table this run built, or a damaged one)
 * @kallsyms_untabled: @kallsyms_text came from an entry without a table
 * @kallsyms_parsed: @kallsyms_text is cut into names by a parse (its NULs)
 * @kallsyms_tep_only: a parse found a line only libtraceevent reads (no @syms)
 * @kallsyms_any: pcr_tepsyms_any() of the text as checked (with @kallsyms_keyed)
 * @kallsyms_error: why pcr_tdmeta_kallsyms() failed other than out of memory, or NULL
 */
struct pcr_tdmeta {
	struct tep_handle *tep;
	struct pcr_tepsyms *syms;
	bool tep_kallsyms;
	char *uname;
	char *cpustats;
	char compression[64];
	int version;
	unsigned int cpus;
	char *kallsyms_text;
	size_t kallsyms_len;
	void *kallsyms_block;
	bool kallsyms_loaded;
	char *path;
	char *cache_dir;
	struct pcr_kscache_key kallsyms_key;
	bool kallsyms_keyed;
	struct pcr_kscache_entry *kallsyms_entry;
	bool kallsyms_store;
	bool kallsyms_untabled;
	bool kallsyms_parsed;
	bool kallsyms_tep_only;
	int kallsyms_any;
	char *kallsyms_error;
};

/**
 * pcr_tdcheck_load - check a trace.dat as pcr_tdcheck() does and load its metadata
 * @path: the file (a regular file)
 * @meta: receives the metadata; release it with pcr_tdmeta_release(), also after a failure
 * @cache_dir: the kallsyms cache's directory (kscache.h), or NULL for none
 * @errmsg: as for pcr_tdcheck()
 *
 * The one read of the metadata for our own reader: libtracecmd is not asked to open the file.
 * The kallsyms are checked and kept as text: a replay that names no frame never pays for
 * parsing them (README "Speed"); pcr_tdmeta_kallsyms() parses them. With a cache, kallsyms
 * whose bytes an entry was written for (checked then) are neither decompressed nor checked:
 * pcr_tdmeta_kallsyms() reads the entry, parsed, and pcr_tdmeta_release() writes one after a
 * miss.
 *
 * Return: as for pcr_tdcheck().
 */
int pcr_tdcheck_load(const char *path, struct pcr_tdmeta *meta, const char *cache_dir,
		     char *errmsg);

/**
 * pcr_tdmeta_kallsyms - parse the kept kallsyms, into @meta->syms (or @meta->tep)
 * @meta: from pcr_tdcheck_load()
 *
 * Return: 0 (also for a file without kallsyms, or when parsed already), -PCR_ERR_NOMEM, or
 * (a damaged cache entry, and the file no longer what it was) the error of reading the file
 * again, with its message in @meta->kallsyms_error.
 */
int pcr_tdmeta_kallsyms(struct pcr_tdmeta *meta);

/**
 * pcr_tdmeta_has_kallsyms - whether the kallsyms name any function
 * @meta: from pcr_tdcheck_load()
 *
 * tep_get_function_count() > 0 as libtracecmd's open would leave it, mostly without parsing:
 * the first line libtraceevent would register answers.
 *
 * Return: true when they do.
 */
bool pcr_tdmeta_has_kallsyms(struct pcr_tdmeta *meta);

/**
 * pcr_tdmeta_release - free what pcr_tdcheck_load() allocated
 * @meta: the metadata (its tep too)
 */
void pcr_tdmeta_release(struct pcr_tdmeta *meta);

#endif
