// SPDX-License-Identifier: GPL-2.0
/*
 * pagecheck-replay live: replay the running kernel's page events as they happen, from a tracefs
 * instance of its own (formats/live.c), through the same session as a file replay; each
 * violation is printed when found, the summary at the end (--duration, or SIGINT/SIGTERM).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "pipeline.h"
#include "progress.h"
#include "session.h"
#include "tracing.h"

static const char usage_text[] =
	"Usage: pagecheck-replay live [OPTIONS]\n"
	"\n"
	"Replay the running kernel's page allocator events as they happen, from a tracefs\n"
	"instance of its own (pagecheck-replay-PID, removed at the end), and print each\n"
	"violation when it is found and the summary at the end: after --duration, or on\n"
	"Ctrl-C (SIGINT) or SIGTERM. Needs root.\n"
	"\n"
	"Options:\n"
	"  --duration=SECONDS      stop after this long (default: on SIGINT or SIGTERM)\n"
	"  -T, --stacks            record the kernel stack of every event (options/stacktrace)\n"
	"  --events=LIST           the kmem page events to trace, a comma list (default:\n"
	"                          mm_page_alloc,mm_page_free,mm_page_free_batched; 'all' adds\n"
	"                          mm_page_alloc_zone_locked,mm_page_pcpu_drain)\n"
	"  -b, --buffer-kb=N       ring buffer per CPU in KiB (default: 16384, 65536 with\n"
	"                          --stacks, at most 1/16 of the available memory)\n"
	"  --tracefs=DIR           the tracefs mount to use (default: the mounted one)\n"
	"  --threads=N             auto (the default): 2 on more than one CPU; 2 or more:\n"
	"                          read the kernel's buffers on a thread of their own,\n"
	"                          beside the replay; 1: read and replay on one\n"
	PCR_SESSION_HELP
	"  -h, --help              show this help\n"
	"\n"
	"Exit status: 0 no violations, 1 violations, 2 usage error or the kernel cannot be\n"
	"traced, 3 inconclusive (the kernel lost events; see --buffer-kb, --allow-lost).\n";

enum {
	OPT_THREADS = 0x100,
};

static const struct option long_options[] = {
	PCR_SESSION_LONG_OPTIONS,
	PCR_TRACING_LONG_OPTIONS,
	{ "events", required_argument, NULL, PCR_OPT_EVENTS },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The session, and the window of trace time the run saw. */
struct live_feed {
	struct pcr_session *session;
	uint64_t first_ts;
	uint64_t last_ts;
	uint64_t records;
};

static int feed(const struct pcr_event *ev, void *payload)
{
	struct live_feed *f = payload;

	if (ev->kind != PCR_EV_LOST) {
		if (!f->records++)
			f->first_ts = ev->ts_ns;
		if (ev->ts_ns > f->last_ts)
			f->last_ts = ev->ts_ns;
	}
	return pcr_session_feed(ev, f->session);
}

static void prefetch(const struct pcr_event *ev, bool near, void *payload)
{
	pcr_session_prefetch(ev, near, ((struct live_feed *)payload)->session);
}

/* Returns -1 to go on, or the exit status. */
static int parse_options(struct pcr_session_opts *opts, struct pcr_tracing_opts *tracing,
			 int *threads, int argc, char **argv)
{
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qhb:T", long_options, NULL)) != -1) {
		switch (pcr_session_option(opts, c, optarg)) {
		case 0:
			continue;
		case -1:
			return PCR_EXIT_ERROR;
		}
		switch (pcr_tracing_option(tracing, c, optarg, "live")) {
		case 0:
			continue;
		case -1:
			return PCR_EXIT_ERROR;
		}
		if (c == 'h') {
			fputs(usage_text, stdout);
			return PCR_EXIT_CLEAN;
		}
		if (c == OPT_THREADS) {
			char *end = NULL;
			long n = strtol(optarg, &end, 10);

			if (!strcmp(optarg, "auto"))
				continue;
			if (end == optarg || *end || n < 1 || n > PCR_MAX_THREADS)
				return pcr_usage_error("live ", "--threads takes auto or 1 to %d, not '%s'",
						       PCR_MAX_THREADS, optarg);
			/* A live kernel has no file to read ahead: more than two is two. */
			*threads = n > 1 ? 2 : 1;
			continue;
		}
		return pcr_usage_error("live ", "%s", "unknown option or missing value");
	}
	if (optind != argc)
		return pcr_usage_error("live ", "unexpected argument '%s'", argv[optind]);
	return -1;
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

