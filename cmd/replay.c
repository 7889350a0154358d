// SPDX-License-Identifier: GPL-2.0
/*
 * pagecheck-replay [OPTIONS] FILE: replay one recording through the engine and report.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "pcr_formats.h"

/* One event of the page that --explain follows, and the page's bits after it. */
struct explained_event {
	struct pcr_event ev;
	char comm[PCR_COMM_LEN];
	int primary;
	int secondary;
};

struct replay_ctx {
	struct pcr_options engine_opts;
	struct pcr_source_options source_opts;
	struct pcr_report_info report;
	struct pcr_symbolizer kallsyms_sym;
	struct pcr_engine *engine;
	struct pcr_depot *depot;
	struct pcr_sigtable *signatures;
	struct pcr_kallsyms *kallsyms;
	struct explained_event *history;
	const char *path;
	const char *kallsyms_path;
	const char *vmlinux_path;
	struct pcr_vmlinux *vmlinux;
	uint64_t max_reports;
	uint64_t reported;
	uint64_t explain_pfn;
	size_t nr_history;
	size_t cap_history;
	int err;
	bool explain;
	bool vmlinux_settled;
	bool validate;
	bool quiet;
	bool write_failed;
};

static const char usage_text[] =
	"Usage: pagecheck-replay [OPTIONS] FILE\n"
	"\n"
	"Replay the page allocator events of a recording (trace-cmd trace.dat) through the\n"
	"dual-bitmap consistency engine of the page_consistency RFC and report double\n"
	"allocations, double frees and bitmap invariant breaks.\n"
	"\n"
	"Options:\n"
	"  --model=window|kernel   window (default): a page's state is unknown until its first\n"
	"                          event; kernel: every page starts free, as in the RFC\n"
	"  --running-from=SECONDS  system_state reaches SYSTEM_RUNNING at this timestamp; double\n"
	"                          frees before it are not violations (default: the whole\n"
	"                          recording is after boot)\n"
	"  --pfn-range=MIN-MAX     track only pfns MIN..MAX-1 (the RFC's memblock range); events\n"
	"                          outside are skipped and counted\n"
	"  --validate              run the RFC's validate scan at the end and report the\n"
	"                          inconsistent words\n"
	"  --allow-lost            a recording that lost events is judged anyway (exit 0 or 1\n"
	"                          instead of 3)\n"
	"  --buffer=NAME           replay this trace.dat buffer: 'top' or an instance name\n"
	"                          (trace-cmd record -B NAME); default: the buffer holding the\n"
	"                          page events\n"
	"  --max-reports=N         print at most N violation blocks (all are counted)\n"
	"  --kallsyms=FILE         name stack frames with this copy of the traced machine's\n"
	"                          /proc/kallsyms instead of the recording's own\n"
	"  --vmlinux=FILE          add file:line to stack frames from this vmlinux with debug\n"
	"                          info (the traced kernel's; KASLR is undone with kallsyms)\n"
	"  --explain=PFN           print every event of page PFN (decimal or 0x-hex) with its\n"
	"                          stack and the page's bits after it\n"
	"  -q, --quiet             print no violation blocks, only the summary\n"
	"  -h, --help              show this help\n"
	"  -V, --version           show the version\n"
	"\n"
	"Exit status: 0 no violations, 1 violations, 2 usage or input error,\n"
	"3 inconclusive (the recording lost events; see --allow-lost).\n";

enum {
	OPT_MODEL = 256,
	OPT_RUNNING_FROM,
	OPT_PFN_RANGE,
	OPT_VALIDATE,
	OPT_ALLOW_LOST,
	OPT_BUFFER,
	OPT_MAX_REPORTS,
	OPT_KALLSYMS,
	OPT_VMLINUX,
	OPT_EXPLAIN,
};

