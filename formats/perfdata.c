// SPDX-License-Identifier: GPL-2.0
/*
 * perf.data reader, file mode and pipe mode, written here because no Debian library reads
 * perf.data. It reads only what a page-event replay needs and checks every length against the
 * bytes it has:
 *
 *   file mode:  the PERFILE2 header (104 bytes), the attrs (each a perf_event_attr and the file
 *               section of its sample ids), the data section, and the feature sections that
 *               follow it (HEADER_TRACING_DATA, BUILD_ID, OSRELEASE, HOSTNAME, ARCH, NRCPUS);
 *   pipe mode:  a 16-byte header, then records only: PERF_RECORD_HEADER_ATTR,
 *               HEADER_TRACING_DATA (whose tracing data follows the record) and HEADER_FEATURE
 *               carry what file mode keeps in its sections.
 *
 * The tracing data is the trace.dat v6 metadata (header_page, event formats, kallsyms, printk
 * formats, saved cmdlines). It is parsed here, piece by piece, with libtraceevent's
 * tep_parse_event(): libtracecmd's tracecmd_open_head() expects a
 * whole trace.dat and would read past the block (CPU count, options) and needs a file
 * descriptor, while the block itself is a short list of length-prefixed texts whose bounds
 * are easy to check. Tracepoint payloads (PERF_SAMPLE_RAW) are then decoded through the same
 * kmem field layouts as trace.dat records (kmem.h). libtraceevent trusts the texts it parses,
 * and crashes on some no kernel writes: each passes tepcheck.c's grammar first, and only the
 * kmem events this reader needs are parsed at all.
 *
 * perf writes its per-CPU buffers one after another, in rounds closed by FINISHED_ROUND: the
 * records of a file are not in time order. The reader collects every event of the recording
 * and sorts them all by timestamp (the file order breaks ties), which is simpler than sorting
 * round by round and costs one array of events.
 *
 * The whole input is read into memory first (standard input too: no temporary file).
 *
 * `perf record -z` compresses the records it copies from the kernel's buffers (samples, comm,
 * fork, lost; not the attrs, features or tracing data) into PERF_RECORD_COMPRESSED records
 * (type 81; COMPRESSED2, type 83, in newer perf adds a data_size and pads to 8 bytes). Their
 * payloads are the pieces of one zstd stream that runs through the whole recording, and a record
 * inside may be cut between two of them; so one ZSTD_DStream lives as long as the file, and the
 * tail of an incomplete record waits in the output buffer for the next piece.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "kmem.h"
#include "source.h"
#include "tepcheck.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the perf.data reader decodes little-endian files on a little-endian host only"
#endif

#define PERF_MAGIC "PERFILE2"
#define PERF_MAGIC_SWAPPED "2ELIFREP"
#define PERF_FILE_HEADER_SIZE 104
#define PERF_PIPE_HEADER_SIZE 16
#define PERF_ATTR_SIZE_MIN 48	/* up to the flags word: all this reader reads */
#define PERF_FEAT_BITS 256

/* perf_event_attr.type */
#define PERF_TYPE_TRACEPOINT 2

/* perf_event_attr.sample_type bits */
#define S_IP		(1ull << 0)
#define S_TID		(1ull << 1)
#define S_TIME		(1ull << 2)
#define S_ADDR		(1ull << 3)
#define S_READ		(1ull << 4)
#define S_CALLCHAIN	(1ull << 5)
#define S_ID		(1ull << 6)
#define S_CPU		(1ull << 7)
#define S_PERIOD	(1ull << 8)
#define S_STREAM_ID	(1ull << 9)
#define S_RAW		(1ull << 10)
#define S_IDENTIFIER	(1ull << 16)

/* perf_event_attr.read_format bits */
#define R_TOTAL_TIME_ENABLED	(1ull << 0)
#define R_TOTAL_TIME_RUNNING	(1ull << 1)
#define R_ID			(1ull << 2)
#define R_GROUP			(1ull << 3)
#define R_LOST			(1ull << 4)

/* perf_event_attr flags word (offset 40) */
#define ATTR_SAMPLE_ID_ALL	(1ull << 18)

/* Record types: the kernel's, then perf's own (>= 64). */
enum {
	REC_LOST = 2,
	REC_COMM = 3,
	REC_THROTTLE = 5,
	REC_FORK = 7,
	REC_SAMPLE = 9,
	REC_LOST_SAMPLES = 13,
	REC_HEADER_ATTR = 64,
	REC_HEADER_TRACING_DATA = 66,
	REC_AUXTRACE = 71,
	REC_HEADER_FEATURE = 80,
	REC_COMPRESSED = 81,
	REC_COMPRESSED2 = 83,
};

/* Feature bits (tools/perf/util/header.h). */
enum {
	FEAT_TRACING_DATA = 1,
	FEAT_BUILD_ID = 2,
	FEAT_HOSTNAME = 3,
	FEAT_OSRELEASE = 4,
	FEAT_ARCH = 6,
	FEAT_NRCPUS = 7,
	FEAT_COMPRESSED = 27,
};

/* HEADER_COMPRESSED's compression type for zstd, the only one perf writes. */
#define PERF_COMP_ZSTD 1
/*
 * The decompressed records are parsed from a buffer of this size; what is left of a record cut
 * between two compressed records (under 64 KiB: a record's size is a u16) stays at its start.
 */
#define PERF_UNZ_BUF (1u << 20)
/*
 * perf's ratio on page events is about 10 (20 at most on idle machines). Far more means a
 * decompression bomb, not a recording: it is refused before it fills the memory.
 */
#define PERF_UNZ_MAX_RATIO 1024
#define PERF_UNZ_SLACK (16u << 20)

/* Callchain context markers: every value from PERF_CONTEXT_MAX (-4095) up. */
#define PERF_CONTEXT_MAX	((uint64_t)-4095)
#define PERF_CONTEXT_KERNEL	((uint64_t)-128)

#define TRACING_MAGIC "\027\010\104tracing"
#define TRACING_MAGIC_LEN 10

struct perf_attr {
	uint64_t sample_type;
	uint64_t read_format;
	uint64_t config;
	uint64_t *ids;
	size_t nr_ids;
	uint32_t type;
	int kind;		/* a kmem kind, or PCR_EV_OTHER */
	bool sample_id_all;
};

/* Timeline items that are not events: they change the pid -> comm map at their time. */
enum { ITEM_EVENT, ITEM_COMM, ITEM_FORK };

struct perf_item {
	struct pcr_event ev;
	uint64_t seq;
	int32_t parent;		/* ITEM_FORK: the thread whose comm the child takes */
	uint32_t comm;		/* ITEM_COMM: index in the comm pool */
	uint8_t type;
};

struct comm_slot {
	int32_t pid;
	bool used;
	char comm[PCR_COMM_LEN];
};

/*
 * Page samples per CPU, and how many of them the idle task (pid 0) took: see idle_check().
 */
struct idle_tally {
	uint64_t page;
	uint64_t idle;
};

struct perfdata_source {
	struct pcr_source base;
	struct tep_handle *tep;
	struct pcr_kmem_layout layout[PCR_EV_NR];
	struct pcr_marker_layout markers[PCR_MAX_MARKERS];
	int nr_markers;
	struct pcr_depot *depot;
	struct pcr_flag_name *gfp_names;
	struct perf_attr *attrs;
	size_t nr_attrs;
	struct perf_item *items;
	size_t nr_items;
	size_t cap_items;
	char (*comms)[PCR_COMM_LEN];	/* pool of COMM record names */
	size_t nr_comms;
	size_t cap_comms;
	struct comm_slot *map;		/* pid -> comm, open addressing */
	size_t map_cap;
	size_t map_used;
	unsigned char *buf;		/* the whole input */
	size_t len;
	const char *name;		/* the file, or "standard input" */
	char *path;
	char *osrelease;
	char *hostname;
	char *arch;
	char kernel[256];
	char build_id[2 * 20 + 1];	/* the kernel's, hex, from HEADER_BUILD_ID */
	char loss_note[512];		/* why the idle check made the verdict inconclusive */
	struct idle_tally *tally;	/* per CPU, for the idle check */
	size_t nr_tally;
	ZSTD_DStream *zds;		/* perf record -z: the stream through the file */
	unsigned char *unz;		/* PERF_UNZ_BUF bytes of decompressed records */
	size_t unz_len;			/* of which the start of a record still cut */
	uint64_t unz_total;		/* bytes decompressed so far */
	uint64_t unz_in;		/* compressed bytes so far */
	uint64_t unz_rec;		/* file offset of the compressed record being read */
	uint64_t unz_base;		/* where pd->unz starts in the decompressed stream */
	uint32_t comp_type;		/* HEADER_COMPRESSED: 0 when absent */
	uint64_t seq;
	int max_cpu;
	int nr_cpus_feature;
	bool have_tracing;
	bool pipe;
	bool has_callchain;
	bool kinds_known;		/* attr_kinds() ran: no attr may come now */
	bool inflating;			/* parsing decompressed records */
};

