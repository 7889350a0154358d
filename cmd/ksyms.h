/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a replay's kernel symbols come from: a --kallsyms file checked against the recording,
 * or the running kernel's /proc/kallsyms when the recording shows it is the same kernel, booted
 * at the same address.
 */
#ifndef PCR_KSYMS_H
#define PCR_KSYMS_H

#include <stddef.h>

#include "pagecheck.h"
#include "pcr_formats.h"

/**
 * pcr_ksyms_running - the running kernel's symbols, when it is the kernel a recording was made on
 * @info: the recording: its build id, release and kernel map (perf.data)
 * @out: receives the table, or NULL when the running kernel's symbols do not apply
 * @note: receives what the summary's "kallsyms:" line says, or "" for the plain "none"
 * @size: room in @note
 *
 * Only a recording with a kernel map qualifies (perf.data): its build id must be the running
 * kernel's (/sys/kernel/notes), or, when it lists none, its release must be (uname -r) and its
 * kernel map must end where the running kernel's text does. Either way the map must start where
 * /proc/kallsyms has its symbol: another boot of the same kernel is relocated elsewhere (KASLR).
 * A trace.dat names no build id and no kernel map, and is never given them.
 *
 * Return: 0 or -PCR_ERR_NOMEM.
 */
int pcr_ksyms_running(const struct pcr_source_info *info, struct pcr_kallsyms **out, char *note,
		      size_t size);

/**
 * pcr_ksyms_check - check a --kallsyms file against the recording
 * @path: the file, for messages
 * @table: its symbols
 * @info: the recording
 * @depot: the recording's stacks read so far, or NULL
 * @note: receives what the summary's "kallsyms:" line says
 * @size: room in @note
 * @errmsg: receives why it is refused (PCR_ERRMSG_LEN bytes)
 *
 * The recording's kernel map (perf.data) must start where the file has the map's symbol (_text)
 * and end at its _etext or _edata; every stack frame must lie in its kernel text or in one of
 * its module symbols. Without a kernel map only the frames are checked, when the file has
 * _text (or _stext) and _etext.
 *
 * Return: 0, or -PCR_ERR_INVAL when the file is not the recorded boot's kallsyms.
 */
int pcr_ksyms_check(const char *path, const struct pcr_kallsyms *table,
		    const struct pcr_source_info *info, const struct pcr_depot *depot, char *note,
		    size_t size, char *errmsg);

#endif /* PCR_KSYMS_H */
