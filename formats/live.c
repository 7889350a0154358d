// SPDX-License-Identifier: GPL-2.0
/*
 * The running kernel as a source: the kmem page events of a tracefs instance of our own, read
 * while they are written.
 *
 * libtracefs creates the instance (PCR_INSTANCE_PREFIX and the pid), enables the events in it
 * and opens each CPU's trace_pipe_raw (tracefs_cpu_open(), non-blocking); libtraceevent's kbuffer
 * walks the sub-buffers read from it, and the records go through the same field reading, stack
 * pairing and loss check as a trace.dat's (kmem.h, stackpair.h), so the engine gets the same
 * normalized events from a live kernel as from a file.
 *
 * Order across CPUs. A trace.dat reader merges complete per-CPU streams; here a CPU's buffer may
 * be empty now and receive an older event than one another CPU already gave. So records wait in
 * per-CPU queues and leave in timestamp order only below a watermark that no record still to come
 * can be under: for a CPU whose buffer was read to the end, the buffer clock's "now" (per_cpu/
 * cpuN/stats, read before the CPU was read) less PCR_LIVE_SLACK_NS for writes still in flight;
 * for a CPU that still had data when the round moved on, the start of the last sub-buffer read.
 * tracefs_iterate_raw_events() was not used: it merges only what one call finds in the buffers,
 * so across calls a CPU read empty could later deliver events older than those already given.
 *
 * Loss. At the end, after tracing is turned off and everything is read, the kernel's per-CPU
 * counters of the instance (overrun, commit overrun, dropped, entries + read events against the
 * records read) give one PCR_EV_LOST per CPU that lost events, as for a trace.dat; a sub-buffer
 * that follows overwritten events also says so (kbuffer_missed_events()).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>
#include <traceevent/kbuffer.h>

#include "kmem.h"
#include "pcr_live.h"
#include "reader.h"
#include "source.h"
#include "stackpair.h"

/* Time a reserved event may take to be committed (nested interrupts included). */
#define PCR_LIVE_SLACK_NS 20000000ull

/* Pause between two rounds when the buffers were found nearly empty. */
#define PCR_LIVE_POLL_NS 50000000ull

/* Sub-buffers read from one CPU in one round before the others get their turn. */
#define PCR_LIVE_ROUND_PAGES 256

/* Above this many sub-buffers read in a round, the next round starts without a pause. */
#define PCR_LIVE_BUSY_PAGES 16

struct live_cpu {
	struct tracefs_cpu *tcpu;
	struct kbuffer *kbuf;
	char **pages;		/* read sub-buffers, a ring; pages[head] is loaded in kbuf */
	struct tep_record rec;	/* the next record of this CPU when have_rec */
	struct pcr_cpu_account acc;
	uint64_t frontier;	/* no record still to come from this CPU is older */
	size_t head;
	size_t nr;
	size_t cap;
	int cpu;
	bool have_rec;
	bool loaded;		/* pages[head] is loaded in kbuf */
};

struct live_source {
	struct pcr_source base;
	struct pcr_live_options opts;
	struct pcr_kmem_layout layout[PCR_EV_NR];
	struct pcr_marker_layout markers[PCR_MAX_MARKERS];
	struct pcr_reader rd;	/* the receiver, sticky error, stack pairer */
	struct pcr_ftrace_buf ftrace;	/* the instance for the ftrace record path */
	struct tracefs_instance *inst;
	struct tep_handle *tep;
	struct pcr_kallsyms *kallsyms;
	struct pcr_flag_name *gfp_names;
	/*
	 * libtraceevent's task names: the reader adds the new ones (saved_cmdlines read again), which
	 * may move the array a report's lookup searches on the replaying thread (cmd/pipeline.c).
	 */
	pthread_mutex_t comm_lock;
	struct live_cpu *cpus;
	char **free_pages;	/* sub-buffers to reuse */
	size_t nr_free;
	size_t cap_free;
	uint64_t last_ts;	/* the last record delivered */
	uint64_t disorder;	/* records delivered older than the one before them */
	uint64_t disorder_ns;	/* by at most this much */
	char name[64];
	char kernel[4 * sizeof(((struct utsname *)0)->release) + 4];
	int nr_cpus;
	int nr_markers;
	int subbuf_size;
	bool created;
	bool cmdlines_fresh;	/* saved_cmdlines was read again in this round */
};

