/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A replay session: what every command that replays events shares (replay of a file, live,
 * diff): the engine, the stack depot, the signature table, suppressions, the report in each
 * output format and the exit status. Commands feed it normalized events from any reader.
 */
#ifndef PCR_SESSION_H
#define PCR_SESSION_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "inject.h"
#include "pagecheck.h"
#include "pcr_formats.h"
#include "run.h"

enum pcr_output_format {
	PCR_FORMAT_TEXT,
	PCR_FORMAT_JSON,
	PCR_FORMAT_KTAP,
	PCR_FORMAT_JUNIT,
};

/* Every violation kind fails the run unless --fail-on says otherwise. */
#define PCR_FAIL_ON_ALL ((1u << PCR_VIOL_NR) - 1)

/**
 * struct pcr_session_opts - the options every replaying command shares
 * @engine:		the engine's options (model, boot phase, pfn range)
 * @kallsyms_path:	--kallsyms
 * @vmlinux_path:	--vmlinux
 * @modules_dir:	--modules-dir
 * @suppressions_path:	--suppressions
 * @write_suppressions_path: --write-suppressions
 * @max_reports:	--max-reports (0: no limit)
 * @examples:		--examples: violation blocks the text report prints for each group of
 *			kind, class and signature (0: all)
 * @inject:		--inject faults, sorted by time
 * @nr_inject:		how many
 * @explain_pfn:	--explain
 * @format:		--format
 * @fail_on:		--fail-on, a bit per enum pcr_violation_kind
 * @running_from_set:	--running-from was given: it overrides the boundary found in a boot
 *			recording
 * @explain:		--explain was given
 * @validate:		--validate
 * @quiet:		--quiet
 * @allow_lost:		--allow-lost
 * @allow_damaged:	--allow-damaged: damaged records, or a recording with page frees and
 *			no allocation (or the reverse), are judged anyway
 * @allow_undecidable:	--allow-undecidable: candidates the recording cannot decide do not
 *			make the verdict inconclusive
 * @silent:		print no report (a diff reads the run instead)
 * @strict:		--strict: every violation counts, whatever its class
 * @show_explained:	--show-explained
 * @show_undecidable:	--show-undecidable: the text report prints undecidable candidates'
 *			blocks too
 * @stats:		--stats: the text report ends with every counter
 * @stream_blocks:	print the text report's blocks as they are found, not after the
 *			headline (live: a run ends when the user stops it)
 * @replay_kmem:	--replay=kmem: replay the kmem page events even when the recording holds
 *			the RFC checker's own hook calls
 */
struct pcr_session_opts {
	struct pcr_options engine;
	const char *kallsyms_path;
	const char *vmlinux_path;
	const char *modules_dir;
	const char *suppressions_path;
	const char *write_suppressions_path;
	struct pcr_injection *inject;
	size_t nr_inject;
	uint64_t max_reports;
	uint64_t examples;
	uint64_t explain_pfn;
	enum pcr_output_format format;
	unsigned int fail_on;
	bool running_from_set;
	bool explain;
	bool validate;
	bool quiet;
	bool allow_lost;
	bool allow_damaged;
	bool allow_undecidable;
	bool silent;
	bool strict;
	bool show_explained;
	bool show_undecidable;
	bool stats;
	bool stream_blocks;
	bool replay_kmem;
};

/* Example blocks the text report prints for each group by default. */
#define PCR_EXAMPLES_DEFAULT 3

#define PCR_SESSION_OPTS_INIT								\
	{ .engine = PCR_OPTIONS_INIT, .fail_on = PCR_FAIL_ON_ALL,			\
	  .examples = PCR_EXAMPLES_DEFAULT }

/* getopt_long values of the shared options; a command's own options use values below. */
enum {
	PCR_OPT_MODEL = 0x1000,
	PCR_OPT_RUNNING_FROM,
	PCR_OPT_PFN_RANGE,
	PCR_OPT_VALIDATE,
	PCR_OPT_ALLOW_LOST,
	PCR_OPT_MAX_REPORTS,
	PCR_OPT_KALLSYMS,
	PCR_OPT_VMLINUX,
	PCR_OPT_MODULES_DIR,
	PCR_OPT_EXPLAIN,
	PCR_OPT_FORMAT,
	PCR_OPT_FAIL_ON,
	PCR_OPT_SUPPRESSIONS,
	PCR_OPT_WRITE_SUPPRESSIONS,
	PCR_OPT_INJECT,
	PCR_OPT_STRICT,
	PCR_OPT_SHOW_EXPLAINED,
	PCR_OPT_REPLAY,
	PCR_OPT_ALLOW_DAMAGED,
	PCR_OPT_ALLOW_UNDECIDABLE,
	PCR_OPT_EXAMPLES,
	PCR_OPT_SHOW_UNDECIDABLE,
	PCR_OPT_STATS,
};

