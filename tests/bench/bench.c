// SPDX-License-Identifier: GPL-2.0
/*
 * pcr-bench: speed and memory of pagecheck-replay, measured against what users have.
 *
 *   pcr-bench engine [EVENTS [SEED]]
 *	the engine alone, events already in memory: random pfns anywhere in the 52-bit physical
 *	space and orders up to 10 (MAX_PAGE_ORDER), then the same count of order-0 events over
 *	a dense 1 GiB range; events/s, ns/event and the engine's memory.
 *	Each pass also counts the malloc/calloc/realloc calls made while it runs: the first pass
 *	allocates the state of the pages it touches, a second pass over the same pages must
 *	allocate nothing (the hot path is allocation-free).
 *   pcr-bench file PAGECHECK_REPLAY FILE...
 *	for each recording, in the same run: pagecheck-replay --quiet FILE (our flyrecord
 *	reader, read on a thread beside the replay), the same with --threads=1 and with
 *	--reader=libtracecmd, trace-cmd report FILE > /dev/null, and a bare libtracecmd loop
 *	(tracecmd_iterate_events reading pfn and order of every kmem page event), each in its
 *	own process: wall and CPU time, events/s, peak RSS, the engine's state, and the ratios.
 *	Each row is the fastest of PCR_BENCH_REPEAT runs (default 3); trace-cmd report, and a
 *	command whose first run took 30 s or more, run once.
 *   pcr-bench all PAGECHECK_REPLAY FILE...
 *	both: the engine run (4 M events), then every file; the command of README "Speed"
 *	(tests/bench/record-bench.sh records the files).
 *
 * A benchmark, not a test: it asserts nothing and its numbers go in the README.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <trace-cmd/trace-cmd.h>

#include "pagecheck.h"

/*
 * Counting allocations: this program's malloc, calloc and realloc wrap glibc's, so the engine's
 * calls (it is linked in statically) pass through them. The count is the one file-scope
 * variable of the program: an allocator wrapper has no caller context to keep it in. Sanitizer
 * builds keep their own allocator, and there the count is not taken.
 */
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_UNDEFINED__)
#define BENCH_COUNT_ALLOCS 1
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *ptr, size_t size);

static unsigned long long alloc_calls;

void *malloc(size_t size)
{
	alloc_calls++;
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	alloc_calls++;
	return __libc_calloc(n, size);
}

void *realloc(void *ptr, size_t size)
{
	alloc_calls++;
	return __libc_realloc(ptr, size);
}

static unsigned long long allocs(void)
{
	return alloc_calls;
}
#else
static unsigned long long allocs(void)
{
	return 0;
}
#endif

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t next_random(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dull;
}

/*
 * Alloc, then free, of every generated block: no violation, every page's state touched. The
 * second pass replays the same events on the same engine: its pages all have their state
 * already, so nothing is left to allocate.
 */
