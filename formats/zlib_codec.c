// SPDX-License-Identifier: GPL-2.0
/*
 * A zlib codec for libtracecmd.
 *
 * trace.dat v7 may be compressed with zstd or zlib. libtracecmd reads a compressed file through
 * the codecs registered with it, and Debian's libtracecmd 3.1.6 is built with zstd only
 * ("trace-cmd list -c"), so a zlib-compressed recording would not open. This file lends it
 * zlib's inflate (and deflate, which the registration requires) through its codec interface;
 * our own flyrecord reader (flyrecord.c) inflates zlib chunks with the same function.
 */
#include <stdbool.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "flyrecord.h"
#include "pcr_formats.h"

/*
 * libtracecmd 1.3 (trace-cmd 3.1) declares this struct and the two functions below only in its
 * private header; the layout is checked against the library's tracecmd_compress_proto_register()
 * (it copies name, version and the six function pointers from these offsets).
 */
struct tracecmd_compression_proto {
	int weight;
	const char *name;
	const char *version;
	int (*compress)(void *ctx, const void *in, int in_bytes, void *out, int out_bytes);
	int (*uncompress)(void *ctx, const void *in, int in_bytes, void *out, int out_bytes);
	unsigned int (*compress_size)(void *ctx, unsigned int bytes);
	bool (*is_supported)(const char *name, const char *version);
	void *(*new_context)(void);
	void (*free_context)(void *ctx);
};

int tracecmd_compress_proto_register(struct tracecmd_compression_proto *proto);
bool tracecmd_compress_is_supported(const char *name, const char *version);

static int zlib_compress(void *ctx, const void *in, int in_bytes, void *out, int out_bytes)
{
	uLongf size = (uLongf)out_bytes;

	if (in_bytes < 0 || out_bytes < 0 ||
	    compress2(out, &size, in, (uLong)in_bytes, Z_BEST_COMPRESSION) != Z_OK)
		return -1;
	return (int)size;
}

long pcr_zlib_inflate(void *out, unsigned long out_len, const void *in, unsigned long in_len)
{
	uLongf size = (uLongf)out_len;

	if (uncompress(out, &size, in, (uLong)in_len) != Z_OK)
		return -1;
	return (long)size;
}

static int zlib_uncompress(void *ctx, const void *in, int in_bytes, void *out, int out_bytes)
{
	if (in_bytes < 0 || out_bytes < 0)
		return -1;
	return (int)pcr_zlib_inflate(out, (unsigned long)out_bytes, in, (unsigned long)in_bytes);
}

static unsigned int zlib_compress_size(void *ctx, unsigned int bytes)
{
	return (unsigned int)compressBound(bytes);
}

static bool zlib_is_supported(const char *name, const char *version)
{
	/* zlib's format has not changed since 1.0: any version that wrote it can be read. */
	return name && !strcmp(name, "zlib");
}

int pcr_tracedat_register_zlib(void)
{
	struct tracecmd_compression_proto proto = {
		.weight = 10,
		.name = "zlib",
		.version = zlibVersion(),
		.compress = zlib_compress,
		.uncompress = zlib_uncompress,
		.compress_size = zlib_compress_size,
		.is_supported = zlib_is_supported,
	};

	if (tracecmd_compress_is_supported("zlib", NULL))
		return 0;
	return tracecmd_compress_proto_register(&proto) ? -PCR_ERR_INVAL : 0;
}

int pcr_codec_set(struct pcr_codec *codec, const char *name)
{
	if (!strcmp(name, "zstd")) {
		codec->kind = PCR_CODEC_ZSTD;
		codec->dctx = ZSTD_createDCtx();
		return codec->dctx ? 0 : -PCR_ERR_NOMEM;
	}
	if (!strcmp(name, "zlib")) {
		codec->kind = PCR_CODEC_ZLIB;
		return 0;
	}
	return strcmp(name, "none") ? 1 : 0;
}

int pcr_codec_inflate(struct pcr_codec *codec, void *out, size_t out_len, const void *in,
		      size_t in_len)
{
	if (codec->kind == PCR_CODEC_ZSTD) {
		size_t n = ZSTD_decompressDCtx(codec->dctx, out, out_len, in, in_len);

		return !ZSTD_isError(n) && n == out_len ? 0 : -1;
	}
	return pcr_zlib_inflate(out, out_len, in, in_len) == (long)out_len ? 0 : -1;
}

void pcr_codec_free(struct pcr_codec *codec)
{
	ZSTD_freeDCtx(codec->dctx);
	codec->dctx = NULL;
}