static int live_errno(char *errmsg, const char *what, const char *name)
{
	return pcr_errmsg(errmsg, -PCR_ERR_IO, "tracefs instance %s: %s: %s", name, what,
			  strerror(errno ? errno : EIO));
}

unsigned int pcr_live_default_buffer_kb(bool stacks)
{
	unsigned long long want = stacks ? 65536 : 16384;
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	long pages = sysconf(_SC_AVPHYS_PAGES);
	long page_size = sysconf(_SC_PAGESIZE);

	if (cpus > 0 && pages > 0 && page_size > 0) {
		unsigned long long cap = (unsigned long long)pages * (unsigned long long)page_size /
					 16 / 1024 / (unsigned long long)cpus;

		if (want > cap)
			want = cap;
	}
	return want < 1024 ? 1024 : (unsigned int)want;
}

static char *get_page(struct live_source *lv)
{
	if (lv->nr_free)
		return lv->free_pages[--lv->nr_free];
	return malloc((size_t)lv->subbuf_size);
}

static void put_page(struct live_source *lv, char *page)
{
	char **pages;

	if (lv->nr_free == lv->cap_free) {
		size_t cap = lv->cap_free ? lv->cap_free * 2 : 64;

		pages = realloc(lv->free_pages, cap * sizeof(*pages));
		if (!pages) {
			free(page);
			return;
		}
		lv->free_pages = pages;
		lv->cap_free = cap;
	}
	lv->free_pages[lv->nr_free++] = page;
}

static int push_page(struct live_cpu *c, char *page)
{
	if (c->nr == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64, i;
		char **pages = malloc(cap * sizeof(*pages));

		if (!pages)
			return -PCR_ERR_NOMEM;
		for (i = 0; i < c->nr; i++)
			pages[i] = c->pages[(c->head + i) % c->cap];
		free(c->pages);
		c->pages = pages;
		c->head = 0;
		c->cap = cap;
	}
	c->pages[(c->head + c->nr) % c->cap] = page;
	c->nr++;
	return 0;
}

/* Makes c->rec the CPU's next record, from the queued sub-buffers; false when there is none. */
static bool next_record(struct live_source *lv, struct live_cpu *c)
{
	unsigned long long ts;
	void *data;

	while (c->nr) {
		if (!c->loaded) {
			kbuffer_load_subbuffer(c->kbuf, c->pages[c->head]);
			c->loaded = true;
			data = kbuffer_read_event(c->kbuf, &ts);
			/* Like libtracecmd: the first record of a sub-buffer carries its gap. */
			c->rec.missed_events = kbuffer_missed_events(c->kbuf);
		} else {
			data = kbuffer_next_event(c->kbuf, &ts);
			c->rec.missed_events = 0;
		}
		if (data) {
			c->rec.ts = ts;
			c->rec.data = data;
			c->rec.size = kbuffer_event_size(c->kbuf);
			c->rec.cpu = c->cpu;
			c->have_rec = true;
			return true;
		}
		put_page(lv, c->pages[c->head]);
		c->head = (c->head + 1) % c->cap;
		c->nr--;
		c->loaded = false;
	}
	c->have_rec = false;
	return false;
}

/* The buffer clock's current time, from an instance CPU's stats ("now ts: 123.456789"). */
static bool clock_now(struct live_source *lv, uint64_t *now_ns)
{
	char *text = tracefs_instance_file_read(lv->inst, "per_cpu/cpu0/stats", NULL);
	unsigned long long secs;
	const char *line;
	char frac[8];
	bool found = false;

	if (text) {
		line = strstr(text, "now ts:");
		if (line && sscanf(line, "now ts: %llu.%6s", &secs, frac) == 2 &&
		    strlen(frac) == 6) {
			*now_ns = secs * 1000000000ull + strtoull(frac, NULL, 10) * 1000;
			found = true;
		}
		free(text);
	}
	return found;
}

/*
 * Reads what a CPU's buffer holds, at most @max sub-buffers (0: no limit). Returns the number
 * read, or a negative error code.
 */
