// SPDX-License-Identifier: GPL-2.0
/*
 * The reader on a thread of its own (see pipeline.h).
 *
 * Events travel in batches through a ring of a few slots: one lock a batch, not an event, and a
 * wake-up every few batches. The slot being filled belongs to the reader, the slot being
 * replayed to the consumer; the counters @produced and @consumed, changed under the lock, say
 * which is which.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* 4096 events a batch: large v6 replayed 10% faster than with 1024; 8192 was no faster. */
#define PIPELINE_BATCH 4096
#define PIPELINE_SLOTS 8
/*
 * A consumer that ran out of batches sleeps until this many are ready, a reader that ran out of
 * slots until this many are free: waking the consumer for each batch cost the reader a futex
 * call a batch, 3% of its time (perf, README "Speed").
 */
#define PIPELINE_WAKE 4
/* How far ahead of the consumer the prefetch hints run: about a memory latency of events each. */
#define PIPELINE_PREFETCH_NEAR 8
#define PIPELINE_PREFETCH_FAR 16

struct pipeline_batch {
	size_t nr;
	_Alignas(64) struct pcr_event ev[PIPELINE_BATCH];
	char comm[PIPELINE_BATCH][PCR_COMM_LEN];
	bool has_comm[PIPELINE_BATCH];
};

struct pipeline {
	pthread_mutex_t lock;
	pthread_cond_t not_full;
	pthread_cond_t not_empty;
	struct pipeline_batch *slots;
	uint64_t produced;
	uint64_t consumed;
	/* The consumer's stop code, read by the reader without the lock once an event. */
	atomic_int stop;
	bool reader_done;
	int reader_ret;
	bool stable_comms;		/* the events' names outlive the calls: no copy */
	bool helps;			/* the consumer's pcr_source_help() found work last time */
	/* Reader side only. */
	struct pcr_source *src;
	struct pcr_progress *progress;
	struct pipeline_batch *fill;
	char errmsg[PCR_ERRMSG_LEN];
};

bool pcr_pipeline_usable(const struct pcr_source *src)
{
	return pcr_source_info(src)->parallel_safe;
}

/*
 * Copies an event into the batch with non-temporal stores where the CPU has them: the lines of
 * a batch were last read by the replaying thread's core, and ordinary stores to them stalled
 * the reader on taking each line back (perf, README "Speed").
 */
static inline void put_event(struct pcr_event *dst, const struct pcr_event *src)
{
#if defined(__SSE2__)
	const __m128i *from = (const __m128i *)src;
	__m128i *to = (__m128i *)dst;
	size_t i;

	for (i = 0; i < sizeof(*src) / sizeof(*from); i++)
		_mm_stream_si128(to + i, _mm_loadu_si128(from + i));
#else
	*dst = *src;
#endif
}

/* Orders the non-temporal stores of put_event() before the batch is handed over. */
static inline void put_fence(void)
{
#if defined(__SSE2__)
	_mm_sfence();
#endif
}

/* Waits for a free slot; returns the consumer's stop code if it stopped meanwhile. */
static int acquire_slot(struct pipeline *p)
{
	int stop;

	pthread_mutex_lock(&p->lock);
	while (p->produced - p->consumed == PIPELINE_SLOTS && !atomic_load(&p->stop))
		pthread_cond_wait(&p->not_full, &p->lock);
	stop = atomic_load(&p->stop);
	pthread_mutex_unlock(&p->lock);
	if (stop)
		return stop;
	p->fill = &p->slots[p->produced % PIPELINE_SLOTS];
	p->fill->nr = 0;
	return 0;
}

/* Hands the batch being filled on; @now wakes the consumer for it alone. */
static void publish_slot(struct pipeline *p, bool now)
{
	put_fence();
	pthread_mutex_lock(&p->lock);
	p->produced++;
	if (now || p->produced - p->consumed >= PIPELINE_WAKE)
		pthread_cond_signal(&p->not_empty);
	pthread_mutex_unlock(&p->lock);
	p->fill = NULL;
}

/*
 * Hands on a batch not yet full: when a live source waits for the kernel (what it read so far
 * is replayed now, not a batch later), and when the reader ends.
 */
static void flush_slot(void *ctx)
{
	struct pipeline *p = ctx;

	if (p->fill && p->fill->nr)
		publish_slot(p, true);
}

static int queue_event(const struct pcr_event *ev, void *payload)
{
	struct pipeline *p = payload;
	struct pipeline_batch *b;
	size_t i;
	int ret;

	ret = atomic_load_explicit(&p->stop, memory_order_relaxed);
	if (ret)
		return ret;
	if (!p->fill) {
		ret = acquire_slot(p);
		if (ret)
			return ret;
	}
	b = p->fill;
	i = b->nr++;
	put_event(&b->ev[i], ev);
	/* The reader's name buffers may be reused: the batch keeps its own copy. */
	b->has_comm[i] = ev->comm != NULL;
	if (ev->comm && !p->stable_comms) {
		size_t len = strnlen(ev->comm, PCR_COMM_LEN - 1);

		memcpy(b->comm[i], ev->comm, len);
		b->comm[i][len] = '\0';
	}
	if (b->nr == PIPELINE_BATCH)
		publish_slot(p, false);
	return 0;
}

