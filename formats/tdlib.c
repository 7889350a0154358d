// SPDX-License-Identifier: GPL-2.0
/*
 * trace.dat through libtracecmd (tdlib.h): the magic and compression check every trace.dat
 * passes first, and libtracecmd's open for --reader=libtracecmd and the files our reader leaves
 * to it, with its stdout diagnostics turned into our error message.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <trace-cmd/trace-cmd.h>

#include "pcr_formats.h"
#include "reader.h"
#include "tdcheck.h"
#include "tdlib.h"

/*
 * libtracecmd 3.1 exports this but declares it only in its private headers; CMake pins the
 * library to the 3.1 series whose ABI it has (see cmake/PcrDependencies.cmake).
 */
bool tracecmd_compress_is_supported(const char *name, const char *version);

#define TRACEDAT_MAGIC "\027\010\104tracing"
#define TRACEDAT_MAGIC_LEN 10

/*
 * A v7 file names its compression right after the fixed header (magic, version string, endian,
 * long size, page size). Checked here so that a codec libtracecmd lacks gets its own message,
 * not the generic one of a failed open. *@cut: the @len bytes end before what decides.
 */
static int check_compression(const char *path, const char *head, size_t len, bool *cut,
			     char *errmsg)
{
	const char *version = head + TRACEDAT_MAGIC_LEN;
	const char *end = head + len;
	const char *name, *name_end, *zver;

	*cut = true;
	name_end = memchr(version, '\0', (size_t)(end - version));
	if (!name_end)
		return 0;
	*cut = false;
	if (strtol(version, NULL, 10) < 7)
		return 0;
	*cut = true;
	name = name_end + 1 + 1 + 1 + 4;
	if (name >= end)
		return 0;
	name_end = memchr(name, '\0', (size_t)(end - name));
	if (!name_end)
		return 0;
	zver = name_end + 1;
	if (!memchr(zver, '\0', (size_t)(end - zver)))
		return 0;
	*cut = false;
	if (!strcmp(name, "none") || tracecmd_compress_is_supported(name, zver))
		return 0;
	return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
			  "%s: compressed with %s %s, which the installed libtracecmd cannot decompress ('trace-cmd list -c' lists what it can); convert it where it can be read: trace-cmd convert --compression zstd",
			  path, name, zver);
}

/*
 * The magic, and a compression libtracecmd lacks. The head pcr_source_open() read to find the
 * format (@sniffed) is not read again unless what these checks need runs past its end.
 */
int pcr_tracedat_check_magic(const char *path, const unsigned char *sniffed, size_t sniffed_len,
			     char *errmsg)
{
	char head[256];
	const char *h = (const char *)sniffed;
	size_t n = sniffed_len;
	bool cut = true;
	int ret;

	if (h && n >= TRACEDAT_MAGIC_LEN && memcmp(h, TRACEDAT_MAGIC, TRACEDAT_MAGIC_LEN))
		goto no_magic;
	if (h && n >= TRACEDAT_MAGIC_LEN) {
		ret = check_compression(path, h, n < sizeof(head) ? n : sizeof(head), &cut, errmsg);
		if (!cut || n >= sizeof(head))
			return ret;
	}
	ret = pcr_read_head(path, head, sizeof(head), &n, errmsg);
	if (ret)
		return ret;
	if (n < TRACEDAT_MAGIC_LEN || memcmp(head, TRACEDAT_MAGIC, TRACEDAT_MAGIC_LEN))
		goto no_magic;
	return check_compression(path, head, n, &cut, errmsg);
no_magic:
	return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
			  "%s: not a trace-cmd trace.dat file (no tracing magic at offset 0); record one with 'trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched'",
			  path);
}

/*
 * libtracecmd 3.1 prints some diagnostics (e.g. "File possibly truncated...") on stdout, where
 * they would mix with the report. While it opens a file, stdout goes to a temporary file whose
 * text, if any, becomes part of our error message.
 */
struct stdout_capture {
	FILE *tmp;
	int saved_fd;
};

static void capture_stdout(struct stdout_capture *cap)
{
	fflush(stdout);
	cap->saved_fd = -1;
	cap->tmp = tmpfile();
	if (!cap->tmp)
		return;
	cap->saved_fd = dup(STDOUT_FILENO);
	if (cap->saved_fd < 0 || dup2(fileno(cap->tmp), STDOUT_FILENO) < 0) {
		if (cap->saved_fd >= 0)
			close(cap->saved_fd);
		cap->saved_fd = -1;
		fclose(cap->tmp);
		cap->tmp = NULL;
	}
}

static void release_stdout(struct stdout_capture *cap, char *text, size_t size)
{
	size_t n = 0;

	if (size)
		text[0] = '\0';
	if (!cap->tmp)
		return;
	fflush(stdout);
	dup2(cap->saved_fd, STDOUT_FILENO);
	close(cap->saved_fd);
	if (size && !fseek(cap->tmp, 0, SEEK_SET))
		n = fread(text, 1, size - 1, cap->tmp);
	fclose(cap->tmp);
	if (!size)
		return;
	text[n] = '\0';
	/* One line: newlines become "; " separators, trailing ones go. */
	while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	for (; n; n--)
		if (text[n - 1] == '\n')
			text[n - 1] = ' ';
}


/* libtracecmd opens the file and reads its records; every page is checked before. */
int pcr_tracedat_lib_open(const char *path, struct tracecmd_input **out, char *errmsg)
{
	struct stdout_capture cap;
	struct tracecmd_input *handle;
	char said[256];
	int ret;

	*out = NULL;
	ret = pcr_tdcheck(path, true, errmsg);
	if (ret)
		return ret;
	/* libtracecmd reports its own failures on stderr; ours say what to do instead. */
	tracecmd_set_loglevel(TEP_LOG_NONE);
	tep_set_loglevel(TEP_LOG_NONE);
	capture_stdout(&cap);
	handle = tracecmd_open_head(path, TRACECMD_FL_LOAD_NO_PLUGINS |
					      TRACECMD_FL_LOAD_NO_SYSTEM_PLUGINS);
	/*
	 * libtracecmd 3.1.6 crashes in tracecmd_close() on a handle whose data failed to load (a
	 * truncated v6 file): such a handle is left open; the process exits soon after anyway.
	 */
	ret = handle ? tracecmd_init_data(handle) : -1;
	release_stdout(&cap, said, sizeof(said));
	if (ret < 0)
		return pcr_errmsg(errmsg, -PCR_ERR_TRUNCATED,
				  "%s: truncated or corrupt trace.dat (%s%s%s); record it again, or copy the whole file",
				  path, handle ? "its trace data cannot be loaded" :
				  "its headers cannot be read",
				  said[0] ? ": libtracecmd says: " : "", said);
	*out = handle;
	return 0;
}
