// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kernel symbols, frames, stack signatures and the signature table
 * (lib/symbols.c), and of the stack parts of the text report (lib/report.c).
 *
 * The symbols come from a small hand-written /proc/kallsyms text; the frames are addresses
 * inside its symbols. Every expected name, offset, size, signature and report text is worked
 * out by hand from that text in the comment above each test.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "expect.h"

#include "pagecheck.h"

#define EXPECT_STR(actual, expected)						\
	cr_expect_str_eq(actual, expected, "%s: got \"%s\", expected \"%s\"", #actual,	\
			 actual, expected)

#define NR(a) (unsigned int)(sizeof(a) / sizeof((a)[0]))

/*
 * A /proc/kallsyms in no particular order, with what a real one has besides text symbols:
 * data ('d', 'D', 'R', 'b') symbols, some inside a text symbol's span, a 0 address (a per-CPU
 * symbol), two names at one address, a weak 'W' symbol, module symbols ("\t[mymod]"), compiler
 * suffixes, a line that is no symbol and a blank line.
 *
 * The text symbols in address order and their sizes (distance to the next text address):
 *   ffffffff81000000 _stext                          0x1000
 *   ffffffff81001000 __traceiter_mm_page_alloc       0x100
 *   ffffffff81001100 __traceiter_mm_page_free        0x100
 *   ffffffff81001200 trace_event_raw_event_mm_page_alloc 0x100
 *   ffffffff81001300 trace_event_raw_event_mm_page_free  0xd00
 *   ffffffff81002000 __alloc_frozen_pages_noprof     0x400
 *   ffffffff81002400 alloc_pages_mpol                0x200
 *   ffffffff81002600 alloc_pages_noprof              0xa00
 *   ffffffff81003000 free_pages_prepare              0x300
 *   ffffffff81003300 __free_frozen_pages             0xd00
 *   ffffffff81004000 compaction_free                 0x140 (the 'd' at ...4100 does not count)
 *   ffffffff81004140 migrate_pages_batch.isra.0      0x200 ('R' ...4200, 'b' ...4300 neither)
 *   ffffffff81004340 migrate_pages                   0x100
 *   ffffffff81004440 move_to_new_folio.constprop.0   0xc0
 *   ffffffff81004500 __pud_alloc                     0x100
 *   ffffffff81004600 __handle_mm_fault               0x800
 *   ffffffff81004e00 handle_mm_fault                 0x200
 *   ffffffff81005000 dup_b (first of dup_b, dup_a)   0x100
 *   ffffffff81005100 weak_text                       0x100
 *   ffffffff81005200 shrink_thing.part.0             0x100
 *   ffffffff81005300 shrink_thing.cold               0x100
 *   ffffffff81005400 _etext                          0x3effbc00 (to mod_alloc_page)
 *   ffffffffc0001000 mod_alloc_page                  0x80
 *   ffffffffc0001080 mod_free_page                   0xf80
 *   ffffffffc0002000 mod_exit                        the last: no size
 */
static const char kallsyms_text[] =
	"ffffffff81004000 t compaction_free\n"
	"ffffffff81001300 t trace_event_raw_event_mm_page_free\n"
	"0000000000000000 D fixed_percpu_data\n"
	"ffffffff81000000 T _stext\n"
	"ffffffff81001000 T __traceiter_mm_page_alloc\n"
	"ffffffff81001100 T __traceiter_mm_page_free\n"
	"ffffffff81001200 t trace_event_raw_event_mm_page_alloc\n"
	"ffffffff81004100 d compaction_data\n"
	"ffffffff81002000 T __alloc_frozen_pages_noprof\n"
	"this line is not a symbol\n"
	"ffffffff81002400 T alloc_pages_mpol\n"
	"ffffffff81002600 T alloc_pages_noprof\n"
	"\n"
	"ffffffff81003000 t free_pages_prepare\n"
	"ffffffff81003300 T __free_frozen_pages\n"
	"ffffffff81004140 t migrate_pages_batch.isra.0\n"
	"ffffffff81004200 R migrate_rodata\n"
	"ffffffff81004300 b migrate_bss\n"
	"ffffffff81004340 T migrate_pages\n"
	"ffffffff81004440 t move_to_new_folio.constprop.0\n"
	"ffffffff81004500 T __pud_alloc\n"
	"ffffffff81004600 T __handle_mm_fault\n"
	"ffffffff81004e00 T handle_mm_fault\n"
	"ffffffff81005000 t dup_b\n"
	"ffffffff81005000 t dup_a\n"
	"ffffffff81005100 W weak_text\n"
	"ffffffff81005200 t shrink_thing.part.0\n"
	"ffffffff81005300 t shrink_thing.cold\n"
	"ffffffff81005400 T _etext\n"
	"ffffffff82000000 D init_task\n"
	"ffffffffc0001080 t mod_free_page\t[mymod]\n"
	"ffffffffc0001000 t mod_alloc_page\t[mymod]\n"
	"ffffffffc0002000 t mod_exit\t[mymod]\n"
	"ffffffffc0003000 d mod_data\t[mymod]\n";

/* Return addresses inside those symbols. */
#define F_TERE_ALLOC	0xffffffff810012baull	/* trace_event_raw_event_mm_page_alloc+0xba */
#define F_TERE_FREE	0xffffffff81001346ull	/* trace_event_raw_event_mm_page_free+0x46 */
#define F_TI_ALLOC	0xffffffff81001041ull	/* __traceiter_mm_page_alloc+0x41 */
#define F_TI_FREE	0xffffffff81001110ull	/* __traceiter_mm_page_free+0x10 */
#define F_AFP		0xffffffff8100226bull	/* __alloc_frozen_pages_noprof+0x26b/0x400 */
#define F_APM		0xffffffff81002516ull	/* alloc_pages_mpol+0x116/0x200 */
#define F_APN		0xffffffff8100264cull	/* alloc_pages_noprof+0x4c/0xa00 */
#define F_FPP		0xffffffff8100313aull	/* free_pages_prepare+0x13a/0x300 */
#define F_FFP		0xffffffff81003310ull	/* __free_frozen_pages+0x10/0xd00 */
#define F_CF		0xffffffff81004073ull	/* compaction_free+0x73/0x140 */
#define F_MPB		0xffffffff8100415bull	/* migrate_pages_batch.isra.0+0x1b/0x200 */
#define F_MP		0xffffffff81004360ull	/* migrate_pages+0x20/0x100 */
#define F_MTNF		0xffffffff81004448ull	/* move_to_new_folio.constprop.0+0x8/0xc0 */
#define F_PUD		0xffffffff810045c0ull	/* __pud_alloc+0xc0/0x100 */
#define F__HMF		0xffffffff810046e4ull	/* __handle_mm_fault+0xe4/0x800 */
#define F_HMF		0xffffffff81004e10ull	/* handle_mm_fault+0x10/0x200 */
#define F_STP		0xffffffff81005210ull	/* shrink_thing.part.0+0x10/0x100 */
#define F_STC		0xffffffff81005304ull	/* shrink_thing.cold+0x4/0x100 */
#define F_BELOW		0xffffffff80001234ull	/* below _stext: no symbol */
#define F_PAST		0xffffffffc0002010ull	/* inside the last symbol: no size, no symbol */

static struct pcr_kallsyms *parse_ok(const char *text, size_t len)
{
	struct pcr_kallsyms *table = NULL;
	int ret = pcr_kallsyms_parse(&table, text, len);

	cr_assert_eq(ret, 0, "pcr_kallsyms_parse returned %d", ret);
	cr_assert_not_null(table);
	return table;
}

static struct pcr_kallsyms *table_of_text(void)
{
	return parse_ok(kallsyms_text, strlen(kallsyms_text));
}

