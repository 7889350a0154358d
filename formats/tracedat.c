// SPDX-License-Identifier: GPL-2.0
/*
 * trace-cmd trace.dat reader, through libtracecmd.
 *
 * libtracecmd opens the file (v6 or v7, any compression), parses the event formats and merges
 * the per-CPU buffers in timestamp order; this reader finds the kmem page events and their field
 * offsets once, turns each record into a struct pcr_event, and compares the kernel's per-CPU
 * counters saved in the file with the records it read, because trace-cmd 3.1 stores no marker
 * when the kernel drops events.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <trace-cmd/trace-cmd.h>

#include "source.h"
#include "stackpair.h"

/*
 * libtracecmd 3.1 exports these but declares them only in its private headers; CMake pins the
 * library to the 3.1 series whose ABI they have (see cmake/PcrDependencies.cmake).
 */
const char *tracecmd_get_cpustats(struct tracecmd_input *handle);
const char *tracecmd_get_uname(struct tracecmd_input *handle);
unsigned long tracecmd_get_in_file_version(struct tracecmd_input *handle);
int tracecmd_get_file_compress_proto(struct tracecmd_input *handle, const char **name,
				     const char **version);
bool tracecmd_compress_is_supported(const char *name, const char *version);

#define TRACEDAT_MAGIC "\027\010\104tracing"
#define TRACEDAT_MAGIC_LEN 10

/* Where one kmem event keeps its fields in this recording. */
struct kmem_layout {
	struct tep_format_field *pfn;
	struct tep_format_field *order;
	struct tep_format_field *gfp;
	struct tep_format_field *migratetype;
	int id;
	bool page_pointer;	/* kernels before 4.1 record a struct page *, not a pfn */
};

/* The kernel's counters for one CPU of one buffer, and what the reader saw of it. */
struct cpu_account {
	uint64_t records;
	uint64_t last_ts;
	uint64_t entries;
	uint64_t overrun;
	uint64_t commit_overrun;
	uint64_t dropped;
	uint64_t read;
	uint64_t oldest_us;	/* the oldest event still in the kernel buffer, in microseconds */
	uint64_t notices;	/* events the missed-events notices of the records announced */
	bool have_stats;
	bool have_oldest;
};

struct tracedat_buffer {
	struct tracecmd_input *handle;
	struct tep_handle *tep;
	char *name;
	struct cpu_account *cpus;
	struct kmem_layout layout[PCR_EV_NR];
	uint64_t pending_other;
	int nr_cpus;
	bool have_stats;
	bool own_handle;
};

/* The ftrace kernel_stack event that "trace-cmd record -T" writes after each event. */
struct stack_layout {
	struct tep_format_field *size;
	struct tep_format_field *caller;
	int id;
	int long_size;
};

/* The deepest stack the kernel records: a page of return addresses. */
#define MAX_FRAMES 512

struct tracedat_source {
	struct pcr_source base;
	struct stack_layout stack;
	struct pcr_depot *depot;
	struct pcr_stackpair *pair;
	struct tracecmd_input *top;
	struct tracedat_buffer *bufs;
	struct pcr_flag_name *gfp_names;
	char *path;
	char format[64];
	pcr_event_fn fn;
	void *payload;
	char *errmsg;
	int nr_bufs;
	int page_buf;	/* the buffer whose page events are replayed, -1 until one shows */
	int err;
};

static const struct {
	const char *name;
	bool needs_order;
} kmem_events[PCR_EV_NR] = {
	[PCR_EV_ALLOC] = { "mm_page_alloc", true },
	[PCR_EV_FREE] = { "mm_page_free", true },
	[PCR_EV_FREE_BATCHED] = { "mm_page_free_batched", false },
	[PCR_EV_ZONE_LOCKED] = { "mm_page_alloc_zone_locked", false },
	[PCR_EV_PCPU_DRAIN] = { "mm_page_pcpu_drain", false },
};

static bool is_kmem_kind(int kind)
{
	return kind >= PCR_EV_ALLOC && kind <= PCR_EV_PCPU_DRAIN;
}

