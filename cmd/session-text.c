// SPDX-License-Identifier: GPL-2.0
/*
 * The session's text report: the summary's "name: value" lines (what --stats prints and the
 * other formats read), the headline that leads the report, and the table of candidates.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
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
	size_t n = pcr_engine_inconsistent_words(s->engine, pfns, 64), i, j;

	for (i = 0; i < n && i < 64; i++) {
		fprintf(out, "INVARIANT in the validate scan: word of pfns 0x%" PRIx64 "-0x%" PRIx64,
			pfns[i], pfns[i] + 63);
		for (j = 0; j < s->opts->nr_inject; j++) {
			const struct pcr_injection *inj = &s->inject[j];

			if (inj->pfn >= pfns[i] && inj->pfn - pfns[i] < 64 &&
			    (inj->fault == PCR_FAULT_FLIP_PRIMARY ||
			     inj->fault == PCR_FAULT_FLIP_SECONDARY))
				fprintf(out, "; injected: %s:0x%" PRIx64 "@%" PRIu64 ".%09" PRIu64,
					pcr_fault_name(inj->fault), inj->pfn,
					inj->ts_ns / 1000000000u, inj->ts_ns % 1000000000u);
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
static void print_coverage(const struct pcr_session *s, FILE *out)
{
	bool stacks = s->info->has_stacks && s->info->stacks.paired,
	     symbols = s->info->has_kallsyms || s->opts->kallsyms_path;
	bool isolation = pcr_session_has_isolation(s);

	fprintf(out, "coverage: kernel stacks %s, compaction isolation events %s\n",
		!stacks ? "no" : symbols ? "yes" : "yes (no symbols)", isolation ? "yes" : "no");
	fprintf(out, "decides: double allocs %s, double frees %s\n",
		stacks && symbols ? "yes" : "no (needs kernel stacks)",
		stacks && symbols && isolation ? "yes" :
		stacks && symbols ? "only with a compaction isolation or a frame as evidence" :
		isolation ? "only with a compaction isolation as evidence" : "no (needs kernel stacks)");
}

static void print_recording(const struct pcr_session *s, FILE *out)
{
	const struct pcr_source_info *info = s->info;
	char ts[32], offset[24];

	fprintf(out, "recording: %s\n", s->path);
	fprintf(out, "format: %s\n", info->format ? info->format : "unknown");
	if (info->end_note)
		fprintf(out, "recording_end: %s\n", info->end_note);
	fprintf(out, "kernel: %s\n", info->kernel ? info->kernel : "unknown");
	fprintf(out, "cpus: %d\n", info->cpus);
	fprintf(out, "buffer: %s\n", info->buffer ? info->buffer : "none");
	fprintf(out, "loss_check: %s\n", info->loss_checked ? "kernel counters compared" :
		"unavailable (the recording has no per-CPU kernel counters)");
	fprintf(out, "trailing_unrecorded_events: %" PRIu64 "\n", info->trailing_unrecorded);
	fprintf(out, "kallsyms: %s\n", s->opts->kallsyms_path ? s->opts->kallsyms_path :
		info->has_kallsyms ? "from the recording" : "none (frames print as addresses)");
	if (s->vmlinux && s->matched) {
		pcr_format_offset(offset, sizeof(offset), s->match.offset);
		fprintf(out,
			"vmlinux: %s (%srelocated by %s; %" PRIu64 " of %" PRIu64 " functions where the kallsyms has them)\n",
			s->opts->vmlinux_path, s->build_id_matched ? "build id matches; " : "",
			offset, s->match.agreed, s->match.checked);
	} else if (s->vmlinux)
		fprintf(out, "vmlinux: %s (%s)\n", s->opts->vmlinux_path,
			s->report.depot ? "unchecked: no frame's symbol in both" :
			"unused: the recording has no stacks");
	if (info->has_stacks) {
		uint64_t stacks, frames, bytes;

		pcr_depot_stats(s->depot, &stacks, &frames, &bytes);
		fprintf(out, "stack_records: %" PRIu64 "\n", info->stacks.records);
		fprintf(out, "stacks_distinct: %" PRIu64 "\n", stacks);
		fprintf(out, "stack_depot_bytes: %" PRIu64 "\n", bytes);
		fprintf(out, "events_with_stack: %" PRIu64 "\n", info->stacks.paired);
		fprintf(out, "events_without_stack: %" PRIu64 "\n", info->stacks.stackless);
		fprintf(out, "stacks_unpaired: %" PRIu64 "\n", info->stacks.unpaired);
	}
	print_coverage(s, out);
	fprintf(out, "model: %s\n", s->opts->engine.model == PCR_MODEL_KERNEL ? "kernel" : "window");
	/* Only a reference-kernel recording has the choice: other reports stay as they were. */
	if (info->has_hooks)
		fprintf(out, "replayed: %s\n", s->opts->replay_kmem ? "kmem page events" :
			"the RFC checker's hook calls (page_consistency:pc_update)");
	fprintf(out, "from_boot: %s\n", s->phase.from_boot ? "yes" : "no");
	pcr_format_ts(ts, sizeof(ts), s->phase.marker_ts_ns);
	if (s->phase.marker == PCR_BOOT_NONE)
		fprintf(out, "boot_marker: none\n");
	else
		fprintf(out, "boot_marker: %s at %s\n", pcr_boot_marker_name(s->phase.marker), ts);
	if (s->phase.marker == PCR_BOOT_INITMEM_BURST)
		fprintf(out, "boot_initmem_burst_events: %" PRIu64 "\n", s->phase.burst_events);
	pcr_format_ts(ts, sizeof(ts), s->opts->running_from_set ? s->opts->engine.running_from_ns :
		      s->phase.running_from_ns);
	if (pcr_session_unplaced(s))
		snprintf(ts, sizeof(ts), "not found");
	fprintf(out, "running_from: %s%s\n", ts, s->opts->running_from_set ? " (--running-from)" :
		s->phase.marker == PCR_BOOT_NONE ? "" : " (boot_marker)");
}