/* Resolves @addr in @table and checks name, start and size. */
#define EXPECT_RESOLVE(table, addr, name_, start_, size_)			\
	do {									\
		struct pcr_symbol s_ = { 0 };					\
		int r_ = pcr_kallsyms_resolve(table, addr, &s_);		\
										\
		cr_expect_eq(r_, 0, "resolve 0x%" PRIx64 " returned %d", (uint64_t)(addr), r_); \
		if (!r_) {							\
			EXPECT_STR(s_.name, name_);				\
			EXPECT_U64(s_.start, start_);				\
			EXPECT_U64(s_.size, size_);				\
		}								\
	} while (0)

#define EXPECT_NO_SYMBOL(table, addr)						\
	do {									\
		struct pcr_symbol s_ = { 0 };					\
										\
		EXPECT_I64(pcr_kallsyms_resolve(table, addr, &s_), -PCR_ERR_INVAL); \
	} while (0)

/* ---- pcr_kallsyms_parse and pcr_kallsyms_resolve ---- */

/*
 * Names, starts and sizes from the table above:
 *   compaction_free+0x73: start ffffffff81004000, size 0x140 (data symbol inside ignored)
 *   its last byte ffffffff8100413f is still compaction_free; ffffffff81004140 is the next one
 *   migrate_pages_batch.isra.0 (the full name: suffixes are kept here), size 0x200
 *   _stext at its own address: offset 0, size 0x1000
 *   weak 'W' weak_text: size 0x100
 *   trace_event_raw_event_mm_page_free: size 0xd00 (up to __alloc_frozen_pages_noprof)
 *   ffffffff82000010, in the data after _etext: _etext, whose size runs to the next text symbol
 *	(mod_alloc_page at ffffffffc0001000): 0x3effbc00
 */
Test(kallsyms, resolve_core_symbols)
{
	struct pcr_kallsyms *t = table_of_text();

	EXPECT_RESOLVE(t, F_CF, "compaction_free", 0xffffffff81004000ull, 0x140);
	EXPECT_RESOLVE(t, 0xffffffff8100413full, "compaction_free", 0xffffffff81004000ull, 0x140);
	EXPECT_RESOLVE(t, 0xffffffff81004140ull, "migrate_pages_batch.isra.0",
		       0xffffffff81004140ull, 0x200);
	EXPECT_RESOLVE(t, F_MPB, "migrate_pages_batch.isra.0", 0xffffffff81004140ull, 0x200);
	EXPECT_RESOLVE(t, 0xffffffff81000000ull, "_stext", 0xffffffff81000000ull, 0x1000);
	EXPECT_RESOLVE(t, 0xffffffff81000fffull, "_stext", 0xffffffff81000000ull, 0x1000);
	EXPECT_RESOLVE(t, 0xffffffff81005180ull, "weak_text", 0xffffffff81005100ull, 0x100);
	EXPECT_RESOLVE(t, F_TERE_FREE, "trace_event_raw_event_mm_page_free",
		       0xffffffff81001300ull, 0xd00);
	EXPECT_RESOLVE(t, F_AFP, "__alloc_frozen_pages_noprof", 0xffffffff81002000ull, 0x400);
	EXPECT_RESOLVE(t, 0xffffffff82000010ull, "_etext", 0xffffffff81005400ull, 0x3effbc00);
	pcr_kallsyms_free(t);
}

/*
 * Module symbols: the name stops before "\t[mymod]".
 *   ffffffffc0001004 -> mod_alloc_page, start ffffffffc0001000, size 0x80
 *   ffffffffc0001fff -> mod_free_page, start ffffffffc0001080, size 0xf80 (the 'd' mod_data
 *   after the last text symbol is no text symbol)
 */
Test(kallsyms, resolve_module_symbols)
{
	struct pcr_kallsyms *t = table_of_text();

	EXPECT_RESOLVE(t, 0xffffffffc0001004ull, "mod_alloc_page", 0xffffffffc0001000ull, 0x80);
	EXPECT_RESOLVE(t, 0xffffffffc0001fffull, "mod_free_page", 0xffffffffc0001080ull, 0xf80);
	pcr_kallsyms_free(t);
}

/*
 * Two names at ffffffff81005000, written dup_b then dup_a: pagecheck.h documents that the first
 * in the text wins, as in the kernel's own lookup: dup_b, start ffffffff81005000, size 0x100 (to
 * the next address, not 0 to the alias). With the two lines the other way round: dup_a.
 */
Test(kallsyms, duplicate_address)
{
	static const char swapped[] =
		"ffffffff81005000 t dup_a\n"
		"ffffffff81005000 t dup_b\n"
		"ffffffff81005100 T next\n";
	struct pcr_kallsyms *t = table_of_text();

	EXPECT_RESOLVE(t, 0xffffffff81005000ull, "dup_b", 0xffffffff81005000ull, 0x100);
	EXPECT_RESOLVE(t, 0xffffffff810050ffull, "dup_b", 0xffffffff81005000ull, 0x100);
	pcr_kallsyms_free(t);

	t = parse_ok(swapped, strlen(swapped));
	EXPECT_RESOLVE(t, 0xffffffff81005010ull, "dup_a", 0xffffffff81005000ull, 0x100);
	pcr_kallsyms_free(t);
}

/*
 * No symbol: below the first text symbol (ffffffff80ffffff, F_BELOW, 0 - the 0-address data
 * line adds nothing), at or after the last one (mod_exit at ffffffffc0002000 has no next symbol,
 * so no size): ffffffffc0002000, ffffffffc0002010, ffffffffc0003000 (mod_data), UINT64_MAX.
 */
Test(kallsyms, resolve_outside_is_inval)
{
	struct pcr_kallsyms *t = table_of_text();

	EXPECT_NO_SYMBOL(t, 0xffffffff80ffffffull);
	EXPECT_NO_SYMBOL(t, F_BELOW);
	EXPECT_NO_SYMBOL(t, 0);
	EXPECT_NO_SYMBOL(t, 0xffffffffc0002000ull);
	EXPECT_NO_SYMBOL(t, F_PAST);
	EXPECT_NO_SYMBOL(t, 0xffffffffc0003000ull);
	EXPECT_NO_SYMBOL(t, UINT64_MAX);
	pcr_kallsyms_free(t);
}

/*
 * Only the first @len bytes are the text: of "a", "b", "c" (0x100 apart), with len up to the end
 * of b's line, b is the last symbol (no size); with the whole text b has size 0x100. The last
 * line needs no newline: "a\nb" (no "\n" at the end) still has b, so a has a size.
 */
Test(kallsyms, parse_honours_len)
{
	static const char text[] =
		"ffffffff81000000 T a\n"
		"ffffffff81000100 T b\n"
		"ffffffff81000200 T c\n";
	static const char no_newline[] =
		"ffffffff81000000 T a\n"
		"ffffffff81000100 T b";
	size_t two_lines = strlen("ffffffff81000000 T a\nffffffff81000100 T b\n");
	struct pcr_kallsyms *t;

	t = parse_ok(text, two_lines);
	EXPECT_RESOLVE(t, 0xffffffff81000010ull, "a", 0xffffffff81000000ull, 0x100);
	EXPECT_NO_SYMBOL(t, 0xffffffff81000110ull);
	pcr_kallsyms_free(t);

	t = parse_ok(text, strlen(text));
	EXPECT_RESOLVE(t, 0xffffffff81000110ull, "b", 0xffffffff81000100ull, 0x100);
	pcr_kallsyms_free(t);

	t = parse_ok(no_newline, strlen(no_newline));
	EXPECT_RESOLVE(t, 0xffffffff81000010ull, "a", 0xffffffff81000000ull, 0x100);
	pcr_kallsyms_free(t);
}

