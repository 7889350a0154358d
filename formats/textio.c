// SPDX-License-Identifier: GPL-2.0
/*
 * Line input for the text reader (see textio.h): one buffer of PCR_TEXT_HEAD bytes that the
 * lines are cut from, filled by read() directly or through libzstd's streaming decompressor.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "pcr_formats.h"
#include "textio.h"

static const unsigned char zstd_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };

struct pcr_textio {
	const char *path;
	ZSTD_DStream *zds;
	unsigned char *in;	/* raw bytes read from the file */
	size_t in_cap;
	size_t in_len;
	size_t in_pos;
	size_t zret;		/* the decompressor's last hint: 0 when a frame just ended */
	char *buf;		/* text, PCR_TEXT_HEAD bytes and a NUL */
	size_t len;
	size_t pos;
	int fd;
	bool own_fd;
	bool raw_eof;
	bool eof;		/* no more text */
	bool detected;
	bool skipping;		/* discarding the rest of an overlong line */
};

int pcr_textio_open(struct pcr_textio **out, const char *path, const unsigned char *head,
		    size_t head_len, char *errmsg)
{
	struct pcr_textio *io;
	struct stat st;

	*out = NULL;
	io = calloc(1, sizeof(*io));
	if (!io)
		return -PCR_ERR_NOMEM;
	io->path = path;
	io->fd = -1;
	io->in_cap = ZSTD_DStreamInSize();
	if (io->in_cap < 65536)
		io->in_cap = 65536;
	if (io->in_cap < head_len)
		io->in_cap = head_len;
	io->in = malloc(io->in_cap);
	io->buf = malloc(PCR_TEXT_HEAD + 1);
	if (!io->in || !io->buf) {
		pcr_textio_close(io);
		return -PCR_ERR_NOMEM;
	}
	if (!strcmp(path, "-")) {
		io->fd = STDIN_FILENO;
		if (head_len)
			memcpy(io->in, head, head_len);
		io->in_len = head_len;
	} else {
		io->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (io->fd < 0) {
			int err = errno;

			pcr_textio_close(io);
			return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot open: %s", path,
					  strerror(err));
		}
		io->own_fd = true;
		if (fstat(io->fd, &st) || S_ISDIR(st.st_mode)) {
			pcr_textio_close(io);
			return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: not a regular file", path);
		}
	}
	*out = io;
	return 0;
}

void pcr_textio_close(struct pcr_textio *io)
{
	if (!io)
		return;
	if (io->own_fd)
		close(io->fd);
	ZSTD_freeDStream(io->zds);
	free(io->in);
	free(io->buf);
	free(io);
}

bool pcr_textio_zstd(const struct pcr_textio *io)
{
	return io->zds != NULL;
}

