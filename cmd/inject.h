/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection: faults of the kinds the dual bitmap is meant to catch, put into a real
 * recording's replay at a chosen time, to prove that they are caught and to measure how soon.
 */
#ifndef PCR_INJECT_H
#define PCR_INJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pagecheck.h"

enum pcr_fault {
	PCR_FAULT_DOUBLE_ALLOC,		/* an order-0 alloc of the page: handed out twice */
	PCR_FAULT_DOUBLE_FREE,		/* an order-0 free of the page: taken back twice */
	PCR_FAULT_FLIP_PRIMARY,		/* the page's PRIMARY bit flips, as a memory fault would */
	PCR_FAULT_FLIP_SECONDARY,	/* the page's SECONDARY bit flips */
	PCR_FAULT_NR
};

/*
 * An injected event's one-frame stack holds this address plus the fault kind: no kernel text
 * lives there, and pcr_inject_resolve() names it pagecheck_inject_<kind>.
 */
#define PCR_INJECT_FRAME 0xfffffffffffff000ull

/**
 * struct pcr_injection - one fault to inject
 * @pfn:	the page
 * @ts_ns:	before the first event at or after this time
 * @fault:	an enum pcr_fault
 * @done:	already injected
 */
struct pcr_injection {
	uint64_t pfn;
	uint64_t ts_ns;
	int fault;
	bool done;
};

/**
 * pcr_fault_name - the spec name of a fault kind
 * @fault: an enum pcr_fault
 *
 * Return: "double-alloc", "double-free", "flip-primary" or "flip-secondary".
 */
const char *pcr_fault_name(int fault);

/**
 * pcr_parse_injections - parse --inject=SPEC[,SPEC...], SPEC being FAULT:PFN@SECONDS
 * @text: the option's value
 * @out: receives the injections, sorted by time (free() them)
 * @nr: receives how many
 *
 * Return: 0, or -1 when a SPEC is malformed (nothing is returned then).
 */
int pcr_parse_injections(const char *text, struct pcr_injection **out, size_t *nr);

/**
 * pcr_inject_due - inject every fault due before an event
 * @inj: the injections, sorted by time
 * @nr: how many
 * @ts_ns: the next event's timestamp; UINT64_MAX injects all that are left
 * @engine: the engine to inject into
 * @depot: where the injected events' one-frame stacks go
 *
 * Return: 0 or the engine's negative error code.
 */
int pcr_inject_due(struct pcr_injection *inj, size_t nr, uint64_t ts_ns,
		   struct pcr_engine *engine, struct pcr_depot *depot);

/**
 * pcr_inject_resolve - a pcr_resolve_fn that names injected frames, then asks another
 * @ctx: the struct pcr_symbolizer to ask for other addresses (its resolve may be NULL)
 * @addr: the address
 * @sym: receives the symbol
 *
 * Return: 0 when named, else what the other symbolizer says (-PCR_ERR_INVAL without one).
 */
int pcr_inject_resolve(void *ctx, uint64_t addr, struct pcr_symbol *sym);

#endif /* PCR_INJECT_H */
