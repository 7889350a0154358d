/* SPDX-License-Identifier: GPL-2.0 */
/* pagecheck-replay's instrumentation of the RFC checker: what mm/page_consistency.c calls. */
#ifndef _MM_PAGE_CONSISTENCY_TRACE_H
#define _MM_PAGE_CONSISTENCY_TRACE_H

#include <linux/types.h>

struct page_consistency_counters {
	s64 pages_tracked;
	s64 alloc_count;
	s64 free_count;
	s64 violations_detected;
	unsigned int nbits;
	unsigned long min_pfn;
	unsigned long max_pfn;
};

void page_consistency_read_counters(struct page_consistency_counters *c);
void page_consistency_trace_init(unsigned long min_pfn, unsigned long max_pfn, unsigned int nbits);
void page_consistency_trace_update(unsigned long pfn, unsigned int order, bool alloc,
				   unsigned int prev, unsigned int changed,
				   unsigned int violations);

#endif
