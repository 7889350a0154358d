/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine-readable reports of a run and of a diff of two runs: JSON, KTAP and JUnit XML.
 */
#ifndef PCR_OUTPUT_H
#define PCR_OUTPUT_H

#include <stdio.h>

#include "pagecheck.h"
#include "run.h"

/**
 * struct pcr_out - everything a report in any format says
 * @path:	the recording
 * @run:	the finished run: counters, signature rows, violations kept, verdict and reason
 * @report:	gfp names, depot, symbolizer, task names
 * @stats:	the engine's counters
 * @suppressions_path: --suppressions, or NULL
 * @unsuppressed: violating events per kind that no suppression matched
 * @suppressed:	violating events per kind that a suppression matched
 * @verdict:	the run's verdict after --fail-on and suppressions
 * @exit_status: the exit status it gives
 * @fail_on:	the kinds that fail the run
 * @allow_lost:	--allow-lost
 * @damage:	why the recording is damaged (it reads, but records are missing), or NULL
 * @allow_damaged: --allow-damaged
 * @undecided:	candidates of the failing kinds the recording could not decide
 * @allow_undecidable: --allow-undecidable
 */
struct pcr_out {
	const char *path;
	const struct pcr_run *run;
	const struct pcr_report_info *report;
	const struct pcr_stats *stats;
	const char *suppressions_path;
	uint64_t unsuppressed[PCR_VIOL_NR];
	uint64_t suppressed[PCR_VIOL_NR];
	enum pcr_verdict verdict;
	int exit_status;
	const char *damage;
	unsigned int fail_on;
	bool allow_lost;
	bool allow_damaged;
	uint64_t undecided;
	bool allow_undecidable;
};

/**
 * pcr_output_json - print the report as one JSON object (jansson; keys in a fixed order)
 * @f: where to print
 * @out: the report
 *
 * Return: 0, -PCR_ERR_NOMEM or -PCR_ERR_IO.
 */
int pcr_output_json(FILE *f, const struct pcr_out *out);

/**
 * pcr_output_ktap - print the report as KTAP version 1: one test per violation kind, one for
 *		     the recording's completeness
 * @f: where to print
 * @out: the report
 *
 * Return: 0 or -PCR_ERR_IO.
 */
int pcr_output_ktap(FILE *f, const struct pcr_out *out);

/**
 * pcr_output_junit - print the report as JUnit XML (libxml2's writer)
 * @f: where to print
 * @out: the report
 *
 * Return: 0, -PCR_ERR_NOMEM or -PCR_ERR_IO.
 */
int pcr_output_junit(FILE *f, const struct pcr_out *out);

/**
 * pcr_output_diff_json - print a diff as one JSON object: both sides, each signature's change,
 *			  the counters side by side, the verdict and exit status
 * @f: where to print
 * @d: the diff
 *
 * Return: 0, -PCR_ERR_NOMEM or -PCR_ERR_IO.
 */
int pcr_output_diff_json(FILE *f, const struct pcr_diff *d);

/**
 * pcr_output_diff_ktap - print a diff as KTAP version 1: one test per violation kind, "no new
 *			  signature of this kind", each skipped with the reason when NEW is
 *			  inconclusive
 * @f: where to print
 * @d: the diff
 *
 * Return: 0 or -PCR_ERR_IO.
 */
int pcr_output_diff_ktap(FILE *f, const struct pcr_diff *d);

/**
 * pcr_output_diff_junit - print a diff as JUnit XML, its tests those of pcr_output_diff_ktap()
 * @f: where to print
 * @d: the diff
 *
 * Return: 0, -PCR_ERR_NOMEM or -PCR_ERR_IO.
 */
int pcr_output_diff_junit(FILE *f, const struct pcr_diff *d);

/**
 * pcr_run_from_json - read a report that --format=json wrote
 * @text: the JSON text
 * @run: receives its counters, signature rows, verdict and reason
 * @errmsg: receives a message on failure (PCR_ERRMSG_LEN bytes)
 *
 * Return: 0, -PCR_ERR_FORMAT when it is not such a report, or -PCR_ERR_NOMEM.
 */
int pcr_run_from_json(const char *text, struct pcr_run *run, char *errmsg);

#endif /* PCR_OUTPUT_H */