static void run_engine(const char *what, struct pcr_event *ev, size_t n)
{
	unsigned long long a0, a1, a2;
	struct pcr_engine *engine;
	struct pcr_stats st;
	uint64_t pages = 0;
	double t0, t1, t2, t3;
	size_t i;

	for (i = 0; i < n; i++)
		pages += 1ull << ev[i].order;
	if (pcr_engine_new(&engine, NULL))
		exit(1);
	a0 = allocs();
	t0 = now();
	for (i = 0; i < n; i++)
		if (pcr_engine_feed(engine, &ev[i]))
			exit(1);
	t1 = now();
	a1 = allocs();
	for (i = 0; i < n; i++)
		if (pcr_engine_feed(engine, &ev[i]))
			exit(1);
	t2 = now();
	a2 = allocs();
	/* A third pass with the hints the replay gives (cmd/pipeline.c): 16 and 8 events ahead. */
	for (i = 0; i < n; i++) {
		if (i + 16 < n)
			pcr_engine_prefetch(engine, &ev[i + 16], false);
		if (i + 8 < n)
			pcr_engine_prefetch(engine, &ev[i + 8], true);
		if (pcr_engine_feed(engine, &ev[i]))
			exit(1);
	}
	t3 = now();
	pcr_engine_stats(engine, &st);
	printf("%s\n  %zu events, %" PRIu64 " page updates: %.3f s, %.0f events/s, %.1f ns/event, %.1f ns/page\n"
	       "  state %.1f MB for %" PRIu64 " pages (%.1f B/page), violations %" PRIu64 "\n",
	       what, n, pages, t1 - t0, (double)n / (t1 - t0), (t1 - t0) * 1e9 / (double)n,
	       (t1 - t0) * 1e9 / (double)pages, (double)st.state_bytes / 1e6, st.pages_known,
	       st.pages_known ? (double)st.state_bytes / (double)st.pages_known : 0.0,
	       st.violations_detected);
#ifdef BENCH_COUNT_ALLOCS
	printf("  allocations: %llu in the first pass (the touched pages' state), %llu in a second pass over the same pages (%.1f ns/event; %.1f ns/event with prefetch hints)\n",
	       a1 - a0, a2 - a1, (t2 - t1) * 1e9 / (double)n, (t3 - t2) * 1e9 / (double)n);
#else
	(void)a0;
	(void)a1;
	(void)a2;
	printf("  allocations: not counted in a sanitizer build; second pass %.1f ns/event, %.1f with prefetch hints\n",
	       (t2 - t1) * 1e9 / (double)n, (t3 - t2) * 1e9 / (double)n);
#endif
	pcr_engine_free(engine);
}

static int bench_engine(size_t n, uint64_t seed)
{
	struct pcr_event *ev = calloc(n, sizeof(*ev));
	uint64_t state = seed * 0x9e3779b97f4a7c15ull + 1;
	size_t i;

	if (!ev)
		return 1;
	/*
	 * Sparse: blocks at random aligned pfns below 2^52, each allocated then freed; the orders
	 * are 0 to 10 as a real mix has them, order 0 most often (half the events), each next
	 * order half as often.
	 */
	for (i = 0; i + 1 < n; i += 2) {
		unsigned int order = 0;

		while (order < 10 && (next_random(&state) & 1))
			order++;
		uint64_t pfn = (next_random(&state) & ((1ull << 52) - 1)) & ~((1ull << order) - 1);

		ev[i] = (struct pcr_event){ .ts_ns = i, .pfn = pfn, .order = (uint8_t)order,
					    .kind = PCR_EV_ALLOC, .migratetype = -1 };
		ev[i + 1] = ev[i];
		ev[i + 1].kind = PCR_EV_FREE;
		ev[i + 1].ts_ns = i + 1;
	}
	run_engine("sparse: random pfns below 2^52, orders 0-10 (geometric)", ev, n & ~(size_t)1);
	/* Dense: order-0 pages of 1 GiB, in random order, each allocated then freed. */
	for (i = 0; i + 1 < n; i += 2) {
		uint64_t pfn = 0x100000 + next_random(&state) % 262144;

		ev[i] = (struct pcr_event){ .ts_ns = i, .pfn = pfn, .kind = PCR_EV_ALLOC,
					    .migratetype = -1 };
		ev[i + 1] = ev[i];
		ev[i + 1].kind = PCR_EV_FREE;
		ev[i + 1].ts_ns = i + 1;
	}
	run_engine("dense: random order-0 pages of 1 GiB at pfn 0x100000", ev, n & ~(size_t)1);
	/* The same pages moved to the top of the 52-bit space: the cost must not change. */
	for (i = 0; i < n; i++)
		ev[i].pfn += (1ull << 51);
	run_engine("dense: the same 1 GiB at pfn 2^51 + 0x100000", ev, n & ~(size_t)1);
	free(ev);
	return 0;
}

struct bare {
	struct tep_format_field *pfn[3];
	struct tep_format_field *order[3];
	int id[3];
	uint64_t events;
	uint64_t sum;
};

