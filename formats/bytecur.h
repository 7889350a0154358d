/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The byte cursor under the two walks of a trace.dat's headers (tdblocks.c checks them,
 * flyopen.c finds the CPU data in them): reads at an offset of a file through pread(), or of
 * bytes in memory, bounded by an end. Each walk words its own messages from what this returns.
 */
#ifndef PCR_BYTECUR_H
#define PCR_BYTECUR_H

#include <stddef.h>
#include <stdint.h>

/* What a read that failed ran into (pcr_bytecur_read()). */
enum pcr_bytecur_fail {
	PCR_BYTECUR_PAST_END = 1,	/* the bytes run past the cursor's end: nothing was read */
	PCR_BYTECUR_EOF,		/* the file ended before them */
	PCR_BYTECUR_IO,			/* pread() failed; errno says why */
};

/**
 * struct pcr_bytecur - sequential reads of a file or of bytes in memory
 * @fd:		the file, read with pread() when @mem is NULL
 * @mem:	the bytes, or NULL for the file
 * @pos:	the next byte: an index in @mem, or an offset in the file
 * @end:	where what may be read ends (the end of @mem, or of the file or a part of it)
 */
struct pcr_bytecur {
	int fd;
	const unsigned char *mem;
	uint64_t pos;
	uint64_t end;
};

/**
 * pcr_bytecur_pread - read @n bytes at @at of a file, through short reads and EINTR
 * @fd: the file
 * @buf: receives the bytes
 * @n: how many
 * @at: the offset
 * @stop: receives, on failure, the offset where the reading stopped
 *
 * Return: 0, PCR_BYTECUR_EOF or PCR_BYTECUR_IO (errno kept).
 */
int pcr_bytecur_pread(int fd, void *buf, size_t n, uint64_t at, uint64_t *stop);

/**
 * pcr_bytecur_write_all - write @n bytes to a file, through short writes and EINTR
 * @fd: the file
 * @buf: the bytes
 * @n: how many
 *
 * Return: 0, or -1 with errno set (ENOSPC when write() wrote nothing).
 */
int pcr_bytecur_write_all(int fd, const void *buf, size_t n);

/**
 * pcr_bytecur_read - read @n bytes at the cursor and move past them
 * @c: the cursor
 * @buf: receives the bytes
 * @n: how many
 * @stop: receives, for PCR_BYTECUR_EOF and PCR_BYTECUR_IO, the file offset where it stopped
 *
 * Return: 0 or an enum pcr_bytecur_fail (the cursor does not move then).
 */
int pcr_bytecur_read(struct pcr_bytecur *c, void *buf, size_t n, uint64_t *stop);

/**
 * pcr_bytecur_skip - move past @n bytes
 * @c: the cursor
 * @n: how many
 *
 * Return: 0, or PCR_BYTECUR_PAST_END when they run past the cursor's end (it does not move).
 */
int pcr_bytecur_skip(struct pcr_bytecur *c, uint64_t n);

#endif /* PCR_BYTECUR_H */
