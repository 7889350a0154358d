// SPDX-License-Identifier: GPL-2.0
/*
 * Source lines, inline chains, the vmlinux-against-recording check and module debug files, on
 * ELF files of our own built with -g -O2 (tests/debuginfo): a fake vmlinux whose pcr_outer()
 * calls through two inlined functions, three other builds of it, and a fake module pcr_fault.
 *
 * The expected values come from elsewhere than the code under test: return addresses from the
 * fixtures run (they print them), symbol addresses from nm, lines from the "L:" markers of the
 * fixture sources, and which functions the other builds move from how they are built.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pagecheck.h"

/* A KASLR-like relocation: nm's 0x401xxx lands at 0xffffffff81001xxx. */
#define KASLR UINT64_C(0xffffffff80c00000)
#define MODBASE UINT64_C(0xffffffffc0a00000)

static char *path_of(const char *dir, const char *name)
{
	char *path = NULL;

	cr_assert_gt(asprintf(&path, "%s/%s", dir, name), 0);
	return path;
}

/* Runs a fixture; returns the offset it printed after the function's name. */
static uint64_t run_fixture(const char *name, const char *function)
{
	char *path = path_of(PCR_FAKE_DIR, name), fn[64];
	unsigned long long off = 0;
	FILE *p = popen(path, "r");

	cr_assert_not_null(p);
	cr_assert_eq(fscanf(p, "%63s 0x%llx", fn, &off), 2);
	cr_assert_str_eq(fn, function);
	pclose(p);
	free(path);
	return off;
}

/* The line of a fixture source that holds "L:TAG ". */
static int marker(const char *file, const char *tag)
{
	char *path = path_of(PCR_FAKE_SRC, file), line[512], want[64];
	FILE *f = fopen(path, "r");
	int n = 0, found = 0;

	cr_assert_not_null(f, "%s", path);
	snprintf(want, sizeof(want), "L:%s ", tag);
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (strstr(line, want))
			found = n;
	}
	fclose(f);
	free(path);
	cr_assert_gt(found, 0, "no marker %s in %s", tag, file);
	return found;
}

/* Appends nm's text symbols of @elf as kallsyms lines, moved by @offset, in [@module]. */
static void nm_kallsyms(FILE *out, const char *elf, uint64_t offset, const char *module)
{
	char *path = path_of(PCR_FAKE_DIR, elf), *cmd = NULL, line[512], type, name[256];
	unsigned long long addr;
	FILE *p;

	cr_assert_gt(asprintf(&cmd, "nm -n %s", path), 0);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) == 3 &&
		    strchr("tTwW", type))
			fprintf(out, "%016" PRIx64 " %c %s%s%s%s\n", (uint64_t)addr + offset, type,
				name, module ? "\t[" : "", module ? module : "", module ? "]" : "");
	cr_assert_eq(pclose(p), 0, "nm failed on %s", path);
	free(cmd);
	free(path);
}

/* nm's address of @function in @elf. */
static uint64_t nm_address(const char *elf, const char *function)
{
	char *path = path_of(PCR_FAKE_DIR, elf), *cmd = NULL, line[512], type, name[256];
	unsigned long long addr, found = 0;
	FILE *p;

	cr_assert_gt(asprintf(&cmd, "nm %s", path), 0);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) == 3 &&
		    !strcmp(name, function))
			found = addr;
	pclose(p);
	free(cmd);
	free(path);
	cr_assert_neq(found, 0, "nm has no %s", function);
	return found;
}

/* The recording's kallsyms: the traced fake vmlinux moved by KASLR, the module at MODBASE. */
static struct pcr_kallsyms *recording_kallsyms(struct pcr_symbolizer *sym)
{
	struct pcr_kallsyms *table = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	cr_assert_not_null(out);
	nm_kallsyms(out, "pcr_fake_vmlinux", KASLR, NULL);
	nm_kallsyms(out, "modules/extra/pcr_fault.ko", MODBASE, "pcr_fault");
	/* Another module after it: pcr_fault's last function has a size. */
	fprintf(out, "%016" PRIx64 " t other_fn\t[other]\n", MODBASE + 0x100000);
	fclose(out);
	cr_assert_eq(pcr_kallsyms_parse(&table, text, len), 0);
	free(text);
	sym->resolve = pcr_kallsyms_resolve;
	sym->ctx = table;
	return table;
}

static struct pcr_vmlinux *open_fake(const char *name)
{
	char *path = path_of(PCR_FAKE_DIR, name);
	struct pcr_vmlinux *vm = NULL;

	cr_assert_eq(pcr_vmlinux_open(&vm, path), 0, "%s", path);
	free(path);
	return vm;
}