static int bare_record(struct tracecmd_input *handle, struct tep_record *record, int cpu,
		       void *data)
{
	struct bare *b = data;
	struct tep_handle *tep = tracecmd_get_tep(handle);
	int type = tep_data_type(tep, record), i;
	unsigned long long v;

	b->events++;
	for (i = 0; i < 3; i++) {
		if (type != b->id[i])
			continue;
		if (!tep_read_number_field(b->pfn[i], record->data, &v))
			b->sum += v;
		if (b->order[i] && !tep_read_number_field(b->order[i], record->data, &v))
			b->sum += v;
	}
	return 0;
}

/* The bare loop: what libtracecmd itself costs to deliver the page events. */
static int bare_loop(const char *path)
{
	static const char *const names[3] = { "mm_page_alloc", "mm_page_free",
					       "mm_page_free_batched" };
	struct tracecmd_input *handle = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	struct bare b = { 0 };
	int i;

	if (!handle)
		return 1;
	for (i = 0; i < 3; i++) {
		struct tep_event *e = tep_find_event_by_name(tracecmd_get_tep(handle), "kmem",
							     names[i]);

		b.id[i] = e ? e->id : -1;
		b.pfn[i] = e ? tep_find_field(e, "pfn") : NULL;
		b.order[i] = e ? tep_find_field(e, "order") : NULL;
	}
	tracecmd_iterate_events(handle, NULL, 0, bare_record, &b);
	fprintf(stderr, "bare loop: %" PRIu64 " records (checksum %" PRIu64 ")\n", b.events, b.sum);
	tracecmd_close(handle);
	return 0;
}

struct measure {
	double seconds;
	double cpu;
	long rss_kb;
	int status;
};

/*
 * Runs argv (or, when argv is NULL, the bare loop over path) in a child; stdout to /dev/null,
 * and a command's stderr too (the replay's warnings would repeat every run's).
 */
static struct measure measure(char *const argv[], const char *path)
{
	struct measure m = { 0 };
	struct rusage ru;
	double t0 = now();
	pid_t pid = fork();
	int status = 0;

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDOUT_FILENO);
		if (!argv)
			_exit(bare_loop(path));
		dup2(null, STDERR_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	wait4(pid, &status, 0, &ru);
	m.seconds = now() - t0;
	m.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	m.rss_kb = ru.ru_maxrss;
	m.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return m;
}

/* The page events of a recording and the engine's state, from pagecheck-replay's summary. */
static uint64_t page_events(const char *tool, const char *path, uint64_t *state_bytes)
{
	char cmd[4096], line[256];
	uint64_t total = 0, n;
	FILE *p;

	*state_bytes = 0;

	snprintf(cmd, sizeof(cmd), "'%s' --quiet --stats --allow-lost '%s' 2>/dev/null", tool, path);
	p = popen(cmd, "r");
	if (!p)
		return 0;
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, "events_mm_page_alloc: %" SCNu64, &n) == 1 ||
		    sscanf(line, "events_mm_page_free: %" SCNu64, &n) == 1 ||
		    sscanf(line, "events_mm_page_free_batched: %" SCNu64, &n) == 1)
			total += n;
		else if (sscanf(line, "engine_state_bytes: %" SCNu64, &n) == 1)
			*state_bytes = n;
	pclose(p);
	return total;
}

static void print_row(const char *what, const struct measure *m, uint64_t events)
{
	printf("  %-36s %7.2f s wall %7.2f s CPU %11.0f events/s %7.1f MB peak RSS (exit %d)\n",
	       what, m->seconds, m->cpu, (double)events / m->seconds, (double)m->rss_kb / 1024,
	       m->status);
}

/*
 * The fastest of @repeat runs: a shared machine only ever adds time, so the minimum is the
 * closest to what the program costs. A run of half a minute or more is not repeated.
 */
