/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The perf.data reader's own header, shared by its three parts: perfhead.c (the file header,
 * attrs, features and tracing data), perfrec.c (the records) and perfdata.c (the timeline, the
 * task names and the source). Not for other readers.
 */
#ifndef PCR_FORMATS_PERFDATA_H
#define PCR_FORMATS_PERFDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <zstd.h>

#include "kmem.h"
#include "source.h"

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
	REC_MMAP = 1,
	REC_LOST = 2,
	REC_COMM = 3,
	REC_THROTTLE = 5,
	REC_FORK = 7,
	REC_SAMPLE = 9,
	REC_MMAP2 = 10,
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
	char ktext_sym[16];		/* the kernel map's symbol: "_text" of "[kernel.kallsyms]_text" */
	uint64_t ktext_addr;		/* its address (the map's pgoff) */
	uint64_t ktext_end;		/* the map's end */
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


/**
 * pcr_perf_err - write a perf.data error message naming the offset (and the compressed record)
 * @pd: the reader
 * @errmsg: receives the message
 * @err: the error code
 * @off: the file offset (inside compressed records: the decompressed byte)
 * @fmt: what is wrong, printf-style
 *
 * Return: @err.
 */
int pcr_perf_err(struct perfdata_source *pd, char *errmsg, int err, uint64_t off,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- bounds-checked reading ---- */

static inline bool in_bounds(size_t len, uint64_t off, uint64_t size)
{
	return off <= len && size <= len - off;
}

static inline uint64_t get_u64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint16_t get_u16(const unsigned char *p)
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

static inline bool cur_take(struct cursor *c, size_t n, const unsigned char **out)
{
	if (n > c->len - c->pos)
		return false;
	if (out)
		*out = c->p + c->pos;
	c->pos += n;
	return true;
}

static inline bool cur_u64(struct cursor *c, uint64_t *v)
{
	const unsigned char *p;

	if (!cur_take(c, 8, &p))
		return false;
	*v = get_u64(p);
	return true;
}

static inline bool cur_u32(struct cursor *c, uint32_t *v)
{
	const unsigned char *p;

	if (!cur_take(c, 4, &p))
		return false;
	*v = get_u32(p);
	return true;
}

static inline uint64_t cur_where(const struct cursor *c)
{
	return c->off + c->pos;
}


/* perfhead.c: the header */

/**
 * pcr_perf_parse_file_header - read a perf.data file's header: attrs, features, tracing data
 * @pd: the reader, whose input is in @pd->buf
 * @errmsg: receives the message of an error
 *
 * Return: 0 or a negative error code (the message names the offset).
 */
int pcr_perf_parse_file_header(struct perfdata_source *pd, char *errmsg);

/**
 * pcr_perf_add_attr - take one perf_event_attr and its sample ids
 * @pd: the reader
 * @p: the attr
 * @size: its size in bytes (at least PERF_ATTR_SIZE_MIN)
 * @ids: the sample ids, u64 each
 * @nr_ids: how many
 * @off: the attr's file offset, for messages
 * @errmsg: receives the message of an error
 *
 * Return: 0 or a negative error code.
 */
int pcr_perf_add_attr(struct perfdata_source *pd, const unsigned char *p, size_t size,
		      const unsigned char *ids, size_t nr_ids, uint64_t off, char *errmsg);

/**
 * pcr_perf_attr_by_id - the attr of a sample id
 * @pd: the reader
 * @id: the sample id
 *
 * Return: the attr or NULL.
 */
struct perf_attr *pcr_perf_attr_by_id(const struct perfdata_source *pd, uint64_t id);

/**
 * pcr_perf_all_have - every attr samples @bit (perf requires one layout without IDENTIFIER)
 * @pd: the reader
 * @bit: a PERF_SAMPLE_* bit
 *
 * Return: true when all attrs have it (and there is one).
 */
bool pcr_perf_all_have(const struct perfdata_source *pd, uint64_t bit);

/**
 * pcr_perf_parse_tracing - read HEADER_TRACING_DATA: the event formats (and kallsyms)
 * @pd: the reader
 * @p: the tracing data
 * @len: its length
 * @off: its file offset, for messages
 * @errmsg: receives the message of an error
 *
 * Return: 0 or a negative error code.
 */
int pcr_perf_parse_tracing(struct perfdata_source *pd, const unsigned char *p, size_t len,
			   uint64_t off, char *errmsg);

/**
 * pcr_perf_take_feature - read one feature section (release, arch, build ids, compression...)
 * @pd: the reader
 * @feat: its HEADER_* number
 * @p: its bytes
 * @len: their length
 * @off: its file offset, for messages
 * @errmsg: receives the message of an error
 *
 * Return: 0 or a negative error code.
 */
int pcr_perf_take_feature(struct perfdata_source *pd, int feat, const unsigned char *p,
			  size_t len, uint64_t off, char *errmsg);

/**
 * pcr_perf_attr_kinds - give each tracepoint attr its kmem kind, once the formats are known
 * @pd: the reader
 */
void pcr_perf_attr_kinds(struct perfdata_source *pd);

/* perfrec.c: the records */

/**
 * pcr_perf_parse_records - walk the records of [@off, @end) in @buf into the timeline
 * @pd: the reader
 * @buf: the bytes
 * @off: where the walk starts
 * @end: where it ends
 * @cut: NULL, or (records decompressed from perf record -z) receives where a record cut by the
 *	 end of @buf starts, which is then no error
 * @errmsg: receives the message of an error
 *
 * Return: 0 or a negative error code.
 */
int pcr_perf_parse_records(struct perfdata_source *pd, const unsigned char *buf, uint64_t off,
			   uint64_t end, uint64_t *cut, char *errmsg);

/**
 * pcr_perf_idle_check - a lost notice for each CPU whose page samples hold none of the idle task
 * @pd: the reader, after the last record
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_perf_idle_check(struct perfdata_source *pd);

/* perfdata.c: the timeline */

/**
 * pcr_perf_new_item - a new item at the end of the timeline
 * @pd: the reader
 * @type: ITEM_EVENT, ITEM_COMM or ITEM_FORK
 *
 * Return: the zeroed item (its sequence number set), or NULL without memory.
 */
struct perf_item *pcr_perf_new_item(struct perfdata_source *pd, uint8_t type);

/**
 * pcr_perf_free - free a reader and everything it holds (its input @pd->buf too)
 * @pd: the reader, calloc()ed
 */
void pcr_perf_free(struct perfdata_source *pd);

/**
 * pcr_perf_see_cpu - note that the recording has CPU @cpu
 * @pd: the reader
 * @cpu: the CPU
 */
void pcr_perf_see_cpu(struct perfdata_source *pd, uint32_t cpu);

#endif /* PCR_FORMATS_PERFDATA_H */