static const struct option long_options[] = {
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "running-from", required_argument, NULL, OPT_RUNNING_FROM },
	{ "pfn-range", required_argument, NULL, OPT_PFN_RANGE },
	{ "validate", no_argument, NULL, OPT_VALIDATE },
	{ "allow-lost", no_argument, NULL, OPT_ALLOW_LOST },
	{ "buffer", required_argument, NULL, OPT_BUFFER },
	{ "max-reports", required_argument, NULL, OPT_MAX_REPORTS },
	{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
	{ "vmlinux", required_argument, NULL, OPT_VMLINUX },
	{ "explain", required_argument, NULL, OPT_EXPLAIN },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pagecheck-replay: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'pagecheck-replay --help'.\n");
	return PCR_EXIT_ERROR;
}

static int parse_options(struct replay_ctx *ctx, int argc, char **argv)
{
	char *end;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qhV", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_MODEL:
			if (!strcmp(optarg, "window"))
				ctx->engine_opts.model = PCR_MODEL_WINDOW;
			else if (!strcmp(optarg, "kernel"))
				ctx->engine_opts.model = PCR_MODEL_KERNEL;
			else
				return usage_error("--model takes 'window' or 'kernel', not '%s'",
						   optarg);
			break;
		case OPT_RUNNING_FROM:
			if (pcr_parse_seconds(optarg, &ctx->engine_opts.running_from_ns))
				return usage_error("--running-from takes seconds such as 935.350945275, not '%s'",
						   optarg);
			break;
		case OPT_PFN_RANGE:
			if (pcr_parse_pfn_range(optarg, &ctx->engine_opts.pfn_min,
						&ctx->engine_opts.pfn_max))
				return usage_error("--pfn-range takes MIN-MAX with MIN < MAX (decimal or 0x-hex), not '%s'",
						   optarg);
			ctx->engine_opts.pfn_range = true;
			break;
		case OPT_VALIDATE:
			ctx->validate = true;
			break;
		case OPT_ALLOW_LOST:
			ctx->report.allow_lost = true;
			break;
		case OPT_BUFFER:
			ctx->source_opts.buffer = optarg;
			break;
		case OPT_MAX_REPORTS:
			ctx->max_reports = strtoull(optarg, &end, 10);
			if (!*optarg || *end || *optarg == '-')
				return usage_error("--max-reports takes a number, not '%s'", optarg);
			break;
		case OPT_KALLSYMS:
			ctx->kallsyms_path = optarg;
			break;
		case OPT_VMLINUX:
			ctx->vmlinux_path = optarg;
			break;
		case OPT_EXPLAIN:
			if (pcr_parse_pfn(optarg, &ctx->explain_pfn))
				return usage_error("--explain takes a pfn (decimal or 0x-hex), not '%s'",
						   optarg);
			ctx->explain = true;
			break;
		case 'q':
			ctx->quiet = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return PCR_EXIT_CLEAN;
		case 'V':
			printf("pagecheck-replay %s\n", PCR_VERSION_STRING);
			return PCR_EXIT_CLEAN;
		default:
			return usage_error("%s", "unknown option or missing value");
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", optind >= argc ? "no recording given" :
					 "one recording at a time");
	ctx->path = argv[optind];
	return -1;
}

/*
 * Source lines need the traced kernel's relocation, found from a stack frame whose symbol both
 * the recording and the vmlinux know: done once, when the first stack is about to be printed.
 */
static void settle_vmlinux(struct replay_ctx *ctx)
{
	if (!ctx->vmlinux || ctx->vmlinux_settled || !ctx->report.depot)
		return;
	ctx->vmlinux_settled = true;
	ctx->report.vmlinux = ctx->vmlinux;
	if (pcr_vmlinux_kaslr_offset(ctx->vmlinux, ctx->report.depot, ctx->report.sym,
				     &ctx->report.kaslr_offset)) {
		ctx->report.kaslr_offset = 0;
		fprintf(stderr,
			"pagecheck-replay: warning: no stack frame's symbol is both in the recording's kallsyms and in %s; source lines assume the kernel was not relocated (nokaslr) and are wrong otherwise: pass --kallsyms, or the traced kernel's vmlinux\n",
			ctx->vmlinux_path);
	}
}

