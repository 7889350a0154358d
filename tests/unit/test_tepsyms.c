// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of formats/tepsyms.c: kallsyms named as libtraceevent 1.7.1 names them. The
 * reference is libtraceevent itself (tep_parse_kallsyms() and tep_find_function_info() on the
 * same text), on a hand-made text with every rule in it (aliases, skipped types, "$" names,
 * modules, an order that is not by address) and on the 170,000 lines of a 6.18 kernel's
 * kallsyms from a recording in testdata; and hand-computed answers for the small text.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "pcr_formats.h"
#include "tdcheck.h"
#include "tepsyms.h"

static const char small[] =
	"0000000000000000 A fixed_percpu_data\n"
	"ffffffff81000000 T _text\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81000040 t $x.1\n"
	"ffffffff81000100 T secondary_startup_64\n"
	"ffffffff81000100 t alias_b\n"
	"ffffffff81000100 t alias_c\n"
	"ffffffff81000200 a absolute_sym\n"
	"ffffffff81000300 T verify_cpu\n"
	"ffffffffc0100000 t mod_init\t[mymod]\n"
	"ffffffffc0000000 t mod_first\t[othermod]\n"
	"ffffffff81000400 T _etext\n";

static char *dup_text(const char *s)
{
	char *c = strdup(s);

	cr_assert_not_null(c);
	return c;
}

/* Every address asked gives what libtraceevent gives: found or not, name, start and size. */
static void compare(struct pcr_tepsyms *t, struct tep_handle *tep, uint64_t addr)
{
	const char *name = NULL;
	unsigned long long start = 0;
	unsigned long size = 0;
	struct pcr_symbol sym = { 0 };
	int found = tep_find_function_info(tep, addr, &name, &start, &size) && name;
	int ours = !pcr_tepsyms_resolve(t, addr, &sym);

	cr_assert_eq(ours, found, "0x%llx: found %d, libtraceevent %d",
		     (unsigned long long)addr, ours, found);
	if (!found)
		return;
	cr_assert_str_eq(sym.name, name, "0x%llx", (unsigned long long)addr);
	cr_assert_eq(sym.start, start, "0x%llx", (unsigned long long)addr);
	cr_assert_eq(sym.size, (uint64_t)size, "0x%llx", (unsigned long long)addr);
}

static struct tep_handle *tep_of(const char *text)
{
	struct tep_handle *tep = tep_alloc();
	char *copy = dup_text(text);

	cr_assert_not_null(tep);
	cr_assert_eq(tep_parse_kallsyms(tep, copy), 0);
	free(copy);
	return tep;
}

Test(tepsyms, small_by_hand)
{
	struct pcr_tepsyms *t;
	struct pcr_symbol sym;
	char *text;

	text = dup_text(small);
	cr_assert_eq(pcr_tepsyms_parse(&t, text, strlen(small)), 0);
	cr_assert_not_null(t);
	/* 12 lines: the 'A', 'a' and "$x.1" lines are not functions */
	cr_assert_eq(pcr_tepsyms_count(t), 9);
	/* Aliases: the first in the file is found (libtraceevent's newest-first list, sorted). */
	cr_assert_eq(pcr_tepsyms_resolve(t, 0xffffffff81000010, &sym), 0);
	cr_assert_str_eq(sym.name, "_text");
	cr_assert_eq(sym.start, 0xffffffff81000000);
	cr_assert_eq(sym.size, 0x100);
	/* 0x40 is "$x.1", skipped: still _text */
	cr_assert_eq(pcr_tepsyms_resolve(t, 0xffffffff81000050, &sym), 0);
	cr_assert_str_eq(sym.name, "_text");
	cr_assert_eq(pcr_tepsyms_resolve(t, 0xffffffff81000250, &sym), 0);
	cr_assert_str_eq(sym.name, "secondary_startup_64");
	cr_assert_eq(sym.size, 0x200);
	/* The module lines name their function, not the module. */
	cr_assert_eq(pcr_tepsyms_resolve(t, 0xffffffffc0000008, &sym), 0);
	cr_assert_str_eq(sym.name, "mod_first");
	cr_assert_null(sym.module);
	/* Below the first function, and past the last one's start: nothing. */
	cr_assert_neq(pcr_tepsyms_resolve(t, 0xffffffff80ffffff, &sym), 0);
	cr_assert_neq(pcr_tepsyms_resolve(t, 0xffffffffc0100008, &sym), 0);
	pcr_tepsyms_free(t);
	free(text);
}

