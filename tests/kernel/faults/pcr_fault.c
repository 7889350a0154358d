// SPDX-License-Identifier: GPL-2.0
/*
 * pcr_fault - make the page allocator of a Debian 6.1 kernel commit one real fault, for
 * pagecheck-replay's end-to-end tests.
 *
 * Load with mode=double_free|double_alloc|wrong_order|never_allocated|control. All the work is
 * done in the init function; the module stays loaded (it holds nothing) until rmmod.
 *
 * Before the faulty call the module writes one line into the trace with trace_printk():
 *
 *   pcr_fault: FAULT mode=M kind=K pfn=0xP order=N
 *
 * K is what a page-state replay of the tracepoints must report: double_free or double_alloc at
 * event pfn P with order N, or never_allocated for a free of a page no allocation handed out.
 * The control mode writes "pcr_fault: CONTROL mode=control pfn=0xP order=N" for each block it
 * allocates and frees correctly. Any step that cannot be done safely writes
 * "pcr_fault: SKIPPED ..." and the kernel is left as it was.
 *
 * crash=panic or crash=bug crashes the kernel right after the mode is done (panic() or BUG()),
 * so that a kernel booted with ftrace_dump_on_oops prints the ring buffer, the fault included,
 * on its console.
 *
 * The shapes are chosen so that the guest survives (Debian's 6.1 kernel has CONFIG_DEBUG_LIST
 * and CONFIG_BUG_ON_DATA_CORRUPTION, no CONFIG_DEBUG_VM, so order-0 and order-1 frees to the
 * per-CPU lists check only the tail pages). See README.md for what the kernel says about each.
 * Interrupts are off while a fault is in progress so that nothing else on this CPU takes pages
 * from its per-CPU lists in between.
 */
#include <linux/gfp.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/page_ref.h>
#include <linux/pageblock-flags.h>
#include <linux/sched/task.h>
#include <linux/string.h>

static char *mode = "control";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "double_free, double_alloc, wrong_order, never_allocated or control");

static char *crash = "";
module_param(crash, charp, 0444);
MODULE_PARM_DESC(crash, "after the fault: panic (panic()) or bug (BUG(), an oops); default none");

#define GFP_FAULT	(GFP_KERNEL | __GFP_NOWARN)
/* For allocations with interrupts off; no __GFP_HIGH, so no reserves are touched. */
#define GFP_FAULT_ATOMIC	(GFP_NOWAIT | __GFP_NOWARN)

static void note_fault(const char *kind, struct page *page, unsigned int order)
{
	trace_printk("pcr_fault: FAULT mode=%s kind=%s pfn=0x%lx order=%u\n", mode, kind,
		     page_to_pfn(page), order);
}

static void note_control(struct page *page, unsigned int order)
{
	trace_printk("pcr_fault: CONTROL mode=control pfn=0x%lx order=%u\n", page_to_pfn(page),
		     order);
}

static void note_skip(const char *why, struct page *page)
{
	trace_printk("pcr_fault: SKIPPED mode=%s pfn=0x%lx: %s\n", mode, page_to_pfn(page), why);
	pr_warn("pcr_fault: mode=%s skipped at pfn 0x%lx: %s\n", mode, page_to_pfn(page), why);
}

/*
 * Free @part, a tail part of a non-compound block we hold, with @order as if it had been
 * handed out alone. True when it went to a per-CPU list, as the faults need; false when the
 * free drained it to the buddy lists at once (its buddy is still ours: no merge).
 */
static bool free_part(struct page *part, unsigned int order)
{
	set_page_count(part, 1);
	__free_pages(part, order);
	return !PageBuddy(part);
}

/* Give up a fault before it is made: free the rest of the block, @page with @order. */
static int skip_fault(struct page *page, unsigned int order, struct page *part)
{
	note_skip("a part of the block went to the buddy lists, not to a per-CPU list", part);
	__free_pages(page, order);
	return 0;
}

/*
 * The migratetype of @page's pageblock, read the way get_pfnblock_flags_mask() does (it is not
 * exported). Frees to the per-CPU lists go to the list of this type.
 */