static long read_cpu(struct live_source *lv, struct live_cpu *c, long max, uint64_t now)
{
	uint64_t last_start = 0;
	long n = 0;
	int ret;

	for (;;) {
		char *page;

		if (max && n == max) {
			c->frontier = last_start;
			return n;
		}
		page = get_page(lv);
		if (!page)
			return -PCR_ERR_NOMEM;
		errno = 0;
		ret = tracefs_cpu_read(c->tcpu, page, true);
		if (ret <= 0) {
			put_page(lv, page);
			if (ret < 0 && errno != EAGAIN && errno != EINTR)
				return pcr_errmsg(lv->rd.errmsg, -PCR_ERR_IO,
						  "tracefs instance %s: cannot read cpu %d: %s",
						  lv->name, c->cpu, strerror(errno));
			c->frontier = now > PCR_LIVE_SLACK_NS ? now - PCR_LIVE_SLACK_NS : 0;
			return n;
		}
		last_start = kbuffer_subbuf_timestamp(c->kbuf, page);
		ret = push_page(c, page);
		if (ret) {
			free(page);
			return ret;
		}
		n++;
	}
}

/*
 * The task name of a pid; saved_cmdlines is read again, once a round at most, for a new task.
 * The names stay where they are once added (libtraceevent frees them with the handle only).
 */
static const char *comm_of(void *ctx, struct tep_handle *tep, int pid)
{
	struct live_source *lv = ctx;
	const char *comm;

	pthread_mutex_lock(&lv->comm_lock);
	comm = tep_data_comm_from_pid(tep, pid);
	if (!strcmp(comm, "<...>") && !lv->cmdlines_fresh) {
		tracefs_load_cmdlines(NULL, tep);
		lv->cmdlines_fresh = true;
		comm = tep_data_comm_from_pid(tep, pid);
	}
	pthread_mutex_unlock(&lv->comm_lock);
	return comm;
}

/* A report's task name, on whichever thread replays (struct pcr_source_info's @comm). */
static const char *report_comm(void *ctx, int pid)
{
	struct live_source *lv = ctx;
	const char *comm;

	pthread_mutex_lock(&lv->comm_lock);
	comm = tep_data_comm_from_pid(lv->tep, pid);
	pthread_mutex_unlock(&lv->comm_lock);
	return comm;
}

static int bad_record(void *ctx, const struct tep_record *record, int kind, int cpu)
{
	struct live_source *lv = ctx;

	return pcr_errmsg(lv->rd.errmsg, -PCR_ERR_FORMAT,
			  "tracefs instance %s: cpu %d: %s with order %llu; the kernel's event format is not the one read",
			  lv->name, cpu, pcr_kmem_event_name(kind),
			  (unsigned long long)pcr_kmem_field(lv->tep, lv->layout[kind].order,
							     (struct tep_record *)record));
}

/* One record, through the ftrace record path that a trace.dat's records take too (reader.h). */
static int take_record(struct live_source *lv, struct live_cpu *c)
{
	struct tep_record *record = &c->rec;
	int type = tep_data_type(lv->tep, record);
	int kind = pcr_kmem_kind_of(lv->layout, type);

	c->acc.records++;
	c->acc.last_ts = record->ts;
	if (pcr_reader_take_ftrace(&lv->rd, &lv->ftrace, record, type, kind,
				   tep_data_pid(lv->tep, record), &c->acc, false))
		return lv->rd.err;
	return 0;
}

/* Delivers, in timestamp order, every queued record older than @watermark. */
static int deliver(struct live_source *lv, uint64_t watermark)
{
	int i, ret;

	for (i = 0; i < lv->nr_cpus; i++)
		if (!lv->cpus[i].have_rec)
			next_record(lv, &lv->cpus[i]);
	for (;;) {
		struct live_cpu *first = NULL;

		for (i = 0; i < lv->nr_cpus; i++)
			if (lv->cpus[i].have_rec && (!first || lv->cpus[i].rec.ts < first->rec.ts))
				first = &lv->cpus[i];
		if (!first || first->rec.ts >= watermark)
			return 0;
		if (first->rec.ts < lv->last_ts) {
			lv->disorder++;
			if (lv->last_ts - first->rec.ts > lv->disorder_ns)
				lv->disorder_ns = lv->last_ts - first->rec.ts;
		} else {
			lv->last_ts = first->rec.ts;
		}
		ret = take_record(lv, first);
		if (ret)
			return ret;
		next_record(lv, first);
	}
}

