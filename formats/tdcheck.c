// SPDX-License-Identifier: GPL-2.0
/*
 * The check of a whole trace.dat before libtracecmd or libtraceevent reads it (tdcheck.h).
 *
 * Why (issue 17): libtracecmd 3.1.6 and libtraceevent 1.7.1 trust what a trace.dat says. About
 * 6,000 damaged copies of the recordings in testdata found, through tracecmd_open_head() and
 * tracecmd_init_data(): libtraceevent's format parser crashing on texts no kernel writes; an
 * out-of-bounds read in its printk-format parser (an unterminated quote); a heap overflow on a
 * kallsyms or printk size of 0xffffffff (libtracecmd allocates size + 1 bytes); a division by
 * zero on page size 0; kbuffer walking past a first page whose commit word says 2^64-1; a
 * double free on a v7 file cut inside its first section offset. trace-cmd report crashes on
 * the same files. So every byte those libraries will parse is first read by this file, with
 * the layout of trace-cmd.dat.v6(5) and trace-cmd.dat.v7(5) and the grammars of tepcheck.c,
 * and a file that fails never reaches them.
 *
 * What libtracecmd reads, and therefore what is checked:
 * - the fixed header: magic, version "6" or "7", endianness 0 or 1, long size 4 or 8, a page
 *   size that is a power of two from 4 KiB to 1 MiB;
 * - v6: header_page, header_event, the ftrace and system event formats, kallsyms, printk
 *   formats, saved cmdlines, the CPU count, "options  " blocks, then "flyrecord" (an offset and
 *   size per CPU) or "latency  " (text to the end);
 * - v7: the compression names, the OPTIONS section chain (a loop is refused), the sections its
 *   options point to (each decompressed under a cap and parsed as in v6, with nothing past
 *   its end), the chain of section headers libtracecmd walks from the start for its strings,
 *   the BUFFER options and each CPU's data; compressed data as its chunk headers say;
 * - every option libtracecmd parses: strings NUL-terminated and printable, fixed sizes as it
 *   reads them; HOOK options are refused (libtracecmd dereferences a failed parse);
 * - the first page of each CPU (tracecmd_init_data() loads it), or every page when
 *   libtracecmd will read the records, with the page walker's rules (pcr_fly_check_page()).
 * What it cannot find: a change that leaves a text in its grammar (a letter of a symbol name
 * changed in kallsyms), or a record whose bytes are wrong but in bounds.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "flyrecord.h"
#include "pcr_formats.h"
#include "tdcheck.h"
#include "tepcheck.h"

#define TD_MAGIC "\027\010\104tracing"
#define TD_MAGIC_LEN 10
/* The largest texts accepted: a kernel's header_page is ~200 bytes, an event format ~4 KiB. */
#define TD_MAX_HEADER (64u * 1024)
#define TD_MAX_FORMAT (1024u * 1024)
/* kallsyms of a large kernel is ~15 MiB; a section (decompressed) may be up to this. */
#define TD_MAX_SECTION (128u * 1024 * 1024)
/* A compressed chunk of trace data: trace-cmd writes 10 pages. */
#define TD_MAX_CHUNK (64u * 1024 * 1024)
#define TD_MAX_CPUS 8192
#define TD_MAX_NAME 256
/* OPTIONS sections chained, and sections libtracecmd walks for its strings. */
#define TD_MAX_HOPS 1024

/* v7 section and option ids (trace-cmd.dat.v7(5)). */
enum {
	TD_OPT_DONE = 0,
	TD_OPT_DATE = 1,
	TD_OPT_CPUSTAT = 2,
	TD_OPT_BUFFER = 3,
	TD_OPT_TRACECLOCK = 4,
	TD_OPT_UNAME = 5,
	TD_OPT_HOOK = 6,
	TD_OPT_OFFSET = 7,
	TD_OPT_CPUCOUNT = 8,
	TD_OPT_VERSION = 9,
	TD_OPT_PROCMAPS = 10,
	TD_OPT_TRACEID = 11,
	TD_OPT_TIME_SHIFT = 12,
	TD_OPT_GUEST = 13,
	TD_OPT_TSC2NSEC = 14,
	TD_OPT_STRINGS = 15,
	TD_OPT_HEADER_INFO = 16,
	TD_OPT_FTRACE_EVENTS = 17,
	TD_OPT_EVENT_FORMATS = 18,
	TD_OPT_KALLSYMS = 19,
	TD_OPT_PRINTK = 20,
	TD_OPT_CMDLINES = 21,
	TD_OPT_BUFFER_TEXT = 22,
	TD_NR_SECTIONS = 22,
};

enum td_codec {
	TD_NONE,
	TD_ZSTD,
	TD_ZLIB,
};

struct tdc {
	const char *path;
	char *errmsg;
	ZSTD_DCtx *dctx;
	unsigned char *page;		/* one page, for the page checks */
	uint64_t size;			/* the file's */
	uint64_t sections[TD_NR_SECTIONS];	/* v7: where each metadata section is, 0: none */
	enum td_codec codec;
	uint32_t page_size;
	uint32_t cpus;
	int fd;
	int version;
	int long_size;
	bool big_endian;
	bool every_page;
	bool data_pass;			/* v7: the second walk of the options, for the data */
	bool trace_clock;		/* v6: a TRACECLOCK option, so a clock after the pairs */
};

/*
 * Reads of one part of the file: the file itself through pread(), or a section in memory
 * (decompressed or not). Offsets in messages are the file's, or the section's and the byte in
 * its decompressed data.
 */
struct td_cur {
	struct tdc *td;
	const unsigned char *mem;	/* NULL: the file */
	const char *what;		/* the part, for messages */
	uint64_t pos;			/* next byte: in @mem, or in the file */
	uint64_t end;			/* end of @mem, or of the file */
	uint64_t section;		/* with @mem: the section's offset in the file */
	uint64_t mem_at;		/* with @mem, not inflated: the file offset of @mem[0] */
	bool inflated;
};

