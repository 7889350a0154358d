/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flyrecord reader's own header, shared by its two parts: flyopen.c (the file's layout:
 * where each buffer's CPU data lies, v6 and v7) and flyrecord.c (the pages and records, merged
 * in timestamp order). Not for other readers: they use flyrecord.h.
 */
#ifndef PCR_FORMATS_FLYRECORD_IMPL_H
#define PCR_FORMATS_FLYRECORD_IMPL_H

#include <endian.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <zstd.h>

#include "flyrecord.h"

#define FLY_MAGIC_LEN 10
/* What a CPU's read window holds at least: 64 pages of 4 KiB. */
#define FLY_WINDOW (256u * 1024)
/* The largest chunk accepted: trace-cmd writes 10 pages; anything near this is corrupt. */
#define FLY_MAX_CHUNK (64u * 1024 * 1024)
/* The largest options section read into memory. */
#define FLY_MAX_OPTIONS (16u * 1024 * 1024)
/* A ring-buffer page starts with a 64-bit timestamp and a 64-bit commit word. */
#define FLY_PAGE_HEADER 16
#define FLY_COMMIT_MASK ((1u << 27) - 1)
/* The commit word's flags: events were lost before the page, and their count follows the data. */
#define FLY_MISSED_EVENTS (1ull << 31)
#define FLY_MISSED_STORED (1ull << 30)
/* A record header: type_len in the low 5 bits, the time delta in the other 27. */
#define FLY_TS_SHIFT 27
#define FLY_TS_MSB (0xf8ull << 56)
enum {
	FLY_TYPE_PADDING = 29,
	FLY_TYPE_TIME_EXTEND = 30,
	FLY_TYPE_TIME_STAMP = 31,
};

/* v7 option ids (trace-cmd.dat.v7(5)). */
enum {
	FLY_OPT_DONE = 0,
	FLY_OPT_BUFFER = 3,
	FLY_OPT_OFFSET = 7,
	FLY_OPT_TIME_SHIFT = 12,
	FLY_OPT_TSC2NSEC = 14,
	FLY_OPT_BUFFER_TEXT = 22,
};

struct fly_region {
	uint64_t offset;
	uint64_t size;
	int cpu;
};

struct fly_buffer {
	char *name;
	struct fly_region *cpus;
	uint32_t page_size;
	int nr_cpus;
};

/* A data record of a page: its timestamp, header (curr), data (index) and end (next). */
struct fly_rec {
	unsigned long long ts;
	uint32_t curr;
	uint32_t index;
	uint32_t next;
};

/*
 * A page as our own parser walks it (kbuffer's rules): its size, the data's commit size, the
 * timestamp reached, the header of the current record (curr), its data (index), the next
 * header (next); offsets from the end of the page header.
 */
struct fly_walk {
	const unsigned char *page;
	unsigned long long ts;
	uint32_t size;
	uint32_t commit;
	uint32_t curr;
	uint32_t index;
	uint32_t next;
};

/* One CPU of one chosen buffer: where its data is read from and its current record. */
struct fly_stream {
	const struct fly_region *region;
	unsigned char *win;		/* file bytes read ahead */
	unsigned char *chunk;		/* the decompressed chunk */
	unsigned char *pad;		/* a short last page, padded to a whole page */
	uint64_t pos;			/* next file byte to read into win */
	uint64_t end;			/* end of the CPU's data in the file */
	uint64_t page_off;		/* offset of the current page, for record->offset */
	uint64_t chunk_base;		/* stream offset of the current chunk */
	unsigned long long ts;		/* the current record's */
	size_t win_cap, win_off, win_len;
	size_t chunk_cap, chunk_len, chunk_off;
	uint32_t chunks_left;
	uint32_t page_size;
	int which;			/* position among the chosen buffers */
	struct fly_walk walk;		/* the current page: NULL page before the first */
	int page_lost;
	/*
	 * The page's data records, decoded when it is loaded: @recs[@ordinal] is the current
	 * one, @page_bad says what is wrong with the record after the last one (NULL: nothing),
	 * @watched_last is the last record of pcr_fly_watch()'s type (-1: none), @next_clear
	 * how many records the next page is known to start with before one of that type.
	 */
	struct fly_rec *recs;
	int nr_recs;
	int recs_cap;
	int ordinal;
	int watched_last;
	int next_clear;
	const char *page_bad;
	bool watched;			/* the stream's buffer has a watch */
	bool started;
};

struct pcr_fly {
	struct fly_buffer *bufs;
	struct fly_stream *streams;
	int *heap;			/* stream indexes, earliest record first */
	char *path;
	struct pcr_codec codec;
	uint32_t page_size;
	int nr_bufs;
	int nr_streams;
	int heap_len;
	int fd;
	int version;
	/* pcr_fly_watch(): the event id looked for, the field that holds it, how far. */
	const struct tep_format_field *watch_field;
	int watch_type;
	int watch_horizon;
	bool *watch_bufs;		/* per buffer of the file */
	bool advance_top;		/* the heap's top record was handed out */
};


static inline uint64_t le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

/* A record header word: one load where le() assembles bytes (the page walk's inner loop). */
static inline uint32_t le32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

/**
 * pcr_fly_corrupt - the message of a corrupt file, naming the offset
 * @f: the reader
 * @errmsg: receives the message
 * @offset: where in the file
 * @what: what is wrong
 *
 * Return: -PCR_ERR_FORMAT.
 */
int pcr_fly_corrupt(struct pcr_fly *f, char *errmsg, uint64_t offset, const char *what);

#endif /* PCR_FORMATS_FLYRECORD_IMPL_H */
