// SPDX-License-Identifier: GPL-2.0
/*
 * Names, formatting and the text report.
 */
#include <inttypes.h>
#include <string.h>

#include "pagecheck.h"

#undef _PCR
#define _PCR(code, str) str,
static const char *const error_strings[] = { PCR_ERRORS };
#undef _PCR

const char *pcr_strerror(int err)
{
	if (err <= -PCR_ERR_NR || err >= PCR_ERR_NR)
		return "unknown error";
	return error_strings[err < 0 ? -err : err];
}

static const char *const event_names[PCR_EV_NR] = {
	[PCR_EV_NONE] = "none",
	[PCR_EV_ALLOC] = "mm_page_alloc",
	[PCR_EV_FREE] = "mm_page_free",
	[PCR_EV_FREE_BATCHED] = "mm_page_free_batched",
	[PCR_EV_ZONE_LOCKED] = "mm_page_alloc_zone_locked",
	[PCR_EV_PCPU_DRAIN] = "mm_page_pcpu_drain",
	[PCR_EV_LOST] = "lost_events",
	[PCR_EV_OTHER] = "other",
	[PCR_EV_INITCALL] = "initcall_finish",
	[PCR_EV_EXEC] = "sched_process_exec",
	[PCR_EV_SYSTEM_STATE] = "system_state",
	[PCR_EV_INITMEM_ENTER] = "free_initmem_enter",
	[PCR_EV_INITMEM_EXIT] = "free_initmem_exit",
	[PCR_EV_FORK] = "sched_process_fork",
	[PCR_EV_EXIT] = "sched_process_exit",
	[PCR_EV_HOOK_ALLOC] = "checker_alloc",
	[PCR_EV_HOOK_FREE] = "checker_free",
	[PCR_EV_HOOK_INIT] = "checker_init",
	[PCR_EV_HOOK_STOP] = "checker_stop",
	[PCR_EV_ISOLATE] = "mm_compaction_isolate_freepages",
};

const char *pcr_event_name(int kind)
{
	if (kind < 0 || kind >= PCR_EV_NR)
		return "?";
	return event_names[kind];
}

static const char *const violation_names[PCR_VIOL_NR] = {
	[PCR_VIOL_DOUBLE_ALLOC] = "DOUBLE-ALLOC",
	[PCR_VIOL_DOUBLE_FREE] = "DOUBLE-FREE",
	[PCR_VIOL_INVARIANT] = "INVARIANT",
};

static const char *const violation_keys[PCR_VIOL_NR] = {
	[PCR_VIOL_DOUBLE_ALLOC] = "double_alloc",
	[PCR_VIOL_DOUBLE_FREE] = "double_free",
	[PCR_VIOL_INVARIANT] = "invariant",
};

const char *pcr_violation_name(int kind)
{
	if (kind < 0 || kind >= PCR_VIOL_NR)
		return "?";
	return violation_names[kind];
}

const char *pcr_violation_key(int kind)
{
	if (kind < 0 || kind >= PCR_VIOL_NR)
		return "unknown";
	return violation_keys[kind];
}

int pcr_format_ts(char *buf, size_t size, uint64_t ts_ns)
{
	return snprintf(buf, size, "%" PRIu64 ".%09" PRIu64, ts_ns / 1000000000u,
			ts_ns % 1000000000u);
}

/* Appends to @buf like snprintf at offset @len, never past @size; returns the new full length. */
static int append(char *buf, size_t size, int len, const char *text)
{
	size_t n = strlen(text);

	if ((size_t)len < size) {
		size_t room = size - (size_t)len - 1;

		memcpy(buf + len, text, n < room ? n : room);
		buf[len + (n < room ? n : room)] = '\0';
	}
	return len + (int)n;
}

