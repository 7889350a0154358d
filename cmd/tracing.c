// SPDX-License-Identifier: GPL-2.0
/*
 * The tracing options, the kernel check and the signal handling of live and record.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "tracing.h"

/*
 * The one mutable global: set by the signal handlers (the signal's number), read by the loops
 * of live and record, which then stop tracing and clean up rather than die with an instance or
 * a trace-cmd left behind.
 */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

int pcr_tracing_catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL))
			return -1;
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}

const volatile sig_atomic_t *pcr_tracing_stop(void)
{
	return &stop_signal;
}

static int bad_value(const char *command, const char *option, const char *what, const char *arg)
{
	fprintf(stderr,
		"pagecheck-replay %s: %s takes %s, not '%s'\nTry 'pagecheck-replay %s --help'.\n",
		command, option, what, arg, command);
	return -1;
}

static int parse_events(struct pcr_tracing_opts *o, const char *arg, const char *command)
{
	const char *p = arg;
	char name[64];

	if (!strcmp(arg, "all")) {
		o->kinds = PCR_LIVE_ALL_KINDS;
		return 0;
	}
	o->kinds = 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		int kind;

		if (!len || len >= sizeof(name))
			return bad_value(command, "--events",
					 "a comma list of kmem page events (or 'all')", arg);
		memcpy(name, p, len);
		name[len] = '\0';
		kind = pcr_kind_by_name(name);
		if (kind < 0) {
			fprintf(stderr,
				"pagecheck-replay %s: --events: '%s' is not a kmem page event; give a comma list of mm_page_alloc, mm_page_free, mm_page_free_batched, mm_page_alloc_zone_locked, mm_page_pcpu_drain (or 'all')\n",
				command, name);
			return -1;
		}
		o->kinds |= 1u << kind;
		p += len;
		if (*p == ',')
			p++;
	}
	if (!(o->kinds & (1u << PCR_EV_ALLOC)) || !(o->kinds & (1u << PCR_EV_FREE))) {
		fprintf(stderr,
			"pagecheck-replay %s: --events must include mm_page_alloc and mm_page_free: a replay that sees only one of them reports every page\n",
			command);
		return -1;
	}
	return 0;
}

int pcr_tracing_option(struct pcr_tracing_opts *o, int opt, const char *arg,
		       const char *command)
{
	unsigned long long kb;
	char *end;

	switch (opt) {
	case PCR_OPT_DURATION:
		if (pcr_parse_seconds(arg, &o->duration_ns) || !o->duration_ns)
			return bad_value(command, "--duration", "a positive number of seconds",
					 arg);
		return 0;
	case PCR_OPT_STACKS:
	case 'T':	/* trace-cmd record -T */
		o->stacks = true;
		return 0;
	case PCR_OPT_EVENTS:
		return parse_events(o, arg, command);
	case PCR_OPT_BUFFER_KB:
	case 'b':	/* trace-cmd record -b, KiB per CPU too */
		errno = 0;
		kb = strtoull(arg, &end, 10);
		if (!*arg || *end || *arg == '-' || errno || !kb || kb > PCR_MAX_BUFFER_KB)
			return bad_value(command, "--buffer-kb", "KiB per CPU, from 1 to 4194304",
					 arg);
		o->buffer_kb = (unsigned int)kb;
		return 0;
	case PCR_OPT_TRACEFS:
		o->tracefs = arg;
		return 0;
	default:
		return 1;
	}
}

int pcr_tracing_check(struct pcr_kernel_check *kc, const struct pcr_tracing_opts *o,
		      const char *command)
{
	char errmsg[PCR_ERRMSG_LEN] = "";
	char prefix[64];
	int ret;

	ret = pcr_kernel_check(kc, o->tracefs, o->kinds, o->stacks, errmsg);
	if (ret) {
		fprintf(stderr, "pagecheck-replay %s: error: %s\n", command,
			errmsg[0] ? errmsg : pcr_strerror(ret));
		return PCR_EXIT_ERROR;
	}
	snprintf(prefix, sizeof(prefix), "pagecheck-replay %s: ", command);
	pcr_kernel_check_print(stderr, kc, prefix);
	return 0;
}
