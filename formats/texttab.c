// SPDX-License-Identifier: GPL-2.0
/*
 * The text reader's tables (texttab.h): interned names, the symbols stack frames name and the
 * task names of pids, each an open-addressing hash table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textline.h"
#include "texttab.h"

#define TEXT_MAX_NAMES 65536
/* Frames that carry no address get one in this range: 16 MiB per distinct symbol name. */
#define SYNTH_BASE 0xfffffe0000000000ull
#define SYNTH_SHIFT 24
#define SYNTH_MAX_NAMES (1u << 16)

struct text_symbol {
	uint64_t addr;
	uint64_t start;
	uint64_t size;
	const char *name;
	const char *module;
};

struct text_comm {
	int32_t pid;
	bool used;
	char comm[PCR_COMM_LEN];
};

static size_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return (size_t)h;
}

/* Returns the interned copy of s[0..len) and its index, or NULL when out of memory or room. */
const char *pcr_text_intern(struct pcr_text_tab *tab, const char *s, size_t len, size_t *index)
{
	size_t h, i, mask;

	if (tab->nr_names * 2 + 2 > tab->cap_name_hash && tab->nr_names < TEXT_MAX_NAMES) {
		size_t cap = tab->cap_name_hash ? tab->cap_name_hash * 2 : 1024;
		size_t *table = calloc(cap, sizeof(*table));

		if (!table)
			return NULL;
		for (i = 0; i < tab->nr_names; i++) {
			h = hash_bytes(tab->names[i], strlen(tab->names[i])) & (cap - 1);
			while (table[h])
				h = (h + 1) & (cap - 1);
			table[h] = i + 1;
		}
		free(tab->name_hash);
		tab->name_hash = table;
		tab->cap_name_hash = cap;
	}
	mask = tab->cap_name_hash - 1;
	for (h = hash_bytes(s, len) & mask; tab->name_hash[h]; h = (h + 1) & mask) {
		const char *n = tab->names[tab->name_hash[h] - 1];

		if (!strncmp(n, s, len) && !n[len]) {
			*index = tab->name_hash[h] - 1;
			return n;
		}
	}
	if (tab->nr_names >= TEXT_MAX_NAMES || tab->nr_names * 2 + 2 > tab->cap_name_hash)
		return NULL;
	if (tab->nr_names == tab->cap_names) {
		size_t cap = tab->cap_names ? tab->cap_names * 2 : 256;
		char **names = realloc(tab->names, cap * sizeof(*names));

		if (!names)
			return NULL;
		tab->names = names;
		tab->cap_names = cap;
	}
	tab->names[tab->nr_names] = strndup(s, len);
	if (!tab->names[tab->nr_names])
		return NULL;
	tab->name_hash[h] = tab->nr_names + 1;
	*index = tab->nr_names;
	return tab->names[tab->nr_names++];
}

static size_t hash_u64(uint64_t v)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdull;
	v ^= v >> 33;
	return (size_t)v;
}

static struct text_symbol *sym_slot(const struct pcr_text_tab *tab, uint64_t addr)
{
	size_t mask = tab->cap_syms - 1, h;

	for (h = hash_u64(addr) & mask; tab->syms[h].name; h = (h + 1) & mask)
		if (tab->syms[h].addr == addr)
			return &tab->syms[h];
	return &tab->syms[h];
}

static int sym_add(struct pcr_text_tab *tab, const struct text_symbol *sym)
{
	struct text_symbol *slot;

	if (tab->nr_syms * 2 >= tab->cap_syms) {
		size_t cap = tab->cap_syms ? tab->cap_syms * 2 : 1024, i;
		struct text_symbol *old = tab->syms;
		size_t old_cap = tab->cap_syms;

		tab->syms = calloc(cap, sizeof(*tab->syms));
		if (!tab->syms) {
			tab->syms = old;
			return -PCR_ERR_NOMEM;
		}
		tab->cap_syms = cap;
		for (i = 0; i < old_cap; i++)
			if (old[i].name)
				*sym_slot(tab, old[i].addr) = old[i];
		free(old);
	}
	slot = sym_slot(tab, sym->addr);
	if (slot->name)
		return 0;
	*slot = *sym;
	tab->nr_syms++;
	return 0;
}

