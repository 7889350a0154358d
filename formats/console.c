// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel console around trace lines: printk prefixes, the ftrace_dump_on_oops dump, the
 * crash that caused it, and gfp flag names. See console.h; the text reader (text.c) uses it.
 */
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "textparse.h"

#define CONSOLE_MAX_CPU 16383
/* How far into a line a capture tool's prefix may reach before the printk prefix. */
#define CONSOLE_MAX_CAPTURE 80

/*
 * The gfp flags as __print_flags() prints them, in its order: the table of mm_page_alloc's print
 * format in a Debian 6.1.0-56-amd64 trace.dat (testdata of the shared boot recordings), and of
 * 6.18 (testdata/t01_v6_nokallsyms.dat) for every other kernel: names map to values and print
 * back to the same names; only a 6.1 recording's values are that kernel's own bits.
 */
static const struct pcr_flag_name gfp_6_1[] = {
	{ 0x1c24ca, "GFP_TRANSHUGE" }, { 0x1c20ca, "GFP_TRANSHUGE_LIGHT" },
	{ 0x100cca, "GFP_HIGHUSER_MOVABLE" }, { 0x100cc2, "GFP_HIGHUSER" },
	{ 0x100cc0, "GFP_USER" }, { 0x400cc0, "GFP_KERNEL_ACCOUNT" }, { 0xcc0, "GFP_KERNEL" },
	{ 0xc40, "GFP_NOFS" }, { 0xa20, "GFP_ATOMIC" }, { 0xc00, "GFP_NOIO" },
	{ 0x800, "GFP_NOWAIT" }, { 0x1, "GFP_DMA" }, { 0x2, "__GFP_HIGHMEM" },
	{ 0x4, "GFP_DMA32" }, { 0x20, "__GFP_HIGH" }, { 0x200, "__GFP_ATOMIC" },
	{ 0x40, "__GFP_IO" }, { 0x80, "__GFP_FS" }, { 0x2000, "__GFP_NOWARN" },
	{ 0x4000, "__GFP_RETRY_MAYFAIL" }, { 0x8000, "__GFP_NOFAIL" },
	{ 0x10000, "__GFP_NORETRY" }, { 0x40000, "__GFP_COMP" }, { 0x100, "__GFP_ZERO" },
	{ 0x80000, "__GFP_NOMEMALLOC" }, { 0x20000, "__GFP_MEMALLOC" },
	{ 0x100000, "__GFP_HARDWALL" }, { 0x200000, "__GFP_THISNODE" },
	{ 0x10, "__GFP_RECLAIMABLE" }, { 0x8, "__GFP_MOVABLE" }, { 0x400000, "__GFP_ACCOUNT" },
	{ 0x1000, "__GFP_WRITE" }, { 0xc00, "__GFP_RECLAIM" }, { 0x400, "__GFP_DIRECT_RECLAIM" },
	{ 0x800, "__GFP_KSWAPD_RECLAIM" }, { 0x800000, "__GFP_ZEROTAGS" },
};

static const struct pcr_flag_name gfp_6_18[] = {
	{ 0x1c24ca, "GFP_TRANSHUGE" }, { 0x1c20ca, "GFP_TRANSHUGE_LIGHT" },
	{ 0x100cca, "GFP_HIGHUSER_MOVABLE" }, { 0x100cc2, "GFP_HIGHUSER" },
	{ 0x100cc0, "GFP_USER" }, { 0x400cc0, "GFP_KERNEL_ACCOUNT" }, { 0xcc0, "GFP_KERNEL" },
	{ 0xc40, "GFP_NOFS" }, { 0x820, "GFP_ATOMIC" }, { 0xc00, "GFP_NOIO" },
	{ 0x2800, "GFP_NOWAIT" }, { 0x1, "GFP_DMA" }, { 0x4, "GFP_DMA32" },
	{ 0xc00, "__GFP_RECLAIM" }, { 0x1, "__GFP_DMA" }, { 0x2, "__GFP_HIGHMEM" },
	{ 0x4, "__GFP_DMA32" }, { 0x8, "__GFP_MOVABLE" }, { 0x10, "__GFP_RECLAIMABLE" },
	{ 0x20, "__GFP_HIGH" }, { 0x40, "__GFP_IO" }, { 0x80, "__GFP_FS" },
	{ 0x100, "__GFP_ZERO" }, { 0x400, "__GFP_DIRECT_RECLAIM" },
	{ 0x800, "__GFP_KSWAPD_RECLAIM" }, { 0x1000, "__GFP_WRITE" },
	{ 0x2000, "__GFP_NOWARN" }, { 0x4000, "__GFP_RETRY_MAYFAIL" },
	{ 0x8000, "__GFP_NOFAIL" }, { 0x10000, "__GFP_NORETRY" },
	{ 0x20000, "__GFP_MEMALLOC" }, { 0x40000, "__GFP_COMP" },
	{ 0x80000, "__GFP_NOMEMALLOC" }, { 0x100000, "__GFP_HARDWALL" },
	{ 0x200000, "__GFP_THISNODE" }, { 0x400000, "__GFP_ACCOUNT" },
	{ 0x800000, "__GFP_ZEROTAGS" }, { 0x1000000, "__GFP_NO_OBJ_EXT" },
};

