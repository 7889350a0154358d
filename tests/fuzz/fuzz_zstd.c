// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the zstd path of the text reader (textio.c). Mutated zstd bytes almost
 * never get past the frame header, so this target compresses the text it is given itself and
 * lets the first input byte choose what goes wrong with the result:
 *
 *   bits 0-1  how many frames the text is cut into (1 to 4, at the positions bytes 1-3 name);
 *   bit 2     a skippable frame between the data frames;
 *   bit 3     the last frame loses as many bytes as byte 4 says (a truncated file);
 *   bit 4     one byte of the compressed stream, named by bytes 5-6, is flipped (corruption);
 *   bit 5     the decompressed text starts at byte 7 instead of byte 8.
 *
 * The stream then goes through pcr_text_open() as FILE.zst would. Inputs shorter than 8 bytes
 * are replayed raw, so that a saved real .zst file still runs as it is.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "text_replay.h"

#define HDR 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A skippable frame: magic 0x184D2A50, 4 bytes of length, the bytes. */
	static const uint8_t skippable[12] = { 0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 1, 2, 3, 4 };
	size_t cuts[5], nframes, i, cap, len = 0, text_len;
	const uint8_t *text;
	uint8_t mode, *out;

	if (size < HDR) {
		pcr_fuzz_text_replay(data, size);
		return 0;
	}
	mode = data[0];
	text = data + (mode & 0x20 ? HDR - 1 : HDR);
	text_len = size - (size_t)(text - data);
	nframes = (mode & 3) + 1;
	cuts[0] = 0;
	for (i = 1; i < nframes; i++)
		cuts[i] = text_len ? data[i] * text_len / 256 : 0;
	cuts[nframes] = text_len;
	/* The cut points as given may go backwards: keep them in order. */
	for (i = 1; i <= nframes; i++)
		if (cuts[i] < cuts[i - 1])
			cuts[i] = cuts[i - 1];
	cap = ZSTD_compressBound(text_len) + nframes * (ZSTD_compressBound(0) +
							 sizeof(skippable));
	out = malloc(cap);
	if (!out)
		return 0;
	for (i = 0; i < nframes; i++) {
		size_t n = ZSTD_compress(out + len, cap - len, text + cuts[i], cuts[i + 1] - cuts[i],
					 1);

		if (ZSTD_isError(n))
			goto out;
		len += n;
		if ((mode & 4) && i + 1 < nframes) {
			memcpy(out + len, skippable, sizeof(skippable));
			len += sizeof(skippable);
		}
	}
	if (mode & 8)
		len -= data[4] < len ? data[4] : len;
	if ((mode & 0x10) && len)
		out[(data[5] | (size_t)data[6] << 8) % len] ^= 0x5a;
	pcr_fuzz_text_replay(out, len);
out:
	free(out);
	return 0;
}
