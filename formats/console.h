/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel console around trace lines (formats/console.c): the "[ T.TTTTTT]" printk prefix and
 * a capture tool's prefix before it, the records of the ring buffer dump that
 * ftrace_dump_on_oops prints when the kernel oopses or panics, the lines that say where that
 * dump begins and ends and which crash caused it, and the gfp flag names of the kernel whose
 * console it is. The text reader (text.c) asks; nothing here keeps a file open.
 */
#ifndef PCR_CONSOLE_H
#define PCR_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pcr_formats.h"

/**
 * struct pcr_console_prefix - what the console put before a message
 * @ts_ns:	the printk time
 * @pid:	the "[  T123]" caller id's task, or -1
 * @cpu:	the "[  C1]" caller id's CPU, or -1
 */
struct pcr_console_prefix {
	uint64_t ts_ns;
	int pid;
	int cpu;
};

/**
 * struct pcr_console_record - one record of an ftrace_dump_on_oops dump
 * @comm:	the task name (ftrace_dump prints at most 8 characters of it)
 * @comm_len:	its length
 * @pid:	the task's pid
 * @cpu:	the CPU the event was recorded on
 * @ts_ns:	the event's time since the ring buffer's start
 * @event:	what follows the timestamp: "mm_page_alloc: page=...", "<stack trace>"
 */
struct pcr_console_record {
	const char *comm;
	size_t comm_len;
	int pid;
	int cpu;
	uint64_t ts_ns;
	const char *event;
};

/**
 * struct pcr_console - what the console lines told so far
 * @gfp_names:	the gfp flag table of the console's kernel (6.18's while it is not known)
 * @nr_gfp_names: entries in @gfp_names
 * @release:	the kernel release ("6.1.0-57-amd64"), empty while not known
 * @crash:	the first oops or panic line, empty when there was none
 * @in_dump:	a "Dumping ftrace buffer:" line was seen and the dump has not ended
 * @dump_seen:	a dump began
 * @dump_ended:	the dump's closing rule (or "(ftrace buffer empty)") was seen
 * @rule_seen:	the dump's opening rule was seen
 * @stacks:	the kernel command line turned the stacktrace trace option on
 * @orig_cpu:	the kernel command line asked for ftrace_dump_on_oops=orig_cpu: the dump holds the
 *		buffer of the CPU that crashed only
 * @cpus_up:	CPUs the kernel brought up ("smp: Brought up 1 node, 2 CPUs"), 0 when not seen
 * @dump_cpus:	the CPUs (below 64) of the dump's records, set by the reader
 * @note:	the summary's line on where the recording ends, built by pcr_console_note()
 */
struct pcr_console {
	const struct pcr_flag_name *gfp_names;
	size_t nr_gfp_names;
	char release[64];
	char crash[120];
	bool in_dump;
	bool dump_seen;
	bool dump_ended;
	bool rule_seen;
	bool stacks;
	bool orig_cpu;
	int cpus_up;
	uint64_t dump_cpus;
	char note[320];
	char loss[200];
};

/**
 * pcr_console_init - the state before the first line
 * @con: the state
 */
void pcr_console_init(struct pcr_console *con);

/**
 * pcr_console_strip - find the printk prefix of a console line
 * @line: the line, NUL-terminated
 * @pre: receives the prefix's time and caller id
 *
 * Accepts "[ 1234.567890] " at the start of the line, and the same after a capture tool's own
 * prefix (a serial logger's wall clock: "[2026-12-06 11:33:03] [    4.950471] ...").
 *
 * Return: where the message starts, or NULL when the line has no printk prefix.
 */
const char *pcr_console_strip(const char *line, struct pcr_console_prefix *pre);

/**
 * pcr_console_dump_record - read one record of an ftrace_dump_on_oops dump
 * @msg: the message after the printk prefix
 * @rec: receives the record
 *
 * The dump prints records in the latency format: "COMM-PID CPUFLAGS TSus: EVENT", with the
 * CPU number and the irq flags in one column ("    init-1         1d..2. 28277us : ...").
 *
 * Return: true when @msg is such a record.
 */
bool pcr_console_dump_record(const char *msg, struct pcr_console_record *rec);

/**
 * pcr_console_line - take note of a console message that is no trace record
 * @con: the state
 * @msg: the message after the printk prefix
 *
 * Notes the kernel release (and so the gfp table), the crash, the dump's start and end.
 */
void pcr_console_line(struct pcr_console *con, const char *msg);

/**
 * pcr_console_gfp - the value of gfp flags printed as names ("GFP_KERNEL|__GFP_COMP")
 * @con: the state (its gfp table)
 * @v: the printed flags
 * @len: their length
 * @gfp: receives the value
 *
 * Return: 0, or -PCR_ERR_INVAL when the kernel's table lacks a name (@gfp is then 0).
 */
int pcr_console_gfp(const struct pcr_console *con, const char *v, size_t len, uint64_t *gfp);

/**
 * pcr_console_missing - the CPUs an orig_cpu dump leaves out
 * @con: the state
 * @note: receives why their events are missing and how to record them, or NULL
 *
 * Return: a mask of the CPUs (below 64) the kernel brought up and an
 * ftrace_dump_on_oops=orig_cpu dump holds no record of (the next CPU after the dumped one when
 * the console does not say how many came up); 0 for every other console.
 */
uint64_t pcr_console_missing(struct pcr_console *con, const char **note);

/**
 * pcr_console_note - the summary's line on the console's end
 * @con: the state
 *
 * Return: "ends at the crash: ..." and what the dump showed, or NULL for a console without a
 * crash and a dump; valid until @con changes.
 */
const char *pcr_console_note(struct pcr_console *con);

/**
 * pcr_console_merged - whether a console message holds another printk time: two lines merged
 * @msg:	the message after the line's console prefix (pcr_console_strip())
 */
bool pcr_console_merged(const char *msg);

/* What pcr_console_lava() found in a line. */
enum {
	PCR_LAVA_NONE,		/* not a LAVA job log record: the line as it is */
	PCR_LAVA_OTHER,		/* a record of LAVA's own (info, debug, results, ...) */
	PCR_LAVA_TARGET,	/* the device's output ("target", "feedback"): its message */
	PCR_LAVA_BROKEN,	/* a record cut before its end: the message as far as it goes */
};

/**
 * pcr_console_lava - unwrap one line of a LAVA job log
 * @line:	the line, NUL-terminated
 * @out:	receives the message of a target record, YAML escapes decoded, NUL-terminated
 * @cap:	the size of @out; a longer message is cut to fit
 * @len:	receives the length of the message in @out
 *
 * LAVA's dispatcher logs every line it reads from the device as one YAML flow mapping,
 * `- {"dt": "2024-01-01T00:00:00.000000", "lvl": "target", "msg": "[    1.234] ..."}`, with
 * the message in YAML's double-quoted style.
 *
 * Return: one of the PCR_LAVA_ values.
 */
int pcr_console_lava(const char *line, char *out, size_t cap, size_t *len);

#endif
