// SPDX-License-Identifier: GPL-2.0
/*
 * The session's text report: the summary's "name: value" lines (what --stats prints and the
 * other formats read), the headline that leads the report, and the table of candidates.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "cmd.h"
#include "pcr_live.h"
#include "session-priv.h"

/* A relocation as the summary and the messages print it: "0x1e000000", "-0x7f400000". */
void pcr_format_offset(char *buf, size_t size, int64_t offset)
{
	snprintf(buf, size, "%s0x%" PRIx64, offset < 0 ? "-" : "",
		 offset < 0 ? -(uint64_t)offset : (uint64_t)offset);
}

void pcr_print_history(struct pcr_session *s, FILE *out)
{
	size_t i;

	fprintf(out, "history of pfn 0x%" PRIx64 ": %zu events\n", s->opts->explain_pfn,
		s->nr_history);
	for (i = 0; i < s->nr_history; i++) {
		const struct explained_event *e = &s->history[i];
		char ts[32];

		pcr_format_ts(ts, sizeof(ts), e->ev.ts_ns);
		fprintf(out,
			"  %s cpu %u task %s-%d: %s pfn=0x%" PRIx64 " order=%u -> PRIMARY=%d SECONDARY=%d\n",
			ts, (unsigned int)e->ev.cpu, e->comm, (int)e->ev.pid,
			pcr_event_name(e->ev.kind), e->ev.pfn, (unsigned int)e->ev.order,
			e->primary, e->secondary);
		if (s->report.depot)
			pcr_report_stack(out, 4, e->ev.stack_id, &s->report);
	}
	fprintf(out, "\n");
}

/* The words the validate scan found, and the injected fault in each, if any. */
void pcr_print_inconsistent_words(const struct pcr_session *s, FILE *out)
{
	uint64_t pfns[64];
	size_t n = pcr_engine_inconsistent_words(pcr_checker_engine(s->checker), pfns, 64), i, j;
	char text[96];

	for (i = 0; i < n && i < 64; i++) {
		fprintf(out, "INVARIANT in the validate scan: word of pfns 0x%" PRIx64 "-0x%" PRIx64,
			pfns[i], pfns[i] + 63);
		for (j = 0; j < s->opts->nr_inject; j++) {
			const struct pcr_injection *inj = &s->inject[j];

			if (inj->pfn >= pfns[i] && inj->pfn - pfns[i] < 64 &&
			    (inj->fault == PCR_FAULT_FLIP_PRIMARY ||
			     inj->fault == PCR_FAULT_FLIP_SECONDARY))
				fprintf(out, "; injected: %s",
					pcr_injection_text(text, sizeof(text), inj));
		}
		fprintf(out, "\n");
	}
	if (n > 64)
		fprintf(out, "INVARIANT in the validate scan: %zu more words\n", n - 64);
	if (n)
		fprintf(out, "\n");
}

/*
 * What the recording holds that decides a candidate (pcr_classify()), and so which kinds it
 * can decide: a double alloc needs stacks, a double free stacks and compaction's isolations.
 */
static void coverage(const struct pcr_session *s, char *cov, size_t cov_size, char *dec,
		     size_t dec_size)
{
	bool stacks = s->info->has_stacks && s->info->stacks.paired,
	     symbols = s->info->has_kallsyms || s->kallsyms;
	bool isolation = pcr_checker_isolation(s->checker);

	snprintf(cov, cov_size, "kernel stacks %s, compaction isolation events %s",
		 !stacks ? "no" : symbols ? "yes" : "yes (no symbols)", isolation ? "yes" : "no");
	snprintf(dec, dec_size, "double allocs %s, double frees %s",
		 stacks && symbols ? "yes" : "no (needs kernel stacks)",
		 stacks && symbols && isolation ? "yes" :
		 stacks && symbols ? "only with a compaction isolation or a frame as evidence" :
		 isolation ? "only with a compaction isolation as evidence" :
		 "no (needs kernel stacks)");
}

