// SPDX-License-Identifier: GPL-2.0
/*
 * The progress line of long replays (see progress.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

/* The clock is read once every this many events (a power of two): cheap next to an event. */
#define PROGRESS_CHECK_EVERY 16384

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void pcr_progress_init(struct pcr_progress *p, const struct pcr_source *src, pcr_event_fn fn,
		       void *payload)
{
	const char *ms = getenv(PCR_PROGRESS_ENV);
	char *end = NULL;
	long v = ms ? strtol(ms, &end, 10) : -1;

	p->src = src;
	p->fn = fn;
	p->payload = payload;
	p->events = 0;
	p->enabled = isatty(STDERR_FILENO);
	p->shown = false;
	p->interval = v >= 0 && end && !*end ? (double)v / 1000 : 0.25;
	/* Updating at every chance is for tests: then every event is a chance. */
	p->mask = p->interval > 0 ? PROGRESS_CHECK_EVERY - 1 : 0;
	p->start = p->enabled ? seconds() : 0;
	p->last = p->start;
}

static void show(struct pcr_progress *p, double t)
{
	double rate = t > p->start ? (double)p->events / (t - p->start) : 0;
	uint64_t done, total;

	if (!pcr_source_progress(p->src, &done, &total) && total)
		fprintf(stderr, "\rpagecheck-replay: %.2f M events, %d%%, %.2f M events/s\033[K",
			(double)p->events / 1e6, (int)(done * 100 / total), rate / 1e6);
	else
		fprintf(stderr, "\rpagecheck-replay: %.2f M events, %.2f M events/s\033[K",
			(double)p->events / 1e6, rate / 1e6);
	fflush(stderr);
	p->shown = true;
	p->last = t;
}

int pcr_progress_feed(const struct pcr_event *ev, void *payload)
{
	struct pcr_progress *p = payload;

	if (p->enabled && !(++p->events & p->mask)) {
		double t = seconds();

		if (t - p->last >= p->interval)
			show(p, t);
	}
	return p->fn(ev, p->payload);
}

void pcr_progress_end(struct pcr_progress *p)
{
	if (!p->shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p->shown = false;
}
