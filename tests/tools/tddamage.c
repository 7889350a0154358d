// SPDX-License-Identifier: GPL-2.0
/*
 * tddamage - write a damaged copy of a trace.dat v6 (little-endian, no instance buffers), one
 * damage of the classes issue 17 found, for tests/e2e/damaged-tracedat.sh. The file is parsed
 * block by block and written again, so a text may change length: the per-CPU data moves with
 * it (its offsets are rewritten, page-aligned as trace-cmd writes them).
 *
 * Usage: tddamage IN OUT DAMAGE
 * DAMAGE: fmt-flags (__print_flags over a field the event lacks), fmt-operands (two operands
 * without an operator), fmt-arrow (R/EC->order), fmt-index-dot and fmt-cond-assign (an
 * operator libtraceevent does not know after "x[0]" or "c ? a : b"), fmt-sizeof (a sizeof()
 * libtraceevent 1.7.1 reads after freeing a token), printk-quote (a printk
 * format line with an unterminated quote), printk-size and kallsyms-size (size 0xffffffff),
 * kallsyms-garble (a kallsyms line with a control byte), page-size-0, page-size-lie (8192 for
 * 4096-byte pages), commit-max (CPU 0's first page claims commit 2^64-1), kmem-offset
 * (mm_page_alloc's pfn at offset 4000), event-id (mm_page_alloc's id changed), event-name
 * (mm_page_alloc renamed); or small: no damage, each CPU's data cut to its first two pages
 * (fuzzing seeds).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct blob {
	unsigned char *p;
	size_t n;
};

struct format {
	char sys[256];
	struct blob text;
};

/* The input file and the read position. */
struct src {
	unsigned char *in;
	size_t len;
	size_t pos;
};

static __attribute__((noreturn)) void die(const char *what)
{
	fprintf(stderr, "tddamage: %s\n", what);
	exit(1);
}

static uint64_t num(struct src *s, int n)
{
	uint64_t v = 0;
	int i;

	if (s->pos + (size_t)n > s->len)
		die("the file ends early");
	for (i = 0; i < n; i++)
		v |= (uint64_t)s->in[s->pos + (size_t)i] << (8 * i);
	s->pos += (size_t)n;
	return v;
}

static struct blob take(struct src *s, uint64_t n)
{
	struct blob b = { s->in + s->pos, (size_t)n };

	if (n > s->len - s->pos)
		die("a block runs past the end");
	s->pos += (size_t)n;
	return b;
}

static void put(FILE *f, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		fputc((int)((v >> (8 * i)) & 0xff), f);
}

/* Replaces the first @from in @b by @to (a new allocation); dies when it is missing. */
static void replace(struct blob *b, const char *from, const char *to)
{
	unsigned char *at = memmem(b->p, b->n, from, strlen(from));
	size_t lf = strlen(from), lt = strlen(to), off;
	unsigned char *p;

	if (!at)
		die(from);
	off = (size_t)(at - b->p);
	p = malloc(b->n - lf + lt);
	if (!p)
		die("out of memory");
	memcpy(p, b->p, off);
	memcpy(p + off, to, lt);
	memcpy(p + off + lt, b->p + off + lf, b->n - off - lf);
	b->p = p;
	b->n = b->n - lf + lt;
}

static struct blob text(const char *s)
{
	return (struct blob){ (unsigned char *)strdup(s), strlen(s) };
}

static void free_blob(const struct src *s, struct blob b)
{
	if (b.p < s->in || b.p >= s->in + s->len)
		free(b.p);
}

/* A header block: its tag (with the NUL, if any), its size in @size_bytes, its bytes. */
static void put_block(FILE *f, const char *tag, size_t tag_len, struct blob b, uint64_t size,
		      int size_bytes)
{
	fwrite(tag, 1, tag_len, f);
	put(f, size, size_bytes);
	fwrite(b.p, 1, b.n, f);
}

