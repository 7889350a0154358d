// SPDX-License-Identifier: GPL-2.0
/*
 * Source lines of kernel addresses from a vmlinux with debug info, through elfutils' libdwfl,
 * as scripts/decode_stacktrace.sh gives them with addr2line.
 */
#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>

#include "pagecheck.h"

struct pcr_vmlinux {
	Dwfl *dwfl;
	Dwfl_Module *mod;
};

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

int pcr_vmlinux_open(struct pcr_vmlinux **out, const char *path)
{
	struct pcr_vmlinux *vm;

	*out = NULL;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -PCR_ERR_NOMEM;
	vm->dwfl = dwfl_begin(&offline_callbacks);
	if (!vm->dwfl) {
		free(vm);
		return -PCR_ERR_NOMEM;
	}
	vm->mod = dwfl_report_offline(vm->dwfl, "vmlinux", path, -1);
	dwfl_report_end(vm->dwfl, NULL, NULL);
	if (!vm->mod) {
		pcr_vmlinux_free(vm);
		return -PCR_ERR_FORMAT;
	}
	*out = vm;
	return 0;
}

void pcr_vmlinux_free(struct pcr_vmlinux *vm)
{
	if (!vm)
		return;
	if (vm->dwfl)
		dwfl_end(vm->dwfl);
	free(vm);
}

int pcr_vmlinux_symbol(struct pcr_vmlinux *vm, const char *name, uint64_t *addr)
{
	int i, nr = dwfl_module_getsymtab(vm->mod);

	for (i = 1; i < nr; i++) {
		GElf_Addr value;
		GElf_Sym sym;
		const char *sname = dwfl_module_getsym_info(vm->mod, i, &sym, &value, NULL, NULL,
							    NULL);

		if (sname && !strcmp(sname, name) && GELF_ST_TYPE(sym.st_info) == STT_FUNC) {
			*addr = value;
			return 0;
		}
	}
	return -PCR_ERR_INVAL;
}

int pcr_vmlinux_srcline(struct pcr_vmlinux *vm, uint64_t addr, const char **file, int *line)
{
	Dwfl_Line *l = dwfl_module_getsrc(vm->mod, addr);
	const char *src;

	if (!l)
		return -PCR_ERR_INVAL;
	src = dwfl_lineinfo(l, NULL, line, NULL, NULL, NULL);
	if (!src)
		return -PCR_ERR_INVAL;
	*file = src;
	return 0;
}

int pcr_vmlinux_kaslr_offset(struct pcr_vmlinux *vm, const struct pcr_depot *depot,
			     const struct pcr_symbolizer *sym, int64_t *offset)
{
	uint64_t stacks, frames_stored, bytes, link;
	struct pcr_symbol fsym;
	const uint64_t *frames;
	unsigned int nr, i;
	uint32_t id;

	if (!sym || !sym->resolve || !depot)
		return -PCR_ERR_INVAL;
	pcr_depot_stats(depot, &stacks, &frames_stored, &bytes);
	for (id = 1; id <= stacks; id++) {
		if (pcr_depot_get(depot, id, &frames, &nr))
			continue;
		for (i = 0; i < nr; i++) {
			/* Module symbols live elsewhere than the vmlinux's text. */
			if (sym->resolve(sym->ctx, frames[i], &fsym) || fsym.module ||
			    pcr_vmlinux_symbol(vm, fsym.name, &link))
				continue;
			*offset = (int64_t)(fsym.start - link);
			return 0;
		}
	}
	return -PCR_ERR_INVAL;
}
