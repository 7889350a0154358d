// SPDX-License-Identifier: GPL-2.0
/*
 * The two-thread replay (cmd/pipeline.c) with a source that reads events as they happen: what
 * the source delivered before it waits reaches the consumer when it says so
 * (pcr_source_set_flush()), not when a batch of 4,096 fills or the replay ends.
 *
 * The fake source delivers a first burst of events, may say it waits, and then waits until the
 * consumer has seen them all (or a deadline passes); then a second burst. Every event is
 * delivered once, in order, either way; only when it said so does the consumer see the first
 * burst while the source waits.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "pipeline.h"
#include "progress.h"
#include "source.h"

#define FIRST_BURST 10
#define SECOND_BURST 7

struct fake_live {
	struct pcr_source base;
	pthread_mutex_t lock;
	pthread_cond_t seen_more;
	uint64_t seen;		/* events the consumer got */
	uint64_t next_ts;	/* the consumer's check of the order */
	bool say_flushed;	/* the source says it waits after the first burst */
	bool first_seen_in_time;
	long wait_ms;
};

static int deliver(pcr_event_fn fn, void *payload, uint64_t from, uint64_t n)
{
	uint64_t i;
	int ret;

	for (i = from; i < from + n; i++) {
		struct pcr_event ev = { .ts_ns = i, .pfn = 0x1000 + i, .kind = PCR_EV_ALLOC,
					.pid = 42, .comm = "fake" };

		ret = fn(&ev, payload);
		if (ret)
			return ret;
	}
	return 0;
}

static int fake_replay(struct pcr_source *src, pcr_event_fn fn, void *payload, char *errmsg)
{
	struct fake_live *f = (struct fake_live *)src;
	struct timespec deadline;
	int ret;

	(void)errmsg;
	ret = deliver(fn, payload, 1, FIRST_BURST);
	if (ret)
		return ret;
	if (f->say_flushed)
		pcr_source_flushed(src);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += f->wait_ms / 1000;
	deadline.tv_nsec += (f->wait_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&f->lock);
	while (f->seen < FIRST_BURST &&
	       pthread_cond_timedwait(&f->seen_more, &f->lock, &deadline) != ETIMEDOUT)
		;
	f->first_seen_in_time = f->seen == FIRST_BURST;
	pthread_mutex_unlock(&f->lock);
	return deliver(fn, payload, FIRST_BURST + 1, SECOND_BURST);
}

static void fake_close(struct pcr_source *src)
{
	(void)src;
}

static const struct pcr_source_ops fake_ops = { .replay = fake_replay, .close = fake_close };

static int consume(const struct pcr_event *ev, void *payload)
{
	struct fake_live *f = payload;

	cr_expect_eq(ev->ts_ns, f->next_ts + 1, "event %llu after %llu",
		     (unsigned long long)ev->ts_ns, (unsigned long long)f->next_ts);
	cr_expect_str_eq(ev->comm, "fake");
	f->next_ts = ev->ts_ns;
	pthread_mutex_lock(&f->lock);
	f->seen++;
	pthread_cond_signal(&f->seen_more);
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static void run(struct fake_live *f, bool say_flushed, long wait_ms)
{
	char errmsg[PCR_ERRMSG_LEN] = "";
	struct pcr_progress progress;

	memset(f, 0, sizeof(*f));
	f->base.ops = &fake_ops;
	f->base.info.parallel_safe = true;
	f->say_flushed = say_flushed;
	f->wait_ms = wait_ms;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->seen_more, NULL);
	cr_assert(pcr_pipeline_usable(&f->base));
	pcr_progress_init(&progress, &f->base, consume, f);
	progress.enabled = false;
	cr_assert_eq(pcr_pipeline_replay(&f->base, &progress, consume, NULL, f, errmsg), 0, "%s",
		     errmsg);
	cr_expect_eq(f->seen, FIRST_BURST + SECOND_BURST);
	cr_expect_eq(f->next_ts, FIRST_BURST + SECOND_BURST);
	pthread_cond_destroy(&f->seen_more);
	pthread_mutex_destroy(&f->lock);
}

Test(pipeline, flushed_events_reach_the_consumer_while_the_source_waits)
{
	struct fake_live f;

	/* Generous: the consumer needs microseconds, a loaded sanitizer build more. */
	run(&f, true, 30000);
	cr_expect(f.first_seen_in_time, "the first burst waited for the end of the replay");
	cr_expect_null(f.base.flush, "the pipeline left its flush hook on the source");
}

Test(pipeline, unflushed_events_wait_for_a_full_batch_or_the_end)
{
	struct fake_live f;

	/* Why the hook exists: without it the first burst stays in the reader's batch. */
	run(&f, false, 300);
	cr_expect_not(f.first_seen_in_time, "the first burst arrived without a flush");
}
