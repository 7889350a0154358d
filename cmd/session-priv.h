/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The session's state, shared by the files that make up the session: session.c replays and
 * judges, session-text.c renders the text report. Nothing outside cmd/session*.c includes it.
 */
#ifndef PCR_SESSION_PRIV_H
#define PCR_SESSION_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "session.h"

/* One event of the page --explain follows, and the page's bits after it. */
struct explained_event {
	struct pcr_event ev;
	char comm[PCR_COMM_LEN];
	int primary;
	int secondary;
};

/* One line of a suppressions file. */
struct suppression {
	char *signature;	/* an fnmatch(3) pattern */
	uint64_t hits;
	int kind;		/* an enum pcr_violation_kind, or -1 for any */
	int line;
};

/* An event held back until the boot phase is known, with a copy of its task's name. */
struct held_event {
	struct pcr_event ev;
	char comm[PCR_COMM_LEN];
	bool has_comm;
};

/* Why candidates were undecidable, each reason counted once per distinct text. */
#define MAX_UNDECIDED_REASONS 8
struct undecided_reason {
	const char *why;
	const char *remedy;
	uint64_t events;
};

struct pcr_session {
	const struct pcr_session_opts *opts;
	struct pcr_boot *boot;			/* until the boot phase is decided */
	struct held_event *held;		/* the events fed meanwhile */
	size_t nr_held;
	size_t cap_held;
	struct pcr_boot_phase phase;
	struct pcr_report_info report;
	struct pcr_symbolizer kallsyms_sym;
	struct pcr_symbolizer base_sym;		/* the recording's or --kallsyms */
	struct pcr_symbolizer inject_sym;	/* names injected frames, then asks base_sym */
	struct pcr_injection *inject;		/* a copy: injecting marks them done */
	struct pcr_engine *engine;
	struct pcr_depot *depot;
	struct pcr_tasks *tasks;		/* forks, execs and exits, for pcr_classify() */
	struct pcr_sigtable *signatures;	/* violations that fail the run, by signature */
	struct pcr_sigtable *suppressed;
	struct pcr_sigtable *explained;		/* by path */
	struct pcr_sigtable *undecidable;	/* by signature */
	struct pcr_kallsyms *kallsyms;		/* --kallsyms, or the running kernel's */
	char kallsyms_note[512];		/* the summary's kallsyms: value, when said */
	bool kallsyms_settled;			/* --kallsyms was checked against the map */
	struct pcr_vmlinux *vmlinux;
	const struct pcr_source_info *info;
	const char *path;
	struct explained_event *history;
	size_t nr_history;
	size_t cap_history;
	struct suppression *supps;
	size_t nr_supps;
	struct pcr_out_violation *viols;	/* kept for the formats printed at the end */
	size_t nr_viols;
	size_t cap_viols;
	char *summary;				/* the text summary, "name: value" lines */
	size_t summary_len;
	struct pcr_stats stats;
	uint64_t reported;
	FILE *blocks;				/* the text report's blocks, see blocks_file() */
	char *blocks_text;
	size_t blocks_len;
	uint64_t unshown_explained;		/* blocks not printed, and why */
	uint64_t unshown_undecidable;
	uint64_t unshown_examples;
	uint64_t unshown_max_reports;
	uint64_t unsuppressed[PCR_VIOL_NR];
	uint64_t suppressed_events[PCR_VIOL_NR];
	uint64_t class_events[PCR_VIOL_NR][PCR_CLASS_NR];
	struct undecided_reason undecided[MAX_UNDECIDED_REASONS];
	char errmsg[PCR_ERRMSG_LEN];		/* why the session stopped the replay */
	bool named_frames;			/* a candidate's stack was symbolized */
	char modules_dir[4096];			/* where modules' debug files are sought */
	struct pcr_vmlinux_match match;		/* the vmlinux against the recording */
	bool matched;				/* match holds pcr_vmlinux_match()'s result */
	bool build_id_matched;			/* the vmlinux's is the recording's */
	int exit_status;
	bool vmlinux_settled;
	bool write_failed;
	bool finished;
	/* The reader's damage count and note, kept: a diff judges the run after the source closed. */
	uint64_t damaged;
	char damage_note[256];
};

/**
 * pcr_kind_option - the --fail-on and suppressions-file name of a violation kind
 * @kind: an enum pcr_violation_kind
 *
 * Return: the name, such as "double-free".
 */
const char *pcr_kind_option(int kind);

