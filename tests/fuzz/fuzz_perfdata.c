// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the perf.data reader: the input is a whole recording, file or pipe
 * mode. It is handed to pcr_perfdata_open() through a memfd (the reader opens a path), and a
 * recording that opens is replayed to the end, with a stack depot for its callchains.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pcr_formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_event(const struct pcr_event *ev, void *payload)
{
	(*(uint64_t *)payload) += ev->kind;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcr_source_options opts = { .format = PCR_INPUT_PERF };
	char errmsg[PCR_ERRMSG_LEN], path[64];
	struct pcr_source *src = NULL;
	struct pcr_depot *depot = NULL;
	uint64_t sum = 0;
	size_t done = 0;
	int fd;

	fd = memfd_create("fuzz_perfdata", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (!pcr_depot_new(&depot))
		opts.depot = depot;
	if (!pcr_perfdata_open(&src, path, &opts, errmsg)) {
		pcr_source_replay(src, count_event, &sum, errmsg);
		pcr_source_info(src);
		pcr_source_close(src);
	}
	pcr_depot_free(depot);
	close(fd);
	return 0;
}
