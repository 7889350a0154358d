// SPDX-License-Identifier: GPL-2.0
/*
 * A recording's kallsyms, named as libtraceevent 1.7.1 names them, for a fraction of the cost.
 *
 * Why: tep_parse_kallsyms() runs sscanf() on each of a kernel's ~170,000 lines and makes two
 * allocations per function; the first lookup then sorts them. On a small recording that was
 * most of the replay (testdata's t06: 40 % of its samples, README "Speed"). This table keeps
 * the text and one array, and gives the same answer for every address:
 *
 * - the functions are the lines tep_parse_kallsyms() registers: "ADDR TYPE NAME[\t[MOD]]",
 *   not of type 'A' or 'a' and not named "$..." (its hacks for arm and x86-64 per-cpu
 *   symbols); a line of another shape is left to libtraceevent (no table is built);
 * - libtraceevent lists them newest first and sorts that list with glibc's qsort(), a stable
 *   merge sort: by address, equal addresses in the reverse of the file's order. This array is
 *   in that order, with the same end record (address 0);
 * - the lookup is glibc's bsearch() with libtraceevent's comparison (the function whose
 *   address is the one asked, or which the next one's lies above), so that among aliases
 *   the same one is found; the size is the distance to the next entry, as there.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pcr_formats.h"
#include "tepsyms.h"

struct tepsym {
	uint64_t addr;
	const char *name;
	size_t order;		/* the line's place in the file */
};

struct pcr_tepsyms {
	struct tepsym *syms;	/* nr sorted entries, then the end record */
	size_t nr;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\0';
}

/* Adds hex digit @c to *@v; false if @c is not one. */
static inline bool hex_digit(char c, uint64_t *v)
{
	unsigned int d;

	if (c >= '0' && c <= '9')
		d = (unsigned int)(c - '0');
	else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		d = (unsigned int)((c | 0x20) - 'a' + 10);
	else
		return false;
	*v = *v << 4 | d;
	return true;
}

/*
 * One line, NUL-terminated in place: 1 if it registers a function (*@sym filled), 0 if
 * libtraceevent skips it, -1 if it is of a shape left to libtraceevent.
 */
static int parse_line(char *line, struct tepsym *sym)
{
	char *p = line, *name, *end;
	uint64_t addr;
	char type;
	int n;

	/* at most 16 digits, as its "%16llx" reads them (strtoull() of them, a third of the time) */
	for (n = 0, addr = 0; n < 16 && hex_digit(*p, &addr); n++, p++)
		;
	if (!n || p[0] != ' ' || is_blank(p[1]) || p[2] != ' ' || is_blank(p[3]))
		return -1;
	type = p[1];
	name = p + 3;
	for (end = name; !is_blank(*end); end++)
		;
	if (*end == '\t') {
		/* "\t[MOD]": the module, which libtraceevent keeps but never gives back here */
		char *mod = end + 1, *q;

		if (mod[0] != '[')
			return -1;
		for (q = mod + 1; !is_blank(*q); q++)
			;
		if (*q || q - mod < 3 || q[-1] != ']')
			return -1;
	} else if (*end) {
		return -1;
	}
	*end = '\0';
	if (name[0] == '$' || type == 'A' || type == 'a')
		return 0;
	sym->addr = addr;
	sym->name = name;
	return 1;
}

int pcr_tepsyms_any(const char *text, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		char copy[512];
		struct tepsym sym;
		int ret;

		pos += n + 1;
		if (!n)
			continue;
		if (n >= sizeof(copy))
			return -1;
		memcpy(copy, line, n);
		copy[n] = '\0';
		ret = parse_line(copy, &sym);
		if (ret)
			return ret;
	}
	return 0;
}

/* libtraceevent's order: by address, equal ones newest first. */
static int sym_cmp(const void *a, const void *b)
{
	const struct tepsym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->order < y->order ? 1 : x->order > y->order ? -1 : 0;
}

/* Sorted already when the file lists them by address: then only runs of aliases turn round. */
static void sort_syms(struct tepsym *syms, size_t nr)
{
	size_t i, j;

	for (i = 1; i < nr; i++)
		if (syms[i].addr < syms[i - 1].addr) {
			qsort(syms, nr, sizeof(*syms), sym_cmp);
			return;
		}
	for (i = 0; i < nr; i = j) {
		size_t a, b;

		for (j = i + 1; j < nr && syms[j].addr == syms[i].addr; j++)
			;
		for (a = i, b = j - 1; a < b; a++, b--) {
			struct tepsym t = syms[a];

			syms[a] = syms[b];
			syms[b] = t;
		}
	}
}

/*
 * Puts back what the parse cut before @end: each NUL was a newline, or the tab before a
 * "[MOD]" (the text had no NUL: pcr_tep_check_kallsyms() accepted it).
 */
