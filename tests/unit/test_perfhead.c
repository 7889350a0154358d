// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the perf.data header parser (formats/perfhead.c) on a file header written here
 * byte by byte: one tracepoint attr with two sample ids, an empty data section and four
 * features (hostname, osrelease, nr_cpus, compressed). The values expected are the ones put in;
 * each damaged variant expects its error code and the words of its message. Also perf's kernel
 * map records (formats/perfrec.c), written the same way.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata.h"

/* Where the parts sit in the file written by build(). */
enum {
	HDR_SIZE = 104,
	ATTR_OFF = 104,
	ATTR_LEN = 64,			/* PERF_ATTR_SIZE_VER0 */
	ATTR_ENTRY = ATTR_LEN + 16,	/* the attr, then its ids section (offset, size) */
	IDS_OFF = ATTR_OFF + ATTR_ENTRY,	/* 184: two u64 ids */
	DATA_OFF = IDS_OFF + 16,	/* 200, empty */
	FEAT_INDEX = DATA_OFF,		/* four (offset, size) pairs */
	HOST_OFF = FEAT_INDEX + 4 * 16,	/* 264: u32 8, "vmhost\0\0" */
	REL_OFF = HOST_OFF + 12,	/* 276: u32 8, "6.18.44\0" */
	NRCPU_OFF = REL_OFF + 12,	/* 288: u32 4, u32 2 */
	COMP_OFF = NRCPU_OFF + 8,	/* 296: u32 version 2, type 1, level 1, ratio 10, mmap */
	FILE_LEN = COMP_OFF + 20,	/* 316 */
};

