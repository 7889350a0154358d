/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every reader's source shares: its operations and the information it fills in.
 */
#ifndef PCR_SOURCE_H
#define PCR_SOURCE_H

#include "pcr_formats.h"

struct pcr_source_ops {
	int (*replay)(struct pcr_source *src, pcr_event_fn fn, void *payload, char *errmsg);
	void (*close)(struct pcr_source *src);
	/* optional: bytes read and to read, for a progress line */
	int (*progress)(const struct pcr_source *src, uint64_t *done, uint64_t *total);
	/* optional: reading the replaying thread may do while it waits for the reader */
	int (*help)(struct pcr_source *src);
};

/*
 * Every reader's source struct starts with this. @spool_fd is the temporary copy the reader
 * opened through @spool_path (/proc/self/fd/N) when the recording was compressed or piped, or 0
 * for none; messages then name @name instead of @spool_path.
 */
struct pcr_source {
	const struct pcr_source_ops *ops;
	struct pcr_source_info info;
	int spool_fd;
	char spool_path[32];
	const char *name;
	pcr_flush_fn flush;
	void *flush_ctx;
};

/* For a reader about to wait for events: what it delivered goes on now (pcr_source_set_flush()). */
static inline void pcr_source_flushed(struct pcr_source *src)
{
	if (src->flush)
		src->flush(src->flush_ctx);
}

/**
 * pcr_source_rename - name the recording in a reader's message instead of its temporary copy
 * @errmsg: the message (PCR_ERRMSG_LEN bytes)
 * @from: the temporary copy's path
 * @to: the recording's name
 */
void pcr_source_rename(char *errmsg, const char *from, const char *to);

/**
 * struct pcr_pending - boot markers of a buffer, read before its first page event made it the
 * replayed buffer
 * @evs:	the marker events, in order
 * @nr:		how many
 * @cap:	room in @evs
 */
struct pcr_pending {
	struct pcr_event *evs;
	size_t nr;
	size_t cap;
};

/**
 * pcr_pending_add - keep a marker until its buffer is known to be the replayed one
 * @p: the buffer's pending markers
 * @ev: the marker (its comm is not kept)
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_pending_add(struct pcr_pending *p, const struct pcr_event *ev);

/**
 * pcr_pending_flush - hand the kept markers on, in order, and forget them
 * @p: the buffer's pending markers
 * @fn: receives each
 * @payload: passed to @fn
 *
 * Return: 0, or the first non-zero value of @fn.
 */
int pcr_pending_flush(struct pcr_pending *p, pcr_event_fn fn, void *payload);

/**
 * pcr_pending_free - release the kept markers
 * @p: the buffer's pending markers
 */
void pcr_pending_free(struct pcr_pending *p);

#endif /* PCR_SOURCE_H */
