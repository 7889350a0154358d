// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of formats/tepcheck.c: the kernel's own texts pass, and each way of leaving the
 * kernel's grammar is refused, the libtraceevent 1.7.1 crash input first. The texts are
 * written out here; one test also reads every format file of the running kernel.
 */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "pcr_formats.h"
#include "tepcheck.h"

/* The common fields of every event format, as 6.18 (x86_64) writes them. */
#define COMMON_FIELDS \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"

/* /sys/kernel/tracing/events/kmem/mm_page_free/format on 6.18 (x86_64). */
static const char mm_page_free[] =
	"name: mm_page_free\n"
	"ID: 655\n"
	"format:\n"
	COMMON_FIELDS
	"\n"
	"\tfield:unsigned long pfn;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned int order;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\n"
	"print fmt: \"page=%p pfn=0x%lx order=%d\", (((struct page *)vmemmap_base) + "
	"(REC->pfn)), REC->pfn, REC->order\n";

/* The head of every test event below: name, ID, one common field, one field g. */
#define HEAD "name: e\nID: 1\nformat:\n" \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\n" \
	"\tfield:unsigned long g;\toffset:8;\tsize:8;\tsigned:0;\n\n"

static int check(const char *text, char *why)
{
	char name[64];

	return pcr_tep_check_event(text, strlen(text), name, sizeof(name), why);
}

static void refused(const char *text, const char *want)
{
	char why[PCR_TEPCHECK_WHY] = "";

	cr_expect_eq(check(text, why), -PCR_ERR_FORMAT, "accepted: %s", text);
	cr_expect(strstr(why, want), "'%s' does not say '%s' for: %s", why, want, text);
}

Test(tepcheck, kernel_format_passes_and_names_the_event)
{
	char name[64], why[PCR_TEPCHECK_WHY];

	cr_assert_eq(pcr_tep_check_event(mm_page_free, strlen(mm_page_free), name, sizeof(name),
					 why), 0, "%s", why);
	cr_expect_str_eq(name, "mm_page_free");
}

Test(tepcheck, print_flags_and_symbolic_of_fields_pass)
{
	char why[PCR_TEPCHECK_WHY];

	cr_expect_eq(check(HEAD "print fmt: \"%s\", (REC->g) ? __print_flags(REC->g, \"|\", "
			   "{( unsigned long)(((1UL)) << (5)), \"__GFP_HIGH\"}) : \"none\"\n",
			   why), 0, "%s", why);
	cr_expect_eq(check(HEAD "print fmt: \"%s\", __print_symbolic(REC->g, {0, \"a\"}, "
			   "{1, \"b\"})\n", why), 0, "%s", why);
	/* ftrace's func_repeats writes (REC)->x */
	cr_expect_eq(check(HEAD "print fmt: \"%llu\", ((u64)(REC)->g << 32)\n", why), 0, "%s",
		     why);
	/* casts to pointers, unary operators after binary ones, statement blocks */
	cr_expect_eq(check(HEAD "print fmt: \"%p %d\", (void *)REC->g, REC->g & ~(1 << 3)\n",
			   why), 0, "%s", why);
	cr_expect_eq(check(HEAD "print fmt: \"%d\", ({ int x = (REC->g); (x) < 2 ? x : 2; })\n",
			   why), 0, "%s", why);
	/* ext4 prints newlines inside its format strings */
	cr_expect_eq(check(HEAD "print fmt: \"a\nb %lu\", REC->g\n", why), 0, "%s", why);
}

/* The input that crashes libtraceevent 1.7.1 in process_entry() (see tepcheck.c). */
Test(tepcheck, print_flags_of_a_missing_field_is_refused)
{
	refused(HEAD "print fmt: \"%s\", __print_flags(REC->nosuch, \"|\", {1, \"x\"})\n",
		"field (REC->...) the event lacks");
	refused(HEAD "print fmt: \"%s\", __print_symbolic((REC)->nosuch, {1, \"x\"})\n",
		"field (REC->...) the event lacks");
	refused(HEAD "print fmt: \"%s\", __print_flags(REC->", "field (REC->...) the event lacks");
}

