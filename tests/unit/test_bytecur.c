// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the byte cursor under the trace.dat header walks (formats/bytecur.c): reads of a
 * ten-byte file and of the same bytes in memory, a cursor end before the file's, and an end
 * past it (the file then ends first, at offset 10).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bytecur.h"

static const unsigned char bytes[10] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };

/* A temporary file holding @bytes. */
static FILE *file_of_bytes(void)
{
	FILE *f = tmpfile();

	cr_assert_not_null(f);
	cr_assert_eq(fwrite(bytes, 1, sizeof(bytes), f), sizeof(bytes));
	cr_assert_eq(fflush(f), 0);
	return f;
}

/* The same reads from the file and from memory give the same bytes and stops. */
static void walk(struct pcr_bytecur *c)
{
	unsigned char buf[4] = { 0 };
	uint64_t stop = 0;

	cr_assert_eq(pcr_bytecur_read(c, buf, 4, &stop), 0);
	cr_expect_eq(buf[0], 0);
	cr_expect_eq(buf[3], 3);
	cr_expect_eq(c->pos, 4);
	cr_assert_eq(pcr_bytecur_skip(c, 4), 0);
	cr_expect_eq(c->pos, 8);
	/* 8 + 4 runs past the end at 10: nothing read, the cursor stays */
	cr_expect_eq(pcr_bytecur_read(c, buf, 4, &stop), PCR_BYTECUR_PAST_END);
	cr_expect_eq(pcr_bytecur_skip(c, 3), PCR_BYTECUR_PAST_END);
	cr_expect_eq(c->pos, 8);
	cr_assert_eq(pcr_bytecur_read(c, buf, 2, &stop), 0);
	cr_expect_eq(buf[0], 8);
	cr_expect_eq(buf[1], 9);
	cr_expect_eq(c->pos, 10);
	cr_expect_eq(pcr_bytecur_read(c, buf, 0, &stop), 0);
}

Test(bytecur, file_and_memory)
{
	FILE *file = file_of_bytes();
	struct pcr_bytecur f = { .fd = fileno(file), .end = sizeof(bytes) };
	struct pcr_bytecur m = { .fd = -1, .mem = bytes, .end = sizeof(bytes) };

	walk(&f);
	walk(&m);
	fclose(file);
}

Test(bytecur, file_ends_before_the_cursor)
{
	FILE *file = file_of_bytes();
	struct pcr_bytecur c = { .fd = fileno(file), .pos = 6, .end = 100 };
	unsigned char buf[8];
	uint64_t stop = 0;

	/* bytes 6..13 asked, the file ends at 10 */
	cr_expect_eq(pcr_bytecur_read(&c, buf, 8, &stop), PCR_BYTECUR_EOF);
	cr_expect_eq(stop, 10);
	cr_expect_eq(c.pos, 6);
	cr_expect_eq(pcr_bytecur_pread(c.fd, buf, 4, 8, &stop), PCR_BYTECUR_EOF);
	cr_expect_eq(stop, 10);
	cr_expect_eq(pcr_bytecur_pread(-1, buf, 4, 0, &stop), PCR_BYTECUR_IO);
	cr_expect_eq(stop, 0);
	fclose(file);
}