/* The shared long options, for a command's own getopt_long table. */
#define PCR_SESSION_LONG_OPTIONS						\
	{ "model", required_argument, NULL, PCR_OPT_MODEL },			\
	{ "running-from", required_argument, NULL, PCR_OPT_RUNNING_FROM },	\
	{ "pfn-range", required_argument, NULL, PCR_OPT_PFN_RANGE },		\
	{ "validate", no_argument, NULL, PCR_OPT_VALIDATE },			\
	{ "allow-lost", no_argument, NULL, PCR_OPT_ALLOW_LOST },		\
	{ "allow-damaged", no_argument, NULL, PCR_OPT_ALLOW_DAMAGED },		\
	{ "allow-undecidable", no_argument, NULL, PCR_OPT_ALLOW_UNDECIDABLE },	\
	{ "max-reports", required_argument, NULL, PCR_OPT_MAX_REPORTS },	\
	{ "kallsyms", required_argument, NULL, PCR_OPT_KALLSYMS },		\
	{ "vmlinux", required_argument, NULL, PCR_OPT_VMLINUX },		\
	{ "modules-dir", required_argument, NULL, PCR_OPT_MODULES_DIR },	\
	{ "explain", required_argument, NULL, PCR_OPT_EXPLAIN },		\
	{ "format", required_argument, NULL, PCR_OPT_FORMAT },			\
	{ "fail-on", required_argument, NULL, PCR_OPT_FAIL_ON },		\
	{ "suppressions", required_argument, NULL, PCR_OPT_SUPPRESSIONS },	\
	{ "write-suppressions", required_argument, NULL, PCR_OPT_WRITE_SUPPRESSIONS }, \
	{ "inject", required_argument, NULL, PCR_OPT_INJECT },			\
	{ "strict", no_argument, NULL, PCR_OPT_STRICT },				\
	{ "show-explained", no_argument, NULL, PCR_OPT_SHOW_EXPLAINED },		\
	{ "show-undecidable", no_argument, NULL, PCR_OPT_SHOW_UNDECIDABLE },	\
	{ "examples", required_argument, NULL, PCR_OPT_EXAMPLES },		\
	{ "stats", no_argument, NULL, PCR_OPT_STATS },				\
	{ "replay", required_argument, NULL, PCR_OPT_REPLAY },			\
	{ "quiet", no_argument, NULL, 'q' }

/* The --help lines of the shared options. */
#define PCR_SESSION_HELP							\
	"  --model=window|kernel   window (default): a page's state is unknown until its first\n" \
	"                          event; kernel: every page starts free, as in the RFC\n"	\
	"  --running-from=SECONDS  system_state reaches SYSTEM_RUNNING at this timestamp; double\n" \
	"                          frees before it are not violations (default: found from the\n" \
	"                          boot markers of a recording that starts at boot, else the\n" \
	"                          whole recording is after boot)\n"			\
	"  --pfn-range=MIN-MAX     track only pfns MIN..MAX-1 (the RFC's memblock range); events\n" \
	"                          outside are skipped and counted\n"			\
	"  --replay=auto|kmem      auto (default): a recording of a kernel that runs the RFC\n" \
	"                          checker and traces its hook calls (page_consistency:pc_update)\n" \
	"                          is replayed from those; kmem: from the kmem page events\n" \
	"  --validate              run the RFC's validate scan at the end and report the\n" \
	"                          inconsistent words\n"					\
	"  --allow-lost            a recording that lost events is judged anyway (exit 0 or 1\n" \
	"                          instead of 3)\n"						\
	"  --allow-damaged         a recording with damaged page-event records (text lines not\n" \
	"                          understood, unknown event ids) or with frees and no\n"	\
	"                          allocation (or the reverse) is judged anyway (else exit 3)\n" \
	"  --allow-undecidable     double allocs and frees the recording cannot decide (no\n" \
	"                          stacks, no compaction events) do not make the verdict\n" \
	"                          inconclusive (exit 3); they are still counted\n" \
	"  --format=FORMAT         text (default), json, ktap (KTAP v1, one test per violation\n" \
	"                          kind and one for lost events) or junit (JUnit XML)\n"	\
	"  --strict                every double alloc and double free fails the run, as in the\n" \
	"                          RFC; by default those explained by a path the tracepoints\n" \
	"                          miss (compaction, vmalloc, ...) or undecidable are\n" \
	"                          reported and counted apart\n"				\
	"  --show-explained        also print the blocks of explained violations\n"	\
	"  --show-undecidable      also print the blocks of undecidable candidates\n"	\
	"  --examples=N|all        print N blocks of each group of kind, class and signature\n" \
	"                          (default 3; all are counted in the candidates table)\n" \
	"  --stats                 end the report with every counter, as 'name: value' lines\n" \
	"  --fail-on=KINDS         the violation kinds that fail the run: a comma list of\n" \
	"                          double-alloc, double-free, invariant, or all (default) or\n" \
	"                          none\n"							\
	"  --suppressions=FILE     known violations, one 'KIND SIGNATURE' a line ('#' comments;\n" \
	"                          KIND may be '*'): reported as suppressed, never failing\n" \
	"  --write-suppressions=FILE  write this run's violations as a suppressions file\n" \
	"  --max-reports=N         print at most N violation blocks (all are counted)\n"	\
	"  --kallsyms=FILE         name stack frames with this copy of the traced machine's\n" \
	"                          /proc/kallsyms instead of the recording's own; one that\n" \
	"                          does not fit the recording is refused (exit 2). Without\n" \
	"                          it a perf.data of the running kernel (its build id) is\n" \
	"                          named with /proc/kallsyms\n"				\
	"  --vmlinux=FILE          add file:line, with the inlined functions, to stack frames\n" \
	"                          from this vmlinux with debug info; one that is not the\n" \
	"                          traced kernel's (release, kallsyms) is refused (exit 2)\n" \
	"  --modules-dir=DIR       with --vmlinux: look for modules' debug files (NAME.ko,\n" \
	"                          NAME.ko.debug) under DIR (default: /usr/lib/debug/lib/\n" \
	"                          modules/RELEASE, RELEASE the recording's)\n"		\
	"  --explain=PFN           print every event of page PFN (decimal or 0x-hex) with its\n" \
	"                          stack and the page's bits after it\n"			\
	"  --inject=SPEC[,SPEC...]\n"							\
	"                          inject faults to prove they are caught: SPEC is\n"	\
	"                          double-alloc|double-free|flip-primary|flip-secondary\n" \
	"                          :PFN@SECONDS (before the first event at or after then)\n" \
	"  -q, --quiet             print no violation blocks, only the verdict, why and the\n" \
	"                          candidates table\n"

