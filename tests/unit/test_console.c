// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the console grammar (formats/console.c) and of the text reader on console
 * logs: lines in the shapes of a Debian 6.1 serial console (testdata/console), with the values
 * each one must give worked out by hand (gfp values from the 6.1 headers: GFP_KERNEL =
 * __GFP_RECLAIM (0x400|0x800) | __GFP_IO 0x40 | __GFP_FS 0x80 = 0xcc0, __GFP_ACCOUNT 0x400000,
 * __GFP_ZERO 0x100, __GFP_COMP 0x40000, GFP_ATOMIC = __GFP_HIGH 0x20 | __GFP_ATOMIC 0x200 |
 * __GFP_KSWAPD_RECLAIM 0x800).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "expect.h"
#include "pcr_formats.h"

Test(console, printk_prefix)
{
	struct pcr_console_prefix pre;
	const char *msg;

	msg = pcr_console_strip("[   12.345678] mm_page_free: page=x", &pre);
	cr_assert_not_null(msg);
	cr_expect_str_eq(msg, "mm_page_free: page=x");
	EXPECT_U64(pre.ts_ns, 12345678000ull);
	EXPECT_I64(pre.pid, -1);
	/* a caller id, and a capture tool's wall clock before the printk time */
	msg = pcr_console_strip("[2026-12-06 11:34:18] [    4.957230] [  T108] x", &pre);
	cr_assert_not_null(msg);
	cr_expect_str_eq(msg, "x");
	EXPECT_U64(pre.ts_ns, 4957230000ull);
	EXPECT_I64(pre.pid, 108);
	msg = pcr_console_strip("[    0.5] [    C1] y", &pre);
	cr_assert_not_null(msg);
	EXPECT_I64(pre.cpu, 1);
	/* dmesg -r's log level */
	msg = pcr_console_strip("<0>[    5.185244]       rm-113       1..... 102353us : z", &pre);
	cr_assert_not_null(msg);
	EXPECT_U64(pre.ts_ns, 5185244000ull);
	cr_expect_null(pcr_console_strip("<x>[    5.1] z", &pre));
	/* no printk time: a trace-cmd record's "[001]", a bare count, nothing */
	cr_expect_null(pcr_console_strip("  sh-1 [001] 12.5: mm_page_free: pfn=0x1", &pre));
	cr_expect_null(pcr_console_strip("[001] 12.5: x", &pre));
	cr_expect_null(pcr_console_strip("[   12.] x", &pre));
	cr_expect_null(pcr_console_strip("plain text", &pre));
}

Test(console, dump_record)
{
	struct pcr_console_record rec;

	cr_assert(pcr_console_dump_record(
		"    init-1         1..... 28277us : mm_page_alloc: page=0 pfn=0x2416 order=1", &rec));
	EXPECT_U64(rec.comm_len, 4);
	cr_expect(!strncmp(rec.comm, "init", 4));
	EXPECT_I64(rec.pid, 1);
	EXPECT_I64(rec.cpu, 1);
	EXPECT_U64(rec.ts_ns, 28277000ull);
	cr_expect_str_eq(rec.event, "mm_page_alloc: page=0 pfn=0x2416 order=1");
	/* CPU 12 with irqs off and preempt depth 2; a latency mark after "us"; a '-' in the comm */
	cr_assert(pcr_console_dump_record("kworker-3-42 12d..2. 7us!: <stack trace>", &rec));
	EXPECT_U64(rec.comm_len, 9);
	EXPECT_I64(rec.pid, 42);
	EXPECT_I64(rec.cpu, 12);
	EXPECT_U64(rec.ts_ns, 7000);
	cr_expect_str_eq(rec.event, "<stack trace>");
	/* a clock not in nanoseconds: a bare count */
	cr_assert(pcr_console_dump_record("  sh-9  0.... 123456: mm_page_free: x", &rec));
	EXPECT_U64(rec.ts_ns, 123456);
	/* not a record: a space between CPU and flags, flags starting with a digit, no colon */
	cr_expect(!pcr_console_dump_record("init-1   1 ..... 28277us : x", &rec));
	cr_expect(!pcr_console_dump_record("init-1   12345 28277us : x", &rec));
	cr_expect(!pcr_console_dump_record("init-1   1..... 28277us x", &rec));
	cr_expect(!pcr_console_dump_record("CPU: 1 PID: 1 Comm: init Not tainted 6.1.0-57-amd64", &rec));
	cr_expect(!pcr_console_dump_record("sh-1 0..... 99999999999999999999us : x", &rec));
}

