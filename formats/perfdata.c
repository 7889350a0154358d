// SPDX-License-Identifier: GPL-2.0
/*
 * perf.data reader: not written yet. The format is recognised so that the error says so.
 */
#include "source.h"

int pcr_perfdata_open(struct pcr_source **out, const char *path,
		      const struct pcr_source_options *opts, char *errmsg)
{
	*out = NULL;
	return pcr_errmsg(errmsg, -PCR_ERR_FORMAT,
			  "%s: a perf.data file, which this version cannot replay yet; record with trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched instead",
			  path);
}