static int find_layouts(struct tracedat_source *td, struct tracedat_buffer *buf, char *errmsg)
{
	int kind, found = 0;

	for (kind = 0; kind < PCR_EV_NR; kind++) {
		struct kmem_layout *l = &buf->layout[kind];
		struct tep_event *event;

		l->id = -1;
		if (!is_kmem_kind(kind))
			continue;
		event = tep_find_event_by_name(buf->tep, "kmem", kmem_events[kind].name);
		if (!event)
			continue;
		l->pfn = tep_find_field(event, "pfn");
		if (!l->pfn) {
			l->pfn = tep_find_field(event, "page");
			l->page_pointer = true;
		}
		l->order = tep_find_field(event, "order");
		l->gfp = tep_find_field(event, "gfp_flags");
		l->migratetype = tep_find_field(event, "migratetype");
		if (!l->pfn || (l->pfn->size != 8 && l->pfn->size != 4) ||
		    (kmem_events[kind].needs_order && !l->order))
			return pcr_errmsg(errmsg, -PCR_ERR_LAYOUT,
					  "%s: kmem:%s has an unknown layout (it needs a 4- or 8-byte 'pfn' or 'page' field%s); please report it with the event's format",
					  td->path, kmem_events[kind].name,
					  kmem_events[kind].needs_order ? " and 'order'" : "");
		l->id = event->id;
		if (kind == PCR_EV_ALLOC || kind == PCR_EV_FREE)
			found++;
	}
	if (!found)
		return pcr_errmsg(errmsg, -PCR_ERR_NO_EVENTS,
				  "%s: the recording has no kmem:mm_page_alloc or kmem:mm_page_free events; record them with 'trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched'",
				  td->path);
	return 0;
}

/* Walks the print arguments of mm_page_alloc to the __print_flags() of gfp_flags. */
static const struct tep_print_arg *find_flags_arg(const struct tep_print_arg *arg, int depth)
{
	const struct tep_print_arg *found = NULL;

	for (; arg && !found && depth < 32; arg = arg->next) {
		switch (arg->type) {
		case TEP_PRINT_FLAGS:
			if (arg->flags.field && arg->flags.field->type == TEP_PRINT_FIELD &&
			    arg->flags.field->field.name &&
			    !strcmp(arg->flags.field->field.name, "gfp_flags"))
				return arg;
			found = find_flags_arg(arg->flags.field, depth + 1);
			break;
		case TEP_PRINT_OP:
			found = find_flags_arg(arg->op.left, depth + 1);
			if (!found)
				found = find_flags_arg(arg->op.right, depth + 1);
			break;
		case TEP_PRINT_TYPE:
			found = find_flags_arg(arg->typecast.item, depth + 1);
			break;
		default:
			break;
		}
	}
	return found;
}

static int load_gfp_names(struct tracedat_source *td)
{
	const struct tep_print_flag_sym *sym;
	const struct tep_print_arg *arg;
	struct tep_event *event;
	size_t n = 0;

	event = tep_find_event_by_name(td->bufs[0].tep, "kmem", "mm_page_alloc");
	if (!event)
		return 0;
	arg = find_flags_arg(event->print_fmt.args, 0);
	if (!arg)
		return 0;
	for (sym = arg->flags.flags; sym; sym = sym->next)
		n++;
	td->gfp_names = calloc(n ? n : 1, sizeof(*td->gfp_names));
	if (!td->gfp_names)
		return -PCR_ERR_NOMEM;
	n = 0;
	for (sym = arg->flags.flags; sym; sym = sym->next) {
		if (!sym->value || !sym->str)
			continue;
		td->gfp_names[n].mask = strtoull(sym->value, NULL, 0);
		td->gfp_names[n].name = sym->str;
		n++;
	}
	td->base.info.gfp_names = td->gfp_names;
	td->base.info.nr_gfp_names = n;
	return 0;
}