/* ---- errors ---- */

static int perr(struct perfdata_source *pd, char *errmsg, int err, uint64_t off,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int perr(struct perfdata_source *pd, char *errmsg, int err, uint64_t off,
		const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* Inside compressed records @off counts decompressed bytes; name the record too. */
	if (pd->inflating)
		return pcr_errmsg(errmsg, err,
				  "%s: perf.data offset %" PRIu64 ", byte %" PRIu64 " of the records compressed with zstd (perf record -z): %s%s",
				  pd->name, pd->unz_rec, pd->unz_base + off, what,
				  err == -PCR_ERR_TRUNCATED ? " (the recording is truncated)" :
				  err == -PCR_ERR_FORMAT ? " (the file is corrupt)" : "");
	return pcr_errmsg(errmsg, err, "%s: perf.data offset %" PRIu64 ": %s%s", pd->name, off,
			  what, err == -PCR_ERR_TRUNCATED ?
			  " (the recording is truncated; record it again, or copy the whole file)" :
			  err == -PCR_ERR_FORMAT ? " (the file is corrupt)" : "");
}

/* ---- bounds-checked reading ---- */

static bool in_bounds(size_t len, uint64_t off, uint64_t size)
{
	return off <= len && size <= len - off;
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint16_t get_u16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* A cursor over [base, base + len) of the input, which sits at file offset @off. */
struct cursor {
	const unsigned char *p;
	size_t len;
	size_t pos;
	uint64_t off;
};

static bool cur_take(struct cursor *c, size_t n, const unsigned char **out)
{
	if (n > c->len - c->pos)
		return false;
	if (out)
		*out = c->p + c->pos;
	c->pos += n;
	return true;
}

static bool cur_u64(struct cursor *c, uint64_t *v)
{
	const unsigned char *p;

	if (!cur_take(c, 8, &p))
		return false;
	*v = get_u64(p);
	return true;
}

static bool cur_u32(struct cursor *c, uint32_t *v)
{
	const unsigned char *p;

	if (!cur_take(c, 4, &p))
		return false;
	*v = get_u32(p);
	return true;
}

static uint64_t cur_where(const struct cursor *c)
{
	return c->off + c->pos;
}

/* ---- the pid -> comm map ---- */

static struct comm_slot *comm_find(const struct perfdata_source *pd, int32_t pid)
{
	size_t i;

	if (!pd->map_cap)
		return NULL;
	for (i = (uint32_t)pid * 2654435761u % pd->map_cap; pd->map[i].used;
	     i = (i + 1) % pd->map_cap)
		if (pd->map[i].pid == pid)
			return &pd->map[i];
	return NULL;
}

static int comm_set(struct perfdata_source *pd, int32_t pid, const char *comm)
{
	struct comm_slot *slot;
	char copy[PCR_COMM_LEN];
	size_t i;

	/* @comm may be a slot of the map (a fork's parent), which growing it frees. */
	snprintf(copy, sizeof(copy), "%s", comm);
	if ((pd->map_used + 1) * 2 > pd->map_cap) {
		size_t cap = pd->map_cap ? pd->map_cap * 2 : 256;
		struct comm_slot *old = pd->map, *map = calloc(cap, sizeof(*map));
		size_t old_cap = pd->map_cap;

		if (!map)
			return -PCR_ERR_NOMEM;
		pd->map = map;
		pd->map_cap = cap;
		pd->map_used = 0;
		for (i = 0; i < old_cap; i++)
			if (old[i].used && comm_set(pd, old[i].pid, old[i].comm))
				return -PCR_ERR_NOMEM;
		free(old);
	}
	slot = comm_find(pd, pid);
	if (!slot) {
		for (i = (uint32_t)pid * 2654435761u % pd->map_cap; pd->map[i].used;
		     i = (i + 1) % pd->map_cap)
			;
		slot = &pd->map[i];
		slot->used = true;
		slot->pid = pid;
		pd->map_used++;
	}
	memcpy(slot->comm, copy, sizeof(copy));
	return 0;
}

static const char *perf_comm(void *ctx, int pid)
{
	struct perfdata_source *pd = ctx;
	const struct comm_slot *slot = comm_find(pd, pid);

	if (slot)
		return slot->comm;
	if (pd->tep && tep_is_pid_registered(pd->tep, pid))
		return tep_data_comm_from_pid(pd->tep, pid);
	return pid == 0 ? "<idle>" : "<...>";
}

/* ---- the timeline ---- */

static struct perf_item *new_item(struct perfdata_source *pd, uint8_t type)
{
	struct perf_item *it;

	if (pd->nr_items == pd->cap_items) {
		size_t cap = pd->cap_items ? pd->cap_items * 2 : 4096;
		struct perf_item *items = realloc(pd->items, cap * sizeof(*items));

		if (!items)
			return NULL;
		pd->items = items;
		pd->cap_items = cap;
	}
	it = &pd->items[pd->nr_items++];
	memset(it, 0, sizeof(*it));
	it->type = type;
	it->seq = pd->seq++;
	it->ev.migratetype = -1;
	return it;
}

static int cmp_items(const void *a, const void *b)
{
	const struct perf_item *x = a, *y = b;

	if (x->ev.ts_ns != y->ev.ts_ns)
		return x->ev.ts_ns < y->ev.ts_ns ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void see_cpu(struct perfdata_source *pd, uint32_t cpu)
{
	if (cpu < 65536 && (int)cpu > pd->max_cpu)
		pd->max_cpu = (int)cpu;
}

/* ---- attrs ---- */

static struct perf_attr *attr_by_id(const struct perfdata_source *pd, uint64_t id)
{
	size_t i, j;

	for (i = 0; i < pd->nr_attrs; i++)
		for (j = 0; j < pd->attrs[i].nr_ids; j++)
			if (pd->attrs[i].ids[j] == id)
				return &pd->attrs[i];
	return NULL;
}

/* Takes one perf_event_attr of @size bytes at @p and the @nr_ids sample ids at @ids. */
static int add_attr(struct perfdata_source *pd, const unsigned char *p, size_t size,
		    const unsigned char *ids, size_t nr_ids, uint64_t off, char *errmsg)
{
	struct perf_attr *attrs, *a;
	size_t i;

	if (size < PERF_ATTR_SIZE_MIN)
		return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
			    "a perf_event_attr of %zu bytes (at least %d expected)", size,
			    PERF_ATTR_SIZE_MIN);
	if (pd->nr_attrs >= 4096)
		return perr(pd, errmsg, -PCR_ERR_FORMAT, off, "more than 4096 event attrs");
	attrs = realloc(pd->attrs, (pd->nr_attrs + 1) * sizeof(*attrs));
	if (!attrs)
		return -PCR_ERR_NOMEM;
	pd->attrs = attrs;
	a = &attrs[pd->nr_attrs];
	memset(a, 0, sizeof(*a));
	a->type = get_u32(p);
	a->config = get_u64(p + 8);
	a->sample_type = get_u64(p + 24);
	a->read_format = get_u64(p + 32);
	a->sample_id_all = get_u64(p + 40) & ATTR_SAMPLE_ID_ALL;
	a->kind = PCR_EV_OTHER;
	if (nr_ids) {
		a->ids = malloc(nr_ids * sizeof(*a->ids));
		if (!a->ids)
			return -PCR_ERR_NOMEM;
		for (i = 0; i < nr_ids; i++)
			a->ids[i] = get_u64(ids + 8 * i);
		a->nr_ids = nr_ids;
	}
	if (a->sample_type & S_CALLCHAIN)
		pd->has_callchain = true;
	pd->nr_attrs++;
	return 0;
}

/*
 * Which attr a record belongs to. With PERF_SAMPLE_IDENTIFIER the id sits at a fixed place;
 * without it perf requires every attr to share the sample layout, so the first one tells where
 * the id is.
 */
static bool all_have(const struct perfdata_source *pd, uint64_t bit)
{
	size_t i;

	for (i = 0; i < pd->nr_attrs; i++)
		if (!(pd->attrs[i].sample_type & bit))
			return false;
	return pd->nr_attrs > 0;
}

/* ---- tracing data (HEADER_TRACING_DATA) ---- */

static int tracing_string(struct cursor *c, char *out, size_t size)
{
	const unsigned char *p = c->p + c->pos;
	const unsigned char *end = memchr(p, '\0', c->len - c->pos);
	size_t n;

	if (!end)
		return -1;
	n = (size_t)(end - p);
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), (const char *)p);
	c->pos += n + 1;
	return 0;
}

