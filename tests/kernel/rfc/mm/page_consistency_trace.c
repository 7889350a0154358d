// SPDX-License-Identifier: GPL-2.0
/*
 * pagecheck-replay's instrumentation of the RFC page consistency checker (not part of the RFC).
 *
 * Every counted hook call becomes a page_consistency:pc_update event. With "pc_boot_trace" on the
 * command line, calls made while the event is not enabled before SYSTEM_RUNNING
 * (memblock_free_all() and the allocations of mm_core_init() come before trace_init()) are kept
 * in a buffer and written, in order, when it is (trace_event= on the command line). debugfs page_consistency_trace/stop reads the counters and switches
 * tracing off inside one stop_machine() call, so a recording ends exactly at the counters it
 * prints.
 */

#define pr_fmt(fmt) "page_consistency_trace: " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/spinlock.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/stop_machine.h>
#include "page_consistency_trace.h"

#define CREATE_TRACE_POINTS
#include <trace/events/page_consistency.h>

#define PC_EARLY_CALLS	65536

struct pc_early_call {
	unsigned long pfn;
	u16 prev;
	u16 changed;
	u16 violations;
	u8 order;
	u8 alloc;
	s8 state;
};

static struct {
	raw_spinlock_t lock;
	struct pc_early_call calls[PC_EARLY_CALLS];
	unsigned int used;
	unsigned int lost;
	bool init_written;
	bool closed;
	unsigned long min_pfn, max_pfn;
	unsigned int nbits;
} pc_early = { .lock = __RAW_SPIN_LOCK_UNLOCKED(pc_early.lock) };

/* "pc_boot_trace" on the command line: trace_event= enables pc_update at boot, keep calls. */
static bool pc_boot_trace __ro_after_init;

static int __init pc_boot_trace_setup(char *str)
{
	pc_boot_trace = true;
	return 1;
}
__setup("pc_boot_trace", pc_boot_trace_setup);

void page_consistency_trace_init(unsigned long min_pfn, unsigned long max_pfn, unsigned int nbits)
{
	pc_early.min_pfn = min_pfn;
	pc_early.max_pfn = max_pfn;
	pc_early.nbits = nbits;
}

/* Writes pc_init once, then the calls kept since the last flush, in their order. */
static void pc_early_flush(void)
{
	unsigned int i;

	if (!pc_early.init_written) {
		trace_pc_init(pc_early.min_pfn, pc_early.max_pfn, pc_early.nbits, pc_early.used,
			      pc_early.lost);
		pc_early.init_written = true;
	}
	for (i = 0; i < pc_early.used; i++) {
		const struct pc_early_call *c = &pc_early.calls[i];

		trace_pc_update(c->pfn, c->order, c->alloc, c->prev, c->changed, c->violations,
				c->state, true);
	}
	pc_early.used = 0;
}

/*
 * Until SYSTEM_RUNNING, with pc_boot_trace, calls made while pc_update is disabled are kept and
 * written when it is enabled: before trace_init(), and while event_trace_enable_again()
 * (an early initcall) disables and re-enables every boot-time event.
 */
void page_consistency_trace_update(unsigned long pfn, unsigned int order, bool alloc,
				   unsigned int prev, unsigned int changed,
				   unsigned int violations)
{
	int state = system_state;

	if (unlikely(!READ_ONCE(pc_early.closed))) {
		unsigned long flags;
		bool on;

		raw_spin_lock_irqsave(&pc_early.lock, flags);
		on = trace_pc_update_enabled();
		if (!pc_early.closed && on)
			pc_early_flush();
		if (!pc_early.closed && (state >= SYSTEM_RUNNING || (!on && !pc_boot_trace))) {
			pc_early.lost += pc_early.used;
			pc_early.used = 0;
			WRITE_ONCE(pc_early.closed, true);
		} else if (!pc_early.closed && !on) {
			if (pc_early.used < PC_EARLY_CALLS) {
				struct pc_early_call *c = &pc_early.calls[pc_early.used++];

				c->pfn = pfn;
				c->order = order;
				c->alloc = alloc;
				c->prev = prev;
				c->changed = changed;
				c->violations = violations;
				c->state = state;
			} else {
				pc_early.lost++;
			}
			raw_spin_unlock_irqrestore(&pc_early.lock, flags);
			return;
		}
		raw_spin_unlock_irqrestore(&pc_early.lock, flags);
	}
	trace_pc_update(pfn, order, alloc, prev, changed, violations, state, false);
}

struct pc_stop_snapshot {
	struct page_consistency_counters c;
};

static int pc_stop_fn(void *data)
{
	struct pc_stop_snapshot *s = data;

	page_consistency_read_counters(&s->c);
	trace_pc_stats(s->c.pages_tracked, s->c.alloc_count, s->c.free_count,
		       s->c.violations_detected);
	tracing_off();
	return 0;
}

/* The same text as the RFC's stats file, from counters read with every CPU stopped. */
static int stop_show(struct seq_file *m, void *v)
{
	struct pc_stop_snapshot s;
	int ret = stop_machine(pc_stop_fn, &s, NULL);

	if (ret)
		return ret;
	seq_printf(m, "pages_tracked: %lld\n", s.c.pages_tracked);
	seq_printf(m, "alloc_count: %lld\n", s.c.alloc_count);
	seq_printf(m, "free_count: %lld\n", s.c.free_count);
	seq_printf(m, "violations_detected: %lld\n", s.c.violations_detected);
	seq_printf(m, "bitmap_size_bits: %u\n", s.c.nbits);
	seq_printf(m, "pfn_range: [%lu-%lu)\n", s.c.min_pfn, s.c.max_pfn);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stop);

static int __init page_consistency_trace_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("page_consistency_trace", NULL);

	debugfs_create_file("stop", 0400, dir, NULL, &stop_fops);
	return 0;
}
late_initcall(page_consistency_trace_debugfs_init);
