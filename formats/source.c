// SPDX-License-Identifier: GPL-2.0
/*
 * The reader-independent part of a source.
 */
#include <stdarg.h>
#include <stdio.h>

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

void pcr_source_close(struct pcr_source *src)
{
	if (src)
		src->ops->close(src);
}