static void print_coverage(const struct pcr_session *s, FILE *out)
{
	char cov[128], dec[128];

	coverage(s, cov, sizeof(cov), dec, sizeof(dec));
	fprintf(out, "coverage: %s\ndecides: %s\n", cov, dec);
}

static void add_recording(const struct pcr_session *s, struct pcr_run *run)
{
	const struct pcr_source_info *info = s->info;
	char ts[32], offset[24], cov[128], dec[128];

	pcr_run_counterf(run, "recording", "%s", s->path);
	pcr_run_counterf(run, "format", "%s", info->format ? info->format : "unknown");
	if (info->end_note)
		pcr_run_counterf(run, "recording_end", "%s", info->end_note);
	pcr_run_counterf(run, "kernel", "%s", info->kernel ? info->kernel : "unknown");
	pcr_run_counterf(run, "cpus", "%d", info->cpus);
	pcr_run_counterf(run, "buffer", "%s", info->buffer ? info->buffer : "none");
	pcr_run_counterf(run, "loss_check", "%s", info->loss_checked ? "kernel counters compared" :
		"unavailable (the recording has no per-CPU kernel counters)");
	pcr_run_counterf(run, "trailing_unrecorded_events", "%" PRIu64,
				 info->trailing_unrecorded);
	pcr_run_counterf(run, "kallsyms", "%s", s->kallsyms_note[0] ? s->kallsyms_note :
		s->opts->kallsyms_path ? s->opts->kallsyms_path :
		info->has_kallsyms ? "from the recording" : "none (frames print as addresses)");
	if (s->vmlinux && s->matched) {
		pcr_format_offset(offset, sizeof(offset), s->match.offset);
		pcr_run_counterf(run,
			"vmlinux", "%s (%srelocated by %s; %" PRIu64 " of %" PRIu64 " functions where the kallsyms has them)",
			s->opts->vmlinux_path, s->build_id_matched ? "build id matches; " : "",
			offset, s->match.agreed, s->match.checked);
	} else if (s->vmlinux)
		pcr_run_counterf(run, "vmlinux", "%s (%s)", s->opts->vmlinux_path,
			s->report.depot ? "unchecked: no frame's symbol in both" :
			"unused: the recording has no stacks");
	if (info->has_stacks) {
		uint64_t stacks, frames, bytes;

		pcr_depot_stats(pcr_checker_depot(s->checker), &stacks, &frames, &bytes);
		pcr_run_counterf(run, "stack_records", "%" PRIu64, info->stacks.records);
		pcr_run_counterf(run, "stacks_distinct", "%" PRIu64, stacks);
		pcr_run_counterf(run, "stack_depot_bytes", "%" PRIu64, bytes);
		pcr_run_counterf(run, "events_with_stack", "%" PRIu64, info->stacks.paired);
		pcr_run_counterf(run, "events_without_stack", "%" PRIu64,
				 info->stacks.stackless);
		pcr_run_counterf(run, "stacks_unpaired", "%" PRIu64, info->stacks.unpaired);
	}
	coverage(s, cov, sizeof(cov), dec, sizeof(dec));
	pcr_run_counter(run, "coverage", cov);
	pcr_run_counter(run, "decides", dec);
	pcr_run_counter(run, "model",
			s->opts->engine.model == PCR_MODEL_KERNEL ? "kernel" : "window");
	/* Only a reference-kernel recording has the choice: other reports stay as they were. */
	if (info->has_hooks)
		pcr_run_counterf(run, "replayed", "%s", s->opts->replay_kmem ? "kmem page events" :
			"the RFC checker's hook calls (page_consistency:pc_update)");
	pcr_run_counterf(run, "from_boot", "%s", s->res->phase.from_boot ? "yes" : "no");
	pcr_format_ts(ts, sizeof(ts), s->res->phase.marker_ts_ns);
	if (s->res->phase.marker == PCR_BOOT_NONE)
		pcr_run_counterf(run, "boot_marker", "none");
	else
		pcr_run_counterf(run, "boot_marker", "%s at %s",
				 pcr_boot_marker_name(s->res->phase.marker), ts);
	if (s->res->phase.marker == PCR_BOOT_INITMEM_BURST)
		pcr_run_counterf(run, "boot_initmem_burst_events", "%" PRIu64,
				 s->res->phase.burst_events);
	pcr_format_ts(ts, sizeof(ts), s->opts->running_from_set ? s->opts->engine.running_from_ns :
		      s->res->phase.running_from_ns);
	if (pcr_checker_unplaced(s->checker))
		snprintf(ts, sizeof(ts), "not found");
	pcr_run_counterf(run, "running_from", "%s%s", ts,
			 s->opts->running_from_set ? " (--running-from)" :
			 s->res->phase.marker == PCR_BOOT_NONE ? "" : " (boot_marker)");
}