static int td_msg(struct td_cur *c, int err, uint64_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int td_msg(struct td_cur *c, int err, uint64_t at, const char *fmt, ...)
{
	char what[256], where[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (c->mem && c->inflated)
		snprintf(where, sizeof(where), "%s (section at offset %llu, byte %llu of its decompressed data)",
			 c->what, (unsigned long long)c->section, (unsigned long long)at);
	else
		snprintf(where, sizeof(where), "%s at offset %llu", c->what,
			 (unsigned long long)(c->mem ? c->mem_at + at : at));
	if (err == -PCR_ERR_TRUNCATED)
		return pcr_errmsg(c->td->errmsg, err,
				  "%s: truncated or corrupt trace.dat: %s: %s (the file ends at offset %llu); record it again, or copy the whole file",
				  c->td->path, where, what, (unsigned long long)c->td->size);
	return pcr_errmsg(c->td->errmsg, err,
			  "%s: corrupt trace.dat: %s: %s; nothing of it was read: record it again, or copy the whole file",
			  c->td->path, where, what);
}

/* Past the end of what the cursor reads: the file is cut, or a section holds less than it says. */
static int td_short(struct td_cur *c, const char *what)
{
	if (c->mem)
		return td_msg(c, -PCR_ERR_FORMAT, c->pos, "%s runs past the end of its section",
			      what);
	return td_msg(c, -PCR_ERR_TRUNCATED, c->pos, "%s runs past the end of the file", what);
}

static int td_pread(struct tdc *td, void *buf, size_t n, uint64_t at)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = pread(td->fd, (char *)buf + done, n - done, (off_t)(at + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return pcr_errmsg(td->errmsg, -PCR_ERR_IO,
					  "%s: cannot read at offset %llu: %s", td->path,
					  (unsigned long long)(at + done), strerror(errno));
		if (!r)
			return pcr_errmsg(td->errmsg, -PCR_ERR_TRUNCATED,
					  "%s: truncated or corrupt trace.dat: it ends at offset %llu, before the %zu bytes at offset %llu its headers name; copy the whole file",
					  td->path, (unsigned long long)(at + done), n,
					  (unsigned long long)at);
		done += (size_t)r;
	}
	return 0;
}

static int cur_read(struct td_cur *c, void *buf, size_t n, const char *what)
{
	int ret = 0;

	if (c->pos > c->end || n > c->end - c->pos)
		return td_short(c, what);
	if (c->mem)
		memcpy(buf, c->mem + c->pos, n);
	else
		ret = td_pread(c->td, buf, n, c->pos);
	if (!ret)
		c->pos += n;
	return ret;
}

static uint64_t td_number(const struct tdc *td, const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[td->big_endian ? n - 1 - i : i] << (8 * i);
	return v;
}

static int cur_num(struct td_cur *c, int n, uint64_t *v, const char *what)
{
	unsigned char b[8];
	int ret = cur_read(c, b, (size_t)n, what);

	*v = ret ? 0 : td_number(c->td, b, n);
	return ret;
}

/*
 * @n bytes at the cursor into *@text: a pointer into the section in memory, or a buffer read
 * from the file that the caller frees (*@owned). At most @cap bytes.
 */
static int cur_text(struct td_cur *c, uint64_t n, uint64_t cap, const char *what, char **text,
		    char **owned)
{
	int ret;

	*text = NULL;
	*owned = NULL;
	if (n > cap)
		return td_msg(c, -PCR_ERR_FORMAT, c->pos, "the %s block claims %llu bytes, more than the %llu any kernel writes",
			      what, (unsigned long long)n, (unsigned long long)cap);
	if (c->pos > c->end || n > c->end - c->pos)
		return td_short(c, what);
	if (c->mem) {
		*text = (char *)(c->mem + c->pos);
		c->pos += n;
		return 0;
	}
	*owned = malloc(n ? (size_t)n : 1);
	if (!*owned)
		return -PCR_ERR_NOMEM;
	ret = cur_read(c, *owned, (size_t)n, what);
	if (ret) {
		free(*owned);
		*owned = NULL;
		return ret;
	}
	*text = *owned;
	return 0;
}

/* A NUL-terminated name of printable characters, at most TD_MAX_NAME - 1 of them. */
static int cur_name(struct td_cur *c, char *s, const char *what)
{
	uint64_t at = c->pos;
	size_t i;
	int ret;

	for (i = 0; i < TD_MAX_NAME; i++) {
		ret = cur_read(c, &s[i], 1, what);
		if (ret)
			return ret;
		if (!s[i])
			return 0;
		if (s[i] < 0x21 || s[i] > 0x7e)
			return td_msg(c, -PCR_ERR_FORMAT, at, "%s holds a byte that is not printable",
				      what);
	}
	return td_msg(c, -PCR_ERR_FORMAT, at, "%s is longer than %d bytes", what, TD_MAX_NAME - 1);
}

static int cur_tag(struct td_cur *c, const char *tag, size_t n)
{
	char buf[16];
	uint64_t at = c->pos;
	int ret = cur_read(c, buf, n, tag);

	if (!ret && memcmp(buf, tag, n))
		return td_msg(c, -PCR_ERR_FORMAT, at, "no '%s' where the layout puts it", tag);
	return ret;
}

/* ---- the texts ---- */

static bool is_digits(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return n > 0 && n <= 9;
}

/* "NAME" then up to 9 digits and ';' at *@p: the number in *@v, *@p moved past the ';'. */
static bool take_number_field(const char **p, const char *end, const char *name, long *v)
{
	size_t n = strlen(name);
	const char *semi;

	if ((size_t)(end - *p) < n || memcmp(*p, name, n))
		return false;
	*p += n;
	semi = memchr(*p, ';', (size_t)(end - *p));
	if (!semi || !is_digits(*p, (size_t)(semi - *p)))
		return false;
	*v = atol(*p);
	*p = semi + 1;
	return true;
}

/*
 * header_page as the kernel writes it (ring_buffer_print_page_header()):
 * "\tfield: DECL;\toffset:D;\tsize:D;\tsigned:D;" lines. The size of "commit" is the
 * kernel's long size, which libtracecmd uses from then on.
 */
static int check_header_page(struct td_cur *c, const char *text, size_t len, uint64_t at,
			     int *commit_size)
{
	size_t pos = 0, lineno = 0;
	long data_end = -1;

	*commit_size = 0;
	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		const char *semi, *p, *end = line + n;
		long field_offset, field_size;
		bool is_commit, is_data;
		size_t i;

		pos += n + (nl ? 1 : 0);
		lineno++;
		if (!n)
			continue;
		for (i = 0; i < n; i++)
			if ((line[i] < 0x20 || line[i] > 0x7e) && line[i] != '\t')
				goto bad;
		if (n < 8 || memcmp(line, "\tfield:", 7))
			goto bad;
		semi = memchr(line, ';', n);
		if (!semi)
			goto bad;
		is_commit = semi - line >= 14 && !memcmp(semi - 7, " commit", 7);
		is_data = semi - line >= 12 && !memcmp(semi - 5, " data", 5);
		p = semi + 1;
		if (!take_number_field(&p, end, "\toffset:", &field_offset) ||
		    !take_number_field(&p, end, "\tsize:", &field_size))
			goto bad;
		if (is_commit)
			*commit_size = (int)field_size;
		if (is_data)
			data_end = field_offset + field_size;
		if (p < end && ((size_t)(end - p) != 10 || memcmp(p, "\tsigned:", 8) ||
				(p[8] != '0' && p[8] != '1') || p[9] != ';'))
			goto bad;
	}
	if (*commit_size != 4 && *commit_size != 8)
		return td_msg(c, -PCR_ERR_FORMAT, at,
			      "header_page has no 'commit' field of 4 or 8 bytes");
	/* Its data field ends where the page does: the file header's page size must agree. */
	if (data_end >= 0 && data_end != (long)c->td->page_size)
		return td_msg(c, -PCR_ERR_FORMAT, at,
			      "header_page describes %ld-byte pages, the file header says %u bytes: one of them is damaged",
			      data_end, c->td->page_size);
	return 0;
bad:
	return td_msg(c, -PCR_ERR_FORMAT, at,
		      "header_page line %zu is not '\\tfield: DECL;\\toffset:N;\\tsize:N;\\tsigned:N;'",
		      lineno);
}

/*
 * printk_formats as the kernel writes it (kernel/trace/trace_printk.c, t_show()):
 * "0xADDR : \"FORMAT\"" lines, FORMAT escaped (no bare quote) and not empty: libtraceevent
 * strips the quotes and looks two bytes before the closing one.
 */
static int check_printk(struct td_cur *c, const char *text, size_t len, uint64_t at)
{
	size_t pos = 0, lineno = 0;

	if (!pcr_tep_printable(text, len))
		return td_msg(c, -PCR_ERR_FORMAT, at, "the printk formats hold a byte that is not printable");
	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos, i = 2;

		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n < 2 || line[0] != '0' || line[1] != 'x')
			goto bad;
		while (i < n && i < 18 && strchr("0123456789abcdefABCDEF", line[i]))
			i++;
		if (i == 2 || n - i < 6 || memcmp(line + i, " : \"", 4) || line[n - 1] != '"')
			goto bad;
		for (i += 4; i < n - 1; i++) {
			if (line[i] == '"' || line[i] == '\t')
				goto bad;
			if (line[i] == '\\' && ++i == n - 1)
				goto bad;
		}
		continue;
bad:
		return td_msg(c, -PCR_ERR_FORMAT, at,
			      "printk format line %zu is not '0xADDRESS : \"FORMAT\"'", lineno);
	}
	return 0;
}

