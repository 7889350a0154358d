/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page allocator consistency checker: the interface the page allocator calls.
 *
 * Written for pagecheck-replay's reference kernel from the description of
 * "[RFC 2/7] mm: add page consistency checker header": a static key that stays off until the
 * checker's init succeeded, and inline wrappers that cost one patched jump when it is off.
 */
#ifndef _LINUX_PAGE_CONSISTENCY_H
#define _LINUX_PAGE_CONSISTENCY_H

#include <linux/jump_label.h>
#include <linux/mm_types.h>

enum page_consistency_result {
	PAGE_CONSISTENCY_OK,
	PAGE_CONSISTENCY_MISMATCH,
	PAGE_CONSISTENCY_NOT_TRACKED,
};

#ifdef CONFIG_DEBUG_PAGE_CONSISTENCY

DECLARE_STATIC_KEY_FALSE(page_consistency_enabled);

void __page_consistency_alloc(struct page *page, unsigned int order);
void __page_consistency_free(struct page *page, unsigned int order);
enum page_consistency_result page_consistency_check_page(struct page *page);
enum page_consistency_result page_consistency_validate_all(void);
void __init page_consistency_init(void);

static inline void page_consistency_alloc(struct page *page, unsigned int order)
{
	if (static_branch_unlikely(&page_consistency_enabled))
		__page_consistency_alloc(page, order);
}

static inline void page_consistency_free(struct page *page, unsigned int order)
{
	if (static_branch_unlikely(&page_consistency_enabled))
		__page_consistency_free(page, order);
}

#else

static inline void page_consistency_alloc(struct page *page, unsigned int order) { }
static inline void page_consistency_free(struct page *page, unsigned int order) { }
static inline void page_consistency_init(void) { }

#endif /* CONFIG_DEBUG_PAGE_CONSISTENCY */

#endif /* _LINUX_PAGE_CONSISTENCY_H */
