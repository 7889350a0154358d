// SPDX-License-Identifier: GPL-2.0
/*
 * pagecheck-replay [OPTIONS] FILE: replay one recording through the engine and report.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "pcr_formats.h"

struct replay_ctx {
	struct pcr_options engine_opts;
	struct pcr_source_options source_opts;
	struct pcr_report_info report;
	struct pcr_engine *engine;
	const char *path;
	uint64_t max_reports;
	uint64_t reported;
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
};

static const struct option long_options[] = {
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "running-from", required_argument, NULL, OPT_RUNNING_FROM },
	{ "pfn-range", required_argument, NULL, OPT_PFN_RANGE },
	{ "validate", no_argument, NULL, OPT_VALIDATE },
	{ "allow-lost", no_argument, NULL, OPT_ALLOW_LOST },
	{ "buffer", required_argument, NULL, OPT_BUFFER },
	{ "max-reports", required_argument, NULL, OPT_MAX_REPORTS },
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

static int on_violation(const struct pcr_violation *v, void *payload)
{
	struct replay_ctx *ctx = payload;

	if (ctx->quiet || ctx->write_failed)
		return 0;
	if (ctx->max_reports && ctx->reported >= ctx->max_reports)
		return 0;
	ctx->reported++;
	if (pcr_report_violation(stdout, v, &ctx->report) || fputc('\n', stdout) == EOF)
		ctx->write_failed = true;
	return 0;
}

static int on_event(const struct pcr_event *ev, void *payload)
{
	struct replay_ctx *ctx = payload;

	return pcr_engine_feed(ctx->engine, ev);
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
	printf("model: %s\n", ctx->engine_opts.model == PCR_MODEL_KERNEL ? "kernel" : "window");
	pcr_format_ts(ts, sizeof(ts), ctx->engine_opts.running_from_ns);
	printf("running_from: %s\n", ts);
}

int cmd_replay(int argc, char **argv)
{
	struct replay_ctx ctx = { .engine_opts = PCR_OPTIONS_INIT };
	const struct pcr_source_info *info;
	char errmsg[PCR_ERRMSG_LEN] = "";
	struct pcr_source *src = NULL;
	enum pcr_verdict verdict;
	struct pcr_stats stats;
	int ret;

	ret = parse_options(&ctx, argc, argv);
	if (ret >= 0)
		return ret;

	ret = pcr_engine_new(&ctx.engine, &ctx.engine_opts);
	if (ret) {
		fprintf(stderr, "pagecheck-replay: %s\n", pcr_strerror(ret));
		return PCR_EXIT_ERROR;
	}
	pcr_engine_set_violation_fn(ctx.engine, on_violation, &ctx);

	ret = pcr_tracedat_open(&src, ctx.path, &ctx.source_opts, errmsg);
	if (!ret) {
		info = pcr_source_info(src);
		ctx.report.gfp_names = info->gfp_names;
		ctx.report.nr_gfp_names = info->nr_gfp_names;
		ret = pcr_source_replay(src, on_event, &ctx, errmsg);
	}
	if (ret) {
		if (!errmsg[0])
			snprintf(errmsg, sizeof(errmsg), "%s: %s", ctx.path, pcr_strerror(ret));
		fprintf(stderr, "pagecheck-replay: error: %s\n", errmsg);
		pcr_source_close(src);
		pcr_engine_free(ctx.engine);
		return PCR_EXIT_ERROR;
	}

	if (ctx.validate)
		pcr_engine_validate(ctx.engine);
	pcr_engine_stats(ctx.engine, &stats);
	print_recording(&ctx, info);
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
	pcr_source_close(src);
	pcr_engine_free(ctx.engine);

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