/* One event format: u64 size, then the text, which must follow the kernel's grammar. */
static int check_format(struct td_cur *c, const char *sys)
{
	char name[128], why[PCR_TEPCHECK_WHY], *text, *owned;
	uint64_t size, at;
	int ret = cur_num(c, 8, &size, "an event format's size");

	if (ret)
		return ret;
	at = c->pos;
	ret = cur_text(c, size, TD_MAX_FORMAT, "an event format", &text, &owned);
	if (ret)
		return ret;
	ret = pcr_tep_check_event(text, (size_t)size, name, sizeof(name), why);
	free(owned);
	if (ret)
		return td_msg(c, -PCR_ERR_FORMAT, at,
			      "the format of event %s:%s is not one a kernel writes (%s)", sys,
			      name[0] ? name : "?", why);
	return 0;
}

static int check_header_info(struct td_cur *c)
{
	char *text, *owned;
	uint64_t size, at;
	int ret, commit;

	if ((ret = cur_tag(c, "header_page", 12)) || (ret = cur_num(c, 8, &size, "header_page")))
		return ret;
	at = c->pos;
	ret = cur_text(c, size, TD_MAX_HEADER, "header_page", &text, &owned);
	if (ret)
		return ret;
	ret = check_header_page(c, text, (size_t)size, at, &commit);
	free(owned);
	if (ret)
		return ret;
	c->td->long_size = commit;
	if ((ret = cur_tag(c, "header_event", 13)) || (ret = cur_num(c, 8, &size, "header_event")))
		return ret;
	at = c->pos;
	ret = cur_text(c, size, TD_MAX_HEADER, "header_event", &text, &owned);
	if (ret)
		return ret;
	ret = pcr_tep_printable(text, (size_t)size) ? 0 :
	      td_msg(c, -PCR_ERR_FORMAT, at, "header_event holds a byte that is not printable");
	free(owned);
	return ret;
}

static int check_ftrace_events(struct td_cur *c)
{
	uint64_t count, i;
	int ret = cur_num(c, 4, &count, "the count of ftrace event formats");

	for (i = 0; !ret && i < count; i++)
		ret = check_format(c, "ftrace");
	return ret;
}

static int check_event_formats(struct td_cur *c)
{
	uint64_t systems, count, i, j;
	char sys[TD_MAX_NAME];
	int ret = cur_num(c, 4, &systems, "the count of event systems");

	for (i = 0; !ret && i < systems; i++) {
		ret = cur_name(c, sys, "an event system's name");
		if (!ret)
			ret = cur_num(c, 4, &count, "the count of a system's event formats");
		for (j = 0; !ret && j < count; j++)
			ret = check_format(c, sys);
	}
	return ret;
}