static struct cpu_account *cpu_account(struct tracedat_buffer *buf, int cpu)
{
	if (cpu < 0)
		return NULL;
	if (cpu >= buf->nr_cpus) {
		int nr = cpu + 1;
		struct cpu_account *cpus = realloc(buf->cpus, nr * sizeof(*cpus));

		if (!cpus)
			return NULL;
		memset(cpus + buf->nr_cpus, 0, (nr - buf->nr_cpus) * sizeof(*cpus));
		buf->cpus = cpus;
		buf->nr_cpus = nr;
	}
	return &buf->cpus[cpu];
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
	struct cpu_account *acc = NULL;
	const char *line = text;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		unsigned long long val;
		char name[256];
		char frac[8];
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
			if (sscanf(line, "entries: %llu", &val) == 1)
				acc->entries = val;
			else if (sscanf(line, "overrun: %llu", &val) == 1)
				acc->overrun = val;
			else if (sscanf(line, "commit overrun: %llu", &val) == 1)
				acc->commit_overrun = val;
			else if (sscanf(line, "dropped events: %llu", &val) == 1)
				acc->dropped = val;
			else if (sscanf(line, "read events: %llu", &val) == 1)
				acc->read = val;
			else if (sscanf(line, "oldest event ts: %llu.%6s", &val, frac) == 2 &&
				 strlen(frac) == 6) {
				acc->oldest_us = val * 1000000 + strtoull(frac, NULL, 10);
				acc->have_oldest = true;
			}
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
	buf = &bufs[td->nr_bufs++];
	memset(buf, 0, sizeof(*buf));
	buf->handle = handle;
	buf->own_handle = own_handle;
	buf->tep = tracecmd_get_tep(handle);
	buf->name = strdup(name);
	if (!buf->name || !buf->tep)
		return -PCR_ERR_NOMEM;
	return 0;
}

static void describe_format(struct tracedat_source *td, struct tracecmd_input *handle)
{
	const char *name = NULL, *version = NULL;
	unsigned long file_version = tracecmd_get_in_file_version(handle);

	if (file_version >= 7 && !tracecmd_get_file_compress_proto(handle, &name, &version) &&
	    name)
		snprintf(td->format, sizeof(td->format), "trace.dat v%lu %s", file_version, name);
	else if (file_version >= 7)
		snprintf(td->format, sizeof(td->format), "trace.dat v%lu uncompressed",
			 file_version);
	else
		snprintf(td->format, sizeof(td->format), "trace.dat v%lu", file_version);
	td->base.info.format = td->format;
}

/*
 * A v7 file names its compression right after the fixed header (magic, version string, endian,
 * long size, page size). Checked here so that a codec libtracecmd lacks gets its own message,
 * not the generic one of a failed open.
 */
static int check_compression(const char *path, const char *head, size_t len, char *errmsg)
{
	const char *version = head + TRACEDAT_MAGIC_LEN;
	const char *end = head + len;
	const char *name, *name_end, *zver;

	name_end = memchr(version, '\0', (size_t)(end - version));
	if (!name_end || strtol(version, NULL, 10) < 7)
		return 0;
	name = name_end + 1 + 1 + 1 + 4;
	if (name >= end)
		return 0;
	name_end = memchr(name, '\0', (size_t)(end - name));
	if (!name_end)
		return 0;
	zver = name_end + 1;
	if (!strcmp(name, "none") || !memchr(zver, '\0', (size_t)(end - zver)) ||
	    tracecmd_compress_is_supported(name, zver))
		return 0;
	return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
			  "%s: compressed with %s %s, which the installed libtracecmd cannot decompress ('trace-cmd list -c' lists what it can); convert it where it can be read: trace-cmd convert --compression zstd",
			  path, name, zver);
}

static int check_magic(const char *path, char *errmsg)
{
	char head[256];
	struct stat st;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot open: %s", path,
				  strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: not a regular file", path);
	}
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n < 0)
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot read: %s", path,
				  strerror(errno));
	if (n < TRACEDAT_MAGIC_LEN || memcmp(head, TRACEDAT_MAGIC, TRACEDAT_MAGIC_LEN))
		return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
				  "%s: not a trace-cmd trace.dat file (no tracing magic at offset 0); record one with 'trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched'",
				  path);
	return check_compression(path, head, (size_t)n, errmsg);
}

/*
 * libtracecmd 3.1 prints some diagnostics (e.g. "File possibly truncated...") on stdout, where
 * they would mix with the report. While it opens a file, stdout goes to a temporary file whose
 * text, if any, becomes part of our error message.
 */
struct stdout_capture {
	FILE *tmp;
	int saved_fd;
};

static void capture_stdout(struct stdout_capture *cap)
{
	fflush(stdout);
	cap->saved_fd = -1;
	cap->tmp = tmpfile();
	if (!cap->tmp)
		return;
	cap->saved_fd = dup(STDOUT_FILENO);
	if (cap->saved_fd < 0 || dup2(fileno(cap->tmp), STDOUT_FILENO) < 0) {
		if (cap->saved_fd >= 0)
			close(cap->saved_fd);
		cap->saved_fd = -1;
		fclose(cap->tmp);
		cap->tmp = NULL;
	}
}

