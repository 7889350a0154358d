// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the names, the formatting helpers and the text report (lib/report.c).
 *
 * Expected texts are written by hand from the kernel's show_gfp_flags() / __print_flags(), from
 * trace-cmd's timestamp format and from the RFC's debugfs "stats" file.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "expect.h"

#include "pagecheck.h"

#define EXPECT_STR(actual, expected)						\
	cr_expect_str_eq(actual, expected, "%s: got \"%s\", expected \"%s\"", #actual,	\
			 actual, expected)

/*
 * A flag table in the kernel's print order: the composites first (GFP_KERNEL = __GFP_RECLAIM |
 * __GFP_IO | __GFP_FS = 0x400 | 0x800 | 0x40 | 0x80), then the single bits.
 */
static const struct pcr_flag_name gfp_table[] = {
	{ 0xcc0, "GFP_KERNEL" },
	{ 0x400, "__GFP_DIRECT_RECLAIM" },
	{ 0x800, "__GFP_KSWAPD_RECLAIM" },
	{ 0x40, "__GFP_IO" },
	{ 0x80, "__GFP_FS" },
	{ 0x100, "__GFP_ZERO" },
};

#define NR_GFP (sizeof(gfp_table) / sizeof(gfp_table[0]))

/* Run a printer on a memory stream and return what it wrote (to free()). */
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

static char *capture_summary(const struct pcr_stats *st, const struct pcr_report_info *info)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	cr_assert_not_null(out);
	cr_assert_eq(pcr_report_summary(out, st, info), 0);
	cr_assert_eq(fclose(out), 0);
	return text;
}

/* Copy line @n (0-based, without its newline) of @text into @buf; false when there is none. */
static bool text_line(const char *text, unsigned int n, char *buf, size_t size)
{
	const char *end;
	size_t len;

	while (n--) {
		text = strchr(text, '\n');
		if (!text)
			return false;
		text++;
	}
	if (!*text)
		return false;
	end = strchr(text, '\n');
	len = end ? (size_t)(end - text) : strlen(text);
	if (len >= size)
		len = size - 1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	return true;
}

/* Copy the last line of @text (which ends with a newline) into @buf. */
static void last_line(const char *text, char *buf, size_t size)
{
	size_t len = strlen(text);
	const char *start;

	cr_assert(len > 0 && text[len - 1] == '\n', "output does not end with a newline");
	start = text + len - 1;
	while (start > text && start[-1] != '\n')
		start--;
	len = (size_t)(text + strlen(text) - 1 - start);
	if (len >= size)
		len = size - 1;
	memcpy(buf, start, len);
	buf[len] = '\0';
}

/* ---- pcr_format_gfp ---- */

/* 0xcc0 is exactly GFP_KERNEL: the composite matches and clears all its bits. "GFP_KERNEL", 10 */
Test(format_gfp, composite)
{
	char buf[128];

	EXPECT_I64(pcr_format_gfp(buf, sizeof(buf), 0xcc0, gfp_table, NR_GFP), 10);
	EXPECT_STR(buf, "GFP_KERNEL");
}

/*
 * 0xdc0 = GFP_KERNEL | __GFP_ZERO: "GFP_KERNEL|__GFP_ZERO", 21 (the composite's bits do not
 * print again as __GFP_DIRECT_RECLAIM etc.).
 */
Test(format_gfp, composite_then_single_bit)
{
	char buf[128];

	EXPECT_I64(pcr_format_gfp(buf, sizeof(buf), 0xdc0, gfp_table, NR_GFP), 21);
	EXPECT_STR(buf, "GFP_KERNEL|__GFP_ZERO");
}

/*
 * 0x440 = __GFP_DIRECT_RECLAIM | __GFP_IO: GFP_KERNEL is not whole, so the single bits print in
 * table order: "__GFP_DIRECT_RECLAIM|__GFP_IO", 29.
 */
