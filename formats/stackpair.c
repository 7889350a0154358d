// SPDX-License-Identifier: GPL-2.0
/*
 * Pairing of ftrace kernel_stack records with their events (see stackpair.h).
 *
 * Per CPU, the records still without a stack wait on a stack, most recent on top. An interrupt
 * that arrives between an event and its stack runs to completion in between: its own events and
 * stacks come first, then the interrupted event's stack. So a stack belongs to the topmost
 * waiting event (of the name its tracing glue frame gives, when the frame can be named), and
 * the events above that one can no longer get theirs. An event that never gets a stack (the
 * kernel skips some) is given up when PCR_PAIR_DEPTH newer ones wait above it, or when the
 * latest timestamp seen is PCR_PAIR_WINDOW_NS past the latest one seen when it came, and with it
 * everything that waits below it on its CPU (other events, which came earlier). Counting from
 * the arrival, not the event's own timestamp, makes each give-up independent of the events
 * queued before it, also when a CPU's timestamps step back.
 *
 * A reader that can look ahead in a CPU's records may say an event is quiet: none of the next
 * PCR_PAIR_DEPTH records of its CPU is a stack. Such an event, and every event waiting on its
 * CPU, would be given up before any stack came (those records push them all out), so they are
 * given up at once and the quiet event goes on without waiting. The stacks every event gets and
 * the order they are delivered in are the same as without the hint (tests/unit/test_stackpair.c
 * checks this on random streams), only sooner.
 *
 * Page events go into one queue in arrival order and leave it from the front once paired or
 * given up on, so the events reach the engine in the order the reader merged them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stackpair.h"

#define NO_SEQ UINT64_MAX

struct pair_waiting {
	uint64_t seq;		/* queue position of a page event, NO_SEQ for another event */
	const char *name;
};

/*
 * The waiting events of one CPU, oldest first, in a ring: giving up on the oldest, which every
 * event does in a recording without stacks, moves nothing. Entry i is waiting[(head + i) %
 * PCR_PAIR_DEPTH].
 */
struct pair_cpu {
	struct pair_waiting waiting[PCR_PAIR_DEPTH];
	int head;
	int nr;
};

/*
 * A waiting event keeps its own copy of the task name: the reader's may not outlive the call,
 * unless the reader said its names stay (pcr_stackpair_keep_comms()).
 */
struct queued_event {
	struct pcr_event ev;
	uint64_t arrived;	/* the latest timestamp seen when it came */
	char comm[PCR_COMM_LEN];
	bool has_comm;
	bool ready;
};

struct pcr_stackpair {
	pcr_event_fn fn;
	void *payload;
	struct queued_event *ring;
	struct pair_cpu *cpus;
	struct pcr_pair_stats stats;
	uint64_t head;		/* sequence number of the oldest queued event */
	uint64_t tail;		/* sequence number the next event gets */
	uint64_t now;
	size_t cap;		/* a power of two */
	int nr_cpus;
	bool keep_comms;	/* the events' names outlive the calls: no copy */
};

int pcr_stackpair_new(struct pcr_stackpair **out, pcr_event_fn fn, void *payload)
{
	struct pcr_stackpair *sp = calloc(1, sizeof(*sp));

	*out = NULL;
	if (!sp)
		return -PCR_ERR_NOMEM;
	sp->cap = 1024;
	sp->ring = calloc(sp->cap, sizeof(*sp->ring));
	if (!sp->ring) {
		free(sp);
		return -PCR_ERR_NOMEM;
	}
	sp->fn = fn;
	sp->payload = payload;
	*out = sp;
	return 0;
}

void pcr_stackpair_free(struct pcr_stackpair *sp)
{
	if (!sp)
		return;
	free(sp->ring);
	free(sp->cpus);
	free(sp);
}

void pcr_stackpair_stats(const struct pcr_stackpair *sp, struct pcr_pair_stats *out)
{
	*out = sp->stats;
}

static struct queued_event *slot(struct pcr_stackpair *sp, uint64_t seq)
{
	return &sp->ring[seq & (sp->cap - 1)];
}

