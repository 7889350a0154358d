// SPDX-License-Identifier: GPL-2.0
/*
 * Opening a trace.dat for our own reader of its ring-buffer pages (flyrecord.c describes the
 * format): where each buffer's CPU data lies, from the v6 headers or the v7 options, and how it
 * is compressed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "bytecur.h"
#include "flyrecord_impl.h"
#include "kmem.h"
#include "pcr_formats.h"

/* Sequential little-endian reads of the file's headers. */
struct fly_cursor {
	struct pcr_fly *fly;
	struct pcr_bytecur b;
	char *errmsg;
};

static int cursor_short(struct fly_cursor *c)
{
	return pcr_errmsg(c->errmsg, -PCR_ERR_TRUNCATED,
			  "%s: truncated trace.dat: its headers end at offset %llu; record it again, or copy the whole file",
			  c->fly->path, (unsigned long long)c->b.end);
}

static int cursor_read(struct fly_cursor *c, void *buf, size_t n)
{
	uint64_t stop;
	int fail = pcr_bytecur_read(&c->b, buf, n, &stop);

	if (fail == PCR_BYTECUR_IO)
		return pcr_errmsg(c->errmsg, -PCR_ERR_IO, "%s: cannot read at offset %llu: %s",
				  c->fly->path, (unsigned long long)stop, strerror(errno));
	return fail ? cursor_short(c) : 0;
}

static int cursor_num(struct fly_cursor *c, int n, uint64_t *v)
{
	unsigned char b[8];
	int ret = cursor_read(c, b, (size_t)n);

	*v = ret ? 0 : le(b, n);
	return ret;
}

static int cursor_skip(struct fly_cursor *c, uint64_t n)
{
	return pcr_bytecur_skip(&c->b, n) ? cursor_short(c) : 0;
}

/* Reads a NUL-terminated string of at most @cap - 1 characters. */
static int cursor_string(struct fly_cursor *c, char *s, size_t cap)
{
	size_t i;

	for (i = 0; i < cap; i++) {
		int ret = cursor_read(c, &s[i], 1);

		if (ret)
			return ret;
		if (!s[i])
			return 0;
	}
	return pcr_errmsg(c->errmsg, -PCR_ERR_FORMAT,
			  "%s: corrupt trace.dat: a header string at offset %llu is longer than %zu bytes",
			  c->fly->path, (unsigned long long)(c->b.pos - cap), cap);
}

static struct fly_buffer *add_buffer(struct pcr_fly *f, const char *name, uint32_t page_size,
				     int nr_cpus)
{
	struct fly_buffer *bufs = realloc(f->bufs, (size_t)(f->nr_bufs + 1) * sizeof(*bufs));
	struct fly_buffer *b;

	if (!bufs)
		return NULL;
	f->bufs = bufs;
	b = &bufs[f->nr_bufs];
	memset(b, 0, sizeof(*b));
	b->name = strdup(name);
	b->cpus = calloc(nr_cpus ? (size_t)nr_cpus : 1, sizeof(*b->cpus));
	if (!b->name || !b->cpus) {
		free(b->name);
		free(b->cpus);
		return NULL;
	}
	b->page_size = page_size;
	b->nr_cpus = nr_cpus;
	f->nr_bufs++;
	return b;
}

int pcr_fly_corrupt(struct pcr_fly *f, char *errmsg, uint64_t offset, const char *what)
{
	return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
			  "%s: corrupt trace.dat at offset %llu: %s; record it again, or read it with --reader=libtracecmd to see what libtracecmd makes of it",
			  f->path, (unsigned long long)offset, what);
}

