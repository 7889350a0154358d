// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the text reader's line grammar (formats/textline.c): lines of each flavour it
 * reads (ftrace, trace-cmd report with and without an instance prefix, perf script, the
 * missed-events notices, ftrace and perf stack frames, tp_printk console lines, the dump of
 * ftrace_dump_on_oops) embedded here, and the values each must give, worked out by hand from the
 * line's text (a timestamp "13951.172769" is 13,951,172,769,000 ns; "pfn=0x509b67" is 5,282,663).
 */
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "console.h"
#include "textline.h"

/* The @len characters at @p are @want. */
static void expect_text(const char *p, size_t len, const char *want)
{
	cr_assert_not_null(p, "expected \"%s\", got none", want);
	cr_expect_eq(len, strlen(want), "expected \"%s\" (%zu), got \"%.*s\" (%zu)", want,
		     strlen(want), (int)len, p, len);
	cr_expect(!memcmp(p, want, strlen(want) < len ? strlen(want) : len),
		  "expected \"%s\", got \"%.*s\"", want, (int)len, p);
}

/* Each named field of @got equals that of @want; messages name @line and the field. */
#define EXPECT_FIELD(got, want, line, f)						\
	cr_expect_eq((got).f, (want).f, "\"%s\": " #f " %lld, expected %lld", line,	\
		     (long long)(got).f, (long long)(want).f)
#define EXPECT_FIELDS_1(got, want, line, f) EXPECT_FIELD(got, want, line, f)
#define EXPECT_FIELDS_2(got, want, line, f, ...)					\
	EXPECT_FIELD(got, want, line, f); EXPECT_FIELDS_1(got, want, line, __VA_ARGS__)
#define EXPECT_FIELDS_3(got, want, line, f, ...)					\
	EXPECT_FIELD(got, want, line, f); EXPECT_FIELDS_2(got, want, line, __VA_ARGS__)
#define EXPECT_FIELDS_4(got, want, line, f, ...)					\
	EXPECT_FIELD(got, want, line, f); EXPECT_FIELDS_3(got, want, line, __VA_ARGS__)
#define EXPECT_FIELDS_5(got, want, line, f, ...)					\
	EXPECT_FIELD(got, want, line, f); EXPECT_FIELDS_4(got, want, line, __VA_ARGS__)
#define EXPECT_FIELDS_6(got, want, line, f, ...)					\
	EXPECT_FIELD(got, want, line, f); EXPECT_FIELDS_5(got, want, line, __VA_ARGS__)
#define EXPECT_NTH(_1, _2, _3, _4, _5, _6, name, ...) name
#define EXPECT_FIELDS(got, want, line, ...)						\
	EXPECT_NTH(__VA_ARGS__, EXPECT_FIELDS_6, EXPECT_FIELDS_5, EXPECT_FIELDS_4,	\
		   EXPECT_FIELDS_3, EXPECT_FIELDS_2, EXPECT_FIELDS_1, _)(got, want, line,	\
									 __VA_ARGS__)

static void parse(const char *line, struct pcr_text_line *tl)
{
	pcr_text_parse_line(line, tl);
}

/* A page event of a record line, read as the reader reads it. */
static bool read_page(const struct pcr_text_line *tl, struct pcr_event *ev)
{
	struct pcr_console con;

	pcr_console_init(&con);
	memset(ev, 0, sizeof(*ev));
	ev->kind = (uint8_t)tl->kind;
	ev->migratetype = -1;
	return pcr_text_read_page(tl, &con, ev);
}

/* A record line and what it must give; @pfn and @order for page events (-1: refused). */
struct record_case {
	const char *line;
	int flavour;
	const char *buffer;	/* NULL: no instance prefix */
	const char *comm;
	int pid;
	int cpu;
	uint64_t ts_ns;
	const char *name;
	int kind;
	uint64_t pfn;
	int order;
};