static void *reader_main(void *arg)
{
	struct pipeline *p = arg;
	int ret;

	/* Without a progress line the events skip its counting: one call fewer an event. */
	if (p->progress->enabled)
		ret = pcr_source_replay(p->src, pcr_progress_feed, p->progress, p->errmsg);
	else
		ret = pcr_source_replay(p->src, queue_event, p, p->errmsg);
	/* The events before a failure are replayed, as a single thread would have. */
	flush_slot(p);
	pthread_mutex_lock(&p->lock);
	p->reader_done = true;
	p->reader_ret = ret;
	pthread_cond_signal(&p->not_empty);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void stop_reader(struct pipeline *p, int ret)
{
	pthread_mutex_lock(&p->lock);
	atomic_store(&p->stop, ret);
	pthread_cond_signal(&p->not_full);
	pthread_mutex_unlock(&p->lock);
}

static int consume_batch(struct pipeline_batch *b, bool stable_comms, pcr_event_fn fn,
			 pcr_prefetch_fn prefetch, void *payload)
{
	size_t i;
	int ret;

	if (prefetch) {
		for (i = 0; i < PIPELINE_PREFETCH_FAR && i < b->nr; i++)
			prefetch(&b->ev[i], false, payload);
		for (i = 0; i < PIPELINE_PREFETCH_NEAR && i < b->nr; i++)
			prefetch(&b->ev[i], true, payload);
	}
	for (i = 0; i < b->nr; i++) {
		if (prefetch && i + PIPELINE_PREFETCH_FAR < b->nr)
			prefetch(&b->ev[i + PIPELINE_PREFETCH_FAR], false, payload);
		if (prefetch && i + PIPELINE_PREFETCH_NEAR < b->nr)
			prefetch(&b->ev[i + PIPELINE_PREFETCH_NEAR], true, payload);
		if (!stable_comms)
			b->ev[i].comm = b->has_comm[i] ? b->comm[i] : NULL;
		ret = fn(&b->ev[i], payload);
		if (ret)
			return ret;
	}
	return 0;
}

int pcr_pipeline_replay(struct pcr_source *src, struct pcr_progress *progress, pcr_event_fn fn,
			pcr_prefetch_fn prefetch, void *payload, char *errmsg)
{
	struct pipeline *p = calloc(1, sizeof(*p));
	pthread_t reader;
	int ret = 0, reader_ret;

	if (!p)
		return pcr_errmsg(errmsg, -PCR_ERR_NOMEM, "out of memory");
	/* Huge pages: 2.6 MB of batches, each 4 KiB page a fault when it is first written. */
	p->slots = pcr_alloc_large(PIPELINE_SLOTS * sizeof(*p->slots));
	if (!p->slots) {
		free(p);
		return pcr_errmsg(errmsg, -PCR_ERR_NOMEM, "out of memory");
	}
	/* Not zeroed: a batch is written before it is read, and untouched slots cost no page. */
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->not_full, NULL);
	pthread_cond_init(&p->not_empty, NULL);
	atomic_init(&p->stop, 0);
	p->src = src;
	p->stable_comms = pcr_source_info(src)->stable_comms;
	p->helps = true;
	p->progress = progress;
	progress->fn = queue_event;
	progress->payload = p;
	pcr_source_set_flush(src, flush_slot, p);
	if (pthread_create(&reader, NULL, reader_main, p)) {
		ret = pcr_errmsg(errmsg, -PCR_ERR_NOMEM, "cannot start the reader thread");
		goto out;
	}
	for (;;) {
		struct pipeline_batch *b;
		bool done;

		pthread_mutex_lock(&p->lock);
		while (p->consumed == p->produced && !p->reader_done) {
			/* The reader is the longer thread: read ahead for it rather than sleep. */
			if (p->helps) {
				pthread_mutex_unlock(&p->lock);
				p->helps = pcr_source_help(src);
				pthread_mutex_lock(&p->lock);
				continue;
			}
			pthread_cond_wait(&p->not_empty, &p->lock);
			p->helps = true;
		}
		done = p->consumed == p->produced;
		pthread_mutex_unlock(&p->lock);
		if (done)
			break;
		b = &p->slots[p->consumed % PIPELINE_SLOTS];
		ret = consume_batch(b, p->stable_comms, fn, prefetch, payload);
		pthread_mutex_lock(&p->lock);
		p->consumed++;
		if (p->produced - p->consumed <= PIPELINE_SLOTS - PIPELINE_WAKE)
			pthread_cond_signal(&p->not_full);
		pthread_mutex_unlock(&p->lock);
		if (ret) {
			stop_reader(p, ret);
			break;
		}
	}
	pthread_join(reader, NULL);
	reader_ret = p->reader_ret;
	/* The consumer's stop comes first in the stream: the reader only read further. */
	if (!ret && reader_ret) {
		ret = reader_ret;
		if (errmsg)
			memcpy(errmsg, p->errmsg, PCR_ERRMSG_LEN);
	}
out:
	pcr_source_set_flush(src, NULL, NULL);
	pthread_cond_destroy(&p->not_empty);
	pthread_cond_destroy(&p->not_full);
	pthread_mutex_destroy(&p->lock);
	free(p->slots);
	free(p);
	return ret;
}
