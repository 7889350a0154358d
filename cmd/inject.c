// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection into a replay (see inject.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "inject.h"

static const char *const fault_names[PCR_FAULT_NR] = {
	[PCR_FAULT_DOUBLE_ALLOC] = "double-alloc",
	[PCR_FAULT_DOUBLE_FREE] = "double-free",
	[PCR_FAULT_FLIP_PRIMARY] = "flip-primary",
	[PCR_FAULT_FLIP_SECONDARY] = "flip-secondary",
};

/* What an injected frame is called in stacks and signatures. */
static const char *const frame_names[PCR_FAULT_NR] = {
	[PCR_FAULT_DOUBLE_ALLOC] = "pagecheck_inject_double_alloc",
	[PCR_FAULT_DOUBLE_FREE] = "pagecheck_inject_double_free",
	[PCR_FAULT_FLIP_PRIMARY] = "pagecheck_inject_flip_primary",
	[PCR_FAULT_FLIP_SECONDARY] = "pagecheck_inject_flip_secondary",
};

const char *pcr_fault_name(int fault)
{
	return fault >= 0 && fault < PCR_FAULT_NR ? fault_names[fault] : "?";
}

static int injection_cmp(const void *a, const void *b)
{
	const struct pcr_injection *x = a, *y = b;

	if (x->ts_ns != y->ts_ns)
		return x->ts_ns < y->ts_ns ? -1 : 1;
	return 0;
}

static int parse_one(const char *spec, size_t len, struct pcr_injection *inj)
{
	char buf[128], *colon, *at;
	int fault;

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, spec, len);
	buf[len] = '\0';
	colon = strchr(buf, ':');
	at = colon ? strchr(colon, '@') : NULL;
	if (!colon || !at)
		return -1;
	*colon = '\0';
	*at = '\0';
	for (fault = 0; fault < PCR_FAULT_NR; fault++)
		if (!strcmp(buf, fault_names[fault]))
			break;
	if (fault == PCR_FAULT_NR || pcr_parse_pfn(colon + 1, &inj->pfn) ||
	    pcr_parse_seconds(at + 1, &inj->ts_ns) || inj->pfn == PCR_PFN_NONE)
		return -1;
	inj->fault = fault;
	inj->done = false;
	return 0;
}

int pcr_parse_injections(const char *text, struct pcr_injection **out, size_t *nr)
{
	struct pcr_injection *inj = NULL, *bigger;
	const char *p = text;
	size_t n = 0;

	*out = NULL;
	*nr = 0;
	while (*p) {
		size_t len = strcspn(p, ",");

		bigger = realloc(inj, (n + 1) * sizeof(*inj));
		if (!bigger || parse_one(p, len, &bigger[n])) {
			free(bigger ? bigger : inj);
			return -1;
		}
		inj = bigger;
		n++;
		p += len;
		if (*p == ',')
			p++;
	}
	if (!n)
		return -1;
	/* Stable enough: equal times keep no particular order, and need none. */
	qsort(inj, n, sizeof(*inj), injection_cmp);
	*out = inj;
	*nr = n;
	return 0;
}

int pcr_inject_due(struct pcr_injection *inj, size_t nr, uint64_t ts_ns,
		   struct pcr_engine *engine, struct pcr_depot *depot)
{
	size_t i;
	int ret;

	for (i = 0; i < nr; i++) {
		uint64_t frame = PCR_INJECT_FRAME + (uint64_t)inj[i].fault;
		struct pcr_event ev = {
			.ts_ns = inj[i].ts_ns, .pfn = inj[i].pfn, .migratetype = -1,
			.comm = "pagecheck-inject",
		};
		uint32_t id = 0;

		if (inj[i].done || inj[i].ts_ns > ts_ns)
			continue;
		inj[i].done = true;
		if (inj[i].fault == PCR_FAULT_FLIP_PRIMARY ||
		    inj[i].fault == PCR_FAULT_FLIP_SECONDARY) {
			ret = pcr_engine_flip(engine, inj[i].pfn,
					      inj[i].fault == PCR_FAULT_FLIP_PRIMARY ?
					      PCR_BITMAP_PRIMARY : PCR_BITMAP_SECONDARY);
			if (ret && ret != -PCR_ERR_INVAL)
				return ret;
			continue;
		}
		if (depot) {
			ret = pcr_depot_add(depot, &frame, 1, &id);
			if (ret)
				return ret;
		}
		ev.stack_id = id;
		ev.kind = inj[i].fault == PCR_FAULT_DOUBLE_ALLOC ? PCR_EV_ALLOC : PCR_EV_FREE;
		ret = pcr_engine_feed(engine, &ev);
		if (ret)
			return ret;
	}
	return 0;
}

int pcr_inject_resolve(void *ctx, uint64_t addr, struct pcr_symbol *sym)
{
	const struct pcr_symbolizer *next = ctx;

	if (addr >= PCR_INJECT_FRAME && addr < PCR_INJECT_FRAME + PCR_FAULT_NR) {
		sym->name = frame_names[addr - PCR_INJECT_FRAME];
		sym->module = NULL;
		sym->start = addr;
		sym->size = 1;
		return 0;
	}
	if (!next || !next->resolve)
		return -PCR_ERR_INVAL;
	return next->resolve(next->ctx, addr, sym);
}