/* The stack the tests replay: the call in the inlined code of pcr_outer, fk_38+0x4. */
static uint32_t recorded_stack(struct pcr_depot *depot, uint64_t *frames)
{
	uint32_t id = 0;

	frames[0] = nm_address("pcr_fake_vmlinux", "pcr_outer") + KASLR +
		    run_fixture("pcr_fake_vmlinux", "pcr_outer");
	frames[1] = nm_address("pcr_fake_vmlinux", "fk_38") + KASLR + 4;
	cr_assert_eq(pcr_depot_add(depot, frames, 2, &id), 0);
	return id;
}

/* A vmlinux matched against the recording: its kallsyms and its stack. */
struct matched {
	struct pcr_vmlinux *vm;
	struct pcr_kallsyms *table;
	struct pcr_depot *depot;
	struct pcr_symbolizer sym;
	struct pcr_vmlinux_match match;
	uint64_t frames[2];
	uint32_t id;
};

static void match_build(struct matched *m, const char *vmlinux)
{
	memset(m, 0, sizeof(*m));
	m->vm = open_fake(vmlinux);
	m->table = recording_kallsyms(&m->sym);
	cr_assert_eq(pcr_depot_new(&m->depot), 0);
	m->id = recorded_stack(m->depot, m->frames);
	cr_assert_eq(pcr_vmlinux_match(m->vm, m->depot, &m->sym, &m->match), 0);
}

