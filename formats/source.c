// SPDX-License-Identifier: GPL-2.0
/*
 * The reader-independent part of a source.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

int pcr_read_file(const char *path, char **text, size_t *len, char *errmsg)
{
	size_t cap = 1 << 16, n;
	FILE *f = fopen(path, "r");
	char *buf = NULL, *bigger;

	*text = NULL;
	*len = 0;
	if (!f)
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	for (;;) {
		if (!buf || *len + 1 >= cap) {
			cap *= 2;
			bigger = realloc(buf, cap);
			if (!bigger) {
				free(buf);
				fclose(f);
				return -PCR_ERR_NOMEM;
			}
			buf = bigger;
		}
		n = fread(buf + *len, 1, cap - *len - 1, f);
		*len += n;
		if (!n)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
	}
	fclose(f);
	buf[*len] = '\0';
	*text = buf;
	return 0;
}

void pcr_source_rename(char *errmsg, const char *from, const char *to)
{
	char out[PCR_ERRMSG_LEN];
	size_t n = 0, flen = strlen(from), tlen = strlen(to);
	const char *p = errmsg;

	if (!errmsg || !flen)
		return;
	while (*p && n + 1 < sizeof(out)) {
		if (!strncmp(p, from, flen) && n + tlen + 1 < sizeof(out)) {
			memcpy(out + n, to, tlen);
			n += tlen;
			p += flen;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	memcpy(errmsg, out, n + 1);
}

int pcr_source_replay(struct pcr_source *src, pcr_event_fn fn, void *payload, char *errmsg)
{
	int ret = src->ops->replay(src, fn, payload, errmsg);

	if (ret && src->spool_fd)
		pcr_source_rename(errmsg, src->spool_path, src->name);
	return ret;
}

int pcr_source_progress(const struct pcr_source *src, uint64_t *done, uint64_t *total)
{
	*done = 0;
	*total = 0;
	return src->ops->progress ? src->ops->progress(src, done, total) : -1;
}

void *pcr_alloc_large(size_t size)
{
	const size_t huge = 2u << 20;
	size_t rounded;
	void *p;

	if (size < PCR_LARGE_MIN)
		return malloc(size ? size : 1);
	/* Whole huge pages: a 4 KiB page at either end would fault on its own. */
	rounded = (size + huge - 1) & ~(huge - 1);
	p = aligned_alloc(huge, rounded);
#ifdef MADV_HUGEPAGE
	if (p)
		madvise(p, rounded, MADV_HUGEPAGE);
#endif
	return p;
}

int pcr_source_help(struct pcr_source *src)
{
	return src->ops->help ? src->ops->help(src) : 0;
}

void pcr_source_set_flush(struct pcr_source *src, pcr_flush_fn flush, void *ctx)
{
	src->flush = flush;
	src->flush_ctx = ctx;
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
	int spool_fd;

	if (!src)
		return;
	spool_fd = src->spool_fd;
	src->ops->close(src);
	if (spool_fd)
		close(spool_fd);
}
