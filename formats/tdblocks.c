// SPDX-License-Identifier: GPL-2.0
/*
 * The trace.dat check (tdcheck.c describes it): the cursor that reads the file or a section,
 * the text blocks handed to libtraceevent, and each CPU's ring-buffer data.
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

#include <traceevent/event-parse.h>
#include <zstd.h>

#include "flyrecord.h"
#include "pcr_formats.h"
#include "tdcheck.h"
#include "tdcheck_impl.h"
#include "tepcheck.h"
#include "tepsyms.h"

int pcr_td_msg(struct td_cur *c, int err, uint64_t at, const char *fmt, ...)
{
	char what[256], where[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (c->b.mem && c->inflated)
		snprintf(where, sizeof(where), "%s (section at offset %llu, byte %llu of its decompressed data)",
			 c->what, (unsigned long long)c->section, (unsigned long long)at);
	else
		snprintf(where, sizeof(where), "%s at offset %llu", c->what,
			 (unsigned long long)(c->b.mem ? c->mem_at + at : at));
	if (err == -PCR_ERR_TRUNCATED)
		return pcr_errmsg(c->td->errmsg, err,
				  "%s: truncated or corrupt trace.dat: %s: %s (the file ends at offset %llu); record it again, or copy the whole file",
				  c->td->path, where, what, (unsigned long long)c->td->size);
	return pcr_errmsg(c->td->errmsg, err,
			  "%s: corrupt trace.dat: %s: %s; nothing of it was read: record it again, or copy the whole file",
			  c->td->path, where, what);
}

/* Past the end of what the cursor reads: the file is cut, or a section holds less than it says. */
int pcr_td_short(struct td_cur *c, const char *what)
{
	if (c->b.mem)
		return pcr_td_msg(c, -PCR_ERR_FORMAT, c->b.pos, "%s runs past the end of its section",
				  what);
	return pcr_td_msg(c, -PCR_ERR_TRUNCATED, c->b.pos, "%s runs past the end of the file", what);
}

/* The message of a read of the file that failed (pcr_bytecur_pread()) at @stop. */
static int td_read_failed(struct tdc *td, int fail, size_t n, uint64_t at, uint64_t stop)
{
	if (fail == PCR_BYTECUR_IO)
		return pcr_errmsg(td->errmsg, -PCR_ERR_IO, "%s: cannot read at offset %llu: %s",
				  td->path, (unsigned long long)stop, strerror(errno));
	return pcr_errmsg(td->errmsg, -PCR_ERR_TRUNCATED,
			  "%s: truncated or corrupt trace.dat: it ends at offset %llu, before the %zu bytes at offset %llu its headers name; copy the whole file",
			  td->path, (unsigned long long)stop, n, (unsigned long long)at);
}

static int td_pread(struct tdc *td, void *buf, size_t n, uint64_t at)
{
	uint64_t stop;
	int fail = pcr_bytecur_pread(td->fd, buf, n, at, &stop);

	return fail ? td_read_failed(td, fail, n, at, stop) : 0;
}

int pcr_td_cur_read(struct td_cur *c, void *buf, size_t n, const char *what)
{
	uint64_t at = c->b.pos, stop;
	int fail;

	c->b.fd = c->td->fd;	/* the check's file */
	fail = pcr_bytecur_read(&c->b, buf, n, &stop);
	if (fail == PCR_BYTECUR_PAST_END)
		return pcr_td_short(c, what);
	return fail ? td_read_failed(c->td, fail, n, at, stop) : 0;
}

uint64_t pcr_td_number(const struct tdc *td, const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[td->big_endian ? n - 1 - i : i] << (8 * i);
	return v;
}

int pcr_td_cur_num(struct td_cur *c, int n, uint64_t *v, const char *what)
{
	unsigned char b[8];
	int ret = pcr_td_cur_read(c, b, (size_t)n, what);

	*v = ret ? 0 : pcr_td_number(c->td, b, n);
	return ret;
}

