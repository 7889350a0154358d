// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel symbols, frames and stack signatures.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pagecheck.h"

struct kallsym {
	uint64_t addr;
	const char *name;
	const char *module;
	size_t line;		/* position in the text: the first of several aliases wins */
};

struct pcr_kallsyms {
	struct kallsym *syms;
	char *names;
	size_t nr;
	uint64_t edata;		/* _edata, a data symbol: where perf's kernel map may end */
	bool has_modules;	/* some symbol names its module */
};

static int kallsym_cmp(const void *a, const void *b)
{
	const struct kallsym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Copies [p, end) into names at *len as a NUL-terminated string; returns it. */
static const char *store_name(char *names, size_t *len, const char *p, const char *end)
{
	const char *name = names + *len;

	memcpy(names + *len, p, (size_t)(end - p));
	*len += (size_t)(end - p);
	names[(*len)++] = '\0';
	return name;
}

/* Parses "ADDR TYPE NAME[\t[MODULE]]" within [p, eol), never reading past eol. */
static bool parse_line(const char *p, const char *eol, uint64_t *addr, char *type,
		       const char **name, const char **name_end, const char **mod,
		       const char **mod_end)
{
	const char *q = p;

	*addr = 0;
	for (; q < eol && q - p < 16; q++) {
		int digit = *q >= '0' && *q <= '9' ? *q - '0' :
			    *q >= 'a' && *q <= 'f' ? *q - 'a' + 10 :
			    *q >= 'A' && *q <= 'F' ? *q - 'A' + 10 : -1;

		if (digit < 0)
			break;
		*addr = *addr << 4 | (uint64_t)digit;
	}
	if (q == p || eol - q < 4 || q[0] != ' ' || q[2] != ' ')
		return false;
	*type = q[1];
	*name = q + 3;
	for (q = *name; q < eol && *q != ' ' && *q != '\t'; q++)
		;
	*name_end = q;
	*mod = *mod_end = NULL;
	while (q < eol && (*q == ' ' || *q == '\t'))
		q++;
	if (q < eol && *q == '[') {
		const char *close = memchr(q, ']', (size_t)(eol - q));

		if (close) {
			*mod = q + 1;
			*mod_end = close;
		}
	}
	return *name_end > *name;
}

int pcr_kallsyms_parse(struct pcr_kallsyms **out, const char *text, size_t len)
{
	struct pcr_kallsyms *table;
	const char *p = text, *end = text + len;
	size_t cap = 0, names_len = 0, lines = 0, nonzero = 0;
	char *names;

	*out = NULL;
	table = calloc(1, sizeof(*table));
	/* Names are copied into one block: at most the text's own size plus the NULs. */
	names = malloc(len + 1);
	if (!table || !names) {
		free(table);
		free(names);
		return -PCR_ERR_NOMEM;
	}
	table->names = names;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *name, *name_end, *mod, *mod_end;
		uint64_t addr;
		char type;

		if (!eol)
			eol = end;
		if (!parse_line(p, eol, &addr, &type, &name, &name_end, &mod, &mod_end)) {
			p = eol + 1;
			continue;
		}
		p = eol + 1;
		lines++;
		if (addr)
			nonzero++;
		if (!mod && name_end - name == 6 && !memcmp(name, "_edata", 6))
			table->edata = addr;
		if (!addr || (type != 't' && type != 'T' && type != 'w' && type != 'W'))
			continue;
		if (table->nr == cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			struct kallsym *syms = realloc(table->syms, ncap * sizeof(*syms));

			if (!syms) {
				pcr_kallsyms_free(table);
				return -PCR_ERR_NOMEM;
			}
			table->syms = syms;
			cap = ncap;
		}
		table->syms[table->nr].addr = addr;
		table->syms[table->nr].line = lines;
		table->syms[table->nr].name = store_name(names, &names_len, name, name_end);
		table->syms[table->nr].module = mod ? store_name(names, &names_len, mod, mod_end) :
						NULL;
		table->has_modules |= mod != NULL;
		table->nr++;
	}
	if (!lines || !nonzero || !table->nr) {
		pcr_kallsyms_free(table);
		return -PCR_ERR_FORMAT;
	}
	qsort(table->syms, table->nr, sizeof(*table->syms), kallsym_cmp);
	*out = table;
	return 0;
}