Test(tepcheck, broken_print_fmts_are_refused)
{
	refused(HEAD "print fmt: \"%s\", __print_flags(REC->g, \"|\", {1, \"x\"}\n",
		"does not close");
	refused(HEAD "print fmt: \"%s\", f(REC->g]\n", "bracket that does not match");
	refused(HEAD "print fmt: \"%s, REC->g\n", "does not start with a closed string");
	refused(HEAD "print fmt: \"%s\", \"x\n", "does not close");
	refused(HEAD "print fmt: \"%s\", REC->g,\n", "ends in ','");
	refused(HEAD "print fmt: \"%s\", f(REC->g,, 1)\n", "empty argument");
	refused(HEAD "print fmt: \"%s\", REC->g @ 1\n", "no C expression has");
	refused(HEAD "print fmt: \"%s\", REC g\n", "REC without '->'");
	refused(HEAD "print fmt: \"%s\", REC->g\nmore\n", "no C expression has");
	/* found by fuzz_perfdata: libtraceevent 1.7.1 leaks a token on "(%UL)" */
	refused(HEAD "print fmt: \"%lu\", ((%UL) << (10))\n", "without its left operand");
	refused(HEAD "print fmt: \"%lu\", (REC->g +)\n", "without its right operand");
	/* found by fuzz_perfdata: libtraceevent 1.7.1 crashes on "0l REC->x" */
	refused(HEAD "print fmt: \"%d %d\", REC->g != -1UL ? REC->g : 0l REC->g, REC->g\n",
		"two operands without an operator");
	refused(HEAD "print fmt: \"%d\", REC->g \"x\"\n", "two operands without an operator");
	/* found by fuzz_tracedat: "LOC REC" is one atom to libtraceevent, then NULL at "->" */
	refused(HEAD "print fmt: \"%d %d\", REC->g != -1UL ? REC->g :LOC REC->g, REC->g\n",
		"two operands without an operator");
	refused(HEAD "print fmt: \"%d\", x\tREC->g\n", "two operands without an operator");
	/* found by fuzz_perfdata: libtraceevent 1.7.1 divides by zero on "R/EC->x" */
	refused(HEAD "print fmt: \"%d\", R/EC->g\n", "a '/' or '%' by what may be a constant 0");
	refused(HEAD "print fmt: \"%d\", R->g\n", "'->' after something other than REC");
	refused(HEAD "print fmt: \"%s\", __print_flags(REC->g, \"|\", {1, ~\"x\"})\n",
		"unary operator before a print fmt string");
	refused(HEAD "print fmt: \"%lu\", REC->g <<\n", "without its right operand");
	/* found by fuzz_tracedat: libtraceevent 1.7.1 leaks a token on "(s|ruct page *)" */
	refused(HEAD "print fmt: \"%p\", (((s|ruct page *)vmemmap_base) + (REC->g))\n",
		"an operator other than '*' in a cast's type");
	refused(HEAD "print fmt: \"%lu\", (unsigned long - 1)REC->g\n",
		"an operator other than '*' in a cast's type");
	cr_expect_eq(check(HEAD "print fmt: \"%p %lu\", (((struct page *)vmemmap_base) + "
			   "(REC->g)), (unsigned long)(REC->g * 2)\n", NULL), 0);
}

/* ftrace:kernel_stack as tests/fuzz/corpus_tracedat/crash-index-then-dot has it: ',' -> '.' */
static const char kernel_stack_dot[] =
	"name: kernel_stack\n"
	"ID: 4\n"
	"format:\n"
	COMMON_FIELDS
	"\n"
	"\tfield:int size;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:unsigned long caller[8];\toffset:16;\tsize:64;\tsigned:0;\n"
	"\n"
	"print fmt: \"\\t=> %ps\\n\\t=> %ps\\n\\t=> %ps\\n\", (void *)REC->caller[0], "
	"(void *)REC->caller[1]. (void *)REC->caller[2]\n";

