// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of our trace.dat ring-buffer reader (formats/flyrecord.c).
 *
 * Each test writes a small trace.dat v7 by hand, as trace-cmd.dat.v7(5) lays it out: the fixed
 * header, one OPTIONS section with BUFFER options and DONE, and each CPU's uncompressed pages
 * (a 16-byte page header: timestamp and commit; then ring-buffer events whose 4-byte header
 * holds type_len (length / 4) and the time delta). Every event's 8 data bytes hold a tag that
 * names it, so the order the reader returns can be checked against the order worked out by
 * hand in the comment above each test: earliest timestamp first; on equal timestamps the
 * earlier buffer, then the lower CPU, as libtracecmd's tracecmd_iterate_events_multi() does.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <traceevent/kbuffer.h>

#include "flyrecord.h"
#include "pcr_formats.h"

#define PAGE 4096

/* The header_page format of a 64-bit kernel: the reader needs its 8-byte commit word. */
static const char header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:1;\n";

struct filebuf {
	unsigned char *p;
	size_t len;
};

static void put(struct filebuf *f, const void *data, size_t n)
{
	f->p = realloc(f->p, f->len + n);
	cr_assert_not_null(f->p);
	memcpy(f->p + f->len, data, n);
	f->len += n;
}

static void put_le(struct filebuf *f, uint64_t v, int n)
{
	unsigned char b[8];
	int i;

	for (i = 0; i < n; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	put(f, b, (size_t)n);
}

/*
 * One page of events: @deltas[i] is event i's time delta from the previous one (the first from
 * @page_ts), @tags[i] its 8 data bytes.
 */
static void put_page(struct filebuf *f, uint64_t page_ts, const uint32_t *deltas,
		     const uint64_t *tags, int nr)
{
	size_t start = f->len;
	int i;

	put_le(f, page_ts, 8);
	put_le(f, (uint64_t)nr * 12, 8);	/* commit: bytes of events */
	for (i = 0; i < nr; i++) {
		/* type_len 2: an 8-byte event; the delta above the 5 type_len bits. */
		put_le(f, (uint64_t)deltas[i] << 5 | 2, 4);
		put_le(f, tags[i], 8);
	}
	while (f->len - start < PAGE)
		put_le(f, 0, 1);
}

struct cpu_data {
	const uint32_t *deltas;
	const uint64_t *tags;
	const unsigned char *raw;	/* a whole page written as is, instead of the events */
	uint64_t page_ts;
	int nr;
	int cpu;
	/* A second page, when @nr2 is not 0: its events, from its own page time. */
	const uint32_t *deltas2;
	const uint64_t *tags2;
	uint64_t page_ts2;
	int nr2;
};

static int cpu_pages(const struct cpu_data *c)
{
	return c->nr2 ? 2 : 1;
}

struct buffer_data {
	const char *name;	/* "" for the top buffer */
	const struct cpu_data *cpus;
	int nr_cpus;
};

/* Writes a v7 file with these buffers to a temporary path (returned, to unlink and free). */
static char *write_v7(const struct buffer_data *bufs, int nr_bufs)
{
	struct filebuf f = { 0 }, opts = { 0 };
	char *path = strdup("/tmp/pcr-test-flyrecord.XXXXXX");
	size_t opts_at, data_at;
	uint64_t data_off = 0;
	int fd, b, c;

	cr_assert_not_null(path);
	put(&f, "\027\010\104tracing", 10);
	put(&f, "7", 2);
	put_le(&f, 0, 1);		/* little endian */
	put_le(&f, 8, 1);		/* 8-byte longs */
	put_le(&f, PAGE, 4);
	put(&f, "none", 5);
	put(&f, "", 1);
	opts_at = f.len + 8;
	put_le(&f, opts_at, 8);

	/* The data follows the options, page-aligned: work out where before writing them. */
	for (b = 0; b < nr_bufs; b++)
		opts.len += 6 + 8 + strlen(bufs[b].name) + 1 + 6 + 8 + 20 * bufs[b].nr_cpus;
	opts.len += 6 + 8;
	data_at = (opts_at + 16 + opts.len + PAGE - 1) / PAGE * PAGE;
	opts.len = 0;
	for (b = 0, c = 0; b < nr_bufs; b++) {
		int i;

		put_le(&opts, 3, 2);
		put_le(&opts, 8 + strlen(bufs[b].name) + 1 + 6 + 8 + 20 * bufs[b].nr_cpus, 4);
		put_le(&opts, 0, 8);		/* the section offset: not read */
		put(&opts, bufs[b].name, strlen(bufs[b].name) + 1);
		put(&opts, "local", 6);
		put_le(&opts, PAGE, 4);
		put_le(&opts, (uint64_t)bufs[b].nr_cpus, 4);
		for (i = 0; i < bufs[b].nr_cpus; i++, c++) {
			uint64_t size = (uint64_t)cpu_pages(&bufs[b].cpus[i]) * PAGE;

			put_le(&opts, (uint64_t)bufs[b].cpus[i].cpu, 4);
			put_le(&opts, data_at + data_off, 8);
			put_le(&opts, size, 8);
			data_off += size;
		}
	}
	put_le(&opts, 0, 2);
	put_le(&opts, 8, 4);
	put_le(&opts, 0, 8);
	put_le(&f, 0, 2);			/* section id: OPTIONS */
	put_le(&f, 0, 2);			/* not compressed */
	put_le(&f, 0, 4);
	put_le(&f, opts.len, 8);
	put(&f, opts.p, opts.len);
	while (f.len < data_at)
		put_le(&f, 0, 1);
	for (b = 0; b < nr_bufs; b++) {
		for (c = 0; c < bufs[b].nr_cpus; c++) {
			const struct cpu_data *cd = &bufs[b].cpus[c];

			if (cd->raw)
				put(&f, cd->raw, PAGE);
			else
				put_page(&f, cd->page_ts, cd->deltas, cd->tags, cd->nr);
			if (cd->nr2)
				put_page(&f, cd->page_ts2, cd->deltas2, cd->tags2, cd->nr2);
		}
	}

	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, f.p, f.len), (ssize_t)f.len);
	close(fd);
	free(f.p);
	free(opts.p);
	return path;
}

