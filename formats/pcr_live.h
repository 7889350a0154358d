/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running kernel as a source of page events: what its tracefs offers (pcr_kernel_check()),
 * and a reader of the kmem page events from a tracefs instance of its own (pcr_live_open()),
 * replayed with pcr_source_replay() like a recording until a duration passes or its caller
 * stops it.
 */
#ifndef PCR_LIVE_H
#define PCR_LIVE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pcr_formats.h"

struct tep_handle;

/* The events recorded unless told otherwise: a bit per enum pcr_event_kind. */
#define PCR_LIVE_DEFAULT_KINDS \
	((1u << PCR_EV_ALLOC) | (1u << PCR_EV_FREE) | (1u << PCR_EV_FREE_BATCHED))

/* Every kmem page event a recording can hold. */
#define PCR_LIVE_ALL_KINDS \
	(PCR_LIVE_DEFAULT_KINDS | (1u << PCR_EV_ZONE_LOCKED) | (1u << PCR_EV_PCPU_DRAIN))

/* Instance names: the prefix, then the pid of the process that owns the instance. */
#define PCR_INSTANCE_PREFIX "pagecheck-replay-"

/**
 * struct pcr_kernel_check - what the running kernel's tracefs offers a page event recording
 * @tracefs:	the tracefs mount in use
 * @lockdown:	the active lockdown mode ("none", "integrity", "confidentiality"), empty when
 *		securityfs does not show it
 * @stale:	a pagecheck-replay instance whose process is gone, or empty
 * @kprobes_errno: why kprobe_events refused a probe (0 when it took one, or has none)
 * @function_tracer_eperm: the function tracer's files refuse access (EPERM), as lockdown does;
 *		a plain "trace-cmd record" crashes then
 * @kprobes:	tracefs has kprobe_events (CONFIG_KPROBE_EVENTS)
 * @kprobes_writable: a kprobe could be created there (and was removed again)
 * @stacktrace:	options/stacktrace exists (kernel stacks can be recorded)
 * @events:	per enum pcr_event_kind, the kmem event exists with a readable format
 */
struct pcr_kernel_check {
	char tracefs[256];
	char lockdown[32];
	char stale[64];
	int kprobes_errno;
	bool function_tracer_eperm;
	bool kprobes;
	bool kprobes_writable;
	bool stacktrace;
	bool events[PCR_EV_NR];
};

/**
 * pcr_kernel_check - find tracefs and check what recording the page events needs
 * @kc: receives what was found
 * @tracefs: the tracefs mount to use, or NULL to find the mounted one (it is never mounted here)
 * @kinds: the events that must exist, a bit per enum pcr_event_kind
 * @stacks: kernel stacks are needed
 * @errmsg: receives a one-line message saying what to do, on failure (PCR_ERRMSG_LEN bytes)
 *
 * libtracefs is pointed at the tracefs found, for the whole process. Besides what the recording
 * needs (tracefs mounted, permission to create an instance, the events and their formats, and
 * options/stacktrace for @stacks), it looks at lockdown, the function tracer and kprobes, which
 * decide what a recording cannot see (pcr_kernel_check_print()).
 *
 * Return: 0; -PCR_ERR_IO when tracefs is not mounted or cannot be used (permission, lockdown);
 * -PCR_ERR_NO_EVENTS when an event or options/stacktrace does not exist; -PCR_ERR_LAYOUT when a
 * format is not one this tool can read.
 */
int pcr_kernel_check(struct pcr_kernel_check *kc, const char *tracefs, unsigned int kinds,
		     bool stacks, char *errmsg);

/**
 * pcr_tracefs_formats - a tep handle holding the running kernel's formats of some event systems
 * @tracing_dir: the tracefs mount, or NULL for libtracefs's (after pcr_kernel_check())
 * @systems: the event systems to parse, NULL-terminated ("kmem", "ftrace", ...)
 *
 * Parses events/header_page and every format file of @systems, and nothing else: unlike
 * tracefs_local_events_system(), it does not read /proc/kallsyms (whose several megabytes
 * libtracefs reads in steps of a few kilobytes, each one a copy under AddressSanitizer).
 * Formats that do not parse are left out, as libtracefs leaves them.
 *
 * Return: the handle (tep_free() it), or NULL with errno set when header_page cannot be read or
 * memory ran out.
 */
struct tep_handle *pcr_tracefs_formats(const char *tracing_dir, const char *const *systems);