/* Reads every CPU once and delivers what can no longer be overtaken; sets *busy. */
static int round_trip(struct live_source *lv, bool *busy)
{
	uint64_t now = 0, watermark = UINT64_MAX;
	struct timespec ts;
	long n, total = 0;
	int i;

	if (!clock_now(lv, &now) && !clock_gettime(CLOCK_MONOTONIC, &ts))
		now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	for (i = 0; i < lv->nr_cpus; i++) {
		n = read_cpu(lv, &lv->cpus[i], PCR_LIVE_ROUND_PAGES, now);
		if (n < 0)
			return (int)n;
		total += n;
		if (lv->cpus[i].frontier < watermark)
			watermark = lv->cpus[i].frontier;
	}
	*busy = total > PCR_LIVE_BUSY_PAGES;
	lv->cmdlines_fresh = false;
	return deliver(lv, watermark);
}

static void read_stats(struct live_source *lv)
{
	int i;

	lv->base.info.loss_checked = true;
	for (i = 0; i < lv->nr_cpus; i++) {
		struct live_cpu *c = &lv->cpus[i];
		char file[64], *text, *line, *next;

		snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", c->cpu);
		text = tracefs_instance_file_read(lv->inst, file, NULL);
		if (!text) {
			lv->base.info.loss_checked = false;
			continue;
		}
		c->acc.have_stats = true;
		for (line = text; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			pcr_cpu_stats_line(&c->acc, line);
		}
		free(text);
	}
}

static const struct pcr_cpu_account *account_of(void *ctx, int i, int *cpu)
{
	const struct live_source *lv = ctx;

	*cpu = lv->cpus[i].cpu;
	return &lv->cpus[i].acc;
}

static int report_loss(struct live_source *lv)
{
	read_stats(lv);
	return pcr_reader_report_loss(&lv->rd, lv->nr_cpus, account_of, lv);
}

static uint64_t elapsed_ns(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - start->tv_sec) * 1000000000ull +
	       (uint64_t)now.tv_nsec - (uint64_t)start->tv_nsec;
}

static bool stopped(const struct live_source *lv, const struct timespec *start)
{
	return (lv->opts.stop && *lv->opts.stop) ||
	       (lv->opts.duration_ns && elapsed_ns(start) >= lv->opts.duration_ns);
}

/* Sleeps PCR_LIVE_POLL_NS, less when the duration ends sooner; a signal cuts it short. */
static void pause_round(const struct live_source *lv, const struct timespec *start)
{
	uint64_t wait = PCR_LIVE_POLL_NS, done;
	struct timespec ts;

	if (lv->opts.duration_ns) {
		done = elapsed_ns(start);
		if (done >= lv->opts.duration_ns)
			return;
		if (lv->opts.duration_ns - done < wait)
			wait = lv->opts.duration_ns - done;
	}
	ts.tv_sec = (time_t)(wait / 1000000000ull);
	ts.tv_nsec = (long)(wait % 1000000000ull);
	nanosleep(&ts, NULL);
}

/* After tracing is off: everything left, in order, then the pairer's last events. */
static int drain(struct live_source *lv)
{
	const struct timespec settle = { .tv_nsec = 10000000 };
	int i, ret;

	/* Writes that began before tracing went off finish within microseconds. */
	nanosleep(&settle, NULL);
	for (i = 0; i < lv->nr_cpus; i++) {
		long n = read_cpu(lv, &lv->cpus[i], 0, 0);

		if (n < 0)
			return (int)n;
	}
	lv->cmdlines_fresh = false;
	ret = deliver(lv, UINT64_MAX);
	if (!ret)
		ret = pcr_reader_finish(&lv->rd);
	return ret;
}