/* kallsyms, printk formats (4-byte sizes) and saved cmdlines (8-byte size). */
static int check_text_block(struct td_cur *c, int size_bytes, int kind)
{
	static const char *const names[] = { "kallsyms", "printk formats", "saved cmdlines" };
	char why[PCR_TEPCHECK_WHY], *text, *owned;
	uint64_t size, at;
	int ret = cur_num(c, size_bytes, &size, names[kind]);

	if (ret)
		return ret;
	at = c->pos;
	ret = cur_text(c, size, TD_MAX_SECTION, names[kind], &text, &owned);
	if (ret)
		return ret;
	if (kind == 1)
		ret = check_printk(c, text, (size_t)size, at);
	else if ((kind == 0 ? pcr_tep_check_kallsyms(text, (size_t)size, why) :
		  pcr_tep_check_cmdlines(text, (size_t)size, why)))
		ret = td_msg(c, -PCR_ERR_FORMAT, at, "%s are not as a kernel writes them (%s)",
			     names[kind], why);
	free(owned);
	return ret;
}

/* ---- trace data ---- */

/* Checks one page of @n bytes (a short last page is checked as if padded with zeros). */
static int check_page(struct td_cur *c, const unsigned char *p, size_t n, uint64_t at, int cpu)
{
	struct tdc *td = c->td;
	const char *what = NULL;
	uint64_t commit;
	uint32_t head = 8 + (uint32_t)td->long_size;

	if (n < head)
		return 0;
	if (p != td->page) {
		memcpy(td->page, p, n);
		p = td->page;
	}
	memset(td->page + n, 0, td->page_size - n);
	if (!td->big_endian && td->long_size == 8) {
		if (!pcr_fly_check_page(p, td->page_size, &what))
			return 0;
	} else {
		/* libtracecmd reads these: the commit word is what kbuffer trusts. */
		commit = td_number(td, p + 8, td->long_size) & ((1u << 27) - 1);
		if (commit <= td->page_size - head)
			return 0;
		what = "the page says it holds more than a page";
	}
	return td_msg(c, -PCR_ERR_FORMAT, at, "CPU %d: a ring-buffer page: %s", cpu, what);
}

/* Uncompressed data of one CPU: its first page, or every page. */
static int check_raw_data(struct td_cur *c, uint64_t offset, uint64_t size, int cpu)
{
	struct tdc *td = c->td;
	uint64_t at;
	int ret;

	for (at = offset; at < offset + size; at += td->page_size) {
		size_t n = offset + size - at < td->page_size ? (size_t)(offset + size - at) :
								 td->page_size;

		ret = td_pread(td, td->page, n, at);
		if (!ret)
			ret = check_page(c, td->page, n, at, cpu);
		if (ret || !td->every_page)
			return ret;
	}
	return 0;
}

static int inflate(struct tdc *td, void *out, size_t out_len, const void *in, size_t in_len)
{
	if (td->codec == TD_ZSTD) {
		size_t n = ZSTD_decompressDCtx(td->dctx, out, out_len, in, in_len);

		return !ZSTD_isError(n) && n == out_len ? 0 : -1;
	}
	return pcr_zlib_inflate(out, out_len, in, in_len) == (long)out_len ? 0 : -1;
}

/*
 * Compressed data of one CPU: a chunk count, then chunks of (compressed size, size, bytes).
 * Every chunk header is checked against the data; the first chunk's pages (or every chunk's)
 * are decompressed, one chunk at a time, and checked.
 */
static int check_chunks(struct td_cur *c, uint64_t offset, uint64_t size, int cpu)
{
	struct tdc *td = c->td;
	/* The size a BUFFER option gives counts the chunks, not the chunk count before them. */
	struct td_cur d = { .td = td, .what = c->what, .pos = offset, .end = offset + size + 4 };
	unsigned char *in = NULL, *out = NULL;
	uint64_t count, i, csize, usize, at;
	size_t off;
	int ret;

	if (!size)
		return 0;
	ret = cur_num(&d, 4, &count, "the chunk count of a CPU's compressed data");
	for (i = 0; !ret && i < count; i++) {
		at = d.pos;
		if ((ret = cur_num(&d, 4, &csize, "a chunk header")) ||
		    (ret = cur_num(&d, 4, &usize, "a chunk header")))
			break;
		if (csize > d.end - d.pos || !usize || usize > TD_MAX_CHUNK ||
		    usize % td->page_size) {
			ret = td_msg(&d, -PCR_ERR_FORMAT, at,
				     "CPU %d: chunk %llu of %llu claims %llu bytes compressed, %llu decompressed: more than its data holds or not whole pages",
				     cpu, (unsigned long long)i, (unsigned long long)count,
				     (unsigned long long)csize, (unsigned long long)usize);
			break;
		}
		if (i && !td->every_page) {
			d.pos += csize;
			continue;
		}
		free(in);
		free(out);
		in = malloc(csize ? (size_t)csize : 1);
		out = malloc(usize ? (size_t)usize : 1);
		if (!in || !out) {
			ret = -PCR_ERR_NOMEM;
			break;
		}
		if ((ret = cur_read(&d, in, (size_t)csize, "a chunk")))
			break;
		if (inflate(td, out, (size_t)usize, in, (size_t)csize)) {
			ret = td_msg(&d, -PCR_ERR_FORMAT, at, "CPU %d: a compressed chunk does not decompress (chunk %llu, to the %llu bytes it claims)",
				     cpu, (unsigned long long)i, (unsigned long long)usize);
			break;
		}
		for (off = 0; !ret && off < usize; off += td->page_size)
			ret = check_page(&d, out + off, td->page_size, at, cpu);
	}
	free(in);
	free(out);
	return ret;
}

static int check_cpu_data(struct td_cur *c, uint64_t offset, uint64_t size, int cpu,
			  bool compressed)
{
	if (offset > c->td->size || size > c->td->size - offset)
		return td_msg(c, -PCR_ERR_TRUNCATED, offset,
			      "CPU %d: its %llu bytes of trace data lie past the end of the file", cpu,
			      (unsigned long long)size);
	if (compressed && size && c->td->size - offset - size < 4)
		return td_msg(c, -PCR_ERR_TRUNCATED, offset,
			      "CPU %d: its compressed trace data lies past the end of the file", cpu);
	if (compressed)
		return check_chunks(c, offset, size, cpu);
	return check_raw_data(c, offset, size, cpu);
}

/* ---- options ---- */

