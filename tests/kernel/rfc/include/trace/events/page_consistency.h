/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace events of pagecheck-replay's reference kernel: the RFC checker's own view of every hook
 * call, recorded next to the kmem events of the same run.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM page_consistency

#if !defined(_TRACE_PAGE_CONSISTENCY_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_PAGE_CONSISTENCY_H

#include <linux/tracepoint.h>

/*
 * pc_update: one call of page_consistency_alloc() or page_consistency_free() that the checker
 * counted (its block lies in the tracked range). @prev is how many pages of the block had their
 * PRIMARY bit set before the call, @changed how many bits changed, @violations how many
 * violations the call added to violations_detected, @state the system_state the free gate read.
 * @early is 1 for a call made before tracing could record it, kept in a buffer and written when
 * the event first became enabled (its timestamp is that moment, its order is the calls' order).
 */
TRACE_EVENT(pc_update,

	TP_PROTO(unsigned long pfn, unsigned int order, bool alloc, unsigned int prev,
		 unsigned int changed, unsigned int violations, int state, bool early),

	TP_ARGS(pfn, order, alloc, prev, changed, violations, state, early),

	TP_STRUCT__entry(
		__field(unsigned long, pfn)
		__field(unsigned int, order)
		__field(unsigned int, prev)
		__field(unsigned int, changed)
		__field(unsigned int, violations)
		__field(int, state)
		__field(unsigned char, alloc)
		__field(unsigned char, early)
	),

	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->order = order;
		__entry->prev = prev;
		__entry->changed = changed;
		__entry->violations = violations;
		__entry->state = state;
		__entry->alloc = alloc;
		__entry->early = early;
	),

	TP_printk("pfn=0x%lx order=%u op=%s prev=%u changed=%u violations=%u state=%d early=%u",
		__entry->pfn, __entry->order, __entry->alloc ? "alloc" : "free", __entry->prev,
		__entry->changed, __entry->violations, __entry->state, __entry->early)
);

/*
 * pc_init: the checker's tracked range, written before the first kept calls: @early_calls calls
 * were kept before tracing began; @early_lost did not fit in the buffer (a recording with
 * early_lost > 0 cannot reproduce the counters).
 */
TRACE_EVENT(pc_init,

	TP_PROTO(unsigned long min_pfn, unsigned long max_pfn, unsigned int nbits,
		 unsigned int early_calls, unsigned int early_lost),

	TP_ARGS(min_pfn, max_pfn, nbits, early_calls, early_lost),

	TP_STRUCT__entry(
		__field(unsigned long, min_pfn)
		__field(unsigned long, max_pfn)
		__field(unsigned int, nbits)
		__field(unsigned int, early_calls)
		__field(unsigned int, early_lost)
	),

	TP_fast_assign(
		__entry->min_pfn = min_pfn;
		__entry->max_pfn = max_pfn;
		__entry->nbits = nbits;
		__entry->early_calls = early_calls;
		__entry->early_lost = early_lost;
	),

	TP_printk("pfn_range=[%lu-%lu) bitmap_size_bits=%u early_calls=%u early_lost=%u",
		__entry->min_pfn, __entry->max_pfn, __entry->nbits, __entry->early_calls,
		__entry->early_lost)
);

/*
 * pc_stats: the checker's counters, read with every CPU stopped, immediately before tracing is
 * switched off in the same stop_machine() call: the recording ends exactly here.
 */
TRACE_EVENT(pc_stats,

	TP_PROTO(s64 pages_tracked, s64 alloc_count, s64 free_count, s64 violations_detected),

	TP_ARGS(pages_tracked, alloc_count, free_count, violations_detected),

	TP_STRUCT__entry(
		__field(s64, pages_tracked)
		__field(s64, alloc_count)
		__field(s64, free_count)
		__field(s64, violations_detected)
	),

	TP_fast_assign(
		__entry->pages_tracked = pages_tracked;
		__entry->alloc_count = alloc_count;
		__entry->free_count = free_count;
		__entry->violations_detected = violations_detected;
	),

	TP_printk("pages_tracked=%lld alloc_count=%lld free_count=%lld violations_detected=%lld",
		__entry->pages_tracked, __entry->alloc_count, __entry->free_count,
		__entry->violations_detected)
);

#endif /* _TRACE_PAGE_CONSISTENCY_H */

#include <trace/define_trace.h>