/*
 * The text need not end with a NUL: the header gives it as (text, len). A copy cut short in
 * the middle of an address ("...\nffffffff810002", no NUL after it) is put right before a page
 * the process cannot read; parsing must not read past @len (a and b are found, the cut line is
 * no symbol: a has size 0x100, b is the last).
 */
Test(kallsyms, parse_does_not_read_past_len)
{
	static const char cut[] =
		"ffffffff81000000 T a\n"
		"ffffffff81000100 T b\n"
		"ffffffff810002";
	long page = sysconf(_SC_PAGESIZE);
	size_t len = strlen(cut);
	struct pcr_kallsyms *t;
	char *map, *text;

	cr_assert_gt(page, 0);
	map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		   0);
	cr_assert_neq(map, MAP_FAILED);
	cr_assert_eq(mprotect(map + page, (size_t)page, PROT_NONE), 0);
	text = map + page - len;
	memcpy(text, cut, len);	/* no NUL: the next byte is the unreadable page */

	t = parse_ok(text, len);
	EXPECT_RESOLVE(t, 0xffffffff81000010ull, "a", 0xffffffff81000000ull, 0x100);
	EXPECT_NO_SYMBOL(t, 0xffffffff81000110ull);
	pcr_kallsyms_free(t);
	munmap(map, (size_t)page * 2);
}

/*
 * -PCR_ERR_FORMAT: a kptr_restrict'ed file (every address 0, text and data alike), a text with
 * no kallsyms line, an empty text. *out is NULL each time.
 */
Test(kallsyms, unusable_text_is_format)
{
	static const char restricted[] =
		"0000000000000000 T _stext\n"
		"0000000000000000 t compaction_free\n"
		"0000000000000000 D init_task\n"
		"0000000000000000 t mod_alloc_page\t[mymod]\n";
	static const char prose[] = "hello world\nthis is no kallsyms\n";
	struct pcr_kallsyms *t = (struct pcr_kallsyms *)&t;

	EXPECT_I64(pcr_kallsyms_parse(&t, restricted, strlen(restricted)), -PCR_ERR_FORMAT);
	cr_expect_null(t);
	t = (struct pcr_kallsyms *)&t;
	EXPECT_I64(pcr_kallsyms_parse(&t, prose, strlen(prose)), -PCR_ERR_FORMAT);
	cr_expect_null(t);
	t = (struct pcr_kallsyms *)&t;
	EXPECT_I64(pcr_kallsyms_parse(&t, "", 0), -PCR_ERR_FORMAT);
	cr_expect_null(t);
}

/*
 * pcr_kallsyms_address: kernel symbols by name, from the table above: _stext ffffffff81000000,
 * _etext ffffffff81005400; no _text and no _edata there; a module's symbol is not the kernel's.
 * With a "D _edata" line, _edata is its address although it is no text symbol.
 */
Test(kallsyms, address_by_name)
{
	static const char edata[] = "ffffffff81000000 T _text\nffffffff83000000 D _edata\n"
				    "ffffffffc0000000 t _text\t[mymod]\n";
	struct pcr_kallsyms *t = table_of_text();
	uint64_t addr = 0;

	EXPECT_I64(pcr_kallsyms_address(t, "_stext", &addr), 0);
	EXPECT_U64(addr, 0xffffffff81000000ull);
	EXPECT_I64(pcr_kallsyms_address(t, "_etext", &addr), 0);
	EXPECT_U64(addr, 0xffffffff81005400ull);
	EXPECT_I64(pcr_kallsyms_address(t, "_text", &addr), -PCR_ERR_INVAL);
	EXPECT_I64(pcr_kallsyms_address(t, "_edata", &addr), -PCR_ERR_INVAL);
	EXPECT_I64(pcr_kallsyms_address(t, "mod_alloc_page", &addr), -PCR_ERR_INVAL);
	pcr_kallsyms_free(t);
	t = parse_ok(edata, strlen(edata));
	EXPECT_I64(pcr_kallsyms_address(t, "_edata", &addr), 0);
	EXPECT_U64(addr, 0xffffffff83000000ull);
	EXPECT_I64(pcr_kallsyms_address(t, "_text", &addr), 0);
	EXPECT_U64(addr, 0xffffffff81000000ull);
	pcr_kallsyms_free(t);
}

/*
 * pcr_kallsyms_frames over a depot of two stacks, text [_stext, _etext) = [ffffffff81000000,
 * ffffffff81005400):
 *   { F_AFP, F_APM, mod_alloc_page+4 }: all fit (the last in a module's symbol)
 *   { F_CF, ffffffff82000010 (past _etext, in no module), F_PAST (after mod_exit: no symbol),
 *     F_BELOW }: three outside, the first ffffffff82000010
 * 7 frames, 3 outside. The same text with "\t[mymod]" removed names no module: then a frame
 * any symbol holds fits: mod_alloc_page+4, and ffffffff82000010 (in _etext's span up to
 * mod_alloc_page); F_PAST and F_BELOW do not: 2 outside, the first F_PAST.
 */
Test(kallsyms, frames_outside_the_text)
{
	static const uint64_t a[] = { F_AFP, F_APM, 0xffffffffc0001004ull };
	static const uint64_t b[] = { F_CF, 0xffffffff82000010ull, F_PAST, F_BELOW };
	struct pcr_kallsyms *t = table_of_text(), *nomod;
	struct pcr_kallsyms_frames f;
	struct pcr_depot *depot;
	char *plain, *mod;
	uint32_t id;

	cr_assert_eq(pcr_depot_new(&depot), 0);
	cr_assert_eq(pcr_depot_add(depot, a, NR(a), &id), 0);
	cr_assert_eq(pcr_depot_add(depot, b, NR(b), &id), 0);
	pcr_kallsyms_frames(t, depot, 0xffffffff81000000ull, 0xffffffff81005400ull, &f);
	EXPECT_U64(f.frames, 7);
	EXPECT_U64(f.outside, 3);
	EXPECT_U64(f.first_outside, 0xffffffff82000010ull);
	pcr_kallsyms_frames(t, NULL, 0xffffffff81000000ull, 0xffffffff81005400ull, &f);
	EXPECT_U64(f.frames, 0);
	EXPECT_U64(f.outside, 0);
	plain = strdup(kallsyms_text);
	cr_assert_not_null(plain);
	while ((mod = strstr(plain, "\t[mymod]")))
		memmove(mod, mod + 8, strlen(mod + 8) + 1);
	nomod = parse_ok(plain, strlen(plain));
	pcr_kallsyms_frames(nomod, depot, 0xffffffff81000000ull, 0xffffffff81005400ull, &f);
	EXPECT_U64(f.frames, 7);
	EXPECT_U64(f.outside, 2);
	EXPECT_U64(f.first_outside, F_PAST);
	free(plain);
	pcr_kallsyms_free(nomod);
	pcr_kallsyms_free(t);
	pcr_depot_free(depot);
}

/*
 * pcr_kallsyms_relocate by 0x1e000000, as another KASLR boot of the same build: _stext
 * ffffffff9f000000, compaction_free+0x73 at ffffffff9f004073 with its size 0x140; the old
 * address ffffffff81004073 is now below every symbol; module symbols are gone (mod_alloc_page+4
 * has none, and _etext's span now runs to the end); _edata moves too. Backwards by the same
 * amount (2^64 - 0x1e000000) restores the kernel's symbols.
 */