static struct pair_cpu *pair_cpu(struct pcr_stackpair *sp, int cpu)
{
	if (cpu < 0)
		return NULL;
	if (cpu >= sp->nr_cpus) {
		struct pair_cpu *cpus = realloc(sp->cpus, (size_t)(cpu + 1) * sizeof(*cpus));

		if (!cpus)
			return NULL;
		memset(cpus + sp->nr_cpus, 0, (size_t)(cpu + 1 - sp->nr_cpus) * sizeof(*cpus));
		sp->cpus = cpus;
		sp->nr_cpus = cpu + 1;
	}
	return &sp->cpus[cpu];
}

void pcr_stackpair_keep_comms(struct pcr_stackpair *sp)
{
	sp->keep_comms = true;
}

static struct pair_waiting *waiting(struct pair_cpu *c, int i)
{
	return &c->waiting[(c->head + i) % PCR_PAIR_DEPTH];
}

/* Removes waiting entry @i of @c: the oldest moves nothing, others close the gap. */
static void remove_waiting(struct pair_cpu *c, int i)
{
	if (i == 0) {
		c->head = (c->head + 1) % PCR_PAIR_DEPTH;
	} else {
		for (; i < c->nr - 1; i++)
			*waiting(c, i) = *waiting(c, i + 1);
	}
	c->nr--;
}

/* Gives up on waiting entry @i of @c: its event, if still queued, goes on without a stack. */
static void give_up(struct pcr_stackpair *sp, struct pair_cpu *c, int i)
{
	uint64_t seq = waiting(c, i)->seq;

	if (seq != NO_SEQ && seq >= sp->head && !slot(sp, seq)->ready) {
		slot(sp, seq)->ready = true;
		sp->stats.stackless++;
	}
	remove_waiting(c, i);
}

/*
 * A page event timed out: it and everything waiting below it on its CPU, which came earlier and
 * so waited longer (other events, which are not queued and would otherwise wait forever).
 */
static void time_out(struct pcr_stackpair *sp, int cpu, uint64_t seq)
{
	struct pair_cpu *c = cpu < sp->nr_cpus ? &sp->cpus[cpu] : NULL;
	int i, j;

	for (i = 0; c && i < c->nr; i++) {
		if (waiting(c, i)->seq == seq) {
			remove_waiting(c, i);
			for (j = 0; j < i; j++)
				give_up(sp, c, 0);
			return;
		}
	}
}

/* Delivers the front of the queue while it is ready, giving up on events past the window. */
static int drain(struct pcr_stackpair *sp)
{
	while (sp->head < sp->tail) {
		struct queued_event *q = slot(sp, sp->head);
		int ret;

		if (!q->ready) {
			if (sp->now - q->arrived <= PCR_PAIR_WINDOW_NS)
				break;
			time_out(sp, q->ev.cpu, sp->head);
			q->ready = true;
			sp->stats.stackless++;
			sp->stats.timeouts++;
		}
		sp->head++;
		if (!sp->keep_comms)
			q->ev.comm = q->has_comm ? q->comm : NULL;
		ret = sp->fn(&q->ev, sp->payload);
		if (ret)
			return ret;
	}
	return 0;
}

static int enqueue(struct pcr_stackpair *sp, const struct pcr_event *ev, bool ready,
		   uint64_t *seq)
{
	struct queued_event *q;

	if (sp->tail - sp->head == sp->cap) {
		size_t cap = sp->cap * 2;
		/* Each slot is written when queued: no zeroing, and huge pages when large. */
		struct queued_event *ring = pcr_alloc_large(cap * sizeof(*ring));
		uint64_t s;

		if (!ring)
			return -PCR_ERR_NOMEM;
		for (s = sp->head; s < sp->tail; s++)
			ring[s & (cap - 1)] = *slot(sp, s);
		free(sp->ring);
		sp->ring = ring;
		sp->cap = cap;
	}
	*seq = sp->tail++;
	q = slot(sp, *seq);
	q->ev = *ev;
	q->arrived = sp->now;
	q->has_comm = ev->comm != NULL;
	if (ev->comm && !sp->keep_comms) {
		/* Once per event: snprintf("%s") cost 16% of a replay (README "Speed"). */
		size_t n = strnlen(ev->comm, sizeof(q->comm) - 1);

		memcpy(q->comm, ev->comm, n);
		q->comm[n] = '\0';
	}
	q->ready = ready;
	return 0;
}