void pcr_kallsyms_free(struct pcr_kallsyms *table)
{
	if (!table)
		return;
	free(table->syms);
	free(table->names);
	free(table);
}

int pcr_kallsyms_resolve(void *ctx, uint64_t addr, struct pcr_symbol *sym)
{
	const struct pcr_kallsyms *table = ctx;
	size_t lo = 0, hi = table->nr, next;

	if (!table->nr || addr < table->syms[0].addr)
		return -PCR_ERR_INVAL;
	/* The last symbol at or below addr. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (table->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	while (lo > 0 && table->syms[lo - 1].addr == table->syms[lo].addr)
		lo--;
	for (next = lo + 1; next < table->nr && table->syms[next].addr == table->syms[lo].addr;
	     next++)
		;
	if (next == table->nr)
		return -PCR_ERR_INVAL;
	sym->name = table->syms[lo].name;
	sym->module = table->syms[lo].module;
	sym->start = table->syms[lo].addr;
	sym->size = table->syms[next].addr - table->syms[lo].addr;
	return 0;
}

int pcr_kallsyms_address(const struct pcr_kallsyms *table, const char *name, uint64_t *addr)
{
	size_t i;

	if (!strcmp(name, "_edata")) {
		*addr = table->edata;
		return table->edata ? 0 : -PCR_ERR_INVAL;
	}
	for (i = 0; i < table->nr; i++)
		if (!table->syms[i].module && !strcmp(table->syms[i].name, name)) {
			*addr = table->syms[i].addr;
			return 0;
		}
	return -PCR_ERR_INVAL;
}

void pcr_kallsyms_relocate(struct pcr_kallsyms *table, uint64_t delta)
{
	size_t i, kept = 0;

	/* Modules are loaded apart from the kernel's image: their places are the running boot's. */
	for (i = 0; i < table->nr; i++)
		if (!table->syms[i].module) {
			table->syms[kept] = table->syms[i];
			table->syms[kept++].addr += delta;
		}
	table->nr = kept;
	table->has_modules = false;
	if (table->edata)
		table->edata += delta;
}

void pcr_kallsyms_frames(const struct pcr_kallsyms *table, const struct pcr_depot *depot,
			 uint64_t text, uint64_t etext, struct pcr_kallsyms_frames *f)
{
	uint64_t stacks, nr_frames, bytes, id;

	memset(f, 0, sizeof(*f));
	if (!depot)
		return;
	pcr_depot_stats(depot, &stacks, &nr_frames, &bytes);
	for (id = 1; id <= stacks && id <= UINT32_MAX; id++) {
		const uint64_t *frames;
		unsigned int nr, i;

		if (pcr_depot_get(depot, (uint32_t)id, &frames, &nr))
			continue;
		for (i = 0; i < nr; i++) {
			struct pcr_symbol sym;

			f->frames++;
			/*
			 * Module text lies outside [_text, _etext): a module symbol must hold it,
			 * any symbol when the table names no module (trace-cmd dump --kallsyms).
			 */
			if ((frames[i] >= text && frames[i] < etext) ||
			    (!pcr_kallsyms_resolve((void *)table, frames[i], &sym) &&
			     (sym.module || !table->has_modules)))
				continue;
			if (!f->outside++)
				f->first_outside = frames[i];
		}
	}
}

/* The GNU build id note (type NT_GNU_BUILD_ID, 3) among ELF notes: namesz, descsz, type. */
int pcr_notes_build_id(const unsigned char *notes, size_t len, char *buf, size_t size)
{
	size_t off = 0, i;

	while (len - off >= 12) {
		uint32_t namesz, descsz, type;
		size_t name_room, desc_room;

		memcpy(&namesz, notes + off, 4);
		memcpy(&descsz, notes + off + 4, 4);
		memcpy(&type, notes + off + 8, 4);
		name_room = ((size_t)namesz + 3) & ~(size_t)3;
		desc_room = ((size_t)descsz + 3) & ~(size_t)3;
		if (name_room > len - off - 12 || desc_room > len - off - 12 - name_room)
			return -PCR_ERR_FORMAT;
		if (type == 3 && namesz == 4 && !memcmp(notes + off + 12, "GNU", 4)) {
			const unsigned char *id = notes + off + 12 + name_room;

			if (!descsz || 2 * (size_t)descsz + 1 > size)
				return -PCR_ERR_FORMAT;
			for (i = 0; i < descsz; i++)
				snprintf(buf + 2 * i, 3, "%02x", id[i]);
			return 0;
		}
		off += 12 + name_room + desc_room;
	}
	return -PCR_ERR_INVAL;
}

