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
	PCR_EXIT_COMMAND_FAILED = 4,	/* record: complete, but its COMMAND failed */
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

struct pcr_session;
struct pcr_session_opts;
struct pcr_source_options;

/**
 * cmd_diff - compare two runs (recordings or saved JSON reports)
 * @argc: argument count, argv[0] being "diff"
 * @argv: arguments
 *
 * Return: 0 when NEW has no violation signature OLD lacks, 1 when it has, 2 on error.
 */
int cmd_diff(int argc, char **argv);

/**
 * cmd_inject_campaign - inject random faults into replays of a recording and measure detection
 * @argc: argument count, argv[0] being "inject-campaign"
 * @argv: arguments
 *
 * Return: 0, or 2 on error.
 */
int cmd_inject_campaign(int argc, char **argv);

/**
 * cmd_live - replay the running kernel's page events as they happen, from an own tracefs instance
 * @argc: argument count, argv[0] being "live"
 * @argv: arguments
 *
 * Return: an enum pcr_exit.
 */
int cmd_live(int argc, char **argv);

/**
 * cmd_record - record the page events a replay needs into a trace.dat, with trace-cmd
 * @argc: argument count, argv[0] being "record"
 * @argv: arguments
 *
 * Return: 0 for a complete recording, 2 on error, 3 when the kernel lost events.
 */
int cmd_record(int argc, char **argv);

/**
 * cmd_help - show a command's man page, or its --help where man or the page is missing
 * @argc: argument count, argv[0] being "help"
 * @argv: arguments: at most one command name
 *
 * Return: man's exit status, PCR_EXIT_CLEAN after --help, or PCR_EXIT_ERROR.
 */
int cmd_help(int argc, char **argv);

/**
 * pcr_replay_file - replay one trace.dat through a new session and print its report
 * @path: the recording
 * @opts: the session's options
 * @source: the reader's options (its depot is set here)
 * @out: receives the finished session (NULL on error), for the caller to read and free
 *
 * Return: the exit status of the replay.
 */
int pcr_replay_file(const char *path, const struct pcr_session_opts *opts,
		    struct pcr_source_options *source, struct pcr_session **out);

/**
 * pcr_usage_error - print a usage error and the hint to --help
 * @command: the command with a trailing space ("diff "), or "" for a replay
 * @fmt: printf format of the message
 *
 * Return: PCR_EXIT_ERROR.
 */
int pcr_usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* PCR_CMD_H */
