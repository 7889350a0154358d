/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line's commands and exit status.
 */
#ifndef PCR_CMD_H
#define PCR_CMD_H

#include <stdint.h>

#include "pagecheck.h"

/* Exit status, the same for every command. */
enum pcr_exit {
	PCR_EXIT_CLEAN = 0,		/* no violation */
	PCR_EXIT_VIOLATIONS = 1,	/* at least one violation */
	PCR_EXIT_ERROR = 2,		/* usage or input error */
	PCR_EXIT_INCONCLUSIVE = 3,	/* the recording lost events */
};

struct pcr_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/**
 * cmd_replay - replay one recording and report
 * @argc: argument count, argv[0] being the program or command name
 * @argv: arguments
 *
 * Return: an enum pcr_exit.
 */
int cmd_replay(int argc, char **argv);

/**
 * pcr_parse_seconds - parse "SECONDS[.FRACTION]" exactly into nanoseconds
 * @text: the text, e.g. "935.350945275"
 * @ns: receives the value
 *
 * Return: 0, or -1 when @text is not a non-negative decimal number of at most 9 decimals.
 */
int pcr_parse_seconds(const char *text, uint64_t *ns);

/**
 * pcr_parse_pfn_range - parse "MIN-MAX", each decimal or 0x-hexadecimal, MIN < MAX
 * @text: the text
 * @min: receives MIN
 * @max: receives MAX (exclusive)
 *
 * Return: 0, or -1 when @text is malformed.
 */
int pcr_parse_pfn_range(const char *text, uint64_t *min, uint64_t *max);

/**
 * pcr_parse_pfn - parse one pfn, decimal or 0x-hexadecimal
 * @text: the text
 * @pfn: receives the value
 *
 * Return: 0, or -1 when @text is malformed.
 */
int pcr_parse_pfn(const char *text, uint64_t *pfn);

#endif /* PCR_CMD_H */