/* The rows of each group of candidates, group by group. */
static void add_signatures(const struct pcr_session *s, struct pcr_run *run)
{
	const struct pcr_sigcount *rows;
	size_t nr, i;
	int g;

	for (g = 0; g < PCR_GROUP_NR; g++) {
		rows = pcr_sigtable_rows(pcr_session_group(s, g), &nr);
		for (i = 0; i < nr; i++)
			pcr_run_add_sig(run, g, rows[i].kind, rows[i].signature, rows[i].count);
	}
}

/* Counters that must come after the engine's own. */
static void add_gate(const struct pcr_session *s, struct pcr_run *run)
{
	char name[64], fail_on[64] = "";
	int kind, cls;

	for (kind = 0; kind < PCR_VIOL_NR; kind++) {
		for (cls = 0; cls < PCR_CLASS_NR; cls++) {
			snprintf(name, sizeof(name), "%s_%s_events", pcr_violation_key(kind),
				 pcr_class_name(cls));
			pcr_run_counterf(run, name, "%" PRIu64, s->res->classes[kind][cls]);
		}
		snprintf(name, sizeof(name), "%s_suppressed_events", pcr_violation_key(kind));
		pcr_run_counterf(run, name, "%" PRIu64, s->res->suppressed[kind]);
	}
	pcr_run_counter(run, "strict", s->opts->strict ? "yes (every violation counts)" :
			"no (explained and undecidable ones do not fail the run)");
	for (kind = 0; kind < PCR_VIOL_NR; kind++)
		if (s->opts->fail_on & (1u << kind))
			snprintf(fail_on + strlen(fail_on), sizeof(fail_on) - strlen(fail_on),
				 " %s", pcr_kind_option(kind));
	/* The names joined by spaces, without the first one's. */
	pcr_run_counterf(run, "fail_on", "%s", s->opts->fail_on ? fail_on + 1 : "none");
}

int pcr_session_build_run(struct pcr_session *s)
{
	struct pcr_run *run = &s->run;
	char why[600];

	add_recording(s, run);
	run->sigs_at = run->nr_counters;
	add_signatures(s, run);
	pcr_report_counters(&s->res->stats, pcr_run_counter, run);
	add_gate(s, run);
	run->verdict = s->res->judgement.verdict;
	run->strict = s->opts->strict;
	if (pcr_session_reason(s, why, sizeof(why))) {
		run->reason = strdup(why);
		run->nomem |= !run->reason;
	}
	return run->nomem ? -PCR_ERR_NOMEM : 0;
}

static uint64_t table_events(struct pcr_sigtable *table);

/* The length of a reason cut before its explanation (", which ...", ": ..."). */
static int short_reason(const char *why)
{
	const char *which = strstr(why, ", which"), *colon = strstr(why, ": ");
	const char *end = which && (!colon || which < colon) ? which : colon;

	return end ? (int)(end - why) : (int)strlen(why);
}

/* Joins the parts of the why line with "; ". */
static void why_part(FILE *out, bool *first)
{
	fputs(*first ? "why: " : "; ", out);
	*first = false;
}

static void why_lost(const struct pcr_session *s, FILE *out, bool *first)
{
	char lost[96];

	why_part(out, first);
	fprintf(out, "the recording lost %s%s", pcr_lost_text(&s->res->stats, lost, sizeof(lost)),
		s->opts->allow_lost ? ", judged anyway (--allow-lost)" :
		", so the state of the pages they touched is unknown");
}

