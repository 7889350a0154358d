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

#include "run.h"
#include "session.h"

/* One event of the page --explain follows, and the page's bits after it. */
struct explained_event {
	struct pcr_event ev;
	char comm[PCR_COMM_LEN];
	int primary;
	int secondary;
};

struct pcr_session {
	const struct pcr_session_opts *opts;
	struct pcr_checker *checker;		/* replays, classifies and judges */
	const struct pcr_checker_result *res;	/* its counters and verdict */
	struct pcr_report_info report;
	struct pcr_symbolizer kallsyms_sym;
	struct pcr_symbolizer base_sym;		/* the recording's or --kallsyms */
	struct pcr_symbolizer inject_sym;	/* names injected frames, then asks base_sym */
	struct pcr_injection *inject;		/* a copy: injecting marks them done */
	struct pcr_kallsyms *kallsyms;		/* --kallsyms, or the running kernel's */
	char kallsyms_note[512];		/* the summary's kallsyms: value, when said */
	bool kallsyms_settled;			/* --kallsyms was checked against the map */
	struct pcr_vmlinux *vmlinux;
	const struct pcr_source_info *info;
	const char *path;
	struct explained_event *history;
	size_t nr_history;
	size_t cap_history;
	struct pcr_suppression *supps;		/* --suppressions; the checker matches them */
	size_t nr_supps;
	struct pcr_run run;			/* the finished run, every format's source */
	uint64_t reported;
	FILE *blocks;				/* the text report's blocks, see blocks_file() */
	char *blocks_text;
	size_t blocks_len;
	uint64_t unshown_explained;		/* blocks not printed, and why */
	uint64_t unshown_undecidable;
	uint64_t unshown_examples;
	uint64_t unshown_max_reports;
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
	/* The reader's damage note, kept: a diff judges the run after the source closed. */
	char damage_note[256];
};

/* Whether a reason of the run's verdict holds (enum pcr_reason). */
static inline bool pcr_session_holds(const struct pcr_session *s, int reason)
{
	return s->res->judgement.holds & (1u << reason);
}

/* One of the checker's tables of candidates (enum pcr_group). */
static inline struct pcr_sigtable *pcr_session_group(const struct pcr_session *s, int group)
{
	return pcr_checker_group(s->checker, group);
}

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
 * pcr_session_damage - why the recording cannot be judged as it stands although it was read
 * @s: the session
 * @buf: where the reason is written
 * @size: its size
 *
 * Return: @buf, or NULL when the recording is not damaged.
 */
const char *pcr_session_damage(const struct pcr_session *s, char *buf, size_t size);

/**
 * pcr_session_reason - why the verdict is inconclusive, as one line for diff, KTAP and JUnit
 * @s: the finished session
 * @buf: where the reason is written
 * @size: its size
 *
 * Return: @buf, or NULL when the verdict is not inconclusive.
 */
const char *pcr_session_reason(const struct pcr_session *s, char *buf, size_t size);

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
 * pcr_session_build_run - fill the session's finished run: counters, signature rows, verdict
 * and reason; every format renders it
 * @s: the session, judged
 *
 * Return: 0, or -PCR_ERR_NOMEM.
 */
int pcr_session_build_run(struct pcr_session *s);

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