/* One v7 BUFFER option: the buffer's name, page size and per-CPU data. */
static int parse_buffer_option(struct pcr_fly *f, const unsigned char *p, uint32_t size,
			       uint64_t at, char *errmsg)
{
	const unsigned char *end = p + size, *name, *clock;
	struct fly_buffer *b;
	uint32_t page_size, nr, i;

	if (size < 8)
		return pcr_fly_corrupt(f, errmsg, at, "a BUFFER option is too short");
	name = p + 8;
	clock = memchr(name, '\0', (size_t)(end - name));
	if (!clock)
		return pcr_fly_corrupt(f, errmsg, at, "a BUFFER option's name is not terminated");
	clock++;
	p = memchr(clock, '\0', (size_t)(end - clock));
	if (!p || end - ++p < 8)
		return pcr_fly_corrupt(f, errmsg, at, "a BUFFER option is too short");
	page_size = (uint32_t)le(p, 4);
	nr = (uint32_t)le(p + 4, 4);
	p += 8;
	if ((uint64_t)(end - p) < (uint64_t)nr * 20)
		return pcr_fly_corrupt(f, errmsg, at, "a BUFFER option lists more CPUs than it holds");
	if (page_size < FLY_PAGE_HEADER * 2 || page_size > FLY_MAX_CHUNK)
		return pcr_fly_corrupt(f, errmsg, at, "a BUFFER option gives an impossible page size");
	b = add_buffer(f, *name ? (const char *)name : "top", page_size, (int)nr);
	if (!b)
		return -PCR_ERR_NOMEM;
	for (i = 0; i < nr; i++, p += 20) {
		b->cpus[i].cpu = (int)le(p, 4);
		b->cpus[i].offset = le(p + 4, 8);
		b->cpus[i].size = le(p + 12, 8);
		if (b->cpus[i].cpu < 0 || b->cpus[i].cpu > 65535)
			return pcr_fly_corrupt(f, errmsg, at, "a BUFFER option names an impossible CPU");
	}
	return 0;
}

/* Walks the v7 OPTIONS sections from @offset; returns the next section's offset in @next. */
static int parse_options_section(struct pcr_fly *f, struct fly_cursor *c, uint64_t *next,
				 const char **why)
{
	unsigned char *body = NULL, *raw = NULL;
	uint64_t id, flags, strid, size, at = c->b.pos;
	size_t len, off = 0;
	int ret;

	*next = 0;
	if ((ret = cursor_num(c, 2, &id)) || (ret = cursor_num(c, 2, &flags)) ||
	    (ret = cursor_num(c, 4, &strid)) || (ret = cursor_num(c, 8, &size)))
		return ret;
	if (id != 0)
		return pcr_fly_corrupt(f, c->errmsg, at, "the options offset does not point to an OPTIONS section");
	if (size > FLY_MAX_OPTIONS)
		return pcr_fly_corrupt(f, c->errmsg, at, "an OPTIONS section is impossibly large");
	raw = malloc(size ? size : 1);
	if (!raw)
		return -PCR_ERR_NOMEM;
	ret = cursor_read(c, raw, size);
	if (ret)
		goto out;
	body = raw;
	len = size;
	if (flags & 1) {
		uint64_t csize = size >= 8 ? le(raw, 4) : 0, usize = size >= 8 ? le(raw + 4, 4) : 0;

		if (f->codec.kind == PCR_CODEC_NONE || size < 8 || csize > size - 8 ||
		    usize > FLY_MAX_OPTIONS) {
			ret = pcr_fly_corrupt(f, c->errmsg, at,
					      "a compressed OPTIONS section has a bad header");
			goto out;
		}
		body = malloc(usize ? usize : 1);
		if (!body) {
			ret = -PCR_ERR_NOMEM;
			goto out;
		}
		if (pcr_codec_inflate(&f->codec, body, usize, raw + 8, csize)) {
			ret = pcr_fly_corrupt(f, c->errmsg, at, "an OPTIONS section does not decompress");
			goto out;
		}
		len = usize;
	}
	while (len - off >= 6) {
		uint32_t oid = (uint32_t)le(body + off, 2), osize = (uint32_t)le(body + off + 2, 4);

		off += 6;
		if (osize > len - off) {
			ret = pcr_fly_corrupt(f, c->errmsg, at, "an option runs past its OPTIONS section");
			goto out;
		}
		if (oid == FLY_OPT_DONE) {
			*next = osize >= 8 ? le(body + off, 8) : 0;
			break;
		}
		if (oid == FLY_OPT_BUFFER) {
			ret = parse_buffer_option(f, body + off, osize, at, c->errmsg);
			if (ret)
				goto out;
		} else if (oid == FLY_OPT_BUFFER_TEXT) {
			*why = "it holds latency (text) data";
			ret = PCR_FLY_UNSUPPORTED;
		} else if (oid == FLY_OPT_OFFSET || oid == FLY_OPT_TIME_SHIFT ||
			   oid == FLY_OPT_TSC2NSEC) {
			/* libtracecmd corrects the timestamps with these; leave it to do so. */
			*why = "it carries timestamp corrections";
			ret = PCR_FLY_UNSUPPORTED;
		}
		off += osize;
	}
out:
	if (body != raw)
		free(body);
	free(raw);
	return ret;
}

