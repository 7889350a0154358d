// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a trace.dat's ring-buffer pages ourselves (see flyrecord.h).
 *
 * Why we own this part: on a 19.1 M-event recording of the page events (issue 6), a bare
 * libtracecmd loop (tracecmd_iterate_events, two field reads per record) took 1.9 s on v6 and
 * 19.8 s on v7 zstd with a peak RSS of 581 MB, the size of the uncompressed data: libtracecmd
 * 3.1 decompresses every CPU's data before the first record (tracecmd_init_data) and then reads
 * it back page by page. zstd -d of the same bytes takes 0.6 s. Decompressing one chunk per CPU
 * at a time, right before its pages are parsed, keeps the data in the cache and the memory at
 * a few chunks. Measured on an 18.0 M-event recording (README "Speed"): the replay through
 * libtracecmd took 28.2 s of CPU and 587 MB on v7 zstd, through this reader 6.6 s and 54 MB;
 * on v6, 7.9 s and 590 MB against 6.5 s and 54 MB (v6 is read here for the memory bound).
 *
 * The layout is the one trace-cmd.dat.v6(5) and trace-cmd.dat.v7(5) describe:
 * - v6: fixed headers, then "options  " and "flyrecord" followed by an (offset, size) pair per
 *   CPU; each CPU's data is a run of ring-buffer pages.
 * - v7: an OPTIONS section chain; each BUFFER option names a buffer (instance), its page size
 *   and an (id, offset, size) triple per CPU. When the file is compressed, a CPU's data is a
 *   chunk count and chunks of (compressed size, uncompressed size, bytes), each chunk a whole
 *   number of pages.
 * Each page is a 64-bit timestamp, a commit word (the data's size; bit 31: events were lost
 * before the page, bit 30: their count is stored after the data) and records whose 4-byte
 * header holds type_len (5 bits) and a time delta (27 bits): 1-28 the data's length / 4, 0 the
 * length in the next word, 29 padding or a discarded event, 30 a time extend, 31 an absolute
 * timestamp. The page walker follows libtraceevent's kbuffer to the bit (the unit tests check
 * it against kbuffer on every record type); it was kbuffer until kbuffer's five calls a record
 * cost 13% of the reader thread on large v6.
 * libtracecmd still parses the headers this reader skips (event formats, kallsyms, cmdlines).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>

#include "bytecur.h"
#include "flyrecord_impl.h"
#include "kmem.h"
#include "pcr_formats.h"

static int stream_cmp(const struct fly_stream *a, const struct fly_stream *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->which != b->which)
		return a->which < b->which ? -1 : 1;
	return a->region->cpu < b->region->cpu ? -1 : a->region->cpu > b->region->cpu;
}

int pcr_fly_start(struct pcr_fly *fly, const int *bufs, int nr)
{
	int i, j, n = 0;

	for (i = 0; i < nr; i++)
		n += fly->bufs[bufs[i]].nr_cpus;
	fly->streams = calloc(n ? (size_t)n : 1, sizeof(*fly->streams));
	fly->heap = calloc(n ? (size_t)n : 1, sizeof(*fly->heap));
	if (!fly->streams || !fly->heap)
		return -PCR_ERR_NOMEM;
	for (i = 0; i < nr; i++) {
		const struct fly_buffer *b = &fly->bufs[bufs[i]];

		for (j = 0; j < b->nr_cpus; j++) {
			struct fly_stream *s = &fly->streams[fly->nr_streams];

			if (!b->cpus[j].size)
				continue;
			s->region = &b->cpus[j];
			s->which = i;
			s->watched = fly->watch_bufs && fly->watch_bufs[bufs[i]];
			s->page_size = b->page_size;
			s->pos = b->cpus[j].offset;
			s->end = b->cpus[j].offset + b->cpus[j].size;
			/* A compressed CPU's size counts its chunks, not the chunk count before them. */
			if (fly->codec.kind != PCR_CODEC_NONE)
				s->end += 4;
			fly->nr_streams++;
		}
	}
	return 0;
}

