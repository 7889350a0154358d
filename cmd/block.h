/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The violation block: the one renderer of a classified violation, which the text report
 * streams and the other formats embed (KTAP diagnostics, JUnit bodies).
 */
#ifndef PCR_BLOCK_H
#define PCR_BLOCK_H

#include <stdio.h>

#include "inject.h"
#include "pagecheck.h"

/**
 * pcr_print_class - print a violation block's class line
 * @out: where to print
 * @cls: the class
 *
 * Return: 0, or non-zero when writing failed.
 */
int pcr_print_class(FILE *out, const struct pcr_class *cls);

/**
 * pcr_injection_text - an injected fault as --inject spells it: "double-free:0x1000@2.5"
 * @buf: where the text is written
 * @size: its size
 * @inj: the fault
 *
 * Return: @buf.
 */
const char *pcr_injection_text(char *buf, size_t size, const struct pcr_injection *inj);

/**
 * pcr_print_block - print one classified violation's block, with its blank line
 * @out: where to print
 * @report: gfp names, depot, symbolizer, task names
 * @v: the violation
 * @cls: its class
 * @signature: its stack signature (printed when the recording has stacks)
 * @inj: the fault injected on its page, or NULL
 * @supp_path: the suppressions file
 * @supp_line: the line of it that matched, 0 for none
 *
 * Return: 0, or non-zero when writing failed.
 */
int pcr_print_block(FILE *out, const struct pcr_report_info *report,
		    const struct pcr_violation *v, const struct pcr_class *cls,
		    const char *signature, const struct pcr_injection *inj, const char *supp_path,
		    int supp_line);

#endif /* PCR_BLOCK_H */