Test(console, gfp_names)
{
	struct pcr_console con;
	uint64_t gfp;

	pcr_console_init(&con);
	pcr_console_line(&con, "Linux version 6.1.0-57-amd64 (debian-kernel@lists.debian.org) #1");
	cr_expect_str_eq(con.release, "6.1.0-57-amd64");
	EXPECT_I64(pcr_console_gfp(&con, "GFP_KERNEL_ACCOUNT|__GFP_ZERO", 29, &gfp), 0);
	EXPECT_U64(gfp, 0x400dc0);
	EXPECT_I64(pcr_console_gfp(&con, "GFP_HIGHUSER_MOVABLE|__GFP_COMP", 31, &gfp), 0);
	EXPECT_U64(gfp, 0x100cca | 0x40000);
	EXPECT_I64(pcr_console_gfp(&con, "GFP_ATOMIC", 10, &gfp), 0);
	EXPECT_U64(gfp, 0xa20);
	EXPECT_I64(pcr_console_gfp(&con, "none", 4, &gfp), 0);
	EXPECT_U64(gfp, 0);
	/* the length bounds the names: "GFP_KERNEL" of "GFP_KERNEL|junk" */
	EXPECT_I64(pcr_console_gfp(&con, "GFP_KERNEL|junk", 10, &gfp), 0);
	EXPECT_U64(gfp, 0xcc0);
	EXPECT_I64(pcr_console_gfp(&con, "GFP_KERNEL|__GFP_NOPE", 21, &gfp), -PCR_ERR_INVAL);
	EXPECT_U64(gfp, 0);
	EXPECT_I64(pcr_console_gfp(&con, "GFP_KERNEL|", 11, &gfp), -PCR_ERR_INVAL);
	/* 6.18 has no __GFP_ATOMIC, and its GFP_ATOMIC is __GFP_HIGH|__GFP_KSWAPD_RECLAIM */
	pcr_console_init(&con);
	pcr_console_line(&con, "CPU: 0 PID: 7 Comm: sh Tainted: G        W  6.18.4 #2");
	cr_expect_str_eq(con.release, "6.18.4");
	EXPECT_I64(pcr_console_gfp(&con, "__GFP_ATOMIC", 12, &gfp), -PCR_ERR_INVAL);
	EXPECT_I64(pcr_console_gfp(&con, "GFP_ATOMIC", 10, &gfp), 0);
	EXPECT_U64(gfp, 0x820);
}

Test(console, crash_and_dump)
{
	struct pcr_console con;

	pcr_console_init(&con);
	cr_expect_null(pcr_console_note(&con));
	pcr_console_line(&con, "Kernel command line: console=ttyS0 trace_options=nop,stacktrace x");
	cr_expect(con.stacks);
	pcr_console_line(&con, "Kernel panic - not syncing: sysrq triggered crash");
	pcr_console_line(&con, "Oops: 0002 [#1] PREEMPT SMP NOPTI");	/* not the first */
	pcr_console_line(&con, "Dumping ftrace buffer:");
	cr_expect(con.in_dump);
	pcr_console_line(&con, "---------------------------------");
	cr_expect(con.in_dump);
	cr_expect_str_eq(pcr_console_note(&con), "ends at the crash: Kernel panic - not syncing: sysrq triggered crash; the ftrace_dump_on_oops dump is cut before its end");
	pcr_console_line(&con, "---------------------------------");
	cr_expect(!con.in_dump);
	cr_expect_str_eq(pcr_console_note(&con), "ends at the crash: Kernel panic - not syncing: sysrq triggered crash; after the ftrace_dump_on_oops dump of the ring buffer");

	pcr_console_init(&con);
	pcr_console_line(&con, "Kernel command line: trace_event=kmem:mm_page_alloc stacktrace");
	cr_expect(!con.stacks);
	pcr_console_line(&con, "Dumping ftrace buffer:");
	pcr_console_line(&con, "   (ftrace buffer empty)");
	cr_expect(con.dump_ended);
	cr_expect_str_eq(pcr_console_note(&con), "ends at a dump of the ring buffer (whole) without an oops or panic line: SysRq z or ftrace_dump()");

	/* bad_page() reports and goes on: the BUG() after it is the crash (fault-double_free-bug) */
	pcr_console_init(&con);
	pcr_console_line(&con, "BUG: Bad page state in process insmod  pfn:047cf");
	cr_expect_null(pcr_console_note(&con));
	pcr_console_line(&con, "kernel BUG at /tmp/module/pcr_fault.c:284!");
	pcr_console_line(&con, "invalid opcode: 0000 [#1] PREEMPT SMP NOPTI");
	cr_expect_str_eq(pcr_console_note(&con), "ends at the crash: kernel BUG at /tmp/module/pcr_fault.c:284!; no ftrace_dump_on_oops dump");
}