static int resolve(const struct pcr_symbolizer *symbolizer, uint64_t addr, struct pcr_symbol *sym)
{
	if (!symbolizer || !symbolizer->resolve)
		return -PCR_ERR_INVAL;
	return symbolizer->resolve(symbolizer->ctx, addr, sym);
}

int pcr_format_frame(char *buf, size_t size, uint64_t addr, const struct pcr_symbolizer *sym)
{
	struct pcr_symbol s;

	if (resolve(sym, addr, &s))
		return snprintf(buf, size, "0x%" PRIx64, addr);
	if (s.module)
		return snprintf(buf, size, "%s+0x%" PRIx64 "/0x%" PRIx64 " [%s]", s.name,
				addr - s.start, s.size, s.module);
	return snprintf(buf, size, "%s+0x%" PRIx64 "/0x%" PRIx64, s.name, addr - s.start, s.size);
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

bool pcr_frame_is_glue(const char *name)
{
	static const char *const glue[] = {
		"trace_event_raw_event_", "__traceiter_", "perf_trace_", "__bpf_trace_",
		"trace_call_bpf", "__ftrace_trace_stack", "__trace_stack",
		"trace_buffer_unlock_commit", "perf_tp_event", "perf_callchain",
	};
	size_t i;

	for (i = 0; i < sizeof(glue) / sizeof(glue[0]); i++)
		if (has_prefix(name, glue[i]))
			return true;
	return false;
}

/* Copies a symbol name without the compiler's clone suffixes (.isra.0, .constprop.0, .cold). */
static void base_name(char *buf, size_t size, const char *name)
{
	size_t len = strcspn(name, ".");

	if (len >= size)
		len = size - 1;
	memcpy(buf, name, len);
	buf[len] = '\0';
}

/*
 * The page allocator's own functions, in the kernels the project has seen (6.1 to 6.18), by base
 * name; the _noprof variants of alloc tagging are stripped before the lookup.
 */
static bool is_allocator(const char *base)
{
	static const char *const allocator[] = {
		"__alloc_pages", "__alloc_pages_slowpath", "__alloc_frozen_pages",
		"alloc_frozen_pages", "alloc_pages", "alloc_pages_mpol", "alloc_pages_vma",
		"alloc_page_interleave", "__folio_alloc", "folio_alloc", "folio_alloc_mpol",
		"vma_alloc_folio", "__get_free_pages", "get_zeroed_page", "get_page_from_freelist",
		"rmqueue", "rmqueue_bulk", "__rmqueue_pcplist", "alloc_pages_exact",
		"free_pages_prepare", "__free_pages_prepare", "__free_pages_ok", "free_unref_page",
		"free_unref_page_list", "free_unref_folios", "free_unref_page_commit",
		"__free_pages", "free_pages", "__free_page", "___free_pages",
		"__free_frozen_pages", "free_frozen_pages", "free_the_page",
		"free_compound_page", "destroy_large_folio", "__folio_put", "folio_put",
		"folios_put_refs", "folios_put", "__folio_batch_release", "release_pages",
		"__put_page", "put_page", "__page_cache_release", "free_one_page",
		"__free_one_page", "free_pcppages_bulk", "free_pages_exact",
	};
	size_t i;

	for (i = 0; i < sizeof(allocator) / sizeof(allocator[0]); i++)
		if (!strcmp(base, allocator[i]))
			return true;
	return false;
}

static void strip_noprof(char *base)
{
	size_t len = strlen(base);

	if (len > 7 && !strcmp(base + len - 7, "_noprof"))
		base[len - 7] = '\0';
}

int pcr_stack_signature(char *buf, size_t size, const uint64_t *frames, unsigned int nr_frames,
			const struct pcr_symbolizer *sym)
{
	unsigned int i, kept = 0;
	bool past_allocator = false;
	int len = 0;

	if (size)
		buf[0] = '\0';
	if (!nr_frames)
		return snprintf(buf, size, "-");
	for (i = 0; i < nr_frames && kept < PCR_SIGNATURE_FRAMES; i++) {
		char base[128], text[130];
		struct pcr_symbol fsym;
		const char *name;

		if (resolve(sym, frames[i], &fsym)) {
			past_allocator = true;
			snprintf(text, sizeof(text), "0x%" PRIx64, frames[i]);
		} else {
			name = fsym.name;
			if (pcr_frame_is_glue(name))
				continue;
			base_name(base, sizeof(base), name);
			strip_noprof(base);
			if (!past_allocator && is_allocator(base))
				continue;
			past_allocator = true;
			snprintf(text, sizeof(text), "%s", base);
		}
		len += snprintf(buf + (len < (int)size ? len : (int)size),
				(size_t)len < size ? size - (size_t)len : 0, "%s%s", kept ? "<" : "",
				text);
		kept++;
	}
	if (!kept)
		return snprintf(buf, size, "(allocator)");
	return len;
}

struct pcr_sigtable {
	struct pcr_sigcount *rows;
	size_t nr;
	size_t cap;
	bool report_order;	/* rows sorted for the report, not by key */
};

int pcr_sigtable_new(struct pcr_sigtable **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -PCR_ERR_NOMEM;
}

void pcr_sigtable_free(struct pcr_sigtable *table)
{
	size_t i;

	if (!table)
		return;
	for (i = 0; i < table->nr; i++)
		free((char *)table->rows[i].signature);
	free(table->rows);
	free(table);
}

static int row_by_key(const void *a, const void *b)
{
	const struct pcr_sigcount *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->signature, y->signature);
}

