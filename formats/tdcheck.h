/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The check of a whole trace.dat before libtracecmd or libtraceevent reads any of it
 * (tdcheck.c): libtracecmd 3.1.6 and libtraceevent 1.7.1 trust the file, and crash on some
 * damaged ones (issue 17). Private to formats/.
 */
#ifndef PCR_TDCHECK_H
#define PCR_TDCHECK_H

#include <stdbool.h>

/**
 * pcr_tdcheck - check a trace.dat's structure and texts before libtracecmd opens it
 * @path: the file (a regular file)
 * @every_page: check every ring-buffer page (libtracecmd will read the records), not only
 *		each CPU's first page (the one tracecmd_init_data() loads)
 * @errmsg: receives a one-line message naming the section, the offset and what to do
 *	    (PCR_ERRMSG_LEN bytes)
 *
 * Checks what libtracecmd and libtraceevent would read: the fixed header (version, endianness,
 * long size, page size), every section and option against the file's size (v7: the section
 * chain, the compressed sections decompressed under a cap), the header_page text, every event
 * format through pcr_tep_check_event(), kallsyms and saved cmdlines through their grammars in
 * tepcheck.c, the printk formats through the kernel's "0xADDR : \"FORMAT\"" grammar, the
 * options libtracecmd parses, each CPU's data against the file and its first page (or every
 * page) with the page walker's rules. Memory stays bounded by the largest section it allows.
 *
 * Return: 0 when the file passes; -PCR_ERR_FORMAT, -PCR_ERR_TRUNCATED, -PCR_ERR_IO or
 * -PCR_ERR_NOMEM.
 */
int pcr_tdcheck(const char *path, bool every_page, char *errmsg);

#endif