Test(kallsyms, relocate_kernel_symbols)
{
	static const char edata[] = "ffffffff81000000 T _stext\nffffffff81001000 T f\n"
				    "ffffffff81002000 T _etext\nffffffff83000000 D _edata\n";
	struct pcr_kallsyms *t = table_of_text();
	uint64_t addr = 0;

	pcr_kallsyms_relocate(t, 0x1e000000);
	EXPECT_I64(pcr_kallsyms_address(t, "_stext", &addr), 0);
	EXPECT_U64(addr, 0xffffffff9f000000ull);
	EXPECT_RESOLVE(t, F_CF + 0x1e000000, "compaction_free", 0xffffffff9f004000ull, 0x140);
	EXPECT_NO_SYMBOL(t, F_CF);
	EXPECT_NO_SYMBOL(t, 0xffffffffc0001004ull);
	pcr_kallsyms_relocate(t, (uint64_t)-0x1e000000);
	EXPECT_RESOLVE(t, F_CF, "compaction_free", 0xffffffff81004000ull, 0x140);
	pcr_kallsyms_free(t);
	t = parse_ok(edata, strlen(edata));
	pcr_kallsyms_relocate(t, 0x200000);
	EXPECT_I64(pcr_kallsyms_address(t, "_edata", &addr), 0);
	EXPECT_U64(addr, 0xffffffff83200000ull);
	EXPECT_RESOLVE(t, 0xffffffff81201010ull, "f", 0xffffffff81201000ull, 0x1000);
	pcr_kallsyms_free(t);
}

/*
 * /sys/kernel/notes of this project's test VM (6.18.44-fc-v1294, xxd): a GNU build id note
 * (namesz 4, descsz 20, type 3, "GNU\0", the id), then Linux notes (namesz 6 padded to 8).
 * Cut notes and notes without a build id are told apart.
 */
Test(notes, build_id)
{
	static const unsigned char notes[] = {
		0x04, 0, 0, 0, 0x14, 0, 0, 0, 0x03, 0, 0, 0, 'G', 'N', 'U', 0,
		0xa3, 0x21, 0xe6, 0x51, 0x99, 0x6f, 0x84, 0x43, 0xdd, 0xb7, 0x2a, 0x98,
		0x6f, 0xf5, 0xa0, 0xbc, 0xb1, 0x46, 0xc4, 0xc5,
		0x06, 0, 0, 0, 0x04, 0, 0, 0, 0x01, 0x01, 0, 0, 'L', 'i', 'n', 'u', 'x', 0, 0, 0,
		0, 0, 0, 0,
	};
	char id[41];

	EXPECT_I64(pcr_notes_build_id(notes, sizeof(notes), id, sizeof(id)), 0);
	EXPECT_STR(id, "a321e651996f8443ddb72a986ff5a0bcb146c4c5");
	/* The Linux note alone: no build id. */
	EXPECT_I64(pcr_notes_build_id(notes + 36, sizeof(notes) - 36, id, sizeof(id)),
		   -PCR_ERR_INVAL);
	/* Cut inside the id. */
	EXPECT_I64(pcr_notes_build_id(notes, 30, id, sizeof(id)), -PCR_ERR_FORMAT);
	/* No room for 40 hex digits and the NUL. */
	EXPECT_I64(pcr_notes_build_id(notes, sizeof(notes), id, 40), -PCR_ERR_FORMAT);
}

Test(kallsyms, free_null)
{
	pcr_kallsyms_free(NULL);
}

/* ---- pcr_format_frame ---- */

/*
 * With the table: compaction_free+0x73 of 0x140 -> "compaction_free+0x73/0x140"; a symbol's own
 * address -> "+0x0"; the name keeps its suffix as %pS does: "migrate_pages_batch.isra.0+0x1b/0x200".
 * Unresolved (below the first symbol, inside the last) -> the address in hex.
 * Return: the length, as snprintf.
 */
Test(format_frame, with_symbols)
{
	struct pcr_kallsyms *t = table_of_text();
	struct pcr_symbolizer sym = { pcr_kallsyms_resolve, t };
	char buf[128];

	EXPECT_I64(pcr_format_frame(buf, sizeof(buf), F_CF, &sym),
		   (int64_t)strlen("compaction_free+0x73/0x140"));
	EXPECT_STR(buf, "compaction_free+0x73/0x140");
	pcr_format_frame(buf, sizeof(buf), 0xffffffff81004000ull, &sym);
	EXPECT_STR(buf, "compaction_free+0x0/0x140");
	pcr_format_frame(buf, sizeof(buf), F_MPB, &sym);
	EXPECT_STR(buf, "migrate_pages_batch.isra.0+0x1b/0x200");
	pcr_format_frame(buf, sizeof(buf), F_BELOW, &sym);
	EXPECT_STR(buf, "0xffffffff80001234");
	pcr_format_frame(buf, sizeof(buf), F_PAST, &sym);
	EXPECT_STR(buf, "0xffffffffc0002010");
	pcr_kallsyms_free(t);
}

/*
 * No symbolizer (NULL, or one without a resolve function): "0xffffffff815cd1b3", 18 characters.
 * A 9-byte buffer gets the first 8 characters, "0xffffff", and the return value is still 18,
 * as snprintf.
 */
Test(format_frame, without_symbols)
{
	struct pcr_symbolizer none = { NULL, NULL };
	char buf[64];

	EXPECT_I64(pcr_format_frame(buf, sizeof(buf), 0xffffffff815cd1b3ull, NULL), 18);
	EXPECT_STR(buf, "0xffffffff815cd1b3");
	EXPECT_I64(pcr_format_frame(buf, sizeof(buf), 0xffffffff815cd1b3ull, &none), 18);
	EXPECT_STR(buf, "0xffffffff815cd1b3");
	EXPECT_I64(pcr_format_frame(buf, 9, 0xffffffff815cd1b3ull, NULL), 18);
	EXPECT_STR(buf, "0xffffff");
}

/*
 * pcr_format_frame promises the kernel's %pS. For a module symbol the kernel's
 * __sprint_symbol() appends " [module]": ffffffffc0001004 in mymod's mod_alloc_page
 * (size 0x80) prints "mod_alloc_page+0x4/0x80 [mymod]".
 */
Test(format_frame, module_symbol_as_pS)
{
	struct pcr_kallsyms *t = table_of_text();
	struct pcr_symbolizer sym = { pcr_kallsyms_resolve, t };
	char buf[128];

	pcr_format_frame(buf, sizeof(buf), 0xffffffffc0001004ull, &sym);
	EXPECT_STR(buf, "mod_alloc_page+0x4/0x80 [mymod]");
	pcr_kallsyms_free(t);
}

/*
 * KASLR moves the core kernel: the same kallsyms with every ffffffff81xxxxxx address moved by
 * 0x2000000 (to ffffffff83xxxxxx) and the frames moved alike print the same text.
 */
static char *kaslr_text(void)
{
	char *text = strdup(kallsyms_text), *p;

	cr_assert_not_null(text);
	for (p = text; (p = strstr(p, "ffffffff81")); p += 10)
		p[9] = '3';
	return text;
}

#define KASLR 0x2000000ull

/* ---- pcr_frame_is_glue ---- */

/*
 * Glue: the frames of the tracing machinery that recorded the stack, by prefix.
 * Not glue: the allocator, callers, "" and names that only contain a glue word.
 */