/* A NUL-terminated copy of @n bytes, for the libtraceevent parsers that want a C string. */
static char *dup_text(const unsigned char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/*
 * One event format of the tracing data: "u64 size, text". Only the events this reader reads (page
 * events, boot markers) are parsed, and only once they pass the kernel's grammar (tepcheck.c).
 */
static int take_format(struct perfdata_source *pd, struct cursor *c, const char *sys,
		       char *errmsg)
{
	char name[128], why[PCR_TEPCHECK_WHY];
	const unsigned char *data;
	uint64_t size, at;
	int ret;

	if (!cur_u64(c, &size) || !cur_take(c, size, &data))
		return perr(pd, errmsg, -PCR_ERR_TRUNCATED, cur_where(c),
			    "the tracing data (event formats) ends early");
	at = cur_where(c) - size;
	ret = pcr_tep_check_event((const char *)data, size, name, sizeof(name), why);
	/* The others never reach libtraceevent: whatever they hold does not matter here. */
	if (!pcr_kmem_wanted(sys, name) && !pcr_kmem_marker_wanted(sys, name))
		return 0;
	if (ret)
		return perr(pd, errmsg, -PCR_ERR_FORMAT, at,
			    "the format of event %s:%s is not one a kernel writes (%s)", sys, name,
			    why);
	if (tep_parse_event(pd->tep, (const char *)data, size, sys))
		return perr(pd, errmsg, -PCR_ERR_FORMAT, at,
			    "libtraceevent cannot parse the format of event %s:%s", sys, name);
	return 0;
}

static int parse_tracing(struct perfdata_source *pd, const unsigned char *p, size_t len,
			 uint64_t off, char *errmsg)
{
	struct cursor c = { .p = p, .len = len, .off = off };
	const unsigned char *data;
	char version[16], sys[256], why[PCR_TEPCHECK_WHY];
	uint32_t count, nsys, size32, i, j, page_size;
	uint64_t size;
	unsigned char endian, long_size;
	char *text;
	int ret;

	if (pd->have_tracing)
		return perr(pd, errmsg, -PCR_ERR_FORMAT, off, "a second block of tracing data");
	if (!cur_take(&c, TRACING_MAGIC_LEN, &data) || memcmp(data, TRACING_MAGIC,
							     TRACING_MAGIC_LEN))
		return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
			    "the tracing data does not start with its magic");
	if (tracing_string(&c, version, sizeof(version)) || !cur_take(&c, 1, &data))
		goto truncated;
	endian = data[0];
	if (!cur_take(&c, 1, &data))
		goto truncated;
	long_size = data[0];
	if (!cur_u32(&c, &page_size))
		goto truncated;
	if (endian)
		return perr(pd, errmsg, -PCR_ERR_FORMAT, cur_where(&c),
			    "big-endian tracing data, which this reader does not decode");
	if (long_size != 4 && long_size != 8)
		return perr(pd, errmsg, -PCR_ERR_FORMAT, cur_where(&c), "long size %u",
			    long_size);
	pd->tep = tep_alloc();
	if (!pd->tep)
		return -PCR_ERR_NOMEM;
	tep_set_flag(pd->tep, TEP_NSEC_OUTPUT);
	tep_set_file_bigendian(pd->tep, TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(pd->tep, TEP_LITTLE_ENDIAN);
	tep_set_long_size(pd->tep, long_size);
	tep_set_page_size(pd->tep, (int)page_size);

	/* header_page, header_event: "name\0", u64 size, text */
	if (!cur_take(&c, 12, &data) || memcmp(data, "header_page", 12))
		return perr(pd, errmsg, -PCR_ERR_FORMAT, cur_where(&c),
			    "no header_page in the tracing data");
	/*
	 * header_page describes ftrace's ring buffer pages, which a perf.data does not hold:
	 * it is not parsed, so that no malformed one reaches tep_parse_header_page().
	 */
	if (!cur_u64(&c, &size) || !cur_take(&c, size, NULL))
		goto truncated;
	if (!cur_take(&c, 13, &data) || memcmp(data, "header_event", 13))
		return perr(pd, errmsg, -PCR_ERR_FORMAT, cur_where(&c),
			    "no header_event in the tracing data");
	if (!cur_u64(&c, &size) || !cur_take(&c, size, NULL))
		goto truncated;

	/* ftrace's own event formats, then each system's */
	if (!cur_u32(&c, &count))
		goto truncated;
	for (i = 0; i < count; i++) {
		ret = take_format(pd, &c, "ftrace", errmsg);
		if (ret)
			return ret;
	}
	if (!cur_u32(&c, &nsys))
		goto truncated;
	for (i = 0; i < nsys; i++) {
		if (tracing_string(&c, sys, sizeof(sys)) || !cur_u32(&c, &count))
			goto truncated;
		for (j = 0; j < count; j++) {
			ret = take_format(pd, &c, sys, errmsg);
			if (ret)
				return ret;
		}
	}

	/* kallsyms and printk formats: u32 size, text; then (0.6) saved cmdlines: u64 size */
	if (!cur_u32(&c, &size32) || !cur_take(&c, size32, &data))
		goto truncated;
	if (size32) {
		if (pcr_tep_check_kallsyms((const char *)data, size32, why))
			return perr(pd, errmsg, -PCR_ERR_FORMAT, cur_where(&c) - size32,
				    "kallsyms in the tracing data, %s", why);
		text = dup_text(data, size32);
		if (!text)
			return -PCR_ERR_NOMEM;
		tep_parse_kallsyms(pd->tep, text);
		free(text);
	}
	/*
	 * The printk formats only name trace_printk() strings, which no page event uses; they
	 * are skipped: libtraceevent 1.7.1's tep_parse_printk_formats() reads before its buffer
	 * on some malformed texts (found by tests/fuzz/fuzz_perfdata).
	 */
	if (!cur_u32(&c, &size32) || !cur_take(&c, size32, NULL))
		goto truncated;
	if (strcmp(version, "0.6") >= 0 && c.pos < c.len) {
		if (!cur_u64(&c, &size) || !cur_take(&c, size, &data))
			goto truncated;
		if (size) {
			if (pcr_tep_check_cmdlines((const char *)data, size, why))
				return perr(pd, errmsg, -PCR_ERR_FORMAT, cur_where(&c) - size,
					    "saved cmdlines in the tracing data, %s", why);
			text = dup_text(data, size);
			if (!text)
				return -PCR_ERR_NOMEM;
			tep_parse_saved_cmdlines(pd->tep, text);
			free(text);
		}
	}
	pd->have_tracing = true;
	pd->nr_markers = pcr_kmem_find_markers(pd->markers, PCR_MAX_MARKERS, pd->tep);
	pd->base.info.has_hooks = pcr_kmem_markers_have(pd->markers, pd->nr_markers,
							PCR_EV_HOOK_ALLOC);
	pd->base.info.has_isolation = pcr_kmem_markers_have(pd->markers, pd->nr_markers,
							    PCR_EV_ISOLATE);
	ret = pcr_kmem_find_layouts(pd->layout, pd->tep, pd->name, errmsg);
	return ret < 0 ? ret : 0;

truncated:
	return perr(pd, errmsg, -PCR_ERR_TRUNCATED, cur_where(&c),
		    "the tracing data (event formats) ends early");
}

/* ---- features ---- */

/* perf_header_string: u32 len, then len bytes holding a NUL-terminated string. */
static char *feature_string(const unsigned char *p, size_t len)
{
	uint32_t n;

	if (len < 4)
		return NULL;
	n = get_u32(p);
	if (n > len - 4)
		return NULL;
	return dup_text(p + 4, strnlen((const char *)p + 4, n));
}

/*
 * HEADER_BUILD_ID: build_id_event records, each u32 type, u16 misc, u16 size, s32 pid, 24 bytes
 * of build id, then the file name NUL-padded to size; the kernel's name is "[kernel.kallsyms]".
 * Newer perf sets PERF_RECORD_MISC_BUILD_ID_SIZE (bit 15 of misc) and keeps the id's length in
 * byte 20; older perf wrote 20-byte SHA-1 ids only. A malformed list is passed over: the build
 * id only checks a --vmlinux.
 */
static void take_build_ids(struct perfdata_source *pd, const unsigned char *p, size_t len)
{
	size_t off = 0;

	while (len - off >= 36) {
		uint16_t misc = get_u16(p + off + 4), size = get_u16(p + off + 6);
		const unsigned char *id = p + off + 12;
		const char *name = (const char *)p + off + 36;
		size_t idlen = misc & (1u << 15) ? id[20] : 20, i;

		if (size < 36 || size > len - off)
			return;
		if (idlen && idlen <= 20 && memchr(name, '\0', size - 36u) &&
		    !strcmp(name, "[kernel.kallsyms]"))
			for (i = 0; i < idlen; i++)
				snprintf(pd->build_id + 2 * i, 3, "%02x", id[i]);
		off += size;
	}
}

static int take_feature(struct perfdata_source *pd, int feat, const unsigned char *p, size_t len,
			uint64_t off, char *errmsg)
{
	char **slot = NULL;

	switch (feat) {
	case FEAT_TRACING_DATA:
		return parse_tracing(pd, p, len, off, errmsg);
	case FEAT_BUILD_ID:
		take_build_ids(pd, p, len);
		return 0;
	case FEAT_OSRELEASE:
		slot = &pd->osrelease;
		break;
	case FEAT_HOSTNAME:
		slot = &pd->hostname;
		break;
	case FEAT_ARCH:
		slot = &pd->arch;
		break;
	case FEAT_NRCPUS:
		if (len >= 4 && get_u32(p) <= 65536)
			pd->nr_cpus_feature = (int)get_u32(p);
		return 0;
	case FEAT_COMPRESSED:
		/* u32 version, type, level, ratio, mmap_len */
		if (len < 8)
			return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
				    "a compression header of %zu bytes", len);
		pd->comp_type = get_u32(p + 4);
		return 0;
	default:
		return 0;
	}
	free(*slot);
	*slot = feature_string(p, len);
	return 0;
}

