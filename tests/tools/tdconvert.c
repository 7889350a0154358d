// SPDX-License-Identifier: GPL-2.0
/*
 * tdconvert - rewrite a trace.dat with another file version or compression, through
 * libtracecmd's own copy (what "trace-cmd convert" does), with pagecheck-replay's zlib codec
 * registered: Debian's trace-cmd cannot write zlib, so the tests make their zlib recording
 * with this.
 *
 * Usage: tdconvert IN OUT VERSION COMPRESSION
 */
#include <stdio.h>
#include <stdlib.h>

#include <trace-cmd/trace-cmd.h>

#include "pcr_formats.h"

/* From libtracecmd 1.3's private header: see formats/tracedat.c. */
struct tracecmd_output;
struct tracecmd_output *tracecmd_copy(struct tracecmd_input *ihandle, const char *file,
				      int state, int file_version, const char *compression);
void tracecmd_output_close(struct tracecmd_output *handle);

/* enum tracecmd_file_states: the copy goes up to and including the flyrecord data. */
#define TRACECMD_FILE_CPU_FLYRECORD 11

int main(int argc, char **argv)
{
	struct tracecmd_output *out;
	struct tracecmd_input *in;

	if (argc != 5) {
		fprintf(stderr, "usage: tdconvert IN OUT VERSION COMPRESSION\n");
		return 2;
	}
	if (pcr_tracedat_register_zlib()) {
		fprintf(stderr, "tdconvert: libtracecmd refused the zlib codec\n");
		return 1;
	}
	in = tracecmd_open_head(argv[1], 0);
	if (!in) {
		fprintf(stderr, "tdconvert: cannot open %s\n", argv[1]);
		return 1;
	}
	out = tracecmd_copy(in, argv[2], TRACECMD_FILE_CPU_FLYRECORD, atoi(argv[3]), argv[4]);
	if (!out) {
		fprintf(stderr, "tdconvert: cannot write %s\n", argv[2]);
		tracecmd_close(in);
		return 1;
	}
	tracecmd_output_close(out);
	tracecmd_close(in);
	return 0;
}