static int live_replay(struct pcr_source *src, pcr_event_fn fn, void *payload, char *errmsg)
{
	struct live_source *lv = (struct live_source *)src;
	struct timespec start;
	bool busy = false;
	int ret = 0, ret2;

	if (pcr_reader_start(&lv->rd, fn, payload, errmsg, lv->base.info.has_stacks, false))
		return -PCR_ERR_NOMEM;
	if (tracefs_trace_on(lv->inst))
		return live_errno(errmsg, "cannot turn tracing on", lv->name);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!stopped(lv, &start)) {
		ret = round_trip(lv, &busy);
		if (ret)
			break;
		if (!busy) {
			pcr_source_flushed(&lv->base);
			pause_round(lv, &start);
		}
	}
	tracefs_trace_off(lv->inst);
	if (ret)
		return lv->rd.err ? lv->rd.err : ret;
	ret = drain(lv);
	if (!ret)
		ret = report_loss(lv);
	/* The watermark should make this impossible; if not, say so rather than hide it. */
	if (lv->disorder)
		fprintf(stderr,
			"pagecheck-replay: warning: %" PRIu64 " records came after a later one of another CPU (by up to %" PRIu64 " us); a violation close to them in time may be an artifact of the order\n",
			lv->disorder, lv->disorder_ns / 1000);
	ret2 = lv->rd.err;
	return ret2 ? ret2 : ret;
}

static void live_close(struct pcr_source *src)
{
	struct live_source *lv = (struct live_source *)src;
	int i;

	for (i = 0; i < lv->nr_cpus; i++) {
		struct live_cpu *c = &lv->cpus[i];

		tracefs_cpu_close(c->tcpu);
		if (c->kbuf)
			kbuffer_free(c->kbuf);
		for (; c->nr; c->nr--, c->head = (c->head + 1) % c->cap)
			free(c->pages[c->head]);
		free(c->pages);
	}
	if (lv->inst && lv->created) {
		tracefs_trace_off(lv->inst);
		if (pcr_instance_remove(lv->name))
			fprintf(stderr,
				"pagecheck-replay: warning: cannot remove tracefs instance %s (%s); remove it with 'rmdir %s/instances/%s'\n",
				lv->name, strerror(errno), tracefs_tracing_dir(), lv->name);
	}
	tracefs_instance_free(lv->inst);
	pthread_mutex_destroy(&lv->comm_lock);
	while (lv->nr_free)
		free(lv->free_pages[--lv->nr_free]);
	free(lv->free_pages);
	free(lv->cpus);
	pcr_stackpair_free(lv->rd.pair);
	pcr_kallsyms_free(lv->kallsyms);
	free(lv->gfp_names);
	if (lv->tep)
		tep_free(lv->tep);
	free(lv);
}

static const struct pcr_source_ops live_ops = {
	.replay = live_replay,
	.close = live_close,
};

const char *pcr_live_instance(const struct pcr_source *src)
{
	return ((const struct live_source *)src)->name;
}

static int create_instance(struct live_source *lv, char *errmsg)
{
	snprintf(lv->name, sizeof(lv->name), PCR_INSTANCE_PREFIX "%d", (int)getpid());
	if (tracefs_instance_exists(lv->name))
		return pcr_errmsg(errmsg, -PCR_ERR_IO,
				  "tracefs instance %s already exists (left by a process with this pid?); remove it with 'rmdir %s/instances/%s' if no one uses it",
				  lv->name, tracefs_tracing_dir(), lv->name);
	errno = 0;
	lv->inst = tracefs_instance_create(lv->name);
	if (!lv->inst)
		return live_errno(errmsg, "cannot create it", lv->name);
	if (!tracefs_instance_is_new(lv->inst))
		return pcr_errmsg(errmsg, -PCR_ERR_IO,
				  "tracefs instance %s appeared while it was being created; not touching it",
				  lv->name);
	lv->created = true;
	/* A new instance traces at once: nothing is recorded until the replay starts. */
	if (tracefs_trace_off(lv->inst))
		return live_errno(errmsg, "cannot turn tracing off", lv->name);
	return 0;
}

static const char *const process_events[] = {
	"sched_process_fork", "sched_process_exec", "sched_process_exit",
};

static const char *const isolate_events[] = PCR_KMEM_ISOLATE_EVENTS;

