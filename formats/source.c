// SPDX-License-Identifier: GPL-2.0
/*
 * The reader-independent part of a source.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "source.h"

int pcr_errmsg(char *errmsg, int err, const char *fmt, ...)
{
	va_list ap;

	if (errmsg) {
		va_start(ap, fmt);
		vsnprintf(errmsg, PCR_ERRMSG_LEN, fmt, ap);
		va_end(ap);
	}
	return err;
}

int pcr_source_replay(struct pcr_source *src, pcr_event_fn fn, void *payload, char *errmsg)
{
	return src->ops->replay(src, fn, payload, errmsg);
}

int pcr_source_progress(const struct pcr_source *src, uint64_t *done, uint64_t *total)
{
	*done = 0;
	*total = 0;
	return src->ops->progress ? src->ops->progress(src, done, total) : -1;
}

const struct pcr_source_info *pcr_source_info(const struct pcr_source *src)
{
	return &src->info;
}

int pcr_pending_add(struct pcr_pending *p, const struct pcr_event *ev)
{
	if (p->nr == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct pcr_event *evs = realloc(p->evs, cap * sizeof(*evs));

		if (!evs)
			return -PCR_ERR_NOMEM;
		p->evs = evs;
		p->cap = cap;
	}
	p->evs[p->nr] = *ev;
	p->evs[p->nr++].comm = NULL;
	return 0;
}

int pcr_pending_flush(struct pcr_pending *p, pcr_event_fn fn, void *payload)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < p->nr && !ret; i++)
		ret = fn(&p->evs[i], payload);
	pcr_pending_free(p);
	return ret;
}

void pcr_pending_free(struct pcr_pending *p)
{
	free(p->evs);
	p->evs = NULL;
	p->nr = p->cap = 0;
}

void pcr_source_close(struct pcr_source *src)
{
	if (src)
		src->ops->close(src);
}