Test(format_gfp, partial_composite_prints_single_bits)
{
	char buf[128];

	EXPECT_I64(pcr_format_gfp(buf, sizeof(buf), 0x440, gfp_table, NR_GFP), 29);
	EXPECT_STR(buf, "__GFP_DIRECT_RECLAIM|__GFP_IO");
}

/*
 * Bits no entry names print in hex after "|": 0x1000cc0 -> "GFP_KERNEL|0x1000000", 20;
 * only unknown bits -> "0x3000" with no leading "|".
 */
Test(format_gfp, leftover_bits_in_hex)
{
	char buf[128];

	EXPECT_I64(pcr_format_gfp(buf, sizeof(buf), 0x1000cc0, gfp_table, NR_GFP), 20);
	EXPECT_STR(buf, "GFP_KERNEL|0x1000000");
	EXPECT_I64(pcr_format_gfp(buf, sizeof(buf), 0x3000, gfp_table, NR_GFP), 6);
	EXPECT_STR(buf, "0x3000");
}

/* 0 prints "none" (4), with or without a table. */
Test(format_gfp, zero_is_none)
{
	char buf[128];

	EXPECT_I64(pcr_format_gfp(buf, sizeof(buf), 0, gfp_table, NR_GFP), 4);
	EXPECT_STR(buf, "none");
	EXPECT_I64(pcr_format_gfp(buf, sizeof(buf), 0, NULL, 0), 4);
	EXPECT_STR(buf, "none");
}

/* A NULL table prints hex only: 0xcc0 -> "0xcc0" (5); 0xffffffffffffffff -> 18 characters. */
Test(format_gfp, null_table_is_hex_only)
{
	char buf[128];

	EXPECT_I64(pcr_format_gfp(buf, sizeof(buf), 0xcc0, NULL, 0), 5);
	EXPECT_STR(buf, "0xcc0");
	EXPECT_I64(pcr_format_gfp(buf, sizeof(buf), UINT64_MAX, NULL, 0), 18);
	EXPECT_STR(buf, "0xffffffffffffffff");
}

/*
 * A buffer too small: cut, NUL-terminated, and the return is the full length (as snprintf).
 *   0xdc0 in 8 bytes  -> "GFP_KER" (7 characters), returns 21
 *   0x1000cc0 in 14   -> "GFP_KERNEL|0x" (13), returns 20
 *   0xcc0 in 1 byte   -> "", returns 10
 *   0xcc0 in 0 bytes  -> nothing written, returns 10
 *   0 in 3 bytes      -> "no", returns 4
 */
Test(format_gfp, truncation)
{
	char buf[32];

	memset(buf, 'X', sizeof(buf));
	EXPECT_I64(pcr_format_gfp(buf, 8, 0xdc0, gfp_table, NR_GFP), 21);
	EXPECT_STR(buf, "GFP_KER");
	cr_expect_eq(buf[8], 'X', "wrote past the buffer");

	memset(buf, 'X', sizeof(buf));
	EXPECT_I64(pcr_format_gfp(buf, 14, 0x1000cc0, gfp_table, NR_GFP), 20);
	EXPECT_STR(buf, "GFP_KERNEL|0x");
	cr_expect_eq(buf[14], 'X', "wrote past the buffer");

	memset(buf, 'X', sizeof(buf));
	EXPECT_I64(pcr_format_gfp(buf, 1, 0xcc0, gfp_table, NR_GFP), 10);
	EXPECT_STR(buf, "");
	cr_expect_eq(buf[1], 'X', "wrote past the buffer");

	memset(buf, 'X', sizeof(buf));
	EXPECT_I64(pcr_format_gfp(buf, 0, 0xcc0, gfp_table, NR_GFP), 10);
	cr_expect_eq(buf[0], 'X', "wrote into a zero-sized buffer");

	memset(buf, 'X', sizeof(buf));
	EXPECT_I64(pcr_format_gfp(buf, 3, 0, gfp_table, NR_GFP), 4);
	EXPECT_STR(buf, "no");
}