static int option_string(struct td_cur *c, const unsigned char *p, uint32_t size, uint64_t at,
			 const char *what)
{
	const unsigned char *nul = size ? memchr(p, '\0', size) : NULL;

	if (!nul)
		return td_msg(c, -PCR_ERR_FORMAT, at, "the %s option holds no terminated string",
			      what);
	if (!pcr_tep_printable((const char *)p, (size_t)(nul - p)))
		return td_msg(c, -PCR_ERR_FORMAT, at, "the %s option holds a byte that is not printable",
			      what);
	return 0;
}

/* v7 BUFFER / BUFFER_TEXT: section offset, name, clock; BUFFER: page size, CPUs. */
static int option_buffer_v7(struct td_cur *c, const unsigned char *p, uint32_t size,
			    uint64_t at, bool text)
{
	struct tdc *td = c->td;
	struct td_cur s = { .td = td, .what = "a BUFFER section" };
	/* The data's offsets are the file's: its messages name them, not the option's bytes. */
	struct td_cur data = { .td = td, .what = "the trace data", .end = td->size };
	const unsigned char *end = p + size, *q;
	uint64_t section, flags, id, page_size, nr, i;
	unsigned char seen[TD_MAX_CPUS / 8] = { 0 };
	int ret;

	if (size < 10)
		return td_msg(c, -PCR_ERR_FORMAT, at, "a BUFFER option is too short");
	section = td_number(td, p, 8);
	q = p + 8;
	for (i = 0; i < 2; i++) {
		ret = option_string(c, q, (uint32_t)(end - q), at, "BUFFER");
		if (ret)
			return ret;
		q += strlen((const char *)q) + 1;
	}
	if (section > td->size || td->size - section < 16)
		return td_msg(c, -PCR_ERR_TRUNCATED, at, "a BUFFER option points past the end of the file");
	s.pos = section;
	s.end = td->size;
	if ((ret = cur_num(&s, 2, &id, "a section header")) ||
	    (ret = cur_num(&s, 2, &flags, "a section header")))
		return ret;
	if (text)
		return td_msg(c, -PCR_ERR_FORMAT, at,
			      "a BUFFER_TEXT option: latency-tracer text, not ring-buffer pages, which no page event can be in; record with trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched");
	if (id != TD_OPT_BUFFER || flags > 1 ||
	    (flags && td->codec == TD_NONE))
		return td_msg(&s, -PCR_ERR_FORMAT, section,
			      "a BUFFER option points to a section with id %llu, flags %llu",
			      (unsigned long long)id, (unsigned long long)flags);
	if (!td->data_pass)
		return 0;
	if ((size_t)(end - q) < 8)
		return td_msg(c, -PCR_ERR_FORMAT, at, "a BUFFER option is too short");
	page_size = td_number(td, q, 4);
	nr = td_number(td, q + 4, 4);
	q += 8;
	if (page_size != td->page_size)
		return td_msg(c, -PCR_ERR_FORMAT, at,
			      "a BUFFER option gives page size %llu, the file's header %u",
			      (unsigned long long)page_size, td->page_size);
	if (nr > TD_MAX_CPUS || (uint64_t)(end - q) < nr * 20)
		return td_msg(c, -PCR_ERR_FORMAT, at,
			      "a BUFFER option lists %llu CPUs: more than %d or than it holds",
			      (unsigned long long)nr, TD_MAX_CPUS);
	for (i = 0; i < nr; i++, q += 20) {
		uint64_t cpu = td_number(td, q, 4);

		if (cpu >= TD_MAX_CPUS || (seen[cpu / 8] & (1u << (cpu % 8))))
			return td_msg(c, -PCR_ERR_FORMAT, at,
				      "a BUFFER option names CPU %llu twice or above %d",
				      (unsigned long long)cpu, TD_MAX_CPUS - 1);
		seen[cpu / 8] |= (unsigned char)(1u << (cpu % 8));
		ret = check_cpu_data(&data, td_number(td, q + 4, 8), td_number(td, q + 12, 8),
				     (int)cpu, flags & 1);
		if (ret)
			return ret;
	}
	return 0;
}

/* v6 instance data: "flyrecord\0" and an (offset, size) pair per CPU, at @offset. */
static int check_flyrecord_v6(struct tdc *td, uint64_t offset, const char *what, bool top)
{
	struct td_cur c = { .td = td, .what = what, .pos = offset, .end = td->size };
	uint64_t i, data, size;
	char tag[10];
	int ret = cur_read(&c, tag, sizeof(tag), "the flyrecord tag");

	if (ret)
		return ret;
	/*
	 * Latency-tracer text holds no ring-buffer pages, so no page event; libtracecmd 3.1.6's
	 * iterator dereferences the CPU data such a file lacks (found by fuzz_tracedat).
	 */
	if (!memcmp(tag, "latency  ", sizeof(tag)))
		return td_msg(&c, -PCR_ERR_FORMAT, offset,
			      "latency-tracer text, not ring-buffer pages: no page event can be in it; record with trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched");
	if (memcmp(tag, "flyrecord", sizeof(tag)))
		return td_msg(&c, -PCR_ERR_FORMAT, offset, "neither 'flyrecord' nor 'latency' where the trace data starts");
	for (i = 0; i < td->cpus; i++) {
		if ((ret = cur_num(&c, 8, &data, "a CPU's data offset")) ||
		    (ret = cur_num(&c, 8, &size, "a CPU's data size")) ||
		    (ret = check_cpu_data(&c, data, size, (int)i, false)))
			return ret;
	}
	/*
	 * With a TRACECLOCK option, libtracecmd reads the trace clock after the pairs: a size
	 * and that many bytes, malloc()ed whatever the size (fuzz_tracedat: 0x8e3f38006063).
	 */
	if (top && td->trace_clock) {
		char *text = NULL, *owned = NULL;

		ret = cur_num(&c, 8, &size, "the trace clock's size");
		if (!ret)
			ret = cur_text(&c, size, 4096, "trace clock", &text, &owned);
		if (!ret && !pcr_tep_printable(text, (size_t)size))
			ret = td_msg(&c, -PCR_ERR_FORMAT, c.pos - size,
				     "the trace clock holds a byte that is not printable");
		free(owned);
		return ret;
	}
	return 0;
}