static int row_by_report(const void *a, const void *b)
{
	const struct pcr_sigcount *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->signature, y->signature);
}

int pcr_sigtable_add(struct pcr_sigtable *table, int kind, const char *signature)
{
	struct pcr_sigcount key = { .signature = signature, .kind = kind }, *row;
	char *copy;

	/* Rows are kept sorted by key between additions: a binary search finds the row. */
	if (table->report_order && table->nr > 1)
		qsort(table->rows, table->nr, sizeof(*table->rows), row_by_key);
	table->report_order = false;
	row = table->nr ? bsearch(&key, table->rows, table->nr, sizeof(*table->rows), row_by_key) :
			  NULL;
	if (row) {
		row->count++;
		return 0;
	}
	if (table->nr == table->cap) {
		size_t cap = table->cap ? table->cap * 2 : 64;
		struct pcr_sigcount *rows = realloc(table->rows, cap * sizeof(*rows));

		if (!rows)
			return -PCR_ERR_NOMEM;
		table->rows = rows;
		table->cap = cap;
	}
	copy = strdup(signature);
	if (!copy)
		return -PCR_ERR_NOMEM;
	key.signature = copy;
	key.count = 1;
	/* Insert in key order. */
	row = table->rows + table->nr;
	while (row > table->rows && row_by_key(row - 1, &key) > 0) {
		*row = row[-1];
		row--;
	}
	*row = key;
	table->nr++;
	return 0;
}

uint64_t pcr_sigtable_count(struct pcr_sigtable *table, int kind, const char *signature)
{
	struct pcr_sigcount key = { .signature = signature, .kind = kind }, *row;

	if (table->report_order && table->nr > 1)
		qsort(table->rows, table->nr, sizeof(*table->rows), row_by_key);
	table->report_order = false;
	row = table->nr ? bsearch(&key, table->rows, table->nr, sizeof(*table->rows), row_by_key) :
			  NULL;
	return row ? row->count : 0;
}

const struct pcr_sigcount *pcr_sigtable_rows(struct pcr_sigtable *table, size_t *nr)
{
	if (table->nr > 1)
		qsort(table->rows, table->nr, sizeof(*table->rows), row_by_report);
	table->report_order = true;
	*nr = table->nr;
	return table->rows;
}