static int on_violation(const struct pcr_violation *v, void *payload)
{
	struct replay_ctx *ctx = payload;
	const uint64_t *frames = NULL;
	unsigned int nr = 0;
	char sig[512];

	if (ctx->report.depot && v->event->stack_id)
		pcr_depot_get(ctx->report.depot, v->event->stack_id, &frames, &nr);
	pcr_stack_signature(sig, sizeof(sig), frames, nr, ctx->report.sym);
	if (pcr_sigtable_add(ctx->signatures, v->kind, sig))
		return 1;
	if (ctx->quiet || ctx->write_failed)
		return 0;
	if (ctx->max_reports && ctx->reported >= ctx->max_reports)
		return 0;
	ctx->reported++;
	settle_vmlinux(ctx);
	if (pcr_report_violation(stdout, v, &ctx->report) ||
	    (ctx->report.depot && printf("  signature: %s\n", sig) < 0) || fputc('\n', stdout) == EOF)
		ctx->write_failed = true;
	return 0;
}

static bool event_covers(const struct pcr_event *ev, uint64_t pfn)
{
	uint64_t pages = ev->kind == PCR_EV_ALLOC || ev->kind == PCR_EV_FREE ||
			 ev->kind == PCR_EV_ZONE_LOCKED || ev->kind == PCR_EV_PCPU_DRAIN ?
			 1ull << ev->order : 1;

	if (ev->kind < PCR_EV_ALLOC || ev->kind > PCR_EV_PCPU_DRAIN || ev->pfn == PCR_PFN_NONE)
		return false;
	return pfn >= ev->pfn && pfn - ev->pfn < pages;
}

static int remember(struct replay_ctx *ctx, const struct pcr_event *ev)
{
	struct explained_event *e;

	if (ctx->nr_history == ctx->cap_history) {
		size_t cap = ctx->cap_history ? ctx->cap_history * 2 : 64;

		e = realloc(ctx->history, cap * sizeof(*e));
		if (!e)
			return -PCR_ERR_NOMEM;
		ctx->history = e;
		ctx->cap_history = cap;
	}
	e = &ctx->history[ctx->nr_history++];
	e->ev = *ev;
	snprintf(e->comm, sizeof(e->comm), "%s", ev->comm ? ev->comm : "<...>");
	e->ev.comm = NULL;
	return pcr_engine_page_state(ctx->engine, ctx->explain_pfn, &e->primary, &e->secondary) < 0 ?
	       -PCR_ERR_INVAL : 0;
}

static int on_event(const struct pcr_event *ev, void *payload)
{
	struct replay_ctx *ctx = payload;
	int ret = pcr_engine_feed(ctx->engine, ev);

	if (!ret && ctx->explain && event_covers(ev, ctx->explain_pfn))
		ret = remember(ctx, ev);
	return ret;
}

static void print_history(struct replay_ctx *ctx)
{
	size_t i;

	settle_vmlinux(ctx);
	printf("history of pfn 0x%" PRIx64 ": %zu events\n", ctx->explain_pfn, ctx->nr_history);
	for (i = 0; i < ctx->nr_history; i++) {
		const struct explained_event *e = &ctx->history[i];
		char ts[32];

		pcr_format_ts(ts, sizeof(ts), e->ev.ts_ns);
		printf("  %s cpu %u task %s-%d: %s pfn=0x%" PRIx64 " order=%u -> PRIMARY=%d SECONDARY=%d\n",
		       ts, (unsigned int)e->ev.cpu, e->comm, (int)e->ev.pid,
		       pcr_event_name(e->ev.kind), e->ev.pfn, (unsigned int)e->ev.order, e->primary,
		       e->secondary);
		if (ctx->report.depot)
			pcr_report_stack(stdout, 4, e->ev.stack_id, &ctx->report);
	}
	printf("\n");
}