static int stream_truncated(struct pcr_fly *f, const struct fly_stream *s, char *errmsg)
{
	return pcr_errmsg(errmsg, -PCR_ERR_TRUNCATED,
			  "%s: truncated or corrupt trace.dat: the data of CPU %d (offset %llu, %llu bytes) runs past the end of the file; record it again, or copy the whole file",
			  f->path, s->region->cpu, (unsigned long long)s->region->offset,
			  (unsigned long long)s->region->size);
}

/* File offset of the next byte the stream has not consumed. */
static uint64_t stream_consumed(const struct fly_stream *s)
{
	return s->pos - (s->win_len - s->win_off);
}

/* Makes @n bytes of the CPU's data contiguous in the window; *p points at them. */
static int window_get(struct pcr_fly *f, struct fly_stream *s, size_t n, const unsigned char **p,
		      char *errmsg)
{
	size_t have = s->win_len - s->win_off;

	if (have < n) {
		uint64_t want;

		if (n > s->end - stream_consumed(s))
			return stream_truncated(f, s, errmsg);
		if (s->win_cap < n || s->win_cap < FLY_WINDOW) {
			size_t cap = n > FLY_WINDOW ? n : FLY_WINDOW;
			unsigned char *win = malloc(cap);

			if (!win)
				return -PCR_ERR_NOMEM;
			if (have)
				memcpy(win, s->win + s->win_off, have);
			free(s->win);
			s->win = win;
			s->win_cap = cap;
		} else if (have) {
			memmove(s->win, s->win + s->win_off, have);
		}
		s->win_off = 0;
		s->win_len = have;
		want = s->win_cap - have;
		if (want > s->end - s->pos)
			want = s->end - s->pos;
		while (want) {
			ssize_t r = pread(f->fd, s->win + s->win_len, want, (off_t)s->pos);

			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return pcr_errmsg(errmsg, -PCR_ERR_IO,
						  "%s: cannot read at offset %llu: %s", f->path,
						  (unsigned long long)s->pos, strerror(errno));
			if (!r)
				break;
			s->win_len += (size_t)r;
			s->pos += (uint64_t)r;
			want -= (uint64_t)r;
		}
		if (s->win_len < n)
			return stream_truncated(f, s, errmsg);
	}
	*p = s->win + s->win_off;
	s->win_off += n;
	return 0;
}

/* Room for @n bytes in @to's buffer, its contents not kept; -PCR_ERR_NOMEM when there is none. */
static int block_room(struct fly_block *to, size_t n)
{
	if (to->cap >= n)
		return 0;
	free(to->buf);
	to->buf = malloc(n);
	to->cap = to->buf ? n : 0;
	return to->buf ? 0 : -PCR_ERR_NOMEM;
}

int pcr_fly_read_chunk(struct pcr_fly *f, struct fly_stream *s, struct pcr_codec *codec,
		       struct fly_block *to, char *errmsg)
{
	const unsigned char *p;
	uint64_t at;
	uint32_t csize, usize;
	int ret;

	if (!s->started) {
		s->started = true;
		ret = window_get(f, s, 4, &p, errmsg);
		if (ret)
			return ret;
		s->chunks_left = (uint32_t)le(p, 4);
	}
	if (!s->chunks_left)
		return 0;
	s->chunks_left--;
	at = stream_consumed(s);
	ret = window_get(f, s, 8, &p, errmsg);
	if (ret)
		return ret;
	csize = (uint32_t)le(p, 4);
	usize = (uint32_t)le(p + 4, 4);
	if (!usize || usize > FLY_MAX_CHUNK || csize > FLY_MAX_CHUNK)
		return pcr_fly_corrupt(f, errmsg, at, "a compressed chunk has an impossible size");
	if (block_room(to, usize))
		return -PCR_ERR_NOMEM;
	ret = window_get(f, s, csize, &p, errmsg);
	if (ret)
		return ret;
	if (pcr_codec_inflate(codec, to->buf, usize, p, csize))
		return pcr_fly_corrupt(f, errmsg, at, "a compressed chunk does not decompress");
	to->len = usize;
	to->at = at;
	to->done_at = stream_consumed(s);
	return 1;
}

