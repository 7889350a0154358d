// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the trace.dat reader (issue 17): the input is a whole trace.dat (v6, v7
 * uncompressed, zlib or zstd). It goes to pcr_tracedat_open() through a memfd, so the check of
 * formats/tdcheck.c and then libtracecmd and libtraceevent see it as a user's file; one that
 * opens is replayed to the end with a stack depot. An input of odd length is read with
 * --reader=libtracecmd (every page checked first, libtracecmd's iterator), an even one with
 * our flyrecord reader, so both paths are fuzzed from the same corpus; half of the even ones
 * with an inflater thread reading ahead (--threads=3), the others as --threads=auto reads
 * (uncompressed data read ahead by the reading thread itself).
 */
#include "memfd_replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcr_source_options opts = {
		.format = PCR_INPUT_TRACEDAT,
		.reader = size % 2 ? PCR_READER_LIBTRACECMD : PCR_READER_AUTO,
		.threads = size % 4 == 2 ? 3 : 0,
	};

	pcr_fuzz_memfd_replay(data, size, pcr_tracedat_open, &opts);
	return 0;
}