/* An event with an array field, for the shapes after an index. */
#define HEAD_ARRAY "name: e\nID: 1\nformat:\n" \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\n" \
	"\tfield:unsigned long g;\toffset:8;\tsize:8;\tsigned:0;\n" \
	"\tfield:unsigned long a[4];\toffset:16;\tsize:32;\tsigned:0;\n\n"

/*
 * Found by fuzz_tracedat (issue 17): libtraceevent 1.7.1 reads NULL+8 in process_op() when an
 * operator it does not know follows an index's ']' or the operand after a '? :'.
 */
Test(tepcheck, unknown_operator_after_index_or_condition_is_refused)
{
	const char *after_index = "an operator libtraceevent does not know after an index's ']'";
	const char *after_cond = "does not know after the operand of a '? :'";
	char why[PCR_TEPCHECK_WHY];

	refused(kernel_stack_dot, after_index);
	refused(kernel_stack_dot, "line 12:");
	refused(HEAD_ARRAY "print fmt: \"%lx\", REC->a[1] -> g\n", "'->' after something");
	refused(HEAD_ARRAY "print fmt: \"%lx\", REC->a[1][2]\n", after_index);
	refused(HEAD_ARRAY "print fmt: \"%lx\", REC->a[1] = 2\n", after_index);
	refused(HEAD_ARRAY "print fmt: \"%lx\", REC->a[1] += 2\n", after_index);
	refused(HEAD_ARRAY "print fmt: \"%lx\", REC->a[1] <<= 2\n", after_index);
	refused(HEAD_ARRAY "print fmt: \"%lx\", REC->a[1]; 2\n", after_index);
	refused(HEAD_ARRAY "print fmt: \"%s\", __print_symbolic(REC->g, {1, \"x\"}, "
		"{REC->a[1]})\n", after_index);
	/* mm_page_alloc in crash-cond-then-assign: "((void *)0)=%d" after the ':' */
	refused(HEAD "print fmt: \"%p %d\", REC->g != -1UL ? (((struct page *)vmemmap_base) + "
		"(REC->g)) : ((void *)0)=%d migratetype, REC->g\n", after_cond);
	refused(HEAD "print fmt: \"%d\", REC->g ? 1 : 2 . 3\n", after_cond);
	refused(HEAD "print fmt: \"%d\", (REC->g ? 1 : \"s\" . 3)\n", after_cond);
	refused(HEAD "print fmt: \"%d\", REC->g ? 1 : 2 ? 3 : (int)4 . 5\n", after_cond);
	refused(HEAD_ARRAY "print fmt: \"%d\", REC->g ? 1 : REC->a[1]\n", after_cond);
	/* operators libtraceevent knows, and the same shapes where it does not crash, pass */
	cr_expect_eq(check(HEAD_ARRAY "print fmt: \"%lx\", REC->a[1] << 2 | REC->a[2] && "
			   "REC->a[3] ? REC->a[0] : 1\n", why), 0, "%s", why);
	cr_expect_eq(check(HEAD_ARRAY "print fmt: \"%lx\", REC->g ? 1 : 2 + REC->a[1], "
			   "REC->g ? 1 : -2, (REC->g ? 1 : 2), REC->g ? REC->a[1] : 2\n", why), 0,
		     "%s", why);
	cr_expect_eq(check(HEAD_ARRAY "print fmt: \"%d\", ({ int x = REC->a[1]; x ? x : 2; })\n",
			   why), 0, "%s", why);
}

/*
 * Found by a generator of print fmts checked against libtraceevent 1.7.1 (issue 17): it
 * divides while it parses when both operands are constants, and reads an identifier or a
 * string as 0 (SIGFPE, the "R/EC->x" crash in general).
 */
