// SPDX-License-Identifier: GPL-2.0
/*
 * The violation block, rendered in one place for every format.
 */
#include <inttypes.h>

#include "block.h"

int pcr_print_class(FILE *out, const struct pcr_class *cls)
{
	const char *sep = cls->detail[0] ? "; " : "";

	if (cls->cls == PCR_CLASS_EXPLAINED)
		return fprintf(out, "  class: explained: %s (%s in %s): %s%s%s\n", cls->path,
			       cls->evidence, cls->where ? cls->where : "the stack", cls->why, sep,
			       cls->detail) < 0 ||
		       (cls->row && fprintf(out, "  measured: %s\n", cls->row) < 0);
	if (cls->cls == PCR_CLASS_UNDECIDABLE)
		return fprintf(out, "  class: undecidable: %s; %s\n", cls->why, cls->remedy) < 0;
	return fprintf(out, "  class: violation%s%s\n", cls->detail[0] ? ": " : "",
		       cls->detail) < 0;
}

const char *pcr_injection_text(char *buf, size_t size, const struct pcr_injection *inj)
{
	snprintf(buf, size, "%s:0x%" PRIx64 "@%" PRIu64 ".%09" PRIu64, pcr_fault_name(inj->fault),
		 inj->pfn, inj->ts_ns / 1000000000u, inj->ts_ns % 1000000000u);
	return buf;
}

int pcr_print_block(FILE *out, const struct pcr_report_info *report,
		    const struct pcr_violation *v, const struct pcr_class *cls,
		    const char *signature, const struct pcr_injection *inj, const char *supp_path,
		    int supp_line)
{
	char text[96];

	return pcr_report_violation(out, v, report) || pcr_print_class(out, cls) ||
	       (report->depot && fprintf(out, "  signature: %s\n", signature) < 0) ||
	       (inj && fprintf(out, "  injected: %s\n",
			       pcr_injection_text(text, sizeof(text), inj)) < 0) ||
	       (supp_line && fprintf(out, "  suppressed by %s:%d\n", supp_path, supp_line) < 0) ||
	       fputc('\n', out) == EOF;
}
