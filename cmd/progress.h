/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A progress line on standard error for long replays, when standard error is a terminal:
 * events replayed, how much of the recording is read, the rate. Updated a few times a second
 * and erased at the end; nothing at all when standard error is a file or a pipe.
 */
#ifndef PCR_PROGRESS_H
#define PCR_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "pcr_formats.h"

/* Environment: milliseconds between updates (default 250; 0 updates as often as it checks). */
#define PCR_PROGRESS_ENV "PAGECHECK_REPLAY_PROGRESS_MS"

/**
 * struct pcr_progress - the state of a progress line
 * @src:	the source replayed (for the share of it read)
 * @fn:		where the events go
 * @payload:	@fn's payload
 * @events:	events passed on so far
 * @mask:	the clock is read when (@events & @mask) == 0
 * @start:	when the replay started (seconds)
 * @last:	when the line was last written
 * @interval:	seconds between updates
 * @enabled:	standard error is a terminal
 * @shown:	a line is on the screen
 */
struct pcr_progress {
	const struct pcr_source *src;
	pcr_event_fn fn;
	void *payload;
	uint64_t events;
	uint64_t mask;
	double start;
	double last;
	double interval;
	bool enabled;
	bool shown;
};

/**
 * pcr_progress_init - prepare a progress line for one replay
 * @p: the state
 * @src: the source about to be replayed
 * @fn: where pcr_progress_feed() passes the events on
 * @payload: @fn's payload
 */
void pcr_progress_init(struct pcr_progress *p, const struct pcr_source *src, pcr_event_fn fn,
		       void *payload);

/**
 * pcr_progress_feed - a pcr_event_fn that passes each event on and updates the line
 * @ev: the event
 * @payload: the struct pcr_progress
 *
 * Return: what the wrapped function returned.
 */
int pcr_progress_feed(const struct pcr_event *ev, void *payload);

/**
 * pcr_progress_end - erase the line, if one is shown
 * @p: the state
 */
void pcr_progress_end(struct pcr_progress *p);

#endif /* PCR_PROGRESS_H */