static const struct record_case records[] = {
	{ "             cat-4188    [001] ...1. 13951.172936: mm_page_alloc: page=0000000007faa374 pfn=0x141338 order=0 migratetype=0 gfp_flags=GFP_NOWAIT",
	  PCR_FLAVOUR_FTRACE, NULL, "cat", 4188, 1, 13951172936000ull, "mm_page_alloc",
	  PCR_EV_ALLOC, 1315640, 0 },
	/* "NAME: " and then trace-cmd's 16-column comm ("%16s": twelve blanks and "bash") */
	{ "pages:             bash-1234  [003]   100.000001: mm_page_free:         page=0xffffea0000040000 pfn=0x1000 order=2",
	  PCR_FLAVOUR_TRACECMD, "pages", "bash", 1234, 3, 100000001000ull, "mm_page_free",
	  PCR_EV_FREE, 4096, 2 },
	/* a batched free prints no order: it is 0 */
	{ "          <idle>-0     [000]    10.500000: mm_page_free_batched: page=0xffffea0000040040 pfn=0x1001",
	  PCR_FLAVOUR_TRACECMD, NULL, "<idle>", 0, 0, 10500000000ull, "mm_page_free_batched",
	  PCR_EV_FREE_BATCHED, 4097, 0 },
	/* perf's PID/TID: the thread is what the kernel calls the pid */
	{ "            bash  1234/1240 [002]   200.123456789: kmem:mm_page_alloc: page=0xffffea0000c4a000 pfn=0x3128 order=3 migratetype=1 gfp_flags=0x400dc0",
	  PCR_FLAVOUR_PERF, NULL, "bash", 1240, 2, 200123456789ull, "mm_page_alloc", PCR_EV_ALLOC,
	  12584, 3 },
	/* an event of another system is no page event, even with a page event's name */
	{ "            bash  1234 [002]   200.2: other:mm_page_alloc: pfn=0x1 order=0",
	  PCR_FLAVOUR_PERF, NULL, "bash", 1234, 2, 200200000000ull, "mm_page_alloc", PCR_EV_OTHER,
	  0, 0 },
	/* perf's "-1" for a sample of no known thread */
	{ "         swapper    -1 [000]   1.000000: kmem:mm_page_free: pfn=0x2 order=0",
	  PCR_FLAVOUR_PERF, NULL, "swapper", -1, 0, 1000000000ull, "mm_page_free", PCR_EV_FREE, 2, 0 },
	/* a failed allocation: pfn -1 */
	{ "  bash-1  [000]  1.0: mm_page_alloc: page=(null) pfn=-1 order=0 migratetype=0 gfp_flags=0x0",
	  PCR_FLAVOUR_TRACECMD, NULL, "bash", 1, 0, 1000000000ull, "mm_page_alloc", PCR_EV_ALLOC,
	  PCR_PFN_NONE, 0 },
	/* a free of pfn -1, an order above PCR_MAX_ORDER (20), a free without an order: refused */
	{ "  bash-1  [000]  1.0: mm_page_free: page=(null) pfn=-1 order=0",
	  PCR_FLAVOUR_TRACECMD, NULL, "bash", 1, 0, 1000000000ull, "mm_page_free", PCR_EV_FREE, 0,
	  -1 },
	{ "  bash-1  [000]  1.0: mm_page_free: page=0xffffea0000040000 pfn=0x1000 order=21",
	  PCR_FLAVOUR_TRACECMD, NULL, "bash", 1, 0, 1000000000ull, "mm_page_free", PCR_EV_FREE, 0,
	  -1 },
	{ "  bash-1  [000]  1.0: mm_page_free: page=0xffffea0000040000 pfn=0x1000",
	  PCR_FLAVOUR_TRACECMD, NULL, "bash", 1, 0, 1000000000ull, "mm_page_free", PCR_EV_FREE, 0,
	  -1 },
	/* a decimal pfn, the largest order */
	{ "  bash-1  [000]  1.0: mm_page_free: page=0xffffea0000040000 pfn=4096 order=20",
	  PCR_FLAVOUR_TRACECMD, NULL, "bash", 1, 0, 1000000000ull, "mm_page_free", PCR_EV_FREE, 4096,
	  20 },
};

