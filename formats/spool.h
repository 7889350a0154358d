/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finding out what a recording is before a reader opens it, and giving the readers that need to
 * seek (libtracecmd, our trace.dat reader) a file they can seek in when the recording comes
 * compressed with zstd or on standard input.
 */
#ifndef PCR_SPOOL_H
#define PCR_SPOOL_H

#include <stdbool.h>
#include <stddef.h>

#include "pcr_formats.h"

/* Bytes of the (decompressed) start that tell the formats apart and their versions. */
#define PCR_PROBE_HEAD 64

/**
 * struct pcr_probe - what the start of a recording says it is
 * @fd:		the recording, open (standard input when @stream)
 * @stream:	standard input: the bytes in @raw are gone from it and must be handed on
 * @compressed:	the recording is zstd-compressed; @head is its decompressed start
 * @format:	the format @head shows (PCR_INPUT_TEXT for anything unrecognized)
 * @head:	the first bytes of the recording, decompressed
 * @head_len:	how many
 * @raw:	the bytes read from @fd so far, as read
 * @raw_len:	how many
 */
struct pcr_probe {
	int fd;
	bool stream;
	bool compressed;
	enum pcr_input_format format;
	unsigned char head[PCR_PROBE_HEAD];
	size_t head_len;
	unsigned char *raw;
	size_t raw_len;
};

/**
 * pcr_probe_open - read the start of a recording, decompressing it when it is zstd
 * @p: receives what was found
 * @path: a regular file, or "-" for standard input
 * @errmsg: receives the message of an error
 *
 * Return: 0, -PCR_ERR_IO (cannot open or read, not a regular file) or -PCR_ERR_NOMEM.
 */
int pcr_probe_open(struct pcr_probe *p, const char *path, char *errmsg);

/**
 * pcr_probe_close - release what pcr_probe_open() holds (closes the file, not standard input)
 * @p: the probe
 */
void pcr_probe_close(struct pcr_probe *p);

/**
 * pcr_probe_describe - name the format of a recording's start, e.g. "a trace.dat v7"
 * @head: the first bytes, decompressed
 * @len: how many
 * @buf: receives the name
 * @size: room in @buf
 *
 * Return: @buf.
 */
const char *pcr_probe_describe(const unsigned char *head, size_t len, char *buf, size_t size);

/**
 * pcr_probe_looks_text - whether a recording's start is printable text
 * @p: the probe
 *
 * Return: true when every byte of the head is printable ASCII, a tab or a line end.
 */
bool pcr_probe_looks_text(const struct pcr_probe *p);

/**
 * pcr_spool - copy the whole recording, decompressed, into an unlinked temporary file
 * @p: the probe (its bytes read so far come first)
 * @name: the recording's name for messages
 * @fd: receives the temporary file, positioned at its start
 * @errmsg: receives the message of an error
 *
 * The copy is written in $TMPDIR (/tmp when unset) through a fixed-size buffer: memory stays
 * bounded whatever the size of the recording; the file disappears when @fd is closed.
 *
 * Return: 0, -PCR_ERR_IO (no temporary file, disk full), -PCR_ERR_FORMAT (corrupt zstd),
 * -PCR_ERR_TRUNCATED (the zstd stream is cut) or -PCR_ERR_NOMEM.
 */
int pcr_spool(struct pcr_probe *p, const char *name, int *fd, char *errmsg);

#endif /* PCR_SPOOL_H */