/* The kinds that fail the run and have violations: "3 double frees and 1 double alloc". */
static void why_violations(const struct pcr_session *s, FILE *out, bool *first)
{
	static const char *const plural[PCR_VIOL_NR] = { "double allocs", "double frees",
							  "invariant breaks" };
	static const char *const single[PCR_VIOL_NR] = { "double alloc", "double free",
							  "invariant break" };
	uint64_t total = 0;
	int kind, n = 0;

	for (kind = 0; kind < PCR_VIOL_NR; kind++)
		if (s->opts->fail_on & (1u << kind))
			total += s->res->unsuppressed[kind];
	if (total) {
		why_part(out, first);
		for (kind = 0; kind < PCR_VIOL_NR; kind++) {
			uint64_t nr = s->res->unsuppressed[kind];

			if (!(s->opts->fail_on & (1u << kind)) || !nr)
				continue;
			fprintf(out, "%s%" PRIu64 " %s", n++ ? " and " : "", nr,
				nr == 1 ? single[kind] : plural[kind]);
		}
		if (s->opts->strict)
			fprintf(out, " %s counted (--strict: every candidate counts)",
				total == 1 ? "is" : "are");
		else
			fprintf(out, total == 1 ?
				" is a violation: no path the tracepoints miss explains it" :
				" are violations: no path the tracepoints miss explains them");
	}
}

static void why_undecided(const struct pcr_session *s, FILE *out, bool *first)
{
	size_t i;

	why_part(out, first);
	fprintf(out, "%" PRIu64 " double allocs and frees are undecidable (", s->res->nr_undecided);
	for (i = 0; i < PCR_UNDECIDED_MAX && s->res->undecided[i].why; i++)
		fprintf(out, "%s%" PRIu64 ": %.*s", i ? "; " : "", s->res->undecided[i].events,
			short_reason(s->res->undecided[i].why), s->res->undecided[i].why);
	fprintf(out, ")%s", s->opts->allow_undecidable ? ", judged without them (--allow-undecidable)" :
		"");
}

/* Whether every group of candidates is empty. */
static bool no_candidates(const struct pcr_session *s)
{
	int g;

	for (g = 0; g < PCR_GROUP_NR; g++)
		if (table_events(pcr_session_group(s, g)))
			return false;
	return true;
}

/* One reason of the verdict, as the why line gives it. */
static void why_reason(const struct pcr_session *s, FILE *out, bool *first, int reason)
{
	const struct pcr_stats *st = &s->res->stats;
	char damage[512];

	switch (reason) {
	case PCR_REASON_LOST:
		why_lost(s, out, first);
		break;
	case PCR_REASON_UNPLACED:
		why_part(out, first);
		fprintf(out,
			"the boot's SYSTEM_RUNNING boundary is not in the recording, so %" PRIu64 " frees of free pages are neither reported nor ruled out",
			st->boot_free_unallocated_events);
		break;
	case PCR_REASON_DAMAGED:
		why_part(out, first);
		fprintf(out, "%s%s", pcr_session_damage(s, damage, sizeof(damage)),
			s->opts->allow_damaged ? ", judged anyway (--allow-damaged)" : "");
		break;
	case PCR_REASON_UNCHECKED:
		why_part(out, first);
		fprintf(out, "no page event fell in --pfn-range (%" PRIu64
			" were outside it): nothing was checked", st->out_of_range_events);
		break;
	case PCR_REASON_VIOLATIONS:
		why_violations(s, out, first);
		break;
	case PCR_REASON_VALIDATE:
		why_part(out, first);
		fprintf(out, "the validate scan found %" PRIu64 " inconsistent bitmap words",
			st->validate_words);
		break;
	case PCR_REASON_UNDECIDABLE:
		why_undecided(s, out, first);
		break;
	}
}

/*
 * One line of why the verdict is what it is: every reason it rests on, in their order (a lossy
 * recording says so before anything else), or what was found clean.
 */