Test(frame_is_glue, names)
{
	cr_expect(pcr_frame_is_glue("trace_event_raw_event_mm_page_alloc"));
	cr_expect(pcr_frame_is_glue("trace_event_raw_event_mm_page_free"));
	cr_expect(pcr_frame_is_glue("__traceiter_mm_page_alloc"));
	cr_expect(pcr_frame_is_glue("__traceiter_mm_page_free"));
	cr_expect(pcr_frame_is_glue("perf_trace_mm_page"));
	cr_expect(pcr_frame_is_glue("perf_trace_mm_page_alloc"));
	cr_expect(pcr_frame_is_glue("__bpf_trace_mm_page_alloc"));
	cr_expect(pcr_frame_is_glue("trace_call_bpf"));
	cr_expect(pcr_frame_is_glue("__ftrace_trace_stack"));
	cr_expect(pcr_frame_is_glue("__trace_stack"));
	cr_expect(pcr_frame_is_glue("trace_buffer_unlock_commit_regs"));
	cr_expect(pcr_frame_is_glue("perf_tp_event"));
	cr_expect(pcr_frame_is_glue("perf_callchain"));

	cr_expect_not(pcr_frame_is_glue("free_pages_prepare"));
	cr_expect_not(pcr_frame_is_glue("__alloc_frozen_pages_noprof"));
	cr_expect_not(pcr_frame_is_glue("compaction_free"));
	cr_expect_not(pcr_frame_is_glue("migrate_pages_batch.isra.0"));
	cr_expect_not(pcr_frame_is_glue("do_trace_event_raw_event_x"));
	cr_expect_not(pcr_frame_is_glue("trace_event"));
	cr_expect_not(pcr_frame_is_glue(""));
}

/* ---- pcr_stack_signature ---- */

#define EXPECT_SIGNATURE(frames, sym, expected)					\
	do {									\
		char b_[256];							\
		int r_ = pcr_stack_signature(b_, sizeof(b_), frames, NR(frames), sym);	\
										\
		EXPECT_STR(b_, expected);					\
		EXPECT_I64(r_, (int64_t)strlen(expected));			\
	} while (0)

/*
 * The README's page free: glue (trace_event_raw_event_mm_page_free), then allocator frames
 * free_pages_prepare and __free_frozen_pages, then compaction_free, migrate_pages_batch.isra.0,
 * migrate_pages, handle_mm_fault. Skip glue and allocator; keep 3; drop ".isra.0":
 * "compaction_free<migrate_pages_batch<migrate_pages".
 */
Test(signature, free_stack)
{
	static const uint64_t frames[] = { F_TERE_FREE, F_FPP, F_FFP, F_CF, F_MPB, F_MP, F_HMF };
	struct pcr_kallsyms *t = table_of_text();
	struct pcr_symbolizer sym = { pcr_kallsyms_resolve, t };

	EXPECT_SIGNATURE(frames, &sym, "compaction_free<migrate_pages_batch<migrate_pages");
	pcr_kallsyms_free(t);
}

/*
 * The README's page alloc: two glue frames, then __alloc_frozen_pages_noprof (allocator once
 * "_noprof" is stripped), alloc_pages_mpol, alloc_pages_noprof (alloc_pages), then __pud_alloc,
 * __handle_mm_fault, handle_mm_fault: "__pud_alloc<__handle_mm_fault<handle_mm_fault".
 */
Test(signature, alloc_stack)
{
	static const uint64_t frames[] = { F_TERE_ALLOC, F_TI_ALLOC, F_AFP, F_APM, F_APN, F_PUD,
					   F__HMF, F_HMF };
	struct pcr_kallsyms *t = table_of_text();
	struct pcr_symbolizer sym = { pcr_kallsyms_resolve, t };

	EXPECT_SIGNATURE(frames, &sym, "__pud_alloc<__handle_mm_fault<handle_mm_fault");
	pcr_kallsyms_free(t);
}

/*
 * Only the leading allocator frames are skipped: after compaction_free, __free_frozen_pages is
 * the caller's business and stays: glue, free_pages_prepare, compaction_free,
 * __free_frozen_pages, migrate_pages -> "compaction_free<__free_frozen_pages<migrate_pages".
 * Likewise alloc_pages_mpol after __pud_alloc: "__pud_alloc<alloc_pages_mpol<handle_mm_fault".
 */
Test(signature, allocator_frames_after_a_caller_are_kept)
{
	static const uint64_t frees[] = { F_TERE_FREE, F_FPP, F_CF, F_FFP, F_MP };
	static const uint64_t allocs[] = { F_TERE_ALLOC, F_TI_ALLOC, F_AFP, F_PUD, F_APM, F_HMF };
	struct pcr_kallsyms *t = table_of_text();
	struct pcr_symbolizer sym = { pcr_kallsyms_resolve, t };

	EXPECT_SIGNATURE(frees, &sym, "compaction_free<__free_frozen_pages<migrate_pages");
	EXPECT_SIGNATURE(allocs, &sym, "__pud_alloc<alloc_pages_mpol<handle_mm_fault");
	pcr_kallsyms_free(t);
}

/*
 * Compiler suffixes are dropped: move_to_new_folio.constprop.0, shrink_thing.part.0,
 * shrink_thing.cold -> "move_to_new_folio<shrink_thing<shrink_thing".
 */
Test(signature, compiler_suffixes_dropped)
{
	static const uint64_t frames[] = { F_TERE_FREE, F_FPP, F_MTNF, F_STP, F_STC, F_HMF };
	struct pcr_kallsyms *t = table_of_text();
	struct pcr_symbolizer sym = { pcr_kallsyms_resolve, t };

	EXPECT_SIGNATURE(frames, &sym, "move_to_new_folio<shrink_thing<shrink_thing");
	pcr_kallsyms_free(t);
}

/*
 * Fewer than PCR_SIGNATURE_FRAMES callers: all of them. glue, free_pages_prepare,
 * compaction_free, migrate_pages_batch.isra.0 -> "compaction_free<migrate_pages_batch"; only
 * compaction_free -> "compaction_free". More than 3: exactly 3 (see free_stack).
 */
Test(signature, fewer_frames_than_kept)
{
	static const uint64_t two[] = { F_TERE_FREE, F_FPP, F_CF, F_MPB };
	static const uint64_t one[] = { F_TERE_FREE, F_FPP, F_CF };
	static const uint64_t five[] = { F_CF, F_MPB, F_MP, F_HMF, F_PUD };
	struct pcr_kallsyms *t = table_of_text();
	struct pcr_symbolizer sym = { pcr_kallsyms_resolve, t };

	cr_assert_eq(PCR_SIGNATURE_FRAMES, 3, "the expected texts keep 3 frames");
	EXPECT_SIGNATURE(two, &sym, "compaction_free<migrate_pages_batch");
	EXPECT_SIGNATURE(one, &sym, "compaction_free");
	EXPECT_SIGNATURE(five, &sym, "compaction_free<migrate_pages_batch<migrate_pages");
	pcr_kallsyms_free(t);
}

/*
 * A frame without a symbol is its address in hex: glue, free_pages_prepare, F_BELOW,
 * compaction_free, migrate_pages_batch -> "0xffffffff80001234<compaction_free<migrate_pages_batch";
 * a frame inside the last symbol (no size) likewise: "compaction_free<0xffffffffc0002010<migrate_pages".
 */
Test(signature, unresolved_frames_in_hex)
{
	static const uint64_t below[] = { F_TERE_FREE, F_FPP, F_BELOW, F_CF, F_MPB };
	static const uint64_t past[] = { F_TERE_FREE, F_FPP, F_CF, F_PAST, F_MP };
	struct pcr_kallsyms *t = table_of_text();
	struct pcr_symbolizer sym = { pcr_kallsyms_resolve, t };

	EXPECT_SIGNATURE(below, &sym, "0xffffffff80001234<compaction_free<migrate_pages_batch");
	EXPECT_SIGNATURE(past, &sym, "compaction_free<0xffffffffc0002010<migrate_pages");
	pcr_kallsyms_free(t);
}

/*
 * Without symbols nothing is known to be glue or allocator: the first 3 frames in hex.
 * { F_TERE_FREE, F_FPP, F_CF, F_MPB } ->
 * "0xffffffff81001346<0xffffffff8100313a<0xffffffff81004073", with a NULL symbolizer and with
 * one that has no resolve function.
 */