int pcr_fly_read_pages(struct pcr_fly *f, struct fly_stream *s, size_t size, struct fly_block *to,
		       char *errmsg)
{
	uint64_t want = s->end - s->pos, stop;
	size_t got;
	int fail;

	if (!want)
		return 0;
	if (want > size)
		want = size;
	if (block_room(to, (size_t)want))
		return -PCR_ERR_NOMEM;
	fail = pcr_bytecur_pread(f->fd, to->buf, (size_t)want, s->pos, &stop);
	if (fail == PCR_BYTECUR_IO)
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot read at offset %llu: %s",
				  f->path, (unsigned long long)stop, strerror(errno));
	got = fail ? (size_t)(stop - s->pos) : (size_t)want;
	/* A file cut short: its whole pages first, then the error where the cut page is read. */
	if (got < want) {
		got -= got % s->page_size;
		if (!got)
			return stream_truncated(f, s, errmsg);
	}
	to->len = got;
	to->at = s->pos;
	s->pos += got;
	to->done_at = s->pos;
	return 1;
}

/* Reads and decompresses the stream's next chunk; 0 when there is none left. */
static int next_chunk(struct pcr_fly *f, struct fly_stream *s, char *errmsg)
{
	struct fly_block to = { .buf = s->chunk, .cap = s->chunk_cap };
	int ret;

	if (s->started)
		s->chunk_base += s->chunk_len;
	ret = pcr_fly_read_chunk(f, s, &f->codec, &to, errmsg);
	s->chunk = to.buf;
	s->chunk_cap = to.cap;
	if (ret <= 0)
		return ret;
	s->chunk_len = to.len;
	s->chunk_off = 0;
	return 1;
}

/* A page shorter than a whole one (the end of a chunk or of the data), padded with zeros. */
static const unsigned char *pad_page(struct fly_stream *s, const unsigned char *p, size_t n)
{
	if (!s->pad) {
		s->pad = malloc(s->page_size);
		if (!s->pad)
			return NULL;
	}
	memcpy(s->pad, p, n);
	memset(s->pad + n, 0, s->page_size - n);
	return s->pad;
}

/* A page or record that cannot be: names the CPU and where in its data (decompressed or not). */
static int page_corrupt(struct pcr_fly *f, const struct fly_stream *s, char *errmsg,
			const char *what)
{
	return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
			  "%s: corrupt trace.dat: CPU %d, page at byte %llu of its %sdata: %s; record it again, or read it with --reader=libtracecmd to see what libtracecmd makes of it",
			  f->path, s->region->cpu,
			  (unsigned long long)(s->page_off - s->region->offset),
			  f->codec.kind != PCR_CODEC_NONE ? "decompressed " : "", what);
}

static int decode_page(const struct pcr_fly *f, struct fly_stream *s);

/* Starts the walk of a page whose commit word (checked by the caller) is @commit. */
static void walk_start(struct fly_walk *w, const unsigned char *page, uint32_t size,
		       uint64_t commit)
{
	w->page = page;
	w->ts = le(page, 8);
	w->size = size;
	w->commit = (uint32_t)(commit & FLY_COMMIT_MASK);
	w->curr = 0;
	w->index = 0;
	w->next = 0;
}