void pcr_tepsyms_restore(char *text, size_t end)
{
	size_t i;

	for (i = 0; i < end; i++)
		if (!text[i])
			text[i] = i + 1 < end && text[i + 1] == '[' ? '\t' : '\n';
}

int pcr_tepsyms_parse(struct pcr_tepsyms **out, char *text, size_t len)
{
	struct pcr_tepsyms *t = calloc(1, sizeof(*t));
	size_t cap = len / 32 + 16, pos = 0;
	int ret;

	*out = NULL;
	if (t)
		t->syms = pcr_alloc_large(cap * sizeof(*t->syms));
	if (!t || !t->syms) {
		free(t);
		return -PCR_ERR_NOMEM;
	}
	while (pos < len) {
		char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		struct tepsym sym;

		pos = nl ? (size_t)(nl - text) + 1 : len;
		if (nl)
			*nl = '\0';
		if (!*line)
			continue;	/* strtok_r() skips empty lines */
		ret = parse_line(line, &sym);
		if (ret < 0) {
			pcr_tepsyms_restore(text, pos);
			pcr_tepsyms_free(t);
			return 0;
		}
		if (!ret)
			continue;
		if (t->nr + 1 >= cap) {
			struct tepsym *more = realloc(t->syms, cap * 2 * sizeof(*more));

			if (!more) {
				pcr_tepsyms_restore(text, pos);
				pcr_tepsyms_free(t);
				return -PCR_ERR_NOMEM;
			}
			t->syms = more;
			cap *= 2;
		}
		sym.order = t->nr;
		t->syms[t->nr++] = sym;
	}
	sort_syms(t->syms, t->nr);
	t->syms[t->nr] = (struct tepsym){ .addr = 0, .name = NULL };
	*out = t;
	return 0;
}

size_t pcr_tepsyms_count(const struct pcr_tepsyms *t)
{
	return t->nr;
}

/* libtraceevent's func_bcmp(): the entry asked for, or the one the next entry lies above. */
static int sym_bcmp(const void *key, const void *elem)
{
	const struct tepsym *k = key, *e = elem;

	if (k->addr == e->addr || (k->addr > e->addr && k->addr < e[1].addr))
		return 0;
	return k->addr < e->addr ? -1 : 1;
}

int pcr_tepsyms_resolve(void *ctx, uint64_t addr, struct pcr_symbol *sym)
{
	const struct pcr_tepsyms *t = ctx;
	const struct tepsym key = { .addr = addr };
	const struct tepsym *e = bsearch(&key, t->syms, t->nr, sizeof(*t->syms), sym_bcmp);

	if (!e || !e->name)
		return -PCR_ERR_INVAL;
	sym->name = e->name;
	sym->module = NULL;
	sym->start = e->addr;
	/* an unsigned long, as tep_find_function_info() gives it (the last one's wraps) */
	sym->size = (unsigned long)(e[1].addr - e->addr);
	return 0;
}

void pcr_tepsyms_free(struct pcr_tepsyms *t)
{
	if (!t)
		return;
	free(t->syms);
	free(t);
}

size_t pcr_tepsyms_saved_size(const struct pcr_tepsyms *t)
{
	return t->nr * sizeof(struct pcr_tepsym_saved);
}

void pcr_tepsyms_save(const struct pcr_tepsyms *t, const char *text, struct pcr_tepsym_saved *out)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		out[i] = (struct pcr_tepsym_saved){ .addr = t->syms[i].addr,
						    .name = (uint64_t)(t->syms[i].name - text) };
}

int pcr_tepsyms_load(struct pcr_tepsyms **out, const char *text, size_t len,
		     const struct pcr_tepsym_saved *in, size_t nr)
{
	struct pcr_tepsyms *t;
	size_t i;

	*out = NULL;
	/* Each name must end inside the text, the entries in the order a lookup needs. */
	if (!len || text[len - 1] != '\0')
		return -PCR_ERR_FORMAT;
	for (i = 0; i < nr; i++)
		if (in[i].name >= len || (i && in[i].addr < in[i - 1].addr))
			return -PCR_ERR_FORMAT;
	t = calloc(1, sizeof(*t));
	if (t)
		t->syms = pcr_alloc_large((nr + 1) * sizeof(*t->syms));
	if (!t || !t->syms) {
		free(t);
		return -PCR_ERR_NOMEM;
	}
	for (i = 0; i < nr; i++)
		t->syms[i] = (struct tepsym){ .addr = in[i].addr, .name = text + in[i].name,
					      .order = i };
	t->syms[nr] = (struct tepsym){ .addr = 0, .name = NULL };
	t->nr = nr;
	*out = t;
	return 0;
}
