// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the finished run (cmd/run.c): its text summary, and its JSON report read back
 * into the same record (cmd/output.c), which is what 'diff' compares.
 *
 * The run is built by hand; the expected summary text and rows are written out below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "expect.h"

#include "output.h"
#include "pcr_formats.h"
#include "run.h"

/* Two counters before the rows, two after; one row of each group. */
static void hand_run(struct pcr_run *run)
{
	memset(run, 0, sizeof(*run));
	pcr_run_counter(run, "recording", "x.dat");
	pcr_run_counterf(run, "cpus", "%d", 4);
	run->sigs_at = run->nr_counters;
	pcr_run_add_sig(run, PCR_GROUP_VIOLATION, PCR_VIOL_DOUBLE_FREE, "a<b", 3);
	pcr_run_add_sig(run, PCR_GROUP_SUPPRESSED, PCR_VIOL_DOUBLE_FREE, "c<d", 1);
	pcr_run_add_sig(run, PCR_GROUP_UNDECIDABLE, PCR_VIOL_DOUBLE_ALLOC, "-", 2);
	pcr_run_add_sig(run, PCR_GROUP_EXPLAINED, PCR_VIOL_DOUBLE_FREE, "compaction", 5);
	pcr_run_add_sig(run, PCR_GROUP_EXPLAINED_STACKS, PCR_VIOL_DOUBLE_FREE,
			"compaction_free<migrate_pages", 5);
	/* A second add to a row counts in it, no new row. */
	pcr_run_add_sig(run, PCR_GROUP_VIOLATION, PCR_VIOL_DOUBLE_FREE, "a<b", 1);
	pcr_run_counter(run, "alloc_count", "12");
	pcr_run_counter(run, "strict", "no (explained and undecidable ones do not fail the run)");
	run->verdict = PCR_VERDICT_INCONCLUSIVE;
	run->reason = strdup("2 double allocs and frees undecidable");
	cr_assert(!run->nomem);
}

/* The summary: counters, the rows by group (explained ones by path) among them. */
Test(run, summary_text)
{
	struct pcr_run run;
	char *text;

	hand_run(&run);
	EXPECT_U64(run.nr_sigs, 5);
	text = pcr_run_summary_text(&run);
	cr_assert_not_null(text);
	cr_expect_str_eq(text,
			 "recording: x.dat\n"
			 "cpus: 4\n"
			 "signature: DOUBLE-FREE 4 a<b\n"
			 "suppressed: DOUBLE-FREE 1 c<d\n"
			 "undecidable: DOUBLE-ALLOC 2 -\n"
			 "explained: DOUBLE-FREE 5 compaction\n"
			 "alloc_count: 12\n"
			 "strict: no (explained and undecidable ones do not fail the run)\n");
	cr_expect_str_eq(pcr_run_counter_value(&run, "cpus"), "4");
	cr_expect_null(pcr_run_counter_value(&run, "signature"));
	free(text);
	pcr_run_release(&run);
}

/* JSON and back: the same counters, rows (explained ones by stack), verdict and reason. */
Test(run, json_round_trip)
{
	const struct pcr_report_info report = { 0 };
	const struct pcr_stats stats = { 0 };
	char errmsg[PCR_ERRMSG_LEN] = "", *json = NULL;
	struct pcr_run run, back;
	struct pcr_out out;
	size_t len = 0, i;
	FILE *f;

	hand_run(&run);
	out = (struct pcr_out){ .path = "x.dat", .run = &run, .report = &report, .stats = &stats,
				.verdict = run.verdict, .exit_status = 3 };
	f = open_memstream(&json, &len);
	cr_assert_not_null(f);
	EXPECT_I64(pcr_output_json(f, &out), 0);
	fclose(f);
	EXPECT_I64(pcr_run_from_json(json, &back, errmsg), 0);
	EXPECT_U64(back.nr_counters, 4);
	for (i = 0; i < back.nr_counters && i < run.nr_counters; i++) {
		cr_expect_str_eq(back.counters[i].name, run.counters[i].name);
		cr_expect_str_eq(back.counters[i].value, run.counters[i].value);
	}
	/* The path row is the text report's: JSON has the explained ones by stack. */
	EXPECT_U64(back.nr_sigs, 4);
	EXPECT_I64(back.sigs[0].group, PCR_GROUP_VIOLATION);
	EXPECT_U64(back.sigs[0].count, 4);
	EXPECT_I64(back.sigs[1].group, PCR_GROUP_SUPPRESSED);
	cr_expect_str_eq(back.sigs[1].signature, "c<d");
	EXPECT_I64(back.sigs[2].group, PCR_GROUP_UNDECIDABLE);
	EXPECT_I64(back.sigs[2].kind, PCR_VIOL_DOUBLE_ALLOC);
	EXPECT_I64(back.sigs[3].group, PCR_GROUP_EXPLAINED_STACKS);
	cr_expect_str_eq(back.sigs[3].signature, "compaction_free<migrate_pages");
	EXPECT_I64(back.verdict, PCR_VERDICT_INCONCLUSIVE);
	cr_expect_str_eq(back.reason, "2 double allocs and frees undecidable");
	cr_expect(!back.strict);
	free(json);
	pcr_run_release(&back);
	pcr_run_release(&run);
}

/* Not a report: a clear error, no run. */
Test(run, json_not_a_report)
{
	char errmsg[PCR_ERRMSG_LEN] = "";
	struct pcr_run back;

	EXPECT_I64(pcr_run_from_json("{\"tool\": \"x\"}", &back, errmsg), -PCR_ERR_FORMAT);
	cr_expect(strstr(errmsg, "not a pagecheck-replay --format=json report") != NULL);
	EXPECT_I64(pcr_run_from_json("[1,", &back, errmsg), -PCR_ERR_FORMAT);
}