int pcr_format_gfp(char *buf, size_t size, uint64_t gfp, const struct pcr_flag_name *names,
		   size_t nr_names)
{
	char hex[24];
	int len = 0;
	size_t i;

	if (size)
		buf[0] = '\0';
	if (!gfp)
		return append(buf, size, 0, "none");
	/* __print_flags(): each entry whose whole mask is set prints once and clears its bits. */
	for (i = 0; i < nr_names && gfp; i++) {
		if (!names[i].mask || (gfp & names[i].mask) != names[i].mask)
			continue;
		if (len)
			len = append(buf, size, len, "|");
		len = append(buf, size, len, names[i].name);
		gfp &= ~names[i].mask;
	}
	if (gfp) {
		if (len)
			len = append(buf, size, len, "|");
		snprintf(hex, sizeof(hex), "0x%" PRIx64, gfp);
		len = append(buf, size, len, hex);
	}
	return len;
}

enum pcr_verdict pcr_verdict(const struct pcr_stats *stats, bool allow_lost)
{
	const struct pcr_judge_input in = {
		.stats = stats,
		.failing = stats->violations_detected,
		.allow_lost = allow_lost,
	};
	struct pcr_judgement j;

	/* The checker's judgement with every violation failing and nothing else known. */
	pcr_judge(&in, &j);
	return j.verdict;
}

const char *pcr_verdict_name(enum pcr_verdict verdict)
{
	switch (verdict) {
	case PCR_VERDICT_CLEAN:
		return "clean";
	case PCR_VERDICT_VIOLATIONS:
		return "violations";
	case PCR_VERDICT_INCONCLUSIVE:
		return "inconclusive";
	}
	return "?";
}

/* The lines of an inline chain before its frame: the inlined functions, innermost first. */
static void report_inlined(FILE *out, int indent, const struct pcr_frame_src *src)
{
	unsigned int i;

	for (i = 0; i + 1 < src->nr; i++)
		fprintf(out, "%*s%s (%s:%d) [inlined]\n", indent, "",
			src->locs[i].function ? src->locs[i].function : "??", src->locs[i].file,
			src->locs[i].line);
}

/* What follows a frame: its line, or why it has none (README "Source lines"). */
static void report_srcline(FILE *out, const struct pcr_frame_src *src, const struct pcr_symbol *k)
{
	switch (src->status) {
	case PCR_SRC_OK:
		fprintf(out, " (%s:%d)", src->locs[src->nr - 1].file, src->locs[src->nr - 1].line);
		break;
	case PCR_SRC_MOVED:
		fprintf(out, " (no line: %s has no %s at this place: another build)",
			k && k->module ? src->module_path : "the vmlinux", k ? k->name : "?");
		break;
	case PCR_SRC_NOT_IN_VMLINUX:
		fprintf(out, " (no line: not in the vmlinux; a module's, unnamed by the kallsyms)");
		break;
	case PCR_SRC_NO_MODULE:
		fprintf(out, " (no line: no debug file of module %s found)", k ? k->module : "?");
		break;
	case PCR_SRC_MODULE_UNREADABLE:
		fprintf(out, " (no line: no debug info elfutils can read in %s)", src->module_path);
		break;
	default:
		break;
	}
}

int pcr_report_stack(FILE *out, int indent, uint32_t stack_id,
		     const struct pcr_report_info *info)
{
	const uint64_t *frames;
	unsigned int nr, i;
	char text[256];

	if (!stack_id || !info || !info->depot ||
	    pcr_depot_get(info->depot, stack_id, &frames, &nr)) {
		fprintf(out, "%*s(no stack recorded)\n", indent, "");
		return ferror(out) ? -PCR_ERR_IO : 0;
	}
	for (i = 0; i < nr; i++) {
		struct pcr_frame_src src = { .status = PCR_SRC_NO_LINE };
		struct pcr_symbol sym;
		bool named = info->sym && info->sym->resolve &&
			     !info->sym->resolve(info->sym->ctx, frames[i], &sym);

		if (named && pcr_frame_is_glue(sym.name))
			continue;
		/* Lines of frames[i] - 1: every frame is a return address (see the README). */
		if (info->vmlinux &&
		    pcr_vmlinux_frame(info->vmlinux, frames[i], named ? &sym : NULL,
				      info->kaslr_offset, info->sym, &src))
			return -PCR_ERR_NOMEM;
		if (src.status == PCR_SRC_OK)
			report_inlined(out, indent, &src);
		pcr_format_frame(text, sizeof(text), frames[i], info->sym);
		fprintf(out, "%*s%s", indent, "", text);
		report_srcline(out, &src, named ? &sym : NULL);
		fputc('\n', out);
	}
	return ferror(out) ? -PCR_ERR_IO : 0;
}