static void release_stdout(struct stdout_capture *cap, char *text, size_t size)
{
	size_t n = 0;

	if (size)
		text[0] = '\0';
	if (!cap->tmp)
		return;
	fflush(stdout);
	dup2(cap->saved_fd, STDOUT_FILENO);
	close(cap->saved_fd);
	if (size && !fseek(cap->tmp, 0, SEEK_SET))
		n = fread(text, 1, size - 1, cap->tmp);
	fclose(cap->tmp);
	if (!size)
		return;
	text[n] = '\0';
	/* One line: newlines become "; " separators, trailing ones go. */
	while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	for (; n; n--)
		if (text[n - 1] == '\n')
			text[n - 1] = ' ';
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
	}
	if (td->top)
		tracecmd_close(td->top);
	pcr_stackpair_free(td->pair);
	free(td->bufs);
	free(td->gfp_names);
	free(td->path);
	free(td);
}

static uint64_t read_field(struct tep_handle *tep, const struct tep_format_field *f,
			   const struct tep_record *record)
{
	if (!f || f->offset + f->size > record->size)
		return 0;
	return tep_read_number(tep, (const char *)record->data + f->offset, f->size);
}

static int emit(struct tracedat_source *td, const struct pcr_event *ev)
{
	int ret = td->fn(ev, td->payload);

	if (ret && !td->err)
		td->err = ret;
	return ret;
}

/* Hands an event to the stack pairer when the recording has stacks, else straight on. */
static int emit_paired(struct tracedat_source *td, const struct pcr_event *ev, const char *name)
{
	int ret;

	if (!td->pair)
		return emit(td, ev);
	ret = pcr_stackpair_event(td->pair, ev, name);
	if (ret && !td->err)
		td->err = ret;
	return ret;
}

static int tep_resolve(void *ctx, uint64_t addr, struct pcr_symbol *sym)
{
	unsigned long long start = 0;
	unsigned long size = 0;
	const char *name = NULL;

	/* libtraceevent keeps no module names in its function map. */
	if (!tep_find_function_info(ctx, addr, &name, &start, &size) || !name)
		return -PCR_ERR_INVAL;
	sym->name = name;
	sym->module = NULL;
	sym->start = start;
	sym->size = size;
	return 0;
}

static const char *tep_comm(void *ctx, int pid)
{
	return tep_data_comm_from_pid(ctx, pid);
}

/* Reads one kernel_stack record into the depot and gives it to the pairer. */
static int take_stack(struct tracedat_source *td, struct tracedat_buffer *buf,
		      struct tep_record *record, int cpu)
{
	static const char glue[] = "trace_event_raw_event_";
	const struct stack_layout *sl = &td->stack;
	uint64_t frames[MAX_FRAMES];
	uint64_t size = read_field(buf->tep, sl->size, record);
	struct pcr_symbol sym;
	const char *first = NULL;
	unsigned int nr = 0;
	uint32_t id;
	int ret;

	/* The format says caller[8]; the record holds "size" entries, up to its own length. */
	if (sl->caller->offset < record->size) {
		uint64_t room = (uint64_t)(record->size - sl->caller->offset) / sl->long_size;

		if (size > room)
			size = room;
	} else {
		size = 0;
	}
	if (size > MAX_FRAMES)
		size = MAX_FRAMES;
	for (; nr < size; nr++) {
		uint64_t addr = tep_read_number(buf->tep, (const char *)record->data +
						sl->caller->offset + nr * sl->long_size,
						sl->long_size);

		/* Kernels before 4.x ended the array with ULONG_MAX. */
		if (!addr || addr == UINT64_MAX || (sl->long_size == 4 && addr == UINT32_MAX))
			break;
		frames[nr] = addr;
	}
	td->base.info.stacks.records++;
	ret = pcr_depot_add(td->depot, frames, nr, &id);
	if (ret)
		return td->err = ret;
	if (nr && !tep_resolve(buf->tep, frames[0], &sym) &&
	    !strncmp(sym.name, glue, sizeof(glue) - 1))
		first = sym.name + sizeof(glue) - 1;
	ret = pcr_stackpair_stack(td->pair, cpu, record->ts, id, first);
	if (ret && !td->err)
		td->err = ret;
	return ret;
}

