// SPDX-License-Identifier: GPL-2.0
/*
 * The byte cursor of a trace.dat's header walks, and whole reads and writes of a file
 * (bytecur.h).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bytecur.h"

int pcr_bytecur_pread(int fd, void *buf, size_t n, uint64_t at, uint64_t *stop)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = pread(fd, (char *)buf + done, n - done, (off_t)(at + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			*stop = at + done;
			return r ? PCR_BYTECUR_IO : PCR_BYTECUR_EOF;
		}
		done += (size_t)r;
	}
	return 0;
}

int pcr_bytecur_write_all(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!w)
				errno = ENOSPC;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int pcr_bytecur_read(struct pcr_bytecur *c, void *buf, size_t n, uint64_t *stop)
{
	int ret = 0;

	if (c->pos > c->end || n > c->end - c->pos)
		return PCR_BYTECUR_PAST_END;
	if (c->mem)
		memcpy(buf, c->mem + c->pos, n);
	else
		ret = pcr_bytecur_pread(c->fd, buf, n, c->pos, stop);
	if (!ret)
		c->pos += n;
	return ret;
}

int pcr_bytecur_skip(struct pcr_bytecur *c, uint64_t n)
{
	if (c->pos > c->end || n > c->end - c->pos)
		return PCR_BYTECUR_PAST_END;
	c->pos += n;
	return 0;
}