/**
 * pcr_parse_kind - a violation kind by its --fail-on name (double-free) or its report name
 * (DOUBLE-FREE)
 * @text: the name, not NUL-terminated
 * @len: its length
 *
 * Return: the enum pcr_violation_kind, or -1 when @text names none.
 */
int pcr_parse_kind(const char *text, size_t len);

/**
 * pcr_session_undecided - undecidable candidates of the kinds that fail the run, unsuppressed
 * @s: the session
 *
 * Return: how many; 0 under --strict, where every candidate counts.
 */
uint64_t pcr_session_undecided(const struct pcr_session *s);

/**
 * pcr_session_has_isolation - whether the recording holds compaction's isolation events
 * @s: the session
 *
 * Return: true when they were enabled, or seen.
 */
bool pcr_session_has_isolation(const struct pcr_session *s);

/**
 * pcr_session_unplaced - a boot recording without a boundary, none given
 * @s: the session
 *
 * Return: true when no free of the recording can be judged against the boot gate.
 */
bool pcr_session_unplaced(const struct pcr_session *s);

/**
 * pcr_session_damage - why the recording cannot be judged as it stands although it was read
 * @s: the session
 * @buf: where the reason is written
 * @size: its size
 *
 * Return: @buf, or NULL when the recording is not damaged.
 */
const char *pcr_session_damage(const struct pcr_session *s, char *buf, size_t size);

/**
 * pcr_session_range_unchecked - --pfn-range left out every page event
 * @s: the session
 *
 * Return: true when nothing was checked, which is no pass.
 */
bool pcr_session_range_unchecked(const struct pcr_session *s);

/**
 * pcr_format_offset - print a relocation offset as a signed hex number
 * @buf: where
 * @size: its size
 * @offset: the offset
 */
void pcr_format_offset(char *buf, size_t size, int64_t offset);

/**
 * pcr_print_history - print the events of the page --explain follows
 * @s: the session
 * @out: where
 */
void pcr_print_history(struct pcr_session *s, FILE *out);

/**
 * pcr_print_inconsistent_words - print the words the validate scan found
 * @s: the session
 * @out: where
 */
void pcr_print_inconsistent_words(const struct pcr_session *s, FILE *out);

/**
 * pcr_session_build_summary - write the summary's "name: value" lines once; every format
 * reads them
 * @s: the session
 *
 * Return: 0, or -PCR_ERR_NOMEM.
 */
int pcr_session_build_summary(struct pcr_session *s);

/**
 * pcr_session_print_text - print the text report of a finished replay
 * @s: the session
 * @out: where
 * @verdict: the run's verdict
 *
 * The report leads with the verdict and one line of why, then what was checked, the
 * candidates grouped by kind, class and signature, the example blocks, and with --stats every
 * counter.
 *
 * Return: 0, or a negative error code when writing failed.
 */
int pcr_session_print_text(struct pcr_session *s, FILE *out, enum pcr_verdict verdict);

/**
 * pcr_session_load_suppressions - read --suppressions into the session
 * @s: the session
 * @errmsg: receives the reason on failure (file and line)
 *
 * Return: 0, or a negative error code.
 */
int pcr_session_load_suppressions(struct pcr_session *s, char *errmsg);

/**
 * pcr_session_find_suppression - the first suppression that matches a violation
 * @s: the session
 * @kind: the violation's enum pcr_violation_kind
 * @signature: its stack signature
 *
 * Return: the suppression (its hits counted), or NULL.
 */
const struct suppression *pcr_session_find_suppression(struct pcr_session *s, int kind,
							const char *signature);

/**
 * pcr_session_write_suppressions - write this run's violations and undecidable candidates as
 * a suppressions file (--write-suppressions)
 * @s: the session
 *
 * Return: 0, or -PCR_ERR_IO (said on standard error).
 */
int pcr_session_write_suppressions(struct pcr_session *s);

/**
 * pcr_session_warn_undecided - one warning line: the undecidable candidates, why, and what
 * would decide them next time
 * @s: the session
 */
void pcr_session_warn_undecided(const struct pcr_session *s);

/**
 * pcr_session_note_modules - the modules whose frames got no source line, and what to do
 * @s: the session
 */
void pcr_session_note_modules(const struct pcr_session *s);

/**
 * pcr_lost_text - what a recording says it lost: a count, a count and more, or only that it
 * lost some
 * @st: the run's statistics
 * @buf: where the text is written
 * @size: its size
 *
 * Return: @buf.
 */
const char *pcr_lost_text(const struct pcr_stats *st, char *buf, size_t size);

#endif