/*
 * One option, as libtracecmd's handle_options() reads it. v7: *@next gets DONE's offset, and
 * the offsets of the metadata sections are noted.
 */
static int check_option(struct td_cur *c, uint32_t id, const unsigned char *p, uint32_t size,
			uint64_t at, uint64_t *next)
{
	struct tdc *td = c->td;
	uint64_t n, i, count;
	const unsigned char *q, *end = p + size;

	switch (id) {
	case TD_OPT_DONE:
		if (size < 8)
			return td_msg(c, -PCR_ERR_FORMAT, at, "the DONE option is too short");
		*next = td_number(td, p, 8);
		return 0;
	case TD_OPT_TRACECLOCK:
		td->trace_clock = td->version < 7;
		return option_string(c, p, size, at, "TRACECLOCK");
	case TD_OPT_DATE:
	case TD_OPT_CPUSTAT:
	case TD_OPT_UNAME:
	case TD_OPT_OFFSET:
	case TD_OPT_VERSION:
	case TD_OPT_PROCMAPS:
		return option_string(c, p, size, at, "string");
	case TD_OPT_BUFFER:
	case TD_OPT_BUFFER_TEXT:
		if (td->version >= 7)
			return option_buffer_v7(c, p, size, at, id == TD_OPT_BUFFER_TEXT);
		if (size < 9 || option_string(c, p + 8, size - 8, at, "BUFFER"))
			return td_msg(c, -PCR_ERR_FORMAT, at, "a BUFFER option is too short or its name is not terminated");
		return check_flyrecord_v6(td, td_number(td, p, 8), "an instance's trace data",
					  false);
	case TD_OPT_HOOK:
		return td_msg(c, -PCR_ERR_FORMAT, at,
			      "a HOOK option (trace-cmd record -H), which this tool does not read; record without -H");
	case TD_OPT_CPUCOUNT:
		if (size < 4 || !td_number(td, p, 4) || td_number(td, p, 4) > TD_MAX_CPUS)
			return td_msg(c, -PCR_ERR_FORMAT, at,
				      "a CPUCOUNT option that is short, 0 or above %d CPUs",
				      TD_MAX_CPUS);
		/* v6: libtracecmd then reads that many (offset, size) pairs. */
		if (td->version < 7)
			td->cpus = (uint32_t)td_number(td, p, 4);
		return 0;
	case TD_OPT_TIME_SHIFT:
		/* peer id, flags, CPU count; per CPU a count and three arrays of that many u64 */
		if (size < 16)
			return 0;
		n = td_number(td, p + 12, 4);
		q = p + 16;
		for (i = 0; i < n && i < TD_MAX_CPUS; i++) {
			if (end - q < 4)
				break;
			count = td_number(td, q, 4);
			q += 4;
			if (count > (uint64_t)(end - q) / 24)
				break;
			q += count * 24;
		}
		if (i < n)
			return td_msg(c, -PCR_ERR_FORMAT, at, "a TIME_SHIFT option runs past its size");
		return 0;
	case TD_OPT_GUEST:
		q = size ? memchr(p, '\0', size) : NULL;
		if (!q || end - ++q < 12 ||
		    td_number(td, q + 8, 4) > (uint64_t)(end - q - 12) / 8)
			return td_msg(c, -PCR_ERR_FORMAT, at, "a GUEST option runs past its size");
		return 0;
	case TD_OPT_HEADER_INFO:
	case TD_OPT_FTRACE_EVENTS:
	case TD_OPT_EVENT_FORMATS:
	case TD_OPT_KALLSYMS:
	case TD_OPT_PRINTK:
	case TD_OPT_CMDLINES:
		if (td->version < 7)
			return td_msg(c, -PCR_ERR_FORMAT, at, "a v7 section option (id %u) in a v6 file",
				      id);
		if (size < 8 || td->data_pass)
			return 0;
		n = td_number(td, p, 8);
		if (n > td->size || td->size - n < 16)
			return td_msg(c, -PCR_ERR_TRUNCATED, at, "option %u points past the end of the file",
				      id);
		td->sections[id] = n;
		return 0;
	default:
		/* libtracecmd warns about an option it does not know and goes on. */
		return 0;
	}
}

/* ---- v7 sections ---- */

static const char *section_name(unsigned int id)
{
	switch (id) {
	case TD_OPT_DONE: return "OPTIONS section";
	case TD_OPT_STRINGS: return "STRINGS section";
	case TD_OPT_HEADER_INFO: return "HEADER INFO section";
	case TD_OPT_FTRACE_EVENTS: return "FTRACE EVENT FORMATS section";
	case TD_OPT_EVENT_FORMATS: return "EVENT FORMATS section";
	case TD_OPT_KALLSYMS: return "KALLSYMS section";
	case TD_OPT_PRINTK: return "TRACE_PRINTK section";
	case TD_OPT_CMDLINES: return "SAVED COMMAND LINES section";
	default: return "section";
	}
}

/*
 * Reads the section at @offset, which must have id @id, into memory (decompressed when its
 * flag says so): @c then reads its contents. The caller frees *@buf.
 */