/* "[ SECONDS.MICROS]" at p; the time in *ns. Returns the end of the "]" or NULL. */
static const char *printk_time(const char *p, uint64_t *ns)
{
	const char *q;

	if (*p != '[')
		return NULL;
	p = pcr_text_blanks(p + 1);
	q = pcr_text_ts(p, ns);
	if (!q || *q != ']' || !memchr(p, '.', (size_t)(q - p)))
		return NULL;
	return q + 1;
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar (m 1..12). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* "NN" of width 2 (digits) at p into *v; false otherwise. */
static bool two_digits(const char *p, int *v)
{
	if (!pcr_text_digit(p[0]) || !pcr_text_digit(p[1]))
		return false;
	*v = (p[0] - '0') * 10 + (p[1] - '0');
	return true;
}

/*
 * dmesg -T's "[Sun Dec  6 14:00:00 2026]" at p (the local time the log was printed in, to the
 * second); the seconds since the epoch of that wall clock in *ns. Returns the end of the "]".
 */
static const char *ctime_time(const char *p, uint64_t *ns)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *m;
	int day, hh, mm, ss, mon;
	uint64_t year;

	if (p[0] != '[' || p[4] != ' ' || p[8] != ' ')
		return NULL;
	m = strstr(months, (char[]){ p[5], p[6], p[7], '\0' });
	if (!m || (m - months) % 3)
		return NULL;
	mon = (int)(m - months) / 3 + 1;
	if (p[9] == ' ' && pcr_text_digit(p[10]))
		day = p[10] - '0';
	else if (!two_digits(p + 9, &day))
		return NULL;
	if (p[11] != ' ' || !two_digits(p + 12, &hh) || p[14] != ':' ||
	    !two_digits(p + 15, &mm) || p[17] != ':' || !two_digits(p + 18, &ss) || p[20] != ' ')
		return NULL;
	p = pcr_text_dec(p + 21, &year);
	if (!p || *p != ']' || year < 1970 || year > 9999 || day < 1 || day > 31 || hh > 23 ||
	    mm > 59 || ss > 60)
		return NULL;
	*ns = ((uint64_t)days_from_civil((int64_t)year, mon, day) * 86400 +
	       (uint64_t)(hh * 3600 + mm * 60 + ss)) * 1000000000ull;
	return p + 1;
}

const char *pcr_console_strip(const char *line, struct pcr_console_prefix *pre)
{
	const char *p, *q;
	uint64_t v;
	int i;

	pre->pid = -1;
	pre->cpu = -1;
	/* the log level of dmesg -r and /dev/kmsg readers: "<4>[    4.594803] ..." */
	if (line[0] == '<' && (q = pcr_text_dec(line + 1, &v)) && *q == '>' && v < 1000)
		line = q + 1;
	p = printk_time(line, &pre->ts_ns);
	if (!p)
		p = ctime_time(line, &pre->ts_ns);
	/* A capture tool's prefix ends in a blank; the printk time follows it. */
	for (i = 1; !p && line[i] && i < CONSOLE_MAX_CAPTURE; i++)
		if (line[i] == '[' && line[i - 1] == ' ')
			p = printk_time(line + i, &pre->ts_ns);
	if (!p)
		return NULL;
	q = pcr_text_blanks(p);
	if (*q == '[') {
		const char *c = pcr_text_blanks(q + 1);

		if ((*c == 'T' || *c == 'C') && (p = pcr_text_dec(c + 1, &v)) && *p == ']' &&
		    v <= INT32_MAX) {
			if (*c == 'T')
				pre->pid = (int)v;
			else if (v <= CONSOLE_MAX_CPU)
				pre->cpu = (int)v;
			q = pcr_text_blanks(p + 1);
		}
	}
	return q;
}

