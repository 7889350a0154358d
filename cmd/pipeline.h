/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a recording on one thread while the replay runs on another.
 *
 * The reader thread runs pcr_source_replay() and copies the events, task names included, into
 * batches; the calling thread passes every event of every batch, in order, to the consumer. The
 * consumer sees exactly the stream a single-threaded replay sees, so the reports are the same
 * byte for byte; only the wall time changes.
 */
#ifndef PCR_PIPELINE_H
#define PCR_PIPELINE_H

#include "pcr_formats.h"
#include "progress.h"

/**
 * typedef pcr_prefetch_fn - hint that an event will be consumed soon
 * @ev: an event some places ahead of the one being consumed
 * @near: false for an event well ahead, true for one a few places ahead (each event is hinted
 *	both ways, far first)
 * @payload: the consumer's payload
 */
typedef void (*pcr_prefetch_fn)(const struct pcr_event *ev, bool near, void *payload);

/**
 * pcr_pipeline_usable - whether a source may be read beside its consumer
 * @src: an open source
 *
 * The consumer's reports look up task names through the source while it reads; only sources
 * whose lookups are safe then say so (struct pcr_source_info's @parallel_safe).
 *
 * Return: true when pcr_pipeline_replay() may be used with @src.
 */
bool pcr_pipeline_usable(const struct pcr_source *src);

/**
 * pcr_pipeline_replay - pcr_source_replay() with the reading on a thread of its own
 * @src: the source; pcr_pipeline_usable() must be true
 * @progress: a progress line prepared with pcr_progress_init(), updated on the reader thread;
 *	its fn and payload are replaced by the queue
 * @fn: the consumer, called on the calling thread for each event in order
 * @prefetch: called with an event a few places before @fn sees it, or NULL
 * @payload: passed to @fn and @prefetch
 * @errmsg: receives the reader's one-line message on failure (PCR_ERRMSG_LEN bytes)
 *
 * When @fn returns a negative value the reader is stopped and that value is returned, as
 * pcr_source_replay() does.
 *
 * Return: 0, the first negative value @fn returned, or the reader's negative error code.
 */
int pcr_pipeline_replay(struct pcr_source *src, struct pcr_progress *progress, pcr_event_fn fn,
			pcr_prefetch_fn prefetch, void *payload, char *errmsg);

#endif