static int load_section(struct tdc *td, uint64_t offset, unsigned int id, struct td_cur *c,
			unsigned char **buf)
{
	struct td_cur h = { .td = td, .what = section_name(id), .pos = offset, .end = td->size };
	uint64_t sid, flags, size, csize, usize;
	unsigned char *raw;
	int ret;

	*buf = NULL;
	if ((ret = cur_num(&h, 2, &sid, "a section header")) ||
	    (ret = cur_num(&h, 2, &flags, "a section header")) ||
	    (ret = cur_num(&h, 4, &csize, "a section header")) ||
	    (ret = cur_num(&h, 8, &size, "a section header")))
		return ret;
	if (sid != id)
		return td_msg(&h, -PCR_ERR_FORMAT, offset, "the section there has id %llu, not %u",
			      (unsigned long long)sid, id);
	if (flags > 1 || (flags && td->codec == TD_NONE))
		return td_msg(&h, -PCR_ERR_FORMAT, offset, "section flags %llu in a file %s",
			      (unsigned long long)flags,
			      td->codec == TD_NONE ? "that is not compressed" : "");
	if (size > h.end - h.pos)
		return td_msg(&h, -PCR_ERR_TRUNCATED, offset,
			      "the section claims %llu bytes, more than the file holds",
			      (unsigned long long)size);
	if (size > TD_MAX_SECTION)
		return td_msg(&h, -PCR_ERR_FORMAT, offset, "the section claims %llu bytes, more than %u",
			      (unsigned long long)size, TD_MAX_SECTION);
	raw = malloc(size ? (size_t)size : 1);
	if (!raw)
		return -PCR_ERR_NOMEM;
	ret = cur_read(&h, raw, (size_t)size, "the section");
	if (ret) {
		free(raw);
		return ret;
	}
	*c = (struct td_cur){ .td = td, .what = h.what, .mem = raw, .end = size,
			      .section = offset, .mem_at = offset + 16 };
	if (!flags) {
		*buf = raw;
		return 0;
	}
	csize = size >= 8 ? td_number(td, raw, 4) : 0;
	usize = size >= 8 ? td_number(td, raw + 4, 4) : 0;
	if (size < 8 || csize > size - 8 || usize > TD_MAX_SECTION) {
		free(raw);
		return td_msg(&h, -PCR_ERR_FORMAT, offset,
			      "its compression header claims %llu bytes compressed, %llu decompressed",
			      (unsigned long long)csize, (unsigned long long)usize);
	}
	*buf = malloc(usize ? (size_t)usize : 1);
	if (!*buf) {
		free(raw);
		return -PCR_ERR_NOMEM;
	}
	ret = inflate(td, *buf, (size_t)usize, raw + 8, (size_t)csize);
	free(raw);
	if (ret) {
		free(*buf);
		*buf = NULL;
		return td_msg(&h, -PCR_ERR_FORMAT, offset,
			      "it does not decompress to the %llu bytes it claims",
			      (unsigned long long)usize);
	}
	c->mem = *buf;
	c->end = usize;
	c->inflated = true;
	return 0;
}

/* The OPTIONS sections, from the first one on, each option checked. */
static int check_options_v7(struct tdc *td, uint64_t offset)
{
	int hops = 0, ret = 0;

	while (offset && !ret) {
		unsigned char *buf;
		struct td_cur c;
		uint64_t next = 0;

		if (++hops > TD_MAX_HOPS)
			return pcr_errmsg(td->errmsg, -PCR_ERR_FORMAT,
					  "%s: corrupt trace.dat: its OPTIONS sections form a loop (at offset %llu); record it again",
					  td->path, (unsigned long long)offset);
		ret = load_section(td, offset, TD_OPT_DONE, &c, &buf);
		if (ret)
			return ret;
		for (;;) {
			uint64_t id, size, at = c.pos;

			if ((ret = cur_num(&c, 2, &id, "an option")) ||
			    (ret = cur_num(&c, 4, &size, "an option")))
				break;
			if (size > c.end - c.pos) {
				ret = td_msg(&c, -PCR_ERR_FORMAT, at, "option %llu runs past its section",
					     (unsigned long long)id);
				break;
			}
			ret = check_option(&c, (uint32_t)id, c.mem + c.pos, (uint32_t)size, at,
					   &next);
			c.pos += size;
			if (ret || id == TD_OPT_DONE)
				break;
		}
		free(buf);
		offset = next;
	}
	return ret;
}

/*
 * libtracecmd reads its metadata strings by walking the section headers one after the other
 * from the end of the file's header to the end of the file (read_metadata_strings()): a
 * STRINGS section is read whole, whatever size it claims.
 */
static int check_section_chain(struct tdc *td, uint64_t offset)
{
	int hops;

	for (hops = 0; offset < td->size && td->size - offset >= 16; hops++) {
		struct td_cur c = { .td = td, .what = "a section header", .pos = offset,
				    .end = td->size };
		uint64_t id, flags, desc, size;
		unsigned char *buf;
		int ret;

		if (hops > TD_MAX_HOPS * 16)
			break;
		if ((ret = cur_num(&c, 2, &id, "a section header")) ||
		    (ret = cur_num(&c, 2, &flags, "a section header")) ||
		    (ret = cur_num(&c, 4, &desc, "a section header")) ||
		    (ret = cur_num(&c, 8, &size, "a section header")))
			return ret;
		if (id == TD_OPT_STRINGS) {
			ret = load_section(td, offset, TD_OPT_STRINGS, &c, &buf);
			free(buf);
			if (ret)
				return ret;
		}
		if (size > td->size - c.pos)
			break;
		offset = c.pos + size;
	}
	return 0;
}

static int check_v7(struct tdc *td, struct td_cur *c)
{
	static const int order[] = { TD_OPT_HEADER_INFO, TD_OPT_FTRACE_EVENTS,
				     TD_OPT_EVENT_FORMATS, TD_OPT_KALLSYMS, TD_OPT_PRINTK,
				     TD_OPT_CMDLINES };
	char name[TD_MAX_NAME], version[TD_MAX_NAME];
	uint64_t options, chain;
	size_t i;
	int ret;

	if ((ret = cur_name(c, name, "the compression name")) ||
	    (ret = cur_name(c, version, "the compression version")) ||
	    (ret = cur_num(c, 8, &options, "the offset of the first OPTIONS section")))
		return ret;
	chain = c->pos;
	if (!strcmp(name, "zstd")) {
		td->codec = TD_ZSTD;
		td->dctx = ZSTD_createDCtx();
		if (!td->dctx)
			return -PCR_ERR_NOMEM;
	} else if (!strcmp(name, "zlib")) {
		td->codec = TD_ZLIB;
	} else if (strcmp(name, "none")) {
		return td_msg(c, -PCR_ERR_FORMAT, TD_MAGIC_LEN,
			      "compressed with '%s', which this tool cannot check; convert it: trace-cmd convert --compression zstd",
			      name);
	}
	if (!options || options > td->size || td->size - options < 16)
		return td_msg(c, -PCR_ERR_TRUNCATED, chain - 8,
			      "the first OPTIONS section (offset %llu) lies past the end of the file",
			      (unsigned long long)options);
	ret = check_section_chain(td, chain);
	if (!ret)
		ret = check_options_v7(td, options);
	/* The header info first: it gives the kernel's long size, which the pages need. */
	for (i = 0; !ret && i < sizeof(order) / sizeof(order[0]); i++) {
		unsigned char *buf;
		struct td_cur s;
		int id = order[i];

		if (!td->sections[id])
			continue;
		ret = load_section(td, td->sections[id], (unsigned int)id, &s, &buf);
		if (ret)
			break;
		switch (id) {
		case TD_OPT_HEADER_INFO:
			ret = check_header_info(&s);
			break;
		case TD_OPT_FTRACE_EVENTS:
			ret = check_ftrace_events(&s);
			break;
		case TD_OPT_EVENT_FORMATS:
			ret = check_event_formats(&s);
			break;
		default:
			ret = check_text_block(&s, id == TD_OPT_CMDLINES ? 8 : 4,
					       id - TD_OPT_KALLSYMS);
			break;
		}
		free(buf);
	}
	if (!ret && !td->sections[TD_OPT_HEADER_INFO])
		ret = td_msg(c, -PCR_ERR_FORMAT, options, "the options name no HEADER INFO section");
	/* The BUFFER options' data, now that the long size is known. */
	if (!ret) {
		td->data_pass = true;
		ret = check_options_v7(td, options);
	}
	return ret;
}

