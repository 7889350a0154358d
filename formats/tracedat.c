// SPDX-License-Identifier: GPL-2.0
/*
 * trace-cmd trace.dat reader.
 *
 * Our own check (tdcheck.c) reads the file's metadata once and loads the event formats, cmdlines
 * and options (v6 or v7, zstd or zlib); the kallsyms are parsed when a frame is first named
 * (tepsyms.c). The records come from our own flyrecord reader (flyrecord.c: per-CPU pages,
 * merged in timestamp order, one compressed chunk per CPU in memory) or, with
 * --reader=libtracecmd and for the files ours leaves to it, from tracecmd_iterate_events();
 * both give the same records in the same order. This reader finds the kmem page events and
 * their field offsets once, turns each record into a struct pcr_event, and compares the
 * kernel's per-CPU counters saved in the file with the records it read, because trace-cmd 3.1
 * stores no marker when the kernel drops events.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <trace-cmd/trace-cmd.h>

#include "flyrecord.h"
#include "kmem.h"
#include "reader.h"
#include "source.h"
#include "stackpair.h"
#include "tdcheck.h"
#include "tdlib.h"
#include "tepsyms.h"

/*
 * libtracecmd 3.1 exports these but declares them only in its private headers; CMake pins the
 * library to the 3.1 series whose ABI they have (see cmake/PcrDependencies.cmake).
 */
const char *tracecmd_get_cpustats(struct tracecmd_input *handle);
const char *tracecmd_get_uname(struct tracecmd_input *handle);
unsigned long tracecmd_get_in_file_version(struct tracecmd_input *handle);
int tracecmd_get_file_compress_proto(struct tracecmd_input *handle, const char **name,
				     const char **version);


struct tracedat_buffer {
	struct tracecmd_input *handle;
	struct tep_handle *tep;
	char *name;
	struct pcr_cpu_account *cpus;
	struct pcr_kmem_layout layout[PCR_EV_NR];
	struct tep_format_field *common_type;	/* NULL: ask libtraceevent */
	struct tep_format_field *common_pid;
	unsigned int common_need;	/* records this long hold both: read them unchecked */
	uint8_t *kinds;			/* the kind of each event id below nr_kinds */
	int nr_kinds;
	struct pcr_marker_layout markers[PCR_MAX_MARKERS];
	struct pcr_ftrace_buf ftrace;	/* this buffer for the ftrace record path (reader.h) */
	struct pcr_held held;	/* records before the buffer's first page event */
	int index;	/* the buffer's index in td->bufs */
	int fly_buf;	/* the buffer's index in the flyrecord reader */
	int nr_markers;
	int nr_cpus;
	bool have_stats;
	bool own_handle;
};

/*
 * The last task name found for a pid: libtraceevent's tep_data_comm_from_pid() searches its
 * cmdlines table on every call, 13% of a replay; the names it returns live as long as the tep.
 */
#define COMM_CACHE 256

struct comm_slot {
	const struct tep_handle *tep;
	const char *comm;
	int pid;
};

/*
 * The recording's kallsyms, read the first time a frame is named (tdcheck.h): a replay with no
 * candidate never reads them. The reader thread (kprobe markers) and the replaying thread may
 * both ask; the first one reads them under @lock.
 */
struct lazy_syms {
	pthread_mutex_t lock;
	atomic_int state;	/* 0 not read, 1 read, -1 damaged */
	int err;		/* with state -1 */
	char errmsg[PCR_ERRMSG_LEN];
};

struct tracedat_source {
	struct pcr_source base;
	struct comm_slot comms[COMM_CACHE];
	struct pcr_reader rd;	/* the receiver, sticky error, stack pairer */
	struct pcr_tdmeta meta;	/* our reader's metadata, when libtracecmd did not open the file */
	struct lazy_syms syms;
	struct tracecmd_input *top;
	struct pcr_fly *fly;	/* our reader of the ring-buffer data, NULL for libtracecmd's */
	struct tracedat_buffer *bufs;
	struct pcr_flag_name *gfp_names;
	char *path;
	char format[80];
	int nr_bufs;
	int page_buf;	/* the buffer whose page events are replayed, -1 until one shows */
	int inflaters;	/* threads that read the data ahead (pcr_fly_ahead()), -1: no read-ahead */
	const char *cache_dir;	/* the kallsyms cache, or NULL (pcr_source_options) */
};