/*
 * The latency format's CPU and flags column: the CPU in decimal, then the irqs-off flag ('d',
 * 'D', 'X' or '.') and 2 to 5 more flags (need-resched, hard/soft irq, preempt depth in hex,
 * migrate-disable). Returns the end of the column, or NULL.
 */
static const char *cpu_flags(const char *p, int *cpu)
{
	const char *f;
	uint64_t v;

	p = pcr_text_dec(p, &v);
	if (!p || v > CONSOLE_MAX_CPU || !strchr("dDX.", *p) || !*p)
		return NULL;
	*cpu = (int)v;
	for (f = p; *f && strchr(".dDXNnpPLhHsSzZbB0123456789abcdef", *f); f++)
		;
	if (f - p < 3 || f - p > 6 || (*f != ' ' && *f != '\t'))
		return NULL;
	return f;
}

/* "-PID CPUFLAGS TS[us][mark]: " from the '-' at dash; the event after it in rec. */
static bool record_at(const char *dash, struct pcr_console_record *rec)
{
	const char *p;
	uint64_t pid, ts;

	p = pcr_text_dec(dash + 1, &pid);
	if (!p || pid > INT32_MAX || (*p != ' ' && *p != '\t'))
		return false;
	p = cpu_flags(pcr_text_blanks(p), &rec->cpu);
	if (!p)
		return false;
	p = pcr_text_dec(pcr_text_blanks(p), &ts);
	if (!p)
		return false;
	if (p[0] == 'u' && p[1] == 's') {
		/* in microseconds, with the latency mark of a large delta to the next record */
		if (ts > UINT64_MAX / 1000)
			return false;
		ts *= 1000;
		p += 2;
		if (*p && strchr(" !#$@*+", *p))
			p++;
	}
	if (*p != ':' || (p[1] && p[1] != ' '))
		return false;
	rec->pid = (int)pid;
	rec->ts_ns = ts;
	rec->event = pcr_text_blanks(p + 1);
	return true;
}

bool pcr_console_dump_record(const char *msg, struct pcr_console_record *rec)
{
	const char *comm = pcr_text_blanks(msg), *dash;

	/* A comm may hold a '-': try each one, up to the 8 characters ftrace_dump prints. */
	for (dash = strchr(comm + 1, '-'); dash && dash - comm <= 16; dash = strchr(dash + 1, '-'))
		if (record_at(dash, rec)) {
			rec->comm = comm;
			rec->comm_len = (size_t)(dash - comm);
			return true;
		}
	return false;
}

void pcr_console_init(struct pcr_console *con)
{
	memset(con, 0, sizeof(*con));
	con->gfp_names = gfp_6_18;
	con->nr_gfp_names = sizeof(gfp_6_18) / sizeof(gfp_6_18[0]);
}

/* The release after "Linux version " or in the oops header's "Not tainted 6.1.0-57-amd64 #1". */
static void take_release(struct pcr_console *con, const char *p)
{
	size_t n = strcspn(p, " \t");

	if (!n || n >= sizeof(con->release) || !pcr_text_digit(*p))
		return;
	memcpy(con->release, p, n);
	con->release[n] = '\0';
	if (!strncmp(p, "6.1.", 4) || !strncmp(p, "6.1-", 4)) {
		con->gfp_names = gfp_6_1;
		con->nr_gfp_names = sizeof(gfp_6_1) / sizeof(gfp_6_1[0]);
	} else {
		con->gfp_names = gfp_6_18;
		con->nr_gfp_names = sizeof(gfp_6_18) / sizeof(gfp_6_18[0]);
	}
}

static bool starts(const char *p, const char *what)
{
	return !strncmp(p, what, strlen(what));
}

