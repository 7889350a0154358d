/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the two commands that trace the running kernel (live, record) share: their tracing
 * options, the kernel check they start with, and the signals that end them.
 */
#ifndef PCR_TRACING_H
#define PCR_TRACING_H

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "pcr_live.h"

/**
 * struct pcr_tracing_opts - the tracing options of live and record
 * @tracefs:	--tracefs: the tracefs mount, or NULL to find it
 * @duration_ns: --duration, 0 for none
 * @buffer_kb:	--buffer-kb, 0 for the default
 * @kinds:	--events, a bit per enum pcr_event_kind
 * @stacks:	--stacks
 */
struct pcr_tracing_opts {
	const char *tracefs;
	uint64_t duration_ns;
	unsigned int buffer_kb;
	unsigned int kinds;
	bool stacks;
};

#define PCR_TRACING_OPTS_INIT { .kinds = PCR_LIVE_DEFAULT_KINDS }

/* getopt_long values of the tracing options, between the commands' own and the session's. */
enum {
	PCR_OPT_DURATION = 0x800,
	PCR_OPT_STACKS,
	PCR_OPT_EVENTS,
	PCR_OPT_BUFFER_KB,
	PCR_OPT_TRACEFS,
};

#define PCR_TRACING_LONG_OPTIONS						\
	{ "duration", required_argument, NULL, PCR_OPT_DURATION },		\
	{ "stacks", no_argument, NULL, PCR_OPT_STACKS },			\
	{ "buffer-kb", required_argument, NULL, PCR_OPT_BUFFER_KB },		\
	{ "tracefs", required_argument, NULL, PCR_OPT_TRACEFS }

/* The largest --buffer-kb: 4 GiB per CPU. */
#define PCR_MAX_BUFFER_KB (4u << 20)

/**
 * pcr_tracing_option - take one tracing option
 * @o: the options
 * @opt: getopt_long's value
 * @arg: the option's argument, or NULL
 * @command: the command's name, for messages ("live")
 *
 * Return: 0 when taken, 1 when @opt is not a tracing option, -1 when its value is bad (a message
 * naming the option is printed on stderr).
 */
int pcr_tracing_option(struct pcr_tracing_opts *o, int opt, const char *arg,
		       const char *command);

/**
 * pcr_tracing_catch_signals - make SIGINT, SIGTERM and SIGHUP end the tracing, not the process
 *
 * They set the flag pcr_tracing_stop() returns and interrupt sleeps (no SA_RESTART); SIGPIPE is
 * ignored, so that a closed output is an error to report rather than an exit that leaves a
 * tracefs instance behind.
 *
 * Return: 0, or -1 when a handler cannot be installed.
 */
int pcr_tracing_catch_signals(void);

/**
 * pcr_tracing_stop - the flag the signal handlers set
 *
 * Return: the flag: 0 until a signal came, then the signal's number.
 */
const volatile sig_atomic_t *pcr_tracing_stop(void);

/**
 * pcr_tracing_check - check the kernel before tracing, and say what it means
 * @kc: receives the check
 * @o: the tracing options
 * @command: the command's name ("live")
 *
 * Prints the refusal (one line, what to do) on stderr when the kernel cannot be traced, and
 * otherwise what the kernel's configuration means for the verdict.
 *
 * Return: 0, or PCR_EXIT_ERROR after a refusal.
 */
int pcr_tracing_check(struct pcr_kernel_check *kc, const struct pcr_tracing_opts *o,
		      const char *command);

#endif /* PCR_TRACING_H */
