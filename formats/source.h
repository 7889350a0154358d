/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every reader's source shares: its operations and the information it fills in.
 */
#ifndef PCR_SOURCE_H
#define PCR_SOURCE_H

#include "pcr_formats.h"

struct pcr_source_ops {
	int (*replay)(struct pcr_source *src, pcr_event_fn fn, void *payload, char *errmsg);
	void (*close)(struct pcr_source *src);
	/* optional: bytes read and to read, for a progress line */
	int (*progress)(const struct pcr_source *src, uint64_t *done, uint64_t *total);
};

/* Every reader's source struct starts with this. */
struct pcr_source {
	const struct pcr_source_ops *ops;
	struct pcr_source_info info;
};

#endif /* PCR_SOURCE_H */