/*
 * @n bytes at the cursor into *@text: a pointer into the section in memory, or a buffer read
 * from the file that the caller frees (*@owned). At most @cap bytes.
 */
int pcr_td_cur_text(struct td_cur *c, uint64_t n, uint64_t cap, const char *what, char **text,
		    char **owned)
{
	int ret;

	*text = NULL;
	*owned = NULL;
	if (n > cap)
		return pcr_td_msg(c, -PCR_ERR_FORMAT, c->b.pos, "the %s block claims %llu bytes, more than the %llu any kernel writes",
				  what, (unsigned long long)n, (unsigned long long)cap);
	if (c->b.pos > c->b.end || n > c->b.end - c->b.pos)
		return pcr_td_short(c, what);
	if (c->b.mem) {
		*text = (char *)(c->b.mem + c->b.pos);
		c->b.pos += n;
		return 0;
	}
	*owned = pcr_alloc_large((size_t)n);
	if (!*owned)
		return -PCR_ERR_NOMEM;
	ret = pcr_td_cur_read(c, *owned, (size_t)n, what);
	if (ret) {
		free(*owned);
		*owned = NULL;
		return ret;
	}
	*text = *owned;
	return 0;
}

/* A NUL-terminated name of printable characters, at most TD_MAX_NAME - 1 of them. */
int pcr_td_cur_name(struct td_cur *c, char *s, const char *what)
{
	uint64_t at = c->b.pos;
	size_t i;
	int ret;

	for (i = 0; i < TD_MAX_NAME; i++) {
		ret = pcr_td_cur_read(c, &s[i], 1, what);
		if (ret)
			return ret;
		if (!s[i])
			return 0;
		if (s[i] < 0x21 || s[i] > 0x7e)
			return pcr_td_msg(c, -PCR_ERR_FORMAT, at, "%s holds a byte that is not printable",
					  what);
	}
	return pcr_td_msg(c, -PCR_ERR_FORMAT, at, "%s is longer than %d bytes", what, TD_MAX_NAME - 1);
}

static int cur_tag(struct td_cur *c, const char *tag, size_t n)
{
	char buf[16];
	uint64_t at = c->b.pos;
	int ret = pcr_td_cur_read(c, buf, n, tag);

	if (!ret && memcmp(buf, tag, n))
		return pcr_td_msg(c, -PCR_ERR_FORMAT, at, "no '%s' where the layout puts it", tag);
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
	long data_offset = -1, data_end = -1, commit_offset = -1;

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
		if (is_commit) {
			*commit_size = (int)field_size;
			commit_offset = field_offset;
		}
		if (is_data) {
			data_offset = field_offset;
			data_end = field_offset + field_size;
		}
		if (p < end && ((size_t)(end - p) != 10 || memcmp(p, "\tsigned:", 8) ||
				(p[8] != '0' && p[8] != '1') || p[9] != ';'))
			goto bad;
	}
	if ((*commit_size != 4 && *commit_size != 8) || commit_offset != 8)
		return pcr_td_msg(c, -PCR_ERR_FORMAT, at,
				  "header_page has no 'commit' field of 4 or 8 bytes at offset 8");
	/*
	 * kbuffer reads a page's data after the commit word, whatever header_page says: a data
	 * field elsewhere (or none) is a layout it would misread.
	 */
	if (data_offset != 8 + *commit_size)
		return pcr_td_msg(c, -PCR_ERR_FORMAT, at,
				  "header_page has no 'data' field right after its %d-byte commit word",
				  *commit_size);
	/* Its data field ends where the page does: the file header's page size must agree. */
	if (data_end != (long)c->td->page_size)
		return pcr_td_msg(c, -PCR_ERR_FORMAT, at,
				  "header_page describes %ld-byte pages, the file header says %u bytes: one of them is damaged",
				  data_end, c->td->page_size);
	return 0;