/* Decides which buffer's events are replayed: the first to show a page event. */
static void find_stack_layout(struct tracedat_source *td, struct pcr_depot *depot)
{
	struct tep_handle *tep = td->bufs[0].tep;
	struct tep_event *event = tep_find_event_by_name(tep, "ftrace", "kernel_stack");

	td->stack.id = -1;
	td->base.info.sym.resolve = tep_resolve;
	td->base.info.sym.ctx = tep;
	td->base.info.comm = tep_comm;
	td->base.info.comm_ctx = tep;
	td->base.info.has_kallsyms = tep_get_function_count(tep) > 0;
	if (!td->base.info.has_kallsyms)
		td->base.info.sym.resolve = NULL;
	if (!event)
		return;
	td->stack.size = tep_find_field(event, "size");
	td->stack.caller = tep_find_field(event, "caller");
	td->stack.long_size = td->stack.caller ? (int)td->stack.caller->elementsize : 0;
	if (!td->stack.size || !td->stack.caller ||
	    (td->stack.long_size != 8 && td->stack.long_size != 4))
		return;
	td->stack.id = event->id;
	td->base.info.has_stacks = true;
	td->depot = depot;
}

static int choose_page_buffer(struct tracedat_source *td, struct tracedat_buffer *buf)
{
	int idx = (int)(buf - td->bufs);
	struct pcr_event other = { .kind = PCR_EV_OTHER, .migratetype = -1 };

	if (td->page_buf == idx)
		return 0;
	if (td->page_buf >= 0) {
		td->err = pcr_errmsg(td->errmsg, -PCR_ERR_AMBIGUOUS,
				     "%s: page events in buffers '%s' and '%s'; replay one of them with --buffer=NAME",
				     td->path, td->bufs[td->page_buf].name, buf->name);
		return td->err;
	}
	td->page_buf = idx;
	td->base.info.buffer = buf->name;
	/* Records of this buffer seen before its first page event still count. */
	for (; buf->pending_other; buf->pending_other--)
		if (emit(td, &other))
			return td->err;
	return 0;
}

static int tracedat_record(struct tracecmd_input *handle, struct tep_record *record,
			   int merged_cpu, void *data)
{
	struct tracedat_source *td = data;
	struct tracedat_buffer *buf = tracecmd_get_private(handle);
	struct pcr_event ev = { .migratetype = -1 };
	const struct kmem_layout *l = NULL;
	struct cpu_account *acc;
	/* tracecmd_iterate_events_multi() numbers CPUs across all handles: use the record's. */
	int cpu = record->cpu;
	int type, kind;

	if (!buf)
		return 0;
	acc = cpu_account(buf, cpu);
	if (!acc) {
		td->err = -PCR_ERR_NOMEM;
		return 1;
	}
	acc->records++;
	acc->last_ts = record->ts;

	type = tep_data_type(buf->tep, record);
	for (kind = PCR_EV_ALLOC; kind <= PCR_EV_PCPU_DRAIN; kind++) {
		if (buf->layout[kind].id == type) {
			l = &buf->layout[kind];
			break;
		}
	}
	if (l && choose_page_buffer(td, buf))
		return 1;
	if ((int)(buf - td->bufs) != td->page_buf) {
		buf->pending_other += !l;
		return 0;
	}

	ev.ts_ns = record->ts;
	ev.cpu = (uint16_t)cpu;
	ev.pid = tep_data_pid(buf->tep, record);
	if (record->missed_events) {
		struct pcr_event lost = {
			.kind = PCR_EV_LOST, .ts_ns = record->ts, .cpu = (uint16_t)cpu,
			.lost = record->missed_events > 0 ? (uint64_t)record->missed_events : 0,
			.migratetype = -1,
		};

		acc->notices += lost.lost;
		if (emit_paired(td, &lost, NULL))
			return 1;
	}
	if (!l) {
		struct tep_event *event;

		ev.kind = PCR_EV_OTHER;
		if (!td->pair)
			return emit(td, &ev) ? 1 : 0;
		/* A stack record only counts as a record: its place in the order does not matter. */
		if (type == td->stack.id)
			return emit(td, &ev) || take_stack(td, buf, record, cpu) ? 1 : 0;
		event = tep_find_event(buf->tep, type);
		return emit_paired(td, &ev, event ? event->name : NULL) ? 1 : 0;
	}

	ev.kind = (uint8_t)kind;
	ev.comm = tep_data_comm_from_pid(buf->tep, ev.pid);
	ev.pfn = read_field(buf->tep, l->pfn, record);
	if (l->pfn->size == 4 && ev.pfn == UINT32_MAX)
		ev.pfn = PCR_PFN_NONE;
	if (l->page_pointer)
		/* A struct page * names the page as well as its pfn does: 64 bytes per page. */
		ev.pfn = ev.pfn ? ev.pfn / 64 : PCR_PFN_NONE;
	ev.order = (uint8_t)read_field(buf->tep, l->order, record);
	if (l->order && read_field(buf->tep, l->order, record) > PCR_MAX_ORDER) {
		td->err = pcr_errmsg(td->errmsg, -PCR_ERR_FORMAT,
				     "%s: record at offset %llu (cpu %d): %s with order %llu; the file is corrupt",
				     td->path, record->offset, cpu, kmem_events[kind].name,
				     (unsigned long long)read_field(buf->tep, l->order, record));
		return 1;
	}
	if (kind == PCR_EV_ALLOC) {
		ev.gfp = read_field(buf->tep, l->gfp, record);
		if (l->migratetype)
			ev.migratetype = (int32_t)read_field(buf->tep, l->migratetype, record);
	}
	return emit_paired(td, &ev, kmem_events[kind].name) ? 1 : 0;
}