Test(signature, without_symbols_hex)
{
	static const uint64_t frames[] = { F_TERE_FREE, F_FPP, F_CF, F_MPB };
	struct pcr_symbolizer none = { NULL, NULL };

	EXPECT_SIGNATURE(frames, NULL,
			 "0xffffffff81001346<0xffffffff8100313a<0xffffffff81004073");
	EXPECT_SIGNATURE(frames, &none,
			 "0xffffffff81001346<0xffffffff8100313a<0xffffffff81004073");
}

/*
 * An empty stack is "-"; glue and allocator frames only (the README's alloc cut after
 * alloc_pages_noprof) are "(allocator)".
 */
Test(signature, empty_and_allocator_only)
{
	static const uint64_t alloc_only[] = { F_TERE_ALLOC, F_TI_ALLOC, F_AFP, F_APM, F_APN };
	static const uint64_t free_only[] = { F_TERE_FREE, F_TI_FREE, F_FPP, F_FFP };
	struct pcr_kallsyms *t = table_of_text();
	struct pcr_symbolizer sym = { pcr_kallsyms_resolve, t };
	char buf[64];

	EXPECT_I64(pcr_stack_signature(buf, sizeof(buf), alloc_only, 0, &sym), 1);
	EXPECT_STR(buf, "-");
	EXPECT_SIGNATURE(alloc_only, &sym, "(allocator)");
	EXPECT_SIGNATURE(free_only, &sym, "(allocator)");
	pcr_kallsyms_free(t);
}

/*
 * Cut like snprintf: "compaction_free<migrate_pages_batch<migrate_pages" is 49 characters.
 * A 20-byte buffer holds "compaction_free<mig" (19 + NUL), a 12-byte one "compaction_";
 * both return 49.
 */
Test(signature, truncation_as_snprintf)
{
	static const uint64_t frames[] = { F_TERE_FREE, F_FPP, F_FFP, F_CF, F_MPB, F_MP, F_HMF };
	struct pcr_kallsyms *t = table_of_text();
	struct pcr_symbolizer sym = { pcr_kallsyms_resolve, t };
	char buf[20];

	EXPECT_I64(pcr_stack_signature(buf, 20, frames, NR(frames), &sym), 49);
	EXPECT_STR(buf, "compaction_free<mig");
	EXPECT_I64(pcr_stack_signature(buf, 12, frames, NR(frames), &sym), 49);
	EXPECT_STR(buf, "compaction_");
	pcr_kallsyms_free(t);
}

/*
 * The same stacks on a KASLR-moved kernel (see kaslr_text()) have the same signatures, and
 * their frames print the same.
 */
Test(signature, same_across_kaslr)
{
	static const uint64_t frees[] = { F_TERE_FREE, F_FPP, F_FFP, F_CF, F_MPB, F_MP, F_HMF };
	static const uint64_t allocs[] = { F_TERE_ALLOC, F_TI_ALLOC, F_AFP, F_APM, F_APN, F_PUD,
					   F__HMF, F_HMF };
	uint64_t moved_frees[NR(frees)], moved_allocs[NR(allocs)];
	char *text = kaslr_text();
	struct pcr_kallsyms *t = parse_ok(text, strlen(text));
	struct pcr_symbolizer sym = { pcr_kallsyms_resolve, t };
	char buf[128];
	unsigned int i;

	for (i = 0; i < NR(frees); i++)
		moved_frees[i] = frees[i] + KASLR;
	for (i = 0; i < NR(allocs); i++)
		moved_allocs[i] = allocs[i] + KASLR;
	EXPECT_SIGNATURE(moved_frees, &sym, "compaction_free<migrate_pages_batch<migrate_pages");
	EXPECT_SIGNATURE(moved_allocs, &sym, "__pud_alloc<__handle_mm_fault<handle_mm_fault");
	pcr_format_frame(buf, sizeof(buf), F_CF + KASLR, &sym);
	EXPECT_STR(buf, "compaction_free+0x73/0x140");
	pcr_kallsyms_free(t);
	free(text);
}

/* ---- The signature table ---- */

#define EXPECT_ROW(rows, i, kind_, count_, sig_)				\
	do {									\
		EXPECT_I64((rows)[i].kind, kind_);				\
		EXPECT_U64((rows)[i].count, count_);				\
		EXPECT_STR((rows)[i].signature, sig_);				\
	} while (0)

static struct pcr_sigtable *new_sigtable(void)
{
	struct pcr_sigtable *table = NULL;

	cr_assert_eq(pcr_sigtable_new(&table), 0);
	cr_assert_not_null(table);
	return table;
}

static void sig_add(struct pcr_sigtable *table, int kind, const char *sig, unsigned int times)
{
	while (times--)
		cr_assert_eq(pcr_sigtable_add(table, kind, sig), 0, "adding %s failed", sig);
}

/* An empty table has no rows. */
Test(sigtable, empty)
{
	struct pcr_sigtable *table = new_sigtable();
	size_t nr = 99;

	pcr_sigtable_rows(table, &nr);
	EXPECT_U64(nr, 0);
	pcr_sigtable_free(table);
	pcr_sigtable_free(NULL);
}

/*
 * pcr_sigtable_count() finds a row whichever order the table was last read in: FREE "b" x3,
 * ALLOC "b" x1, then the rows read (report order), then FREE "a" x2.
 */
Test(sigtable, count_of_a_row)
{
	struct pcr_sigtable *table = new_sigtable();
	size_t nr;

	sig_add(table, PCR_VIOL_DOUBLE_FREE, "b", 3);
	sig_add(table, PCR_VIOL_DOUBLE_ALLOC, "b", 1);
	EXPECT_U64(pcr_sigtable_count(table, PCR_VIOL_DOUBLE_FREE, "b"), 3);
	pcr_sigtable_rows(table, &nr);
	sig_add(table, PCR_VIOL_DOUBLE_FREE, "a", 2);
	EXPECT_U64(pcr_sigtable_count(table, PCR_VIOL_DOUBLE_FREE, "a"), 2);
	EXPECT_U64(pcr_sigtable_count(table, PCR_VIOL_DOUBLE_ALLOC, "b"), 1);
	EXPECT_U64(pcr_sigtable_count(table, PCR_VIOL_DOUBLE_ALLOC, "a"), 0);
	EXPECT_U64(pcr_sigtable_count(table, PCR_VIOL_INVARIANT, "b"), 0);
	pcr_sigtable_free(table);
}

/*
 * Added, in this order: FREE "b" x1, ALLOC "z" x2, ALLOC "a" x2, ALLOC "m" x3, FREE "a" x1,
 * INVARIANT "-" x1 (interleaved one at a time). Rows by kind (ALLOC 0, FREE 1, INVARIANT 2),
 * count desc, signature:
 *   ALLOC m 3, ALLOC a 2, ALLOC z 2, FREE a 1, FREE b 1, INVARIANT - 1.
 * Then add FREE "b" x2, ALLOC "new" x1, ALLOC "a" x2 after reading the rows:
 *   ALLOC a 4, ALLOC m 3, ALLOC z 2, ALLOC new 1, FREE b 3, FREE a 1, INVARIANT - 1.
 */
