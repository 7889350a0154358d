// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of formats/tdcheck.c on a trace.dat v6 built here, block by block: one CPU, one
 * ring-buffer page with one record, header_page as a 6.18 kernel writes it. The whole file
 * passes; each test changes one part the way issue 17's damaged files did and expects the
 * refusal and the words of its message.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcr_formats.h"
#include "tdcheck.h"

#define PAGE 4096

static const char header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";

static const char header_event[] = "# compressed entry header\n\ttype_len    :    5 bits\n";

static const char event_format[] =
	"name: mm_page_free\n"
	"ID: 10\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned long pfn;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"pfn=0x%lx\", REC->pfn\n";

/* What a test changes: NULL keeps the part as above. */
struct parts {
	const char *printk;
	const char *kallsyms;
	const char *format;
	uint32_t page_size;
	uint32_t kallsyms_size;	/* 0: the text's length */
	uint64_t commit;	/* the page's commit word */
	const char *header_page;
	const unsigned char *page;	/* the whole page: @commit is not written then */
	uint64_t cpu_size;	/* 0: one page */
};

static void put(FILE *f, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		fputc((int)((v >> (8 * i)) & 0xff), f);
}

static void put_text(FILE *f, const char *text, int size_bytes, uint64_t size)
{
	put(f, size ? size : strlen(text), size_bytes);
	fwrite(text, 1, strlen(text), f);
}

/* Writes the file and returns its path (static storage, one at a time). */
static const char *build(const struct parts *p)
{
	static char path[] = "/tmp/test_tdcheck.XXXXXX";
	const char *format = p->format ? p->format : event_format;
	unsigned char page[PAGE] = { 0 };
	long data;
	FILE *f;
	int fd;

	strcpy(path, "/tmp/test_tdcheck.XXXXXX");
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	f = fdopen(fd, "wb");
	cr_assert_not_null(f);
	fwrite("\027\010\104tracing6", 1, 12, f);
	put(f, 0, 1);				/* little-endian */
	put(f, 8, 1);				/* long size */
	put(f, p->page_size ? p->page_size : PAGE, 4);
	fwrite("header_page", 1, 12, f);
	put_text(f, p->header_page ? p->header_page : header_page, 8, 0);
	fwrite("header_event", 1, 13, f);
	put_text(f, header_event, 8, 0);
	put(f, 0, 4);				/* no ftrace formats */
	put(f, 1, 4);				/* one system */
	fwrite("kmem", 1, 5, f);
	put(f, 1, 4);
	put_text(f, format, 8, 0);
	put_text(f, p->kallsyms ? p->kallsyms : "ffffffff81000000 T _stext\n", 4,
		 p->kallsyms_size);
	put_text(f, p->printk ? p->printk : "0xffffffff82000000 : \"hello %d\\n\"\n", 4, 0);
	put_text(f, "1 init\n", 8, 0);
	put(f, 1, 4);				/* one CPU */
	fwrite("flyrecord", 1, 10, f);
	data = (ftell(f) + 16 + PAGE - 1) / PAGE * PAGE;
	put(f, (uint64_t)data, 8);
	put(f, p->cpu_size ? p->cpu_size : PAGE, 8);
	while (ftell(f) < data)
		fputc(0, f);
	/* One 8-byte record: type_len 2 (8 bytes of data), delta 0. */
	memcpy(page + 8, &p->commit, 8);
	page[16] = 2;
	page[20] = 10;				/* common_type: the event's id */
	fwrite(p->page ? p->page : page, 1, sizeof(page), f);
	cr_assert_eq(fclose(f), 0);
	return path;
}

static int check(const struct parts *p, char *errmsg)
{
	const char *path = build(p);
	int ret = pcr_tdcheck(path, true, errmsg);

	unlink(path);
	return ret;
}

static void expect_refused(const struct parts *p, int err, const char *words)
{
	char errmsg[PCR_ERRMSG_LEN] = "";

	cr_expect_eq(check(p, errmsg), err, "%s", errmsg);
	cr_expect(strstr(errmsg, words) != NULL, "'%s' lacks '%s'", errmsg, words);
}

Test(tdcheck, a_whole_file_passes)
{
	struct parts p = { .commit = 12 };
	char errmsg[PCR_ERRMSG_LEN] = "";

	cr_expect_eq(check(&p, errmsg), 0, "%s", errmsg);
}

Test(tdcheck, an_impossible_page_size_and_a_lie_are_refused)
{
	struct parts p = { .commit = 12 };

	p.page_size = 0x10000000;
	expect_refused(&p, -PCR_ERR_FORMAT, "page size 268435456");
	p.page_size = 8192;
	expect_refused(&p, -PCR_ERR_FORMAT, "header_page describes 4096-byte pages");
}

Test(tdcheck, a_first_page_claiming_commit_2_64_minus_1_is_refused)
{
	struct parts p = { .commit = UINT64_MAX };

	expect_refused(&p, -PCR_ERR_FORMAT, "CPU 0: a ring-buffer page");
	/* The kernel's RB_MISSED_EVENTS is an int: sign-extended, it is a real commit word. */
	p.commit = 0xffffffff8000000cull;
	cr_expect_eq(check(&p, NULL), 0);
}

