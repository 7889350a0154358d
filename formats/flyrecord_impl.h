/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flyrecord reader's own header, shared by its two parts: flyopen.c (the file's layout:
 * where each buffer's CPU data lies, v6 and v7) and flyrecord.c (the pages and records, merged
 * in timestamp order). Not for other readers: they use flyrecord.h.
 */
#ifndef PCR_FORMATS_FLYRECORD_IMPL_H
#define PCR_FORMATS_FLYRECORD_IMPL_H

#include <endian.h>
#include <stdatomic.h>
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

/*
 * A run of a CPU's pages in memory: a decompressed chunk, or (uncompressed) whole pages read
 * from the file at @at, the CPU's last page maybe short. @done_at is the file offset after
 * the bytes it came from (progress). With read-ahead (flyahead.c) @ret and @errmsg are how its
 * reading ended: 1 a block, 0 the CPU's end, or the error to report when the records before
 * it have been handed out.
 */
struct fly_block {
	unsigned char *buf;
	size_t cap;
	size_t len;
	uint64_t at;
	uint64_t done_at;
	int ret;
	char *errmsg;
};

struct fly_ahead;

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
	/*
	 * Read ahead (flyahead.c): @blocks is a ring whose [@head, @tail) are read and waiting,
	 * @held the one the records come from now (@chunk is its buffer). An inflater thread
	 * that reads the stream's data (@win, @pos, @chunks_left, @started) sets @busy; @ended
	 * once it read the end or an error. Under the fly_ahead's lock, but @held.
	 */
	struct fly_block *blocks;
	struct fly_block *held;
	unsigned int head, tail;
	bool busy, ended;
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
	struct fly_ahead *ahead;	/* inflater threads read the CPUs' data, or NULL */
	/* @ahead for pcr_fly_help() on another thread, set once it is ready */
	struct fly_ahead *_Atomic ahead_ready;
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

/**
 * pcr_fly_read_chunk - read and decompress a compressed stream's next chunk
 * @f: the reader
 * @s: the stream, read through its window (@win, @pos) by one thread at a time
 * @codec: the codec to decompress with, the calling thread's own
 * @to: receives the chunk (@buf grown as needed, @len, @at the chunk's header, @done_at)
 * @errmsg: receives a one-line message on failure (PCR_ERRMSG_LEN bytes)
 *
 * Return: 1, 0 when the CPU has no chunk left, or a negative error code.
 */
int pcr_fly_read_chunk(struct pcr_fly *f, struct fly_stream *s, struct pcr_codec *codec,
		       struct fly_block *to, char *errmsg);

/**
 * pcr_fly_read_pages - read an uncompressed stream's next pages
 * @f: the reader
 * @s: the stream, from its @pos, by one thread at a time
 * @size: at most this many bytes, a multiple of the page size
 * @to: receives them (@buf grown as needed, @len, @at, @done_at)
 * @errmsg: receives a one-line message on failure (PCR_ERRMSG_LEN bytes)
 *
 * Return: 1, 0 at the end of the CPU's data, or a negative error code.
 */
int pcr_fly_read_pages(struct pcr_fly *f, struct fly_stream *s, size_t size, struct fly_block *to,
		       char *errmsg);

/**
 * pcr_fly_ahead_take - the stream's next block read ahead, in place of the one it holds
 * @f: the reader, reading ahead
 * @s: the stream
 * @errmsg: receives the block's error
 *
 * Waits until an inflater has read it. Sets @held, @chunk, @chunk_len, @chunk_off and
 * (compressed) @chunk_base.
 *
 * Return: 1, 0 at the end of the CPU's data, or the error its reading met.
 */
int pcr_fly_ahead_take(struct pcr_fly *f, struct fly_stream *s, char *errmsg);

/**
 * pcr_fly_ahead_stop - stop the inflater threads and free what they read
 * @f: the reader (reading ahead or not)
 */
void pcr_fly_ahead_stop(struct pcr_fly *f);

#endif /* PCR_FORMATS_FLYRECORD_IMPL_H */