void pcr_console_line(struct pcr_console *con, const char *msg)
{
	static const char *const crashes[] = {
		"Kernel panic - not syncing:", "Oops:", "BUG:", "general protection fault",
		"kernel BUG at", "Unable to handle kernel",
	};
	const char *p = pcr_text_blanks(msg), *q;
	uint64_t v;
	size_t i, n;

	if (starts(p, "Linux version ")) {
		take_release(con, p + 14);
	} else if (starts(p, "CPU: ") && (q = strstr(p, " Comm: ")) && (q = strstr(q, "ainted"))) {
		/* "Not tainted 6.1.0-57-amd64 #1" or "Tainted: G        W  6.1.0 #1" */
		q += 6;
		if (*q == ':')
			for (q++; *q == ' ' || (*q >= 'A' && *q <= 'Z'); q++)
				;
		if (!con->release[0])
			take_release(con, pcr_text_blanks(q));
	} else if (starts(p, "Kernel command line:")) {
		q = strstr(p, "trace_options=");
		con->stacks |= q && memmem(q, strcspn(q, " "), "stacktrace", 10);
		con->orig_cpu |= strstr(p, "ftrace_dump_on_oops=orig_cpu") ||
				 strstr(p, "ftrace_dump_on_oops=2");
	} else if (starts(p, "smp: Brought up ") && (q = strstr(p, "node")) &&
		   (q = strchr(q, ',')) && pcr_text_dec(pcr_text_blanks(q + 1), &v) && v <= 64) {
		con->cpus_up = (int)v;
	} else if (starts(p, "Dumping ftrace buffer:")) {
		con->in_dump = con->dump_seen = true;
		con->dump_ended = con->rule_seen = false;
	} else if (con->in_dump && strspn(p, "-") >= 20 && !p[strspn(p, "-")]) {
		/* the rule that opens the dump, then the one that closes it */
		if (con->rule_seen) {
			con->in_dump = false;
			con->dump_ended = true;
		}
		con->rule_seen = true;
	} else if (con->in_dump && starts(p, "(ftrace buffer empty)")) {
		con->in_dump = false;
		con->dump_ended = true;
	}
	/* bad_page() and check_mm() report and go on: the crash, if any, comes later */
	if (starts(p, "BUG: Bad page state") || starts(p, "BUG: Bad rss-counter state"))
		return;
	for (i = 0; !con->crash[0] && i < sizeof(crashes) / sizeof(crashes[0]); i++)
		if (starts(p, crashes[i])) {
			n = strcspn(p, "\n");
			if (n >= sizeof(con->crash))
				n = sizeof(con->crash) - 1;
			memcpy(con->crash, p, n);
			con->crash[n] = '\0';
		}
}

int pcr_console_gfp(const struct pcr_console *con, const char *v, size_t len, uint64_t *gfp)
{
	const struct pcr_flag_name *names = con->gfp_names;
	size_t nr = con->nr_gfp_names;
	const char *end = v + len;

	*gfp = 0;
	if (len == 4 && !memcmp(v, "none", 4))
		return 0;
	for (;;) {
		const char *bar = memchr(v, '|', (size_t)(end - v));
		size_t n = (size_t)((bar ? bar : end) - v), i;

		for (i = 0; i < nr; i++)
			if (n && strlen(names[i].name) == n && !memcmp(names[i].name, v, n))
				break;
		if (i == nr) {
			*gfp = 0;
			return -PCR_ERR_INVAL;
		}
		*gfp |= names[i].mask;
		if (!bar)
			return 0;
		v = bar + 1;
	}
}

uint64_t pcr_console_missing(struct pcr_console *con, const char **note)
{
	uint64_t all, missing;
	int cpus = con->cpus_up;

	*note = NULL;
	if (!con->orig_cpu || !con->dump_seen || !con->dump_cpus)
		return 0;
	if (!cpus)	/* at least the CPU after the highest one dumped */
		cpus = 64 - __builtin_clzll(con->dump_cpus) + 1;
	all = cpus >= 64 ? UINT64_MAX : (1ull << cpus) - 1;
	missing = all & ~con->dump_cpus;
	if (!missing)
		return 0;
	snprintf(con->loss, sizeof(con->loss),
		 "the ftrace_dump_on_oops=orig_cpu dump holds the crashing CPU's buffer only: the page events of %d other CPU(s) are missing; boot with ftrace_dump_on_oops to dump every CPU",
		 __builtin_popcountll(missing));
	*note = con->loss;
	return missing;
}

