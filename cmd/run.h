/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A finished run as one record: the summary's counters, the candidates' signature rows, the
 * verdict and its reason. A replay fills it, a saved --format=json report is read back into
 * it, and every format (text, JSON, KTAP, JUnit, diff) is rendered from it.
 */
#ifndef PCR_RUN_H
#define PCR_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "inject.h"
#include "pagecheck.h"

/**
 * struct pcr_counter - one "name: value" counter of a run
 * @name:	its name
 * @value:	its value as printed
 */
struct pcr_counter {
	char *name;
	char *value;
};

/**
 * struct pcr_sigrow - one row of a run's candidates
 * @signature:	the stack signature (PCR_GROUP_EXPLAINED: the path that explains them)
 * @count:	candidate events
 * @kind:	an enum pcr_violation_kind
 * @group:	an enum pcr_group
 */
struct pcr_sigrow {
	char *signature;
	uint64_t count;
	int kind;
	int group;
};

/**
 * struct pcr_out_violation - a violation kept until the end of the run
 * @v:		the violation (its event points to @ev)
 * @ev:		a copy of the violating event
 * @comm:	the event's task name
 * @signature:	its stack signature
 * @suppressed_line: the suppressions file line that matched it, 0 for none
 * @cls:	its class
 * @inj:	the fault injected on its page, when @injected
 * @injected:	--inject put a fault on its page
 */
struct pcr_out_violation {
	struct pcr_violation v;
	struct pcr_class cls;
	struct pcr_event ev;
	char comm[PCR_COMM_LEN];
	char *signature;
	int suppressed_line;
	struct pcr_injection inj;
	bool injected;
};

/**
 * struct pcr_run - what a finished run says
 * @counters:	the summary's counters in order
 * @nr_counters: counters
 * @sigs_at:	the summary prints the signature rows after this many counters
 * @sigs:	signature rows, group by group, each in report order
 * @nr_sigs:	rows
 * @viols:	the violations kept for the formats that print them at the end (at most
 *		--max-reports)
 * @nr_viols:	how many
 * @cap_viols:	room for
 * @verdict:	an enum pcr_verdict
 * @reason:	why it is inconclusive (one line), else NULL
 * @strict:	every candidate counted (--strict): its explained and undecidable rows are
 *		counted as violations already
 * @nomem:	building it ran out of memory
 */
struct pcr_run {
	struct pcr_counter *counters;
	size_t nr_counters;
	size_t sigs_at;
	struct pcr_sigrow *sigs;
	size_t nr_sigs;
	struct pcr_out_violation *viols;
	size_t nr_viols;
	size_t cap_viols;
	enum pcr_verdict verdict;
	char *reason;
	bool strict;
	bool nomem;
};

/**
 * pcr_run_counter - add a counter (a pcr_counter_fn)
 * @run: the struct pcr_run
 * @name: its name
 * @value: its value
 */
void pcr_run_counter(void *run, const char *name, const char *value);

/**
 * pcr_run_counterf - add a counter, its value printf-formatted
 * @run: the run
 * @name: its name
 * @fmt: the value's format
 */
void pcr_run_counterf(struct pcr_run *run, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * pcr_run_add_sig - count events in a signature row, adding the row when new
 * @run: the run
 * @group: an enum pcr_group
 * @kind: an enum pcr_violation_kind
 * @signature: the row's signature
 * @count: events
 */
void pcr_run_add_sig(struct pcr_run *run, int group, int kind, const char *signature,
		     uint64_t count);

/**
 * pcr_run_add_violation - keep a classified violation, with copies of what it points to
 * @run: the run
 * @c: the violation, its class and signature
 * @inj: the fault injected on its page, or NULL
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_run_add_violation(struct pcr_run *run, const struct pcr_checked *c,
			  const struct pcr_injection *inj);

/**
 * pcr_run_counter_value - a counter's value by name
 * @run: the run
 * @name: the counter
 *
 * Return: its value, or NULL when the run has none of that name.
 */
const char *pcr_run_counter_value(const struct pcr_run *run, const char *name);

/**
 * pcr_run_group_name - the summary's label of a group's rows: "signature", "suppressed",
 * "undecidable", "explained"
 * @group: an enum pcr_group
 *
 * Return: the label.
 */
const char *pcr_run_group_name(int group);

/**
 * pcr_run_print_summary - print the summary: every counter as "name: value", the signature
 * rows as "LABEL: KIND COUNT SIGNATURE" among them
 * @f: where
 * @run: the run
 *
 * Return: 0 or -PCR_ERR_IO.
 */
int pcr_run_print_summary(FILE *f, const struct pcr_run *run);

/**
 * pcr_run_summary_text - the summary as pcr_run_print_summary() prints it
 * @run: the run
 *
 * Return: the text, to free(), or NULL when memory is short.
 */
char *pcr_run_summary_text(const struct pcr_run *run);

/**
 * pcr_run_release - free what a struct pcr_run holds
 * @run: the run
 */
void pcr_run_release(struct pcr_run *run);

/**
 * enum pcr_sig_change - what became of a signature between two runs
 * @PCR_SIG_NEW:	NEW has it, OLD has not
 * @PCR_SIG_GONE:	OLD has it, NEW has not
 * @PCR_SIG_CHANGED:	both have it, with different counts
 * @PCR_SIG_SAME:	both have it as often
 */
enum pcr_sig_change { PCR_SIG_NEW, PCR_SIG_GONE, PCR_SIG_CHANGED, PCR_SIG_SAME };

/**
 * struct pcr_sig_diff - one signature compared between two runs
 * @signature:	the stack signature (owned by one of the runs)
 * @old_count:	its failing events in OLD
 * @new_count:	its failing events in NEW
 * @kind:	an enum pcr_violation_kind
 * @change:	what became of it
 */
struct pcr_sig_diff {
	const char *signature;
	uint64_t old_count;
	uint64_t new_count;
	int kind;
	enum pcr_sig_change change;
};

/**
 * struct pcr_diff - what "diff OLD NEW" says: both runs, their signatures compared, the status
 * @old_path:	OLD as named on the command line
 * @new_path:	NEW as named on the command line
 * @old:	the OLD run
 * @new:	the NEW run
 * @sigs:	the signatures either run fails on, by change, kind and signature
 * @nr_sigs:	how many
 * @new_sigs:	how many of them are new
 * @exit_status: the exit status it gives
 */
struct pcr_diff {
	const char *old_path;
	const char *new_path;
	const struct pcr_run *old;
	const struct pcr_run *new;
	struct pcr_sig_diff *sigs;
	size_t nr_sigs;
	uint64_t new_sigs;
	int exit_status;
};

/**
 * pcr_sig_change_name - a change as the diff reports name it: "new", "gone", "changed", "same"
 * @change: an enum pcr_sig_change
 *
 * Return: the name.
 */
const char *pcr_sig_change_name(enum pcr_sig_change change);

/**
 * pcr_diff_print_text - print a diff as "name: value" lines: both sides, each signature's
 *			 change, the counters side by side, the verdict
 * @f: where
 * @d: the diff
 *
 * Return: 0 or -PCR_ERR_IO.
 */
int pcr_diff_print_text(FILE *f, const struct pcr_diff *d);

#endif /* PCR_RUN_H */