/*
 * After the last record: what the kernel counted against what the file holds, per CPU. Events
 * the kernel still held when trace-cmd read its counters are lost from the window only when the
 * oldest of them is not later than the buffer's last record; later ones were written after the
 * recording ended (trace-cmd's own exit allocates pages) and are reported apart, not as a loss.
 * Overwritten events are announced twice, by the counters (overrun) and by missed-events notices
 * on the records that follow the gap: the larger of the two counts.
 */
static int report_loss(struct tracedat_source *td)
{
	struct tracedat_buffer *buf = &td->bufs[td->page_buf];
	uint64_t end_us = 0;
	int cpu;

	td->base.info.loss_checked = buf->have_stats;
	for (cpu = 0; cpu < buf->nr_cpus; cpu++)
		if (buf->cpus[cpu].records && buf->cpus[cpu].last_ts / 1000 > end_us)
			end_us = buf->cpus[cpu].last_ts / 1000;
	for (cpu = 0; cpu < buf->nr_cpus; cpu++) {
		const struct cpu_account *acc = &buf->cpus[cpu];
		uint64_t expected = acc->entries + acc->read;
		uint64_t gap = expected > acc->records ? expected - acc->records : 0;
		uint64_t overwritten = acc->overrun > acc->notices ? acc->overrun : acc->notices;
		struct pcr_event lost = {
			.kind = PCR_EV_LOST, .cpu = (uint16_t)cpu, .ts_ns = acc->last_ts,
			.migratetype = -1,
		};
		uint64_t total;

		if (!acc->have_stats)
			continue;
		if (gap && acc->have_oldest && acc->oldest_us > end_us) {
			uint64_t trailing = gap < acc->entries ? gap : acc->entries;

			td->base.info.trailing_unrecorded += trailing;
			gap -= trailing;
		}
		total = overwritten + acc->commit_overrun + acc->dropped + gap;
		lost.lost = total - acc->notices;
		if (lost.lost && emit(td, &lost))
			return td->err;
	}
	return 0;
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
	td->fn = fn;
	td->payload = payload;
	td->errmsg = errmsg;
	td->err = 0;
	if (td->depot && td->stack.id >= 0 && !td->pair &&
	    pcr_stackpair_new(&td->pair, fn, payload)) {
		free(handles);
		return -PCR_ERR_NOMEM;
	}
	if (td->nr_bufs == 1)
		ret = tracecmd_iterate_events(handles[0], NULL, 0, tracedat_record, td);
	else
		ret = tracecmd_iterate_events_multi(handles, td->nr_bufs, tracedat_record, td);
	free(handles);
	if (!td->err && td->pair) {
		struct pcr_pair_stats ps;

		ret = pcr_stackpair_flush(td->pair);
		if (ret)
			td->err = ret;
		pcr_stackpair_stats(td->pair, &ps);
		td->base.info.stacks.paired = ps.paired;
		td->base.info.stacks.stackless = ps.stackless;
		td->base.info.stacks.unpaired = ps.unpaired_stacks;
		td->base.info.stacks.timeouts = ps.timeouts;
	}
	if (td->err)
		return td->err;
	if (ret < 0)
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: libtracecmd failed while reading records",
				  td->path);
	if (td->page_buf < 0)
		return pcr_errmsg(errmsg, -PCR_ERR_NO_EVENTS,
				  "%s: the recording holds no kmem page event records; record with 'trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched'",
				  td->path);
	return report_loss(td);
}

