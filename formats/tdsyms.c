// SPDX-License-Identifier: GPL-2.0
/*
 * A trace.dat's kallsyms once the check kept them (tdcheck.h): parsed when a frame is first
 * named, found in and written to the kallsyms cache (kscache.h), read again from the file when
 * a cache entry turns out damaged. The check of the file itself is tdcheck.c's.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "flyrecord.h"
#include "kscache.h"
#include "pcr_formats.h"
#include "tdcheck.h"
#include "tdcheck_impl.h"
#include "tepsyms.h"

/* The entry of kallsyms this replay checked, or parsed where the entry had no table. */
static void store_kallsyms(struct pcr_tdmeta *meta)
{
	struct pcr_kscache_item item = {
		.text = meta->kallsyms_text, .len = meta->kallsyms_len, .any = meta->kallsyms_any,
		.tep_only = meta->kallsyms_tep_only,
	};
	struct pcr_tepsym_saved *saved = NULL;

	if (meta->syms && meta->kallsyms_parsed) {
		saved = pcr_alloc_large(pcr_tepsyms_saved_size(meta->syms) + 1);
		if (!saved)
			return;
		pcr_tepsyms_save(meta->syms, meta->kallsyms_text, saved);
		item.syms = saved;
		item.nr = pcr_tepsyms_count(meta->syms);
	} else if (meta->kallsyms_parsed && !meta->kallsyms_tep_only) {
		return;	/* cut into names, and no table to tell them */
	}
	pcr_kscache_store(meta->cache_dir, &meta->kallsyms_key, &item);
	free(saved);
}

void pcr_td_kallsyms_release(struct pcr_tdmeta *meta)
{
	if (meta->kallsyms_store && meta->kallsyms_text && meta->cache_dir)
		store_kallsyms(meta);
	pcr_kscache_entry_free(meta->kallsyms_entry);
	meta->kallsyms_entry = NULL;
	free(meta->kallsyms_error);
	meta->kallsyms_error = NULL;
}

int pcr_td_kallsyms_cached(struct pcr_tdmeta *meta, const char *how, const void *bytes,
			   size_t len)
{
	int ret;

	pcr_kscache_key(&meta->kallsyms_key, how, bytes, len);
	meta->kallsyms_keyed = true;
	ret = pcr_kscache_find(meta->cache_dir, &meta->kallsyms_key, &meta->kallsyms_entry);
	if (ret > 0)
		meta->kallsyms_any = pcr_kscache_any(meta->kallsyms_entry);
	return ret;
}

/*
 * The file's kallsyms, checked, when their cache entry turned out damaged: the whole check
 * once more (the kallsyms alone cannot be found without it), its kallsyms taken over.
 */
static int reread_kallsyms(struct pcr_tdmeta *meta)
{
	char errmsg[PCR_ERRMSG_LEN] = "";
	struct pcr_tdmeta again;
	int ret = pcr_tdcheck_load(meta->path, &again, NULL, errmsg);

	if (!ret) {
		meta->kallsyms_block = again.kallsyms_block;
		meta->kallsyms_text = again.kallsyms_text;
		meta->kallsyms_len = again.kallsyms_len;
		meta->kallsyms_any = pcr_tepsyms_any(again.kallsyms_text, again.kallsyms_len);
		meta->kallsyms_store = true;
		again.kallsyms_block = NULL;
	} else if (ret != -PCR_ERR_NOMEM) {
		free(meta->kallsyms_error);
		meta->kallsyms_error = strdup(errmsg);
	}
	pcr_tdmeta_release(&again);
	return ret;
}

/* The kallsyms of a cache hit: the entry's text, and its table when it has one. */
static int load_cached_kallsyms(struct pcr_tdmeta *meta)
{
	struct pcr_kscache_entry *e = meta->kallsyms_entry;
	const struct pcr_tepsym_saved *saved;
	char *text;
	size_t len, nr;
	bool tep_only;
	int ret;

	meta->kallsyms_entry = NULL;
	ret = pcr_kscache_load(e, &text, &len, &saved, &nr, &tep_only);
	pcr_kscache_entry_free(e);
	if (ret == -PCR_ERR_NOMEM)
		return ret;
	if (!ret && saved) {
		ret = pcr_tepsyms_load(&meta->syms, text, len + 1, saved, nr);
		if (ret == -PCR_ERR_NOMEM) {
			free(text);
			return ret;
		}
	}
	if (ret) {
		free(text);
		return reread_kallsyms(meta);
	}
	meta->kallsyms_block = text;
	meta->kallsyms_text = text;
	meta->kallsyms_len = len;
	meta->kallsyms_parsed = saved != NULL;
	meta->kallsyms_tep_only = tep_only;
	meta->kallsyms_untabled = !saved && !tep_only;
	return 0;
}

/* libtraceevent's parse of the text as the file had it (a parse cut it into names). */
static int tep_kallsyms(struct pcr_tdmeta *meta)
{
	char *copy = malloc(meta->kallsyms_len + 1);

	if (!copy)
		return -PCR_ERR_NOMEM;
	memcpy(copy, meta->kallsyms_text, meta->kallsyms_len);
	if (meta->kallsyms_parsed)
		pcr_tepsyms_restore(copy, meta->kallsyms_len);
	copy[meta->kallsyms_len] = '\0';
	tep_parse_kallsyms(meta->tep, copy);
	free(copy);
	return 0;
}

int pcr_tdmeta_kallsyms(struct pcr_tdmeta *meta)
{
	int ret;

	if (meta->kallsyms_loaded)
		return 0;
	if (meta->kallsyms_entry) {
		ret = load_cached_kallsyms(meta);
		if (ret)
			return ret;
	}
	if (!meta->kallsyms_text)
		return 0;
	if (!meta->tep_kallsyms && !meta->syms && !meta->kallsyms_tep_only) {
		/* In place; no table: a line it leaves to libtraceevent. */
		ret = pcr_tepsyms_parse(&meta->syms, meta->kallsyms_text, meta->kallsyms_len);
		if (ret)
			return ret;
		meta->kallsyms_parsed = meta->syms != NULL;
		meta->kallsyms_tep_only = !meta->syms;
		/* An entry without a table gets the one this replay built. */
		if (meta->kallsyms_untabled)
			meta->kallsyms_store = true;
	}
	/* The kprobe markers ask libtraceevent (@tep_kallsyms): it gets them even beside @syms. */
	if (!meta->syms || meta->tep_kallsyms) {
		ret = tep_kallsyms(meta);
		if (ret)
			return ret;
	}
	meta->kallsyms_loaded = true;
	return 0;
}

bool pcr_tdmeta_has_kallsyms(struct pcr_tdmeta *meta)
{
	int any;

	if (meta->kallsyms_loaded)
		return meta->syms ? pcr_tepsyms_count(meta->syms) > 0 :
				    tep_get_function_count(meta->tep) > 0;
	/* Keyed for the cache, the text was scanned when it was kept, or the entry says. */
	if (meta->kallsyms_entry || (meta->kallsyms_keyed && meta->kallsyms_text))
		any = meta->kallsyms_any;
	else if (!meta->kallsyms_text)
		return false;
	else
		any = pcr_tepsyms_any(meta->kallsyms_text, meta->kallsyms_len);
	/* A line of a shape only libtraceevent reads first: ask it. */
	if (any < 0 && !pcr_tdmeta_kallsyms(meta))
		return pcr_tdmeta_has_kallsyms(meta);
	return any > 0;
}