static void print_signatures(struct replay_ctx *ctx)
{
	const struct pcr_sigcount *rows;
	size_t nr, i;

	rows = pcr_sigtable_rows(ctx->signatures, &nr);
	for (i = 0; i < nr; i++)
		printf("signature: %s %" PRIu64 " %s\n", pcr_violation_name(rows[i].kind),
		       rows[i].count, rows[i].signature);
}

static int load_kallsyms(struct replay_ctx *ctx, char *errmsg)
{
	FILE *f = fopen(ctx->kallsyms_path, "r");
	size_t len = 0, cap = 1 << 20, n;
	char *text = NULL, *bigger;
	int ret;

	if (!f)
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot open: %s", ctx->kallsyms_path,
				  strerror(errno));
	/* /proc/kallsyms has no size: read until the end. */
	for (;;) {
		if (!text || len == cap) {
			cap *= 2;
			bigger = realloc(text, cap);
			if (!bigger) {
				free(text);
				fclose(f);
				return -PCR_ERR_NOMEM;
			}
			text = bigger;
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	ret = ferror(f) ? -PCR_ERR_IO : 0;
	fclose(f);
	if (!ret)
		ret = pcr_kallsyms_parse(&ctx->kallsyms, text, len);
	free(text);
	if (ret == -PCR_ERR_FORMAT)
		return pcr_errmsg(errmsg, ret,
				      "%s: no kernel text symbols with addresses (not a /proc/kallsyms copy, or read without root: kptr_restrict shows every address as 0)",
				      ctx->kallsyms_path);
	if (ret)
		return pcr_errmsg(errmsg, ret, "%s: %s", ctx->kallsyms_path, pcr_strerror(ret));
	ctx->kallsyms_sym.resolve = pcr_kallsyms_resolve;
	ctx->kallsyms_sym.ctx = ctx->kallsyms;
	return 0;
}

static void print_recording(const struct replay_ctx *ctx, const struct pcr_source_info *info)
{
	char ts[32];

	printf("recording: %s\n", ctx->path);
	printf("format: %s\n", info->format ? info->format : "unknown");
	printf("kernel: %s\n", info->kernel ? info->kernel : "unknown");
	printf("cpus: %d\n", info->cpus);
	printf("buffer: %s\n", info->buffer ? info->buffer : "none");
	printf("loss_check: %s\n", info->loss_checked ? "kernel counters compared" :
			      "unavailable (the recording has no per-CPU kernel counters)");
	printf("trailing_unrecorded_events: %" PRIu64 "\n", info->trailing_unrecorded);
	printf("kallsyms: %s\n", ctx->kallsyms_path ? ctx->kallsyms_path :
	       info->has_kallsyms ? "from the recording" : "none (frames print as addresses)");
	if (info->has_stacks) {
		uint64_t stacks, frames, bytes;

		pcr_depot_stats(ctx->depot, &stacks, &frames, &bytes);
		printf("stack_records: %" PRIu64 "\n", info->stacks.records);
		printf("stacks_distinct: %" PRIu64 "\n", stacks);
		printf("stack_depot_bytes: %" PRIu64 "\n", bytes);
		printf("events_with_stack: %" PRIu64 "\n", info->stacks.paired);
		printf("events_without_stack: %" PRIu64 "\n", info->stacks.stackless);
		printf("stacks_unpaired: %" PRIu64 "\n", info->stacks.unpaired);
	}
	printf("model: %s\n", ctx->engine_opts.model == PCR_MODEL_KERNEL ? "kernel" : "window");
	pcr_format_ts(ts, sizeof(ts), ctx->engine_opts.running_from_ns);
	printf("running_from: %s\n", ts);
}

static void replay_free(struct replay_ctx *ctx, struct pcr_source *src)
{
	pcr_source_close(src);
	pcr_engine_free(ctx->engine);
	pcr_depot_free(ctx->depot);
	pcr_sigtable_free(ctx->signatures);
	pcr_kallsyms_free(ctx->kallsyms);
	pcr_vmlinux_free(ctx->vmlinux);
	free(ctx->history);
}

int cmd_replay(int argc, char **argv)
{
	struct replay_ctx ctx = { .engine_opts = PCR_OPTIONS_INIT };
	const struct pcr_source_info *info = NULL;
	char errmsg[PCR_ERRMSG_LEN] = "";
	struct pcr_source *src = NULL;
	enum pcr_verdict verdict;
	struct pcr_stats stats;
	int ret;

	ret = parse_options(&ctx, argc, argv);
	if (ret >= 0)
		return ret;

	ret = pcr_engine_new(&ctx.engine, &ctx.engine_opts);
	if (!ret)
		ret = pcr_depot_new(&ctx.depot);
	if (!ret)
		ret = pcr_sigtable_new(&ctx.signatures);
	if (!ret && ctx.kallsyms_path)
		ret = load_kallsyms(&ctx, errmsg);
	if (!ret && ctx.vmlinux_path) {
		ret = pcr_vmlinux_open(&ctx.vmlinux, ctx.vmlinux_path);
		if (ret == -PCR_ERR_FORMAT)
			pcr_errmsg(errmsg, ret, "%s: elfutils cannot read it as an ELF file with debug info; pass the traced kernel's vmlinux (or its -dbg package's)",
				   ctx.vmlinux_path);
	}
	if (!ret) {
		pcr_engine_set_violation_fn(ctx.engine, on_violation, &ctx);
		ctx.source_opts.depot = ctx.depot;
		ret = pcr_tracedat_open(&src, ctx.path, &ctx.source_opts, errmsg);
	}
	if (!ret) {
		info = pcr_source_info(src);
		ctx.report.gfp_names = info->gfp_names;
		ctx.report.nr_gfp_names = info->nr_gfp_names;
		ctx.report.comm = info->comm;
		ctx.report.comm_ctx = info->comm_ctx;
		ctx.report.depot = info->has_stacks ? ctx.depot : NULL;
		ctx.report.sym = ctx.kallsyms ? &ctx.kallsyms_sym : &info->sym;
		ret = pcr_source_replay(src, on_event, &ctx, errmsg);
	}
	if (ret) {
		if (!errmsg[0])
			snprintf(errmsg, sizeof(errmsg), "%s: %s", ctx.path, pcr_strerror(ret));
		fprintf(stderr, "pagecheck-replay: error: %s\n", errmsg);
		replay_free(&ctx, src);
		return PCR_EXIT_ERROR;
	}

	if (ctx.explain)
		print_history(&ctx);
	if (ctx.validate)
		pcr_engine_validate(ctx.engine);
	pcr_engine_stats(ctx.engine, &stats);
	print_recording(&ctx, info);
	print_signatures(&ctx);
	pcr_report_summary(stdout, &stats, &ctx.report);
	verdict = pcr_verdict(&stats, ctx.report.allow_lost);
	if (stats.lost_events || stats.lost_unknown)
		fprintf(stderr,
			"pagecheck-replay: warning: %s lost %" PRIu64 " events%s; the state of the pages they touched is unknown, so the verdict is %s%s\n",
			ctx.path, stats.lost_events,
			stats.lost_unknown ? " (and more, uncounted)" : "",
			ctx.report.allow_lost ? "judged anyway (--allow-lost)" : "inconclusive",
			ctx.report.allow_lost ? "" :
			"; record again with a larger buffer (trace-cmd record -b) or pass --allow-lost");
	replay_free(&ctx, src);

	if (fflush(stdout) || ferror(stdout) || ctx.write_failed) {
		fprintf(stderr, "pagecheck-replay: error: cannot write the report\n");
		return PCR_EXIT_ERROR;
	}
	switch (verdict) {
	case PCR_VERDICT_VIOLATIONS:
		return PCR_EXIT_VIOLATIONS;
	case PCR_VERDICT_INCONCLUSIVE:
		return PCR_EXIT_INCONCLUSIVE;
	default:
		return PCR_EXIT_CLEAN;
	}
}