bad:
	return pcr_td_msg(c, -PCR_ERR_FORMAT, at,
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
		return pcr_td_msg(c, -PCR_ERR_FORMAT, at, "the printk formats hold a byte that is not printable");
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
		return pcr_td_msg(c, -PCR_ERR_FORMAT, at,
				  "printk format line %zu is not '0xADDRESS : \"FORMAT\"'", lineno);
	}
	return 0;
}

/* One event format: u64 size, then the text, which must follow the kernel's grammar. */
static int check_format(struct td_cur *c, const char *sys)
{
	char name[128], why[PCR_TEPCHECK_WHY], *text, *owned;
	uint64_t size, at;
	int ret = pcr_td_cur_num(c, 8, &size, "an event format's size");

	if (ret)
		return ret;
	at = c->b.pos;
	ret = pcr_td_cur_text(c, size, TD_MAX_FORMAT, "an event format", &text, &owned);
	if (ret)
		return ret;
	ret = pcr_tep_check_event(text, (size_t)size, name, sizeof(name), why);
	/* As libtracecmd's read_event_file(): a format libtraceevent cannot parse is skipped. */
	if (!ret && c->td->meta)
		tep_parse_event(c->td->meta->tep, text, (unsigned long)size, sys);
	free(owned);
	if (ret)
		return pcr_td_msg(c, -PCR_ERR_FORMAT, at,
				  "the format of event %s:%s is not one a kernel writes (%s)", sys,
				  name[0] ? name : "?", why);
	return 0;
}

int pcr_td_check_header_info(struct td_cur *c)
{
	char *text, *owned;
	uint64_t size, at;
	int ret, commit;

	if ((ret = cur_tag(c, "header_page", 12)) || (ret = pcr_td_cur_num(c, 8, &size, "header_page")))
		return ret;
	at = c->b.pos;
	ret = pcr_td_cur_text(c, size, TD_MAX_HEADER, "header_page", &text, &owned);
	if (ret)
		return ret;
	ret = check_header_page(c, text, (size_t)size, at, &commit);
	/* With the file header's long size, as libtracecmd's read_header_files() passes it. */
	if (!ret && c->td->meta)
		tep_parse_header_page(c->td->meta->tep, text, (unsigned long)size,
				      c->td->long_size);
	free(owned);
	if (ret)
		return ret;
	c->td->long_size = commit;
	if ((ret = cur_tag(c, "header_event", 13)) || (ret = pcr_td_cur_num(c, 8, &size, "header_event")))
		return ret;
	at = c->b.pos;
	ret = pcr_td_cur_text(c, size, TD_MAX_HEADER, "header_event", &text, &owned);
	if (ret)
		return ret;
	ret = pcr_tep_printable(text, (size_t)size) ? 0 :
	      pcr_td_msg(c, -PCR_ERR_FORMAT, at, "header_event holds a byte that is not printable");
	free(owned);
	return ret;
}

int pcr_td_check_ftrace_events(struct td_cur *c)
{
	uint64_t count, i;
	int ret = pcr_td_cur_num(c, 4, &count, "the count of ftrace event formats");

	for (i = 0; !ret && i < count; i++)
		ret = check_format(c, "ftrace");
	return ret;
}

int pcr_td_check_event_formats(struct td_cur *c)
{
	uint64_t systems, count, i, j;
	char sys[TD_MAX_NAME];
	int ret = pcr_td_cur_num(c, 4, &systems, "the count of event systems");

	for (i = 0; !ret && i < systems; i++) {
		ret = pcr_td_cur_name(c, sys, "an event system's name");
		if (!ret)
			ret = pcr_td_cur_num(c, 4, &count, "the count of a system's event formats");
		for (j = 0; !ret && j < count; j++)
			ret = check_format(c, sys);
	}
	return ret;
}

/*
 * Saved cmdlines, checked, into libtraceevent as libtracecmd gives them; checked kallsyms are
 * kept for pcr_tdmeta_kallsyms(). The printk formats are not kept: nothing this tool reads
 * prints a trace_printk() string.
 */
