// SPDX-License-Identifier: GPL-2.0
/* The body the file-reading fuzz targets share (memfd_replay.h). */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "memfd_replay.h"

static int count_event(const struct pcr_event *ev, void *payload)
{
	(*(uint64_t *)payload) += ev->kind;
	return 0;
}

void pcr_fuzz_memfd_replay(const uint8_t *data, size_t size, pcr_fuzz_open_fn open,
			   struct pcr_source_options *opts)
{
	char errmsg[PCR_ERRMSG_LEN], path[64];
	struct pcr_source *src = NULL;
	struct pcr_depot *depot = NULL;
	uint64_t sum = 0;
	size_t done = 0;
	int fd;

	fd = memfd_create("pcr_fuzz", MFD_CLOEXEC);
	if (fd < 0)
		return;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (!pcr_depot_new(&depot))
		opts->depot = depot;
	if (!open(&src, path, opts, errmsg)) {
		pcr_source_replay(src, count_event, &sum, errmsg);
		pcr_source_info(src);
		pcr_source_close(src);
	}
	pcr_depot_free(depot);
	close(fd);
}