Test(tdcheck, printk_formats_follow_the_kernels_grammar)
{
	static const char *const bad[] = {
		"0xffffffff82000000 : \"an unterminated format\n",
		"0xffffffff82000000 : \"\"\n",		/* libtraceevent looks 2 bytes back */
		"0xffffffff82000000 : \"a \" quote\"\n",
		"ffffffff82000000 : \"no 0x\"\n",
		"0xffffffff82000000 : \"ends in a backslash\\\"\n",
	};
	struct parts p = { .commit = 12 };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p.printk = bad[i];
		expect_refused(&p, -PCR_ERR_FORMAT, "printk format line 1 is not");
	}
	p.printk = "0xffffffff82000000 : \"an \\\"escaped\\\" quote\\n\"\n";
	cr_expect_eq(check(&p, NULL), 0);
}

Test(tdcheck, a_kallsyms_size_of_0xffffffff_is_refused)
{
	struct parts p = { .commit = 12, .kallsyms_size = 0xffffffff };

	expect_refused(&p, -PCR_ERR_FORMAT, "kallsyms block claims 4294967295 bytes");
	p.kallsyms_size = 0;
	p.kallsyms = "ffffffff81000000 T _st\001ext\n";
	expect_refused(&p, -PCR_ERR_FORMAT, "kallsyms are not as a kernel writes them");
}

Test(tdcheck, an_event_format_libtraceevent_crashed_on_is_refused)
{
	struct parts p = { .commit = 12 };
	char format[sizeof(event_format) + 8];
	char *at;

	strcpy(format, event_format);
	at = strstr(format, "REC->pfn\n");
	memcpy(at, "R/EC->pf", 8);		/* a division by zero in libtraceevent 1.7.1 */
	p.format = format;
	expect_refused(&p, -PCR_ERR_FORMAT, "event kmem:mm_page_free is not one a kernel writes");
}

Test(tdcheck, a_file_cut_anywhere_in_its_headers_is_refused)
{
	struct parts p = { .commit = 12 };
	char errmsg[PCR_ERRMSG_LEN];
	const char *path = build(&p);
	long size, cut;
	FILE *f = fopen(path, "rb");
	char *all;

	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	all = malloc((size_t)size);
	cr_assert_not_null(all);
	rewind(f);
	cr_assert_eq(fread(all, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	for (cut = 0; cut < size; cut += cut < 600 ? 1 : 97) {
		f = fopen(path, "wb");
		cr_assert_not_null(f);
		fwrite(all, 1, (size_t)cut, f);
		fclose(f);
		cr_expect_lt(pcr_tdcheck(path, true, errmsg), 0, "cut at %ld passed", cut);
	}
	free(all);
	unlink(path);
}

/* header_page as a 32-bit kernel writes it: a 4-byte commit word, data from byte 12. */
static const char header_page_32[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:12;\tsize:4084;\tsigned:0;\n";

/*
 * fuzz_tracedat run 14 (tests/fuzz/corpus_tracedat/crash-header-page-commit4): header_page said
 * 4-byte commit words, so kbuffer read 12-byte page headers, while the page check walked 16.
 */
Test(tdcheck, a_header_page_kbuffer_would_misread_is_refused)
{
	char text[sizeof(header_page_32)];
	struct parts p = { .commit = 12, .header_page = text };

	strcpy(text, header_page_32);
	memcpy(strstr(text, "data;"), "daat;", 5);
	expect_refused(&p, -PCR_ERR_FORMAT, "no 'data' field right after its 4-byte commit word");
	strcpy(text, header_page_32);
	memcpy(strstr(text, "offset:12"), "offset:16", 9);
	expect_refused(&p, -PCR_ERR_FORMAT, "no 'data' field right after its 4-byte commit word");
	strcpy(text, header_page_32);
	memcpy(strstr(text, "commit;\toffset:8"), "commit;\toffset:0", 16);
	expect_refused(&p, -PCR_ERR_FORMAT, "no 'commit' field of 4 or 8 bytes at offset 8");
}

/* The pages of a 32-bit layout are walked with its 12-byte header, as kbuffer reads them. */
Test(tdcheck, pages_are_walked_with_the_header_page_layout)
{
	unsigned char page[PAGE] = { 0 };
	struct parts p = { .header_page = header_page_32, .page = page };
	char errmsg[PCR_ERRMSG_LEN] = "";

	page[8] = 8;				/* commit: one 8-byte record */
	page[12] = 2;				/* type_len 2 */
	page[16] = 10;
	cr_expect_eq(check(&p, errmsg), 0, "%s", errmsg);
	/* type_len 0: the length word says 0xfffffff0 bytes. */
	page[12] = 0;
	memcpy(page + 16, "\xf0\xff\xff\xff", 4);
	expect_refused(&p, -PCR_ERR_FORMAT, "a record runs past the end of the page");
	/* Read with a 16-byte header it holds one 64-byte record: the old check passed it. */
	p.header_page = NULL;
	cr_expect_eq(check(&p, errmsg), 0, "%s", errmsg);
}

/*
 * A CPU whose data is 4 bytes: libtracecmd still reads a whole page from there, so the page is
 * checked with the file's bytes after the 4.
 */
Test(tdcheck, a_short_cpu_region_is_checked_with_the_page_libtracecmd_reads)
{
	struct parts p = { .commit = UINT64_MAX, .cpu_size = 4 };

	expect_refused(&p, -PCR_ERR_FORMAT, "CPU 0: a ring-buffer page");
	p.commit = 12;
	cr_expect_eq(check(&p, NULL), 0);
}
