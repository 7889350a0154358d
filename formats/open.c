// SPDX-License-Identifier: GPL-2.0
/*
 * Opening a recording of any format: the format is found from the content, never the name,
 * unless the caller says which it is.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reader.h"
#include "source.h"
#include "spool.h"

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

static int open_format(struct pcr_source **out, const char *path, enum pcr_input_format format,
		       const struct pcr_source_options *opts, char *errmsg)
{
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

/* A named format that the content contradicts: say what the recording is. */
static int mismatch(const struct pcr_probe *p, const char *path, enum pcr_input_format format,
		    char *errmsg)
{
	static const char *const names[] = {
		[PCR_INPUT_TRACEDAT] = "trace.dat", [PCR_INPUT_PERF] = "perf.data",
		[PCR_INPUT_TEXT] = "text",
	};
	static const char *const options[] = {
		[PCR_INPUT_TRACEDAT] = "tracedat", [PCR_INPUT_PERF] = "perf",
		[PCR_INPUT_TEXT] = "text",
	};
	char what[64];

	return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
			  "%s is %s%s, not %s: drop --input-format or use --input-format=%s",
			  p->stream ? "standard input" : path,
			  pcr_probe_describe(p->head, p->head_len, what, sizeof(what)),
			  p->compressed ? " compressed with zstd" : "", names[format],
			  options[p->format]);
}

/* A trace.dat, or perf.data, compressed or on standard input: read from a seekable copy. */
static int open_spooled(struct pcr_source **out, struct pcr_probe *p, const char *path,
			enum pcr_input_format format, const struct pcr_source_options *opts,
			char *errmsg)
{
	const char *name = p->stream ? "standard input" : path;
	char spool_path[32];
	int fd, ret;

	ret = pcr_spool(p, name, &fd, errmsg);
	if (ret)
		return ret;
	snprintf(spool_path, sizeof(spool_path), "/proc/self/fd/%d", fd);
	ret = format == PCR_INPUT_PERF ? pcr_perfdata_open(out, spool_path, opts, errmsg) :
					  pcr_tracedat_open(out, spool_path, opts, errmsg);
	if (ret) {
		pcr_source_rename(errmsg, spool_path, name);
		close(fd);
		return ret;
	}
	(*out)->spool_fd = fd;
	memcpy((*out)->spool_path, spool_path, sizeof(spool_path));
	(*out)->name = name;
	return 0;
}

int pcr_source_open(struct pcr_source **out, const char *path,
		    const struct pcr_source_options *opts, char *errmsg)
{
	struct pcr_source_options o = { 0 };
	enum pcr_input_format format;
	struct pcr_probe p;
	struct stat st;
	int ret;

	*out = NULL;
	if (opts)
		o = *opts;
	format = o.format;
	/* A named format on a device or a FIFO: its reader reads it as it comes. */
	if (format != PCR_INPUT_AUTO && strcmp(path, "-") && !stat(path, &st) &&
	    !S_ISREG(st.st_mode))
		return open_format(out, path, format, &o, errmsg);
	ret = pcr_probe_open(&p, path, errmsg);
	if (ret)
		return ret;
	o.sniffed = p.head;
	o.sniffed_len = p.head_len;
	if (format == PCR_INPUT_AUTO)
		format = p.format;
	else if (format != p.format && format != PCR_INPUT_ZSTD &&
		 (p.format != PCR_INPUT_TEXT || pcr_probe_looks_text(&p)))
		ret = mismatch(&p, path, format, errmsg);
	if (!ret && format != PCR_INPUT_TEXT && (p.compressed || p.stream) &&
	    !(format == PCR_INPUT_PERF && !p.compressed)) {
		ret = open_spooled(out, &p, path, format, &o, errmsg);
	} else if (!ret) {
		/* What the probe took from standard input comes first. */
		o.head = p.stream ? p.raw : NULL;
		o.head_len = p.stream ? p.raw_len : 0;
		ret = open_format(out, path, format, &o, errmsg);
	}
	pcr_probe_close(&p);
	return ret;
}