Test(tepsyms, small_as_libtraceevent)
{
	static const uint64_t bases[] = { 0, 0xffffffff81000000, 0xffffffff81000040,
					  0xffffffff81000100, 0xffffffff81000200,
					  0xffffffff81000300, 0xffffffff81000400,
					  0xffffffffc0000000, 0xffffffffc0100000 };
	struct tep_handle *tep = tep_of(small);
	char *text = dup_text(small);
	struct pcr_tepsyms *t;
	size_t i;
	int d;

	cr_assert_eq(pcr_tepsyms_parse(&t, text, strlen(small)), 0);
	cr_assert_eq((int)pcr_tepsyms_count(t), tep_get_function_count(tep));
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		for (d = -2; d <= 2; d++)
			compare(t, tep, bases[i] + (uint64_t)(int64_t)d);
	pcr_tepsyms_free(t);
	tep_free(tep);
	free(text);
}

Test(tepsyms, shapes_left_to_libtraceevent)
{
	static const char *const odd[] = {
		"ffffffff81000000  T two_spaces\n",
		"ffffffff81000000 T name with_space\n",
		"ffffffff81000000 T mod\t(notbracket)\n",
		"ffffffff81000000 T \n",
	};
	struct pcr_tepsyms *t;
	size_t i;

	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		char *text = dup_text(odd[i]);

		cr_assert_eq(pcr_tepsyms_parse(&t, text, strlen(odd[i])), 0);
		cr_assert_null(t, "%s", odd[i]);
		free(text);
		cr_assert_eq(pcr_tepsyms_any(odd[i], strlen(odd[i])), -1);
	}
	cr_assert_eq(pcr_tepsyms_any(small, strlen(small)), 1);
	/* Left to libtraceevent after good lines: the text comes back as it was. */
	{
		static const char mixed[] = "ffffffff81000000 T a\n"
					    "ffffffff81000010 T f\t[m]\n"
					    "ffffffff81000020 T g\n"
					    "ffffffff81000030 T bad\tb\n";
		char *text = dup_text(mixed);

		cr_assert_eq(pcr_tepsyms_parse(&t, text, strlen(mixed)), 0);
		cr_assert_null(t);
		cr_assert_str_eq(text, mixed);
		free(text);
	}
	cr_assert_eq(pcr_tepsyms_any("0 A x\n0 a y\n", 12), 0);
}

/* The kallsyms of a 6.18 x86-64 kernel (5.4 MB), from a recording in testdata. */
Test(tepsyms, real_kernel_as_libtraceevent)
{
	char errmsg[PCR_ERRMSG_LEN] = "";
	struct pcr_tdmeta meta;
	struct tep_handle *tep;
	struct pcr_tepsyms *t;
	uint64_t lcg = 12345;
	char *text;
	int i, nr;

	cr_assert_eq(pcr_tdcheck_load(PCR_TESTDATA "/t06_stack_v7zstd.dat", &meta, NULL, errmsg), 0,
		     "%s", errmsg);
	cr_assert_not_null(meta.kallsyms_text);
	cr_assert_gt(meta.kallsyms_len, 5000000);
	text = strndup(meta.kallsyms_text, meta.kallsyms_len);
	cr_assert_not_null(text);
	tep = tep_of(text);
	cr_assert_eq(pcr_tepsyms_parse(&t, meta.kallsyms_text, meta.kallsyms_len), 0);
	cr_assert_not_null(t);
	nr = tep_get_function_count(tep);
	cr_assert_gt(nr, 100000);
	cr_assert_eq((int)pcr_tepsyms_count(t), nr);
	/* Each line's address, one below and one above, and addresses in between. */
	for (const char *p = text; *p; p = strchr(p, '\n') + 1) {
		uint64_t addr = strtoull(p, NULL, 16);

		compare(t, tep, addr);
		compare(t, tep, addr - 1);
		compare(t, tep, addr + 1);
		if (!strchr(p, '\n'))
			break;
	}
	for (i = 0; i < 100000; i++) {
		lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
		compare(t, tep, 0xffffffff80000000ULL + (lcg >> 34));
	}
	pcr_tepsyms_free(t);
	tep_free(tep);
	free(text);
	pcr_tdmeta_release(&meta);
}
