/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the text reader learns as it reads (text.c): the names it interns (event, symbol and
 * module names), the symbols its stack frames name, and the task name of each pid.
 */
#ifndef PCR_TEXTTAB_H
#define PCR_TEXTTAB_H

#include <stddef.h>
#include <stdint.h>

#include "pcr_formats.h"

struct pcr_text_line;
struct text_symbol;
struct text_comm;

/**
 * struct pcr_text_tab - the text reader's tables; all zero is an empty one
 * @names:	interned strings, in the order they came
 * @nr_names:	how many
 * @cap_names:	room in @names
 * @name_hash:	open addressing over @names: index + 1, 0 for empty
 * @cap_name_hash: its size (a power of two)
 * @syms:	open addressing on the address; a slot without a name is empty
 * @nr_syms:	how many
 * @cap_syms:	its size (a power of two)
 * @comms:	open addressing on the pid
 * @nr_comms:	how many
 * @cap_comms:	its size (a power of two)
 */
struct pcr_text_tab {
	char **names;
	size_t nr_names;
	size_t cap_names;
	size_t *name_hash;
	size_t cap_name_hash;
	struct text_symbol *syms;
	size_t nr_syms;
	size_t cap_syms;
	struct text_comm *comms;
	size_t nr_comms;
	size_t cap_comms;
};

/**
 * pcr_text_intern - the one copy of a string
 * @tab: the tables
 * @s: the string (not NUL-terminated)
 * @len: its length
 * @index: receives its index (the order strings were first interned)
 *
 * Return: the copy, valid until pcr_text_tab_free(), or NULL when out of memory or room.
 */
const char *pcr_text_intern(struct pcr_text_tab *tab, const char *s, size_t len, size_t *index);

/**
 * pcr_text_frame_address - a frame's address, its symbol kept for pcr_text_resolve()
 * @tab: the tables
 * @tl: the frame line
 * @addr: receives the address
 *
 * A frame that names a symbol but shows no address gets one made up: 16 MiB a distinct name,
 * from 0xfffffe0000000000, the offset within it.
 *
 * Return: 0, 1 when the frame has no address to give, or -PCR_ERR_NOMEM.
 */
int pcr_text_frame_address(struct pcr_text_tab *tab, const struct pcr_text_line *tl,
			   uint64_t *addr);

/**
 * pcr_text_resolve - the symbol of an address a frame gave (a pcr_resolve_fn)
 * @ctx: the tables
 * @addr: the address
 * @sym: receives the symbol
 *
 * Return: 0, or -PCR_ERR_INVAL when no frame named it.
 */
int pcr_text_resolve(void *ctx, uint64_t addr, struct pcr_symbol *sym);

/**
 * pcr_text_comm_set - remember a pid's task name
 * @tab: the tables
 * @pid: the pid
 * @comm: its name (cut to PCR_COMM_LEN - 1 characters)
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_text_comm_set(struct pcr_text_tab *tab, int32_t pid, const char *comm);

/**
 * pcr_text_comm - a pid's last task name (the source's comm callback)
 * @ctx: the tables
 * @pid: the pid
 *
 * Return: its name, or "<...>" when none was seen.
 */
const char *pcr_text_comm(void *ctx, int pid);

/**
 * pcr_text_tab_free - release the tables
 * @tab: the tables (left empty)
 */
void pcr_text_tab_free(struct pcr_text_tab *tab);

#endif /* PCR_TEXTTAB_H */