Test(textline, records)
{
	size_t i;

	for (i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		const struct record_case *c = &records[i];
		struct pcr_text_line tl;
		struct pcr_event ev;

		parse(c->line, &tl);
		cr_assert_eq(tl.type, PCR_LINE_RECORD, "\"%s\"", c->line);
		cr_expect_eq(tl.flavour, c->flavour, "\"%s\"", c->line);
		if (c->buffer)
			expect_text(tl.buffer, tl.buffer_len, c->buffer);
		else
			cr_expect_null(tl.buffer, "\"%s\"", c->line);
		cr_expect_eq(tl.prefixed, c->buffer != NULL, "\"%s\"", c->line);
		expect_text(tl.comm, tl.comm_len, c->comm);
		expect_text(tl.name, tl.name_len, c->name);
		EXPECT_FIELDS(tl, *c, c->line, pid, cpu, ts_ns, kind);
		cr_expect(!tl.stack);
		cr_expect_null(tl.console);
		if (c->kind == PCR_EV_OTHER)
			continue;
		cr_expect_eq(read_page(&tl, &ev), c->order >= 0, "\"%s\"", c->line);
		if (c->order < 0)
			continue;
		EXPECT_FIELDS(ev, *c, c->line, pfn, order);
	}
}

/* An allocation's gfp flags and migratetype: a value, or names for the console's table. */
Test(textline, alloc_fields)
{
	struct pcr_text_line tl;
	struct pcr_event ev;

	parse(records[3].line, &tl);
	cr_expect(!pcr_text_gfp_name(tl.fields));
	cr_assert(read_page(&tl, &ev));
	cr_expect_eq(ev.gfp, 0x400dc0ull);
	cr_expect_eq(ev.migratetype, 1);
	parse(records[0].line, &tl);
	cr_expect(pcr_text_gfp_name(tl.fields));
	cr_assert(read_page(&tl, &ev));
	cr_expect_eq(ev.migratetype, 0);
}

Test(textline, ftrace_stack_record_and_frames)
{
	struct pcr_text_line tl;

	parse("             cat-4188    [001] ..... 13951.173263: <stack trace>", &tl);
	cr_assert_eq(tl.type, PCR_LINE_RECORD);
	cr_expect(tl.stack);
	cr_expect_eq(tl.kind, PCR_EV_OTHER);
	cr_expect_eq(tl.ts_ns, 13951173263000ull);

	/* tracefs without sym-offset: a name only */
	parse(" => trace_event_raw_event_mm_page_alloc", &tl);
	cr_assert_eq(tl.type, PCR_LINE_FRAME);
	cr_expect(tl.kernel);
	cr_expect(!tl.perf_frame);
	cr_expect(!tl.have_addr);
	cr_expect(!tl.have_off);
	expect_text(tl.sym, tl.sym_len, "trace_event_raw_event_mm_page_alloc");

	/* trace-cmd report: offset, size and address */
	parse(" => __alloc_pages_noprof+0x1a/0x40 <ffffffff811234ab>", &tl);
	cr_assert_eq(tl.type, PCR_LINE_FRAME);
	expect_text(tl.sym, tl.sym_len, "__alloc_pages_noprof");
	cr_expect(tl.have_off);
	cr_expect_eq(tl.off, 0x1aull);
	cr_expect(tl.have_size);
	cr_expect_eq(tl.size, 0x40ull);
	cr_expect(tl.have_addr);
	cr_expect_eq(tl.addr, 0xffffffff811234abull);

	/* a module's function, its address in parentheses */
	parse(" => my_probe+0x10 [my_mod] (ffffffffc0a01010)", &tl);
	cr_assert_eq(tl.type, PCR_LINE_FRAME);
	expect_text(tl.sym, tl.sym_len, "my_probe");
	expect_text(tl.module, tl.module_len, "my_mod");
	cr_expect_eq(tl.off, 0x10ull);
	cr_expect(!tl.have_size);
	cr_expect_eq(tl.addr, 0xffffffffc0a01010ull);

	/* an address only */
	parse(" => ffffffff81000010", &tl);
	cr_assert_eq(tl.type, PCR_LINE_FRAME);
	cr_expect(tl.have_addr);
	cr_expect_null(tl.sym);
	cr_expect_eq(tl.addr, 0xffffffff81000010ull);
}