int pcr_text_resolve(void *ctx, uint64_t addr, struct pcr_symbol *sym)
{
	const struct pcr_text_tab *tab = ctx;
	const struct text_symbol *s;

	if (!tab->cap_syms)
		return -PCR_ERR_INVAL;
	s = sym_slot(tab, addr);
	if (!s->name)
		return -PCR_ERR_INVAL;
	sym->name = s->name;
	sym->module = s->module;
	sym->start = s->start;
	sym->size = s->size;
	return 0;
}

static struct text_comm *comm_slot(const struct pcr_text_tab *tab, int32_t pid)
{
	size_t mask = tab->cap_comms - 1, h;

	for (h = hash_u64((uint64_t)(uint32_t)pid) & mask; tab->comms[h].used; h = (h + 1) & mask)
		if (tab->comms[h].pid == pid)
			return &tab->comms[h];
	return &tab->comms[h];
}

int pcr_text_comm_set(struct pcr_text_tab *tab, int32_t pid, const char *comm)
{
	struct text_comm *slot;

	if (tab->nr_comms * 2 >= tab->cap_comms) {
		size_t cap = tab->cap_comms ? tab->cap_comms * 2 : 256, i;
		struct text_comm *old = tab->comms;
		size_t old_cap = tab->cap_comms;

		tab->comms = calloc(cap, sizeof(*tab->comms));
		if (!tab->comms) {
			tab->comms = old;
			return -PCR_ERR_NOMEM;
		}
		tab->cap_comms = cap;
		for (i = 0; i < old_cap; i++)
			if (old[i].used)
				*comm_slot(tab, old[i].pid) = old[i];
		free(old);
	}
	slot = comm_slot(tab, pid);
	if (!slot->used)
		tab->nr_comms++;
	slot->used = true;
	slot->pid = pid;
	snprintf(slot->comm, sizeof(slot->comm), "%s", comm);
	return 0;
}

const char *pcr_text_comm(void *ctx, int pid)
{
	const struct pcr_text_tab *tab = ctx;
	const struct text_comm *c;

	if (!tab->cap_comms)
		return "<...>";
	c = comm_slot(tab, pid);
	return c->used ? c->comm : "<...>";
}

/* The frame's address, making one up for a frame that names a symbol but shows no address. */
int pcr_text_frame_address(struct pcr_text_tab *tab, const struct pcr_text_line *tl,
			   uint64_t *addr)
{
	struct text_symbol sym = { 0 };
	size_t idx, mod_idx;
	const char *name;

	if (!tl->sym) {
		*addr = tl->addr;
		return tl->have_addr ? 0 : 1;
	}
	name = pcr_text_intern(tab, tl->sym, tl->sym_len, &idx);
	if (!name)
		return tl->have_addr ? (*addr = tl->addr, 0) : 1;
	if (tl->module)
		sym.module = pcr_text_intern(tab, tl->module, tl->module_len, &mod_idx);
	sym.name = name;
	if (tl->have_addr) {
		sym.addr = tl->addr;
		sym.start = tl->have_off && tl->off <= tl->addr ? tl->addr - tl->off : tl->addr;
		sym.size = tl->have_size ? tl->size : 0;
	} else {
		if (idx >= SYNTH_MAX_NAMES)
			return 1;
		sym.start = SYNTH_BASE + ((uint64_t)idx << SYNTH_SHIFT);
		sym.addr = sym.start + (tl->have_off && tl->off < (1ull << SYNTH_SHIFT) ? tl->off : 0);
		sym.size = tl->have_size ? tl->size : 0;
	}
	*addr = sym.addr;
	return sym_add(tab, &sym);
}

void pcr_text_tab_free(struct pcr_text_tab *tab)
{
	size_t i;

	for (i = 0; i < tab->nr_names; i++)
		free(tab->names[i]);
	free(tab->names);
	free(tab->name_hash);
	free(tab->syms);
	free(tab->comms);
	memset(tab, 0, sizeof(*tab));
}