/* An event id's kind by one load instead of a search of the layouts a record. */
static int kind_table(struct tracedat_buffer *buf)
{
	int kind, id;

	buf->nr_kinds = 0;
	for (kind = PCR_EV_ALLOC; kind <= PCR_EV_PCPU_DRAIN; kind++)
		if (buf->layout[kind].id >= buf->nr_kinds)
			buf->nr_kinds = buf->layout[kind].id + 1;
	buf->kinds = calloc(buf->nr_kinds ? (size_t)buf->nr_kinds : 1, sizeof(*buf->kinds));
	if (!buf->kinds)
		return -PCR_ERR_NOMEM;
	for (id = 0; id < buf->nr_kinds; id++)
		buf->kinds[id] = (uint8_t)pcr_kmem_kind_of(buf->layout, id);
	return 0;
}

static inline int kind_of(const struct tracedat_buffer *buf, int type)
{
	return type >= 0 && type < buf->nr_kinds ? buf->kinds[type] : PCR_EV_NONE;
}

static int find_layouts(struct tracedat_source *td, struct tracedat_buffer *buf, char *errmsg)
{
	int found = pcr_kmem_find_layouts(buf->layout, buf->tep, td->path, errmsg);
	struct tep_event *event;
	int ret;

	if (found < 0)
		return found;
	/*
	 * Every event starts with the same common fields: read the type and pid with plain loads
	 * (tep_data_type() and tep_data_pid() were 10% of a replay, README "Speed").
	 */
	event = tep_find_event(buf->tep, buf->layout[PCR_EV_ALLOC].id >= 0 ?
				buf->layout[PCR_EV_ALLOC].id : buf->layout[PCR_EV_FREE].id);
	if (event && buf->layout[PCR_EV_ALLOC].native) {
		buf->common_type = tep_find_common_field(event, "common_type");
		buf->common_pid = tep_find_common_field(event, "common_pid");
		if (!buf->common_type || !buf->common_pid || buf->common_pid->size != 4) {
			buf->common_type = NULL;
			buf->common_pid = NULL;
		} else {
			buf->common_need = (unsigned int)(buf->common_type->offset +
							  buf->common_type->size);
			if ((unsigned int)(buf->common_pid->offset + 4) > buf->common_need)
				buf->common_need = (unsigned int)(buf->common_pid->offset + 4);
		}
	}
	ret = kind_table(buf);
	if (ret)
		return ret;
	if (!found)
		return pcr_errmsg(errmsg, -PCR_ERR_NO_EVENTS,
				  "%s: the recording has no kmem:mm_page_alloc or kmem:mm_page_free events; record them with 'trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched'",
				  td->path);
	return 0;
}

static int load_gfp_names(struct tracedat_source *td)
{
	int ret = pcr_kmem_gfp_names(td->bufs[0].tep, &td->gfp_names,
				     &td->base.info.nr_gfp_names);

	td->base.info.gfp_names = td->gfp_names;
	return ret;
}

static struct pcr_cpu_account *cpu_account_grow(struct tracedat_buffer *buf, int cpu)
{
	int nr = cpu + 1;
	struct pcr_cpu_account *cpus;

	if (cpu < 0)
		return NULL;
	cpus = realloc(buf->cpus, nr * sizeof(*cpus));
	if (!cpus)
		return NULL;
	memset(cpus + buf->nr_cpus, 0, (nr - buf->nr_cpus) * sizeof(*cpus));
	buf->cpus = cpus;
	buf->nr_cpus = nr;
	return &buf->cpus[cpu];
}

static inline struct pcr_cpu_account *cpu_account(struct tracedat_buffer *buf, int cpu)
{
	if (cpu >= 0 && cpu < buf->nr_cpus)
		return &buf->cpus[cpu];
	return cpu_account_grow(buf, cpu);
}

static struct tracedat_buffer *buffer_by_name(struct tracedat_source *td, const char *name)
{
	int i;

	for (i = 0; i < td->nr_bufs; i++)
		if (!strcmp(td->bufs[i].name, name))
			return &td->bufs[i];
	return NULL;
}

/*
 * Reads the text trace-cmd saves from per_cpu/cpuN/stats: the top buffer's "CPU: 0\nentries:
 * 68\n..." sections first, then a "Buffer: NAME" header before each instance's sections.
 */
