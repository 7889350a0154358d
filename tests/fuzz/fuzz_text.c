// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the text reader: each input is replayed as a text trace (plain or zstd)
 * through pcr_text_open() with a stack depot, as the tool does. replay_corpus.c runs the same
 * function over a saved corpus without libFuzzer.
 */
#include <stddef.h>
#include <stdint.h>

#include "text_replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pcr_fuzz_text_replay(data, size);
	return 0;
}