/* ---- records ---- */

/* The sample_id_all trailer of a non-sample record: TID, TIME, ID, STREAM_ID, CPU, IDENTIFIER. */
struct sample_id {
	uint64_t ts;
	uint32_t pid;
	uint32_t cpu;
	bool have_ts;
	bool have_cpu;
};

static int trailer_size(uint64_t st)
{
	return 8 * (!!(st & S_TID) + !!(st & S_TIME) + !!(st & S_ID) + !!(st & S_STREAM_ID) +
		    !!(st & S_CPU) + !!(st & S_IDENTIFIER));
}

static void parse_trailer(const struct perfdata_source *pd, const unsigned char *body,
			  size_t len, struct sample_id *sid)
{
	const struct perf_attr *a = NULL;
	const unsigned char *p;
	uint64_t st;
	int n;

	memset(sid, 0, sizeof(*sid));
	if (!pd->nr_attrs)
		return;
	if (all_have(pd, S_IDENTIFIER) && len >= 8)
		a = attr_by_id(pd, get_u64(body + len - 8));
	if (!a)
		a = &pd->attrs[0];
	if (!a->sample_id_all)
		return;
	st = a->sample_type;
	n = trailer_size(st);
	if ((size_t)n > len)
		return;
	p = body + len - n;
	if (st & S_TID) {
		sid->pid = get_u32(p + 4);
		p += 8;
	}
	if (st & S_TIME) {
		sid->ts = get_u64(p);
		sid->have_ts = true;
		p += 8;
	}
	p += 8 * (!!(st & S_ID) + !!(st & S_STREAM_ID));
	if (st & S_CPU) {
		sid->cpu = get_u32(p);
		sid->have_cpu = true;
	}
}

static int add_lost(struct perfdata_source *pd, const unsigned char *body, size_t len,
		    uint64_t count, bool known)
{
	struct sample_id sid;
	struct perf_item *it;

	parse_trailer(pd, body, len, &sid);
	it = new_item(pd, ITEM_EVENT);
	if (!it)
		return -PCR_ERR_NOMEM;
	it->ev.kind = PCR_EV_LOST;
	it->ev.lost = known ? count : 0;
	it->ev.ts_ns = sid.ts;
	it->ev.cpu = (uint16_t)sid.cpu;
	if (sid.have_cpu)
		see_cpu(pd, sid.cpu);
	return 0;
}

static int add_comm(struct perfdata_source *pd, const unsigned char *body, size_t len)
{
	struct sample_id sid;
	struct perf_item *it;
	size_t n;

	if (len < 8)
		return 0;
	parse_trailer(pd, body, len, &sid);
	if (pd->nr_comms == pd->cap_comms) {
		size_t cap = pd->cap_comms ? pd->cap_comms * 2 : 256;
		char (*comms)[PCR_COMM_LEN] = realloc(pd->comms, cap * sizeof(*comms));

		if (!comms)
			return -PCR_ERR_NOMEM;
		pd->comms = comms;
		pd->cap_comms = cap;
	}
	n = strnlen((const char *)body + 8, len - 8);
	if (n >= PCR_COMM_LEN)
		n = PCR_COMM_LEN - 1;
	memcpy(pd->comms[pd->nr_comms], body + 8, n);
	pd->comms[pd->nr_comms][n] = '\0';
	it = new_item(pd, ITEM_COMM);
	if (!it)
		return -PCR_ERR_NOMEM;
	it->ev.pid = (int32_t)get_u32(body + 4);	/* the thread */
	it->ev.ts_ns = sid.ts;
	it->comm = (uint32_t)pd->nr_comms++;
	return 0;
}

static int add_fork(struct perfdata_source *pd, const unsigned char *body, size_t len)
{
	struct perf_item *it;

	/* pid, ppid, tid, ptid, time */
	if (len < 24)
		return 0;
	it = new_item(pd, ITEM_FORK);
	if (!it)
		return -PCR_ERR_NOMEM;
	it->ev.pid = (int32_t)get_u32(body + 8);
	it->parent = (int32_t)get_u32(body + 12);
	it->ev.ts_ns = get_u64(body + 16);
	return 0;
}

/* The kernel frames of a callchain, markers skipped, into the depot. */
static int take_callchain(struct perfdata_source *pd, const unsigned char *ips, uint64_t nr,
			  uint32_t *stack_id)
{
	uint64_t frames[PCR_MAX_FRAMES];
	unsigned int n = 0;
	bool kernel = true;
	uint64_t i;

	*stack_id = 0;
	for (i = 0; i < nr; i++) {
		uint64_t ip = get_u64(ips + 8 * i);

		if (ip >= PERF_CONTEXT_MAX) {
			kernel = ip == PERF_CONTEXT_KERNEL;
			continue;
		}
		if (kernel && n < PCR_MAX_FRAMES)
			frames[n++] = ip;
	}
	pd->base.info.stacks.records++;
	if (!n)
		return 0;
	return pcr_depot_add(pd->depot, frames, n, stack_id);
}