static int parse_cpustats(struct tracedat_source *td, const char *text)
{
	struct tracedat_buffer *buf = buffer_by_name(td, "top");
	struct pcr_cpu_account *acc = NULL;
	const char *line = text;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		char name[256];
		int cpu;

		if (sscanf(line, "Buffer: %255s", name) == 1) {
			buf = buffer_by_name(td, name);
			acc = NULL;
		} else if (!buf) {
			/* a buffer this replay does not read */
		} else if (sscanf(line, "CPU: %d", &cpu) == 1) {
			acc = cpu_account(buf, cpu);
			if (!acc)
				return -PCR_ERR_NOMEM;
			acc->have_stats = true;
			buf->have_stats = true;
		} else if (acc) {
			pcr_cpu_stats_line(acc, line);
		}
		line = end ? end + 1 : NULL;
	}
	return 0;
}

static int add_buffer(struct tracedat_source *td, struct tracecmd_input *handle,
		      const char *name, bool own_handle)
{
	struct tracedat_buffer *bufs, *buf;

	bufs = realloc(td->bufs, (td->nr_bufs + 1) * sizeof(*bufs));
	if (!bufs) {
		if (own_handle)
			tracecmd_close(handle);
		return -PCR_ERR_NOMEM;
	}
	td->bufs = bufs;
	buf = &bufs[td->nr_bufs];
	memset(buf, 0, sizeof(*buf));
	buf->index = td->nr_bufs++;
	buf->handle = handle;
	buf->own_handle = own_handle;
	/* Our flyrecord reader opens no instance handle: instances share the top's formats. */
	buf->tep = handle ? tracecmd_get_tep(handle) : td->top ? tracecmd_get_tep(td->top) :
		   td->meta.tep;
	buf->fly_buf = td->fly ? pcr_fly_buffer(td->fly, name) : -1;
	buf->name = strdup(name);
	if (!buf->name || !buf->tep)
		return -PCR_ERR_NOMEM;
	return 0;
}

static void describe_format(struct tracedat_source *td, struct tracecmd_input *handle)
{
	const char *name = NULL, *version = NULL;
	unsigned long file_version = handle ? tracecmd_get_in_file_version(handle) :
				     (unsigned long)td->meta.version;

	if (!handle) {
		if (strcmp(td->meta.compression, "none"))
			name = td->meta.compression;
	} else if (file_version >= 7 &&
		   tracecmd_get_file_compress_proto(handle, &name, &version)) {
		name = NULL;
	}
	if (file_version >= 7 && name)
		snprintf(td->format, sizeof(td->format), "trace.dat v%lu %.32s", file_version, name);
	else if (file_version >= 7)
		snprintf(td->format, sizeof(td->format), "trace.dat v%lu uncompressed",
			 file_version);
	else
		snprintf(td->format, sizeof(td->format), "trace.dat v%lu", file_version);
	td->base.info.format = td->format;
}

static void tracedat_close(struct pcr_source *src)
{
	struct tracedat_source *td = (struct tracedat_source *)src;
	int i;

	/* Instance handles first: they share the top handle's event parser. */
	for (i = td->nr_bufs - 1; i >= 0; i--) {
		if (td->bufs[i].own_handle)
			tracecmd_close(td->bufs[i].handle);
		free(td->bufs[i].name);
		free(td->bufs[i].cpus);
		free(td->bufs[i].kinds);
		pcr_pending_free(&td->bufs[i].held.pending);
	}
	if (td->top)
		tracecmd_close(td->top);
	pcr_fly_close(td->fly);
	pcr_tdmeta_release(&td->meta);
	pthread_mutex_destroy(&td->syms.lock);
	pcr_stackpair_free(td->rd.pair);
	free(td->bufs);
	free(td->gfp_names);
	free(td->path);
	free(td);
}

/*
 * The kallsyms' state (0 not parsed, 1 parsed, -1 failed), parsed first when @parse asks: the
 * one load of the state a lookup pays once they are parsed.
 */
