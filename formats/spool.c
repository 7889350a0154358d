// SPDX-License-Identifier: GPL-2.0
/*
 * What a recording is, found from its (decompressed) first bytes, and the seekable copy of a
 * compressed or piped recording for the readers that seek (see spool.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "bytecur.h"
#include "reader.h"
#include "spool.h"

/*
 * How much compressed input the probe reads to decompress its head: a zstd block is at most
 * 128 KiB, so the first one always fits.
 */
#define PROBE_RAW_MAX (1u << 20)
#define PROBE_CHUNK (1u << 16)

/* Reads what is there, up to @size bytes; 0 at the end of the input. */
static ssize_t read_some(int fd, void *buf, size_t size)
{
	ssize_t n;

	do
		n = read(fd, buf, size);
	while (n < 0 && errno == EINTR);
	return n;
}

/* Appends up to @want more bytes of the input to p->raw; *got is 0 at its end. */
static int probe_read(struct pcr_probe *p, size_t want, size_t *got, const char *name,
		      char *errmsg)
{
	unsigned char *raw = realloc(p->raw, p->raw_len + want);
	ssize_t n;

	if (!raw)
		return -PCR_ERR_NOMEM;
	p->raw = raw;
	n = read_some(p->fd, p->raw + p->raw_len, want);
	if (n < 0)
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot read: %s", name,
				  strerror(errno));
	p->raw_len += (size_t)n;
	*got = (size_t)n;
	return 0;
}

/* Decompresses the start of a zstd input into p->head; a corrupt stream leaves it short. */
static int probe_zstd(struct pcr_probe *p, const char *name, char *errmsg)
{
	ZSTD_DStream *zds = ZSTD_createDStream();
	ZSTD_inBuffer in = { p->raw, p->raw_len, 0 };
	size_t got = 1;
	int ret = 0;

	if (!zds)
		return -PCR_ERR_NOMEM;
	ZSTD_initDStream(zds);
	while (p->head_len < sizeof(p->head)) {
		ZSTD_outBuffer out = { p->head, sizeof(p->head), p->head_len };
		size_t zret;

		if (in.pos == in.size) {
			if (!got || p->raw_len >= PROBE_RAW_MAX)
				break;
			ret = probe_read(p, PROBE_CHUNK, &got, name, errmsg);
			if (ret)
				break;
			in.src = p->raw;
			in.size = p->raw_len;
		}
		zret = ZSTD_decompressStream(zds, &out, &in);
		p->head_len = out.pos;
		/* A corrupt stream: the text reader, which streams it, says where. */
		if (ZSTD_isError(zret))
			break;
	}
	ZSTD_freeDStream(zds);
	return ret;
}

int pcr_probe_open(struct pcr_probe *p, const char *path, char *errmsg)
{
	static const unsigned char zstd_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	const char *name = strcmp(path, "-") ? path : "standard input";
	size_t got = 1;
	int ret = 0;

	memset(p, 0, sizeof(*p));
	p->stream = !strcmp(path, "-");
	p->fd = p->stream ? STDIN_FILENO : pcr_open_regular(path, NULL, errmsg);
	if (p->fd < 0)
		return p->fd;
	while (!ret && got && p->raw_len < sizeof(p->head))
		ret = probe_read(p, sizeof(p->head) - p->raw_len, &got, name, errmsg);
	if (!ret && p->raw_len >= sizeof(zstd_magic) &&
	    !memcmp(p->raw, zstd_magic, sizeof(zstd_magic))) {
		p->compressed = true;
		ret = probe_zstd(p, name, errmsg);
	} else if (!ret) {
		p->head_len = p->raw_len;
		memcpy(p->head, p->raw, p->head_len);
	}
	if (ret) {
		pcr_probe_close(p);
		return ret;
	}
	p->format = pcr_input_format_sniff(p->head, p->head_len);
	/* Compressed twice, or not a zstd stream at all: the text reader says which. */
	if (p->format == PCR_INPUT_ZSTD || (p->compressed && !p->head_len))
		p->format = PCR_INPUT_TEXT;
	return 0;
}