static void print_why(const struct pcr_session *s, FILE *out, enum pcr_verdict verdict)
{
	bool first = true;
	int r;

	for (r = 0; r < PCR_REASON_NR; r++)
		if (pcr_session_holds(s, r))
			why_reason(s, out, &first, r);
	if (first) {
		why_part(out, &first);
		if (verdict == PCR_VERDICT_CLEAN && no_candidates(s))
			fprintf(out, "no double alloc, double free or invariant break in %" PRIu64
				" allocs and frees",
				s->res->stats.alloc_count + s->res->stats.free_count);
		else if (verdict == PCR_VERDICT_CLEAN)
			fprintf(out, "every candidate of the kinds that fail the run is explained, suppressed or accepted");
		else
			fprintf(out, "see the warnings");
	}
	fputc('\n', out);
}

/*
 * The reason that makes the verdict inconclusive, as one line: the same reasons as the why
 * line, worded for a diff's or a KTAP's single line (issue 18).
 */
const char *pcr_session_reason(const struct pcr_session *s, char *buf, size_t size)
{
	const struct pcr_stats *st = &s->res->stats;
	char why[512];

	switch (s->res->judgement.decisive) {
	case PCR_REASON_LOST:
		if (st->lost_events && st->lost_unknown)
			snprintf(buf, size, "%" PRIu64 " events lost, and more %s",
				 st->lost_events, "the recording does not count");
		else if (st->lost_events)
			snprintf(buf, size, "%" PRIu64 " events lost", st->lost_events);
		else
			snprintf(buf, size, "events lost (how many, the recording does not say)");
		return buf;
	case PCR_REASON_UNPLACED:
		snprintf(buf, size,
			 "%" PRIu64 " frees of free pages before a boot boundary that is not in the recording",
			 st->boot_free_unallocated_events);
		return buf;
	case PCR_REASON_DAMAGED:
		snprintf(buf, size, "damaged: %s", pcr_session_damage(s, why, sizeof(why)));
		return buf;
	case PCR_REASON_UNCHECKED:
		snprintf(buf, size, "no page event in --pfn-range: nothing was checked");
		return buf;
	case PCR_REASON_UNDECIDABLE:
		snprintf(buf, size, "%" PRIu64 " double allocs and frees undecidable",
			 s->res->nr_undecided);
		return buf;
	}
	return NULL;
}

/* What was replayed, from where: one line. */
static void print_checked(const struct pcr_session *s, FILE *out)
{
	const struct pcr_source_info *info = s->info;

	fprintf(out, "checked: %" PRIu64 " allocs and %" PRIu64 " frees of %s (%s; %s; %d CPUs)\n",
		s->res->stats.alloc_count, s->res->stats.free_count, s->path,
		info->format ? info->format : "unknown format",
		info->kernel ? info->kernel : "unknown kernel", info->cpus);
}

/* Rows of one class in the candidates table, at most @max (0: all); returns those left out. */
static uint64_t print_group_rows(FILE *out, struct pcr_sigtable *table, const char *cls,
				 size_t max, uint64_t *left_events)
{
	const struct pcr_sigcount *rows;
	size_t nr, i;

	rows = pcr_sigtable_rows(table, &nr);
	for (i = 0; i < nr; i++) {
		if (max && i >= max) {
			*left_events += rows[i].count;
			continue;
		}
		fprintf(out, "  %-13s %-12s %8" PRIu64 "  %s\n", pcr_kind_option(rows[i].kind), cls,
			rows[i].count, rows[i].signature);
	}
	return max && nr > max ? nr - max : 0;
}

static uint64_t table_events(struct pcr_sigtable *table)
{
	size_t nr, i;
	const struct pcr_sigcount *rows = pcr_sigtable_rows(table, &nr);
	uint64_t n = 0;

	for (i = 0; i < nr; i++)
		n += rows[i].count;
	return n;
}

/* Rows a class shows in the table by default: the rest are counted on one line. */
#define PCR_TABLE_ROWS 10

