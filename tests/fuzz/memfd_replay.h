/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The body the file-reading fuzz targets share (memfd_replay.c): the input goes to a reader
 * through a memfd, as a user's file would, and a recording that opens is replayed to the end.
 */
#ifndef PCR_MEMFD_REPLAY_H
#define PCR_MEMFD_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "pcr_formats.h"

/* A reader's open function: pcr_perfdata_open(), pcr_tracedat_open(). */
typedef int (*pcr_fuzz_open_fn)(struct pcr_source **out, const char *path,
				const struct pcr_source_options *opts, char *errmsg);

/**
 * pcr_fuzz_memfd_replay - write @data to a memfd, open it with @open and replay it
 * @data: the input
 * @size: its length
 * @open: the reader
 * @opts: the reader's options; its depot is set here
 *
 * Every event is summed into a value nothing reads, so that each is delivered whole.
 */
void pcr_fuzz_memfd_replay(const uint8_t *data, size_t size, pcr_fuzz_open_fn open,
			   struct pcr_source_options *opts);

#endif