void pcr_probe_close(struct pcr_probe *p)
{
	if (!p->stream && p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	free(p->raw);
	p->raw = NULL;
	p->raw_len = 0;
}

const char *pcr_probe_describe(const unsigned char *head, size_t len, char *buf, size_t size)
{
	const char *version;

	switch (pcr_input_format_sniff(head, len)) {
	case PCR_INPUT_TRACEDAT:
		/* The magic's 10 bytes, then the version as a NUL-terminated decimal. */
		version = len > 11 && memchr(head + 10, '\0', len - 10) ? (const char *)head + 10 :
									 "?";
		snprintf(buf, size, "a trace.dat v%s", version);
		break;
	case PCR_INPUT_PERF:
		snprintf(buf, size, "%s", len >= 16 && head[8] == 16 && !head[9] ?
			 "a perf.data in pipe mode" : "a perf.data");
		break;
	default:
		snprintf(buf, size, "text");
		break;
	}
	return buf;
}

bool pcr_probe_looks_text(const struct pcr_probe *p)
{
	size_t i;

	if (!p->head_len)
		return false;
	for (i = 0; i < p->head_len; i++)
		if ((p->head[i] < 0x20 || p->head[i] > 0x7e) && p->head[i] != '\t' &&
		    p->head[i] != '\n' && p->head[i] != '\r')
			return false;
	return true;
}

/* Says where the copy was to go and how to choose another place. */
static int spool_err(char *errmsg, int err, const char *name, const char *dir, const char *what)
{
	return pcr_errmsg(errmsg, err,
			  "%s: cannot %s a temporary copy of it in %s (%s): %s; set TMPDIR to a directory with room for the whole decompressed recording",
			  name, what, dir, getenv("TMPDIR") && *getenv("TMPDIR") ?
			  "from TMPDIR" : "TMPDIR is not set", strerror(errno));
}

/* An unlinked file in $TMPDIR: O_TMPFILE, or mkstemp() and unlink() where it is not supported. */
static int temp_file(const char *dir, int *fd)
{
	char *tmpl;

	*fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
	if (*fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return *fd >= 0 ? 0 : -1;
	if (asprintf(&tmpl, "%s/pagecheck-replay.XXXXXX", dir) < 0)
		return -1;
	*fd = mkstemp(tmpl);
	if (*fd >= 0)
		unlink(tmpl);
	free(tmpl);
	return *fd >= 0 ? 0 : -1;
}

/* Writes @in, decompressed when the recording is, to @fd. */
static int spool_chunk(ZSTD_DStream *zds, int fd, ZSTD_inBuffer *in, void *obuf, size_t osize,
		       size_t *zret)
{
	if (!zds) {
		in->pos = in->size;
		return pcr_bytecur_write_all(fd, in->src, in->size) ? -PCR_ERR_IO : 0;
	}
	while (in->pos < in->size) {
		ZSTD_outBuffer out = { obuf, osize, 0 };

		*zret = ZSTD_decompressStream(zds, &out, in);
		if (ZSTD_isError(*zret))
			return -PCR_ERR_FORMAT;
		if (pcr_bytecur_write_all(fd, obuf, out.pos))
			return -PCR_ERR_IO;
	}
	return 0;
}

int pcr_spool(struct pcr_probe *p, const char *name, int *fd, char *errmsg)
{
	const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	size_t isize = ZSTD_DStreamInSize(), osize = ZSTD_DStreamOutSize(), zret = 0;
	ZSTD_DStream *zds = NULL;
	void *ibuf, *obuf;
	ssize_t n = 0;
	int ret;

	*fd = -1;
	if (temp_file(dir, fd))
		return spool_err(errmsg, -PCR_ERR_IO, name, dir, "create");
	ibuf = malloc(isize);
	obuf = malloc(osize);
	if (p->compressed) {
		zds = ZSTD_createDStream();
		if (zds)
			ZSTD_initDStream(zds);
	}
	ret = !ibuf || !obuf || (p->compressed && !zds) ? -PCR_ERR_NOMEM : 0;
	if (!ret) {
		ZSTD_inBuffer in = { p->raw, p->raw_len, 0 };

		ret = spool_chunk(zds, *fd, &in, obuf, osize, &zret);
	}
	while (!ret) {
		ZSTD_inBuffer in = { ibuf, 0, 0 };

		n = read_some(p->fd, ibuf, isize);
		if (n <= 0)
			break;
		in.size = (size_t)n;
		ret = spool_chunk(zds, *fd, &in, obuf, osize, &zret);
	}
	if (ret == -PCR_ERR_IO)
		spool_err(errmsg, ret, name, dir, "write");
	else if (ret == -PCR_ERR_FORMAT)
		pcr_errmsg(errmsg, ret, "%s: corrupt zstd data: %s", name,
			   ZSTD_getErrorName(zret));
	else if (!ret && n < 0)
		ret = pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot read: %s", name,
				 strerror(errno));
	else if (!ret && zret)
		ret = pcr_errmsg(errmsg, -PCR_ERR_TRUNCATED,
				 "%s: the zstd stream is truncated (its last frame does not end); copy the whole file",
				 name);
	else if (!ret && lseek(*fd, 0, SEEK_SET))
		ret = spool_err(errmsg, -PCR_ERR_IO, name, dir, "read back");
	ZSTD_freeDStream(zds);
	free(ibuf);
	free(obuf);
	if (ret) {
		close(*fd);
		*fd = -1;
	}
	return ret;
}