int cmd_live(int argc, char **argv)
{
	struct pcr_session_opts opts = PCR_SESSION_OPTS_INIT;
	struct pcr_tracing_opts tracing = PCR_TRACING_OPTS_INIT;
	struct pcr_live_options live = { 0 };
	struct live_feed fed = { 0 };
	char errmsg[PCR_ERRMSG_LEN] = "";
	struct pcr_source *src = NULL;
	struct pcr_session *s = NULL;
	const struct pcr_source_info *info;
	struct pcr_kernel_check kc;
	struct timespec start;
	char name[128];
	int ret, status, threads;

	threads = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;
	status = parse_options(&opts, &tracing, &threads, argc, argv);
	if (status >= 0)
		return status;
	/* A live run ends when the user stops it: its blocks are printed as they are found. */
	opts.stream_blocks = true;
	/* Before the instance exists: from here on a signal ends the run, not the process. */
	if (pcr_tracing_catch_signals()) {
		fprintf(stderr, "pagecheck-replay live: error: cannot install signal handlers\n");
		return PCR_EXIT_ERROR;
	}
	status = pcr_tracing_check(&kc, &tracing, "live");
	if (status)
		return status;

	ret = pcr_session_new(&s, &opts, errmsg);
	if (!ret) {
		live.depot = pcr_session_depot(s);
		live.stop = pcr_tracing_stop();
		live.duration_ns = tracing.duration_ns;
		live.buffer_kb = tracing.buffer_kb ? tracing.buffer_kb :
				 pcr_live_default_buffer_kb(tracing.stacks);
		live.kinds = tracing.kinds;
		live.stacks = tracing.stacks;
		ret = pcr_live_open(&src, &live, errmsg);
	}
	if (ret) {
		status = pcr_session_fail(s, ret, errmsg, "live");
		pcr_session_free(s);
		return status;
	}
	info = pcr_source_info(src);
	snprintf(name, sizeof(name), "live (tracefs instance %s)", pcr_live_instance(src));
	pcr_session_set_source(s, name, info);
	/* Each violation block reaches a pipe or a file when it is found, not at exit. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (tracing.duration_ns)
		fprintf(stderr,
			"pagecheck-replay live: tracing in instance %s (%u KiB per CPU, %d CPUs) for %.9g s; Ctrl-C stops earlier\n",
			pcr_live_instance(src), live.buffer_kb, info->cpus,
			tracing.duration_ns / 1e9);
	else
		fprintf(stderr,
			"pagecheck-replay live: tracing in instance %s (%u KiB per CPU, %d CPUs); Ctrl-C stops\n",
			pcr_live_instance(src), live.buffer_kb, info->cpus);

	clock_gettime(CLOCK_MONOTONIC, &start);
	fed.session = s;
	/*
	 * Reading and pairing the records, and the engine, each take about half of a replay: on two
	 * threads the kernel's buffers are read twice as fast, and lose nothing at a rate that
	 * overflowed them on one (README "live").
	 */
	if (threads > 1 && pcr_pipeline_usable(src)) {
		struct pcr_progress progress;

		pcr_progress_init(&progress, src, feed, &fed);
		progress.enabled = false;
		ret = pcr_pipeline_replay(src, &progress, feed, prefetch, &fed, errmsg);
	} else {
		ret = pcr_source_replay(src, feed, &fed, errmsg);
	}
	if (ret) {
		status = pcr_session_fail(s, ret, errmsg, name);
		pcr_source_close(src);
		pcr_session_free(s);
		return status;
	}
	if (*pcr_tracing_stop())
		fprintf(stderr, "pagecheck-replay live: stopped by %s after %.1f s\n",
			strsignal(*pcr_tracing_stop()), seconds_since(&start));
	if (fed.records) {
		char first[32], last[32];

		pcr_format_ts(first, sizeof(first), fed.first_ts);
		pcr_format_ts(last, sizeof(last), fed.last_ts);
		fprintf(stderr, "pagecheck-replay live: %" PRIu64 " records from %s to %s\n",
			fed.records, first, last);
	}
	/* The report reads task names and symbols from the source: finish before closing it. */
	status = pcr_session_finish(s);
	if (status == PCR_EXIT_INCONCLUSIVE)
		fprintf(stderr,
			"pagecheck-replay live: the kernel overwrote or dropped events before they were read; run again with a larger --buffer-kb (this run: %u KiB per CPU)\n",
			live.buffer_kb);
	pcr_source_close(src);
	pcr_session_free(s);
	return status;
}
