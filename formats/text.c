// SPDX-License-Identifier: GPL-2.0
/*
 * Text trace reader: not written yet. Anything that is neither trace.dat nor perf.data ends
 * here, so the error says what the tool reads.
 */
#include "source.h"

int pcr_text_open(struct pcr_source **out, const char *path, const struct pcr_source_options *opts,
		  char *errmsg)
{
	*out = NULL;
	return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
			  "%s: not a trace-cmd trace.dat file (no tracing magic at offset 0), nor perf.data; text traces cannot be replayed yet: record one with 'trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched'",
			  path);
}