Test(sigtable, counts_and_report_order)
{
	struct pcr_sigtable *table = new_sigtable();
	const struct pcr_sigcount *rows;
	size_t nr = 0;

	sig_add(table, PCR_VIOL_DOUBLE_FREE, "b", 1);
	sig_add(table, PCR_VIOL_DOUBLE_ALLOC, "z", 1);
	sig_add(table, PCR_VIOL_DOUBLE_ALLOC, "a", 1);
	sig_add(table, PCR_VIOL_DOUBLE_ALLOC, "m", 1);
	sig_add(table, PCR_VIOL_INVARIANT, "-", 1);
	sig_add(table, PCR_VIOL_DOUBLE_ALLOC, "z", 1);
	sig_add(table, PCR_VIOL_DOUBLE_ALLOC, "m", 1);
	sig_add(table, PCR_VIOL_DOUBLE_FREE, "a", 1);
	sig_add(table, PCR_VIOL_DOUBLE_ALLOC, "a", 1);
	sig_add(table, PCR_VIOL_DOUBLE_ALLOC, "m", 1);

	rows = pcr_sigtable_rows(table, &nr);
	cr_assert_eq(nr, 6, "%zu rows", nr);
	EXPECT_ROW(rows, 0, PCR_VIOL_DOUBLE_ALLOC, 3, "m");
	EXPECT_ROW(rows, 1, PCR_VIOL_DOUBLE_ALLOC, 2, "a");
	EXPECT_ROW(rows, 2, PCR_VIOL_DOUBLE_ALLOC, 2, "z");
	EXPECT_ROW(rows, 3, PCR_VIOL_DOUBLE_FREE, 1, "a");
	EXPECT_ROW(rows, 4, PCR_VIOL_DOUBLE_FREE, 1, "b");
	EXPECT_ROW(rows, 5, PCR_VIOL_INVARIANT, 1, "-");

	sig_add(table, PCR_VIOL_DOUBLE_FREE, "b", 2);
	sig_add(table, PCR_VIOL_DOUBLE_ALLOC, "new", 1);
	sig_add(table, PCR_VIOL_DOUBLE_ALLOC, "a", 2);
	rows = pcr_sigtable_rows(table, &nr);
	cr_assert_eq(nr, 7, "%zu rows", nr);
	EXPECT_ROW(rows, 0, PCR_VIOL_DOUBLE_ALLOC, 4, "a");
	EXPECT_ROW(rows, 1, PCR_VIOL_DOUBLE_ALLOC, 3, "m");
	EXPECT_ROW(rows, 2, PCR_VIOL_DOUBLE_ALLOC, 2, "z");
	EXPECT_ROW(rows, 3, PCR_VIOL_DOUBLE_ALLOC, 1, "new");
	EXPECT_ROW(rows, 4, PCR_VIOL_DOUBLE_FREE, 3, "b");
	EXPECT_ROW(rows, 5, PCR_VIOL_DOUBLE_FREE, 1, "a");
	EXPECT_ROW(rows, 6, PCR_VIOL_INVARIANT, 1, "-");

	/* Reading twice in a row changes nothing. */
	rows = pcr_sigtable_rows(table, &nr);
	cr_assert_eq(nr, 7);
	EXPECT_ROW(rows, 0, PCR_VIOL_DOUBLE_ALLOC, 4, "a");
	EXPECT_ROW(rows, 6, PCR_VIOL_INVARIANT, 1, "-");
	pcr_sigtable_free(table);
}

/*
 * The same signature under two kinds is two rows; the table keeps its own copy of the text (the
 * caller's buffer is reused, as on_violation's is).
 */
Test(sigtable, kind_is_part_of_the_key_and_text_is_copied)
{
	struct pcr_sigtable *table = new_sigtable();
	const struct pcr_sigcount *rows;
	char sig[64];
	size_t nr = 0;

	snprintf(sig, sizeof(sig), "compaction_free<migrate_pages_batch<migrate_pages");
	sig_add(table, PCR_VIOL_DOUBLE_FREE, sig, 2);
	sig_add(table, PCR_VIOL_INVARIANT, sig, 1);
	snprintf(sig, sizeof(sig), "overwritten");
	rows = pcr_sigtable_rows(table, &nr);
	cr_assert_eq(nr, 2, "%zu rows", nr);
	EXPECT_ROW(rows, 0, PCR_VIOL_DOUBLE_FREE, 2,
		   "compaction_free<migrate_pages_batch<migrate_pages");
	EXPECT_ROW(rows, 1, PCR_VIOL_INVARIANT, 1,
		   "compaction_free<migrate_pages_batch<migrate_pages");
	pcr_sigtable_free(table);
}

/*
 * Many rows (past the first allocation of 64): signatures "s000".."s199" under DOUBLE_ALLOC,
 * "s<i>" added (i % 7) + 1 times, in a scrambled order (i * 37 mod 200). Rows: 200, all
 * DOUBLE_ALLOC; counts go down from 7 to 1; equal counts in signature order. The first row:
 * the smallest i with i % 7 == 6 is 6: "s006" 7 times; the last: the largest i with i % 7 == 0
 * is 196: "s196" once.
 */
Test(sigtable, many_rows)
{
	struct pcr_sigtable *table = new_sigtable();
	const struct pcr_sigcount *rows;
	char sig[8];
	size_t nr = 0, r;
	unsigned int k;

	for (k = 0; k < 200; k++) {
		unsigned int i = (k * 37) % 200;

		snprintf(sig, sizeof(sig), "s%03u", i);
		sig_add(table, PCR_VIOL_DOUBLE_ALLOC, sig, i % 7 + 1);
	}
	rows = pcr_sigtable_rows(table, &nr);
	cr_assert_eq(nr, 200, "%zu rows", nr);
	EXPECT_ROW(rows, 0, PCR_VIOL_DOUBLE_ALLOC, 7, "s006");
	EXPECT_ROW(rows, 199, PCR_VIOL_DOUBLE_ALLOC, 1, "s196");
	for (r = 1; r < nr; r++) {
		cr_expect(rows[r - 1].count > rows[r].count ||
			  (rows[r - 1].count == rows[r].count &&
			   strcmp(rows[r - 1].signature, rows[r].signature) < 0),
			  "rows %zu and %zu out of order", r - 1, r);
		EXPECT_U64(rows[r].count, (uint64_t)(atoi(rows[r].signature + 1) % 7 + 1));
	}
	pcr_sigtable_free(table);
}

/* ---- pcr_report_stack and pcr_report_violation with stacks ---- */

static char *capture_stack(int indent, uint32_t id, const struct pcr_report_info *info)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	cr_assert_not_null(out);
	cr_assert_eq(pcr_report_stack(out, indent, id, info), 0);
	cr_assert_eq(fclose(out), 0);
	return text;
}

static char *capture_violation(const struct pcr_violation *v, const struct pcr_report_info *info)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	cr_assert_not_null(out);
	cr_assert_eq(pcr_report_violation(out, v, info), 0);
	cr_assert_eq(fclose(out), 0);
	return text;
}

static struct pcr_depot *new_depot(void)
{
	struct pcr_depot *depot = NULL;

	cr_assert_eq(pcr_depot_new(&depot), 0);
	return depot;
}

static uint32_t store(struct pcr_depot *depot, const uint64_t *frames, unsigned int nr)
{
	uint32_t id = 0;

	cr_assert_eq(pcr_depot_add(depot, frames, nr, &id), 0);
	cr_assert_neq(id, 0);
	return id;
}

/*
 * Stack { glue trace_event_raw_event_mm_page_free, glue __traceiter_mm_page_free,
 * free_pages_prepare+0x13a, compaction_free+0x73, migrate_pages_batch.isra.0+0x1b, F_BELOW }
 * with indent 4: the two glue frames are skipped, each other frame is "%pS" on its own line,
 * the unresolved one in hex. Without a symbolizer nothing can be told to be glue: all six in
 * hex. Stack id 0 prints "(no stack recorded)" at the indent.
 */