/* Counts a page sample of @cpu for the idle check; @idle: the idle task took it. */
static int tally_page(struct perfdata_source *pd, uint32_t cpu, bool idle)
{
	if (cpu >= pd->nr_tally) {
		size_t n = cpu + 1u > 2 * pd->nr_tally ? cpu + 1u : 2 * pd->nr_tally;
		struct idle_tally *t = realloc(pd->tally, n * sizeof(*t));

		if (!t)
			return -PCR_ERR_NOMEM;
		memset(t + pd->nr_tally, 0, (n - pd->nr_tally) * sizeof(*t));
		pd->tally = t;
		pd->nr_tally = n;
	}
	pd->tally[cpu].page++;
	pd->tally[cpu].idle += idle;
	return 0;
}

/*
 * The idle check. A kernel can drop a tracepoint sample after counting it and write neither
 * the sample nor a LOST record: on the 6.18 kernel these recordings come from, every page
 * event the idle task (pid 0) hits in softirq on CPU 1 (RCU callbacks freeing page tables,
 * for example) is counted by the perf event and never written, while ftrace records it (see
 * README, "perf loses the idle CPU's page events"). Those frees are then missing and their
 * pages look allocated twice. Nothing in the file names the loss; its signature is a CPU with
 * page samples of which not one is the idle task's, although a CPU that ever idles runs such
 * softirqs. Each such CPU gets a lost notice of unknown size after the last sample, which
 * makes the verdict inconclusive (a CPU that really never idled is judged the same way: the
 * file cannot tell the two apart). A CPU with no page sample at all is not judged.
 */
static int idle_check(struct perfdata_source *pd)
{
	uint64_t last = 0;
	size_t i, n = 0;
	int len = 0;

	for (i = 0; i < pd->nr_items; i++)
		if (pd->items[i].ev.ts_ns > last)
			last = pd->items[i].ev.ts_ns;
	for (i = 0; i < pd->nr_tally; i++) {
		struct perf_item *it;

		if (!pd->tally[i].page || pd->tally[i].idle)
			continue;
		it = new_item(pd, ITEM_EVENT);
		if (!it)
			return -PCR_ERR_NOMEM;
		it->ev.kind = PCR_EV_LOST;
		it->ev.cpu = (uint16_t)i;
		it->ev.ts_ns = last;
		if (len >= 0 && (size_t)len < sizeof(pd->loss_note))
			len += snprintf(pd->loss_note + len, sizeof(pd->loss_note) - (size_t)len,
					"%sCPU %zu (%" PRIu64 " page samples)", n ? ", " : "", i,
					pd->tally[i].page);
		n++;
	}
	if (!n)
		return 0;
	if (len >= 0 && (size_t)len < sizeof(pd->loss_note))
		snprintf(pd->loss_note + len, sizeof(pd->loss_note) - (size_t)len,
			 " %s no sample of the idle task (pid 0): perf drops, without a LOST record, the page events of an idle CPU's softirqs (RCU frees among them); record with trace-cmd (pagecheck-replay record, or trace-cmd record -d --no-filter -e kmem:...), which keeps them",
			 n > 1 ? "hold" : "holds");
	pd->base.info.loss_note = pd->loss_note;
	return 0;
}

/* The bytes a PERF_SAMPLE_READ value takes. */
static bool skip_read(struct cursor *c, uint64_t rf)
{
	uint64_t nr, per;

	if (!(rf & R_GROUP))
		return cur_take(c, 8 * (1 + !!(rf & R_TOTAL_TIME_ENABLED) +
					!!(rf & R_TOTAL_TIME_RUNNING) + !!(rf & R_ID) +
					!!(rf & R_LOST)), NULL);
	if (!cur_u64(c, &nr) ||
	    !cur_take(c, 8 * (!!(rf & R_TOTAL_TIME_ENABLED) + !!(rf & R_TOTAL_TIME_RUNNING)),
		      NULL))
		return false;
	per = 8 * (1 + !!(rf & R_ID) + !!(rf & R_LOST));
	if (nr > (c->len - c->pos) / per)
		return false;
	return cur_take(c, nr * per, NULL);
}

/* The larger of @need and the end of field @f in a record. */
static uint32_t field_end(const struct tep_format_field *f, uint32_t need)
{
	uint64_t end;

	if (!f || f->offset < 0 || f->size < 0)
		return need;
	end = (uint64_t)f->offset + (uint64_t)f->size;
	return end > need ? (uint32_t)(end > UINT32_MAX ? UINT32_MAX : end) : need;
}

static int add_sample(struct perfdata_source *pd, const unsigned char *body, size_t len,
		      uint64_t off, char *errmsg)
{
	struct cursor c = { .p = body, .len = len, .off = off };
	const struct perf_attr *a = NULL;
	const unsigned char *raw = NULL, *ips = NULL, *p;
	struct tep_record rec;
	struct perf_item *it;
	uint64_t st, v, nr = 0, id;
	uint32_t raw_size = 0, pid = 0, cpu = 0, need = 0;
	const struct pcr_kmem_layout *l;
	int ret, k;

	if (!pd->nr_attrs)
		return perr(pd, errmsg, -PCR_ERR_FORMAT, off, "a sample before any event attr");
	if (all_have(pd, S_IDENTIFIER)) {
		if (len < 8)
			goto short_sample;
		id = get_u64(body);
		a = attr_by_id(pd, id);
		if (!a && pd->nr_attrs > 1)
			return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
				    "a sample of an unknown event id %" PRIu64, id);
	} else if (pd->nr_attrs > 1) {
		st = pd->attrs[0].sample_type;
		if (!(st & S_ID))
			return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
				    "several events, but samples carry no id");
		v = 8 * (!!(st & S_IP) + !!(st & S_TID) + !!(st & S_TIME) + !!(st & S_ADDR));
		if (!in_bounds(len, v, 8))
			goto short_sample;
		id = get_u64(body + v);
		a = attr_by_id(pd, id);
		if (!a)
			return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
				    "a sample of an unknown event id %" PRIu64, id);
	}
	if (!a)
		a = &pd->attrs[0];
	st = a->sample_type;

	if ((st & S_IDENTIFIER) && !cur_take(&c, 8, NULL))
		goto short_sample;
	if ((st & S_IP) && !cur_take(&c, 8, NULL))
		goto short_sample;
	if (st & S_TID) {
		if (!cur_take(&c, 8, &p))
			goto short_sample;
		pid = get_u32(p + 4);	/* the thread, as ftrace's common_pid */
	}
	it = NULL;
	v = 0;
	if ((st & S_TIME) && !cur_u64(&c, &v))
		goto short_sample;
	if ((st & S_ADDR) && !cur_take(&c, 8, NULL))
		goto short_sample;
	if ((st & S_ID) && !cur_take(&c, 8, NULL))
		goto short_sample;
	if ((st & S_STREAM_ID) && !cur_take(&c, 8, NULL))
		goto short_sample;
	if (st & S_CPU) {
		if (!cur_take(&c, 8, &p))
			goto short_sample;
		cpu = get_u32(p);
		if (cpu >= 65536)
			return perr(pd, errmsg, -PCR_ERR_FORMAT, off, "a sample of cpu %" PRIu32,
				    cpu);
	}
	if ((st & S_PERIOD) && !cur_take(&c, 8, NULL))
		goto short_sample;
	if ((st & S_READ) && !skip_read(&c, a->read_format))
		goto short_sample;
	if (st & S_CALLCHAIN) {
		if (!cur_u64(&c, &nr) || nr > (c.len - c.pos) / 8 || !cur_take(&c, nr * 8, &ips))
			goto short_sample;
	}
	if (st & S_RAW) {
		if (!cur_u32(&c, &raw_size) || !cur_take(&c, raw_size, &raw))
			goto short_sample;
	}
	/* What follows RAW (branch stack, registers, ...) is not needed. */

	see_cpu(pd, cpu);
	it = new_item(pd, ITEM_EVENT);
	if (!it)
		return -PCR_ERR_NOMEM;
	it->ev.ts_ns = v;
	it->ev.cpu = (uint16_t)cpu;
	it->ev.pid = (int32_t)pid;
	k = a->kind;
	memset(&rec, 0, sizeof(rec));
	rec.ts = v;
	rec.cpu = (int)cpu;
	rec.size = (int)raw_size;
	rec.data = (void *)raw;
	if (k == PCR_EV_OTHER || !raw) {
		it->ev.kind = PCR_EV_OTHER;
		/* A boot marker, when the sample's raw data is one (its first u16 is the id). */
		if (raw && raw_size >= 2 && pd->nr_markers)
			pcr_kmem_read_marker(pd->tep, pd->markers, pd->nr_markers, get_u16(raw),
					     &rec, &it->ev);
		return 0;
	}
	l = &pd->layout[k];
	need = field_end(l->pfn, need);
	need = field_end(l->order, need);
	if (k == PCR_EV_ALLOC) {
		need = field_end(l->gfp, need);
		need = field_end(l->migratetype, need);
	}
	if (raw_size < need || raw_size < 2)
		return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
			    "a %s sample whose raw data holds %" PRIu32 " bytes (%" PRIu32
			    " needed)", pcr_kmem_event_name(k), raw_size, need);
	if (get_u16(raw) != (uint16_t)l->id)
		return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
			    "a %s sample whose raw data is of event %u, not %d",
			    pcr_kmem_event_name(k), get_u16(raw), l->id);
	if (pcr_kmem_read(pd->tep, l, k, &rec, &it->ev))
		return perr(pd, errmsg, -PCR_ERR_FORMAT, off, "a %s sample with order %" PRIu64,
			    pcr_kmem_event_name(k), pcr_kmem_field(pd->tep, l->order, &rec));
	if ((st & S_TID) && tally_page(pd, cpu, pid == 0))
		return -PCR_ERR_NOMEM;
	if (ips && pd->depot) {
		ret = take_callchain(pd, ips, nr, &it->ev.stack_id);
		if (ret)
			return ret;
		if (it->ev.stack_id)
			pd->base.info.stacks.paired++;
		else
			pd->base.info.stacks.stackless++;
	} else if (pd->has_callchain) {
		pd->base.info.stacks.stackless++;
	}
	return 0;

