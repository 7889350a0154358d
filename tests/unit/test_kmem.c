// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the kmem record reader (formats/kmem.c, kmem.h): the same fields come out
 * whichever way a record is read: unchecked loads (a whole record of this machine's byte
 * order), checked loads (a short record) or libtraceevent (the other byte order).
 *
 * The format is mm_page_alloc's as Linux 6.x prints it in tracefs (without the print format's
 * flag table): pfn u64 at 8, order u32 at 16, gfp_flags u64 at 24, migratetype s32 at 32.
 */
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "kmem.h"

static const char alloc_format[] =
	"name: mm_page_alloc\n"
	"ID: 653\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:unsigned long pfn;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned int order;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long gfp_flags;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:int migratetype;\toffset:32;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"pfn=0x%lx order=%d\", REC->pfn, REC->order\n";

/* Writes @v as @n bytes at @p, little- or big-endian. */
static void put(unsigned char *p, uint64_t v, int n, bool big)
{
	int i;

	for (i = 0; i < n; i++)
		p[big ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/* One mm_page_alloc record: pfn 0x12345, order 3, gfp 0xcc0, migratetype 1 (36 bytes). */
static void alloc_record(unsigned char rec[40], bool big)
{
	memset(rec, 0, 40);
	put(rec, 653, 2, big);
	put(rec + 4, 4242, 4, big);
	put(rec + 8, 0x12345, 8, big);
	put(rec + 16, 3, 4, big);
	put(rec + 24, 0xcc0, 8, big);
	put(rec + 32, 1, 4, big);
}

static struct tep_handle *alloc_tep(bool big)
{
	struct tep_handle *tep = tep_alloc();

	cr_assert_not_null(tep);
	tep_set_file_bigendian(tep, big ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(tep, TEP_LITTLE_ENDIAN);
	tep_set_long_size(tep, 8);
	cr_assert_eq(tep_parse_event(tep, alloc_format, sizeof(alloc_format) - 1, "kmem"), 0);
	return tep;
}

static int read_alloc(struct tep_handle *tep, const struct pcr_kmem_layout *l,
		      unsigned char *data, int size, struct pcr_event *ev)
{
	const struct tep_record record = { .data = data, .size = size };

	memset(ev, 0, sizeof(*ev));
	ev->migratetype = -1;
	return pcr_kmem_read(tep, l, PCR_EV_ALLOC, &record, ev);
}

Test(kmem, whole_short_and_foreign_records_read_the_same)
{
	struct pcr_kmem_layout layout[PCR_EV_NR];
	char errmsg[PCR_ERRMSG_LEN];
	unsigned char rec[40];
	struct pcr_event ev;
	int big;

	for (big = 0; big <= 1; big++) {
		struct tep_handle *tep = alloc_tep(big);
		const struct pcr_kmem_layout *l = &layout[PCR_EV_ALLOC];

		cr_assert_eq(pcr_kmem_find_layouts(layout, tep, "test", errmsg), 1, "%s", errmsg);
		cr_expect_eq(l->native, !big);
		/* The unchecked path needs the record to hold migratetype's last byte, 36. */
		cr_expect_eq(l->need, big ? 0u : 36u);
		alloc_record(rec, big);
		cr_assert_eq(read_alloc(tep, l, rec, 36, &ev), 0);
		cr_expect_eq(ev.kind, PCR_EV_ALLOC);
		cr_expect_eq(ev.pfn, 0x12345);
		cr_expect_eq(ev.order, 3);
		cr_expect_eq(ev.gfp, 0xcc0);
		cr_expect_eq(ev.migratetype, 1);

		/*
		 * Cut after gfp_flags: migratetype lies past the end. A kernel writes every
		 * field, so the record is damaged (issue 17: it used to read as 0).
		 */
		cr_expect_eq(read_alloc(tep, l, rec, 32, &ev), -PCR_ERR_FORMAT);
		cr_expect_not(pcr_kmem_fits(l, PCR_EV_ALLOC, &(struct tep_record){ .size = 32 }));
		cr_expect(pcr_kmem_fits(l, PCR_EV_ALLOC, &(struct tep_record){ .size = 36 }));

		/* A failed allocation's pfn of -1 is no page. */
		put(rec + 8, UINT64_MAX, 8, big);
		cr_assert_eq(read_alloc(tep, l, rec, 36, &ev), 0);
		cr_expect_eq(ev.pfn, PCR_PFN_NONE);

		/* An order above MAX_PAGE_ORDER is a corrupt record, on either path. */
		put(rec + 16, 77, 4, big);
		cr_expect_eq(read_alloc(tep, l, rec, 36, &ev), -PCR_ERR_FORMAT);
		cr_expect_eq(read_alloc(tep, l, rec, 37, &ev), -PCR_ERR_FORMAT);
		tep_free(tep);
	}
}
