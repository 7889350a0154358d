/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The replay the text targets share (fuzz_text.c, fuzz_zstd.c): the bytes go through a memfd
 * to pcr_text_open() with a stack depot, and a text that opens is replayed to the end.
 */
#ifndef PCR_FUZZ_TEXT_REPLAY_H
#define PCR_FUZZ_TEXT_REPLAY_H

#include <stddef.h>
#include <stdint.h>

/**
 * pcr_fuzz_text_replay - replay @size bytes at @data as a text recording (plain or zstd)
 * @data: the bytes
 * @size: how many
 */
void pcr_fuzz_text_replay(const uint8_t *data, size_t size);

#endif