static int kallsyms_state(struct tracedat_source *td, bool parse)
{
	int state = atomic_load_explicit(&td->syms.state, memory_order_acquire);
	int ret;

	if (state || !parse)
		return state;
	pthread_mutex_lock(&td->syms.lock);
	state = atomic_load_explicit(&td->syms.state, memory_order_relaxed);
	if (!state) {
		ret = pcr_tdmeta_kallsyms(&td->meta);
		td->syms.err = ret;
		if (ret && td->meta.kallsyms_error)
			snprintf(td->syms.errmsg, sizeof(td->syms.errmsg), "%s",
				 td->meta.kallsyms_error);
		else if (ret)
			snprintf(td->syms.errmsg, sizeof(td->syms.errmsg),
				 "%s: out of memory while reading its kallsyms", td->path);
		/* libtraceevent sorts them at the first lookup: before another thread looks. */
		if (!ret && !td->meta.syms)
			tep_find_function(td->meta.tep, 0);
		state = ret ? -1 : 1;
		atomic_store_explicit(&td->syms.state, state, memory_order_release);
	}
	pthread_mutex_unlock(&td->syms.lock);
	return state;
}

static int lazy_resolve(void *ctx, uint64_t addr, struct pcr_symbol *sym)
{
	struct tracedat_source *td = ctx;

	if (kallsyms_state(td, true) < 0)
		return -PCR_ERR_INVAL;
	if (td->meta.syms)
		return pcr_tepsyms_resolve(td->meta.syms, addr, sym);
	return pcr_tep_resolve(td->meta.tep, addr, sym);
}

static int lazy_settle(void *ctx, bool need, char *errmsg)
{
	struct tracedat_source *td = ctx;

	if (kallsyms_state(td, need) >= 0)
		return 0;
	snprintf(errmsg, PCR_ERRMSG_LEN, "%s", td->syms.errmsg);
	return td->syms.err;
}

/* kprobe markers name their function from kallsyms (kmem.c) on the reader's thread: read now. */
static int probes_need_kallsyms(struct tracedat_source *td, const struct tracedat_buffer *buf,
				char *errmsg)
{
	int i;

	if (td->top)
		return 0;
	for (i = 0; i < buf->nr_markers; i++)
		if (buf->markers[i].probe_ip) {
			td->meta.tep_kallsyms = true;
			return lazy_settle(td, true, errmsg);
		}
	return 0;
}

/* The recording's symbols and task names, and its kernel_stack layout when it has stacks. */
static void find_stack_layout(struct tracedat_source *td, struct pcr_depot *depot)
{
	struct tep_handle *tep = td->bufs[0].tep;

	td->base.info.sym.resolve = pcr_tep_resolve;
	td->base.info.sym.ctx = tep;
	td->base.info.comm = pcr_tep_comm;
	td->base.info.comm_ctx = tep;
	td->base.info.has_kallsyms = tep_get_function_count(tep) > 0;
	if (!td->top) {
		td->base.info.sym.resolve = lazy_resolve;
		td->base.info.sym.ctx = td;
		td->base.info.sym_settle = lazy_settle;
		td->base.info.has_kallsyms = pcr_tdmeta_has_kallsyms(&td->meta);
	}
	if (!td->base.info.has_kallsyms)
		td->base.info.sym.resolve = NULL;
	if (!pcr_kmem_stack_layout(tep, &td->rd.stack))
		return;
	td->base.info.has_stacks = true;
	td->rd.depot = depot;
}

/* A record of a buffer not (yet) replayed: counted, and kept when it is a boot marker. */
static int pend(struct tracedat_source *td, struct tracedat_buffer *buf,
		struct tep_record *record, int type, int cpu)
{
	struct pcr_event ev = {
		.kind = PCR_EV_OTHER, .migratetype = -1, .ts_ns = record->ts, .cpu = (uint16_t)cpu,
		.pid = tep_data_pid(buf->tep, record),
	};

	pcr_kmem_read_marker(buf->tep, buf->markers, buf->nr_markers, type, record, &ev);
	return pcr_reader_hold(&td->rd, &buf->held, &ev);
}

static const char *comm_of(void *ctx, struct tep_handle *tep, int pid)
{
	struct tracedat_source *td = ctx;
	struct comm_slot *slot = &td->comms[(unsigned int)pid % COMM_CACHE];

	if (slot->comm && slot->pid == pid && slot->tep == tep)
		return slot->comm;
	slot->comm = tep_data_comm_from_pid(tep, pid);
	slot->pid = pid;
	slot->tep = tep;
	return slot->comm;
}