/* ---- pcr_format_ts ---- */

/*
 * seconds.nanoseconds with 9 digits: 0 -> "0.000000000", 935350945275 -> "935.350945275",
 * 1 -> "0.000000001", 5000000000 -> "5.000000000", UINT64_MAX -> "18446744073.709551615".
 */
Test(format_ts, values)
{
	char buf[32];

	EXPECT_I64(pcr_format_ts(buf, sizeof(buf), 0), 11);
	EXPECT_STR(buf, "0.000000000");
	EXPECT_I64(pcr_format_ts(buf, sizeof(buf), 935350945275ull), 13);
	EXPECT_STR(buf, "935.350945275");
	pcr_format_ts(buf, sizeof(buf), 1);
	EXPECT_STR(buf, "0.000000001");
	pcr_format_ts(buf, sizeof(buf), 5000000000ull);
	EXPECT_STR(buf, "5.000000000");
	EXPECT_I64(pcr_format_ts(buf, sizeof(buf), UINT64_MAX), 21);
	EXPECT_STR(buf, "18446744073.709551615");
}

/* ---- pcr_verdict ---- */

/*
 * Precedence: lost events (known count or unknown) make the verdict inconclusive, above
 * violations, unless allow_lost; then violations; then clean.
 */
Test(verdict, precedence)
{
	struct pcr_stats st = { 0 };

	EXPECT_I64(pcr_verdict(&st, false), PCR_VERDICT_CLEAN);
	EXPECT_I64(pcr_verdict(&st, true), PCR_VERDICT_CLEAN);

	st.violations_detected = 1;
	EXPECT_I64(pcr_verdict(&st, false), PCR_VERDICT_VIOLATIONS);
	EXPECT_I64(pcr_verdict(&st, true), PCR_VERDICT_VIOLATIONS);

	st.lost_events = 68;
	EXPECT_I64(pcr_verdict(&st, false), PCR_VERDICT_INCONCLUSIVE);
	EXPECT_I64(pcr_verdict(&st, true), PCR_VERDICT_VIOLATIONS);

	st.violations_detected = 0;
	EXPECT_I64(pcr_verdict(&st, false), PCR_VERDICT_INCONCLUSIVE);
	EXPECT_I64(pcr_verdict(&st, true), PCR_VERDICT_CLEAN);

	st.lost_events = 0;
	st.lost_unknown = 1;
	EXPECT_I64(pcr_verdict(&st, false), PCR_VERDICT_INCONCLUSIVE);
	EXPECT_I64(pcr_verdict(&st, true), PCR_VERDICT_CLEAN);
}

Test(verdict, names)
{
	EXPECT_STR(pcr_verdict_name(PCR_VERDICT_CLEAN), "clean");
	EXPECT_STR(pcr_verdict_name(PCR_VERDICT_VIOLATIONS), "violations");
	EXPECT_STR(pcr_verdict_name(PCR_VERDICT_INCONCLUSIVE), "inconclusive");
}

/* ---- Names ---- */