Test(report_stack, frames_skip_glue)
{
	static const uint64_t frames[] = { F_TERE_FREE, F_TI_FREE, F_FPP, F_CF, F_MPB, F_BELOW };
	struct pcr_kallsyms *t = table_of_text();
	struct pcr_symbolizer sym = { pcr_kallsyms_resolve, t };
	struct pcr_depot *depot = new_depot();
	uint32_t id = store(depot, frames, NR(frames));
	struct pcr_report_info info = { .depot = depot, .sym = &sym };
	char *text;

	text = capture_stack(4, id, &info);
	EXPECT_STR(text,
		   "    free_pages_prepare+0x13a/0x300\n"
		   "    compaction_free+0x73/0x140\n"
		   "    migrate_pages_batch.isra.0+0x1b/0x200\n"
		   "    0xffffffff80001234\n");
	free(text);

	info.sym = NULL;
	text = capture_stack(2, id, &info);
	EXPECT_STR(text,
		   "  0xffffffff81001346\n"
		   "  0xffffffff81001110\n"
		   "  0xffffffff8100313a\n"
		   "  0xffffffff81004073\n"
		   "  0xffffffff8100415b\n"
		   "  0xffffffff80001234\n");
	free(text);

	info.sym = &sym;
	text = capture_stack(4, 0, &info);
	EXPECT_STR(text, "    (no stack recorded)\n");
	free(text);
	text = capture_stack(0, 0, &info);
	EXPECT_STR(text, "(no stack recorded)\n");
	free(text);
	pcr_depot_free(depot);
	pcr_kallsyms_free(t);
}

static const char *test_comm(void *ctx, int pid)
{
	(void)ctx;
	return pid == 100 ? "kworker/2:1" : pid == 555 ? "cc1" : NULL;
}

/*
 * A DOUBLE-FREE with stacks: the free of 0x174705 by wl.sh-14442 on cpu 1 at 935.350945275,
 * whose stack is the README's (glue, free_pages_prepare, compaction_free,
 * migrate_pages_batch.isra.0). The page was last freed at 935.000000000 on cpu 2 by pid 100
 * (kworker/2:1 by the comm function) with stack { glue, free_pages_prepare+0x13a,
 * shrink_thing.part.0+0x10 }, and last allocated at 934.500000000 on cpu 3 by pid 200 (no comm:
 * "<...>") with stack { glue, glue, __alloc_frozen_pages_noprof+0x26b, __pud_alloc+0xc0 }.
 * For a double free the conflicting earlier free comes first, then the allocation; stacks at
 * indent 4 without glue.
 */
Test(report_violation, double_free_with_stacks)
{
	static const uint64_t this_free[] = { F_TERE_FREE, F_FPP, F_CF, F_MPB };
	static const uint64_t prev_free[] = { F_TERE_FREE, F_FPP, F_STP };
	static const uint64_t prev_alloc[] = { F_TERE_ALLOC, F_TI_ALLOC, F_AFP, F_PUD };
	struct pcr_kallsyms *t = table_of_text();
	struct pcr_symbolizer sym = { pcr_kallsyms_resolve, t };
	struct pcr_depot *depot = new_depot();
	struct pcr_event ev = {
		.ts_ns = 935350945275ull,
		.pfn = 0x174705,
		.comm = "wl.sh",
		.pid = 14442,
		.migratetype = -1,
		.cpu = 1,
		.kind = PCR_EV_FREE,
		.order = 0,
	};
	struct pcr_violation v = {
		.event = &ev,
		.first_pfn = 0x174705,
		.prev_ts_ns = 935000000000ull,
		.pages = 1,
		.kind = PCR_VIOL_DOUBLE_FREE,
		.prev_kind = PCR_EV_FREE,
		.last_free = { .ts_ns = 935000000000ull, .pid = 100, .cpu = 2, .valid = true },
		.last_alloc = { .ts_ns = 934500000000ull, .pid = 200, .cpu = 3, .valid = true },
	};
	struct pcr_report_info info = {
		.depot = depot, .sym = &sym, .comm = test_comm, .comm_ctx = NULL,
	};
	char *text;

	ev.stack_id = store(depot, this_free, NR(this_free));
	v.last_free.stack_id = store(depot, prev_free, NR(prev_free));
	v.last_alloc.stack_id = store(depot, prev_alloc, NR(prev_alloc));
	text = capture_violation(&v, &info);
	EXPECT_STR(text,
		   "DOUBLE-FREE at 935.350945275 cpu 1 task wl.sh-14442\n"
		   "  event: mm_page_free pfn=0x174705 order=0\n"
		   "  affected: 1 of 1 pages, first pfn=0x174705\n"
		   "  previous: mm_page_free of pfn 0x174705 at 935.000000000\n"
		   "  stack of this free:\n"
		   "    free_pages_prepare+0x13a/0x300\n"
		   "    compaction_free+0x73/0x140\n"
		   "    migrate_pages_batch.isra.0+0x1b/0x200\n"
		   "  last freed at 935.000000000 on cpu 2 by task kworker/2:1-100:\n"
		   "    free_pages_prepare+0x13a/0x300\n"
		   "    shrink_thing.part.0+0x10/0x100\n"
		   "  last allocated at 934.500000000 on cpu 3 by task <...>-200:\n"
		   "    __alloc_frozen_pages_noprof+0x26b/0x400\n"
		   "    __pud_alloc+0xc0/0x100\n");
	free(text);
	pcr_depot_free(depot);
	pcr_kallsyms_free(t);
}

/*
 * A DOUBLE-ALLOC with a depot: "stack of this alloc:", here with no stack (id 0); the earlier
 * allocation comes first ("last allocated" at 1.500000000 on cpu 4 by cc1-555, stack { glue,
 * glue, __alloc_frozen_pages_noprof+0x26b, alloc_pages_mpol+0x116, __pud_alloc+0xc0 }); the
 * page has no free in the recording (last_free not valid): no "last freed" section. No gfp
 * table: gfp_flags=0xcc0.
 */
Test(report_violation, double_alloc_with_stacks)
{
	static const uint64_t prev_alloc[] = { F_TERE_ALLOC, F_TI_ALLOC, F_AFP, F_APM, F_PUD };
	struct pcr_kallsyms *t = table_of_text();
	struct pcr_symbolizer sym = { pcr_kallsyms_resolve, t };
	struct pcr_depot *depot = new_depot();
	struct pcr_event ev = {
		.ts_ns = 2000000000ull,
		.pfn = 0x300,
		.gfp = 0xcc0,
		.comm = "cc1",
		.pid = 555,
		.migratetype = 0,
		.cpu = 4,
		.kind = PCR_EV_ALLOC,
		.order = 0,
		.stack_id = 0,
	};
	struct pcr_violation v = {
		.event = &ev,
		.first_pfn = 0x300,
		.prev_ts_ns = 1500000000ull,
		.pages = 1,
		.kind = PCR_VIOL_DOUBLE_ALLOC,
		.prev_kind = PCR_EV_ALLOC,
		.last_alloc = { .ts_ns = 1500000000ull, .pid = 555, .cpu = 4, .valid = true },
	};
	struct pcr_report_info info = { .depot = depot, .sym = &sym, .comm = test_comm };
	char *text;

	v.last_alloc.stack_id = store(depot, prev_alloc, NR(prev_alloc));
	text = capture_violation(&v, &info);
	EXPECT_STR(text,
		   "DOUBLE-ALLOC at 2.000000000 cpu 4 task cc1-555\n"
		   "  event: mm_page_alloc pfn=0x300 order=0 gfp_flags=0xcc0 migratetype=0\n"
		   "  affected: 1 of 1 pages, first pfn=0x300\n"
		   "  previous: mm_page_alloc of pfn 0x300 at 1.500000000\n"
		   "  stack of this alloc:\n"
		   "    (no stack recorded)\n"
		   "  last allocated at 1.500000000 on cpu 4 by task cc1-555:\n"
		   "    __alloc_frozen_pages_noprof+0x26b/0x400\n"
		   "    alloc_pages_mpol+0x116/0x200\n"
		   "    __pud_alloc+0xc0/0x100\n");
	free(text);
	pcr_depot_free(depot);
	pcr_kallsyms_free(t);
}