/**
 * pcr_kernel_check_print - say what the kernel check means for a verdict
 * @out: where to print (stderr)
 * @kc: the check
 * @prefix: starts each line, e.g. "pagecheck-replay live: "
 */
void pcr_kernel_check_print(FILE *out, const struct pcr_kernel_check *kc, const char *prefix);

/**
 * pcr_kind_by_name - the kind of a kmem page event name
 * @name: "mm_page_alloc" or "kmem:mm_page_alloc", and so on for the five page events
 *
 * Return: PCR_EV_ALLOC .. PCR_EV_PCPU_DRAIN, or -1 for another name.
 */
int pcr_kind_by_name(const char *name);

/**
 * pcr_instance_exists - whether a tracefs instance exists (after pcr_kernel_check())
 * @name: the instance's name
 *
 * Return: true when tracefs has it.
 */
bool pcr_instance_exists(const char *name);

/**
 * pcr_instance_remove - remove a tracefs instance this process owns (after pcr_kernel_check())
 * @name: the instance's name
 *
 * Retries for a second while the instance is busy (a reader still has one of its files open).
 *
 * Return: 0, or -PCR_ERR_IO with errno set when it is still there.
 */
int pcr_instance_remove(const char *name);

/**
 * pcr_instance_tracing_on - whether a tracefs instance records (its tracing_on file)
 * @name: the instance's name
 *
 * Return: 1 when tracing_on is 1, 0 when it is 0, -PCR_ERR_IO when it cannot be read (the
 * instance is gone).
 */
int pcr_instance_tracing_on(const char *name);

/**
 * pcr_instance_tracing_off - stop a tracefs instance recording (write 0 to its tracing_on)
 * @name: the instance's name
 *
 * The events stay enabled and the buffer keeps what it holds; no event is written into it
 * after this returns.
 *
 * Return: 0, or -PCR_ERR_IO with errno set.
 */
int pcr_instance_tracing_off(const char *name);

/**
 * struct pcr_live_options - how to read the running kernel
 * @depot:	where kernel stacks go when @stacks is set (events then carry their stack_id)
 * @stop:	checked between reads: non-zero ends the replay (a signal handler's flag), or NULL
 * @duration_ns: end the replay after this much time, 0 for no limit
 * @buffer_kb:	ring buffer size per CPU in KiB, 0 for pcr_live_default_buffer_kb()
 * @kinds:	the events to enable, a bit per enum pcr_event_kind (0: PCR_LIVE_DEFAULT_KINDS)
 * @stacks:	record a kernel stack with every event (options/stacktrace)
 */
struct pcr_live_options {
	struct pcr_depot *depot;
	const volatile sig_atomic_t *stop;
	uint64_t duration_ns;
	unsigned int buffer_kb;
	unsigned int kinds;
	bool stacks;
};

/**
 * pcr_live_default_buffer_kb - the ring buffer size per CPU that holds a burst of page events
 * @stacks: with a kernel stack per event
 *
 * 16 MiB per CPU (64 MiB with stacks), less when that would take more than 1/16 of the
 * available memory over all CPUs, and never less than 1 MiB.
 *
 * Return: the size in KiB.
 */
unsigned int pcr_live_default_buffer_kb(bool stacks);

/**
 * pcr_live_open - create a tracefs instance of this process and enable the page events in it
 * @out: receives the source
 * @opts: how to read
 * @errmsg: receives a one-line message on failure (PCR_ERRMSG_LEN bytes)
 *
 * pcr_kernel_check() must have run. The instance, PCR_INSTANCE_PREFIX and the pid, is created
 * with tracing off; pcr_source_replay() turns it on, reads its per-CPU buffers as they fill and
 * delivers the events in timestamp order, until @opts' duration passes or its stop flag is set;
 * then it reads what is left and compares the kernel's per-CPU counters with what it read (one
 * PCR_EV_LOST event per CPU that lost events). pcr_source_close() removes the instance; no other
 * instance and not the top-level buffer are ever touched.
 *
 * Return: 0; -PCR_ERR_IO when the instance cannot be created or set up (it is removed again);
 * -PCR_ERR_NO_EVENTS, -PCR_ERR_LAYOUT or -PCR_ERR_NOMEM.
 */
int pcr_live_open(struct pcr_source **out, const struct pcr_live_options *opts, char *errmsg);

/**
 * pcr_live_instance - the name of a live source's instance
 * @src: a source from pcr_live_open()
 *
 * Return: the name.
 */
const char *pcr_live_instance(const struct pcr_source *src);

#endif /* PCR_LIVE_H */