static bool is_page_event(const struct pcr_event *ev)
{
	return ev->kind >= PCR_EV_ALLOC && ev->kind <= PCR_EV_PCPU_DRAIN;
}

int pcr_stackpair_event(struct pcr_stackpair *sp, const struct pcr_event *ev, const char *name)
{
	struct pair_cpu *c = pair_cpu(sp, ev->cpu);
	uint64_t seq = NO_SEQ;
	int ret;

	if (!c)
		return -PCR_ERR_NOMEM;
	if (ev->ts_ns > sp->now)
		sp->now = ev->ts_ns;
	/* A loss notice is no record: it takes no stack, and keeps its place in the order. */
	if (ev->kind == PCR_EV_LOST)
		return sp->head == sp->tail ? sp->fn(ev, sp->payload) : enqueue(sp, ev, true, &seq);
	if (c->nr == PCR_PAIR_DEPTH)
		give_up(sp, c, 0);
	if (is_page_event(ev)) {
		ret = enqueue(sp, ev, false, &seq);
		if (ret)
			return ret;
	} else {
		/* Its stack must still be taken, but the event itself does not wait. */
		ret = sp->head == sp->tail ? sp->fn(ev, sp->payload) : enqueue(sp, ev, true, &seq);
		if (ret)
			return ret;
		seq = NO_SEQ;
	}
	waiting(c, c->nr)->seq = seq;
	waiting(c, c->nr)->name = name;
	c->nr++;
	return drain(sp);
}

int pcr_stackpair_quiet(struct pcr_stackpair *sp, const struct pcr_event *ev)
{
	struct pair_cpu *c;
	uint64_t seq;
	int ret;

	if (ev->kind == PCR_EV_LOST)
		return pcr_stackpair_event(sp, ev, NULL);
	if (ev->ts_ns > sp->now)
		sp->now = ev->ts_ns;
	/* The common case, nothing waiting anywhere, skips the give-ups and the drain. */
	if (sp->head != sp->tail || ev->cpu >= sp->nr_cpus || sp->cpus[ev->cpu].nr) {
		c = pair_cpu(sp, ev->cpu);
		if (!c)
			return -PCR_ERR_NOMEM;
		while (c->nr)
			give_up(sp, c, 0);
		ret = drain(sp);
		if (ret)
			return ret;
	}
	if (is_page_event(ev))
		sp->stats.stackless++;
	if (sp->head == sp->tail)
		return sp->fn(ev, sp->payload);
	return enqueue(sp, ev, true, &seq);
}

int pcr_stackpair_stack(struct pcr_stackpair *sp, int cpu, uint64_t ts_ns, uint32_t stack_id,
			const char *glue)
{
	struct pair_cpu *c;
	int i;

	if (cpu < 0)
		return -PCR_ERR_INVAL;
	c = pair_cpu(sp, cpu);
	if (!c)
		return -PCR_ERR_NOMEM;
	if (ts_ns > sp->now)
		sp->now = ts_ns;
	for (i = c->nr - 1; i >= 0; i--)
		if (!glue || (waiting(c, i)->name && !strcmp(waiting(c, i)->name, glue)))
			break;
	if (i < 0) {
		sp->stats.unpaired_stacks++;
	} else {
		uint64_t seq = waiting(c, i)->seq;

		/* Events nested above it are over: their stacks would have come already. */
		while (c->nr > i + 1)
			give_up(sp, c, c->nr - 1);

		if (seq != NO_SEQ && seq >= sp->head && !slot(sp, seq)->ready) {
			slot(sp, seq)->ev.stack_id = stack_id;
			slot(sp, seq)->ready = true;
			sp->stats.paired++;
		}
		remove_waiting(c, i);
	}
	return drain(sp);
}

int pcr_stackpair_flush(struct pcr_stackpair *sp)
{
	int cpu;

	for (cpu = 0; cpu < sp->nr_cpus; cpu++)
		while (sp->cpus[cpu].nr)
			give_up(sp, &sp->cpus[cpu], 0);
	return drain(sp);
}
