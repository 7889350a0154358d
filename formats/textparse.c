// SPDX-License-Identifier: GPL-2.0
/*
 * Number and blank parsing for the text reader's line grammar and the console grammar
 * (textline.c, text.c, console.c); every function stops at the NUL that ends the line.
 */
#include "textparse.h"

bool pcr_text_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

const char *pcr_text_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

const char *pcr_text_hex(const char *p, uint64_t *v)
{
	const char *s = p;

	*v = 0;
	while (hex_value(*p) >= 0) {
		if (p - s == 16)
			return NULL;
		*v = *v << 4 | (uint64_t)hex_value(*p);
		p++;
	}
	return p == s ? NULL : p;
}

const char *pcr_text_dec(const char *p, uint64_t *v)
{
	const char *s = p;

	*v = 0;
	while (pcr_text_digit(*p)) {
		uint64_t d = (uint64_t)(*p - '0');

		if (*v > (UINT64_MAX - d) / 10)
			return NULL;
		*v = *v * 10 + d;
		p++;
	}
	return p == s ? NULL : p;
}

/* A number as trace-cmd, perf and the kernel print it: 0x-prefixed hex, or decimal. */
bool pcr_text_number(const char *p, size_t len, uint64_t *v)
{
	const char *end;

	if (len > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		end = pcr_text_hex(p + 2, v);
	else
		end = pcr_text_dec(p, v);
	return end && end == p + len;
}

const char *pcr_text_ts(const char *p, uint64_t *ns)
{
	uint64_t sec, frac = 0;
	const char *q = pcr_text_dec(p, &sec);
	int digits = 0;

	if (!q)
		return NULL;
	if (*q != '.') {
		*ns = sec;
		return q;
	}
	q++;
	if (!pcr_text_digit(*q))
		return NULL;
	for (; pcr_text_digit(*q); q++)
		if (digits < 9) {
			frac = frac * 10 + (uint64_t)(*q - '0');
			digits++;
		}
	for (; digits < 9; digits++)
		frac *= 10;
	if (sec > (UINT64_MAX - frac) / 1000000000u)
		return NULL;
	*ns = sec * 1000000000u + frac;
	return q;
}