/* Loads the stream's next page; 0 at the end of the CPU's data. */
static int next_page(struct pcr_fly *f, struct fly_stream *s, char *errmsg)
{
	const unsigned char *p;
	size_t n = s->page_size;
	uint64_t commit;
	int ret;

	if (f->ahead || f->codec.kind != PCR_CODEC_NONE) {
		/* A decompressed chunk, or a block read ahead (uncompressed: whole pages) */
		if (!(f->ahead ? s->held != NULL : s->started) || s->chunk_off >= s->chunk_len) {
			ret = f->ahead ? pcr_fly_ahead_take(f, s, errmsg) : next_chunk(f, s, errmsg);
			if (ret <= 0)
				return ret;
		}
		p = s->chunk + s->chunk_off;
		if (n > s->chunk_len - s->chunk_off)
			n = s->chunk_len - s->chunk_off;
		s->page_off = f->codec.kind != PCR_CODEC_NONE ?
			      s->region->offset + s->chunk_base + s->chunk_off :
			      s->held->at + s->chunk_off;
		s->chunk_off += n;
	} else {
		uint64_t left = s->end - stream_consumed(s);

		if (!left)
			return 0;
		if (n > left)
			n = (size_t)left;
		s->page_off = stream_consumed(s);
		ret = window_get(f, s, n, &p, errmsg);
		if (ret)
			return ret;
	}
	if (n < s->page_size) {
		p = pad_page(s, p, n);
		if (!p)
			return -PCR_ERR_NOMEM;
	}
	/* kbuffer trusts the commit word; a corrupt one would read past the page. */
	commit = le(p + 8, 8);
	if ((commit & FLY_COMMIT_MASK) > s->page_size - FLY_PAGE_HEADER)
		return page_corrupt(f, s, errmsg, "the page says it holds more than a page");
	walk_start(&s->walk, p, s->page_size, commit);
	s->page_lost = 0;
	if (commit & FLY_MISSED_EVENTS) {
		s->page_lost = -1;
		if (commit & FLY_MISSED_STORED) {
			if (s->walk.commit + 8 > s->page_size - FLY_PAGE_HEADER)
				return page_corrupt(f, s, errmsg,
						    "its count of lost events lies past the page");
			s->page_lost = (int)le(p + FLY_PAGE_HEADER + s->walk.commit, 8);
		}
	}
	return decode_page(f, s);
}

/* A 32-bit word of a page whose byte order is @big_endian's: constant on the replay's path. */
static inline __attribute__((always_inline)) uint32_t page_word(const unsigned char *p,
								bool big_endian)
{
	uint32_t v;

	if (!big_endian)
		return le32(p);
	memcpy(&v, p, 4);
	return be32toh(v);
}

/*
 * One record header of the page, as kbuffer's update_pointers() reads it: returns its type_len,
 * or -1 when it lies past the page. @head is the page header's size (8 + the commit word's) and
 * @big_endian the recording's byte order: the replay passes 16 and false, the page check what
 * the recording says.
 */
static inline __attribute__((always_inline)) int parse_header_as(struct fly_walk *w,
								 uint32_t head, bool big_endian)
{
	const unsigned char *data = w->page + head;
	uint32_t room = w->size - head, pos = w->curr + 4;
	uint32_t header, type_len;
	unsigned long long delta;
	int64_t length;

	if (w->curr > room - 4)
		return -1;
	header = page_word(data + w->curr, big_endian);
	/* The kernel's bitfield puts type_len in the low 5 bits, or the high 5 on big-endian. */
	type_len = big_endian ? header >> 27 : header & 0x1f;
	delta = big_endian ? header & FLY_COMMIT_MASK : header >> 5;
	if (type_len >= FLY_TYPE_PADDING || type_len == 0) {
		if (pos > room - 4)
			return -1;
		length = (int64_t)page_word(data + pos, big_endian);
		if (type_len == FLY_TYPE_TIME_EXTEND || type_len == FLY_TYPE_TIME_STAMP) {
			delta += (unsigned long long)length << FLY_TS_SHIFT;
			pos += 4;
			length = 0;
		} else if (type_len == 0) {
			/* The length counts itself; the data is padded to 4 bytes. */
			length = ((length - 4) + 3) & ~(int64_t)3;
			pos += 4;
		}
	} else {
		length = type_len * 4;
	}
	/*
	 * An absolute timestamp lacks the top 5 bits: they stay (libtraceevent's kbuffer does
	 * the same; checked against it in tests/unit/test_flyrecord.c).
	 */
	if (type_len == FLY_TYPE_TIME_STAMP)
		w->ts = delta | (w->ts & FLY_TS_MSB);
	else
		w->ts += delta;
	w->index = pos;
	if (length < 0 || (int64_t)pos + length > UINT32_MAX)
		return -1;
	w->next = (uint32_t)(pos + length);
	return (int)type_len;
}

/*
 * Moves to the page's next data record as kbuffer's __next_event() does: 1 on one, 0 at the
 * end of the page, -1 on a header past the page.
 */