/* A page event whose fields do not read: the file is corrupt. */
static int bad_record(void *ctx, const struct tep_record *record, int kind, int cpu)
{
	struct tracedat_source *td = ctx;
	const struct tracedat_buffer *buf = &td->bufs[td->page_buf];
	const struct pcr_kmem_layout *l = &buf->layout[kind];
	uint64_t order = pcr_kmem_field(buf->tep, l->order, (struct tep_record *)record);

	if (!pcr_kmem_fits(l, kind, record))
		return pcr_errmsg(td->rd.errmsg, -PCR_ERR_FORMAT,
				  "%s: record at offset %llu (cpu %d): %s of %d bytes, shorter than the fields its event format places in it; the file is corrupt",
				  td->path, record->offset, cpu, pcr_kmem_event_name(kind),
				  record->size);
	return pcr_errmsg(td->rd.errmsg, -PCR_ERR_FORMAT,
			  "%s: record at offset %llu (cpu %d): %s with order %llu; the file is corrupt",
			  td->path, record->offset, cpu, pcr_kmem_event_name(kind),
			  (unsigned long long)order);
}

/*
 * One record of a buffer, from either reader. Returns 1 to stop (td->rd.err says why). @quiet:
 * as for pcr_reader_emit_paired().
 */
static int take_record(struct tracedat_source *td, struct tracedat_buffer *buf,
		       struct tep_record *record, bool quiet)
{
	struct pcr_cpu_account *acc;
	/* tracecmd_iterate_events_multi() numbers CPUs across all handles: use the record's. */
	int cpu = record->cpu;
	int type, kind;
	int32_t pid;

	acc = cpu_account(buf, cpu);
	if (!acc) {
		td->rd.err = -PCR_ERR_NOMEM;
		return 1;
	}
	acc->records++;
	acc->last_ts = record->ts;

	if (buf->common_need && (unsigned int)record->size >= buf->common_need) {
		const unsigned char *data = record->data;

		type = (int)pcr_kmem_load(data + buf->common_type->offset, buf->common_type->size);
		pid = (int32_t)pcr_kmem_load(data + buf->common_pid->offset, 4);
	} else {
		type = buf->common_type ? (int)pcr_kmem_native_field(buf->common_type, record) :
					  tep_data_type(buf->tep, record);
		pid = buf->common_pid ? (int32_t)pcr_kmem_native_field(buf->common_pid, record) :
					tep_data_pid(buf->tep, record);
	}
	kind = kind_of(buf, type);
	if (buf->index != td->page_buf) {
		if (kind != PCR_EV_NONE &&
		    pcr_reader_choose_buffer(&td->rd, td->path, &td->page_buf,
					     td->page_buf >= 0 ? td->bufs[td->page_buf].name : NULL,
					     buf->index, buf->name, &buf->held))
			return 1;
		if (buf->index != td->page_buf)
			return kind != PCR_EV_NONE ? 0 : pend(td, buf, record, type, cpu);
	}
	return pcr_reader_take_ftrace(&td->rd, &buf->ftrace, record, type, kind, pid, acc, quiet);
}

static int tracedat_record(struct tracecmd_input *handle, struct tep_record *record,
			   int merged_cpu, void *data)
{
	struct tracedat_buffer *buf = tracecmd_get_private(handle);

	return buf ? take_record(data, buf, record, false) : 0;
}