static struct measure best_of(char *const argv[], const char *path, int repeat)
{
	struct measure best = measure(argv, path);
	int i;

	for (i = 1; i < repeat && best.seconds < 30; i++) {
		struct measure m = measure(argv, path);

		if (m.seconds < best.seconds)
			best = m;
	}
	return best;
}

static int bench_file(const char *tool, const char *path, int repeat)
{
	char *replay[] = { (char *)tool, "--quiet", "--allow-lost", (char *)path, NULL };
	char *single[] = { (char *)tool, "--quiet", "--allow-lost", "--threads=1", (char *)path,
			   NULL };
	char *lib[] = { (char *)tool, "--quiet", "--allow-lost", "--reader=libtracecmd",
			(char *)path, NULL };
	char *report[] = { "trace-cmd", "report", (char *)path, NULL };
	uint64_t state, events = page_events(tool, path, &state);
	struct measure r, s, l, t, b;

	r = best_of(replay, NULL, repeat);
	s = best_of(single, NULL, repeat);
	l = best_of(lib, NULL, repeat);
	/* A minute or more a run: once. */
	t = measure(report, NULL);
	b = best_of(NULL, path, repeat);
	printf("%s: %" PRIu64 " page events, engine state %.1f MB; best of %d runs (one of runs over 30 s, and of trace-cmd report)\n",
	       path, events, (double)state / (1024 * 1024), repeat);
	print_row("pagecheck-replay --quiet", &r, events);
	print_row("pagecheck-replay --threads=1", &s, events);
	print_row("pagecheck-replay --reader=libtracecmd", &l, events);
	print_row("trace-cmd report >/dev/null", &t, events);
	print_row("bare tracecmd_iterate_events loop", &b, events);
	printf("  ratios (wall; CPU): trace-cmd report / pagecheck-replay %.1fx; %.1fx, bare loop / pagecheck-replay %.2fx; %.2fx, --reader=libtracecmd / default %.2fx; %.2fx, --threads=1 / default %.2fx; %.2fx\n",
	       t.seconds / r.seconds, t.cpu / r.cpu, b.seconds / r.seconds, b.cpu / r.cpu,
	       l.seconds / r.seconds, l.cpu / r.cpu, s.seconds / r.seconds, s.cpu / r.cpu);
	printf("  pagecheck-replay peak RSS minus engine state: %.1f MB\n",
	       (double)r.rss_kb / 1024 - (double)state / (1024 * 1024));
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const char *env = getenv("PCR_BENCH_REPEAT");
	int repeat = env && atoi(env) > 0 ? atoi(env) : 3;
	int i;

	if (argc >= 2 && !strcmp(argv[1], "engine"))
		return bench_engine(argc > 2 ? strtoull(argv[2], NULL, 10) : 4000000,
				    argc > 3 ? strtoull(argv[3], NULL, 10) : 1);
	if (argc >= 4 && (!strcmp(argv[1], "file") || !strcmp(argv[1], "all"))) {
		tracecmd_set_loglevel(TEP_LOG_NONE);
		if (!strcmp(argv[1], "all")) {
			/*
			 * In a child of its own: a child's peak RSS starts from its parent's at
			 * fork, and the sparse run's state is gigabytes.
			 */
			pid_t pid = fork();
			int status = 1;

			fflush(stdout);
			if (pid == 0) {
				int ret = bench_engine(4000000, 1);

				/* _exit() does not flush: a redirected stdout would lose the rows. */
				fflush(stdout);
				_exit(ret);
			}
			if (pid < 0 || waitpid(pid, &status, 0) < 0 || status)
				return 1;
		}
		for (i = 3; i < argc; i++)
			bench_file(argv[2], argv[i], repeat);
		return 0;
	}
	fprintf(stderr, "usage: pcr-bench engine [EVENTS [SEED]]\n"
			"       pcr-bench file PAGECHECK_REPLAY FILE...\n"
			"       pcr-bench all PAGECHECK_REPLAY FILE...\n");
	return 2;
}