static inline __attribute__((always_inline)) int parse_next_as(struct fly_walk *w, uint32_t head,
							       bool big_endian)
{
	int type;

	do {
		w->curr = w->next;
		if (w->next >= w->commit)
			return 0;
		type = parse_header_as(w, head, big_endian);
		if (type < 0)
			return -1;
	} while (type >= FLY_TYPE_PADDING);
	return 1;
}

/* The replay's walk: the pages of a little-endian recording with 8-byte longs. */
static inline __attribute__((always_inline)) int parse_next(struct fly_walk *w)
{
	return parse_next_as(w, FLY_PAGE_HEADER, false);
}

int pcr_fly_check_page(const unsigned char *page, uint32_t page_size, int commit_size,
		       bool big_endian, const char **what)
{
	uint32_t head = 8 + (uint32_t)commit_size;
	uint64_t commit;
	struct fly_walk w;
	int ret, i;

	if ((commit_size != 4 && commit_size != 8) || page_size < 2 * FLY_PAGE_HEADER) {
		*what = "its commit word is neither 4 nor 8 bytes";
		return -PCR_ERR_FORMAT;
	}
	for (commit = 0, i = 0; i < commit_size; i++)
		commit = commit << 8 | page[8 + (big_endian ? i : commit_size - 1 - i)];
	/*
	 * Bits 27-29 of the commit word are never set; bits 32-63 only as the sign extension of
	 * bit 31 (the kernel's RB_MISSED_EVENTS is an int: t10 has 0xffffffffc0000fd0).
	 */
	if ((commit & (7ull << 27)) || ((commit >> 32) && ((commit >> 32) != 0xffffffffull ||
							  !(commit & FLY_MISSED_EVENTS)))) {
		*what = "its commit word has bits set that no kernel sets";
		return -PCR_ERR_FORMAT;
	}
	if ((commit & FLY_COMMIT_MASK) > page_size - head) {
		*what = "the page says it holds more than a page";
		return -PCR_ERR_FORMAT;
	}
	if ((commit & FLY_MISSED_EVENTS) && (commit & FLY_MISSED_STORED) &&
	    (commit & FLY_COMMIT_MASK) + (uint32_t)commit_size > page_size - head) {
		*what = "its count of lost events lies past the page";
		return -PCR_ERR_FORMAT;
	}
	walk_start(&w, page, page_size, commit);
	while ((ret = parse_next_as(&w, head, big_endian)) == 1)
		if (w.next > page_size - head) {
			*what = "a record runs past the end of the page";
			return -PCR_ERR_FORMAT;
		}
	if (ret) {
		*what = "a record header lies past the page";
		return -PCR_ERR_FORMAT;
	}
	return 0;
}

/*
 * Whether the walk's current record is of pcr_fly_watch()'s type: its event id read as the
 * trace.dat reader reads it.
 */
static inline __attribute__((always_inline)) bool walk_watched(const struct pcr_fly *f,
							  const struct fly_walk *w)
{
	const struct tep_record record = {
		.data = (void *)(w->page + FLY_PAGE_HEADER + w->index),
		.size = (int)(w->next - w->index),
	};

	return (int)pcr_kmem_native_field(f->watch_field, &record) == f->watch_type;
}

/*
 * How many records the page after the stream's current one starts with before the first of
 * pcr_fly_watch()'s type, up to the horizon: the look-ahead of the current page's last records
 * goes on into it. 0 when that page is not read yet (past the window or the chunk), announces
 * lost events or has a bad commit word: a stack may then come first.
 */
static int peek_clear(const struct pcr_fly *f, const struct fly_stream *s)
{
	struct fly_walk w;
	const unsigned char *p;
	uint64_t commit;
	int n = 0;

	if (f->codec.kind != PCR_CODEC_NONE || f->ahead) {
		if (!s->chunk || s->chunk_len - s->chunk_off < s->page_size)
			return 0;
		p = s->chunk + s->chunk_off;
	} else {
		if (s->win_len - s->win_off < s->page_size)
			return 0;
		p = s->win + s->win_off;
	}
	commit = le(p + 8, 8);
	if ((commit & FLY_MISSED_EVENTS) ||
	    (commit & FLY_COMMIT_MASK) > s->page_size - FLY_PAGE_HEADER)
		return 0;
	walk_start(&w, p, s->page_size, commit);
	while (n < f->watch_horizon && parse_next(&w) == 1 &&
	       w.next <= s->page_size - FLY_PAGE_HEADER && !walk_watched(f, &w))
		n++;
	return n;
}