static void matched_free(struct matched *m)
{
	pcr_depot_free(m->depot);
	pcr_kallsyms_free(m->table);
	pcr_vmlinux_free(m->vm);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* The return address minus one is the call in pcr_inner, inlined twice: three locations. */
Test(debuginfo, inline_chain_innermost_first)
{
	struct pcr_vmlinux *vm = open_fake("pcr_fake_vmlinux");
	uint64_t ret = nm_address("pcr_fake_vmlinux", "pcr_outer") +
		       run_fixture("pcr_fake_vmlinux", "pcr_outer");
	struct pcr_srcloc locs[PCR_INLINE_MAX];
	unsigned int nr = 0;

	cr_assert_eq(pcr_vmlinux_srclines(vm, ret - 1, locs, PCR_INLINE_MAX, &nr), 0);
	cr_assert_eq(nr, 3);
	cr_assert_str_eq(locs[0].function, "pcr_inner");
	cr_assert_eq(locs[0].line, marker("fake_kernel.c", "inner"));
	cr_assert(locs[0].inlined);
	cr_assert_str_eq(locs[1].function, "pcr_middle");
	cr_assert_eq(locs[1].line, marker("fake_kernel.c", "middle"));
	cr_assert(locs[1].inlined);
	cr_assert_str_eq(locs[2].function, "pcr_outer");
	cr_assert_eq(locs[2].line, marker("fake_kernel.c", "outer"));
	cr_assert_not(locs[2].inlined);
	cr_assert(ends_with(locs[0].file, "/fake_kernel.c"), "%s", locs[0].file);
	cr_assert(ends_with(locs[2].file, "/fake_kernel.c"), "%s", locs[2].file);
	/* Room for one location: the innermost only. */
	cr_assert_eq(pcr_vmlinux_srclines(vm, ret - 1, locs, 1, &nr), 0);
	cr_assert_eq(nr, 1);
	cr_assert_eq(locs[0].line, marker("fake_kernel.c", "inner"));
	pcr_vmlinux_free(vm);
}

/* The traced build: the relocation found, every function where kallsyms has it, the report. */
Test(debuginfo, traced_build_matches_and_prints_the_chain)
{
	/* kallsyms's size: up to the next symbol, fk_0. */
	uint64_t size = nm_address("pcr_fake_vmlinux", "fk_0") -
			nm_address("pcr_fake_vmlinux", "pcr_outer");
	struct pcr_report_info info = { 0 };
	char *text = NULL, expect[2048];
	struct matched m;
	size_t len = 0;
	FILE *out;

	match_build(&m, "pcr_fake_vmlinux");
	cr_assert_eq(m.match.offset, (int64_t)KASLR);
	cr_assert_eq(m.match.voters, 2);
	cr_assert_eq(m.match.votes, 2);
	/* 40 fk_N, pcr_sink, pcr_outer, main and the C runtime's. */
	cr_assert_geq(m.match.checked, 43);
	cr_assert_eq(m.match.checked, m.match.functions);
	cr_assert_eq(m.match.agreed, m.match.checked);
	cr_assert(pcr_vmlinux_match_trusted(&m.match));

	info.depot = m.depot;
	info.sym = &m.sym;
	info.vmlinux = m.vm;
	info.kaslr_offset = m.match.offset;
	out = open_memstream(&text, &len);
	cr_assert_eq(pcr_report_stack(out, 2, m.id, &info), 0);
	fclose(out);
	snprintf(expect, sizeof(expect),
		 "  pcr_inner (%s/fake_kernel.c:%d) [inlined]\n"
		 "  pcr_middle (%s/fake_kernel.c:%d) [inlined]\n"
		 "  pcr_outer+0x%" PRIx64 "/0x%" PRIx64 " (%s/fake_kernel.c:%d)\n",
		 PCR_FAKE_SRC, marker("fake_kernel.c", "inner"), PCR_FAKE_SRC,
		 marker("fake_kernel.c", "middle"),
		 run_fixture("pcr_fake_vmlinux", "pcr_outer"),
		 size,
		 PCR_FAKE_SRC, marker("fake_kernel.c", "outer"));
	cr_assert_eq(strncmp(text, expect, strlen(expect)), 0, "got\n%swant\n%s", text, expect);
	free(text);
	matched_free(&m);
}

/* Another build: every fk_N after fk_0 moved by its own amount; few functions agree. */
Test(debuginfo, other_build_is_not_trusted)
{
	struct matched m;

	match_build(&m, "pcr_fake_vmlinux_other_build");
	cr_assert_not(pcr_vmlinux_match_trusted(&m.match));
	/* fk_1 to fk_39 moved: at most the others agree. */
	cr_assert_leq(m.match.agreed, m.match.checked - 39, "%" PRIu64 " of %" PRIu64,
		      m.match.agreed, m.match.checked);
	matched_free(&m);
}

/*
 * A build where only fk_36 grew: fk_37, fk_38 and fk_39 moved. Trusted as a whole; fk_38's
 * frame is marked, pcr_outer's still has its lines.
 */
Test(debuginfo, late_change_marks_the_moved_frame)
{
	struct pcr_frame_src src;
	struct pcr_symbol k;
	struct matched m;

	match_build(&m, "pcr_fake_vmlinux_late_change");
	cr_assert_eq(m.match.offset, (int64_t)KASLR);
	cr_assert_eq(m.match.checked - m.match.agreed, 3);
	cr_assert(pcr_vmlinux_match_trusted(&m.match));

	cr_assert_eq(pcr_kallsyms_resolve(m.table, m.frames[1], &k), 0);
	cr_assert_str_eq(k.name, "fk_38");
	cr_assert_eq(pcr_vmlinux_frame(m.vm, m.frames[1], &k, m.match.offset, &m.sym, &src), 0);
	cr_assert_eq(src.status, PCR_SRC_MOVED);
	cr_assert_eq(pcr_kallsyms_resolve(m.table, m.frames[0], &k), 0);
	cr_assert_eq(pcr_vmlinux_frame(m.vm, m.frames[0], &k, m.match.offset, &m.sym, &src), 0);
	cr_assert_eq(src.status, PCR_SRC_OK);
	cr_assert_eq(src.nr, 3);
	cr_assert_eq(src.locs[0].line, marker("fake_kernel.c", "inner"));
	matched_free(&m);
}

/* A kallsyms that covers one function of the vmlinux agrees with it, and proves nothing. */
Test(debuginfo, too_little_checked_is_not_trusted)
{
	struct pcr_vmlinux *vm = open_fake("pcr_fake_vmlinux");
	uint64_t outer = nm_address("pcr_fake_vmlinux", "pcr_outer") + KASLR;
	uint64_t fk0 = nm_address("pcr_fake_vmlinux", "fk_0") + KASLR;
	struct pcr_symbolizer sym = { .resolve = pcr_kallsyms_resolve };
	struct pcr_kallsyms *table = NULL;
	struct pcr_vmlinux_match match;
	struct pcr_depot *depot = NULL;
	uint64_t frame = outer + 4;
	char text[256];
	uint32_t id;

	snprintf(text, sizeof(text), "%016" PRIx64 " T pcr_outer\n%016" PRIx64 " T fk_0\n", outer,
		 fk0);
	cr_assert_eq(pcr_kallsyms_parse(&table, text, strlen(text)), 0);
	sym.ctx = table;
	cr_assert_eq(pcr_depot_new(&depot), 0);
	cr_assert_eq(pcr_depot_add(depot, &frame, 1, &id), 0);
	cr_assert_eq(pcr_vmlinux_match(vm, depot, &sym, &match), 0);
	cr_assert_eq(match.offset, (int64_t)KASLR);
	cr_assert_eq(match.checked, 1);
	cr_assert_eq(match.agreed, 1);
	cr_assert_geq(match.functions, 43);
	cr_assert_not(pcr_vmlinux_match_trusted(&match));
	pcr_depot_free(depot);
	pcr_kallsyms_free(table);
	pcr_vmlinux_free(vm);
}

/* The release in linux_banner, as fake_kernel.c writes it, and in a recording's uname. */
Test(debuginfo, release)
{
	struct pcr_vmlinux *vm = open_fake("pcr_fake_vmlinux");
	char buf[64];

	cr_assert_eq(pcr_vmlinux_release(vm, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "6.18.0-pcr-test");
	cr_assert_eq(pcr_vmlinux_release(vm, buf, 4), -PCR_ERR_INVAL);
	pcr_vmlinux_free(vm);
	vm = open_fake("pcr_fake_vmlinux_other_release");
	cr_assert_eq(pcr_vmlinux_release(vm, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "6.18.1-pcr-test");
	pcr_vmlinux_free(vm);

	cr_assert_eq(pcr_uname_release("Linux vm 6.18.44-fc-v657 x86_64", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "6.18.44-fc-v657");
	cr_assert_eq(pcr_uname_release("6.1.0-18-amd64", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "6.1.0-18-amd64");
	cr_assert_eq(pcr_uname_release("Linux vm", buf, sizeof(buf)), -PCR_ERR_INVAL);
	cr_assert_eq(pcr_uname_release("", buf, sizeof(buf)), -PCR_ERR_INVAL);
	cr_assert_eq(pcr_uname_release("Linux vm 6.18.44-fc-v657 x86_64", buf, 8),
		     -PCR_ERR_INVAL);
}

/* The build id, as readelf -n shows it. */
Test(debuginfo, build_id)
{
	char *path = path_of(PCR_FAKE_DIR, "pcr_fake_vmlinux"), *cmd = NULL, want[128] = "";
	struct pcr_vmlinux *vm = open_fake("pcr_fake_vmlinux");
	char line[512], buf[128];
	FILE *p;

	cr_assert_gt(asprintf(&cmd, "readelf -n %s", path), 0);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	while (fgets(line, sizeof(line), p))
		if (strstr(line, "Build ID: "))
			sscanf(strstr(line, "Build ID: ") + 10, "%127s", want);
	pclose(p);
	cr_assert_neq(want[0], '\0', "readelf -n shows no build id in %s", path);
	cr_assert_eq(pcr_vmlinux_build_id(vm, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, want);
	cr_assert_eq(pcr_vmlinux_build_id(vm, buf, 8), -PCR_ERR_INVAL);
	pcr_vmlinux_free(vm);
	free(cmd);
	free(path);
}

/* A module's frame: from its debug file under the modules directory, or marked without one. */
Test(debuginfo, module_frame)
{
	struct pcr_vmlinux *vm = open_fake("pcr_fake_vmlinux");
	struct pcr_symbolizer sym = { 0 };
	struct pcr_kallsyms *table = recording_kallsyms(&sym);
	uint64_t frame = MODBASE + nm_address("modules/extra/pcr_fault.ko", "pcr_fault_trigger") +
			 run_fixture("pcr_fake_module_runner", "pcr_fault_trigger");
	const char *name = NULL, *path = NULL;
	struct pcr_frame_src src;
	struct pcr_symbol k;

	cr_assert_eq(pcr_kallsyms_resolve(table, frame, &k), 0);
	cr_assert_str_eq(k.module, "pcr_fault");
	/* No modules directory: nothing to read the module from. */
	cr_assert_eq(pcr_vmlinux_frame(vm, frame, &k, (int64_t)KASLR, &sym, &src), 0);
	cr_assert_eq(src.status, PCR_SRC_NO_MODULE);
	cr_assert_eq(pcr_vmlinux_modules(vm, 0, &name, &path), 1);
	cr_assert_str_eq(name, "pcr_fault");
	cr_assert_null(path);
	pcr_vmlinux_free(vm);

	vm = open_fake("pcr_fake_vmlinux");
	cr_assert_eq(pcr_vmlinux_set_modules_dir(vm, PCR_FAKE_DIR "/modules"), 0);
	cr_assert_eq(pcr_vmlinux_frame(vm, frame, &k, (int64_t)KASLR, &sym, &src), 0);
	cr_assert_eq(src.status, PCR_SRC_OK);
	cr_assert(ends_with(src.module_path, "/modules/extra/pcr_fault.ko"), "%s",
		  src.module_path);
	cr_assert_eq(src.nr, 2);
	cr_assert_str_eq(src.locs[0].function, "pcr_fault_inner");
	cr_assert_eq(src.locs[0].line, marker("fake_module.c", "module-inner"));
	cr_assert_eq(src.locs[1].line, marker("fake_module.c", "module-outer"));
	cr_assert(ends_with(src.locs[1].file, "/fake_module.c"), "%s", src.locs[1].file);
	cr_assert_eq(pcr_vmlinux_modules(vm, 0, &name, &path), 1);
	cr_assert_str_eq(path, src.module_path);
	pcr_vmlinux_free(vm);
	pcr_kallsyms_free(table);
}