const char *pcr_console_note(struct pcr_console *con)
{
	const char *dump;

	if (!con->crash[0] && !con->dump_seen)
		return NULL;
	if (!con->crash[0]) {
		snprintf(con->note, sizeof(con->note),
			 "ends at a dump of the ring buffer (%s) without an oops or panic line: SysRq z or ftrace_dump()",
			 con->dump_ended ? "whole" : "cut before its end");
		return con->note;
	}
	dump = !con->dump_seen ? "no ftrace_dump_on_oops dump" :
		con->dump_ended ? "after the ftrace_dump_on_oops dump of the ring buffer" :
		"the ftrace_dump_on_oops dump is cut before its end";
	snprintf(con->note, sizeof(con->note), "ends at the crash: %s; %s", con->crash, dump);
	return con->note;
}

bool pcr_console_merged(const char *msg)
{
	uint64_t ns;

	for (msg = strchr(msg, '['); msg; msg = strchr(msg + 1, '['))
		if (printk_time(msg, &ns) || ctime_time(msg, &ns))
			return true;
	return false;
}

/* The value of "key": "..." in a LAVA record, from the opening quote; NULL when absent. */
static const char *lava_value(const char *rec, const char *key)
{
	const char *p = strstr(rec, key);

	if (!p)
		return NULL;
	p = pcr_text_blanks(p + strlen(key));
	return *p == '"' ? p : NULL;
}

/* The character of a one-letter YAML escape ("\t"), or -1 for none; the rest of Unicode is '?'. */
static int lava_letter(char c)
{
	switch (c) {
	case '0': return '\0';
	case 'a': return '\a';
	case 'b': return '\b';
	case 't': case '\t': return '\t';
	case 'n': return '\n';
	case 'v': return '\v';
	case 'f': return '\f';
	case 'r': return '\r';
	case 'e': return 033;
	case ' ': case '"': case '/': case '\\': return c;
	case 'N': case '_': case 'L': case 'P': return '?';
	default: return -1;
	}
}

/* One YAML escape after the backslash at *pp into out; false for one YAML does not write. */
static bool lava_escape(const char **pp, char **out, const char *end)
{
	const char *p = *pp;
	uint64_t v = 0;
	int digits = 0, i, c;

	if (*p == 'x')
		digits = 2;
	else if (*p == 'u')
		digits = 4;
	else if (*p == 'U')
		digits = 8;
	if (digits) {
		for (i = 1; i <= digits; i++) {
			c = p[i];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
				return false;
			v = v * 16 + (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
		}
		c = v < 0x80 ? (int)v : '?';	/* the trace text is ASCII */
		p += digits + 1;
	} else {
		c = *p ? lava_letter(*p) : -1;
		if (c < 0)
			return false;
		p++;
	}
	if (*out < end)
		*(*out)++ = (char)c;
	*pp = p;
	return true;
}

int pcr_console_lava(const char *line, char *out, size_t cap, size_t *len)
{
	const char *p = line, *lvl;
	char *o = out, *end = out + cap - 1;
	bool target;

	*len = 0;
	if (strncmp(p, "- {\"dt\": \"", 10))
		return PCR_LAVA_NONE;
	lvl = lava_value(p, "\"lvl\":");
	if (!lvl)
		return PCR_LAVA_BROKEN;
	target = !strncmp(lvl, "\"target\"", 8) || !strncmp(lvl, "\"feedback\"", 10);
	p = lava_value(p, "\"msg\":");
	if (!p)
		return target ? PCR_LAVA_BROKEN : PCR_LAVA_OTHER;
	if (!target)
		return PCR_LAVA_OTHER;
	for (p++; *p && *p != '"';) {
		if (*p != '\\') {
			if (o < end)
				*o++ = *p;
			p++;
		} else if (p++, !lava_escape(&p, &o, end)) {
			break;
		}
	}
	while (o > out && (o[-1] == '\r' || o[-1] == '\n'))
		o--;
	*o = '\0';
	*len = (size_t)(o - out);
	/* the record must close: '"}' or '", "ns": ...}' */
	if (*p != '"' || (p[1] != '}' && p[1] != ','))
		return PCR_LAVA_BROKEN;
	return PCR_LAVA_TARGET;
}
