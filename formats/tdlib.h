/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.dat through libtracecmd (tdlib.c). Private to formats/.
 */
#ifndef PCR_TDLIB_H
#define PCR_TDLIB_H

#include <stddef.h>

struct tracecmd_input;

/**
 * pcr_tracedat_check_magic - whether a file is a trace.dat whose compression can be read
 * @path: the file
 * @sniffed: its first bytes when the caller read them already, or NULL
 * @sniffed_len: how many
 * @errmsg: receives what is wrong and what to do (PCR_ERRMSG_LEN bytes)
 *
 * Return: 0, or -PCR_ERR_FORMAT (no trace.dat magic, a codec libtracecmd lacks), -PCR_ERR_IO.
 */
int pcr_tracedat_check_magic(const char *path, const unsigned char *sniffed, size_t sniffed_len,
			     char *errmsg);

/**
 * pcr_tracedat_lib_open - open a trace.dat with libtracecmd, every page checked first
 * @path: the file
 * @out: receives the handle, its data loaded (tracecmd_init_data())
 * @errmsg: receives what is wrong, with what libtracecmd said (PCR_ERRMSG_LEN bytes)
 *
 * Return: 0, or a negative error code (-PCR_ERR_TRUNCATED when libtracecmd cannot open it).
 */
int pcr_tracedat_lib_open(const char *path, struct tracecmd_input **out, char *errmsg);

#endif