/* The records of every buffer through our flyrecord reader. */
static int fly_iterate(struct tracedat_source *td, char *errmsg)
{
	struct tep_record record = { 0 };
	int *which = calloc((size_t)td->nr_bufs, sizeof(*which));
	int i, ret, buf;
	bool quiet;

	if (!which)
		return -PCR_ERR_NOMEM;
	for (i = 0; i < td->nr_bufs; i++) {
		const struct tep_format_field *type = td->bufs[i].common_type;

		which[i] = td->bufs[i].fly_buf;
		/* Looking ahead for stacks lets most events skip the pairer's wait (stackpair.c). */
		if (td->rd.pair && type &&
		    pcr_fly_watch(td->fly, which[i], td->rd.stack.id, type, PCR_PAIR_DEPTH) ==
		    -PCR_ERR_NOMEM) {
			free(which);
			return -PCR_ERR_NOMEM;
		}
	}
	ret = pcr_fly_start(td->fly, which, td->nr_bufs);
	free(which);
	/*
	 * Read ahead: uncompressed pages by the replaying thread while it waits (pcr_source_help())
	 * and by the inflaters; compressed chunks only by inflaters: on two cores a chunk
	 * decompressed by the replaying thread cost more to walk on the other one than it saved
	 * (README "Speed"). Without its inflaters (out of memory) the reader reads the data itself.
	 */
	if (!ret && (td->inflaters > 0 || (!td->inflaters && !pcr_fly_compressed(td->fly))))
		pcr_fly_ahead(td->fly, td->inflaters);
	/*
	 * tracecmd_iterate_events() goes on after a callback returns 1 (it stops only on a
	 * negative value), so the libtracecmd path delivers every record even after an error it
	 * noted in td->rd.err. This loop does the same, so that both readers print the same report.
	 */
	while (!ret && (ret = pcr_fly_next(td->fly, &record, &buf, &quiet, errmsg)) > 0)
		ret = take_record(td, &td->bufs[buf], &record, quiet) &&
		      td->rd.err == -PCR_ERR_NOMEM ? 1 : 0;
	return ret < 0 ? ret : 0;
}

static int tracedat_progress(const struct pcr_source *src, uint64_t *done, uint64_t *total)
{
	const struct tracedat_source *td = (const struct tracedat_source *)src;

	if (!td->fly)
		return -1;
	pcr_fly_progress(td->fly, done, total);
	return 0;
}

/*
 * After the last record: what the kernel counted against what the file holds, per CPU. Events
 * the kernel still held when trace-cmd read its counters are lost from the window only when the
 * oldest of them is not later than the buffer's last record; later ones were written after the
 * recording ended (trace-cmd's own exit allocates pages) and are reported apart, not as a loss.
 * Overwritten events are announced twice, by the counters (overrun) and by missed-events notices
 * on the records that follow the gap: the larger of the two counts.
 */
static const struct pcr_cpu_account *account_of(void *ctx, int i, int *cpu)
{
	const struct tracedat_buffer *buf = ctx;

	*cpu = i;
	return &buf->cpus[i];
}

static int report_loss(struct tracedat_source *td)
{
	struct tracedat_buffer *buf = &td->bufs[td->page_buf];

	td->base.info.loss_checked = buf->have_stats;
	return pcr_reader_report_loss(&td->rd, buf->nr_cpus, account_of, buf);
}

static int tracedat_replay(struct pcr_source *src, pcr_event_fn fn, void *payload, char *errmsg)
{
	struct tracedat_source *td = (struct tracedat_source *)src;
	struct tracecmd_input **handles;
	int i, ret;

	handles = calloc(td->nr_bufs, sizeof(*handles));
	if (!handles)
		return -PCR_ERR_NOMEM;
	for (i = 0; i < td->nr_bufs; i++)
		handles[i] = td->bufs[i].handle;
	if (pcr_reader_start(&td->rd, fn, payload, errmsg, td->rd.depot && td->rd.stack.id >= 0,
			     true)) {
		free(handles);
		return -PCR_ERR_NOMEM;
	}
	if (td->fly) {
		ret = fly_iterate(td, errmsg);
		if (ret && !td->rd.err)
			td->rd.err = ret;
	} else if (td->nr_bufs == 1)
		ret = tracecmd_iterate_events(handles[0], NULL, 0, tracedat_record, td);
	else
		ret = tracecmd_iterate_events_multi(handles, td->nr_bufs, tracedat_record, td);
	free(handles);
	if (pcr_reader_finish(&td->rd))
		return td->rd.err;
	if (ret < 0)
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: libtracecmd failed while reading records",
				  td->path);
	if (td->page_buf < 0)
		return pcr_errmsg(errmsg, -PCR_ERR_NO_EVENTS,
				  "%s: the recording holds no kmem page event records; record with 'trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched'",
				  td->path);
	return report_loss(td);
}

static int tracedat_help(struct pcr_source *src)
{
	struct tracedat_source *td = (struct tracedat_source *)src;

	return td->fly ? pcr_fly_help(td->fly) : 0;
}

static const struct pcr_source_ops tracedat_ops = {
	.replay = tracedat_replay,
	.close = tracedat_close,
	.progress = tracedat_progress,
	.help = tracedat_help,
};