/*
 * Walks a new page's headers once, in one tight loop, into @recs: the records are then handed
 * out from there, and the look-ahead of pcr_fly_watch() knows the whole page and the start of
 * the next one. A header past the page, or a record running past it, ends the walk; it is
 * reported when the records before it have been handed out.
 */
static int decode_page(const struct pcr_fly *f, struct fly_stream *s)
{
	struct fly_walk *w = &s->walk;
	int ret;

	if (!s->recs) {
		/* The smallest data record is 8 bytes: a header and one word. */
		s->recs_cap = (int)(s->page_size / 8) + 1;
		s->recs = malloc((size_t)s->recs_cap * sizeof(*s->recs));
		if (!s->recs)
			return -PCR_ERR_NOMEM;
	}
	s->nr_recs = 0;
	s->ordinal = -1;
	s->watched_last = -1;
	s->next_clear = 0;
	s->page_bad = NULL;
	while ((ret = parse_next(w)) == 1 && s->nr_recs < s->recs_cap) {
		struct fly_rec *r = &s->recs[s->nr_recs];

		if (w->next > s->page_size - FLY_PAGE_HEADER) {
			s->page_bad = "a record runs past the end of the page";
			return 1;
		}
		r->ts = w->ts;
		r->curr = w->curr;
		r->index = w->index;
		r->next = w->next;
		if (s->watched && walk_watched(f, w))
			s->watched_last = s->nr_recs;
		s->nr_recs++;
	}
	if (ret)
		s->page_bad = "a record header lies past the page";
	else if (s->watched)
		s->next_clear = peek_clear(f, s);
	return 1;
}

/*
 * Moves the stream to its next record; 0 at the end of the CPU's data. The ring-buffer pages
 * are walked by our own parser, with kbuffer's results: kbuffer's five calls a record cost 13%
 * of the reader's time on large v6 (perf, README "Speed").
 */
static __attribute__((noinline)) int stream_advance(struct pcr_fly *f, struct fly_stream *s,
						    char *errmsg)
{
	int ret;

	while (!s->walk.page || s->ordinal + 1 >= s->nr_recs) {
		if (s->walk.page && s->page_bad)
			return page_corrupt(f, s, errmsg, s->page_bad);
		ret = next_page(f, s, errmsg);
		if (ret <= 0)
			return ret;
	}
	s->ts = s->recs[++s->ordinal].ts;
	return 1;
}

static void heap_down(struct pcr_fly *f, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, min = i, tmp;

		if (l < f->heap_len &&
		    stream_cmp(&f->streams[f->heap[l]], &f->streams[f->heap[min]]) < 0)
			min = l;
		if (r < f->heap_len &&
		    stream_cmp(&f->streams[f->heap[r]], &f->streams[f->heap[min]]) < 0)
			min = r;
		if (min == i)
			return;
		tmp = f->heap[i];
		f->heap[i] = f->heap[min];
		f->heap[min] = tmp;
		i = min;
	}
}

static __attribute__((noinline)) int heap_fill(struct pcr_fly *f, char *errmsg)
{
	int i, ret;

	for (i = 0; i < f->nr_streams; i++) {
		ret = stream_advance(f, &f->streams[i], errmsg);
		if (ret < 0)
			return ret;
		if (ret)
			f->heap[f->heap_len++] = i;
	}
	for (i = f->heap_len / 2 - 1; i >= 0; i--)
		heap_down(f, i);
	return 0;
}