static int check_v6(struct tdc *td, struct td_cur *c)
{
	uint64_t cpus, id, size, next;
	char tag[10];
	int ret;

	c->what = "header info";
	ret = check_header_info(c);
	c->what = "ftrace event formats";
	if (!ret)
		ret = check_ftrace_events(c);
	c->what = "event formats";
	if (!ret)
		ret = check_event_formats(c);
	c->what = "kallsyms";
	if (!ret)
		ret = check_text_block(c, 4, 0);
	c->what = "printk formats";
	if (!ret)
		ret = check_text_block(c, 4, 1);
	c->what = "saved cmdlines";
	if (!ret)
		ret = check_text_block(c, 8, 2);
	c->what = "the CPU count and options";
	if (!ret)
		ret = cur_num(c, 4, &cpus, "the CPU count");
	if (ret)
		return ret;
	if (!cpus || cpus > TD_MAX_CPUS)
		return td_msg(c, -PCR_ERR_FORMAT, c->pos - 4, "a CPU count of %llu",
			      (unsigned long long)cpus);
	td->cpus = (uint32_t)cpus;
	for (;;) {
		uint64_t at = c->pos;

		if ((ret = cur_read(c, tag, sizeof(tag), "the options or flyrecord tag")))
			return ret;
		if (memcmp(tag, "options  ", sizeof(tag))) {
			c->pos = at;
			return check_flyrecord_v6(td, at, "the trace data", true);
		}
		for (;;) {
			unsigned char *data;

			at = c->pos;
			if ((ret = cur_num(c, 2, &id, "an option")) || !id)
				break;
			if ((ret = cur_num(c, 4, &size, "an option")))
				return ret;
			if (size > TD_MAX_SECTION || size > c->end - c->pos)
				return td_short(c, "an option");
			data = malloc(size ? (size_t)size : 1);
			if (!data)
				return -PCR_ERR_NOMEM;
			ret = cur_read(c, data, (size_t)size, "an option");
			if (!ret)
				ret = check_option(c, (uint32_t)id, data, (uint32_t)size, at,
						   &next);
			free(data);
			if (ret)
				return ret;
		}
		if (ret)
			return ret;
	}
}

int pcr_tdcheck(const char *path, bool every_page, char *errmsg)
{
	struct tdc td = { .path = path, .errmsg = errmsg, .fd = -1, .every_page = every_page };
	struct td_cur c = { .td = &td, .what = "the file header" };
	unsigned char head[TD_MAGIC_LEN + 4];
	char version[TD_MAX_NAME];
	uint64_t endian = 0, long_size = 0, page_size = 0;
	struct stat st;
	int ret;

	td.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (td.fd < 0)
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(td.fd, &st) || !S_ISREG(st.st_mode)) {
		close(td.fd);
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: not a regular file", path);
	}
	td.size = (uint64_t)st.st_size;
	c.end = td.size;
	ret = cur_read(&c, head, TD_MAGIC_LEN, "the magic");
	if (!ret && memcmp(head, TD_MAGIC, TD_MAGIC_LEN))
		ret = td_msg(&c, -PCR_ERR_FORMAT, 0, "no trace.dat magic");
	if (!ret)
		ret = cur_name(&c, version, "the file version");
	if (!ret && strcmp(version, "6") && strcmp(version, "7"))
		ret = td_msg(&c, -PCR_ERR_FORMAT, TD_MAGIC_LEN,
			     "file version '%s'; this tool reads versions 6 and 7", version);
	if (!ret)
		td.version = version[0] - '0';
	if (!ret && !(ret = cur_num(&c, 1, &endian, "the endianness")) && endian > 1)
		ret = td_msg(&c, -PCR_ERR_FORMAT, c.pos - 1, "endianness byte %llu (0 or 1)",
			     (unsigned long long)endian);
	td.big_endian = endian == 1;
	if (!ret && !(ret = cur_num(&c, 1, &long_size, "the long size")) &&
	    long_size != 4 && long_size != 8)
		ret = td_msg(&c, -PCR_ERR_FORMAT, c.pos - 1, "long size %llu (4 or 8)",
			     (unsigned long long)long_size);
	if (!ret && !(ret = cur_num(&c, 4, &page_size, "the page size")) &&
	    (page_size < 4096 || page_size > 1024 * 1024 || (page_size & (page_size - 1))))
		ret = td_msg(&c, -PCR_ERR_FORMAT, c.pos - 4,
			     "page size %llu (a power of two from 4096 to 1048576)",
			     (unsigned long long)page_size);
	td.page_size = (uint32_t)page_size;
	td.long_size = (int)long_size;
	if (!ret) {
		td.page = malloc(td.page_size);
		if (!td.page)
			ret = -PCR_ERR_NOMEM;
	}
	if (!ret)
		ret = td.version == 7 ? check_v7(&td, &c) : check_v6(&td, &c);
	free(td.page);
	ZSTD_freeDCtx(td.dctx);
	close(td.fd);
	return ret;
}