static int open_v7(struct pcr_fly *f, struct fly_cursor *c, const char **why)
{
	char name[64], version[64];
	uint64_t next;
	int ret, unsupported = 0, hops = 0;

	if ((ret = cursor_string(c, name, sizeof(name))) ||
	    (ret = cursor_string(c, version, sizeof(version))) ||
	    (ret = cursor_num(c, 8, &next)))
		return ret;
	ret = pcr_codec_set(&f->codec, name);
	if (ret < 0)
		return ret;
	if (ret) {
		*why = "its compression is neither zstd nor zlib";
		return PCR_FLY_UNSUPPORTED;
	}
	while (next) {
		/* A chain that loops would never end. */
		if (++hops > 1024)
			return pcr_fly_corrupt(f, c->errmsg, next, "the OPTIONS sections form a loop");
		c->b.pos = next;
		ret = parse_options_section(f, c, &next, why);
		if (ret < 0)
			return ret;
		unsupported |= ret;
	}
	return unsupported ? PCR_FLY_UNSUPPORTED : 0;
}

/* Skips a v6 header block: a NUL-terminated tag, then an 8-byte size and that many bytes. */
static int skip_tagged(struct fly_cursor *c, const char *tag)
{
	char s[32];
	uint64_t size;
	int ret = cursor_string(c, s, sizeof(s));

	if (ret)
		return ret;
	if (strcmp(s, tag))
		return pcr_fly_corrupt(c->fly, c->errmsg, c->b.pos, "a v6 header block is missing");
	ret = cursor_num(c, 8, &size);
	return ret ? ret : cursor_skip(c, size);
}

/* Skips @count files, each an 8-byte size and its bytes (event format files). */
static int skip_files(struct fly_cursor *c, uint64_t count)
{
	uint64_t i, size;
	int ret;

	for (i = 0; i < count; i++) {
		ret = cursor_num(c, 8, &size);
		if (!ret)
			ret = cursor_skip(c, size);
		if (ret)
			return ret;
	}
	return 0;
}

static int skip_v6_headers(struct fly_cursor *c)
{
	uint64_t n, systems, i, size;
	char name[256];
	int ret;

	if ((ret = skip_tagged(c, "header_page")) || (ret = skip_tagged(c, "header_event")) ||
	    (ret = cursor_num(c, 4, &n)) || (ret = skip_files(c, n)) ||
	    (ret = cursor_num(c, 4, &systems)))
		return ret;
	for (i = 0; i < systems; i++)
		if ((ret = cursor_string(c, name, sizeof(name))) || (ret = cursor_num(c, 4, &n)) ||
		    (ret = skip_files(c, n)))
			return ret;
	/* kallsyms and printk formats (4-byte sizes), then cmdlines (8-byte size). */
	if ((ret = cursor_num(c, 4, &size)) || (ret = cursor_skip(c, size)) ||
	    (ret = cursor_num(c, 4, &size)) || (ret = cursor_skip(c, size)) ||
	    (ret = cursor_num(c, 8, &size)) || (ret = cursor_skip(c, size)))
		return ret;
	return 0;
}

static int open_v6(struct pcr_fly *f, struct fly_cursor *c, const char **why)
{
	struct fly_buffer *b;
	uint64_t cpus, id, size, i;
	char tag[10];
	int ret = skip_v6_headers(c);

	if (ret || (ret = cursor_num(c, 4, &cpus)))
		return ret;
	if (cpus > 65536)
		return pcr_fly_corrupt(f, c->errmsg, c->b.pos - 4, "impossible CPU count");
	for (;;) {
		if ((ret = cursor_read(c, tag, sizeof(tag))))
			return ret;
		if (memcmp(tag, "options  ", sizeof(tag)))
			break;
		for (;;) {
			if ((ret = cursor_num(c, 2, &id)) || !id)
				break;
			if ((ret = cursor_num(c, 4, &size)))
				return ret;
			if (id == FLY_OPT_BUFFER) {
				*why = "it is a v6 file with instance buffers";
				return PCR_FLY_UNSUPPORTED;
			}
			if (id == FLY_OPT_OFFSET || id == FLY_OPT_TIME_SHIFT ||
			    id == FLY_OPT_TSC2NSEC) {
				*why = "it carries timestamp corrections";
				return PCR_FLY_UNSUPPORTED;
			}
			if ((ret = cursor_skip(c, size)))
				return ret;
		}
		if (ret)
			return ret;
	}
	if (memcmp(tag, "flyrecord", sizeof(tag))) {
		*why = "it holds latency (text) data";
		return PCR_FLY_UNSUPPORTED;
	}
	b = add_buffer(f, "top", f->page_size, (int)cpus);
	if (!b)
		return -PCR_ERR_NOMEM;
	for (i = 0; i < cpus; i++) {
		b->cpus[i].cpu = (int)i;
		if ((ret = cursor_num(c, 8, &b->cpus[i].offset)) ||
		    (ret = cursor_num(c, 8, &b->cpus[i].size)))
			return ret;
	}
	return 0;
}