/* An instance's name: libtracecmd's list, or our reader's buffers but "top". */
static const char *instance_name(const struct tracedat_source *td, int i)
{
	const char *name;

	if (td->top)
		return tracecmd_buffer_instance_name(td->top, i);
	name = pcr_fly_buffer_name(td->fly, i);
	return strcmp(name, "top") ? name : NULL;
}

static int open_buffers(struct tracedat_source *td, const char *want, char *errmsg)
{
	int nr = td->top ? tracecmd_buffer_instances(td->top) : pcr_fly_nr_buffers(td->fly);
	char names[512] = "top";
	size_t len = strlen(names);
	int i, ret;

	if (!want || !strcmp(want, "top")) {
		ret = add_buffer(td, td->top, "top", false);
		if (ret)
			return ret;
	}
	for (i = 0; i < nr; i++) {
		const char *name = instance_name(td, i);
		struct tracecmd_input *inst;

		if (!td->top && !name)
			continue;
		if (len < sizeof(names))
			len += snprintf(names + len, sizeof(names) - len, ", %s", name ? name : "?");
		if (!name || (want && strcmp(want, name)))
			continue;
		if (td->fly) {
			ret = add_buffer(td, NULL, name, false);
			if (ret)
				return ret;
			continue;
		}
		inst = tracecmd_buffer_instance_handle(td->top, i);
		if (!inst)
			return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
					  "%s: cannot open buffer '%s' of the recording", td->path,
					  name);
		ret = add_buffer(td, inst, name, true);
		if (ret)
			return ret;
	}
	if (!td->nr_bufs)
		return pcr_errmsg(errmsg, -PCR_ERR_INVAL,
				  "%s: no buffer named '%s'; the recording has: %s", td->path,
				  want ? want : "", names);
	return 0;
}

/*
 * Our reader with our own metadata (tdcheck.h). Returns 0 with td->fly set, or 0 with it NULL
 * when our reader leaves the file to libtracecmd (not with --reader=flyrecord: an error).
 */
static int open_own(struct tracedat_source *td, bool strict, char *errmsg)
{
	const char *why = "";
	int ret = pcr_tdcheck_load(td->path, &td->meta, td->cache_dir, errmsg);

	if (ret)
		return ret;
	ret = pcr_fly_open(&td->fly, td->path, td->meta.tep, &why, errmsg);
	if (ret < 0)
		return ret;
	/* libtracecmd lists a top buffer in every file: one our reader lacks is left to it. */
	if (!ret && pcr_fly_buffer(td->fly, "top") < 0) {
		pcr_fly_close(td->fly);
		td->fly = NULL;
		why = "libtracecmd lists a buffer it does not find";
		ret = PCR_FLY_UNSUPPORTED;
	}
	if (ret && strict)
		return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
				  "%s: --reader=flyrecord cannot read this file (%s); leave --reader out, or use --reader=libtracecmd",
				  td->path, why);
	if (ret) {
		pcr_tdmeta_release(&td->meta);
		if (errmsg)
			errmsg[0] = '\0';
	}
	return 0;
}