static void print_signatures(struct pcr_session *s, FILE *out)
{
	const struct pcr_sigcount *rows;
	size_t nr, i;

	rows = pcr_sigtable_rows(s->signatures, &nr);
	for (i = 0; i < nr; i++)
		fprintf(out, "signature: %s %" PRIu64 " %s\n", pcr_violation_name(rows[i].kind),
			rows[i].count, rows[i].signature);
	rows = pcr_sigtable_rows(s->suppressed, &nr);
	for (i = 0; i < nr; i++)
		fprintf(out, "suppressed: %s %" PRIu64 " %s\n", pcr_violation_name(rows[i].kind),
			rows[i].count, rows[i].signature);
	rows = pcr_sigtable_rows(s->undecidable, &nr);
	for (i = 0; i < nr; i++)
		fprintf(out, "undecidable: %s %" PRIu64 " %s\n", pcr_violation_name(rows[i].kind),
			rows[i].count, rows[i].signature);
	rows = pcr_sigtable_rows(s->explained, &nr);
	for (i = 0; i < nr; i++)
		fprintf(out, "explained: %s %" PRIu64 " %s\n", pcr_violation_name(rows[i].kind),
			rows[i].count, rows[i].signature);
}

/* Lines that must come after the engine's own summary. */
static void print_gate(const struct pcr_session *s, FILE *out)
{
	int kind;

	for (kind = 0; kind < PCR_VIOL_NR; kind++) {
		int cls;

		for (cls = 0; cls < PCR_CLASS_NR; cls++)
			fprintf(out, "%s_%s_events: %" PRIu64 "\n", pcr_violation_key(kind),
				pcr_class_name(cls), s->class_events[kind][cls]);
		fprintf(out, "%s_suppressed_events: %" PRIu64 "\n", pcr_violation_key(kind),
			s->suppressed_events[kind]);
	}
	fprintf(out, "strict: %s\n", s->opts->strict ? "yes (every violation counts)" :
		"no (explained and undecidable ones do not fail the run)");
	fprintf(out, "fail_on:");
	for (kind = 0; kind < PCR_VIOL_NR; kind++)
		if (s->opts->fail_on & (1u << kind))
			fprintf(out, " %s", pcr_kind_option(kind));
	if (!s->opts->fail_on)
		fprintf(out, " none");
	fprintf(out, "\n");
}

/* Builds the summary text once; every format reads it. */
int pcr_session_build_summary(struct pcr_session *s)
{
	FILE *out = open_memstream(&s->summary, &s->summary_len);

	if (!out)
		return -PCR_ERR_NOMEM;
	print_recording(s, out);
	print_signatures(s, out);
	pcr_report_summary(out, &s->stats, &s->report);
	print_gate(s, out);
	return fclose(out) ? -PCR_ERR_NOMEM : 0;
}