Test(names, violations_and_events)
{
	EXPECT_STR(pcr_violation_name(PCR_VIOL_DOUBLE_ALLOC), "DOUBLE-ALLOC");
	EXPECT_STR(pcr_violation_name(PCR_VIOL_DOUBLE_FREE), "DOUBLE-FREE");
	EXPECT_STR(pcr_violation_name(PCR_VIOL_INVARIANT), "INVARIANT");
	EXPECT_STR(pcr_violation_name(PCR_VIOL_NR), "?");
	EXPECT_STR(pcr_violation_name(-1), "?");
	EXPECT_STR(pcr_violation_key(PCR_VIOL_DOUBLE_ALLOC), "double_alloc");
	EXPECT_STR(pcr_violation_key(PCR_VIOL_DOUBLE_FREE), "double_free");
	EXPECT_STR(pcr_violation_key(PCR_VIOL_INVARIANT), "invariant");
	EXPECT_STR(pcr_violation_key(PCR_VIOL_NR), "unknown");
	EXPECT_STR(pcr_violation_key(-1), "unknown");
	EXPECT_STR(pcr_event_name(PCR_EV_NONE), "none");
	EXPECT_STR(pcr_event_name(PCR_EV_ALLOC), "mm_page_alloc");
	EXPECT_STR(pcr_event_name(PCR_EV_FREE), "mm_page_free");
	EXPECT_STR(pcr_event_name(PCR_EV_FREE_BATCHED), "mm_page_free_batched");
	EXPECT_STR(pcr_event_name(PCR_EV_ZONE_LOCKED), "mm_page_alloc_zone_locked");
	EXPECT_STR(pcr_event_name(PCR_EV_PCPU_DRAIN), "mm_page_pcpu_drain");
	EXPECT_STR(pcr_event_name(PCR_EV_OTHER), "other");
}

/* ---- pcr_strerror ---- */

/* Every code, positive and negative, has the string of the header's list. */
Test(strerror, every_code)
{
	static const char *const expected[PCR_ERR_NR] = {
		[PCR_ERR_OK] = "success",
		[PCR_ERR_NOMEM] = "out of memory",
		[PCR_ERR_INVAL] = "invalid argument",
		[PCR_ERR_IO] = "cannot read the input file",
		[PCR_ERR_FORMAT] = "not a recording this tool can read",
		[PCR_ERR_TRUNCATED] = "the recording is truncated",
		[PCR_ERR_LAYOUT] = "unknown kernel event layout",
		[PCR_ERR_NO_EVENTS] = "the recording holds no kmem page events",
		[PCR_ERR_AMBIGUOUS] = "page events in more than one buffer",
		[PCR_ERR_STOPPED] = "the replay was stopped by its caller",
	};
	int code;

	for (code = 0; code < PCR_ERR_NR; code++) {
		cr_assert_not_null(expected[code], "code %d has no expected string", code);
		EXPECT_STR(pcr_strerror(code), expected[code]);
		EXPECT_STR(pcr_strerror(-code), expected[code]);
	}
}

/* Codes out of range: "unknown error". */
Test(strerror, out_of_range)
{
	EXPECT_STR(pcr_strerror(PCR_ERR_NR), "unknown error");
	EXPECT_STR(pcr_strerror(-PCR_ERR_NR), "unknown error");
	EXPECT_STR(pcr_strerror(1000), "unknown error");
	EXPECT_STR(pcr_strerror(-1000), "unknown error");
	EXPECT_STR(pcr_strerror(INT_MAX), "unknown error");
	EXPECT_STR(pcr_strerror(-INT_MAX), "unknown error");
}

/* INT_MIN is an int out of range like any other: "unknown error", not a crash. */
Test(strerror, int_min)
{
	EXPECT_STR(pcr_strerror(INT_MIN), "unknown error");
}

/* ---- pcr_report_violation ---- */

/*
 * A DOUBLE-ALLOC of an order-2 alloc at 935.350945275 on CPU 3 by kworker/3:1-123, two of its
 * four pages affected from 0x1a2b1, whose previous event was an alloc at 935.000000001; with the
 * gfp table, gfp 0xcc0 prints as GFP_KERNEL.
 */