static int set_up_instance(struct live_source *lv, char *errmsg)
{
	int kind;

	errno = 0;
	if (tracefs_instance_set_buffer_size(lv->inst, lv->opts.buffer_kb, -1) < 0)
		return pcr_errmsg(errmsg, -PCR_ERR_IO,
				  "tracefs instance %s: cannot allocate %u KiB of ring buffer per CPU (%s); pass a smaller --buffer-kb",
				  lv->name, lv->opts.buffer_kb, strerror(errno ? errno : ENOMEM));
	if (tracefs_instance_file_write(lv->inst, "trace_clock", "local") < 0)
		return live_errno(errmsg, "cannot set trace_clock to local", lv->name);
	for (kind = PCR_EV_ALLOC; kind <= PCR_EV_PCPU_DRAIN; kind++) {
		if (!(lv->opts.kinds & (1u << kind)))
			continue;
		errno = 0;
		if (tracefs_event_enable(lv->inst, "kmem", pcr_kmem_event_name(kind)))
			return pcr_errmsg(errmsg, -PCR_ERR_IO,
					  "tracefs instance %s: cannot enable kmem:%s: %s", lv->name,
					  pcr_kmem_event_name(kind), strerror(errno ? errno : EIO));
	}
	/*
	 * Forks, execs and exits decide double allocs of page directories (pcr_classify()); a
	 * kernel without them leaves those undecidable, nothing worse.
	 */
	for (kind = 0; kind < (int)(sizeof(process_events) / sizeof(process_events[0])); kind++)
		tracefs_event_enable(lv->inst, "sched", process_events[kind]);
	/* Compaction's isolations decide double frees of pages it took silently. */
	lv->base.info.has_isolation = true;
	for (kind = 0; kind < (int)(sizeof(isolate_events) / sizeof(isolate_events[0])); kind++)
		if (tracefs_event_enable(lv->inst, "compaction", isolate_events[kind]))
			lv->base.info.has_isolation = false;
	if (lv->opts.stacks && tracefs_option_enable(lv->inst, TRACEFS_OPTION_STACKTRACE))
		return live_errno(errmsg, "cannot enable options/stacktrace", lv->name);
	return 0;
}

static int load_formats(struct live_source *lv, char *errmsg)
{
	static const char *const systems[] = { "kmem", "ftrace", "sched", "compaction", NULL };
	int ret;

	lv->tep = pcr_tracefs_formats(NULL, systems);
	if (!lv->tep)
		return pcr_errmsg(errmsg, -PCR_ERR_LAYOUT,
				  "cannot read the event formats in %s/events", tracefs_tracing_dir());
	ret = pcr_kmem_find_layouts(lv->layout, lv->tep, "this kernel", errmsg);
	if (ret < 0)
		return ret;
	if (!ret)
		return pcr_errmsg(errmsg, -PCR_ERR_NO_EVENTS,
				  "this kernel has no kmem:mm_page_alloc or kmem:mm_page_free event");
	lv->nr_markers = pcr_kmem_find_markers(lv->markers, PCR_MAX_MARKERS, lv->tep);
	lv->base.info.has_hooks = pcr_kmem_markers_have(lv->markers, lv->nr_markers,
							PCR_EV_HOOK_ALLOC);
	tracefs_load_cmdlines(NULL, lv->tep);
	ret = pcr_kmem_gfp_names(lv->tep, &lv->gfp_names, &lv->base.info.nr_gfp_names);
	lv->base.info.gfp_names = lv->gfp_names;
	lv->base.info.comm = report_comm;
	lv->base.info.comm_ctx = lv;
	if (!ret && lv->opts.stacks && !pcr_kmem_stack_layout(lv->tep, &lv->rd.stack))
		return pcr_errmsg(errmsg, -PCR_ERR_LAYOUT,
				  "this kernel's ftrace:kernel_stack format is not one this tool reads; run without --stacks");
	if (!lv->opts.stacks)
		lv->rd.stack.id = -1;
	return ret;
}

/* Stack frames are named with this kernel's own symbols, when it shows their addresses. */
static void load_kallsyms(struct live_source *lv)
{
	size_t len = 0;
	char *text = NULL;

	if (!pcr_read_file("/proc/kallsyms", &text, &len, NULL) &&
	    !pcr_kallsyms_parse(&lv->kallsyms, text, len)) {
		lv->base.info.sym.resolve = pcr_kallsyms_resolve;
		lv->base.info.sym.ctx = lv->kallsyms;
		lv->base.info.has_kallsyms = true;
	}
	free(text);
}