int pcr_tracedat_open(struct pcr_source **out, const char *path,
		      const struct pcr_source_options *opts, char *errmsg)
{
	struct tracecmd_input *handle;
	const char *stats;
	struct tracedat_source *td;
	const char *want = opts ? opts->buffer : NULL;
	int i, ret;

	*out = NULL;
	ret = pcr_tracedat_register_zlib();
	if (ret)
		return pcr_errmsg(errmsg, ret, "libtracecmd refused the zlib codec");
	ret = pcr_tracedat_check_magic(path, opts ? opts->sniffed : NULL, opts ? opts->sniffed_len : 0, errmsg);
	if (ret)
		return ret;

	td = calloc(1, sizeof(*td));
	if (!td)
		return -PCR_ERR_NOMEM;
	td->base.ops = &tracedat_ops;
	td->rd.info = &td->base.info;
	td->page_buf = -1;
	td->inflaters = !opts || opts->threads == 1 ? -1 : opts->threads > 2 ? opts->threads - 2 : 0;
	td->cache_dir = opts ? opts->cache_dir : NULL;
	pthread_mutex_init(&td->syms.lock, NULL);
	td->path = strdup(path);
	if (!td->path) {
		free(td);
		return -PCR_ERR_NOMEM;
	}
	/*
	 * Nothing of the file reaches libtracecmd or libtraceevent before our own check
	 * (tdcheck.c, issue 17). Our reader's own open reads the metadata once, checked as it is
	 * loaded, without libtracecmd (whose open parses every kallsyms line, 0.1 s of a replay,
	 * README "Speed"). A file our reader leaves to libtracecmd is opened by it, every page
	 * checked first.
	 */
	if (!opts || opts->reader != PCR_READER_LIBTRACECMD) {
		ret = open_own(td, opts && opts->reader == PCR_READER_FLYRECORD, errmsg);
		if (ret) {
			tracedat_close(&td->base);
			return ret;
		}
	}
	handle = NULL;
	if (!td->fly) {
		ret = pcr_tracedat_lib_open(td->path, &handle, errmsg);
		if (ret) {
			tracedat_close(&td->base);
			return ret;
		}
	}
	td->top = handle;
	describe_format(td, td->top);
	td->base.info.kernel = td->top ? tracecmd_get_uname(td->top) : td->meta.uname;
	td->base.info.cpus = tep_get_cpus(td->top ? tracecmd_get_tep(td->top) : td->meta.tep);

	ret = open_buffers(td, want, errmsg);
	if (ret) {
		if (ret == -PCR_ERR_NOMEM)
			pcr_errmsg(errmsg, ret, "%s: %s", path, pcr_strerror(ret));
		tracedat_close(&td->base);
		return ret;
	}
	stats = td->top ? tracecmd_get_cpustats(td->top) : td->meta.cpustats;
	ret = stats ? parse_cpustats(td, stats) : 0;
	if (ret) {
		tracedat_close(&td->base);
		return ret;
	}
	for (i = 0; i < td->nr_bufs; i++) {
		if (td->bufs[i].handle)
			tracecmd_set_private(td->bufs[i].handle, &td->bufs[i]);
		ret = find_layouts(td, &td->bufs[i], errmsg);
		if (ret) {
			tracedat_close(&td->base);
			return ret;
		}
		td->bufs[i].nr_markers = pcr_kmem_find_markers(td->bufs[i].markers, PCR_MAX_MARKERS,
							       td->bufs[i].tep);
		if (pcr_kmem_markers_have(td->bufs[i].markers, td->bufs[i].nr_markers,
					  PCR_EV_HOOK_ALLOC))
			td->base.info.has_hooks = true;
		ret = probes_need_kallsyms(td, &td->bufs[i], errmsg);
		if (ret) {
			tracedat_close(&td->base);
			return ret;
		}
		/* A file of every event's format says nothing of what was enabled. */
		if (pcr_kmem_markers_have(td->bufs[i].markers, td->bufs[i].nr_markers,
					  PCR_EV_ISOLATE) && pcr_kmem_formats_selective(td->bufs[i].tep))
			td->base.info.has_isolation = true;
		td->bufs[i].ftrace = (struct pcr_ftrace_buf) {
			.tep = td->bufs[i].tep, .layout = td->bufs[i].layout,
			.markers = td->bufs[i].markers, .nr_markers = td->bufs[i].nr_markers,
			.sym = { .resolve = td->top ? pcr_tep_resolve : lazy_resolve,
				 .ctx = td->top ? (void *)td->bufs[i].tep : (void *)td },
			.check_ids = true, .comm = comm_of, .bad_record = bad_record, .ctx = td,
		};
	}
	ret = load_gfp_names(td);
	if (ret) {
		tracedat_close(&td->base);
		return ret;
	}
	find_stack_layout(td, opts ? opts->depot : NULL);
	/*
	 * libtraceevent sorts its task names and its kallsyms at the first lookup and only
	 * searches them after: sorted now, the reports' lookups may run beside the reader's (the
	 * kprobe markers name functions), as in a pipelined replay.
	 */
	for (i = 0; i < td->nr_bufs; i++) {
		tep_data_comm_from_pid(td->bufs[i].tep, 1);
		if (td->top)
			tep_find_function(td->bufs[i].tep, 0);
	}
	td->base.info.parallel_safe = true;
	td->base.info.data_bytes = td->fly ? pcr_fly_data_bytes(td->fly) : 0;
	/* Names come from libtraceevent's task list, which lives as long as the handle. */
	td->base.info.stable_comms = true;
	*out = &td->base;
	return 0;
}
