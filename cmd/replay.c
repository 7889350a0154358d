// SPDX-License-Identifier: GPL-2.0
/*
 * pagecheck-replay [OPTIONS] FILE: replay one recording through the engine and report.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "pipeline.h"
#include "progress.h"
#include "session.h"

static const char usage_text[] =
	"Usage: pagecheck-replay [OPTIONS] [FILE]\n"
	"       pagecheck-replay diff [OPTIONS] OLD NEW\n"
	"       pagecheck-replay inject-campaign [OPTIONS] FILE\n"
	"       pagecheck-replay live [OPTIONS]\n"
	"       pagecheck-replay record [-o FILE] [OPTIONS] [-- COMMAND...]\n"
	"\n"
	"Replay the page allocator events of a recording (trace-cmd trace.dat) through the\n"
	"dual-bitmap consistency engine of the page_consistency RFC and report double\n"
	"allocations, double frees and bitmap invariant breaks. FILE (or -i FILE) is a\n"
	"trace.dat, perf.data or text, any of them compressed with zstd, or - for standard\n"
	"input; without one, trace.dat in the current directory.\n"
	"\n"
	"Options:\n"
	"  -i, --input=FILE        the recording to replay (as FILE)\n"
	PCR_SESSION_HELP
	"  --input-format=FORMAT   the recording's format: auto (default: found from the\n"
	"                          content, decompressed), trace.dat, perf.data or text\n"
	"  --reader=READER         who reads trace.dat ring-buffer data: auto (default: our\n"
	"                          own, fast, bounded memory; libtracecmd for the files it\n"
	"                          leaves), flyrecord (ours only) or libtracecmd (its\n"
	"                          iterator); all give the same events\n"
	"  --threads=N             auto (default: 2 where there are two CPUs or more and the\n"
	"                          trace.dat holds 2 MiB of data or more, else 1), or 1 to\n"
	"                          64: with 2 a trace.dat is read on a thread of its own\n"
	"                          beside the replay, with N > 2 also N - 2 threads read and\n"
	"                          decompress its CPUs' data ahead; the report is the same\n"
	"  -B, --buffer=NAME       replay this trace.dat buffer: 'top' or an instance name\n"
	"                          (trace-cmd record -B NAME); default: the buffer holding the\n"
	"                          page events\n"
	"  -h, --help              show this help\n"
	"  -V, --version           show the version\n"
	"\n"
	"Commands: live (check the running kernel), record (record what a replay needs),\n"
	"diff (compare two runs), inject-campaign (measure how many injected faults are\n"
	"caught); each has its own --help, and a man page: pagecheck-replay help COMMAND.\n"
	"\n"
	"Exit status: 0 no violations, 1 violations, 2 usage or input error,\n"
	"3 inconclusive (the recording lost events, or is damaged; see --allow-lost,\n"
	"--allow-damaged; or --pfn-range holds none of its page events).\n";

enum {
	OPT_BUFFER = 256,
	OPT_INPUT_FORMAT,
	OPT_READER,
	OPT_THREADS,
};

static const struct option long_options[] = {
	PCR_SESSION_LONG_OPTIONS,
	{ "buffer", required_argument, NULL, OPT_BUFFER },
	{ "input", required_argument, NULL, 'i' },
	{ "input-format", required_argument, NULL, OPT_INPUT_FORMAT },
	{ "reader", required_argument, NULL, OPT_READER },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

int pcr_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pagecheck-replay: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'pagecheck-replay %s--help'.\n", command);
	return PCR_EXIT_ERROR;
}

/* Returns -1 to go on, or the exit status. */
static int parse_options(struct pcr_session_opts *opts, struct pcr_source_options *source,
			 const char **path, int argc, char **argv)
{
	const char *input = NULL;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qhVi:B:", long_options, NULL)) != -1) {
		switch (pcr_session_option(opts, c, optarg)) {
		case 0:
			continue;
		case -1:
			return PCR_EXIT_ERROR;
		}
		switch (c) {
		case OPT_BUFFER:
		case 'B':	/* trace-cmd show -B, extract -B */
			source->buffer = optarg;
			break;
		case 'i':
			if (input)
				return pcr_usage_error("", "%s", "one recording at a time");
			input = optarg;
			break;
		case OPT_INPUT_FORMAT:
			if (pcr_input_format_parse(optarg, &source->format))
				return pcr_usage_error("", "--input-format takes auto, trace.dat, perf.data or text, not '%s'",
						       optarg);
			break;
		case OPT_READER:
			if (!strcmp(optarg, "auto"))
				source->reader = PCR_READER_AUTO;
			else if (!strcmp(optarg, "flyrecord"))
				source->reader = PCR_READER_FLYRECORD;
			else if (!strcmp(optarg, "libtracecmd"))
				source->reader = PCR_READER_LIBTRACECMD;
			else
				return pcr_usage_error("", "--reader takes auto, flyrecord or libtracecmd, not '%s'",
						       optarg);
			break;
		case OPT_THREADS:
			if (!strcmp(optarg, "auto"))
				source->threads = 0;
			else if (optarg[0] >= '1' && optarg[0] <= '9' && (!optarg[1] ||
				 (optarg[1] >= '0' && optarg[1] <= '9' && !optarg[2])) &&
				 atoi(optarg) <= PCR_MAX_THREADS)
				source->threads = atoi(optarg);
			else
				return pcr_usage_error("", "--threads takes auto or 1 to %d, not '%s'",
						       PCR_MAX_THREADS, optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return PCR_EXIT_CLEAN;
		case 'V':
			printf("pagecheck-replay %s\n", PCR_VERSION_STRING);
			return PCR_EXIT_CLEAN;
		default:
			return pcr_usage_error("", "%s", "unknown option or missing value");
		}
	}
	if (argc - optind + (input != NULL) > 1)
		return pcr_usage_error("", "%s", "one recording at a time");
	*path = input ? input : optind < argc ? argv[optind] : NULL;
	if (*path)
		return -1;
	/* As trace-cmd report and perf report: the recording their record wrote here. */
	*path = "trace.dat";
	if (access(*path, F_OK) && errno == ENOENT)
		return pcr_usage_error("", "%s", "no recording given and no trace.dat in the current directory: record one with 'pagecheck-replay record' (it writes trace.dat), or name the recording: pagecheck-replay FILE");
	return -1;
}

