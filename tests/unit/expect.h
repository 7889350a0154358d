/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Expectations shared by the unit tests: they print both values on failure.
 */
#ifndef PCR_TEST_EXPECT_H
#define PCR_TEST_EXPECT_H

#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

/* Compare two unsigned values (counters, pfns, addresses). */
#define EXPECT_U64(actual, expected)						\
	cr_expect_eq((uint64_t)(actual), (uint64_t)(expected),			\
		     "%s: got %" PRIu64 " (0x%" PRIx64 "), expected %" PRIu64	\
		     " (0x%" PRIx64 ")", #actual, (uint64_t)(actual),		\
		     (uint64_t)(actual), (uint64_t)(expected), (uint64_t)(expected))

/* The same for a signed value (pages_tracked, return codes). */
#define EXPECT_I64(actual, expected)						\
	cr_expect_eq((int64_t)(actual), (int64_t)(expected),			\
		     "%s: got %" PRId64 ", expected %" PRId64, #actual,		\
		     (int64_t)(actual), (int64_t)(expected))

#endif /* PCR_TEST_EXPECT_H */