Test(console, orig_cpu)
{
	struct pcr_console con;
	const char *note;

	pcr_console_init(&con);
	pcr_console_line(&con, "smp: Brought up 1 node, 4 CPUs");
	EXPECT_I64(con.cpus_up, 4);
	pcr_console_line(&con, "Dumping ftrace buffer:");
	con.dump_cpus = 1u << 2;
	/* a dump of every CPU: nothing is missing even if some CPU has no record */
	EXPECT_U64(pcr_console_missing(&con, &note), 0);
	cr_expect_null(note);
	pcr_console_line(&con, "Kernel command line: console=ttyS0 ftrace_dump_on_oops=orig_cpu");
	EXPECT_U64(pcr_console_missing(&con, &note), 0xb);
	cr_assert_not_null(note);
	cr_expect(strstr(note, "the page events of 3 other CPU(s) are missing"), "%s", note);
	/* without the "Brought up" line: at least the CPU after the dumped one */
	con.cpus_up = 0;
	EXPECT_U64(pcr_console_missing(&con, &note), 0xb);
	con.dump_cpus = 1;
	EXPECT_U64(pcr_console_missing(&con, &note), 0x2);
}

/* ---- the text reader on a whole console log ---- */

struct got {
	struct pcr_event ev[16];
	char comm[16][PCR_COMM_LEN];
	int n;
};

static int take(const struct pcr_event *ev, void *payload)
{
	struct got *g = payload;

	if (ev->kind == PCR_EV_OTHER || g->n == 16)
		return 0;
	g->ev[g->n] = *ev;
	snprintf(g->comm[g->n], PCR_COMM_LEN, "%s", ev->comm ? ev->comm : "");
	g->ev[g->n].comm = NULL;
	g->n++;
	return 0;
}

/* Replays text through the reader; returns the replay's status and fills *g and *src. */
static int replay(const char *text, struct got *g, struct pcr_depot *depot,
		  struct pcr_source **src)
{
	char path[] = "/tmp/test_console.XXXXXX", errmsg[PCR_ERRMSG_LEN];
	struct pcr_source_options opts = { .depot = depot };
	int fd = mkstemp(path), ret;

	cr_assert(fd >= 0);
	cr_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	memset(g, 0, sizeof(*g));
	ret = pcr_text_open(src, path, &opts, errmsg);
	unlink(path);
	if (ret)
		return ret;
	return pcr_source_replay(*src, take, g, errmsg);
}

/* Replays text that must give nr page events; returns the open source. */
static struct pcr_source *replay_n(const char *text, struct got *g, struct pcr_depot *depot,
				   int nr)
{
	struct pcr_source *src = NULL;

	EXPECT_I64(replay(text, g, depot, &src), 0);
	cr_assert_not_null(src);
	cr_assert_eq(g->n, nr, "%d page events, expected %d", g->n, nr);
	return src;
}

static void expect_event(const struct pcr_event *ev, int kind, uint64_t pfn, int cpu, int pid,
			 uint64_t ts_ns)
{
	EXPECT_U64(ev->kind, kind);
	EXPECT_U64(ev->pfn, pfn);
	EXPECT_U64(ev->cpu, cpu);
	EXPECT_I64(ev->pid, pid);
	EXPECT_U64(ev->ts_ns, ts_ns);
}

/* Console noise between records, both CPUs, equal timestamps, a stack, the closing rule. */
static const char dump_log[] =
	"[    0.000000] Linux version 6.1.0-57-amd64 (debian-kernel@lists.debian.org) #1\r\n"
	"[    0.000000] Kernel command line: console=ttyS0 trace_options=stacktrace\r\n"
	"[    4.591865] Kernel panic - not syncing: sysrq triggered crash\r\n"
	"[    4.594803] Dumping ftrace buffer:\r\n"
	"[    4.594803] ---------------------------------\r\n"
	"[    4.594803]     init-1         1..... 28277us : mm_page_alloc: page=000000005 pfn=0x2416 order=1 migratetype=0 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO\r\n"
	"[    4.594803]     init-1         1..... 28279us : <stack trace>\r\n"
	"[    4.594803]  => trace_event_raw_event_mm_page_alloc\r\n"
	"[    4.594803]  => __alloc_pages\r\n"
	"[    4.594803]  => pgd_alloc\r\n"
	"[    4.594803]     init-103       0...1. 40848us : mm_page_free: page=00000000d pfn=0x241a order=1\r\n"
	"[    4.594810] random console output\r\n"
	"[    4.594803]     init-108       0...2. 40848us : mm_page_free_batched: page=0000006 pfn=0x33328 order=0\r\n"
	"[    4.594803] ---------------------------------\r\n"
	"[    4.594803] Kernel Offset: 0xac00000 from 0xffffffff81000000\r\n";

