// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the option value parsers (cmd/parse.c): --running-from and --pfn-range.
 */
#include <inttypes.h>
#include <stdint.h>

#include <criterion/criterion.h>

#include "cmd.h"

/* pcr_parse_seconds() must accept @text and give @expected nanoseconds. */
#define EXPECT_SECONDS(text, expected)						\
	do {									\
		uint64_t ns_ = 0;						\
										\
		cr_expect_eq(pcr_parse_seconds(text, &ns_), 0, "\"%s\" rejected", text);	\
		cr_expect_eq(ns_, (uint64_t)(expected),				\
			     "\"%s\": got %" PRIu64 " ns, expected %" PRIu64, text, ns_,	\
			     (uint64_t)(expected));				\
	} while (0)

#define EXPECT_SECONDS_REJECTED(text)						\
	do {									\
		uint64_t ns_ = 0;						\
										\
		cr_expect_eq(pcr_parse_seconds(text, &ns_), -1, "\"%s\" accepted", text);	\
	} while (0)

/* pcr_parse_pfn_range() must accept @text as [@emin, @emax). */
#define EXPECT_RANGE(text, emin, emax)						\
	do {									\
		uint64_t min_ = 0, max_ = 0;					\
										\
		cr_expect_eq(pcr_parse_pfn_range(text, &min_, &max_), 0,	\
			     "\"%s\" rejected", text);				\
		cr_expect_eq(min_, (uint64_t)(emin),				\
			     "\"%s\": min %" PRIu64 ", expected %" PRIu64, text, min_,	\
			     (uint64_t)(emin));					\
		cr_expect_eq(max_, (uint64_t)(emax),				\
			     "\"%s\": max %" PRIu64 ", expected %" PRIu64, text, max_,	\
			     (uint64_t)(emax));					\
	} while (0)

#define EXPECT_RANGE_REJECTED(text)						\
	do {									\
		uint64_t min_ = 0, max_ = 0;					\
										\
		cr_expect_eq(pcr_parse_pfn_range(text, &min_, &max_), -1,	\
			     "\"%s\" accepted", text);				\
	} while (0)

/* ---- pcr_parse_seconds ---- */

/* "1" -> 1e9 ns; "0.5" -> 5e8; "935.350945275" -> 935350945275 (exact, no floating point). */
Test(parse_seconds, accepts)
{
	EXPECT_SECONDS("1", 1000000000ull);
	EXPECT_SECONDS("0", 0);
	EXPECT_SECONDS("0.5", 500000000ull);
	EXPECT_SECONDS("935.350945275", 935350945275ull);
	EXPECT_SECONDS("2.96", 2960000000ull);
	EXPECT_SECONDS("0.000000001", 1);
	EXPECT_SECONDS("1.000000000", 1000000000ull);
	EXPECT_SECONDS("007.25", 7250000000ull);
}

/* Not a non-negative decimal with at most 9 decimals. */
Test(parse_seconds, rejects)
{
	EXPECT_SECONDS_REJECTED("");
	EXPECT_SECONDS_REJECTED("-1");
	EXPECT_SECONDS_REJECTED("+1");
	EXPECT_SECONDS_REJECTED("1.");
	EXPECT_SECONDS_REJECTED(".5");
	EXPECT_SECONDS_REJECTED("1.1234567890");
	EXPECT_SECONDS_REJECTED("abc");
	EXPECT_SECONDS_REJECTED("1e3");
	EXPECT_SECONDS_REJECTED(" 1");
	EXPECT_SECONDS_REJECTED("1 ");
	EXPECT_SECONDS_REJECTED("1.5s");
	EXPECT_SECONDS_REJECTED("1..5");
	EXPECT_SECONDS_REJECTED("0x10");
}

/*
 * A value past 2^64 - 1 ns must be rejected, never wrapped: 18446744073.709551616 s is 2^64 ns,
 * 18446744074 s and 100000000000 s are more.
 */
Test(parse_seconds, rejects_overflow)
{
	EXPECT_SECONDS_REJECTED("18446744073.709551616");
	EXPECT_SECONDS_REJECTED("18446744074");
	EXPECT_SECONDS_REJECTED("100000000000");
	EXPECT_SECONDS_REJECTED("99999999999999999999999");
}

/* The largest value that fits: 2^64 - 1 ns = 18446744073.709551615 s, and 18446744070 s. */
Test(parse_seconds, accepts_the_largest_value)
{
	EXPECT_SECONDS("18446744070", 18446744070000000000ull);
	EXPECT_SECONDS("18446744073.709551615", UINT64_MAX);
}

/* ---- pcr_parse_pfn_range ---- */

/* "MIN-MAX", each decimal or 0x-hexadecimal, MAX exclusive. */
Test(parse_pfn_range, accepts)
{
	EXPECT_RANGE("0x100-0x200", 0x100, 0x200);
	EXPECT_RANGE("10-20", 10, 20);
	EXPECT_RANGE("0-1", 0, 1);
	EXPECT_RANGE("0x10-100", 16, 100);
	EXPECT_RANGE("0-0xffffffffffffffff", 0, UINT64_MAX);
}

/* MIN >= MAX, a missing or signed bound, junk, a value past 64 bits. */
Test(parse_pfn_range, rejects)
{
	EXPECT_RANGE_REJECTED("20-10");
	EXPECT_RANGE_REJECTED("10-10");
	EXPECT_RANGE_REJECTED("10");
	EXPECT_RANGE_REJECTED("-5-6");
	EXPECT_RANGE_REJECTED("0x-1");
	EXPECT_RANGE_REJECTED("");
	EXPECT_RANGE_REJECTED("-");
	EXPECT_RANGE_REJECTED("10-");
	EXPECT_RANGE_REJECTED("-10");
	EXPECT_RANGE_REJECTED("10--20");
	EXPECT_RANGE_REJECTED("10-+20");
	EXPECT_RANGE_REJECTED(" 10-20");
	EXPECT_RANGE_REJECTED("10- 20");
	EXPECT_RANGE_REJECTED("10-20 ");
	EXPECT_RANGE_REJECTED("10-2x");
	EXPECT_RANGE_REJECTED("10-0x");
	EXPECT_RANGE_REJECTED("a-b");
	EXPECT_RANGE_REJECTED("10-20-30");
	EXPECT_RANGE_REJECTED("0-18446744073709551616");
	EXPECT_RANGE_REJECTED("0-0x10000000000000000");
}

/*
 * "decimal or 0x-hexadecimal": a decimal with a leading zero is still decimal (10 and 20, not
 * octal 8 and 16), and "08-09" is the valid decimal range 8-9.
 */
Test(parse_pfn_range, leading_zero_is_decimal)
{
	EXPECT_RANGE("010-020", 10, 20);
	EXPECT_RANGE("08-09", 8, 9);
}