static const char *task_name(const struct pcr_report_info *info, int pid)
{
	const char *comm = info && info->comm ? info->comm(info->comm_ctx, pid) : NULL;

	return comm ? comm : "<...>";
}

static void report_provenance(FILE *out, const char *what, const struct pcr_provenance *p,
			      const struct pcr_report_info *info)
{
	char ts[32];

	if (!p->valid)
		return;
	pcr_format_ts(ts, sizeof(ts), p->ts_ns);
	fprintf(out, "  %s at %s on cpu %u by task %s-%d:\n", what, ts, (unsigned int)p->cpu,
		task_name(info, p->pid), (int)p->pid);
	pcr_report_stack(out, 4, p->stack_id, info);
}

int pcr_report_violation(FILE *out, const struct pcr_violation *v,
			 const struct pcr_report_info *info)
{
	const struct pcr_event *ev = v->event;
	char ts[32], prev_ts[32], gfp[512];

	pcr_format_ts(ts, sizeof(ts), ev->ts_ns);
	fprintf(out, "%s at %s cpu %u task %s-%d\n", pcr_violation_name(v->kind), ts,
		(unsigned int)ev->cpu, ev->comm ? ev->comm : "<...>", (int)ev->pid);
	fprintf(out, "  event: %s pfn=0x%" PRIx64 " order=%u", pcr_event_name(ev->kind), ev->pfn,
		(unsigned int)ev->order);
	if (ev->kind == PCR_EV_ALLOC) {
		pcr_format_gfp(gfp, sizeof(gfp), ev->gfp, info ? info->gfp_names : NULL,
			       info ? info->nr_gfp_names : 0);
		fprintf(out, " gfp_flags=%s migratetype=%d", gfp, (int)ev->migratetype);
	}
	fprintf(out, "\n  affected: %" PRIu32 " of %" PRIu64 " pages, first pfn=0x%" PRIx64,
		v->pages, (uint64_t)1 << ev->order, v->first_pfn);
	if (v->kind == PCR_VIOL_INVARIANT)
		fprintf(out, " had PRIMARY=%u SECONDARY=%u before the update",
			(unsigned int)v->primary, (unsigned int)v->secondary);
	if (v->prev_kind == PCR_EV_NONE) {
		fprintf(out, "\n  previous: none in the recording for pfn 0x%" PRIx64 "\n",
			v->first_pfn);
	} else {
		pcr_format_ts(prev_ts, sizeof(prev_ts), v->prev_ts_ns);
		fprintf(out, "\n  previous: %s of pfn 0x%" PRIx64 " at %s\n",
			pcr_event_name(v->prev_kind), v->first_pfn, prev_ts);
	}
	if (info && info->depot) {
		fprintf(out, "  stack of this %s:\n", ev->kind == PCR_EV_ALLOC ? "alloc" : "free");
		pcr_report_stack(out, 4, ev->stack_id, info);
		/* The conflicting event first: the earlier free of a double free, and so on. */
		if (v->kind == PCR_VIOL_DOUBLE_FREE) {
			report_provenance(out, "last freed", &v->last_free, info);
			report_provenance(out, "last allocated", &v->last_alloc, info);
		} else {
			report_provenance(out, "last allocated", &v->last_alloc, info);
			report_provenance(out, "last freed", &v->last_free, info);
		}
	}
	return ferror(out) ? -PCR_ERR_IO : 0;
}

