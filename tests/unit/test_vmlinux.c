// SPDX-License-Identifier: GPL-2.0
/*
 * Source lines through libdwfl. No vmlinux with debug info ships with the tests, so the test
 * executable plays one: it is linked without PIE (an ET_EXEC at its link address, as vmlinux is)
 * and compiled with -g, and probe_target() below is the "kernel function" whose line is known.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pagecheck.h"

/* The line of probe_target's opening brace, where its first instructions map. */
enum { PROBE_LINE = __LINE__ + 3 };
__attribute__((noinline)) int probe_target(int x);
__attribute__((noinline)) int probe_target(int x)
{
	return x * 3 + 1;
}

static struct pcr_vmlinux *open_self(void)
{
	struct pcr_vmlinux *vm = NULL;

	cr_assert_eq(pcr_vmlinux_open(&vm, "/proc/self/exe"), 0);
	return vm;
}

Test(vmlinux, symbol_is_its_link_address)
{
	struct pcr_vmlinux *vm = open_self();
	uint64_t addr = 0;

	cr_assert_eq(pcr_vmlinux_symbol(vm, "probe_target", &addr), 0);
	/* Without PIE the runtime address is the link address. */
	cr_assert_eq(addr, (uint64_t)(uintptr_t)&probe_target);
	cr_assert_eq(pcr_vmlinux_symbol(vm, "no_such_function_here", &addr), -PCR_ERR_INVAL);
	pcr_vmlinux_free(vm);
}

Test(vmlinux, srcline_of_function_start)
{
	struct pcr_vmlinux *vm = open_self();
	const char *file = NULL;
	int line = 0;

	cr_assert_eq(pcr_vmlinux_srcline(vm, (uint64_t)(uintptr_t)&probe_target, &file, &line), 0);
	cr_assert_not_null(strstr(file, "test_vmlinux.c"), "file %s", file);
	cr_assert_eq(line, PROBE_LINE);
	cr_assert_eq(probe_target(1), 4);
	pcr_vmlinux_free(vm);
}

Test(vmlinux, not_an_elf_file)
{
	struct pcr_vmlinux *vm = NULL;
	char path[] = "/tmp/pcr-not-elf-XXXXXX";
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "hello\n", 6), 6);
	close(fd);
	cr_assert_eq(pcr_vmlinux_open(&vm, path), -PCR_ERR_FORMAT);
	cr_assert_null(vm);
	unlink(path);
}

/*
 * A "recording" whose kernel ran 0x200000 above its link address: its kallsyms say so, its stack
 * holds a return address 5 bytes into probe_target. The offset comes out as 0x200000 and the
 * printed frame carries probe_target's file and line.
 */
Test(vmlinux, kaslr_offset_and_report)
{
	uint64_t link = (uint64_t)(uintptr_t)&probe_target, shift = 0x200000;
	struct pcr_vmlinux *vm = open_self();
	struct pcr_symbolizer sym = { 0 };
	struct pcr_report_info info = { 0 };
	struct pcr_kallsyms *table = NULL;
	struct pcr_depot *depot = NULL;
	uint64_t frame = link + shift + 5;
	char kallsyms[256], expect[128], *text = NULL;
	int64_t offset = 0;
	size_t len = 0;
	uint32_t id;
	FILE *out;

	snprintf(kallsyms, sizeof(kallsyms), "%llx T probe_target\n%llx T after_probe\n",
		 (unsigned long long)(link + shift), (unsigned long long)(link + shift + 0x40));
	cr_assert_eq(pcr_kallsyms_parse(&table, kallsyms, strlen(kallsyms)), 0);
	sym.resolve = pcr_kallsyms_resolve;
	sym.ctx = table;
	cr_assert_eq(pcr_depot_new(&depot), 0);
	cr_assert_eq(pcr_depot_add(depot, &frame, 1, &id), 0);

	cr_assert_eq(pcr_vmlinux_kaslr_offset(vm, depot, &sym, &offset), 0);
	cr_assert_eq(offset, (int64_t)shift);

	info.depot = depot;
	info.sym = &sym;
	info.vmlinux = vm;
	info.kaslr_offset = offset;
	out = open_memstream(&text, &len);
	cr_assert_eq(pcr_report_stack(out, 2, id, &info), 0);
	fclose(out);
	snprintf(expect, sizeof(expect), "  probe_target+0x5/0x40 (");
	cr_assert_eq(strncmp(text, expect, strlen(expect)), 0, "got %s", text);
	snprintf(expect, sizeof(expect), "test_vmlinux.c:%d)\n", PROBE_LINE);
	cr_assert_not_null(strstr(text, expect), "got %s, want %s", text, expect);
	free(text);
	pcr_depot_free(depot);
	pcr_kallsyms_free(table);
	pcr_vmlinux_free(vm);
}