/* Reads more raw bytes after the unconsumed ones; sets raw_eof at the end of the file. */
static int read_raw(struct pcr_textio *io, char *errmsg)
{
	ssize_t n;

	if (io->in_pos == io->in_len)
		io->in_pos = io->in_len = 0;
	if (io->in_pos) {
		memmove(io->in, io->in + io->in_pos, io->in_len - io->in_pos);
		io->in_len -= io->in_pos;
		io->in_pos = 0;
	}
	if (io->in_len == io->in_cap)
		return 0;
	do
		n = read(io->fd, io->in + io->in_len, io->in_cap - io->in_len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return pcr_errmsg(errmsg, -PCR_ERR_IO, "%s: cannot read: %s", io->path,
				  strerror(errno));
	if (!n)
		io->raw_eof = true;
	io->in_len += (size_t)n;
	return 0;
}

/* Looks at the first bytes: the zstd magic starts a decompressor. */
static int detect(struct pcr_textio *io, char *errmsg)
{
	int ret;

	io->detected = true;
	while (io->in_len < sizeof(zstd_magic) && !io->raw_eof) {
		ret = read_raw(io, errmsg);
		if (ret)
			return ret;
	}
	if (io->in_len < sizeof(zstd_magic) || memcmp(io->in, zstd_magic, sizeof(zstd_magic)))
		return 0;
	io->zds = ZSTD_createDStream();
	if (!io->zds)
		return -PCR_ERR_NOMEM;
	ZSTD_initDStream(io->zds);
	io->zret = 1;
	return 0;
}

/* Appends text after buf[len]; returns how many bytes came (0 at the end) or an error. */
static long fill(struct pcr_textio *io, char *errmsg)
{
	size_t room = PCR_TEXT_HEAD - io->len;
	int ret;

	if (!io->detected) {
		ret = detect(io, errmsg);
		if (ret)
			return ret;
	}
	for (;;) {
		if (io->in_pos == io->in_len && !io->raw_eof) {
			ret = read_raw(io, errmsg);
			if (ret)
				return ret;
		}
		if (!io->zds) {
			size_t n = io->in_len - io->in_pos;

			if (!n)
				return 0;
			if (n > room)
				n = room;
			memcpy(io->buf + io->len, io->in + io->in_pos, n);
			io->in_pos += n;
			io->len += n;
			return (long)n;
		} else {
			ZSTD_inBuffer zin = { io->in, io->in_len, io->in_pos };
			ZSTD_outBuffer zout = { io->buf + io->len, room, 0 };
			size_t r = ZSTD_decompressStream(io->zds, &zout, &zin);

			if (ZSTD_isError(r))
				return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
						  "%s: corrupt zstd data: %s", io->path,
						  ZSTD_getErrorName(r));
			/* With no input and no output, the hint is the next frame's header size. */
			if (zin.pos != io->in_pos || zout.pos)
				io->zret = r;
			io->in_pos = zin.pos;
			io->len += zout.pos;
			if (zout.pos)
				return (long)zout.pos;
			if (io->raw_eof && io->in_pos == io->in_len) {
				if (io->zret)
					return pcr_errmsg(errmsg, -PCR_ERR_TRUNCATED,
							  "%s: the zstd stream is truncated (its last frame does not end); copy the whole file",
							  io->path);
				return 0;
			}
		}
	}
}

int pcr_textio_peek(struct pcr_textio *io, const char **text, size_t *len, bool *all,
		    char *errmsg)
{
	long n;

	while (!io->eof && io->len < PCR_TEXT_HEAD) {
		n = fill(io, errmsg);
		if (n < 0)
			return (int)n;
		if (!n)
			io->eof = true;
	}
	*text = io->buf + io->pos;
	*len = io->len - io->pos;
	*all = io->eof;
	return 0;
}

int pcr_textio_line(struct pcr_textio *io, char **line, size_t *len, bool *overlong,
		    char *errmsg)
{
	char *nl;
	long n;

	*overlong = false;
	for (;;) {
		nl = memchr(io->buf + io->pos, '\n', io->len - io->pos);
		if (io->skipping) {
			if (nl) {
				io->pos = (size_t)(nl - io->buf) + 1;
				io->skipping = false;
				continue;
			}
			io->pos = io->len;
		} else if (nl) {
			*line = io->buf + io->pos;
			*len = (size_t)(nl - *line);
			*nl = '\0';
			io->pos += *len + 1;
			if (*len && (*line)[*len - 1] == '\r')
				(*line)[--*len] = '\0';
			return 1;
		} else if (io->len - io->pos >= PCR_TEXT_MAX_LINE) {
			/* No newline in the whole window: cut the line, skip the rest of it. */
			*line = io->buf + io->pos;
			*len = PCR_TEXT_MAX_LINE - 1;
			io->pos += PCR_TEXT_MAX_LINE;
			(*line)[*len] = '\0';
			io->skipping = true;
			*overlong = true;
			return 1;
		} else if (io->eof) {
			if (io->pos == io->len)
				return 0;
			*line = io->buf + io->pos;
			*len = io->len - io->pos;
			io->buf[io->len] = '\0';
			io->pos = io->len;
			return 1;
		}
		if (io->eof)
			return 0;
		if (io->pos) {
			memmove(io->buf, io->buf + io->pos, io->len - io->pos);
			io->len -= io->pos;
			io->pos = 0;
		}
		n = fill(io, errmsg);
		if (n < 0)
			return (int)n;
		if (!n)
			io->eof = true;
	}
}