Test(textline, perf_frames)
{
	struct pcr_text_line tl;

	parse("\tffffffff815c5ad1 __alloc_pages+0x41 ([kernel.kallsyms])", &tl);
	cr_assert_eq(tl.type, PCR_LINE_FRAME);
	cr_expect(tl.perf_frame);
	cr_expect(tl.kernel);
	cr_expect_eq(tl.addr, 0xffffffff815c5ad1ull);
	expect_text(tl.sym, tl.sym_len, "__alloc_pages");
	cr_expect(tl.have_off);
	cr_expect_eq(tl.off, 0x41ull);
	cr_expect_null(tl.module);

	parse("\tffffffffc0a01234 my_func+0x10 ([my_mod])", &tl);
	cr_assert_eq(tl.type, PCR_LINE_FRAME);
	cr_expect(tl.kernel);
	expect_text(tl.module, tl.module_len, "my_mod");

	parse("\tffffffff8161f78b [unknown] ([kernel.kallsyms])", &tl);
	cr_assert_eq(tl.type, PCR_LINE_FRAME);
	cr_expect(tl.kernel);
	cr_expect_null(tl.sym);

	/* a user frame: below the kernel's half, a file's dso */
	parse("\t7f1234567890 malloc+0x20 (/usr/lib/libc.so.6)", &tl);
	cr_assert_eq(tl.type, PCR_LINE_FRAME);
	cr_expect(!tl.kernel);
	expect_text(tl.sym, tl.sym_len, "malloc");
}

/* A missed-events notice and what it must give. */
static const struct {
	const char *line;
	int cpu;
	uint64_t lost;		/* 0: a count unknown */
	const char *buffer;	/* NULL: no instance prefix */
} notices[] = {
	{ "CPU:2 [LOST 17 EVENTS]", 2, 17, NULL },
	{ "CPU:5 [33 EVENTS DROPPED]", 5, 33, NULL },
	{ "CPU:0 [EVENTS DROPPED]", 0, 0, NULL },
	{ "pages: CPU:1 [LOST 4 EVENTS]", 1, 4, "pages" },
};

Test(textline, notices)
{
	struct pcr_text_line tl;
	size_t i;

	for (i = 0; i < sizeof(notices) / sizeof(notices[0]); i++) {
		parse(notices[i].line, &tl);
		cr_assert_eq(tl.type, PCR_LINE_NOTICE, "\"%s\"", notices[i].line);
		cr_expect_eq(tl.cpu, notices[i].cpu, "\"%s\"", notices[i].line);
		cr_expect_eq(tl.lost, notices[i].lost, "\"%s\"", notices[i].line);
		cr_expect_eq(tl.prefixed, notices[i].buffer != NULL, "\"%s\"", notices[i].line);
		if (notices[i].buffer)
			expect_text(tl.buffer, tl.buffer_len, notices[i].buffer);
	}
	/* anything after the bracket: not a notice */
	parse("CPU:2 [LOST 17 EVENTS] and more", &tl);
	cr_expect_neq(tl.type, PCR_LINE_NOTICE);
}

