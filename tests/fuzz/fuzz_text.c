// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the text reader: each input is replayed as a text trace (plain or zstd)
 * through pcr_text_open() with a stack depot, as the tool does. replay_corpus.c runs the same
 * function over a saved corpus without libFuzzer.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pcr_formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_event(const struct pcr_event *ev, void *payload)
{
	uint64_t *n = payload;

	if (ev->kind >= PCR_EV_NR)
		return -PCR_ERR_INVAL;
	(*n)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcr_source_options opts = { .format = PCR_INPUT_TEXT };
	char errmsg[PCR_ERRMSG_LEN], path[64];
	struct pcr_source *src = NULL;
	uint64_t events = 0;
	int fd = memfd_create("fuzz_text", 0);

	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size)
		goto out;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (pcr_depot_new(&opts.depot))
		goto out;
	if (!pcr_text_open(&src, path, &opts, errmsg))
		pcr_source_replay(src, count_event, &events, errmsg);
	pcr_source_close(src);
	pcr_depot_free(opts.depot);
out:
	close(fd);
	return 0;
}
