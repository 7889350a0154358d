/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Line input for the text reader: a file or standard input, plain or compressed with zstd
 * (found from the magic of its first bytes), read in bounded lines without a temporary file.
 */
#ifndef PCR_TEXTIO_H
#define PCR_TEXTIO_H

#include <stdbool.h>
#include <stddef.h>

/* The longest line kept; the rest of a longer line is skipped (and the line marked overlong). */
#define PCR_TEXT_MAX_LINE 65536

/* How much text pcr_textio_peek() looks at before the replay starts. */
#define PCR_TEXT_HEAD 1048576

struct pcr_textio;

/**
 * pcr_textio_open - open a text input
 * @out: receives the input
 * @path: the file, or "-" for standard input
 * @head: bytes already read from standard input, which come first (NULL for a file)
 * @head_len: how many
 * @errmsg: receives a one-line message on failure (PCR_ERRMSG_LEN bytes)
 *
 * Return: 0, -PCR_ERR_IO or -PCR_ERR_NOMEM.
 */
int pcr_textio_open(struct pcr_textio **out, const char *path, const unsigned char *head,
		    size_t head_len, char *errmsg);

/**
 * pcr_textio_close - close an input
 * @io: the input, or NULL
 */
void pcr_textio_close(struct pcr_textio *io);

/**
 * pcr_textio_zstd - whether the input is compressed with zstd
 * @io: the input
 *
 * Return: true once the first bytes showed the zstd magic.
 */
bool pcr_textio_zstd(const struct pcr_textio *io);

/**
 * pcr_textio_peek - read ahead up to PCR_TEXT_HEAD bytes without consuming them
 * @io: the input, before its first pcr_textio_line()
 * @text: receives the text read ahead (not NUL-terminated)
 * @len: receives its length
 * @all: receives true when @text is the whole input
 * @errmsg: receives a one-line message on failure
 *
 * Return: 0 or a negative error code (-PCR_ERR_IO, -PCR_ERR_FORMAT, -PCR_ERR_TRUNCATED).
 */
int pcr_textio_peek(struct pcr_textio *io, const char **text, size_t *len, bool *all,
		    char *errmsg);

/**
 * pcr_textio_line - the next line
 * @io: the input
 * @line: receives the line, NUL-terminated, without its newline (valid until the next call)
 * @len: receives its length in bytes (it may hold NUL bytes of its own)
 * @overlong: receives true when the line was longer than PCR_TEXT_MAX_LINE and was cut
 * @errmsg: receives a one-line message on failure
 *
 * Return: 1 for a line, 0 at the end of the input, or a negative error code.
 */
int pcr_textio_line(struct pcr_textio *io, char **line, size_t *len, bool *overlong,
		    char *errmsg);

#endif /* PCR_TEXTIO_H */