int pcr_fly_open(struct pcr_fly **out, const char *path, struct tep_handle *tep,
		 const char **why, char *errmsg)
{
	struct fly_cursor c = { .errmsg = errmsg };
	unsigned char head[FLY_MAGIC_LEN];
	char version[16];
	uint64_t endian = 0, long_size = 0, page_size = 0;
	struct pcr_fly *f;
	struct stat st;
	int ret;

	*out = NULL;
	*why = "";
	if (tep_is_file_bigendian(tep) || tep_get_header_page_size(tep) != 8 ||
	    tep_is_old_format(tep)) {
		*why = "it is not a little-endian 64-bit recording";
		return PCR_FLY_UNSUPPORTED;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return -PCR_ERR_NOMEM;
	f->fd = -1;
	f->path = strdup(path);
	c.fly = f;
	ret = f->path ? 0 : -PCR_ERR_NOMEM;
	if (!ret) {
		f->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (f->fd < 0 || fstat(f->fd, &st))
			ret = pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot open: %s", path,
					 strerror(errno));
	}
	if (!ret) {
		c.b.fd = f->fd;
		c.b.end = (uint64_t)st.st_size;
		ret = cursor_read(&c, head, sizeof(head));
	}
	if (!ret && (ret = cursor_string(&c, version, sizeof(version))) == 0) {
		f->version = atoi(version);
		ret = cursor_num(&c, 1, &endian);
		if (!ret)
			ret = cursor_num(&c, 1, &long_size);
		if (!ret)
			ret = cursor_num(&c, 4, &page_size);
	}
	if (!ret && (endian || long_size != 8)) {
		*why = "it is not a little-endian 64-bit recording";
		ret = PCR_FLY_UNSUPPORTED;
	}
	if (!ret && (page_size < FLY_PAGE_HEADER * 2 || page_size > FLY_MAX_CHUNK))
		ret = pcr_fly_corrupt(f, errmsg, FLY_MAGIC_LEN, "impossible page size");
	f->page_size = (uint32_t)page_size;
	if (!ret && f->version == 6)
		ret = open_v6(f, &c, why);
	else if (!ret && f->version == 7)
		ret = open_v7(f, &c, why);
	else if (!ret) {
		*why = "its file version is neither 6 nor 7";
		ret = PCR_FLY_UNSUPPORTED;
	}
	if (ret) {
		pcr_fly_close(f);
		return ret;
	}
	*out = f;
	return 0;
}

uint64_t pcr_fly_data_bytes(const struct pcr_fly *fly)
{
	uint64_t bytes = 0;
	int i, j;

	for (i = 0; i < fly->nr_bufs; i++)
		for (j = 0; j < fly->bufs[i].nr_cpus; j++)
			bytes += fly->bufs[i].cpus[j].size;
	return bytes;
}

bool pcr_fly_compressed(const struct pcr_fly *fly)
{
	return fly->codec.kind != PCR_CODEC_NONE;
}

int pcr_fly_nr_buffers(const struct pcr_fly *fly)
{
	return fly->nr_bufs;
}

const char *pcr_fly_buffer_name(const struct pcr_fly *fly, int i)
{
	return fly->bufs[i].name;
}

int pcr_fly_buffer(const struct pcr_fly *fly, const char *name)
{
	int i;

	for (i = 0; i < fly->nr_bufs; i++)
		if (!strcmp(fly->bufs[i].name, name))
			return i;
	return -1;
}