Test(tepcheck, division_by_a_constant_zero_is_refused)
{
	const char *want = "a '/' or '%' by what may be a constant 0";
	char why[PCR_TEPCHECK_WHY];

	refused(HEAD "print fmt: \"%d\", 1 / x\n", want);
	refused(HEAD "print fmt: \"%d\", 1 % 0x0\n", want);
	refused(HEAD "print fmt: \"%d\", 1 / 08\n", want);
	refused(HEAD "print fmt: \"%d\", 1UL % \"s\"\n", want);
	refused(HEAD "print fmt: \"%d\", 1 / (void *)\n", want);
	refused(HEAD "print fmt: \"%d\", 1 / (0) + 1\n", want);
	refused(HEAD "print fmt: \"%d\", 1 / 2 * 0\n", want);
	refused(HEAD "print fmt: \"%d\", 1 / 2 % 2\n", want);
	refused(HEAD "print fmt: \"%s\", __print_symbolic(REC->g, {1 % 0, \"x\"})\n", want);
	/* what kernels write: a field by a number or a sizeof() */
	cr_expect_eq(check(HEAD "print fmt: \"%lu %lu %lu %lu\", (jiffies - REC->g) / 250, "
			   "REC->g / 1000L, REC->g % 64, __get_dynamic_array_len(g) / "
			   "sizeof(u64)\n", why), 0, "%s", why);
	/* arm64's emulation:instruction_emulation: libtraceevent parses nothing before ',' */
	cr_expect_eq(check(HEAD "print fmt: \"instr=\"%s\" addr=0x%llx\", REC->g\n", why), 0,
		     "%s", why);
	cr_expect_eq(check(HEAD "print fmt: \"%d\", 1 / REC->g * 0 + 1 / -x + 1 / (int)0 + "
			   "1 / (REC->g - 1) + 1 / f(0)\n", why), 0, "%s", why);
}

Test(tepcheck, deep_nesting_is_refused)
{
	char text[1024];
	int i, n;

	n = snprintf(text, sizeof(text), HEAD "print fmt: \"%%d\", ");
	for (i = 0; i < 65; i++)
		text[n++] = '(';
	text[n] = '\0';
	refused(text, "nested more than 64 deep");
}

Test(tepcheck, broken_headers_and_fields_are_refused)
{
	refused("ID: 1\nformat:\nprint fmt: \"x\"\n", "no 'name: ' line");
	refused("name: a b\nID: 1\nformat:\nprint fmt: \"x\"\n", "no identifier");
	refused("name: e\nID: 65536\nformat:\nprint fmt: \"x\"\n", "up to 65535");
	refused("name: e\nID: 1\nformats:\nprint fmt: \"x\"\n", "no 'format:' line");
	refused("name: e\nID: 1\nformat:\n\tfield:int a;\toffset:0;\tsize:4;\n",
		"no 'print fmt: ' line");
	refused("name: e\nID: 1\nformat:\n\tfield:int a;\toffset:0;\n", "without offset and size");
	refused("name: e\nID: 1\nformat:\n\tfield:int a(b);\toffset:0;\tsize:4;\n",
		"no C type has");
	/* found by fuzz_perfdata: libtraceevent 1.7.1 leaks on "unsigned [har x" */
	refused("name: e\nID: 1\nformat:\n\tfield:unsigned [har x;\toffset:0;\tsize:1;\n",
		"misplaced '['");
	refused("name: e\nID: 1\nformat:\n\tfield:char x[16;\toffset:0;\tsize:16;\n",
		"an open '['");
	refused("name: e\nID: 1\nformat:\n\tfield:char x[1]y;\toffset:0;\tsize:16;\n",
		"an open '['");
	refused("name: e\nID: 1\nformat:\n\tfield:int a;\toffset:0;\tsize:4;\tsigned:2;\n",
		"bad 'signed:'");
	refused("name: e\nID: 1\nformat:\n\tfield:int a;\toffset:99999;\tsize:4;\n",
		"without offset and size");
	refused("name: e\nID: 1\nformat:\nhello\n", "a line that is no field");
	refused("name: e\nID: 1\nformat:\n\tfield:int a;\toffset:0;\tsize:4;\t\001\n",
		"not printable");
}

/*
 * libtraceevent 1.7.1's process_sizeof() reads the token it has just freed (heap-use-after-free
 * under ASan; upstream fixed it in 1.7.2) after "sizeof(int)", "sizeof(unsigned int)",
 * "sizeof(long long)" and "sizeof(REC->x)". 6.18 writes "sizeof(unsigned int)" in
 * dma:dma_map_sg and dma_sync_sg_*, but always after a "({" or a "sizeof(u64)", where
 * libtraceevent has given the print fmt up: those pass.
 */