short_sample:
	return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
		    "a sample record of %zu bytes is shorter than its sample_type 0x%" PRIx64
		    " needs", len + 8, a ? a->sample_type : 0);
}

/* Gives each tracepoint attr its kmem kind, once the formats are known. */
static void attr_kinds(struct perfdata_source *pd)
{
	size_t i;
	int k;

	for (i = 0; i < pd->nr_attrs; i++) {
		struct perf_attr *a = &pd->attrs[i];

		a->kind = PCR_EV_OTHER;
		if (a->type != PERF_TYPE_TRACEPOINT || !pd->have_tracing || a->config > INT32_MAX)
			continue;
		k = pcr_kmem_kind_of(pd->layout, (int)a->config);
		if (k != PCR_EV_NONE)
			a->kind = k;
	}
}

static int inflate_records(struct perfdata_source *pd, const unsigned char *data, size_t n,
			   char *errmsg);

/*
 * Walks the records of [off, end) in @buf. In pipe mode the attrs and the tracing data come as
 * records; their tracing data follows HEADER_TRACING_DATA's 16 bytes and is skipped here.
 * With @cut (records decompressed from perf record -z), a record cut by the end of @buf
 * is not an error: the walk stops there and *@cut tells where it starts.
 */
static int parse_records(struct perfdata_source *pd, const unsigned char *buf, uint64_t off,
			 uint64_t end, uint64_t *cut, char *errmsg)
{
	int ret;

	while (off < end) {
		const unsigned char *h = buf + off, *body;
		uint32_t type;
		uint16_t size;
		size_t len;

		if (end - off < 8 && cut)
			break;
		if (end - off < 8)
			return perr(pd, errmsg, -PCR_ERR_TRUNCATED, off,
				    "a record header cut after %" PRIu64 " bytes", end - off);
		type = get_u32(h);
		size = get_u16(h + 6);
		if (size < 8)
			return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
				    "a record (type %" PRIu32 ") of %u bytes", type, size);
		if (size > end - off && cut)
			break;
		if (size > end - off)
			return perr(pd, errmsg, -PCR_ERR_TRUNCATED, off,
				    "a record (type %" PRIu32 ") of %u bytes, %" PRIu64
				    " left", type, size, end - off);
		body = h + 8;
		len = size - 8u;
		/* perf compresses only what the kernel's buffers hold: no metadata, no nesting. */
		if (cut && (type == REC_HEADER_TRACING_DATA || type == REC_AUXTRACE ||
			    type == REC_COMPRESSED || type == REC_COMPRESSED2))
			return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
				    "a record of type %" PRIu32 " inside compressed records", type);
		if (type == REC_SAMPLE && !pd->kinds_known) {
			attr_kinds(pd);
			pd->kinds_known = true;
		}
		switch (type) {
		case REC_SAMPLE:
			ret = add_sample(pd, body, len, off, errmsg);
			break;
		case REC_LOST:
			ret = len < 16 ? 0 : add_lost(pd, body, len, get_u64(body + 8), true);
			break;
		case REC_LOST_SAMPLES:
			ret = len < 8 ? 0 : add_lost(pd, body, len, get_u64(body), true);
			break;
		case REC_THROTTLE:
			/* Samples dropped while the event was throttled: an unknown number. */
			ret = add_lost(pd, body, len, 0, false);
			break;
		case REC_COMM:
			ret = add_comm(pd, body, len);
			break;
		case REC_FORK:
			ret = add_fork(pd, body, len);
			break;
		case REC_HEADER_ATTR: {
			uint32_t asize = len >= 8 ? get_u32(body + 4) : 0;

			if (!asize)
				asize = 64;	/* PERF_ATTR_SIZE_VER0 */
			if (asize > len || (len - asize) % 8)
				return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
					    "an attr record of %zu bytes with an attr of %" PRIu32,
					    len, asize);
			if (pd->kinds_known)
				return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
					    "an event attr after the first sample");
			ret = add_attr(pd, body, asize, body + asize, (len - asize) / 8, off,
				       errmsg);
			break;
		}
		case REC_HEADER_TRACING_DATA: {
			uint32_t tsize = len >= 4 ? get_u32(body) : 0;

			if (len < 4)
				return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
					    "a tracing data record of %u bytes", size);
			if (!in_bounds(end, off + size, tsize))
				return perr(pd, errmsg, -PCR_ERR_TRUNCATED, off + size,
					    "%" PRIu32 " bytes of tracing data, %" PRIu64 " left",
					    tsize, end - off - size);
			if (pd->kinds_known)
				return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
					    "the tracing data after the first sample");
			ret = parse_tracing(pd, buf + off + size, tsize, off + size, errmsg);
			if (ret)
				return ret;
			off += tsize;
			break;
		}
		case REC_HEADER_FEATURE:
			ret = len < 8 ? 0 : get_u64(body) >= PERF_FEAT_BITS ? 0 :
			      take_feature(pd, (int)get_u64(body), body + 8, len - 8,
					   off + 16, errmsg);
			break;
		case REC_AUXTRACE: {
			uint64_t asize = len >= 8 ? get_u64(body) : 0;

			if (!in_bounds(end, off + size, asize))
				return perr(pd, errmsg, -PCR_ERR_TRUNCATED, off,
					    "%" PRIu64 " bytes of AUX data, %" PRIu64 " left", asize,
					    end - off - size);
			off += asize;
			ret = 0;
			break;
		}
		case REC_COMPRESSED:
			pd->unz_rec = off;
			ret = inflate_records(pd, body, len, errmsg);
			break;
		case REC_COMPRESSED2: {
			/* u64 data_size, the data, then padding to 8 bytes */
			uint64_t dsize = len >= 8 ? get_u64(body) : UINT64_MAX;

			if (dsize > len - 8)
				return perr(pd, errmsg, -PCR_ERR_FORMAT, off,
					    "a compressed record of %u bytes holding %" PRIu64
					    " bytes of data", size, dsize);
			pd->unz_rec = off;
			ret = inflate_records(pd, body + 8, dsize, errmsg);
			break;
		}
		default:
			ret = 0;
			break;
		}
		if (ret)
			return ret;
		off += size;
	}
	if (cut) {
		*cut = off;
		return 0;
	}
	if (pd->unz_len)
		return perr(pd, errmsg, -PCR_ERR_TRUNCATED, pd->unz_rec,
			    "the compressed records end inside a record (%zu bytes of it)",
			    pd->unz_len);
	if (!pd->kinds_known)
		attr_kinds(pd);
	return 0;
}