static void put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put32(unsigned char *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void set_feature(unsigned char *f, int bit)
{
	f[72 + bit / 8] |= (unsigned char)(1u << (bit % 8));
}

/* The whole file, FILE_LEN bytes, malloc()ed (the reader frees its input). */
static unsigned char *build(void)
{
	unsigned char *f = calloc(1, FILE_LEN);

	cr_assert_not_null(f);
	memcpy(f, "PERFILE2", 8);
	put64(f + 8, HDR_SIZE);
	put64(f + 16, ATTR_ENTRY);
	put64(f + 24, ATTR_OFF);
	put64(f + 32, ATTR_ENTRY);
	put64(f + 40, DATA_OFF);
	put64(f + 48, 0);
	set_feature(f, 3);	/* HOSTNAME */
	set_feature(f, 4);	/* OSRELEASE */
	set_feature(f, 7);	/* NRCPUS */
	set_feature(f, 27);	/* COMPRESSED */

	put32(f + ATTR_OFF, 2);			/* PERF_TYPE_TRACEPOINT */
	put32(f + ATTR_OFF + 4, ATTR_LEN);
	put64(f + ATTR_OFF + 8, 123);		/* config: the event id */
	put64(f + ATTR_OFF + 16, 1);		/* sample_period */
	/* sample_type: IP TID TIME CALLCHAIN CPU RAW */
	put64(f + ATTR_OFF + 24, 0x1 | 0x2 | 0x4 | 0x20 | 0x80 | 0x400);
	put64(f + ATTR_OFF + 32, 0);		/* read_format */
	put64(f + ATTR_OFF + 40, 1ull << 18);	/* sample_id_all */
	put64(f + ATTR_OFF + ATTR_LEN, IDS_OFF);
	put64(f + ATTR_OFF + ATTR_LEN + 8, 16);
	put64(f + IDS_OFF, 7);
	put64(f + IDS_OFF + 8, 8);

	put64(f + FEAT_INDEX, HOST_OFF);
	put64(f + FEAT_INDEX + 8, 12);
	put64(f + FEAT_INDEX + 16, REL_OFF);
	put64(f + FEAT_INDEX + 24, 12);
	put64(f + FEAT_INDEX + 32, NRCPU_OFF);
	put64(f + FEAT_INDEX + 40, 8);
	put64(f + FEAT_INDEX + 48, COMP_OFF);
	put64(f + FEAT_INDEX + 56, 20);
	put32(f + HOST_OFF, 8);
	memcpy(f + HOST_OFF + 4, "vmhost", 6);
	put32(f + REL_OFF, 8);
	memcpy(f + REL_OFF + 4, "6.18.44", 7);
	put32(f + NRCPU_OFF, 4);
	put32(f + NRCPU_OFF + 4, 2);
	put32(f + COMP_OFF, 2);
	put32(f + COMP_OFF + 4, 1);
	put32(f + COMP_OFF + 8, 1);
	put32(f + COMP_OFF + 12, 10);
	return f;
}

static struct perfdata_source *reader(unsigned char *file, size_t len)
{
	struct perfdata_source *pd = calloc(1, sizeof(*pd));

	cr_assert_not_null(pd);
	pd->buf = file;
	pd->len = len;
	pd->name = "t.data";
	return pd;
}

Test(perfhead, whole_header)
{
	struct perfdata_source *pd = reader(build(), FILE_LEN);
	char errmsg[512] = "";

	cr_assert_eq(pcr_perf_parse_file_header(pd, errmsg), 0, "%s", errmsg);
	cr_assert_eq(pd->nr_attrs, 1);
	cr_assert_eq(pd->attrs[0].type, 2);
	cr_assert_eq(pd->attrs[0].config, 123);
	cr_assert_eq(pd->attrs[0].sample_type, 0x4a7);
	cr_assert(pd->attrs[0].sample_id_all);
	cr_assert_eq(pd->attrs[0].nr_ids, 2);
	cr_assert_eq(pd->attrs[0].ids[0], 7);
	cr_assert_eq(pd->attrs[0].ids[1], 8);
	cr_assert(pd->has_callchain);
	cr_assert_eq(pcr_perf_attr_by_id(pd, 8), &pd->attrs[0]);
	cr_assert_null(pcr_perf_attr_by_id(pd, 9));
	cr_assert_str_eq(pd->hostname, "vmhost");
	cr_assert_str_eq(pd->osrelease, "6.18.44");
	cr_assert_null(pd->arch);
	cr_assert_eq(pd->nr_cpus_feature, 4);
	cr_assert_eq(pd->comp_type, 1);
	cr_assert_not(pd->have_tracing);
	cr_assert_eq(pd->nr_items, 0);
	pcr_perf_free(pd);
}

/* Parses @file (@len bytes of it) and expects error @err whose message holds @words. */
static void expect_refusal(unsigned char *file, size_t len, int err, const char *words)
{
	struct perfdata_source *pd = reader(file, len);
	char errmsg[512] = "";

	cr_assert_eq(pcr_perf_parse_file_header(pd, errmsg), err, "%s", errmsg);
	cr_assert(strstr(errmsg, words), "'%s' lacks '%s'", errmsg, words);
	pcr_perf_free(pd);
}

Test(perfhead, cut_header)
{
	expect_refusal(build(), 50, -PCR_ERR_TRUNCATED,
		       "t.data: perf.data offset 50: the file header needs 104 bytes, the file has 50 (the recording is truncated; record it again, or copy the whole file)");
}

Test(perfhead, attr_entry_too_small)
{
	unsigned char *f = build();

	put64(f + 16, 63);	/* the attr's 48 bytes and its ids section need 64 */
	expect_refusal(f, FILE_LEN, -PCR_ERR_FORMAT,
		       "t.data: perf.data offset 16: attr entries of 63 bytes (the file is corrupt)");
}

Test(perfhead, feature_past_the_end)
{
	unsigned char *f = build();

	put64(f + FEAT_INDEX + 24, FILE_LEN);	/* osrelease runs past the end */
	expect_refusal(f, FILE_LEN, -PCR_ERR_TRUNCATED,
		       "perf.data offset 216: feature 4 [276, +316) lies past the end");
}

Test(perfhead, ids_not_whole)
{
	unsigned char *f = build();

	put64(f + ATTR_OFF + ATTR_LEN + 8, 12);	/* one and a half ids */
	expect_refusal(f, FILE_LEN, -PCR_ERR_TRUNCATED,
		       "perf.data offset 168: the ids of attr 0 [184, +12) lie past the end");
}

Test(perfhead, compression_header_cut)
{
	unsigned char *f = build();

	put64(f + FEAT_INDEX + 56, 6);	/* the type needs bytes 4..7 */
	expect_refusal(f, FILE_LEN, -PCR_ERR_FORMAT,
		       "perf.data offset 296: a compression header of 6 bytes");
}

/*
 * Writes a PERF_RECORD_MMAP (type 1) or MMAP2 (type 10) record at @p: pid, tid 0, start, len,
 * pgoff, for MMAP2 24 zero bytes (maj, min, ino, generation) and prot, flags, then @name
 * NUL-padded to 8 bytes. Returns its size.
 */
static size_t put_mmap(unsigned char *p, bool mmap2, uint32_t pid, uint64_t start,
		       uint64_t len, uint64_t pgoff, const char *name)
{
	size_t at = 8 + (mmap2 ? 64 : 32), n = strlen(name) + 1;
	size_t size = at + (n + 7) / 8 * 8;

	memset(p, 0, size);
	put32(p, mmap2 ? 10 : 1);
	p[6] = (unsigned char)size;
	p[7] = (unsigned char)(size >> 8);
	put32(p + 8, pid);
	put64(p + 16, start);
	put64(p + 24, len);
	put64(p + 32, pgoff);
	memcpy(p + at, name, n);
	return size;
}

/*
 * perf record's kernel map, as perf script --show-mmap-events shows it on the test VM:
 * "PERF_RECORD_MMAP -1/0: [0xffffffff81000000(0x125aa00) @ 0xffffffff81000000]: x
 * [kernel.kallsyms]_text": _text at ffffffff81000000, the map's end ffffffff8225aa00 (its
 * _etext). Maps that are no kernel map leave it alone: a module's ("[pcr_fault]", pid -1), a
 * task's map named like it (pid 100), a guest kernel's. The MMAP2 form (name 32 bytes later)
 * gives the same, with _stext and another start; a pgoff of 0 takes the start.
 */
Test(perfrec, kernel_map)
{
	unsigned char buf[1024];
	struct perfdata_source *pd;
	char errmsg[512] = "";
	size_t n = 0;

	n += put_mmap(buf + n, false, UINT32_MAX, 0xffffffff81000000ull, 0x125aa00,
		      0xffffffff81000000ull, "[kernel.kallsyms]_text");
	n += put_mmap(buf + n, false, 100, 0x400000, 0x1000, 0, "[kernel.kallsyms]_text");
	n += put_mmap(buf + n, false, UINT32_MAX, 0xffffffffc0000000ull, 0x2000, 0, "[pcr_fault]");
	n += put_mmap(buf + n, true, UINT32_MAX, 0xffffffffa0000000ull, 0x1000, 0,
		      "[guest.kernel.kallsyms]_text");
	pd = reader(buf, n);
	cr_assert_eq(pcr_perf_parse_records(pd, buf, 0, n, NULL, errmsg), 0, "%s", errmsg);
	cr_assert_str_eq(pd->ktext_sym, "_text");
	cr_assert_eq(pd->ktext_addr, 0xffffffff81000000ull);
	cr_assert_eq(pd->ktext_end, 0xffffffff8225aa00ull);
	pd->buf = NULL;
	pcr_perf_free(pd);

	n = put_mmap(buf, true, UINT32_MAX, 0xffffffff9e000000ull, 0x1200000, 0,
		     "[kernel.kallsyms]_stext");
	pd = reader(buf, n);
	cr_assert_eq(pcr_perf_parse_records(pd, buf, 0, n, NULL, errmsg), 0, "%s", errmsg);
	cr_assert_str_eq(pd->ktext_sym, "_stext");
	cr_assert_eq(pd->ktext_addr, 0xffffffff9e000000ull);
	cr_assert_eq(pd->ktext_end, 0xffffffff9f200000ull);
	pd->buf = NULL;
	pcr_perf_free(pd);
}