#define DMA_SYNC_SG_FMT \
	"print fmt: \"%s dir=%s dma_addrs=%s sizes=%s\", __get_str(g), " \
	"__print_symbolic(REC->g, { 0, \"BIDIRECTIONAL\" }, { 3, \"NONE\" }), " \
	"__print_array(__get_dynamic_array(g), __get_dynamic_array_len(g) / sizeof(u64), " \
	"sizeof(u64)), __print_array(__get_dynamic_array(g), __get_dynamic_array_len(g) / " \
	"sizeof(unsigned int), sizeof(unsigned int))\n"

static const char *const sizeof_passes[][2] = {
	/* the print fmt, and whether libtraceevent 1.7.1 parses it (1) or gives it up (0) */
	{ HEAD "print fmt: \"%d %d %d\", sizeof(long), sizeof( unsigned long ), "
	  "sizeof(unsigned)\n", "1" },
	{ HEAD "print fmt: \"%d %d\", sizeof(u64), sizeof(unsigned int)\n", "0" },
	{ HEAD "print fmt: \"%d %d\", sizeof(unsigned char), sizeof(int)\n", "0" },
	{ HEAD "print fmt: \"%d %d\", ({ int x = 1; x; }), sizeof(long long)\n", "0" },
	{ HEAD DMA_SYNC_SG_FMT, "0" },
};

Test(tepcheck, a_sizeof_libtraceevent_reads_after_freeing_is_refused)
{
	static const char *const args[] = {
		"sizeof(int)", "sizeof(unsigned int)", "sizeof( long\tlong )",
		"sizeof(unsigned long long)", "sizeof(REC->g)", "sizeof(long), REC->g / sizeof (int)",
		"__print_array(__get_dynamic_array(g), 2, sizeof(int))",
	};
	char why[PCR_TEPCHECK_WHY], fmt[512];
	size_t i;

	for (i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
		snprintf(fmt, sizeof(fmt), HEAD "print fmt: \"%%d %%d\", %s\n", args[i]);
		refused(fmt, "a sizeof() libtraceevent 1.7.1 reads after freeing it");
	}
	/*
	 * What passes goes to libtraceevent here: under ASan (tests/run-all.sh) a read of
	 * freed memory fails the test, and in every build it gives the texts up where the
	 * check says it does.
	 */
	for (i = 0; i < sizeof(sizeof_passes) / sizeof(sizeof_passes[0]); i++) {
		const char *text = sizeof_passes[i][0];
		struct tep_handle *tep = tep_alloc();
		struct tep_event *event = NULL;

		cr_assert_not_null(tep);
		tep_set_long_size(tep, 8);
		cr_expect_eq(check(text, why), 0, "%s: %s", text, why);
		tep_parse_format(tep, &event, text, strlen(text), "e");
		cr_assert_not_null(event, "%s", text);
		cr_expect_eq(!(event->flags & TEP_EVENT_FL_FAILED), sizeof_passes[i][1][0] == '1',
			     "libtraceevent %s %s", event->flags & TEP_EVENT_FL_FAILED ?
			     "gave up" : "parsed", text);
		tep_free(tep);
	}
}

Test(tepcheck, every_format_of_the_running_kernel_passes)
{
	static char buf[1 << 16];
	size_t i, passed = 0;
	glob_t g;

	if (glob("/sys/kernel/tracing/events/*/*/format", 0, NULL, &g) || g.gl_pathc < 10) {
		globfree(&g);
		cr_skip_test("no readable /sys/kernel/tracing/events");
	}
	for (i = 0; i < g.gl_pathc; i++) {
		char name[128], why[PCR_TEPCHECK_WHY];
		FILE *f = fopen(g.gl_pathv[i], "r");
		size_t n;

		cr_assert(f, "%s", g.gl_pathv[i]);
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		cr_expect_eq(pcr_tep_check_event(buf, n, name, sizeof(name), why), 0, "%s: %s",
			     g.gl_pathv[i], why);
		passed++;
	}
	cr_expect_eq(passed, g.gl_pathc);
	globfree(&g);
}