/*
 * Decompresses the @n bytes of one COMPRESSED record into pd->unz, after the start of a record
 * the previous one left cut, and parses every whole record there as if it were in the file.
 */
static int inflate_records(struct perfdata_source *pd, const unsigned char *data, size_t n,
			   char *errmsg)
{
	ZSTD_inBuffer in = { data, n, 0 };
	uint64_t cut;
	bool full;
	int ret;

	if (pd->comp_type != PERF_COMP_ZSTD)
		return perr(pd, errmsg, -PCR_ERR_FORMAT, pd->unz_rec,
			    "compressed records, but the header says compression type %" PRIu32
			    ", not zstd (1)", pd->comp_type);
	if (!pd->zds) {
		pd->zds = ZSTD_createDStream();
		pd->unz = malloc(PERF_UNZ_BUF);
		if (!pd->zds || !pd->unz)
			return -PCR_ERR_NOMEM;
		ZSTD_initDStream(pd->zds);
	}
	pd->unz_in += n;
	do {
		ZSTD_outBuffer out = { pd->unz + pd->unz_len, PERF_UNZ_BUF - pd->unz_len, 0 };
		size_t r, in_was = in.pos, have;

		r = ZSTD_decompressStream(pd->zds, &out, &in);
		if (ZSTD_isError(r))
			return perr(pd, errmsg, -PCR_ERR_FORMAT, pd->unz_rec,
				    "corrupt zstd data in a compressed record: %s",
				    ZSTD_getErrorName(r));
		if (!out.pos && in.pos == in_was)
			return perr(pd, errmsg, -PCR_ERR_FORMAT, pd->unz_rec,
				    "zstd data that does not decompress");
		full = out.pos == out.size;
		pd->unz_total += out.pos;
		if (pd->unz_total > PERF_UNZ_SLACK + PERF_UNZ_MAX_RATIO * pd->unz_in)
			return perr(pd, errmsg, -PCR_ERR_FORMAT, pd->unz_rec,
				    "%" PRIu64 " compressed bytes give more than %" PRIu64
				    " bytes: not what perf writes", pd->unz_in, pd->unz_total);
		have = pd->unz_len + out.pos;
		pd->unz_base = pd->unz_total - have;
		pd->inflating = true;
		ret = parse_records(pd, pd->unz, 0, have, &cut, errmsg);
		pd->inflating = false;
		if (ret)
			return ret;
		/* cut <= have: what is left is less than a record, under 64 KiB. */
		pd->unz_len = have - (size_t)cut;
		memmove(pd->unz, pd->unz + cut, pd->unz_len);
	} while (in.pos < in.size || full);
	return 0;
}

/* ---- file mode ---- */

static int parse_file_header(struct perfdata_source *pd, char *errmsg)
{
	const unsigned char *h = pd->buf;
	uint64_t hsize, attr_size, attrs_off, attrs_size, data_off, data_size, feat_off;
	uint64_t i, n;
	int bit, nfeat = 0, ret;

	if (pd->len < PERF_FILE_HEADER_SIZE)
		return perr(pd, errmsg, -PCR_ERR_TRUNCATED, pd->len,
			    "the file header needs %d bytes, the file has %zu",
			    PERF_FILE_HEADER_SIZE, pd->len);
	hsize = get_u64(h + 8);
	attr_size = get_u64(h + 16);
	attrs_off = get_u64(h + 24);
	attrs_size = get_u64(h + 32);
	data_off = get_u64(h + 40);
	data_size = get_u64(h + 48);
	if (hsize < PERF_FILE_HEADER_SIZE)
		return perr(pd, errmsg, -PCR_ERR_FORMAT, 8, "a file header of %" PRIu64 " bytes",
			    hsize);
	if (attr_size < PERF_ATTR_SIZE_MIN + 16 || attr_size > 4096)
		return perr(pd, errmsg, -PCR_ERR_FORMAT, 16, "attr entries of %" PRIu64 " bytes",
			    attr_size);
	if (!in_bounds(pd->len, attrs_off, attrs_size))
		return perr(pd, errmsg, -PCR_ERR_TRUNCATED, 24,
			    "the attr section [%" PRIu64 ", +%" PRIu64 ") lies past the end (%zu bytes)",
			    attrs_off, attrs_size, pd->len);
	if (!in_bounds(pd->len, data_off, data_size))
		return perr(pd, errmsg, -PCR_ERR_TRUNCATED, 40,
			    "the data section [%" PRIu64 ", +%" PRIu64 ") lies past the end (%zu bytes)",
			    data_off, data_size, pd->len);

	/* The features: one section each, in bit order, right after the data. */
	feat_off = data_off + data_size;
	for (bit = 0; bit < PERF_FEAT_BITS; bit++) {
		const unsigned char *s;
		uint64_t soff, ssize;

		if (!(h[72 + bit / 8] & (1u << (bit % 8))))
			continue;
		if (!in_bounds(pd->len, feat_off + 16ull * nfeat, 16))
			return perr(pd, errmsg, -PCR_ERR_TRUNCATED, feat_off + 16ull * nfeat,
				    "the feature index is cut (feature %d)", bit);
		s = pd->buf + feat_off + 16ull * nfeat++;
		soff = get_u64(s);
		ssize = get_u64(s + 8);
		if (!in_bounds(pd->len, soff, ssize))
			return perr(pd, errmsg, -PCR_ERR_TRUNCATED, feat_off + 16ull * (nfeat - 1),
				    "feature %d [%" PRIu64 ", +%" PRIu64 ") lies past the end",
				    bit, soff, ssize);
		ret = take_feature(pd, bit, pd->buf + soff, ssize, soff, errmsg);
		if (ret)
			return ret;
	}

	n = attrs_size / attr_size;
	for (i = 0; i < n; i++) {
		uint64_t eoff = attrs_off + i * attr_size;
		const unsigned char *e = pd->buf + eoff;
		uint64_t ids_off = get_u64(e + attr_size - 16);
		uint64_t ids_size = get_u64(e + attr_size - 8);

		if (!in_bounds(pd->len, ids_off, ids_size) || ids_size % 8 ||
		    ids_size / 8 > 1u << 20)
			return perr(pd, errmsg, -PCR_ERR_TRUNCATED, eoff + attr_size - 16,
				    "the ids of attr %" PRIu64 " [%" PRIu64 ", +%" PRIu64
				    ") lie past the end", i, ids_off, ids_size);
		ret = add_attr(pd, e, attr_size - 16, pd->buf + ids_off, ids_size / 8, eoff,
			       errmsg);
		if (ret)
			return ret;
	}
	return parse_records(pd, pd->buf, data_off, data_off + data_size, NULL, errmsg);
}

/* ---- the source ---- */

static void perfdata_close(struct pcr_source *src)
{
	struct perfdata_source *pd = (struct perfdata_source *)src;
	size_t i;

	for (i = 0; i < pd->nr_attrs; i++)
		free(pd->attrs[i].ids);
	free(pd->attrs);
	free(pd->items);
	free(pd->tally);
	free(pd->comms);
	free(pd->map);
	free(pd->buf);
	free(pd->path);
	free(pd->osrelease);
	free(pd->hostname);
	free(pd->arch);
	free(pd->gfp_names);
	ZSTD_freeDStream(pd->zds);
	free(pd->unz);
	if (pd->tep)
		tep_free(pd->tep);
	free(pd);
}