static int keep_text_block(struct td_cur *c, char *text, size_t len, int kind, char **owned)
{
	struct pcr_tdmeta *meta = c->td->meta;
	char *copy;

	/* The kallsyms are kept where they were read to, the file's bytes or the section's. */
	if (kind == 0) {
		free(meta->kallsyms_block);
		meta->kallsyms_block = *owned;
		meta->kallsyms_text = text;
		meta->kallsyms_len = len;
		/* A cache miss: written when released, with the table if this replay builds it. */
		if (meta->kallsyms_keyed) {
			meta->kallsyms_store = true;
			meta->kallsyms_any = pcr_tepsyms_any(text, len);
		}
		if (*owned)
			*owned = NULL;
		else
			c->td->keep_section = true;
		return 0;
	}
	copy = strndup(text, len);
	if (!copy)
		return -PCR_ERR_NOMEM;
	tep_parse_saved_cmdlines(meta->tep, copy);
	free(copy);
	return 0;
}

/* kallsyms, printk formats (4-byte sizes) and saved cmdlines (8-byte size). */
int pcr_td_check_text_block(struct td_cur *c, int size_bytes, int kind)
{
	static const char *const names[] = { "kallsyms", "printk formats", "saved cmdlines" };
	char why[PCR_TEPCHECK_WHY], *text, *owned;
	uint64_t size, at;
	int ret = pcr_td_cur_num(c, size_bytes, &size, names[kind]);

	if (ret)
		return ret;
	at = c->b.pos;
	ret = pcr_td_cur_text(c, size, TD_MAX_SECTION, names[kind], &text, &owned);
	if (ret)
		return ret;
	/* v6 (v7's come from load_section(), which looked them up before decompressing them) */
	if (kind == 0 && c->td->meta && c->td->meta->cache_dir && !c->b.mem) {
		ret = pcr_td_kallsyms_cached(c->td->meta, "v6", text, (size_t)size);
		if (ret) {
			free(owned);
			return ret < 0 ? ret : 0;
		}
	}
	if (kind == 1)
		ret = check_printk(c, text, (size_t)size, at);
	else if ((kind == 0 ? pcr_tep_check_kallsyms(text, (size_t)size, why) :
		  pcr_tep_check_cmdlines(text, (size_t)size, why)))
		ret = pcr_td_msg(c, -PCR_ERR_FORMAT, at, "%s are not as a kernel writes them (%s)",
				 names[kind], why);
	if (!ret && kind != 1 && c->td->meta)
		ret = keep_text_block(c, text, (size_t)size, kind, &owned);
	free(owned);
	return ret;
}

/* ---- trace data ---- */

/* Checks one page of @n bytes (a short last page is checked as if padded with zeros). */
static int check_page(struct td_cur *c, const unsigned char *p, size_t n, uint64_t at, int cpu)
{
	struct tdc *td = c->td;
	const char *what = NULL;

	if (n < 8 + (size_t)td->long_size)
		return 0;
	if (p != td->page) {
		memcpy(td->page, p, n);
		p = td->page;
	}
	memset(td->page + n, 0, td->page_size - n);
	/* td->long_size is header_page's commit size: kbuffer's page header is 8 + that. */
	if (!pcr_fly_check_page(p, td->page_size, td->long_size, td->big_endian, &what))
		return 0;
	return pcr_td_msg(c, -PCR_ERR_FORMAT, at, "CPU %d: a ring-buffer page: %s", cpu, what);
}

