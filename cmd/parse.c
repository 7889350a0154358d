// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers for option values.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

int pcr_parse_seconds(const char *text, uint64_t *ns)
{
	uint64_t secs = 0, frac = 0;
	const char *p = text;
	int digits = 0;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (secs > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		secs = secs * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++) {
			if (++digits > 9)
				return -1;
			frac = frac * 10 + (uint64_t)(*p - '0');
		}
		if (!digits)
			return -1;
	}
	if (*p)
		return -1;
	for (; digits < 9; digits++)
		frac *= 10;
	if (secs > (UINT64_MAX - frac) / 1000000000u)
		return -1;
	*ns = secs * 1000000000u + frac;
	return 0;
}

static int parse_u64(const char *text, const char *end, uint64_t *val)
{
	size_t len = (size_t)(end - text);
	const char *digits = text;
	char buf[32];
	char *stop;
	int base = 10;

	/* Decimal, or hexadecimal after 0x: a leading zero does not mean octal here. */
	if (len > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		digits += 2;
		len -= 2;
		base = 16;
	}
	if (!len || len >= sizeof(buf) || !isxdigit((unsigned char)*digits))
		return -1;
	memcpy(buf, digits, len);
	buf[len] = '\0';
	errno = 0;
	*val = strtoull(buf, &stop, base);
	return errno || *stop ? -1 : 0;
}

int pcr_parse_pfn_range(const char *text, uint64_t *min, uint64_t *max)
{
	const char *dash = strchr(text, '-');

	if (!dash || parse_u64(text, dash, min) ||
	    parse_u64(dash + 1, dash + 1 + strlen(dash + 1), max) || *min >= *max)
		return -1;
	return 0;
}

int pcr_parse_pfn(const char *text, uint64_t *pfn)
{
	return parse_u64(text, text + strlen(text), pfn);
}