int pcr_fly_next(struct pcr_fly *fly, struct tep_record *record, int *which, bool *quiet,
		 char *errmsg)
{
	const struct fly_rec *r;
	struct fly_stream *s;
	int ret;

	if (!fly->advance_top) {
		ret = heap_fill(fly, errmsg);
		if (ret)
			return ret;
		fly->advance_top = true;
	} else if (fly->heap_len) {
		s = &fly->streams[fly->heap[0]];
		/* Most records follow the last one in its page: no page to load, no error. */
		if (s->ordinal + 1 < s->nr_recs) {
			s->ts = s->recs[++s->ordinal].ts;
		} else {
			ret = stream_advance(fly, s, errmsg);
			if (ret < 0)
				return ret;
			if (!ret)
				fly->heap[0] = fly->heap[--fly->heap_len];
		}
		/* The top usually stays on top: one comparison a child instead of a sift. */
		if (fly->heap_len > 1 &&
		    (stream_cmp(&fly->streams[fly->heap[0]], &fly->streams[fly->heap[1]]) > 0 ||
		     (fly->heap_len > 2 &&
		      stream_cmp(&fly->streams[fly->heap[0]], &fly->streams[fly->heap[2]]) > 0)))
			heap_down(fly, 0);
	}
	if (!fly->heap_len)
		return 0;
	s = &fly->streams[fly->heap[0]];
	r = &s->recs[s->ordinal];
	record->ts = r->ts;
	record->cpu = s->region->cpu;
	record->data = (void *)(s->walk.page + FLY_PAGE_HEADER + r->index);
	record->size = (int)(r->next - r->index);
	record->record_size = (int)(r->next - r->curr);
	/* As kbuffer: only the page's first record, with nothing before it, carries the loss. */
	record->missed_events = r->curr ? 0 : s->page_lost;
	record->offset = s->page_off + FLY_PAGE_HEADER + r->curr;
	*which = s->which;
	if (quiet)
		*quiet = s->watched && s->ordinal > s->watched_last &&
			 s->nr_recs - 1 - s->ordinal + s->next_clear >= fly->watch_horizon;
	return 1;
}

int pcr_fly_watch(struct pcr_fly *fly, int buf, int type, const struct tep_format_field *field,
		  int horizon)
{
	if (buf < 0 || buf >= fly->nr_bufs || !field || horizon < 0 || fly->streams)
		return -PCR_ERR_INVAL;
	if (fly->watch_bufs && (type != fly->watch_type || field != fly->watch_field ||
				horizon != fly->watch_horizon))
		return -PCR_ERR_INVAL;
	if (!fly->watch_bufs) {
		fly->watch_bufs = calloc((size_t)fly->nr_bufs, sizeof(*fly->watch_bufs));
		if (!fly->watch_bufs)
			return -PCR_ERR_NOMEM;
	}
	fly->watch_bufs[buf] = true;
	fly->watch_type = type;
	fly->watch_field = field;
	fly->watch_horizon = horizon;
	return 0;
}

void pcr_fly_progress(const struct pcr_fly *fly, uint64_t *done, uint64_t *total)
{
	int i;

	*done = 0;
	*total = 0;
	for (i = 0; i < fly->nr_streams; i++) {
		const struct fly_stream *s = &fly->streams[i];

		*total += s->end - s->region->offset;
		/* Read ahead or not, what counts is what the records came from. */
		if (fly->ahead)
			*done += (s->held ? s->held->done_at : s->region->offset) - s->region->offset;
		else
			*done += stream_consumed(s) - s->region->offset;
	}
}

void pcr_fly_close(struct pcr_fly *fly)
{
	int i;

	if (!fly)
		return;
	pcr_fly_ahead_stop(fly);
	for (i = 0; i < fly->nr_streams; i++) {
		free(fly->streams[i].win);
		free(fly->streams[i].chunk);
		free(fly->streams[i].pad);
		free(fly->streams[i].recs);
	}
	for (i = 0; i < fly->nr_bufs; i++) {
		free(fly->bufs[i].name);
		free(fly->bufs[i].cpus);
	}
	if (fly->fd >= 0)
		close(fly->fd);
	pcr_codec_free(&fly->codec);
	free(fly->streams);
	free(fly->heap);
	free(fly->watch_bufs);
	free(fly->bufs);
	free(fly->path);
	free(fly);
}