Test(report, violation_double_alloc)
{
	const struct pcr_event ev = {
		.ts_ns = 935350945275ull,
		.pfn = 0x1a2b0,
		.gfp = 0xcc0,
		.comm = "kworker/3:1",
		.pid = 123,
		.migratetype = 1,
		.cpu = 3,
		.kind = PCR_EV_ALLOC,
		.order = 2,
	};
	const struct pcr_violation v = {
		.event = &ev,
		.first_pfn = 0x1a2b1,
		.prev_ts_ns = 935000000001ull,
		.pages = 2,
		.kind = PCR_VIOL_DOUBLE_ALLOC,
		.prev_kind = PCR_EV_ALLOC,
	};
	const struct pcr_report_info info = { .gfp_names = gfp_table, .nr_gfp_names = NR_GFP };
	char *text = capture_violation(&v, &info);

	EXPECT_STR(text,
		   "DOUBLE-ALLOC at 935.350945275 cpu 3 task kworker/3:1-123\n"
		   "  event: mm_page_alloc pfn=0x1a2b0 order=2 gfp_flags=GFP_KERNEL migratetype=1\n"
		   "  affected: 2 of 4 pages, first pfn=0x1a2b1\n"
		   "  previous: mm_page_alloc of pfn 0x1a2b1 at 935.000000001\n");
	free(text);

	/* No report info: the gfp flags print in hex. */
	text = capture_violation(&v, NULL);
	EXPECT_STR(text,
		   "DOUBLE-ALLOC at 935.350945275 cpu 3 task kworker/3:1-123\n"
		   "  event: mm_page_alloc pfn=0x1a2b0 order=2 gfp_flags=0xcc0 migratetype=1\n"
		   "  affected: 2 of 4 pages, first pfn=0x1a2b1\n"
		   "  previous: mm_page_alloc of pfn 0x1a2b1 at 935.000000001\n");
	free(text);
}

/*
 * An INVARIANT break on an order-0 free at 1 us, task name unknown (comm NULL prints "<...>"),
 * page never seen before: the bits before the update and "previous: none".
 */
Test(report, violation_invariant_no_previous)
{
	const struct pcr_event ev = {
		.ts_ns = 1000,
		.pfn = 0x10,
		.comm = NULL,
		.pid = 7,
		.migratetype = -1,
		.cpu = 0,
		.kind = PCR_EV_FREE,
		.order = 0,
	};
	const struct pcr_violation v = {
		.event = &ev,
		.first_pfn = 0x10,
		.pages = 1,
		.kind = PCR_VIOL_INVARIANT,
		.prev_kind = PCR_EV_NONE,
		.primary = 1,
		.secondary = 1,
	};
	char *text = capture_violation(&v, NULL);

	EXPECT_STR(text,
		   "INVARIANT at 0.000001000 cpu 0 task <...>-7\n"
		   "  event: mm_page_free pfn=0x10 order=0\n"
		   "  affected: 1 of 1 pages, first pfn=0x10 had PRIMARY=1 SECONDARY=1 before the "
		   "update\n"
		   "  previous: none in the recording for pfn 0x10\n");
	free(text);
}

/* A DOUBLE-FREE of an order-1 free whose first affected page was last freed at 2.5 s. */
Test(report, violation_double_free)
{
	const struct pcr_event ev = {
		.ts_ns = 3000000000ull,
		.pfn = 0x200,
		.comm = "swapper/0",
		.pid = 0,
		.migratetype = -1,
		.cpu = 12,
		.kind = PCR_EV_FREE,
		.order = 1,
	};
	const struct pcr_violation v = {
		.event = &ev,
		.first_pfn = 0x201,
		.prev_ts_ns = 2500000000ull,
		.pages = 1,
		.kind = PCR_VIOL_DOUBLE_FREE,
		.prev_kind = PCR_EV_FREE,
	};
	char *text = capture_violation(&v, NULL);

	EXPECT_STR(text,
		   "DOUBLE-FREE at 3.000000000 cpu 12 task swapper/0-0\n"
		   "  event: mm_page_free pfn=0x200 order=1\n"
		   "  affected: 1 of 2 pages, first pfn=0x201\n"
		   "  previous: mm_page_free of pfn 0x201 at 2.500000000\n");
	free(text);
}

/* ---- pcr_report_summary ---- */