/* Uncompressed data of one CPU: its first page, or every page. */
static int check_raw_data(struct td_cur *c, uint64_t offset, uint64_t size, int cpu)
{
	struct tdc *td = c->td;
	uint64_t at;
	int ret;

	for (at = offset; at < offset + size; at += td->page_size) {
		/*
		 * libtracecmd maps (or reads) a whole page, whatever the CPU's size says: a short
		 * last page is checked with the file's bytes after it, as kbuffer will see them.
		 */
		size_t n = td->size - at < td->page_size ? (size_t)(td->size - at) : td->page_size;

		ret = td_pread(td, td->page, n, at);
		if (!ret)
			ret = check_page(c, td->page, n, at, cpu);
		if (ret || !td->every_page)
			return ret;
	}
	return 0;
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
	struct td_cur d = { .td = td, .what = c->what, .b.pos = offset,
			    .b.end = offset + size + 4 };
	unsigned char *in = NULL, *out = NULL;
	uint64_t count, i, csize, usize, at;
	size_t off;
	int ret;

	if (!size)
		return 0;
	ret = pcr_td_cur_num(&d, 4, &count, "the chunk count of a CPU's compressed data");
	for (i = 0; !ret && i < count; i++) {
		at = d.b.pos;
		if ((ret = pcr_td_cur_num(&d, 4, &csize, "a chunk header")) ||
		    (ret = pcr_td_cur_num(&d, 4, &usize, "a chunk header")))
			break;
		if (csize > d.b.end - d.b.pos || !usize || usize > TD_MAX_CHUNK ||
		    usize % td->page_size) {
			ret = pcr_td_msg(&d, -PCR_ERR_FORMAT, at,
					 "CPU %d: chunk %llu of %llu claims %llu bytes compressed, %llu decompressed: more than its data holds or not whole pages",
					 cpu, (unsigned long long)i, (unsigned long long)count,
					 (unsigned long long)csize, (unsigned long long)usize);
			break;
		}
		if (i && !td->every_page) {
			d.b.pos += csize;
			continue;
		}
		free(in);
		free(out);
		in = pcr_alloc_large((size_t)csize);
		out = pcr_alloc_large((size_t)usize);
		if (!in || !out) {
			ret = -PCR_ERR_NOMEM;
			break;
		}
		if ((ret = pcr_td_cur_read(&d, in, (size_t)csize, "a chunk")))
			break;
		if (pcr_codec_inflate(&td->codec, out, (size_t)usize, in, (size_t)csize)) {
			ret = pcr_td_msg(&d, -PCR_ERR_FORMAT, at, "CPU %d: a compressed chunk does not decompress (chunk %llu, to the %llu bytes it claims)",
					 cpu, (unsigned long long)i, (unsigned long long)usize);
			break;
		}
		for (off = 0; !ret && off < usize; off += td->page_size)
			ret = check_page(&d, out + off, td->page_size, at, cpu);
	}
	/*
	 * trace-cmd writes the chunks back to back to the size it records (which counts the chunk
	 * count too since trace-cmd 3.2, commit 4b921329: 4 bytes more than 3.1 records). More
	 * data left after the last chunk is a chunk count that lost chunks: a fuzzed t02 whose
	 * CPU 1 said 0 read half its events and said clean.
	 */
	if (!ret && d.b.end - d.b.pos > 4)
		ret = pcr_td_msg(&d, -PCR_ERR_FORMAT, offset,
				 "CPU %d: its %llu compressed chunks end %llu bytes before its data does: its chunk count is damaged",
				 cpu, (unsigned long long)count,
				 (unsigned long long)(d.b.end - d.b.pos));
	free(in);
	free(out);
	return ret;
}

int pcr_td_check_cpu_data(struct td_cur *c, uint64_t offset, uint64_t size, int cpu,
			  bool compressed)
{
	if (offset > c->td->size || size > c->td->size - offset)
		return pcr_td_msg(c, -PCR_ERR_TRUNCATED, offset,
				  "CPU %d: its %llu bytes of trace data lie past the end of the file", cpu,
				  (unsigned long long)size);
	if (compressed && size && c->td->size - offset - size < 4)
		return pcr_td_msg(c, -PCR_ERR_TRUNCATED, offset,
				  "CPU %d: its compressed trace data lies past the end of the file", cpu);
	if (compressed)
		return check_chunks(c, offset, size, cpu);
	return check_raw_data(c, offset, size, cpu);
}