Test(console, dump_through_the_reader)
{
	const struct pcr_source_info *info;
	struct pcr_source *src;
	struct pcr_depot *depot;
	const uint64_t *frames;
	unsigned int nr;
	struct got g;

	cr_assert_eq(pcr_depot_new(&depot), 0);
	src = replay_n(dump_log, &g, depot, 3);
	expect_event(&g.ev[0], PCR_EV_ALLOC, 0x2416, 1, 1, 28277000);
	EXPECT_U64(g.ev[0].order, 1);
	EXPECT_U64(g.ev[0].gfp, 0x400dc0);
	cr_expect_str_eq(g.comm[0], "init");
	cr_assert_neq(g.ev[0].stack_id, 0);
	cr_assert_eq(pcr_depot_get(depot, g.ev[0].stack_id, &frames, &nr), 0);
	EXPECT_U64(nr, 3);
	expect_event(&g.ev[1], PCR_EV_FREE, 0x241a, 0, 103, 40848000);
	/* equal timestamps, in file order */
	expect_event(&g.ev[2], PCR_EV_FREE_BATCHED, 0x33328, 0, 108, 40848000);
	info = pcr_source_info(src);
	cr_expect_str_eq(info->kernel, "6.1.0-57-amd64");
	cr_expect_str_eq(info->end_note, "ends at the crash: Kernel panic - not syncing: sysrq triggered crash; after the ftrace_dump_on_oops dump of the ring buffer");
	cr_expect(!strncmp(info->format, "text (ftrace_dump_on_oops console)", 34), "%s",
		  info->format);
	EXPECT_U64(info->damaged, 0);
	pcr_source_close(src);
	pcr_depot_free(depot);
}

/* tp_printk lines, then a dump that repeats them: each event once. */
static const char tp_log[] =
	"[    4.817481] mm_page_alloc: page=0000000016131983 pfn=0x2624 order=1 migratetype=0 gfp_flags=GFP_KERNEL\n"
	"[    4.824644] mm_page_free: page=0000000016131983 pfn=0x2624 order=1\n"
	"[    5.000000] Kernel panic - not syncing: sysrq triggered crash\n"
	"[    5.000001] Dumping ftrace buffer:\n"
	"[    5.000001] ---------------------------------\n"
	"[    5.000001]     init-1         1..... 23773us : mm_page_alloc: page=0000000016131983 pfn=0x2624 order=1 migratetype=0 gfp_flags=GFP_KERNEL\n"
	"[    5.000001]     init-1         1..... 30936us : mm_page_free: page=0000000016131983 pfn=0x2624 order=1\n"
	"[    5.000001] ---------------------------------\n";

Test(console, tp_printk_then_dump)
{
	struct got g;
	struct pcr_source *src = replay_n(tp_log, &g, NULL, 2);

	expect_event(&g.ev[0], PCR_EV_ALLOC, 0x2624, 0, 0, 4817481000ull);
	EXPECT_U64(g.ev[0].gfp, 0xcc0);
	expect_event(&g.ev[1], PCR_EV_FREE, 0x2624, 0, 0, 4824644000ull);
	cr_expect(strstr(pcr_source_info(src)->format, "; 2 dump records repeat tp_printk lines"));
	pcr_source_close(src);
}

/*
 * Dump records cut and merged by the serial line: damaged, counted, the rest still read. The
 * merged line holds two records: the first one's order reads "1[", the second is lost with it.
 */
static const char cut_log[] =
	"[    5.000001] Dumping ftrace buffer:\n"
	"[    5.000001] ---------------------------------\n"
	"[    5.000001]     init-1         1..... 23773us : mm_page_alloc: page=0000000016131983 pfn=0x2624 order=1 migratetype=0\n"
	"[    5.000001]     init-1         1..... 23775us : mm_page_free: page=00000000161\n"
	"[    5.000001]     init-1         1..... 23776us : mm_page_free: page=0 pfn=0x99 order=1[    5.000001]     init-1         1..... 23777us : mm_page_free: page=0 pfn=0x98 order=0\n"
	"[    5.000001]     init-1         1..... 30936us : mm_page_free: page=0000000016131983 pfn=0x2624 order=1\n";