static int block_migratetype(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned long *bitmap = section_to_usemap(__pfn_to_section(pfn));
	unsigned long bitidx = ((pfn & (PAGES_PER_SECTION - 1)) >> pageblock_order) *
			       NR_PAGEBLOCK_BITS;
	unsigned long word = READ_ONCE(bitmap[bitidx / BITS_PER_LONG]);

	return (word >> (bitidx & (BITS_PER_LONG - 1))) & MIGRATETYPE_MASK;
}

/* An order-@order block whose pageblock is MIGRATE_UNMOVABLE, or NULL. */
static struct page *alloc_unmovable(unsigned int order)
{
	struct page *tries[8];
	struct page *page = NULL;
	int n = 0, i;

	while (n < ARRAY_SIZE(tries)) {
		page = alloc_pages(GFP_FAULT, order);
		if (!page || block_migratetype(page) == MIGRATE_UNMOVABLE)
			break;
		tries[n++] = page;
		page = NULL;
	}
	for (i = 0; i < n; i++)
		__free_pages(tries[i], order);
	return page;
}

/*
 * Free @page with @order while @guard, one of its tail pages, holds a reference: the kernel's
 * tail check refuses the free ("Bad page state ... nonzero _refcount") after mm_page_free has
 * been traced. @guard is free (refcount 0) before and after.
 */
static void free_refused(struct page *page, unsigned int order, struct page *guard)
{
	set_page_count(guard, 1);
	__free_pages(page, order);
	set_page_count(guard, 0);
}

/*
 * Free an order-1 block twice. The second free resets the refcounts first, as a buggy caller
 * that "revives" a page would. The kernel checks the tail pages of an order > 0 free even
 * without CONFIG_DEBUG_VM: the tail's refcount of 1 makes it print "BUG: Bad page state" and
 * refuse the free, after mm_page_free has been traced. Freeing an order-0 page twice instead
 * BUGs in list_add (CONFIG_DEBUG_LIST) when the page is still first on its per-CPU list.
 */
static int fault_double_free(void)
{
	struct page *page = alloc_pages(GFP_FAULT, 1);
	unsigned long flags;

	if (!page)
		return -ENOMEM;
	local_irq_save(flags);
	__free_pages(page, 1);
	note_fault("double_free", page, 1);
	set_page_count(page, 1);
	/* Refused: the block stays free once, on a free list. */
	free_refused(page, 1, page + 1);
	local_irq_restore(flags);
	return 0;
}

/*
 * Make the allocator hand out one page twice, by a double free the kernel does not catch: free
 * the tail page of an order-1 block as an order-0 page (it goes to the order-0 per-CPU list),
 * then the whole block as order 1 (the order-1 list; the tail check passes, a page on a per-CPU
 * list looks free). The tail page is now on two lists. Allocating order 1 and then order 0
 * takes it from both: two mm_page_alloc of one pfn with no free between. The two allocations
 * are then released as one order-1 block, which leaves the lists as they were. The trace shows
 * two faults: the order-1 free is a double free of the tail page, then the double alloc.
 */
static int fault_double_alloc(void)
{
	struct page *page = alloc_unmovable(1);
	struct page *block, *single;
	unsigned long flags;

	if (!page)
		return -ENOMEM;
	local_irq_save(flags);
	if (!free_part(page + 1, 0)) {
		local_irq_restore(flags);
		return skip_fault(page, 0, page + 1);
	}
	note_fault("double_free", page, 1);
	__free_pages(page, 1);
	block = alloc_pages(GFP_FAULT_ATOMIC, 1);
	note_fault("double_alloc", page + 1, 0);
	single = alloc_pages(GFP_FAULT_ATOMIC, 0);
	local_irq_restore(flags);
	if (block != page || single != page + 1) {
		/* The lists are corrupt now: say so loudly rather than guess. */
		pr_err("pcr_fault: double_alloc: got pfn 0x%lx and 0x%lx, wanted 0x%lx and 0x%lx\n",
		       block ? page_to_pfn(block) : 0, single ? page_to_pfn(single) : 0,
		       page_to_pfn(page), page_to_pfn(page + 1));
		return -EIO;
	}
	set_page_count(page + 1, 0);
	__free_pages(page, 1);
	return 0;
}