static int perfdata_replay(struct pcr_source *src, pcr_event_fn fn, void *payload, char *errmsg)
{
	struct perfdata_source *pd = (struct perfdata_source *)src;
	size_t i;
	int ret;

	/* A second replay starts from the comms the recording began with. */
	if (pd->map)
		memset(pd->map, 0, pd->map_cap * sizeof(*pd->map));
	pd->map_used = 0;
	for (i = 0; i < pd->nr_items; i++) {
		struct perf_item *it = &pd->items[i];
		const struct comm_slot *parent;

		switch (it->type) {
		case ITEM_COMM:
			ret = comm_set(pd, it->ev.pid, pd->comms[it->comm]);
			break;
		case ITEM_FORK:
			parent = comm_find(pd, it->parent);
			ret = parent ? comm_set(pd, it->ev.pid, parent->comm) : 0;
			break;
		default:
			it->ev.comm = pd->map_cap ? perf_comm(pd, it->ev.pid) : NULL;
			ret = fn(&it->ev, payload);
			it->ev.comm = NULL;
			break;
		}
		if (ret)
			return ret;
	}
	return 0;
}

static const struct pcr_source_ops perfdata_ops = {
	.replay = perfdata_replay,
	.close = perfdata_close,
};

/*
 * The most a pipe or a device may hand over: a stream cannot be mapped or measured, and its
 * records are all held for the sort (issue 17: /dev/zero grew to 1 GB in 9 s).
 */
#define PERF_MAX_STREAM (128u * 1024 * 1024)

/*
 * Reads the whole input. Reading stops as soon as the first 8 bytes are neither magic (the
 * caller refuses it), and a stream (not a regular file) beyond PERF_MAX_STREAM is refused.
 */
static int read_all(struct perfdata_source *pd, int fd, char *errmsg)
{
	size_t cap = 1 << 16, max = SIZE_MAX;
	struct stat st;

	if (!fstat(fd, &st) && !S_ISREG(st.st_mode))
		max = PERF_MAX_STREAM;
	pd->buf = malloc(cap);
	if (!pd->buf)
		return -PCR_ERR_NOMEM;
	for (;;) {
		ssize_t n;

		if (pd->len >= 8 && memcmp(pd->buf, PERF_MAGIC, 8) &&
		    memcmp(pd->buf, PERF_MAGIC_SWAPPED, 8))
			return 0;
		if (pd->len >= max)
			return pcr_errmsg(errmsg, -PCR_ERR_INVAL,
					  "%s: a perf.data stream of more than %zu MiB; save it to a file (perf record -o FILE) and replay the file",
					  pd->name, max >> 20);
		if (pd->len == cap) {
			unsigned char *buf = realloc(pd->buf, cap * 2);

			if (!buf)
				return -PCR_ERR_NOMEM;
			pd->buf = buf;
			cap *= 2;
		}
		/* The magic first, alone: a stream that is no perf.data is not read on. */
		n = read(fd, pd->buf + pd->len, pd->len < 8 ? 8 - pd->len : cap - pd->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot read: %s", pd->name,
					  strerror(errno));
		if (!n)
			return 0;
		pd->len += (size_t)n;
	}
}

static void describe(struct perfdata_source *pd)
{
	struct pcr_source_info *info = &pd->base.info;

	info->format = pd->pipe ? "perf.data (pipe mode)" : "perf.data";
	if (pd->osrelease && pd->hostname && pd->arch)
		snprintf(pd->kernel, sizeof(pd->kernel), "Linux %s %s %s", pd->hostname,
			 pd->osrelease, pd->arch);
	else if (pd->osrelease)
		snprintf(pd->kernel, sizeof(pd->kernel), "%s", pd->osrelease);
	info->kernel = pd->kernel[0] ? pd->kernel : NULL;
	info->build_id = pd->build_id[0] ? pd->build_id : NULL;
	info->cpus = pd->nr_cpus_feature > pd->max_cpu ? pd->nr_cpus_feature : pd->max_cpu + 1;
	/* perf writes LOST / LOST_SAMPLES records whenever its buffers drop samples. */
	info->loss_checked = true;
	info->has_stacks = pd->has_callchain && pd->depot;
	info->comm = perf_comm;
	info->comm_ctx = pd;
	info->has_kallsyms = tep_get_function_count(pd->tep) > 0;
	if (info->has_kallsyms) {
		info->sym.resolve = pcr_tep_resolve;
		info->sym.ctx = pd->tep;
	}
}

int pcr_perfdata_open(struct pcr_source **out, const char *path,
		      const struct pcr_source_options *opts, char *errmsg)
{
	struct perfdata_source *pd;
	int fd, ret;

	*out = NULL;
	pd = calloc(1, sizeof(*pd));
	if (!pd)
		return pcr_errmsg(errmsg, -PCR_ERR_NOMEM, "%s: out of memory", path);
	pd->base.ops = &perfdata_ops;
	pd->depot = opts ? opts->depot : NULL;
	pd->max_cpu = -1;
	pd->comp_type = PERF_COMP_ZSTD;	/* perf writes no other; HEADER_COMPRESSED may say */
	pd->path = strdup(path);
	if (!pd->path) {
		free(pd);
		return pcr_errmsg(errmsg, -PCR_ERR_NOMEM, "%s: out of memory", path);
	}
	pd->name = strcmp(path, "-") ? pd->path : "standard input";
	tep_set_loglevel(TEP_LOG_NONE);

	if (!strcmp(path, "-")) {
		ret = read_all(pd, STDIN_FILENO, errmsg);
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			ret = pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot open: %s", path,
					 strerror(errno));
			goto fail;
		}
		ret = read_all(pd, fd, errmsg);
		close(fd);
	}
	if (ret)
		goto fail;

	if (pd->len >= 8 && !memcmp(pd->buf, PERF_MAGIC_SWAPPED, 8)) {
		ret = perr(pd, errmsg, -PCR_ERR_FORMAT, 0,
			   "a big-endian perf.data, which this reader does not decode");
		goto fail;
	}
	if (pd->len < 16 || memcmp(pd->buf, PERF_MAGIC, 8)) {
		ret = pd->len < 16 && pd->len && !memcmp(pd->buf, PERF_MAGIC,
							 pd->len < 8 ? pd->len : 8) ?
		      perr(pd, errmsg, -PCR_ERR_TRUNCATED, pd->len, "the header is cut") :
		      perr(pd, errmsg, -PCR_ERR_FORMAT, 0,
			   "not a perf.data recording (no PERFILE2 magic); record one with 'perf record -a -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched'");
		goto fail;
	}
	if (get_u64(pd->buf + 8) == PERF_PIPE_HEADER_SIZE) {
		pd->pipe = true;
		ret = parse_records(pd, pd->buf, PERF_PIPE_HEADER_SIZE, pd->len, NULL, errmsg);
	} else {
		ret = parse_file_header(pd, errmsg);
	}
	if (ret) {
		if (ret == -PCR_ERR_NOMEM)
			pcr_errmsg(errmsg, ret, "%s: out of memory", pd->name);
		goto fail;
	}
	if (!pd->have_tracing) {
		ret = pcr_errmsg(errmsg, -PCR_ERR_NO_EVENTS,
				 "%s: the perf.data holds no tracing data (event formats): it records no tracepoints; record with 'perf record -a -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched'",
				 pd->name);
		goto fail;
	}
	if (pd->layout[PCR_EV_ALLOC].id < 0 && pd->layout[PCR_EV_FREE].id < 0) {
		ret = pcr_errmsg(errmsg, -PCR_ERR_NO_EVENTS,
				 "%s: the recording has no kmem:mm_page_alloc or kmem:mm_page_free events; record with 'perf record -a -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched'",
				 pd->name);
		goto fail;
	}
	ret = pcr_kmem_gfp_names(pd->tep, &pd->gfp_names, &pd->base.info.nr_gfp_names);
	if (ret)
		goto fail;
	pd->base.info.gfp_names = pd->gfp_names;
	ret = idle_check(pd);
	if (ret) {
		pcr_errmsg(errmsg, ret, "%s: out of memory", pd->name);
		goto fail;
	}
	/* perf writes its per-CPU buffers in rounds: put every event in time order. */
	if (pd->nr_items)	/* qsort() of NULL is undefined, even for 0 items */
		qsort(pd->items, pd->nr_items, sizeof(*pd->items), cmp_items);
	/* The input is no longer needed: events and comms are copied out. */
	free(pd->buf);
	pd->buf = NULL;
	describe(pd);
	*out = &pd->base;
	return 0;

fail:
	perfdata_close(&pd->base);
	return ret;
}
