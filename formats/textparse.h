/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Number and blank parsing shared by the text reader (its line grammar textline.c, and text.c)
 * and the console grammar (console.c). Every function reads a NUL-terminated line and never
 * reads past its NUL.
 */
#ifndef PCR_TEXTPARSE_H
#define PCR_TEXTPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * pcr_text_digit - whether c is a decimal digit
 * @c: the character
 *
 * Return: true for '0' to '9'.
 */
bool pcr_text_digit(char c);

/**
 * pcr_text_blanks - skip spaces and tabs
 * @p: where to start
 *
 * Return: the first character that is neither.
 */
const char *pcr_text_blanks(const char *p);

/**
 * pcr_text_hex - read hex digits (at most 16)
 * @p: where they start (no "0x")
 * @v: receives the value
 *
 * Return: the end, or NULL when there are none or more than 16.
 */
const char *pcr_text_hex(const char *p, uint64_t *v);

/**
 * pcr_text_dec - read a decimal number that fits 64 bits
 * @p: where it starts
 * @v: receives the value
 *
 * Return: the end, or NULL when there is none or it overflows.
 */
const char *pcr_text_dec(const char *p, uint64_t *v);

/**
 * pcr_text_number - read a whole token as trace-cmd, perf and the kernel print numbers
 * @p: the token
 * @len: its length
 * @v: receives the value
 *
 * Return: true when the token is 0x-prefixed hex or decimal and nothing else.
 */
bool pcr_text_number(const char *p, size_t len, uint64_t *v);

/**
 * pcr_text_ts - read a timestamp "SECONDS.FRACTION", or a bare count taken as nanoseconds
 * @p: where it starts
 * @ns: receives it in nanoseconds (digits beyond the ninth decimal are dropped)
 *
 * Return: the end, or NULL when there is none or it overflows.
 */
const char *pcr_text_ts(const char *p, uint64_t *ns);

#endif
