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

#include <traceevent/event-parse.h>
#include <zstd.h>

#include "flyrecord.h"
#include "pcr_formats.h"
#include "reader.h"
#include "tdcheck.h"
#include "tdcheck_impl.h"
#include "tepcheck.h"
#include "tepsyms.h"

/* ---- options ---- */

static int option_string(struct td_cur *c, const unsigned char *p, uint32_t size, uint64_t at,
			 const char *what)
{
	const unsigned char *nul = size ? memchr(p, '\0', size) : NULL;

	if (!nul)
		return pcr_td_msg(c, -PCR_ERR_FORMAT, at, "the %s option holds no terminated string",
				  what);
	if (!pcr_tep_printable((const char *)p, (size_t)(nul - p)))
		return pcr_td_msg(c, -PCR_ERR_FORMAT, at, "the %s option holds a byte that is not printable",
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
	struct td_cur data = { .td = td, .what = "the trace data", .b.end = td->size };
	const unsigned char *end = p + size, *q;
	uint64_t section, flags, id, page_size, nr, i;
	unsigned char seen[TD_MAX_CPUS / 8] = { 0 };
	int ret;

	if (size < 10)
		return pcr_td_msg(c, -PCR_ERR_FORMAT, at, "a BUFFER option is too short");
	section = pcr_td_number(td, p, 8);
	q = p + 8;
	for (i = 0; i < 2; i++) {
		ret = option_string(c, q, (uint32_t)(end - q), at, "BUFFER");
		if (ret)
			return ret;
		q += strlen((const char *)q) + 1;
	}
	if (section > td->size || td->size - section < 16)
		return pcr_td_msg(c, -PCR_ERR_TRUNCATED, at, "a BUFFER option points past the end of the file");
	s.b.pos = section;
	s.b.end = td->size;
	if ((ret = pcr_td_cur_num(&s, 2, &id, "a section header")) ||
	    (ret = pcr_td_cur_num(&s, 2, &flags, "a section header")))
		return ret;
	if (text)
		return pcr_td_msg(c, -PCR_ERR_FORMAT, at,
				  "a BUFFER_TEXT option: latency-tracer text, not ring-buffer pages, which no page event can be in; record with trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched");
	if (id != TD_OPT_BUFFER || flags > 1 ||
	    (flags && td->codec.kind == PCR_CODEC_NONE))
		return pcr_td_msg(&s, -PCR_ERR_FORMAT, section,
				  "a BUFFER option points to a section with id %llu, flags %llu",
				  (unsigned long long)id, (unsigned long long)flags);
	if (!td->data_pass)
		return 0;
	if ((size_t)(end - q) < 8)
		return pcr_td_msg(c, -PCR_ERR_FORMAT, at, "a BUFFER option is too short");
	page_size = pcr_td_number(td, q, 4);
	nr = pcr_td_number(td, q + 4, 4);
	q += 8;
	if (page_size != td->page_size)
		return pcr_td_msg(c, -PCR_ERR_FORMAT, at,
				  "a BUFFER option gives page size %llu, the file's header %u",
				  (unsigned long long)page_size, td->page_size);
	if (nr > TD_MAX_CPUS || (uint64_t)(end - q) < nr * 20)
		return pcr_td_msg(c, -PCR_ERR_FORMAT, at,
				  "a BUFFER option lists %llu CPUs: more than %d or than it holds",
				  (unsigned long long)nr, TD_MAX_CPUS);
	for (i = 0; i < nr; i++, q += 20) {
		uint64_t cpu = pcr_td_number(td, q, 4);

		if (cpu >= TD_MAX_CPUS || (seen[cpu / 8] & (1u << (cpu % 8))))
			return pcr_td_msg(c, -PCR_ERR_FORMAT, at,
					  "a BUFFER option names CPU %llu twice or above %d",
					  (unsigned long long)cpu, TD_MAX_CPUS - 1);
		seen[cpu / 8] |= (unsigned char)(1u << (cpu % 8));
		ret = pcr_td_check_cpu_data(&data, pcr_td_number(td, q + 4, 8),
					    pcr_td_number(td, q + 12, 8), (int)cpu, flags & 1);
		if (ret)
			return ret;
	}
	return 0;
}

/* v6 instance data: "flyrecord\0" and an (offset, size) pair per CPU, at @offset. */
static int check_flyrecord_v6(struct tdc *td, uint64_t offset, const char *what, bool top)
{
	struct td_cur c = { .td = td, .what = what, .b.pos = offset, .b.end = td->size };
	uint64_t i, data, size;
	char tag[10];
	int ret = pcr_td_cur_read(&c, tag, sizeof(tag), "the flyrecord tag");

	if (ret)
		return ret;
	/*
	 * Latency-tracer text holds no ring-buffer pages, so no page event; libtracecmd 3.1.6's
	 * iterator dereferences the CPU data such a file lacks (found by fuzz_tracedat).
	 */
	if (!memcmp(tag, "latency  ", sizeof(tag)))
		return pcr_td_msg(&c, -PCR_ERR_FORMAT, offset,
				  "latency-tracer text, not ring-buffer pages: no page event can be in it; record with trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched");
	if (memcmp(tag, "flyrecord", sizeof(tag)))
		return pcr_td_msg(&c, -PCR_ERR_FORMAT, offset, "neither 'flyrecord' nor 'latency' where the trace data starts");
	for (i = 0; i < td->cpus; i++) {
		if ((ret = pcr_td_cur_num(&c, 8, &data, "a CPU's data offset")) ||
		    (ret = pcr_td_cur_num(&c, 8, &size, "a CPU's data size")) ||
		    (ret = pcr_td_check_cpu_data(&c, data, size, (int)i, false)))
			return ret;
	}
	/*
	 * With a TRACECLOCK option, libtracecmd reads the trace clock after the pairs: a size
	 * and that many bytes, malloc()ed whatever the size (fuzz_tracedat: 0x8e3f38006063).
	 */
	if (top && td->trace_clock) {
		char *text = NULL, *owned = NULL;

		ret = pcr_td_cur_num(&c, 8, &size, "the trace clock's size");
		if (!ret)
			ret = pcr_td_cur_text(&c, size, 4096, "trace clock", &text, &owned);
		if (!ret && !pcr_tep_printable(text, (size_t)size))
			ret = pcr_td_msg(&c, -PCR_ERR_FORMAT, c.b.pos - size,
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
/* UNAME and CPUSTAT, kept as libtracecmd's handle_options() keeps them. */
static int keep_option(struct pcr_tdmeta *meta, uint32_t id, const unsigned char *p,
		       uint32_t size)
{
	size_t have = meta->cpustats ? strlen(meta->cpustats) : 0;
	char *joined;

	if (id == TD_OPT_UNAME) {
		free(meta->uname);
		meta->uname = strdup((const char *)p);
		return meta->uname ? 0 : -PCR_ERR_NOMEM;
	}
	/* Each CPUSTAT block is joined to the ones before, its NUL turned into a newline. */
	joined = realloc(meta->cpustats, have + size + 1);
	if (!joined)
		return -PCR_ERR_NOMEM;
	memcpy(joined + have, p, size);
	joined[have + size - 1] = '\n';
	joined[have + size] = '\0';
	meta->cpustats = joined;
	return 0;
}

static int check_option(struct td_cur *c, uint32_t id, const unsigned char *p, uint32_t size,
			uint64_t at, uint64_t *next)
{
	struct tdc *td = c->td;
	uint64_t n, i, count;
	const unsigned char *q, *end = p + size;
	int ret;

	switch (id) {
	case TD_OPT_DONE:
		if (size < 8)
			return pcr_td_msg(c, -PCR_ERR_FORMAT, at, "the DONE option is too short");
		*next = pcr_td_number(td, p, 8);
		return 0;
	case TD_OPT_TRACECLOCK:
		td->trace_clock = td->version < 7;
		return option_string(c, p, size, at, "TRACECLOCK");
	case TD_OPT_CPUSTAT:
	case TD_OPT_UNAME:
		ret = option_string(c, p, size, at, "string");
		if (!ret && td->meta && !td->data_pass)
			ret = keep_option(td->meta, id, p, size);
		return ret;
	case TD_OPT_DATE:
	case TD_OPT_OFFSET:
	case TD_OPT_VERSION:
	case TD_OPT_PROCMAPS:
		return option_string(c, p, size, at, "string");
	case TD_OPT_BUFFER:
	case TD_OPT_BUFFER_TEXT:
		if (td->version >= 7)
			return option_buffer_v7(c, p, size, at, id == TD_OPT_BUFFER_TEXT);
		if (size < 9 || option_string(c, p + 8, size - 8, at, "BUFFER"))
			return pcr_td_msg(c, -PCR_ERR_FORMAT, at, "a BUFFER option is too short or its name is not terminated");
		return check_flyrecord_v6(td, pcr_td_number(td, p, 8), "an instance's trace data",
					  false);
	case TD_OPT_HOOK:
		return pcr_td_msg(c, -PCR_ERR_FORMAT, at,
				  "a HOOK option (trace-cmd record -H), which this tool does not read; record without -H");
	case TD_OPT_CPUCOUNT:
		if (size < 4 || !pcr_td_number(td, p, 4) || pcr_td_number(td, p, 4) > TD_MAX_CPUS)
			return pcr_td_msg(c, -PCR_ERR_FORMAT, at,
					  "a CPUCOUNT option that is short, 0 or above %d CPUs",
					  TD_MAX_CPUS);
		/* v6: libtracecmd then reads that many (offset, size) pairs. */
		if (td->version < 7)
			td->cpus = (uint32_t)pcr_td_number(td, p, 4);
		if (td->meta && !td->data_pass)
			td->meta->cpus = (unsigned int)pcr_td_number(td, p, 4);
		return 0;
	case TD_OPT_TIME_SHIFT:
		/* peer id, flags, CPU count; per CPU a count and three arrays of that many u64 */
		if (size < 16)
			return 0;
		n = pcr_td_number(td, p + 12, 4);
		q = p + 16;
		for (i = 0; i < n && i < TD_MAX_CPUS; i++) {
			if (end - q < 4)
				break;
			count = pcr_td_number(td, q, 4);
			q += 4;
			if (count > (uint64_t)(end - q) / 24)
				break;
			q += count * 24;
		}
		if (i < n)
			return pcr_td_msg(c, -PCR_ERR_FORMAT, at, "a TIME_SHIFT option runs past its size");
		return 0;
	case TD_OPT_GUEST:
		q = size ? memchr(p, '\0', size) : NULL;
		if (!q || end - ++q < 12 ||
		    pcr_td_number(td, q + 8, 4) > (uint64_t)(end - q - 12) / 8)
			return pcr_td_msg(c, -PCR_ERR_FORMAT, at, "a GUEST option runs past its size");
		return 0;
	case TD_OPT_HEADER_INFO:
	case TD_OPT_FTRACE_EVENTS:
	case TD_OPT_EVENT_FORMATS:
	case TD_OPT_KALLSYMS:
	case TD_OPT_PRINTK:
	case TD_OPT_CMDLINES:
		if (td->version < 7)
			return pcr_td_msg(c, -PCR_ERR_FORMAT, at, "a v7 section option (id %u) in a v6 file",
					  id);
		if (size < 8 || td->data_pass)
			return 0;
		n = pcr_td_number(td, p, 8);
		if (n > td->size || td->size - n < 16)
			return pcr_td_msg(c, -PCR_ERR_TRUNCATED, at, "option %u points past the end of the file",
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
	struct td_cur h = { .td = td, .what = section_name(id), .b.pos = offset,
			    .b.end = td->size };
	uint64_t sid, flags, size, csize, usize;
	unsigned char *raw;
	int ret;

	*buf = NULL;
	if ((ret = pcr_td_cur_num(&h, 2, &sid, "a section header")) ||
	    (ret = pcr_td_cur_num(&h, 2, &flags, "a section header")) ||
	    (ret = pcr_td_cur_num(&h, 4, &csize, "a section header")) ||
	    (ret = pcr_td_cur_num(&h, 8, &size, "a section header")))
		return ret;
	if (sid != id)
		return pcr_td_msg(&h, -PCR_ERR_FORMAT, offset, "the section there has id %llu, not %u",
				  (unsigned long long)sid, id);
	if (flags > 1 || (flags && td->codec.kind == PCR_CODEC_NONE))
		return pcr_td_msg(&h, -PCR_ERR_FORMAT, offset, "section flags %llu in a file %s",
				  (unsigned long long)flags,
				  td->codec.kind == PCR_CODEC_NONE ? "that is not compressed" : "");
	if (size > h.b.end - h.b.pos)
		return pcr_td_msg(&h, -PCR_ERR_TRUNCATED, offset,
				  "the section claims %llu bytes, more than the file holds",
				  (unsigned long long)size);
	if (size > TD_MAX_SECTION)
		return pcr_td_msg(&h, -PCR_ERR_FORMAT, offset, "the section claims %llu bytes, more than %u",
				  (unsigned long long)size, TD_MAX_SECTION);
	raw = pcr_alloc_large((size_t)size);
	if (!raw)
		return -PCR_ERR_NOMEM;
	ret = pcr_td_cur_read(&h, raw, (size_t)size, "the section");
	if (ret) {
		free(raw);
		return ret;
	}
	*c = (struct td_cur){ .td = td, .what = h.what, .b.mem = raw, .b.end = size,
			      .section = offset, .mem_at = offset + 16 };
	if (id == TD_OPT_KALLSYMS && td->meta && td->meta->cache_dir) {
		char how[96];

		/* Found: these bytes decompressed and passed the check before (kscache.c). */
		snprintf(how, sizeof(how), "v7 %s %llu", td->meta->compression,
			 (unsigned long long)flags);
		ret = pcr_td_kallsyms_cached(td->meta, how, raw, (size_t)size);
		if (ret) {
			free(raw);
			return ret;
		}
	}
	if (!flags) {
		*buf = raw;
		return 0;
	}
	csize = size >= 8 ? pcr_td_number(td, raw, 4) : 0;
	usize = size >= 8 ? pcr_td_number(td, raw + 4, 4) : 0;
	if (size < 8 || csize > size - 8 || usize > TD_MAX_SECTION) {
		free(raw);
		return pcr_td_msg(&h, -PCR_ERR_FORMAT, offset,
				  "its compression header claims %llu bytes compressed, %llu decompressed",
				  (unsigned long long)csize, (unsigned long long)usize);
	}
	*buf = pcr_alloc_large((size_t)usize);
	if (!*buf) {
		free(raw);
		return -PCR_ERR_NOMEM;
	}
	ret = pcr_codec_inflate(&td->codec, *buf, (size_t)usize, raw + 8, (size_t)csize);
	free(raw);
	if (ret) {
		free(*buf);
		*buf = NULL;
		return pcr_td_msg(&h, -PCR_ERR_FORMAT, offset,
				  "it does not decompress to the %llu bytes it claims",
				  (unsigned long long)usize);
	}
	c->b.mem = *buf;
	c->b.end = usize;
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
			uint64_t id, size, at = c.b.pos;

			if ((ret = pcr_td_cur_num(&c, 2, &id, "an option")) ||
			    (ret = pcr_td_cur_num(&c, 4, &size, "an option")))
				break;
			if (size > c.b.end - c.b.pos) {
				ret = pcr_td_msg(&c, -PCR_ERR_FORMAT, at, "option %llu runs past its section",
						 (unsigned long long)id);
				break;
			}
			ret = check_option(&c, (uint32_t)id, c.b.mem + c.b.pos, (uint32_t)size, at,
					   &next);
			c.b.pos += size;
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
 * from the end of the file's header to the end of the file (read_metadata_strings()), until a
 * read or an lseek() fails: a STRINGS section is read whole, whatever size it claims, and
 * after a compressed one the walk goes on where its compressed block ends. Every other size
 * goes to lseek(SEEK_CUR) as a signed offset: a size of 2^63 or more steps back, and the walk
 * comes round to the same header again without end (fuzz_tracedat run 9: a size of 2^64 - 256
 * hung tracecmd_alloc_fd() and trace-cmd report). So this walk follows libtracecmd's to its
 * end and refuses a step back; it is bounded, each step going at least 16 bytes on.
 */
static int check_section_chain(struct tdc *td, uint64_t offset)
{
	int hops;

	for (hops = 0; offset < td->size && td->size - offset >= 16; hops++) {
		struct td_cur c = { .td = td, .what = "a section header", .b.pos = offset,
				    .b.end = td->size };
		uint64_t id, flags, desc, size, csize;
		unsigned char *buf;
		int ret;

		/* trace-cmd writes about ten; a long run is damage, and is not left unread. */
		if (hops > TD_MAX_HOPS * 16)
			return pcr_td_msg(&c, -PCR_ERR_FORMAT, offset,
					  "more than %d section headers follow each other up to here, where trace-cmd writes a few dozen",
					  TD_MAX_HOPS * 16);
		if ((ret = pcr_td_cur_num(&c, 2, &id, "a section header")) ||
		    (ret = pcr_td_cur_num(&c, 2, &flags, "a section header")) ||
		    (ret = pcr_td_cur_num(&c, 4, &desc, "a section header")) ||
		    (ret = pcr_td_cur_num(&c, 8, &size, "a section header")))
			return ret;
		if (id == TD_OPT_STRINGS) {
			struct td_cur s;

			ret = load_section(td, offset, TD_OPT_STRINGS, &s, &buf);
			free(buf);
			if (ret)
				return ret;
			/* load_section() found 8 + csize <= size. */
			if ((flags & 1) && (ret = pcr_td_cur_num(&c, 4, &csize, "a section header")))
				return ret;
			if (flags & 1)
				size = 4 + csize;
		}
		if (size >= (1ull << 63) && c.b.pos >= -size)
			return pcr_td_msg(&c, -PCR_ERR_FORMAT, offset,
					  "its size %llu takes libtracecmd back to offset %llu, from where it walks the section headers round again without end",
					  (unsigned long long)size, (unsigned long long)(c.b.pos + size));
		if (size > td->size - c.b.pos)
			break;
		offset = c.b.pos + size;
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

	if ((ret = pcr_td_cur_name(c, name, "the compression name")) ||
	    (ret = pcr_td_cur_name(c, version, "the compression version")) ||
	    (ret = pcr_td_cur_num(c, 8, &options, "the offset of the first OPTIONS section")))
		return ret;
	chain = c->b.pos;
	if (td->meta)
		snprintf(td->meta->compression, sizeof(td->meta->compression), "%.63s", name);
	ret = pcr_codec_set(&td->codec, name);
	if (ret < 0)
		return ret;
	if (ret)
		return pcr_td_msg(c, -PCR_ERR_FORMAT, TD_MAGIC_LEN,
				  "compressed with '%s', which this tool cannot check; convert it: trace-cmd convert --compression zstd",
				  name);
	if (!options || options > td->size || td->size - options < 16)
		return pcr_td_msg(c, -PCR_ERR_TRUNCATED, chain - 8,
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
		if (ret > 0) {
			ret = 0;	/* kallsyms the cache holds */
			continue;
		}
		if (ret)
			break;
		switch (id) {
		case TD_OPT_HEADER_INFO:
			ret = pcr_td_check_header_info(&s);
			break;
		case TD_OPT_FTRACE_EVENTS:
			ret = pcr_td_check_ftrace_events(&s);
			break;
		case TD_OPT_EVENT_FORMATS:
			ret = pcr_td_check_event_formats(&s);
			break;
		default:
			ret = pcr_td_check_text_block(&s, id == TD_OPT_CMDLINES ? 8 : 4,
						      id - TD_OPT_KALLSYMS);
			break;
		}
		if (td->keep_section) {
			td->meta->kallsyms_block = buf;
			td->keep_section = false;
			continue;
		}
		free(buf);
	}
	if (!ret && !td->sections[TD_OPT_HEADER_INFO])
		ret = pcr_td_msg(c, -PCR_ERR_FORMAT, options, "the options name no HEADER INFO section");
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
	ret = pcr_td_check_header_info(c);
	c->what = "ftrace event formats";
	if (!ret)
		ret = pcr_td_check_ftrace_events(c);
	c->what = "event formats";
	if (!ret)
		ret = pcr_td_check_event_formats(c);
	c->what = "kallsyms";
	if (!ret)
		ret = pcr_td_check_text_block(c, 4, 0);
	c->what = "printk formats";
	if (!ret)
		ret = pcr_td_check_text_block(c, 4, 1);
	c->what = "saved cmdlines";
	if (!ret)
		ret = pcr_td_check_text_block(c, 8, 2);
	c->what = "the CPU count and options";
	if (!ret)
		ret = pcr_td_cur_num(c, 4, &cpus, "the CPU count");
	if (ret)
		return ret;
	if (!cpus || cpus > TD_MAX_CPUS)
		return pcr_td_msg(c, -PCR_ERR_FORMAT, c->b.pos - 4, "a CPU count of %llu",
				  (unsigned long long)cpus);
	td->cpus = (uint32_t)cpus;
	if (td->meta)
		td->meta->cpus = (unsigned int)cpus;
	for (;;) {
		uint64_t at = c->b.pos;

		if ((ret = pcr_td_cur_read(c, tag, sizeof(tag), "the options or flyrecord tag")))
			return ret;
		if (memcmp(tag, "options  ", sizeof(tag))) {
			c->b.pos = at;
			return check_flyrecord_v6(td, at, "the trace data", true);
		}
		for (;;) {
			unsigned char *data;

			at = c->b.pos;
			if ((ret = pcr_td_cur_num(c, 2, &id, "an option")) || !id)
				break;
			if ((ret = pcr_td_cur_num(c, 4, &size, "an option")))
				return ret;
			if (size > TD_MAX_SECTION || size > c->b.end - c->b.pos)
				return pcr_td_short(c, "an option");
			data = malloc(size ? (size_t)size : 1);
			if (!data)
				return -PCR_ERR_NOMEM;
			ret = pcr_td_cur_read(c, data, (size_t)size, "an option");
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

/*
 * The fixed header, then v6 or v7 as a whole. With @td->meta, libtraceevent is set up as
 * libtracecmd's tracecmd_alloc_fd() sets it up (no plugins), before the first format.
 */
static int check_file(struct tdc *td, struct td_cur *c);

int pcr_tdcheck(const char *path, bool every_page, char *errmsg)
{
	struct tdc td = { .path = path, .errmsg = errmsg, .fd = -1, .every_page = every_page };
	struct td_cur c = { .td = &td, .what = "the file header" };

	return check_file(&td, &c);
}

int pcr_tdcheck_load(const char *path, struct pcr_tdmeta *meta, const char *cache_dir,
		     char *errmsg)
{
	struct tdc td = { .path = path, .errmsg = errmsg, .fd = -1, .meta = meta };
	struct td_cur c = { .td = &td, .what = "the file header" };
	int ret;

	memset(meta, 0, sizeof(*meta));
	meta->tep = tep_alloc();
	meta->path = strdup(path);
	meta->cache_dir = cache_dir ? strdup(cache_dir) : NULL;
	if (!meta->tep || !meta->path || (cache_dir && !meta->cache_dir))
		return -PCR_ERR_NOMEM;
	ret = check_file(&td, &c);
	if (!ret)
		tep_set_cpus(meta->tep, (int)meta->cpus);
	return ret;
}

void pcr_tdmeta_release(struct pcr_tdmeta *meta)
{
	pcr_td_kallsyms_release(meta);
	free(meta->path);
	free(meta->cache_dir);
	if (meta->tep)
		tep_free(meta->tep);
	pcr_tepsyms_free(meta->syms);
	free(meta->kallsyms_block);
	free(meta->uname);
	free(meta->cpustats);
	memset(meta, 0, sizeof(*meta));
}


static int check_file(struct tdc *td, struct td_cur *c)
{
	const char *path = td->path;
	char *errmsg = td->errmsg;
	unsigned char head[TD_MAGIC_LEN + 4];
	char version[TD_MAX_NAME];
	uint64_t endian = 0, long_size = 0, page_size = 0;
	int ret;

	td->fd = pcr_open_regular(path, &td->size, errmsg);
	if (td->fd < 0)
		return td->fd;
	c->b.end = td->size;
	ret = pcr_td_cur_read(c, head, TD_MAGIC_LEN, "the magic");
	if (!ret && memcmp(head, TD_MAGIC, TD_MAGIC_LEN))
		ret = pcr_td_msg(c, -PCR_ERR_FORMAT, 0, "no trace.dat magic");
	if (!ret)
		ret = pcr_td_cur_name(c, version, "the file version");
	if (!ret && strcmp(version, "6") && strcmp(version, "7"))
		ret = pcr_td_msg(c, -PCR_ERR_FORMAT, TD_MAGIC_LEN,
				 "file version '%s'; this tool reads versions 6 and 7", version);
	if (!ret)
		td->version = version[0] - '0';
	if (!ret && !(ret = pcr_td_cur_num(c, 1, &endian, "the endianness")) && endian > 1)
		ret = pcr_td_msg(c, -PCR_ERR_FORMAT, c->b.pos - 1, "endianness byte %llu (0 or 1)",
				 (unsigned long long)endian);
	td->big_endian = endian == 1;
	if (!ret && !(ret = pcr_td_cur_num(c, 1, &long_size, "the long size")) &&
	    long_size != 4 && long_size != 8)
		ret = pcr_td_msg(c, -PCR_ERR_FORMAT, c->b.pos - 1, "long size %llu (4 or 8)",
				 (unsigned long long)long_size);
	if (!ret && !(ret = pcr_td_cur_num(c, 4, &page_size, "the page size")) &&
	    (page_size < 4096 || page_size > 1024 * 1024 || (page_size & (page_size - 1))))
		ret = pcr_td_msg(c, -PCR_ERR_FORMAT, c->b.pos - 4,
				 "page size %llu (a power of two from 4096 to 1048576)",
				 (unsigned long long)page_size);
	td->page_size = (uint32_t)page_size;
	td->long_size = (int)long_size;
	if (!ret) {
		td->page = malloc(td->page_size);
		if (!td->page)
			ret = -PCR_ERR_NOMEM;
	}
	if (!ret && td->meta) {
		td->meta->version = td->version;
		tep_set_file_bigendian(td->meta->tep, td->big_endian ? TEP_BIG_ENDIAN :
				       TEP_LITTLE_ENDIAN);
		tep_set_local_bigendian(td->meta->tep, __BYTE_ORDER == __BIG_ENDIAN ?
					TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
		tep_set_long_size(td->meta->tep, td->long_size);
	}
	if (!ret)
		ret = td->version == 7 ? check_v7(td, c) : check_v6(td, c);
	free(td->page);
	pcr_codec_free(&td->codec);
	close(td->fd);
	return ret;
}