Test(console, cut_line)
{
	struct got g;
	struct pcr_source *src = replay_n(cut_log, &g, NULL, 2);

	expect_event(&g.ev[1], PCR_EV_FREE, 0x2624, 1, 1, 30936000);
	EXPECT_U64(pcr_source_info(src)->damaged, 2);
	cr_expect_str_eq(pcr_source_info(src)->end_note, "ends at a dump of the ring buffer (cut before its end) without an oops or panic line: SysRq z or ftrace_dump()");
	pcr_source_close(src);
}

/* dmesg -T's prefix: 2026-12-06 is day 20,793 since 1970-01-01 (56 years, 14 of them leap). */
Test(console, dmesg_T_prefix)
{
	struct pcr_console_prefix pre;
	const char *msg;

	msg = pcr_console_strip("[Sun Dec  6 14:00:05 2026]       rm-113       1..... 10us : z", &pre);
	cr_assert_not_null(msg);
	EXPECT_U64(pre.ts_ns, (20793ull * 86400 + 14 * 3600 + 5) * 1000000000ull);
	cr_expect_str_eq(msg, "rm-113       1..... 10us : z");
	msg = pcr_console_strip("[Thu Jan  1 00:00:00 1970] x", &pre);
	cr_assert_not_null(msg);
	EXPECT_U64(pre.ts_ns, 0);
	msg = pcr_console_strip("[Mon Mar 01 00:00:01 2027] x", &pre);	/* after Feb 28 */
	cr_assert_not_null(msg);
	EXPECT_U64(pre.ts_ns, (20878ull * 86400 + 1) * 1000000000ull);
	cr_expect_null(pcr_console_strip("[Sun Dex  6 14:00:05 2026] x", &pre));
	cr_expect_null(pcr_console_strip("[Sun Dec  6 24:00:05 2026] x", &pre));
	cr_expect_null(pcr_console_strip("[Sun Dec  6 14:00:05 2026 x", &pre));
}

Test(console, merged)
{
	cr_expect(pcr_console_merged("mm_page_free: page=0 pfn=0x99 order=1[    5.000001] init"));
	cr_expect(pcr_console_merged("x[Sun Dec  6 14:00:05 2026] y"));
	cr_expect(!pcr_console_merged("init-1 1..... 23776us : mm_page_free: pfn=0x99 order=1"));
	cr_expect(!pcr_console_merged("CPU:1 [LOST 1041 EVENTS]"));
}

Test(console, lava_record)
{
	char out[64];
	size_t len;

	EXPECT_I64(pcr_console_lava("- {\"dt\": \"2026-12-06T14:00:00.000000\", \"lvl\": \"target\", \"msg\": \"[    1.5] a \\\"b\\\" \\\\ \\t\\x41\\u00e9\\r\"}", out, sizeof(out), &len), PCR_LAVA_TARGET);
	cr_expect_str_eq(out, "[    1.5] a \"b\" \\ \tA?");
	EXPECT_U64(len, 21);
	/* feedback with its namespace after the message */
	EXPECT_I64(pcr_console_lava("- {\"dt\": \"x\", \"lvl\": \"feedback\", \"msg\": \"y\", \"ns\": \"z\"}", out, sizeof(out), &len), PCR_LAVA_TARGET);
	cr_expect_str_eq(out, "y");
	EXPECT_I64(pcr_console_lava("- {\"dt\": \"x\", \"lvl\": \"info\", \"msg\": \"start: 1\"}", out, sizeof(out), &len), PCR_LAVA_OTHER);
	EXPECT_I64(pcr_console_lava("- {\"dt\": \"x\", \"lvl\": \"results\", \"msg\": {\"case\": \"job\"}}", out, sizeof(out), &len), PCR_LAVA_OTHER);
	/* the file cut inside a record, and a bad escape */
	EXPECT_I64(pcr_console_lava("- {\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"[    1.5] mm_page_fr", out, sizeof(out), &len), PCR_LAVA_BROKEN);
	cr_expect_str_eq(out, "[    1.5] mm_page_fr");
	EXPECT_I64(pcr_console_lava("- {\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"a\\qb\"}", out, sizeof(out), &len), PCR_LAVA_BROKEN);
	/* a message longer than the buffer is cut to fit */
	EXPECT_I64(pcr_console_lava("- {\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"0123456789\"}", out, 5, &len), PCR_LAVA_TARGET);
	cr_expect_str_eq(out, "0123");
	EXPECT_I64(pcr_console_lava("[    1.5] mm_page_free: x", out, sizeof(out), &len), PCR_LAVA_NONE);
}