/*
 * Free part of an order-2 block (its upper order-1 half) correctly, then free the remaining
 * order-1 allocation with order 2: the free covers the two pages already freed. Done plainly,
 * the kernel would put the upper half on two per-CPU lists; here its refcount is set to 1
 * around the wrong free, so the tail check refuses it ("Bad page state"). The lower half
 * is leaked (2 pages): freeing it again would be a second fault in the trace.
 */
static int fault_wrong_order(void)
{
	struct page *page = alloc_pages(GFP_FAULT, 2);
	unsigned long flags;

	if (!page)
		return -ENOMEM;
	local_irq_save(flags);
	if (!free_part(page + 2, 1)) {
		local_irq_restore(flags);
		return skip_fault(page, 1, page + 2);
	}
	note_fault("double_free", page, 2);
	free_refused(page, 2, page + 2);
	local_irq_restore(flags);
	return 0;
}

/*
 * Free an order-1 block of the kernel image (pages of init_task), which no allocation ever
 * handed out: they are PG_reserved since boot. The tail page's PG_reserved makes the kernel
 * refuse the free ("Bad page state"); the head's refcount is put back. The head must hold
 * exactly one reference: with more, __free_pages() would free the tail page alone, unchecked.
 */
static int fault_never_allocated(void)
{
	struct page *page = pfn_to_page(page_to_pfn(virt_to_page(&init_task)) & ~1UL);
	unsigned long flags;

	local_irq_save(flags);
	if (!PageReserved(page) || !PageReserved(page + 1) || page_ref_count(page) != 1) {
		local_irq_restore(flags);
		note_skip("not two reserved pages with one reference on the first", page);
		return 0;
	}
	note_fault("never_allocated", page, 1);
	__free_pages(page, 1);
	set_page_count(page, 1);
	local_irq_restore(flags);
	return 0;
}

/* The same blocks as the faults, allocated and freed correctly. */
static int fault_control(void)
{
	struct page *page = alloc_pages(GFP_FAULT, 1);

	if (!page)
		return -ENOMEM;
	note_control(page, 1);
	__free_pages(page, 1);

	page = alloc_pages(GFP_FAULT, 1);
	if (!page)
		return -ENOMEM;
	note_control(page, 1);
	split_page(page, 1);
	__free_pages(page + 1, 0);
	__free_pages(page, 0);

	page = alloc_pages(GFP_FAULT, 2);
	if (!page)
		return -ENOMEM;
	note_control(page, 2);
	free_part(page + 2, 1);
	__free_pages(page, 1);
	return 0;
}

/* The crash= parameter: the console of a crashed kernel is a recording too. */
static void crash_now(void)
{
	if (!strcmp(crash, "panic"))
		panic("pcr_fault: crash=panic after mode=%s\n", mode);
	if (!strcmp(crash, "bug")) {
		pr_emerg("pcr_fault: crash=bug after mode=%s\n", mode);
		BUG();
	}
}

static int __init pcr_fault_init(void)
{
	static const struct {
		const char *name;
		int (*run)(void);
	} modes[] = {
		{ "double_free", fault_double_free },
		{ "double_alloc", fault_double_alloc },
		{ "wrong_order", fault_wrong_order },
		{ "never_allocated", fault_never_allocated },
		{ "control", fault_control },
	};
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		if (strcmp(mode, modes[i].name))
			continue;
		ret = modes[i].run();
		pr_info("pcr_fault: mode=%s done (%d)\n", mode, ret);
		crash_now();
		return ret;
	}
	pr_err("pcr_fault: unknown mode=%s\n", mode);
	return -EINVAL;
}

static void __exit pcr_fault_exit(void)
{
}

module_init(pcr_fault_init);
module_exit(pcr_fault_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Real page allocator faults for pagecheck-replay's tests");
