/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pairing of ftrace kernel_stack records with the events they belong to.
 *
 * With "trace-cmd record -T" (options/stacktrace) the kernel writes a kernel_stack record right
 * after each event, on the same CPU. An interrupt can nest between an event and its stack (the
 * interrupt's event and stack come first), and some events have no stack at all. Readers feed
 * every record of a CPU in order; page events are held until their stack is known (or known to
 * be missing) and then delivered in the order they came, which keeps the timestamp order.
 */
#ifndef PCR_STACKPAIR_H
#define PCR_STACKPAIR_H

#include "pcr_formats.h"

/* Records without a stack that can wait for one on a CPU: one per nesting level, and some. */
#define PCR_PAIR_DEPTH 8

/* An event still without a stack this long after it came (in trace time) has none. */
#define PCR_PAIR_WINDOW_NS 50000000ull

/**
 * struct pcr_pair_stats - how pairing went
 * @paired:	page events that got their stack
 * @stackless:	page events that got none
 * @unpaired_stacks: stack records that found no event waiting on their CPU
 * @timeouts:	page events given up on after PCR_PAIR_WINDOW_NS (events given up at once by
 *		pcr_stackpair_quiet() never count here)
 */
struct pcr_pair_stats {
	uint64_t paired;
	uint64_t stackless;
	uint64_t unpaired_stacks;
	uint64_t timeouts;
};

struct pcr_stackpair;

/**
 * pcr_stackpair_new - create a pairer that delivers events to @fn
 * @out: receives the pairer
 * @fn: receives each event, in the order the records came
 * @payload: passed to @fn
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_stackpair_new(struct pcr_stackpair **out, pcr_event_fn fn, void *payload);

/**
 * pcr_stackpair_keep_comms - the events' task names outlive the calls: keep the pointers
 * @sp: the pairer
 *
 * For readers whose names live as long as the source (trace.dat: libtraceevent's own task
 * list); by default each waiting event copies its name.
 */
void pcr_stackpair_keep_comms(struct pcr_stackpair *sp);

/**
 * pcr_stackpair_free - release a pairer (undelivered events are dropped)
 * @sp: the pairer, or NULL
 */
void pcr_stackpair_free(struct pcr_stackpair *sp);

/**
 * pcr_stackpair_event - take one record that is not a stack
 * @sp: the pairer
 * @ev: the event; page events wait for their stack, others take part in the pairing but wait
 *	only behind earlier page events, to keep the order (the event's comm is copied)
 * @name: the event's name (e.g. "mm_page_alloc"), matched against the stack's tracing glue; it
 *	  must stay valid while the pairer lives (readers pass the event format's name)
 *
 * Return: 0, or the first non-zero value the delivery function returned, or -PCR_ERR_NOMEM.
 */
int pcr_stackpair_event(struct pcr_stackpair *sp, const struct pcr_event *ev, const char *name);

/**
 * pcr_stackpair_quiet - take one record that is not a stack, known to get none
 * @sp: the pairer
 * @ev: the event, as for pcr_stackpair_event()
 *
 * For a reader that knows none of the next PCR_PAIR_DEPTH records of @ev's CPU is a stack: the
 * event and those waiting on its CPU are given up at once (they would be pushed out before any
 * stack came), and @ev is delivered without waiting when nothing waits before it. What the
 * events get is what pcr_stackpair_event() would give them.
 *
 * Return: as pcr_stackpair_event().
 */
int pcr_stackpair_quiet(struct pcr_stackpair *sp, const struct pcr_event *ev);

/**
 * pcr_stackpair_stack - take one kernel_stack record
 * @sp: the pairer
 * @cpu: its CPU
 * @ts_ns: its timestamp
 * @stack_id: its stack in the depot
 * @glue: the event its first frame names (trace_event_raw_event_NAME gives NAME), or NULL
 *	  when unknown; with a name, the stack goes to the latest waiting event of that name
 *
 * Return: as pcr_stackpair_event(); -PCR_ERR_INVAL for a negative @cpu.
 */
int pcr_stackpair_stack(struct pcr_stackpair *sp, int cpu, uint64_t ts_ns, uint32_t stack_id,
			const char *glue);

/**
 * pcr_stackpair_flush - deliver everything still waiting, stackless
 * @sp: the pairer
 *
 * Return: as pcr_stackpair_event().
 */
int pcr_stackpair_flush(struct pcr_stackpair *sp);

/**
 * pcr_stackpair_stats - how pairing went so far
 * @sp: the pairer
 * @out: receives the counters
 */
void pcr_stackpair_stats(const struct pcr_stackpair *sp, struct pcr_pair_stats *out);

#endif /* PCR_STACKPAIR_H */
