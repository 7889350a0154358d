// SPDX-License-Identifier: GPL-2.0
/*
 * The options every replaying command shares: parsing them into struct pcr_session_opts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "session.h"
#include "session-priv.h"

static const char *const kind_options[PCR_VIOL_NR] = {
	[PCR_VIOL_DOUBLE_ALLOC] = "double-alloc",
	[PCR_VIOL_DOUBLE_FREE] = "double-free",
	[PCR_VIOL_INVARIANT] = "invariant",
};

/* The --fail-on and suppressions-file name of a violation kind. */
const char *pcr_kind_option(int kind)
{
	return kind_options[kind];
}

int pcr_parse_kind(const char *text, size_t len)
{
	int kind;

	for (kind = 0; kind < PCR_VIOL_NR; kind++)
		if ((strlen(kind_options[kind]) == len && !strncmp(text, kind_options[kind], len)) ||
		    (strlen(pcr_violation_name(kind)) == len &&
		     !strncmp(text, pcr_violation_name(kind), len)))
			return kind;
	return -1;
}

static int parse_fail_on(const char *arg, unsigned int *mask)
{
	const char *p = arg;

	*mask = 0;
	if (!strcmp(arg, "all")) {
		*mask = PCR_FAIL_ON_ALL;
		return 0;
	}
	if (!strcmp(arg, "none"))
		return 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		int kind = pcr_parse_kind(p, len);

		if (kind < 0)
			return -1;
		*mask |= 1u << kind;
		p += len;
		if (*p == ',')
			p++;
	}
	return *mask ? 0 : -1;
}

static int bad_value(const char *option, const char *what, const char *arg)
{
	fprintf(stderr, "pagecheck-replay: %s takes %s, not '%s'\nTry 'pagecheck-replay --help'.\n",
		option, what, arg);
	return -1;
}

int pcr_session_option(struct pcr_session_opts *o, int opt, const char *arg)
{
	char *end;

	switch (opt) {
	case PCR_OPT_MODEL:
		if (!strcmp(arg, "window"))
			o->engine.model = PCR_MODEL_WINDOW;
		else if (!strcmp(arg, "kernel"))
			o->engine.model = PCR_MODEL_KERNEL;
		else
			return bad_value("--model", "'window' or 'kernel'", arg);
		return 0;
	case PCR_OPT_RUNNING_FROM:
		if (pcr_parse_seconds(arg, &o->engine.running_from_ns))
			return bad_value("--running-from", "seconds such as 935.350945275", arg);
		o->running_from_set = true;
		return 0;
	case PCR_OPT_PFN_RANGE:
		if (pcr_parse_pfn_range(arg, &o->engine.pfn_min, &o->engine.pfn_max))
			return bad_value("--pfn-range", "MIN-MAX with MIN < MAX (decimal or 0x-hex)",
					 arg);
		o->engine.pfn_range = true;
		return 0;
	case PCR_OPT_VALIDATE:
		o->validate = true;
		return 0;
	case PCR_OPT_REPLAY:
		if (!strcmp(arg, "auto"))
			o->replay_kmem = false;
		else if (!strcmp(arg, "kmem"))
			o->replay_kmem = true;
		else
			return bad_value("--replay", "'auto' or 'kmem'", arg);
		return 0;
	case PCR_OPT_ALLOW_LOST:
		o->allow_lost = true;
		return 0;
	case PCR_OPT_ALLOW_DAMAGED:
		o->allow_damaged = true;
		return 0;
	case PCR_OPT_ALLOW_UNDECIDABLE:
		o->allow_undecidable = true;
		return 0;
	case PCR_OPT_MAX_REPORTS:
		errno = 0;
		o->max_reports = strtoull(arg, &end, 10);
		if (!*arg || *end || *arg == '-' || errno)
			return bad_value("--max-reports", "a number", arg);
		return 0;
	case PCR_OPT_KALLSYMS:
		o->kallsyms_path = arg;
		return 0;
	case PCR_OPT_VMLINUX:
		o->vmlinux_path = arg;
		return 0;
	case PCR_OPT_MODULES_DIR:
		o->modules_dir = arg;
		return 0;
	case PCR_OPT_EXPLAIN:
		if (pcr_parse_pfn(arg, &o->explain_pfn))
			return bad_value("--explain", "a pfn (decimal or 0x-hex)", arg);
		o->explain = true;
		return 0;
	case PCR_OPT_FORMAT:
		if (!strcmp(arg, "text"))
			o->format = PCR_FORMAT_TEXT;
		else if (!strcmp(arg, "json"))
			o->format = PCR_FORMAT_JSON;
		else if (!strcmp(arg, "ktap"))
			o->format = PCR_FORMAT_KTAP;
		else if (!strcmp(arg, "junit"))
			o->format = PCR_FORMAT_JUNIT;
		else
			return bad_value("--format", "text, json, ktap or junit", arg);
		return 0;
	case PCR_OPT_FAIL_ON:
		if (parse_fail_on(arg, &o->fail_on))
			return bad_value("--fail-on",
					 "a comma list of double-alloc, double-free, invariant, or all or none",
					 arg);
		return 0;
	case PCR_OPT_SUPPRESSIONS:
		o->suppressions_path = arg;
		return 0;
	case PCR_OPT_WRITE_SUPPRESSIONS:
		o->write_suppressions_path = arg;
		return 0;
	case PCR_OPT_STRICT:
		o->strict = true;
		return 0;
	case PCR_OPT_SHOW_EXPLAINED:
		o->show_explained = true;
		return 0;
	case PCR_OPT_SHOW_UNDECIDABLE:
		o->show_undecidable = true;
		return 0;
	case PCR_OPT_STATS:
		o->stats = true;
		return 0;
	case PCR_OPT_EXAMPLES:
		errno = 0;
		if (!strcmp(arg, "all")) {
			o->examples = 0;
			return 0;
		}
		o->examples = strtoull(arg, &end, 10);
		if (!*arg || *end || *arg == '-' || errno || !o->examples)
			return bad_value("--examples", "a number above 0, or 'all'", arg);
		return 0;
	case PCR_OPT_INJECT:
		free(o->inject);
		if (pcr_parse_injections(arg, &o->inject, &o->nr_inject))
			return bad_value("--inject",
					 "FAULT:PFN@SECONDS[,...] with FAULT double-alloc, double-free, flip-primary or flip-secondary",
					 arg);
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	default:
		return 1;
	}
}

void pcr_session_opts_release(struct pcr_session_opts *o)
{
	free(o->inject);
	o->inject = NULL;
	o->nr_inject = 0;
}
