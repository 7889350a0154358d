// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the perf.data reader: the input is a whole recording, file or pipe
 * mode. It is handed to pcr_perfdata_open() through a memfd (the reader opens a path), and a
 * recording that opens is replayed to the end, with a stack depot for its callchains.
 */
#include "memfd_replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcr_source_options opts = { .format = PCR_INPUT_PERF };

	pcr_fuzz_memfd_replay(data, size, pcr_perfdata_open, &opts);
	return 0;
}