/*
 * Hand-made counters: the first six lines are the RFC's debugfs stats in its order; the last is
 * the engine's memory (0 here: no engine made these counters). The verdict is the caller's.
 */
Test(report, summary_rfc_lines_first)
{
	struct pcr_stats st = { 0 };
	static const char *const rfc_lines[] = {
		"pages_tracked: -2",
		"alloc_count: 7",
		"free_count: 9",
		"violations_detected: 3",
		"bitmap_size_bits: 4096",
		"pfn_range: [4096-8192)",
	};
	char line[256];
	char *text;
	unsigned int i;

	st.pages_tracked = -2;
	st.alloc_count = 7;
	st.free_count = 9;
	st.violations_detected = 3;
	st.bitmap_size_bits = 4096;
	st.pfn_min = 4096;
	st.pfn_max = 8192;
	st.have_range = true;
	text = capture_summary(&st, NULL);
	for (i = 0; i < sizeof(rfc_lines) / sizeof(rfc_lines[0]); i++) {
		cr_assert(text_line(text, i, line, sizeof(line)), "no line %u", i);
		EXPECT_STR(line, rfc_lines[i]);
	}
	last_line(text, line, sizeof(line));
	EXPECT_STR(line, "engine_state_bytes: 0");
	free(text);
}

/*
 * Every line is "name: value" and none is a verdict, whatever the counters say (lost events and
 * violations here): the caller weighs suppressions and --fail-on before it prints one.
 */
Test(report, summary_has_no_verdict)
{
	struct pcr_stats st = { 0 };
	char line[256];
	unsigned int i;
	char *text;

	st.violations_detected = 3;
	st.lost_unknown = 1;
	text = capture_summary(&st, NULL);
	for (i = 0; text_line(text, i, line, sizeof(line)); i++) {
		cr_expect(strstr(line, ": ") && strchr(line, ':') == strstr(line, ": "),
			  "line %u is not 'name: value': %s", i, line);
		cr_expect(strncmp(line, "verdict:", 8), "line %u is a verdict: %s", i, line);
	}
	free(text);
}

/*
 * The summary of a real replay: alloc 0x100 order 1 @10 (+2), free 0x101 order 0 @20 (-1):
 * pages_tracked 1, alloc_count 1, free_count 1, violations 0, pfn_range [256-258) (0x100 to
 * 0x101 + 1), bitmap_size_bits 2; pages 0x100 and 0x101 seen (0x101 twice): pages_seen 2.
 */
Test(report, summary_of_an_engine)
{
	struct pcr_event alloc = { .ts_ns = 10, .pfn = 0x100, .kind = PCR_EV_ALLOC, .order = 1 };
	struct pcr_event release = { .ts_ns = 20, .pfn = 0x101, .kind = PCR_EV_FREE, .order = 0 };
	static const char *const rfc_lines[] = {
		"pages_tracked: 1",
		"alloc_count: 1",
		"free_count: 1",
		"violations_detected: 0",
		"bitmap_size_bits: 2",
		"pfn_range: [256-258)",
	};
	struct pcr_engine *engine;
	struct pcr_stats st;
	char line[256];
	char *text;
	unsigned int i;

	cr_assert_eq(pcr_engine_new(&engine, NULL), 0);
	cr_assert_eq(pcr_engine_feed(engine, &alloc), 0);
	cr_assert_eq(pcr_engine_feed(engine, &release), 0);
	pcr_engine_stats(engine, &st);
	pcr_engine_free(engine);

	text = capture_summary(&st, NULL);
	for (i = 0; i < sizeof(rfc_lines) / sizeof(rfc_lines[0]); i++) {
		cr_assert(text_line(text, i, line, sizeof(line)), "no line %u", i);
		EXPECT_STR(line, rfc_lines[i]);
	}
	cr_expect_not_null(strstr(text, "\npages_seen: 2\n"), "%s", text);
	free(text);
}