/* One counter with a numeric value. */
static void counter_u64(pcr_counter_fn fn, void *ctx, const char *name, uint64_t value)
{
	char v[24];

	snprintf(v, sizeof(v), "%" PRIu64, value);
	fn(ctx, name, v);
}

/* One counter of a violation kind: "double_free_events". */
static void kind_counter(pcr_counter_fn fn, void *ctx, int kind, const char *what, uint64_t value)
{
	char name[64];

	snprintf(name, sizeof(name), "%s_%s", pcr_violation_key(kind), what);
	counter_u64(fn, ctx, name, value);
}

void pcr_report_counters(const struct pcr_stats *s, pcr_counter_fn fn, void *ctx)
{
	char v[64];
	int kind;

	/* The RFC's debugfs "stats" file, same names, same order. */
	snprintf(v, sizeof(v), "%" PRId64, s->pages_tracked);
	fn(ctx, "pages_tracked", v);
	counter_u64(fn, ctx, "alloc_count", s->alloc_count);
	counter_u64(fn, ctx, "free_count", s->free_count);
	counter_u64(fn, ctx, "violations_detected", s->violations_detected);
	counter_u64(fn, ctx, "bitmap_size_bits", s->bitmap_size_bits);
	snprintf(v, sizeof(v), "[%" PRIu64 "-%" PRIu64 ")", s->pfn_min, s->pfn_max);
	fn(ctx, "pfn_range", v);

	for (kind = PCR_EV_ALLOC; kind < PCR_EV_NR; kind++) {
		/* The checker's own events only where the recording has them. */
		if (kind == PCR_EV_LOST || (kind >= PCR_EV_HOOK_ALLOC && !s->events[kind]))
			continue;
		snprintf(v, sizeof(v), "events_%s", pcr_event_name(kind));
		counter_u64(fn, ctx, v, s->events[kind]);
	}
	counter_u64(fn, ctx, "failed_allocs", s->failed_allocs);
	counter_u64(fn, ctx, "batched_free_notices", s->batched_free_notices);
	counter_u64(fn, ctx, "batched_free_unmatched", s->batched_free_unmatched);
	counter_u64(fn, ctx, "free_unseen_events", s->free_unseen_events);
	counter_u64(fn, ctx, "free_unseen_pages", s->free_unseen_pages);
	counter_u64(fn, ctx, "boot_free_unallocated_events", s->boot_free_unallocated_events);
	counter_u64(fn, ctx, "boot_free_unallocated_pages", s->boot_free_unallocated_pages);
	counter_u64(fn, ctx, "out_of_range_events", s->out_of_range_events);
	counter_u64(fn, ctx, "lost_events", s->lost_events);
	counter_u64(fn, ctx, "lost_notices_unknown_count", s->lost_unknown);
	for (kind = 0; kind < PCR_VIOL_NR; kind++) {
		kind_counter(fn, ctx, kind, "events", s->violation_events[kind]);
		kind_counter(fn, ctx, kind, "pages", s->violation_pages[kind]);
	}
	if (s->validated)
		counter_u64(fn, ctx, "validate_inconsistent_words", s->validate_words);
	counter_u64(fn, ctx, "pages_seen", s->pages_known);
	counter_u64(fn, ctx, "engine_state_bytes", s->state_bytes);
}

/* Prints a counter as the summary's "name: value" line. */
static void print_counter(void *out, const char *name, const char *value)
{
	fprintf(out, "%s: %s\n", name, value);
}

int pcr_report_summary(FILE *out, const struct pcr_stats *stats, const struct pcr_report_info *info)
{
	pcr_report_counters(stats, print_counter, out);
	return ferror(out) ? -PCR_ERR_IO : 0;
}