static const struct pcr_source_ops tracedat_ops = {
	.replay = tracedat_replay,
	.close = tracedat_close,
};

static int open_buffers(struct tracedat_source *td, const char *want, char *errmsg)
{
	int nr = tracecmd_buffer_instances(td->top);
	char names[512] = "top";
	size_t len = strlen(names);
	int i, ret;

	if (!want || !strcmp(want, "top")) {
		ret = add_buffer(td, td->top, "top", false);
		if (ret)
			return ret;
	}
	for (i = 0; i < nr; i++) {
		const char *name = tracecmd_buffer_instance_name(td->top, i);
		struct tracecmd_input *inst;

		if (len < sizeof(names))
			len += snprintf(names + len, sizeof(names) - len, ", %s", name ? name : "?");
		if (!name || (want && strcmp(want, name)))
			continue;
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

int pcr_tracedat_open(struct pcr_source **out, const char *path,
		      const struct pcr_source_options *opts, char *errmsg)
{
	struct stdout_capture cap;
	struct tracecmd_input *handle;
	const char *stats;
	struct tracedat_source *td;
	char said[256];
	const char *want = opts ? opts->buffer : NULL;
	int i, ret;

	*out = NULL;
	ret = pcr_tracedat_register_zlib();
	if (ret)
		return pcr_errmsg(errmsg, ret, "libtracecmd refused the zlib codec");
	ret = check_magic(path, errmsg);
	if (ret)
		return ret;

	td = calloc(1, sizeof(*td));
	if (!td)
		return -PCR_ERR_NOMEM;
	td->base.ops = &tracedat_ops;
	td->page_buf = -1;
	td->path = strdup(path);
	if (!td->path) {
		free(td);
		return -PCR_ERR_NOMEM;
	}

	/* libtracecmd reports its own failures on stderr; ours say what to do instead. */
	tracecmd_set_loglevel(TEP_LOG_NONE);
	tep_set_loglevel(TEP_LOG_NONE);
	capture_stdout(&cap);
	handle = tracecmd_open_head(path,
				    TRACECMD_FL_LOAD_NO_PLUGINS | TRACECMD_FL_LOAD_NO_SYSTEM_PLUGINS);
	/*
	 * libtracecmd 3.1.6 crashes in tracecmd_close() on a handle whose data failed to load (a
	 * truncated v6 file): such a handle is left open; the process exits soon after anyway.
	 */
	ret = handle ? tracecmd_init_data(handle) : -1;
	release_stdout(&cap, said, sizeof(said));
	if (ret < 0) {
		tracedat_close(&td->base);
		return pcr_errmsg(errmsg, -PCR_ERR_TRUNCATED,
				  "%s: truncated or corrupt trace.dat (%s%s%s); record it again, or copy the whole file",
				  path, handle ? "its trace data cannot be loaded" :
				  "its headers cannot be read",
				  said[0] ? ": libtracecmd says: " : "", said);
	}
	td->top = handle;
	describe_format(td, td->top);
	td->base.info.kernel = tracecmd_get_uname(td->top);
	td->base.info.cpus = tep_get_cpus(tracecmd_get_tep(td->top));

	ret = open_buffers(td, want, errmsg);
	if (ret) {
		if (ret == -PCR_ERR_NOMEM)
			pcr_errmsg(errmsg, ret, "%s: %s", path, pcr_strerror(ret));
		tracedat_close(&td->base);
		return ret;
	}
	stats = tracecmd_get_cpustats(td->top);
	ret = stats ? parse_cpustats(td, stats) : 0;
	if (ret) {
		tracedat_close(&td->base);
		return ret;
	}
	for (i = 0; i < td->nr_bufs; i++) {
		tracecmd_set_private(td->bufs[i].handle, &td->bufs[i]);
		ret = find_layouts(td, &td->bufs[i], errmsg);
		if (ret) {
			tracedat_close(&td->base);
			return ret;
		}
	}
	ret = load_gfp_names(td);
	if (ret) {
		tracedat_close(&td->base);
		return ret;
	}
	find_stack_layout(td, opts ? opts->depot : NULL);
	*out = &td->base;
	return 0;
}