static struct tep_handle *make_tep(void)
{
	struct tep_handle *tep = tep_alloc();

	cr_assert_not_null(tep);
	tep_set_file_bigendian(tep, TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(tep, TEP_LITTLE_ENDIAN);
	tep_set_long_size(tep, 8);
	cr_assert_eq(tep_parse_header_page(tep, (char *)header_page, sizeof(header_page) - 1, 8),
		     0);
	return tep;
}

struct seen {
	uint64_t tag;
	uint64_t ts;
	int cpu;
	int which;
};

/* Reads every record; returns how many, with their tag, timestamp, CPU and buffer. */
static int read_all(const char *path, const int *bufs, int nr_bufs, struct seen *out, int max)
{
	char errmsg[PCR_ERRMSG_LEN] = "";
	struct tep_handle *tep = make_tep();
	struct tep_record rec = { 0 };
	struct pcr_fly *fly;
	const char *why;
	int n = 0, ret, which;

	ret = pcr_fly_open(&fly, path, tep, &why, errmsg);
	cr_assert_eq(ret, 0, "pcr_fly_open: %d %s %s", ret, why, errmsg);
	cr_assert_eq(pcr_fly_start(fly, bufs, nr_bufs), 0);
	while ((ret = pcr_fly_next(fly, &rec, &which, NULL, errmsg)) > 0) {
		cr_assert_lt(n, max);
		cr_assert_eq(rec.size, 8);
		memcpy(&out[n].tag, rec.data, 8);
		out[n].ts = rec.ts;
		out[n].cpu = rec.cpu;
		out[n].which = which;
		n++;
	}
	cr_assert_eq(ret, 0, "pcr_fly_next: %d %s", ret, errmsg);
	pcr_fly_close(fly);
	tep_free(tep);
	return n;
}

/*
 * CPU 0: events A at 100, B at 200, C at 300 (deltas 0, 100, 100 from page time 100).
 * CPU 1: events D at 100, E at 150, F at 300 (deltas 0, 50, 150).
 * Merged: A (100, cpu 0) before D (100, cpu 1): the lower CPU first on a tie; E 150; B 200;
 * C (300, cpu 0) before F (300, cpu 1).
 */
Test(flyrecord, merges_cpus_by_time_lower_cpu_first_on_ties)
{
	static const uint32_t d0[] = { 0, 100, 100 }, d1[] = { 0, 50, 150 };
	static const uint64_t t0[] = { 'A', 'B', 'C' }, t1[] = { 'D', 'E', 'F' };
	const struct cpu_data cpus[] = {
		{ .deltas = d0, .tags = t0, .page_ts = 100, .nr = 3, .cpu = 0 },
		{ .deltas = d1, .tags = t1, .page_ts = 100, .nr = 3, .cpu = 1 },
	};
	const struct buffer_data buf = { .name = "", .cpus = cpus, .nr_cpus = 2 };
	static const uint64_t want_tag[] = { 'A', 'D', 'E', 'B', 'C', 'F' };
	static const uint64_t want_ts[] = { 100, 100, 150, 200, 300, 300 };
	static const int want_cpu[] = { 0, 1, 1, 0, 0, 1 };
	char *path = write_v7(&buf, 1);
	struct seen seen[8];
	int bufs[1], i, n;
	struct tep_handle *tep = make_tep();
	char errmsg[PCR_ERRMSG_LEN];
	struct pcr_fly *fly;
	const char *why;

	cr_assert_eq(pcr_fly_open(&fly, path, tep, &why, errmsg), 0, "%s", errmsg);
	bufs[0] = pcr_fly_buffer(fly, "top");
	cr_assert_eq(bufs[0], 0);
	cr_assert_eq(pcr_fly_buffer(fly, "nosuch"), -1);
	cr_assert_not(pcr_fly_compressed(fly));
	pcr_fly_close(fly);
	tep_free(tep);

	n = read_all(path, bufs, 1, seen, 8);
	cr_assert_eq(n, 6);
	for (i = 0; i < n; i++) {
		cr_expect_eq(seen[i].tag, want_tag[i], "record %d: tag %c, want %c", i,
			     (char)seen[i].tag, (char)want_tag[i]);
		cr_expect_eq(seen[i].ts, want_ts[i], "record %d", i);
		cr_expect_eq(seen[i].cpu, want_cpu[i], "record %d", i);
	}
	unlink(path);
	free(path);
}

/*
 * Two buffers: top (CPU 0: A at 10, B at 20) and instance "x" (CPU 0: C at 10, D at 15).
 * Chosen in the order x, top: on the tie at 10 the first chosen buffer (x) comes first, as
 * libtracecmd numbers the CPUs of its handles in the order it is given them.
 * Merged: C (10, x), A (10, top), D (15, x), B (20, top).
 */
Test(flyrecord, ties_between_buffers_follow_the_chosen_order)
{
	static const uint32_t da[] = { 0, 10 }, dc[] = { 0, 5 };
	static const uint64_t ta[] = { 'A', 'B' }, tc[] = { 'C', 'D' };
	const struct cpu_data top_cpus[] = { { .deltas = da, .tags = ta, .page_ts = 10, .nr = 2 } };
	const struct cpu_data x_cpus[] = { { .deltas = dc, .tags = tc, .page_ts = 10, .nr = 2 } };
	const struct buffer_data bufs[] = {
		{ .name = "", .cpus = top_cpus, .nr_cpus = 1 },
		{ .name = "x", .cpus = x_cpus, .nr_cpus = 1 },
	};
	static const uint64_t want_tag[] = { 'C', 'A', 'D', 'B' };
	static const int want_which[] = { 0, 1, 0, 1 };
	char *path = write_v7(bufs, 2);
	int order[2] = { 1, 0 };	/* x (index 1 in the file), then top */
	struct seen seen[8];
	int i, n = read_all(path, order, 2, seen, 8);

	cr_assert_eq(n, 4);
	for (i = 0; i < n; i++) {
		cr_expect_eq(seen[i].tag, want_tag[i], "record %d: tag %c, want %c", i,
			     (char)seen[i].tag, (char)want_tag[i]);
		cr_expect_eq(seen[i].which, want_which[i], "record %d", i);
	}
	unlink(path);
	free(path);
}

/* A page whose commit word says more than a page: an error naming it, never a read past it. */
Test(flyrecord, refuses_a_page_that_claims_more_than_a_page)
{
	static const uint32_t d[] = { 0 };
	static const uint64_t t[] = { 'A' };
	const struct cpu_data cpus[] = { { .deltas = d, .tags = t, .page_ts = 1, .nr = 1 } };
	const struct buffer_data buf = { .name = "", .cpus = cpus, .nr_cpus = 1 };
	char *path = write_v7(&buf, 1);
	char errmsg[PCR_ERRMSG_LEN] = "";
	struct tep_handle *tep = make_tep();
	unsigned char commit[8] = { 0xf1, 0x0f, 0, 0, 0, 0, 0, 0 };	/* 4081 bytes */
	struct tep_record rec = { 0 };
	struct pcr_fly *fly;
	const char *why;
	long size;
	int which, bufs[1] = { 0 };
	FILE *fp = fopen(path, "r+");

	cr_assert_not_null(fp);
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	/* The only page is the file's last: its commit word is 8 bytes into it. */
	fseek(fp, size - PAGE + 8, SEEK_SET);
	fwrite(commit, 1, sizeof(commit), fp);
	fclose(fp);
	cr_assert_eq(pcr_fly_open(&fly, path, tep, &why, errmsg), 0, "%s", errmsg);
	cr_assert_eq(pcr_fly_start(fly, bufs, 1), 0);
	cr_assert_eq(pcr_fly_next(fly, &rec, &which, NULL, errmsg), -PCR_ERR_FORMAT);
	cr_expect(strstr(errmsg, "CPU 0, page at byte 0") != NULL, "%s", errmsg);
	pcr_fly_close(fly);
	tep_free(tep);
	unlink(path);
	free(path);
}

/* Little-endian words into a raw page, at *at. */
static void raw_le(unsigned char *page, size_t *at, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		page[(*at)++] = (unsigned char)(v >> (8 * i));
}

/*
 * A page with every kind of ring-buffer record: a time extend, an 8-byte event, a discarded
 * event (padding with a length and a delta), an event with its length in array[0], then, with
 * @absolute, an absolute timestamp and one more event; the commit word says events were lost
 * before the page and stores their count (7) after the data.
 */
static void raw_page(unsigned char *page, bool absolute)
{
	size_t at = 16;

	memset(page, 0, PAGE);
	raw_le(page, &at, 30u | 5u << 5, 4);		/* time extend: 1 << 27 + 5 */
	raw_le(page, &at, 1, 4);
	raw_le(page, &at, 2u | 10u << 5, 4);		/* event A, delta 10 */
	raw_le(page, &at, 'A', 8);
	raw_le(page, &at, 29u | 3u << 5, 4);		/* discarded: delta 3, 8 bytes */
	raw_le(page, &at, 8, 4);
	raw_le(page, &at, 0, 4);
	raw_le(page, &at, 0u | 7u << 5, 4);		/* event B, length in array[0] */
	raw_le(page, &at, 4 + 12, 4);
	raw_le(page, &at, 'B', 8);
	raw_le(page, &at, 0xbbbb, 4);
	if (absolute) {
		raw_le(page, &at, 31u | 5000u << 5, 4);	/* absolute timestamp 5000 */
		raw_le(page, &at, 0, 4);
		raw_le(page, &at, 2u | 1u << 5, 4);	/* event C, delta 1 */
		raw_le(page, &at, 'C', 8);
	}
	/* commit: the bytes of records, events lost before the page, their count stored. */
	raw_le(page, &(size_t){ 8 }, (at - 16) | 1ull << 31 | 1ull << 30, 8);
	raw_le(page, &at, 7, 8);
	raw_le(page, &(size_t){ 0 }, 1000, 8);
}

/*
 * Our page walker against libtraceevent's kbuffer on the same page: the same records, with the
 * same timestamps, sizes, data and lost-event counts.
 */
static void compare_with_kbuffer(bool absolute)
{
	unsigned char page[PAGE];
	const struct cpu_data cpus[] = { { .raw = page } };
	const struct buffer_data buf = { .name = "", .cpus = cpus, .nr_cpus = 1 };
	char errmsg[PCR_ERRMSG_LEN] = "";
	struct tep_handle *tep = make_tep();
	struct kbuffer *kbuf = kbuffer_alloc(KBUFFER_LSIZE_8, KBUFFER_ENDIAN_LITTLE);
	unsigned long long ts;
	struct tep_record rec = { 0 };
	struct pcr_fly *fly;
	const char *why;
	char *path;
	void *data;
	int which, bufs[1] = { 0 }, n = 0;

	raw_page(page, absolute);
	path = write_v7(&buf, 1);
	cr_assert_not_null(kbuf);
	cr_assert_eq(kbuffer_load_subbuffer(kbuf, page), 0);
	cr_assert_eq(pcr_fly_open(&fly, path, tep, &why, errmsg), 0, "%s", errmsg);
	cr_assert_eq(pcr_fly_start(fly, bufs, 1), 0);
	for (data = kbuffer_read_event(kbuf, &ts); data; data = kbuffer_next_event(kbuf, &ts)) {
		cr_assert_eq(pcr_fly_next(fly, &rec, &which, NULL, errmsg), 1, "record %d: %s", n, errmsg);
		cr_expect_eq(rec.ts, ts, "record %d: ts %llu, kbuffer %llu", n, rec.ts, ts);
		cr_expect_eq(rec.size, kbuffer_event_size(kbuf), "record %d", n);
		cr_expect_eq(rec.missed_events, kbuffer_missed_events(kbuf), "record %d", n);
		cr_expect_eq(memcmp(rec.data, data, 8), 0, "record %d", n);
		n++;
	}
	cr_expect_eq(n, absolute ? 3 : 2);
	cr_expect_eq(pcr_fly_next(fly, &rec, &which, NULL, errmsg), 0, "%s", errmsg);
	kbuffer_free(kbuf);
	pcr_fly_close(fly);
	tep_free(tep);
	unlink(path);
	free(path);
}

Test(flyrecord, walks_a_page_as_kbuffer_does)
{
	compare_with_kbuffer(false);
}

/* At an absolute timestamp kbuffer takes over: the records stay kbuffer's. */
Test(flyrecord, hands_absolute_timestamps_to_kbuffer)
{
	compare_with_kbuffer(true);
}

/*
 * A page with events A and B, then a record whose length (in array[0]: 8000 bytes) runs past
 * the 4080 bytes of data a page holds: A and B come out, then an error that says so, never a
 * read past the page.
 */
Test(flyrecord, stops_at_a_record_that_runs_past_the_page)
{
	unsigned char page[PAGE] = { 0 };
	const struct cpu_data cpus[] = { { .raw = page } };
	const struct buffer_data buf = { .name = "", .cpus = cpus, .nr_cpus = 1 };
	char errmsg[PCR_ERRMSG_LEN] = "";
	struct tep_handle *tep = make_tep();
	struct tep_record rec = { 0 };
	struct pcr_fly *fly;
	const char *why;
	char *path;
	int which, bufs[1] = { 0 };
	size_t at = 16;

	raw_le(page, &at, 2u | 1u << 5, 4);		/* event A, delta 1 */
	raw_le(page, &at, 'A', 8);
	raw_le(page, &at, 2u | 1u << 5, 4);		/* event B, delta 1 */
	raw_le(page, &at, 'B', 8);
	raw_le(page, &at, 0u | 1u << 5, 4);		/* length in array[0] */
	raw_le(page, &at, 8000, 4);
	raw_le(page, &(size_t){ 8 }, at - 16, 8);	/* commit */
	raw_le(page, &(size_t){ 0 }, 100, 8);	/* page timestamp */
	path = write_v7(&buf, 1);
	cr_assert_eq(pcr_fly_open(&fly, path, tep, &why, errmsg), 0, "%s", errmsg);
	cr_assert_eq(pcr_fly_start(fly, bufs, 1), 0);
	cr_assert_eq(pcr_fly_next(fly, &rec, &which, NULL, errmsg), 1, "%s", errmsg);
	cr_expect_eq(memcmp(rec.data, &(uint64_t){ 'A' }, 8), 0);
	cr_expect_eq(rec.ts, 101);
	cr_assert_eq(pcr_fly_next(fly, &rec, &which, NULL, errmsg), 1, "%s", errmsg);
	cr_expect_eq(memcmp(rec.data, &(uint64_t){ 'B' }, 8), 0);
	cr_expect_eq(rec.ts, 102);
	cr_assert_eq(pcr_fly_next(fly, &rec, &which, NULL, errmsg), -PCR_ERR_FORMAT);
	cr_expect(strstr(errmsg, "a record runs past the end of the page") != NULL, "%s", errmsg);
	pcr_fly_close(fly);
	tep_free(tep);
	unlink(path);
	free(path);
}

/*
 * The look-ahead for stacks (pcr_fly_watch(), horizon 8, watched id 'S' in each record's first
 * two bytes) across a page boundary. CPU 0, page 1: ten records A0..A9, none an 'S'; page 2:
 * three records, then an 'S', then one more. After record i of page 1 come 9 - i records of
 * page 1 and then 3 clear ones of page 2: quiet while 9 - i + 3 >= 8, that is for i <= 4. In
 * page 2 the records up to the 'S' (ordinal 3) are not quiet; the one after it, the stream's
 * last, has nothing known after it: not quiet either.
 */
Test(flyrecord, looks_for_stacks_into_the_next_page)
{
	static const uint32_t d1[10] = { 0, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, d2[5] = { 0, 1, 1, 1, 1 };
	static const uint64_t t1[10] = { 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A' };
	static const uint64_t t2[5] = { 'B', 'B', 'B', 'S', 'B' };
	const struct cpu_data cpus[] = {
		{ .deltas = d1, .tags = t1, .page_ts = 100, .nr = 10,
		  .deltas2 = d2, .tags2 = t2, .page_ts2 = 200, .nr2 = 5 },
	};
	const struct buffer_data buf = { .name = "", .cpus = cpus, .nr_cpus = 1 };
	static const bool want[15] = { true, true, true, true, true, false, false, false, false,
				       false, false, false, false, false, false };
	const struct tep_format_field type = { .offset = 0, .size = 2 };
	char *path = write_v7(&buf, 1);
	char errmsg[PCR_ERRMSG_LEN] = "";
	struct tep_handle *tep = make_tep();
	struct tep_record rec = { 0 };
	struct pcr_fly *fly;
	const char *why;
	int which, n = 0, bufs[1] = { 0 };
	bool quiet;

	cr_assert_eq(pcr_fly_open(&fly, path, tep, &why, errmsg), 0, "%s", errmsg);
	cr_assert_eq(pcr_fly_watch(fly, 0, 'S', &type, 8), 0);
	cr_assert_eq(pcr_fly_start(fly, bufs, 1), 0);
	while (pcr_fly_next(fly, &rec, &which, &quiet, errmsg) > 0) {
		cr_assert_lt(n, 15);
		cr_expect_eq(quiet, want[n], "record %d: quiet %d, want %d", n, quiet, want[n]);
		n++;
	}
	cr_expect_eq(n, 15, "%s", errmsg);
	pcr_fly_close(fly);
	tep_free(tep);
	unlink(path);
	free(path);
}

/* A 32-bit word of a page in the layout's byte order. */
static void put_word(unsigned char *p, uint32_t v, bool big_endian)
{
	int i;

	for (i = 0; i < 4; i++)
		p[big_endian ? 3 - i : i] = (unsigned char)(v >> (8 * i));
}

/*
 * A record header as the kernel's bitfield lays it out: type_len in the low 5 bits, or in the
 * high 5 on big-endian.
 */
static uint32_t header_word(uint32_t type_len, uint32_t delta, bool big_endian)
{
	return big_endian ? type_len << 27 | delta : delta << 5 | type_len;
}

/*
 * Writes a page of @commit_size-byte commit words: records of 8 bytes (type_len 2), a time
 * extend, 40 bytes (type_len 0, length 44), 12 bytes (type_len 3). Returns the length word's
 * offset in the page.
 */
static size_t layout_page(unsigned char *page, int commit_size, bool big_endian)
{
	size_t head = 8 + (size_t)commit_size, at = head, length_at;
	int i;

	memset(page, 0, PAGE);
	put_word(page + at, header_word(2, 5, big_endian), big_endian);
	at += 4 + 8;
	put_word(page + at, header_word(30, 7, big_endian), big_endian);
	put_word(page + at + 4, 1, big_endian);
	at += 8;
	put_word(page + at, header_word(0, 3, big_endian), big_endian);
	length_at = at + 4;
	put_word(page + length_at, 44, big_endian);
	at += 8 + 40;
	put_word(page + at, header_word(3, 1, big_endian), big_endian);
	at += 4 + 12;
	for (i = 0; i < commit_size; i++)
		page[8 + (big_endian ? commit_size - 1 - i : i)] =
			(unsigned char)((at - head) >> (8 * i));
	return length_at;
}

/*
 * pcr_fly_check_page() in the four layouts kbuffer reads (4- or 8-byte commit words, either
 * byte order): kbuffer walks each page to the same three records of 8, 40 and 12 bytes that the
 * check passes; a length word that runs past the page is refused.
 */
Test(flyrecord, checks_pages_in_every_layout_kbuffer_reads)
{
	static const unsigned int sizes[] = { 8, 40, 12 };
	unsigned char page[PAGE];
	const char *what = NULL;
	int layout;

	for (layout = 0; layout < 4; layout++) {
		int commit_size = layout & 1 ? 4 : 8, n = 0;
		bool big_endian = layout & 2;
		struct kbuffer *kbuf = kbuffer_alloc(commit_size == 8 ? KBUFFER_LSIZE_8 :
						     KBUFFER_LSIZE_4,
						     big_endian ? KBUFFER_ENDIAN_BIG :
								  KBUFFER_ENDIAN_LITTLE);
		size_t length_at = layout_page(page, commit_size, big_endian);
		unsigned long long ts;
		void *data;

		cr_assert_not_null(kbuf);
		cr_assert_eq(kbuffer_load_subbuffer(kbuf, page), 0);
		for (data = kbuffer_read_event(kbuf, &ts); data; data = kbuffer_next_event(kbuf, &ts)) {
			cr_assert_lt(n, 3, "layout %d: more records than written", layout);
			cr_expect_eq((unsigned int)kbuffer_event_size(kbuf), sizes[n],
				     "layout %d, record %d", layout, n);
			n++;
		}
		kbuffer_free(kbuf);
		cr_expect_eq(n, 3, "layout %d: kbuffer read %d records", layout, n);
		cr_expect_eq(pcr_fly_check_page(page, PAGE, commit_size, big_endian, &what), 0,
			     "layout %d: %s", layout, what);
		put_word(page + length_at, 5000, big_endian);
		cr_expect_eq(pcr_fly_check_page(page, PAGE, commit_size, big_endian, &what),
			     -PCR_ERR_FORMAT, "layout %d", layout);
		cr_expect_str_eq(what, "a record runs past the end of the page");
	}
}