/*
 * Below this much ring-buffer data, --threads=auto replays on one thread: starting the reader's
 * thread and handing it the events cost as much as it saved up to 1.35 MB (testdata's t13, v7
 * zstd, 1.2 M records: 47.9 ms on two threads, 46.7 on one), and more with stacks (s07, 0.7 MB:
 * 41.0 against 35.6 ms); from 12 MB (medium v7) two threads won by 1.3x (README "Speed").
 */
#define PIPELINE_MIN_DATA (2u << 20)

/*
 * The reader and the engine each take about half the time of a replay (README "Speed"): on two
 * CPUs they run side by side.
 */
static bool want_pipeline(const struct pcr_source *src, const struct pcr_source_options *source)
{
	uint64_t data = pcr_source_info(src)->data_bytes;

	if (source->threads == 1 || !pcr_pipeline_usable(src))
		return false;
	if (source->threads >= 2)
		return true;
	return sysconf(_SC_NPROCESSORS_ONLN) > 1 && (!data || data >= PIPELINE_MIN_DATA);
}

/*
 * libtracecmd maps a trace.dat's pages when it reads the records (--reader=libtracecmd, and the
 * files our reader leaves to it); a file cut while the replay runs then faults with SIGBUS on
 * a page past its new end (issue 17). Our readers map nothing, so a SIGBUS means just that:
 * say so and exit 2 instead of dying. Only async-signal-safe calls.
 */
static void on_sigbus(int sig)
{
	static const char msg[] =
		"pagecheck-replay: error: the recording became shorter while it was read (SIGBUS on a mapped page of it); replay a copy that nothing writes to\n";
	ssize_t n = write(STDERR_FILENO, msg, sizeof(msg) - 1);

	(void)n;
	(void)sig;
	_exit(PCR_EXIT_ERROR);
}

/*
 * The kallsyms cache's directory (formats/kscache.c): PAGECHECK_REPLAY_CACHE, "off" (or empty)
 * for none; else pagecheck-replay/ in XDG_CACHE_HOME, or in ~/.cache as perf keeps ~/.debug.
 */
static const char *cache_dir(char *buf, size_t size)
{
	const char *env = getenv("PAGECHECK_REPLAY_CACHE");
	const char *home;
	int n;

	if (env)
		return !*env || !strcmp(env, "off") ? NULL : env;
	env = getenv("XDG_CACHE_HOME");
	home = getenv("HOME");
	if (env && env[0] == '/')
		n = snprintf(buf, size, "%s/pagecheck-replay", env);
	else if (home && home[0] == '/')
		n = snprintf(buf, size, "%s/.cache/pagecheck-replay", home);
	else
		return NULL;
	return n > 0 && (size_t)n < size ? buf : NULL;
}

int pcr_replay_file(const char *path, const struct pcr_session_opts *opts,
		    struct pcr_source_options *source, struct pcr_session **out)
{
	char errmsg[PCR_ERRMSG_LEN] = "", cache[4096];
	struct pcr_source *src = NULL;
	struct pcr_session *s = NULL;
	int ret, status;

	*out = NULL;
	signal(SIGBUS, on_sigbus);
	ret = pcr_session_new(&s, opts, errmsg);
	if (!ret) {
		source->depot = pcr_session_depot(s);
		source->cache_dir = cache_dir(cache, sizeof(cache));
		ret = pcr_source_open(&src, path, source, errmsg);
	}
	if (!ret) {
		struct pcr_progress progress;

		pcr_session_set_source(s, path, pcr_source_info(src));
		pcr_progress_init(&progress, src, pcr_session_feed, s);
		if (want_pipeline(src, source))
			ret = pcr_pipeline_replay(src, &progress, pcr_session_feed,
						  pcr_session_prefetch, s, errmsg);
		else
			ret = pcr_source_replay(src, pcr_progress_feed, &progress, errmsg);
		pcr_progress_end(&progress);
	}
	if (ret) {
		status = pcr_session_fail(s, ret, errmsg, path);
		pcr_source_close(src);
		pcr_session_free(s);
		source->cache_dir = NULL;
		return status;
	}
	/* The report reads task names and symbols from the source: finish before closing it. */
	status = pcr_session_finish(s);
	pcr_source_close(src);
	source->cache_dir = NULL;
	*out = s;
	return status;
}

int cmd_replay(int argc, char **argv)
{
	struct pcr_session_opts opts = PCR_SESSION_OPTS_INIT;
	struct pcr_source_options source = { 0 };
	struct pcr_session *s;
	const char *path = NULL;
	int status;

	status = parse_options(&opts, &source, &path, argc, argv);
	if (status >= 0) {
		pcr_session_opts_release(&opts);
		return status;
	}
	status = pcr_replay_file(path, &opts, &source, &s);
	pcr_session_free(s);
	pcr_session_opts_release(&opts);
	return status;
}
