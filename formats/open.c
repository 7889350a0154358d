// SPDX-License-Identifier: GPL-2.0
/*
 * Opening a recording of any format: the format is found from the content, never the name,
 * unless the caller says which it is.
 */
#include <string.h>

#include "reader.h"
#include "source.h"

static const struct {
	const char *name;
	enum pcr_input_format format;
} format_names[] = {
	{ "auto", PCR_INPUT_AUTO },
	{ "trace.dat", PCR_INPUT_TRACEDAT },
	{ "tracedat", PCR_INPUT_TRACEDAT },
	{ "perf.data", PCR_INPUT_PERF },
	{ "perf", PCR_INPUT_PERF },
	{ "text", PCR_INPUT_TEXT },
};

int pcr_input_format_parse(const char *name, enum pcr_input_format *format)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (!strcmp(name, format_names[i].name)) {
			*format = format_names[i].format;
			return 0;
		}
	}
	return -1;
}

enum pcr_input_format pcr_input_format_sniff(const unsigned char *head, size_t len)
{
	static const unsigned char tracedat[] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n',
						  'g' };
	static const unsigned char zstd[] = { 0x28, 0xb5, 0x2f, 0xfd };

	if (len >= sizeof(tracedat) && !memcmp(head, tracedat, sizeof(tracedat)))
		return PCR_INPUT_TRACEDAT;
	/* PERFILE2 in either byte order; pipe mode starts with the same magic. */
	if (len >= 8 && (!memcmp(head, "PERFILE2", 8) || !memcmp(head, "2ELIFREP", 8)))
		return PCR_INPUT_PERF;
	if (len >= sizeof(zstd) && !memcmp(head, zstd, sizeof(zstd)))
		return PCR_INPUT_ZSTD;
	return PCR_INPUT_TEXT;
}

int pcr_source_open(struct pcr_source **out, const char *path,
		    const struct pcr_source_options *opts, char *errmsg)
{
	enum pcr_input_format format = opts ? opts->format : PCR_INPUT_AUTO;
	unsigned char head[64];
	size_t n = 0;
	int ret;

	*out = NULL;
	if (format == PCR_INPUT_AUTO) {
		if (!strcmp(path, "-"))
			return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
					  "reading a recording from standard input needs --input-format (perf.data in pipe mode: --input-format=perf)");
		ret = pcr_read_head(path, head, sizeof(head), &n, errmsg);
		if (ret)
			return ret;
		format = pcr_input_format_sniff(head, n);
	}
	switch (format) {
	case PCR_INPUT_PERF:
		return pcr_perfdata_open(out, path, opts, errmsg);
	case PCR_INPUT_TEXT:
	case PCR_INPUT_ZSTD:
		return pcr_text_open(out, path, opts, errmsg);
	case PCR_INPUT_TRACEDAT:
	default:
		return pcr_tracedat_open(out, path, opts, errmsg);
	}
}