Test(tepcheck, kallsyms)
{
	static const char good[] = "ffffffff81000000 T _text\n"
				   "ffffffffc0a01000 t ext4_fill_super\t[ext4]\n0 A fixed_percpu_data\n";
	char why[PCR_TEPCHECK_WHY];

	cr_expect_eq(pcr_tep_check_kallsyms(good, strlen(good), why), 0, "%s", why);
	cr_expect_eq(pcr_tep_check_kallsyms("ffffffff81000000 T\n", 19, why), -PCR_ERR_FORMAT);
	cr_expect_eq(pcr_tep_check_kallsyms("zz T a\n", 7, why), -PCR_ERR_FORMAT);
	cr_expect_eq(pcr_tep_check_kallsyms("1 T a b\n", 8, why), -PCR_ERR_FORMAT);
	cr_expect_eq(pcr_tep_check_kallsyms("1 T a\t[m\n", 9, why), -PCR_ERR_FORMAT);
	cr_expect_eq(pcr_tep_check_kallsyms("11111111111111111 T a\n", 22, why),
		     -PCR_ERR_FORMAT);
}

/* A string literal and its length without the NUL. */
#define TEXT(s) s, sizeof(s) - 1

/*
 * The single pass of the kallsyms check says what the two passes before it said: a byte that
 * is not printable anywhere in the text is told first (line 0), before a bad line that comes
 * earlier; otherwise the first bad line, by number; the last line may lack its newline; a
 * module's name may hold a tab (printable for the check), an empty line is a bad line.
 */
Test(tepcheck, kallsyms_messages)
{
	char why[PCR_TEPCHECK_WHY];

	cr_expect_eq(pcr_tep_check_kallsyms(TEXT("1 T a\n2 T b"), why), 0, "%s", why);
	cr_expect_eq(pcr_tep_check_kallsyms(TEXT("1 T a\t[m\tx]\n"), why), 0, "%s", why);
	cr_expect_eq(pcr_tep_check_kallsyms(TEXT("1 T a\n2 T b c\n3 T \x01\n"), why),
		     -PCR_ERR_FORMAT);
	cr_expect_str_eq(why, "line 0: a byte that is not printable ASCII");
	cr_expect_eq(pcr_tep_check_kallsyms(TEXT("1 T a\n2 T b c\n3 T d\n"), why),
		     -PCR_ERR_FORMAT);
	cr_expect_str_eq(why, "line 2: a kallsyms symbol name with a space");
	cr_expect_eq(pcr_tep_check_kallsyms(TEXT("1 T a\n\n3 T d\n"), why), -PCR_ERR_FORMAT);
	cr_expect_str_eq(why, "line 2: a kallsyms line that is not 'ADDRESS TYPE NAME'");
	cr_expect_eq(pcr_tep_check_kallsyms(TEXT("1 T a\n2 T b\t[m"), why), -PCR_ERR_FORMAT);
	cr_expect_str_eq(why, "line 2: a kallsyms module that is not '\\t[NAME]'");
	cr_expect_eq(pcr_tep_check_kallsyms(TEXT("1 T a\t[m\x80]\n"), why), -PCR_ERR_FORMAT);
	cr_expect_str_eq(why, "line 0: a byte that is not printable ASCII");
}

Test(tepcheck, saved_cmdlines)
{
	static const char good[] = "31711 date\n15 rcu_preempt\n3936 kworker/u4:1\n";
	char why[PCR_TEPCHECK_WHY];

	cr_expect_eq(pcr_tep_check_cmdlines(good, strlen(good), why), 0, "%s", why);
	cr_expect_eq(pcr_tep_check_cmdlines("x date\n", 7, why), -PCR_ERR_FORMAT);
	cr_expect_eq(pcr_tep_check_cmdlines("12\n", 3, why), -PCR_ERR_FORMAT);
	cr_expect_eq(pcr_tep_check_cmdlines("12 \n", 4, why), -PCR_ERR_FORMAT);
	cr_expect_eq(pcr_tep_check_cmdlines("99999999 a\n", 11, why), -PCR_ERR_FORMAT);
}