Test(textline, console_lines)
{
	struct pcr_text_line tl;
	struct pcr_event ev;

	parse("[    1.234567] mm_page_alloc: page=00000000a1b2c3d4 pfn=0x100000 order=0 migratetype=0 gfp_flags=GFP_KERNEL",
	      &tl);
	cr_assert_eq(tl.type, PCR_LINE_RECORD);
	cr_expect_eq(tl.flavour, PCR_FLAVOUR_CONSOLE);
	cr_expect_eq(tl.ts_ns, 1234567000ull);
	cr_expect_eq(tl.kind, PCR_EV_ALLOC);
	cr_assert(read_page(&tl, &ev));
	cr_expect_eq(ev.pfn, 1048576);	/* 0x100000 */

	/* a console line that is no page event is junk to the grammar, its message kept */
	parse("[    0.512000] Kernel command line: console=ttyS0 tp_printk", &tl);
	cr_expect_eq(tl.type, PCR_LINE_JUNK);
	cr_assert_not_null(tl.console);
	cr_expect(!strncmp(tl.console, "Kernel command line", 19));

	/* the dump of ftrace_dump_on_oops: CPU and flags in one column, microseconds */
	parse("[   30.100000]     init-1         1d..2. 28277us : mm_page_free: page=0xffffea0000040000 pfn=0x1000 order=1",
	      &tl);
	cr_assert_eq(tl.type, PCR_LINE_RECORD);
	cr_expect_eq(tl.flavour, PCR_FLAVOUR_DUMP);
	expect_text(tl.comm, tl.comm_len, "init");
	cr_expect_eq(tl.pid, 1);
	cr_expect_eq(tl.cpu, 1);
	cr_expect_eq(tl.ts_ns, 28277000ull);
	cr_expect_eq(tl.kind, PCR_EV_FREE);
}

Test(textline, ignored_and_junk)
{
	static const char *const ignored[] = {
		"", "   ", "# tracer: nop", "cpus=4", "version = 6", "CPU 3 is empty",
	};
	struct pcr_text_line tl;
	size_t i;

	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
		parse(ignored[i], &tl);
		cr_expect_eq(tl.type, PCR_LINE_IGNORED, "\"%s\"", ignored[i]);
	}
	parse("hello world", &tl);
	cr_expect_eq(tl.type, PCR_LINE_JUNK);
	/* a CPU beyond PCR_TEXT_MAX_CPU is no record */
	parse("             cat-4188    [16384] ..... 1.000000: mm_page_free: pfn=0x1 order=0", &tl);
	cr_expect_eq(tl.type, PCR_LINE_JUNK);
}

Test(textline, field_lookup)
{
	size_t len;
	const char *v = pcr_text_field("order=1 xorder=7 migratetype=2", "order", &len);

	expect_text(v, len, "1");
	v = pcr_text_field("xorder=7 migratetype=2", "order", &len);
	cr_expect_null(v);	/* a whole word only */
}

/* A record that is no page event and the marker it must be (kind PCR_EV_OTHER: none). */
static const struct {
	const char *line;
	int kind;
	int32_t pid;
	int32_t child_pid;
	uint64_t pfn;
	uint64_t pfn_end;
	int32_t state;		/* -1: none fetched */
} markers[] = {
	{ "  swapper/0-1  [000]  0.9: initcall_finish: func=kernel_init_freeable+0x0/0x100 ret=0",
	  PCR_EV_INITCALL, 0, 0, 0, 0, -1 },
	{ "  bash-1009  [001]  5.0: sched_process_fork: comm=bash pid=1009 child_comm=bash child_pid=1010",
	  PCR_EV_FORK, 1009, 1010, 0, 0, -1 },
	{ "  ls-1010  [001]  5.1: sched_process_exec: filename=/bin/ls pid=1010 old_pid=1010",
	  PCR_EV_EXEC, 1010, 0, 0, 0, -1 },
	/* a thread's exit while others of its process live on ends no process */
	{ "  ls-1011  [001]  5.2: sched_process_exit: comm=ls pid=1011 prio=120 group_dead=false",
	  PCR_EV_OTHER, 1011, 0, 0, 0, -1 },
	{ "  ls-1010  [001]  5.3: sched_process_exit: comm=ls pid=1010 prio=120 group_dead=true",
	  PCR_EV_EXIT, 1010, 0, 0, 0, -1 },
	{ "  kcompactd0-40  [000]  7.0: mm_compaction_isolate_freepages: range=(0x1000 ~ 0x1200) nr_scanned=512 nr_taken=3",
	  PCR_EV_ISOLATE, 0, 0, 0x1000, 0x1200, -1 },
	/* one that took nothing stays other */
	{ "  kcompactd0-40  [000]  7.1: mm_compaction_isolate_freepages: range=(0x1000 ~ 0x1200) nr_scanned=512 nr_taken=0",
	  PCR_EV_OTHER, 0, 0, 0, 0, -1 },
	/* kprobes: entry "(ADDR)", return "(ADDR <- RET)", with the fetched system_state */
	{ "  swapper/0-1  [000]  2.0: p_free_initmem_0: (free_initmem+0x0/0x80) state=1",
	  PCR_EV_INITMEM_ENTER, 0, 0, 0, 0, 1 },
	{ "  swapper/0-1  [000]  2.1: r_free_initmem_0: (kernel_init+0x2c/0x150 <- free_initmem) state=2",
	  PCR_EV_INITMEM_EXIT, 0, 0, 0, 0, 2 },
	{ "  swapper/0-1  [000]  2.2: p_state_0: (kernel_init+0x30/0x150) system_state=3",
	  PCR_EV_SYSTEM_STATE, 0, 0, 0, 0, 3 },
};