static int open_cpus(struct live_source *lv, char *errmsg)
{
	long possible = sysconf(_SC_NPROCESSORS_CONF);
	int cpu;

	if (possible < 1)
		possible = 1;
	lv->cpus = calloc((size_t)possible, sizeof(*lv->cpus));
	if (!lv->cpus)
		return -PCR_ERR_NOMEM;
	for (cpu = 0; cpu < possible; cpu++) {
		struct live_cpu *c = &lv->cpus[lv->nr_cpus];
		char dir[64];

		snprintf(dir, sizeof(dir), "per_cpu/cpu%d", cpu);
		if (!tracefs_dir_exists(lv->inst, dir))
			continue;
		errno = 0;
		c->tcpu = tracefs_cpu_open(lv->inst, cpu, true);
		if (!c->tcpu)
			return pcr_errmsg(errmsg, -PCR_ERR_IO,
					  "tracefs instance %s: cannot open cpu %d's trace_pipe_raw: %s",
					  lv->name, cpu, strerror(errno ? errno : EIO));
		c->kbuf = tep_kbuffer(lv->tep);
		if (!c->kbuf)
			return -PCR_ERR_NOMEM;
		c->cpu = cpu;
		if (tracefs_cpu_read_size(c->tcpu) > lv->subbuf_size)
			lv->subbuf_size = tracefs_cpu_read_size(c->tcpu);
		lv->nr_cpus++;
	}
	if (!lv->nr_cpus)
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "tracefs instance %s has no per-CPU buffers",
				  lv->name);
	return 0;
}

static void describe(struct live_source *lv)
{
	struct utsname u;

	if (!uname(&u)) {
		snprintf(lv->kernel, sizeof(lv->kernel), "%s %s %s %s", u.sysname, u.nodename,
			 u.release, u.machine);
		lv->base.info.kernel = lv->kernel;
	}
	lv->base.info.format = "live tracefs instance";
	lv->base.info.buffer = lv->name;
	lv->base.info.cpus = lv->nr_cpus;
	lv->base.info.has_stacks = lv->opts.stacks;
}

int pcr_live_open(struct pcr_source **out, const struct pcr_live_options *opts, char *errmsg)
{
	struct live_source *lv;
	int ret;

	*out = NULL;
	lv = calloc(1, sizeof(*lv));
	if (!lv)
		return -PCR_ERR_NOMEM;
	lv->base.ops = &live_ops;
	/* Reports look up task names while the reader adds them: see comm_lock. */
	lv->base.info.parallel_safe = true;
	pthread_mutex_init(&lv->comm_lock, NULL);
	lv->opts = *opts;
	if (!lv->opts.kinds)
		lv->opts.kinds = PCR_LIVE_DEFAULT_KINDS;
	if (!lv->opts.buffer_kb)
		lv->opts.buffer_kb = pcr_live_default_buffer_kb(opts->stacks);
	if (!lv->opts.depot)
		lv->opts.stacks = false;
	tep_set_loglevel(TEP_LOG_NONE);
	tracefs_set_loglevel(TEP_LOG_NONE);
	ret = create_instance(lv, errmsg);
	if (!ret)
		ret = set_up_instance(lv, errmsg);
	if (!ret)
		ret = load_formats(lv, errmsg);
	if (!ret)
		ret = open_cpus(lv, errmsg);
	if (ret) {
		if (ret == -PCR_ERR_NOMEM)
			pcr_errmsg(errmsg, ret, "%s", pcr_strerror(ret));
		live_close(&lv->base);
		return ret;
	}
	if (lv->opts.stacks)
		load_kallsyms(lv);
	describe(lv);
	lv->rd.info = &lv->base.info;
	lv->rd.depot = lv->opts.depot;
	lv->ftrace = (struct pcr_ftrace_buf) {
		.tep = lv->tep, .layout = lv->layout, .markers = lv->markers,
		.nr_markers = lv->nr_markers, .sym = lv->base.info.sym, .comm = comm_of,
		.bad_record = bad_record, .ctx = lv,
	};
	*out = &lv->base;
	return 0;
}
