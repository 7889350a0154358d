// SPDX-License-Identifier: GPL-2.0
/* The replay the text fuzz targets share (text_replay.h). */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pcr_formats.h"
#include "text_replay.h"

static int count_event(const struct pcr_event *ev, void *payload)
{
	uint64_t *n = payload;

	if (ev->kind >= PCR_EV_NR)
		return -PCR_ERR_INVAL;
	(*n)++;
	return 0;
}

void pcr_fuzz_text_replay(const uint8_t *data, size_t size)
{
	struct pcr_source_options opts = { .format = PCR_INPUT_TEXT };
	char errmsg[PCR_ERRMSG_LEN], path[64];
	struct pcr_source *src = NULL;
	uint64_t events = 0;
	int fd = memfd_create("fuzz_text", MFD_CLOEXEC);

	if (fd < 0)
		return;
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
}
