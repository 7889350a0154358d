// SPDX-License-Identifier: GPL-2.0
/*
 * perfz-split - rewrites the compressed records of a pipe-mode `perf record -z` stream so that
 * records are cut between compressed records, as perf may cut them, and optionally as
 * PERF_RECORD_COMPRESSED2 (newer perf: a u64 data_size, padding to 8 bytes), which the perf
 * installed here cannot write.
 *
 *   perfz-split [-2] STEP <IN >OUT
 *
 * Every run of compressed records of IN is decompressed (one zstd stream, as perf writes it)
 * and compressed again as one new stream, flushed every STEP bytes of records, so that most
 * records straddle two compressed records; every other record is copied as it is. It uses
 * libzstd only, none of the project's code, so a test can compare the tool's counters on OUT
 * with perf's own on IN.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#define REC_HEADER_TRACING_DATA 66
#define REC_COMPRESSED 81
#define REC_COMPRESSED2 83

static unsigned char *slurp(size_t *len)
{
	size_t cap = 1 << 20, n;
	unsigned char *buf = malloc(cap), *p;

	*len = 0;
	while (buf && (n = fread(buf + *len, 1, cap - *len, stdin)) > 0) {
		*len += n;
		if (*len == cap) {
			p = realloc(buf, cap *= 2);
			if (!p)
				free(buf);
			buf = p;
		}
	}
	return buf;
}

static void put_record(uint32_t type, const void *data, size_t n, int v2)
{
	unsigned char hdr[16] = { 0 };
	size_t size = 8 + (v2 ? 8 : 0) + n, pad = v2 ? (8 - size % 8) % 8 : 0;
	uint64_t dsize = n;
	uint16_t size16 = (uint16_t)(size + pad);

	memcpy(hdr, &type, 4);
	memcpy(hdr + 6, &size16, 2);
	memcpy(hdr + 8, &dsize, 8);
	fwrite(hdr, 1, v2 ? 16 : 8, stdout);
	fwrite(data, 1, n, stdout);
	fwrite("\0\0\0\0\0\0\0", 1, pad, stdout);
}

/* Compresses @n bytes of records as pieces of the stream @cs, @step bytes a flush. */
static int recompress(ZSTD_CStream *cs, const unsigned char *recs, size_t n, size_t step,
		      int v2)
{
	static unsigned char out[32768];	/* under 64 KiB: a record's size is a u16 */
	size_t done = 0;

	while (done < n) {
		size_t chunk = n - done < step ? n - done : step;
		ZSTD_inBuffer in = { recs + done, chunk, 0 };
		size_t left;

		do {
			ZSTD_outBuffer o = { out, sizeof(out), 0 };

			if (in.pos < in.size)
				left = ZSTD_compressStream(cs, &o, &in);
			else
				left = ZSTD_flushStream(cs, &o);
			if (ZSTD_isError(left))
				return -1;
			if (o.pos)
				put_record(v2 ? REC_COMPRESSED2 : REC_COMPRESSED, out, o.pos, v2);
		} while (in.pos < in.size || left);
		done += chunk;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int v2 = argc > 1 && !strcmp(argv[1], "-2");
	size_t len, off = 16, step, have = 0, cap = 1 << 20;
	unsigned char *buf, *recs = malloc(cap);
	ZSTD_DStream *ds = ZSTD_createDStream();
	ZSTD_CStream *cs = ZSTD_createCStream();

	if (argc != 2 + v2 || !(step = strtoul(argv[1 + v2], NULL, 0))) {
		fprintf(stderr, "usage: perfz-split [-2] STEP <IN >OUT\n");
		return 2;
	}
	buf = slurp(&len);
	if (!buf || !recs || !ds || !cs || len < 16 || memcmp(buf, "PERFILE2", 8)) {
		fprintf(stderr, "perfz-split: standard input is not a perf.data stream\n");
		return 2;
	}
	ZSTD_initDStream(ds);
	ZSTD_initCStream(cs, 1);
	fwrite(buf, 1, 16, stdout);
	while (off + 8 <= len) {
		uint32_t type;
		uint16_t size;
		size_t extra = 0;

		memcpy(&type, buf + off, 4);
		memcpy(&size, buf + off + 6, 2);
		if (size < 8 || size > len - off) {
			fprintf(stderr, "perfz-split: a bad record at %zu\n", off);
			return 2;
		}
		if (type == REC_COMPRESSED) {
			ZSTD_inBuffer in = { buf + off + 8, size - 8u, 0 };

			while (in.pos < in.size) {
				ZSTD_outBuffer o = { recs + have, cap - have, 0 };
				size_t r = ZSTD_decompressStream(ds, &o, &in);

				if (ZSTD_isError(r)) {
					fprintf(stderr, "perfz-split: %s\n", ZSTD_getErrorName(r));
					return 2;
				}
				have += o.pos;
				if (have == cap && !(recs = realloc(recs, cap *= 2)))
					return 2;
			}
			off += size;
			continue;
		}
		/* A run of compressed records ends: write it again, cut differently. */
		if (have && recompress(cs, recs, have, step, v2))
			return 2;
		have = 0;
		if (type == REC_HEADER_TRACING_DATA && size >= 12)
			memcpy(&extra, buf + off + 8, 4);
		if (extra > len - off - size)
			return 2;
		fwrite(buf + off, 1, size + extra, stdout);
		off += size + extra;
	}
	if (have && recompress(cs, recs, have, step, v2))
		return 2;
	ZSTD_freeDStream(ds);
	ZSTD_freeCStream(cs);
	free(buf);
	free(recs);
	return fflush(stdout) ? 2 : 0;
}