Test(textline, markers)
{
	size_t i;

	for (i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
		struct pcr_text_line tl;
		struct pcr_event ev = { .kind = PCR_EV_OTHER };
		const char *line = markers[i].line;

		parse(line, &tl);
		cr_assert_eq(tl.type, PCR_LINE_RECORD, "\"%s\"", line);
		cr_assert_eq(tl.kind, PCR_EV_OTHER, "\"%s\"", line);
		pcr_text_read_marker(&tl, &ev);
		EXPECT_FIELDS(ev, markers[i], line, kind, pid, child_pid, pfn, pfn_end, state);
	}
}

Test(textline, raw_stack_frames)
{
	/* two frames, least significant byte first: 0xffffffff815c70ba and 0xffffffff40302010 */
	static const char fields[] =
		"size=16 caller=ARRAY[ba, 70, 5c, 81, ff, ff, ff, ff, 10, 20, 30, 40, ff, ff, ff, ff]";
	uint64_t frames[4] = { 0 };

	cr_assert_eq(pcr_text_raw_frames(fields, frames, 0, 4), 2);
	cr_expect_eq(frames[0], 0xffffffff815c70baull);
	cr_expect_eq(frames[1], 0xffffffff40302010ull);
	/* room for one */
	cr_expect_eq(pcr_text_raw_frames(fields, frames, 3, 4), 4);
	cr_expect_eq(frames[3], 0xffffffff815c70baull);
	/* an all-ones frame ends the stack */
	cr_expect_eq(pcr_text_raw_frames("caller=ARRAY[ff, ff, ff, ff, ff, ff, ff, ff]", frames, 0, 4),
		     0);
}

Test(textline, page_event_lines)
{
	static const char cmdline[] = "trace_event=kmem:mm_page_alloc,kmem:mm_page_free";
	static const char cut[] = "  bash-1 [0 mm_page_free: pfn=";

	cr_expect(pcr_text_page_event_line(cut, sizeof(cut) - 1));
	cr_expect(!pcr_text_page_event_line(cmdline, sizeof(cmdline) - 1));
	cr_expect(pcr_text_page_event_line("x mm_page_free_batched: y", 25));
}

Test(textline, flavour_names)
{
	cr_expect_str_eq(pcr_text_flavour_name(PCR_FLAVOUR_TRACECMD), "trace-cmd report");
	cr_expect_str_eq(pcr_text_flavour_name(PCR_FLAVOUR_PERF), "perf script");
	cr_expect_str_eq(pcr_text_flavour_name(PCR_FLAVOUR_DUMP), "ftrace_dump_on_oops console");
}