/* The candidates grouped by kind, class and signature (explained ones: by path), with counts. */
static void print_candidates(struct pcr_session *s, FILE *out)
{
	uint64_t violation = table_events(pcr_session_group(s, PCR_GROUP_VIOLATION));
	uint64_t suppressed = table_events(pcr_session_group(s, PCR_GROUP_SUPPRESSED));
	uint64_t explained = table_events(pcr_session_group(s, PCR_GROUP_EXPLAINED));
	uint64_t undecidable = table_events(pcr_session_group(s, PCR_GROUP_UNDECIDABLE));
	uint64_t left_rows = 0, left_events = 0;
	size_t max = s->opts->examples ? PCR_TABLE_ROWS : 0;

	if (!violation && !suppressed && !explained && !undecidable) {
		fprintf(out, "candidates: none\n");
		return;
	}
	fprintf(out,
		"candidates: %" PRIu64 " (violation %" PRIu64 ", suppressed %" PRIu64 ", undecidable %" PRIu64 ", explained %" PRIu64 ")\n",
		violation + suppressed + explained + undecidable, violation, suppressed, undecidable,
		explained);
	fprintf(out, "  %-13s %-12s %8s  %s\n", "KIND", "CLASS", "EVENTS", "SIGNATURE OR PATH");
	left_rows += print_group_rows(out, pcr_session_group(s, PCR_GROUP_VIOLATION),
				      s->opts->strict ? "counted" : "violation", max, &left_events);
	left_rows += print_group_rows(out, pcr_session_group(s, PCR_GROUP_SUPPRESSED),
				      "suppressed", max, &left_events);
	left_rows += print_group_rows(out, pcr_session_group(s, PCR_GROUP_UNDECIDABLE),
				      "undecidable", max, &left_events);
	left_rows += print_group_rows(out, pcr_session_group(s, PCR_GROUP_EXPLAINED),
				      "explained", max, &left_events);
	if (left_rows)
		fprintf(out, "  ... %" PRIu64 " more groups of %" PRIu64
			" events (--examples=all lists them; --stats too)\n", left_rows, left_events);
}

/* One item of the "not shown:" line. */
static void unshown(FILE *out, bool *first, uint64_t n, const char *what)
{
	if (!n)
		return;
	fprintf(out, "%s%" PRIu64 " %s", *first ? "not shown: " : ", ", n, what);
	*first = false;
}

/* What the report left out, and the option that shows it. */
static void print_unshown(const struct pcr_session *s, FILE *out)
{
	char beyond[96];
	bool first = true;

	if (s->opts->quiet) {
		fprintf(out, "not shown: every block (-q)");
		first = false;
	} else {
		snprintf(beyond, sizeof(beyond),
			 "blocks beyond %" PRIu64 " examples a group (--examples=all)",
			 s->opts->examples);
		unshown(out, &first, s->unshown_examples, beyond);
		unshown(out, &first, s->unshown_undecidable, "undecidable blocks (--show-undecidable)");
		unshown(out, &first, s->unshown_explained, "explained blocks (--show-explained)");
		unshown(out, &first, s->unshown_max_reports, "blocks beyond --max-reports");
	}
	if (!s->opts->stats)
		fprintf(out, "%severy counter: --stats", first ? "" : "; ");
	if (!first || !s->opts->stats)
		fputc('\n', out);
}

int pcr_session_print_text(struct pcr_session *s, FILE *out, enum pcr_verdict verdict)
{
	fprintf(out, "verdict: %s\n", pcr_verdict_name(verdict));
	print_why(s, out, verdict);
	print_checked(s, out);
	if (!s->opts->stats)
		print_coverage(s, out);
	print_candidates(s, out);
	if (s->blocks) {
		if (fflush(s->blocks))
			return -PCR_ERR_NOMEM;
		fputc('\n', out);
		fwrite(s->blocks_text, 1, s->blocks_len, out);
	} else {
		fputc('\n', out);
	}
	if (s->opts->validate)
		pcr_print_inconsistent_words(s, out);
	if (s->opts->explain)
		pcr_print_history(s, out);
	print_unshown(s, out);
	if (s->opts->stats) {
		fputc('\n', out);
		pcr_run_print_summary(out, &s->run);
	}
	return ferror(out) ? -PCR_ERR_IO : 0;
}