/* The damages that edit mm_page_alloc's format: the first @from becomes @to. */
static const struct {
	const char *name, *from, *to;
} edits[] = {
	{ "fmt-flags", "__print_flags(REC->gfp_flags", "__print_flags(REC->gfp_flagz" },
	{ "fmt-operands", "REC->pfn : 0,", "REC->pfn : 0l REC->order," },
	{ "fmt-arrow", "REC->order,", "R/EC->order," },
	{ "fmt-index-dot", "REC->order,", "REC->order[0]. 1," },
	{ "fmt-cond-assign", ": ((void *)0),", ": ((void *)0)=0," },
	{ "fmt-sizeof", "REC->order,", "REC->order / sizeof(int)," },
	{ "kmem-offset", "pfn;\toffset:8;", "pfn;\toffset:4000;" },
	{ "event-name", "name: mm_page_alloc\n", "name: mm_page_allox\n" },
	{ "event-id", "\nID: ", "\nID: 9" },
};

int main(int argc, char **argv)
{
	struct blob header_page, header_event, kallsyms, printk, cmdlines, options;
	struct format *formats = NULL, *alloc = NULL;
	uint64_t nftrace, nsys, i, j, count, cpus, *off, *size, page_size, kallsyms_size,
		 printk_size;
	size_t nformats = 0, alloc_idx = SIZE_MAX, version_end, at;
	struct src src = { 0 };
	const char *damage;
	FILE *f;
	long n = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: tddamage IN OUT DAMAGE\n");
		return 2;
	}
	damage = argv[3];
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		die("cannot read the input");
	src.len = (size_t)n;
	src.in = malloc(src.len);
	if (!src.in || fread(src.in, 1, src.len, f) != src.len)
		die("cannot read the input");
	fclose(f);
	if (src.len < 12 || memcmp(src.in + 10, "6", 2))
		die("not a trace.dat v6");
	src.pos = 12;
	version_end = src.pos;
	src.pos += 2;
	page_size = num(&src, 4);
	if (memcmp(src.in + src.pos, "header_page", 12))
		die("no header_page");
	src.pos += 12;
	header_page = take(&src, num(&src, 8));
	if (memcmp(src.in + src.pos, "header_event", 13))
		die("no header_event");
	src.pos += 13;
	header_event = take(&src, num(&src, 8));
	nftrace = num(&src, 4);
	for (i = 0; i < nftrace; i++) {
		formats = realloc(formats, (nformats + 1) * sizeof(*formats));
		strcpy(formats[nformats].sys, "ftrace");
		formats[nformats++].text = take(&src, num(&src, 8));
	}
	nsys = num(&src, 4);
	for (i = 0; i < nsys; i++) {
		const char *sys = (const char *)src.in + src.pos;

		src.pos += strlen(sys) + 1;
		count = num(&src, 4);
		for (j = 0; j < count; j++) {
			formats = realloc(formats, (nformats + 1) * sizeof(*formats));
			snprintf(formats[nformats].sys, sizeof(formats[nformats].sys), "%s", sys);
			formats[nformats].text = take(&src, num(&src, 8));
			if (!strcmp(sys, "kmem") &&
			    memmem(formats[nformats].text.p, formats[nformats].text.n,
				   "name: mm_page_alloc\n", 20))
				alloc_idx = nformats;	/* formats moves while it grows */
			nformats++;
		}
	}
	kallsyms = take(&src, num(&src, 4));
	printk = take(&src, num(&src, 4));
	cmdlines = take(&src, num(&src, 8));
	cpus = num(&src, 4);
	at = src.pos;
	while (memcmp(src.in + src.pos, "flyrecord", 10)) {
		if (src.pos + 10 > src.len)
			die("no flyrecord");
		src.pos++;
	}
	options = (struct blob){ src.in + at, src.pos - at };
	src.pos += 10;
	off = calloc(cpus, sizeof(*off));
	size = calloc(cpus, sizeof(*size));
	for (i = 0; i < cpus; i++) {
		off[i] = num(&src, 8);
		size[i] = num(&src, 8);
	}
	if (alloc_idx == SIZE_MAX)
		die("no kmem:mm_page_alloc format");
	alloc = &formats[alloc_idx];
	for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++)
		if (!strcmp(damage, edits[i].name))
			break;
	if (i < sizeof(edits) / sizeof(edits[0]))
		replace(&alloc->text, edits[i].from, edits[i].to);
	else if (!strcmp(damage, "printk-quote"))
		printk = text("0xffffffff81000000 : \"an unterminated format\n");
	else if (!strcmp(damage, "printk-size") || !strcmp(damage, "kallsyms-size"))
		;
	else if (!strcmp(damage, "kallsyms-garble"))
		kallsyms = text("ffffffff81000000 T start\001kernel\n");
	else if (!strcmp(damage, "small"))
		for (i = 0; i < cpus; i++)
			size[i] = size[i] < 2 * page_size ? size[i] : 2 * page_size;
	else if (strcmp(damage, "page-size-0") && strcmp(damage, "page-size-lie") &&
		 strcmp(damage, "commit-max"))
		die("unknown damage");
	kallsyms_size = !strcmp(damage, "kallsyms-size") ? 0xffffffff : kallsyms.n;
	printk_size = !strcmp(damage, "printk-size") ? 0xffffffff : printk.n;

	f = fopen(argv[2], "wb");
	if (!f)
		die("cannot write the output");
	fwrite(src.in, 1, version_end + 2, f);
	put(f, !strcmp(damage, "page-size-0") ? 0 :
	       !strcmp(damage, "page-size-lie") ? page_size * 2 : page_size, 4);
	put_block(f, "header_page", 12, header_page, header_page.n, 8);
	put_block(f, "header_event", 13, header_event, header_event.n, 8);
	put(f, nftrace, 4);
	for (i = 0; i < nftrace; i++) {
		put(f, formats[i].text.n, 8);
		fwrite(formats[i].text.p, 1, formats[i].text.n, f);
	}
	put(f, nsys, 4);
	for (i = nftrace; i < nformats; i++) {
		if (i == nftrace || strcmp(formats[i].sys, formats[i - 1].sys)) {
			count = 0;
			for (j = i; j < nformats && !strcmp(formats[j].sys, formats[i].sys); j++)
				count++;
			fwrite(formats[i].sys, 1, strlen(formats[i].sys) + 1, f);
			put(f, count, 4);
		}
		put(f, formats[i].text.n, 8);
		fwrite(formats[i].text.p, 1, formats[i].text.n, f);
	}
	put_block(f, "", 0, kallsyms, kallsyms_size, 4);
	put_block(f, "", 0, printk, printk_size, 4);
	put_block(f, "", 0, cmdlines, cmdlines.n, 8);
	put(f, cpus, 4);
	fwrite(options.p, 1, options.n, f);
	fwrite("flyrecord", 1, 10, f);
	/* The data after the pairs, from the next page boundary, CPU after CPU. */
	at = (size_t)ftell(f) + cpus * 16;
	at = (at + page_size - 1) / page_size * page_size;
	for (i = 0; i < cpus; i++) {
		put(f, at, 8);
		put(f, size[i], 8);
		at += size[i];
	}
	at = (size_t)ftell(f);
	for (; at % page_size; at++)
		fputc(0, f);
	for (i = 0; i < cpus; i++) {
		if (!i && size[i] >= 16 && !strcmp(damage, "commit-max")) {
			fwrite(src.in + off[i], 1, 8, f);
			put(f, UINT64_MAX, 8);
			fwrite(src.in + off[i] + 16, 1, size[i] - 16, f);
		} else {
			fwrite(src.in + off[i], 1, size[i], f);
		}
	}
	if (fclose(f))
		die("cannot write the output");
	/* The blobs a damage replaced were allocated; the others point into the input. */
	free_blob(&src, alloc->text);
	free_blob(&src, kallsyms);
	free_blob(&src, printk);
	free(formats);
	free(off);
	free(size);
	free(src.in);
	return 0;
}