/**
 * pcr_session_opts_release - free what parsing the options allocated (--inject)
 * @o: the options
 */
void pcr_session_opts_release(struct pcr_session_opts *o);

/**
 * pcr_session_option - take one shared option
 * @o: the options
 * @opt: getopt_long's value
 * @arg: the option's argument, or NULL
 *
 * Return: 0 when taken, 1 when @opt is not a shared option, -1 when its value is bad (a message
 * naming the option is printed on stderr).
 */
int pcr_session_option(struct pcr_session_opts *o, int opt, const char *arg);

struct pcr_session;

/**
 * pcr_session_new - create a session
 * @out: receives the session
 * @opts: the options; they must outlive the session
 * @errmsg: receives a one-line message on failure (PCR_ERRMSG_LEN bytes)
 *
 * Loads --kallsyms, --vmlinux and --suppressions; the vmlinux is checked against the recording
 * when its first stack is printed, or at the end.
 *
 * Return: 0 or a negative error code.
 */
int pcr_session_new(struct pcr_session **out, const struct pcr_session_opts *opts, char *errmsg);

/**
 * pcr_session_free - release a session
 * @s: the session, or NULL
 */
void pcr_session_free(struct pcr_session *s);

/**
 * pcr_session_depot - the depot a reader stores the recording's stacks in
 * @s: the session
 *
 * Return: the depot.
 */
struct pcr_depot *pcr_session_depot(struct pcr_session *s);

/**
 * pcr_session_set_source - tell the session what the reader knows, before events come
 * @s: the session
 * @path: the recording's name as the user gave it
 * @info: the reader's information; it must stay valid until pcr_session_finish()
 */
void pcr_session_set_source(struct pcr_session *s, const char *path,
			    const struct pcr_source_info *info);

/**
 * pcr_session_feed - a pcr_event_fn: replay one event
 * @ev: the event
 * @session: the struct pcr_session
 *
 * Return: 0 or a negative error code.
 */
int pcr_session_feed(const struct pcr_event *ev, void *session);

/**
 * pcr_session_prefetch - a pcr_prefetch_fn: @ev will be fed soon
 * @ev: the event
 * @near: see pcr_engine_prefetch()
 * @session: the struct pcr_session
 */
void pcr_session_prefetch(const struct pcr_event *ev, bool near, void *session);

/**
 * pcr_session_finish - end the replay and print the report in the chosen format
 * @s: the session
 *
 * Return: the exit status (0 clean, 1 violations, 2 error, 3 inconclusive).
 */
int pcr_session_finish(struct pcr_session *s);

/**
 * pcr_session_fail - report an error of the reader and give its exit status
 * @s: the session, or NULL
 * @err: the negative error code
 * @errmsg: the reader's message, or empty
 * @path: the recording
 *
 * Return: 2, the exit status of an error.
 */
int pcr_session_fail(struct pcr_session *s, int err, const char *errmsg, const char *path);

/**
 * pcr_session_take_run - take the finished session's run
 * @s: the session, after pcr_session_finish()
 * @out: receives it, to be released with pcr_run_release()
 */
void pcr_session_take_run(struct pcr_session *s, struct pcr_run *out);

#endif /* PCR_SESSION_H */