/*
 * Recorded by pagecheck-replay record (its buffer is the instance record traces into) without
 * --stacks: record records everything else a decision needs.
 */
static bool recorded_without_stacks(const struct pcr_session *s)
{
	const char *buffer = s->info ? s->info->buffer : NULL;

	return buffer && !strncmp(buffer, PCR_INSTANCE_PREFIX, strlen(PCR_INSTANCE_PREFIX)) &&
	       !s->info->stacks.records;
}

/* One line: how many candidates are undecided, why, and what would decide them next time. */
void pcr_session_warn_undecided(const struct pcr_session *s)
{
	const char *remedy = NULL;
	size_t i;

	fprintf(stderr, "pagecheck-replay: warning: %s: %" PRIu64
		" double allocs and frees are undecidable, so the verdict is %s: ", s->path,
		s->res->nr_undecided, s->opts->allow_undecidable ?
		"judged without them (--allow-undecidable)" : "inconclusive");
	for (i = 0; i < PCR_UNDECIDED_MAX && s->res->undecided[i].why; i++) {
		fprintf(stderr, "%s%" PRIu64 " because %s", i ? "; " : "",
			s->res->undecided[i].events, s->res->undecided[i].why);
		if (!remedy)
			remedy = s->res->undecided[i].remedy;
	}
	if (!remedy || !strcmp(remedy, "record with " PCR_RECORD_DECIDING))
		remedy = recorded_without_stacks(s) ?
			 "record again with pagecheck-replay record --stacks -- COMMAND (this recording was made by pagecheck-replay record without --stacks)" :
			 "record with " PCR_RECORD_DECIDING;
	fprintf(stderr, ". To decide them, %s%s\n", remedy,
		s->opts->allow_undecidable ? "" : "; or pass --allow-undecidable to accept them");
}

/* The modules whose frames got no source line for want of a debug file, and what to do. */
void pcr_session_note_modules(const struct pcr_session *s)
{
	size_t i, nr = s->vmlinux ? pcr_vmlinux_modules(s->vmlinux, 0, NULL, NULL) : 0;

	if (s->vmlinux && pcr_vmlinux_unnamed_frames(s->vmlinux))
		fprintf(stderr,
			"pagecheck-replay: note: %" PRIu64 " frames printed are outside %s and the recording's kallsyms name no module for them: they have no source line; pass --kallsyms=FILE with the traced machine's /proc/kallsyms (or 'trace-cmd dump --kallsyms RECORDING'), which names modules, and --modules-dir\n",
			pcr_vmlinux_unnamed_frames(s->vmlinux), s->opts->vmlinux_path);

	for (i = 0; i < nr; i++) {
		const char *name = NULL, *path = NULL;

		pcr_vmlinux_modules(s->vmlinux, i, &name, &path);
		if (path)
			continue;
		if (s->modules_dir[0])
			fprintf(stderr,
				"pagecheck-replay: note: no readable debug file of module %s (%s.ko or %s.ko.debug) under %s: its frames have no source line; pass --modules-dir with the directory of the module's build\n",
				name, name, name, s->modules_dir);
		else
			fprintf(stderr,
				"pagecheck-replay: note: module %s: its frames have no source line; pass --modules-dir with the directory of the module's build (NAME.ko with debug info)\n",
				name);
	}
}

/* What the recording says it lost: a count, a count and more, or only that it lost some. */
const char *pcr_lost_text(const struct pcr_stats *st, char *buf, size_t size)
{
	if (!st->lost_events)
		snprintf(buf, size, "events (it marks the loss but not how many)");
	else
		snprintf(buf, size, "%s%" PRIu64 " events%s", st->lost_unknown ? "at least " : "",
			 st->lost_events, st->lost_unknown ? " (and more it did not count)" : "");
	return buf;
}
