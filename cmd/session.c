// SPDX-License-Identifier: GPL-2.0
/*
 * A replay session: engine, stacks, signatures, suppressions, reports and exit status, shared
 * by every command that replays events.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "cmd.h"
#include "ksyms.h"
#include "output.h"
#include "pcr_live.h"
#include "session.h"
#include "session-priv.h"


static int load_kallsyms(struct pcr_session *s, char *errmsg)
{
	const char *path = s->opts->kallsyms_path;
	size_t len;
	char *text;
	int ret;

	ret = pcr_read_file(path, &text, &len, errmsg);
	if (ret)
		return ret;
	ret = pcr_kallsyms_parse(&s->kallsyms, text, len);
	free(text);
	if (ret == -PCR_ERR_FORMAT)
		return pcr_errmsg(errmsg, ret,
				  "%s: no kernel text symbols with addresses (not a /proc/kallsyms copy, or read without root: kptr_restrict shows every address as 0)",
				  path);
	if (ret)
		return pcr_errmsg(errmsg, ret, "%s: %s", path, pcr_strerror(ret));
	s->kallsyms_sym.resolve = pcr_kallsyms_resolve;
	s->kallsyms_sym.ctx = s->kallsyms;
	return 0;
}

/*
 * A --kallsyms file is checked against the recording's kernel map and stack frames before the
 * first frame is named, and its frames again at the end (a trace.dat's stacks come as it is
 * read). One of another kernel or boot is refused: the replay ends with exit 2.
 */
static int settle_kallsyms(struct pcr_session *s, bool at_end)
{
	if (s->errmsg[0])
		return -PCR_ERR_INVAL;	/* the running kernel's could not be loaded */
	if (!s->opts->kallsyms_path || !s->info || (s->kallsyms_settled && !at_end))
		return 0;
	s->kallsyms_settled = true;
	return pcr_ksyms_check(s->opts->kallsyms_path, s->kallsyms, s->info, s->report.depot,
			       s->kallsyms_note, sizeof(s->kallsyms_note), s->errmsg);
}

/*
 * Before the first source line, the vmlinux is checked against the recording: its build id
 * against the one perf.data lists, its release against the recording's uname, then its
 * functions against the recording's kallsyms under the relocation the stack frames propose.
 * Done once, when the first stack is about to be printed, or at the end. A vmlinux of another
 * kernel is refused: nothing more is reported and the replay ends with exit 2.
 */
static int settle_vmlinux(struct pcr_session *s)
{
	const char *path = s->opts->vmlinux_path;
	char recorded[128], built[128], id[2 * 64 + 1], offset[24];
	bool have_recorded;

	if (!s->vmlinux || s->vmlinux_settled || !s->report.depot)
		return 0;
	s->vmlinux_settled = true;
	/* perf.data lists the build id of the kernel it recorded. */
	if (s->info && s->info->build_id && !pcr_vmlinux_build_id(s->vmlinux, id, sizeof(id))) {
		if (strcmp(id, s->info->build_id))
			return pcr_errmsg(s->errmsg, -PCR_ERR_INVAL,
					  "%s: build id %s, but the recording's kernel has build id %s (perf buildid-list shows it); pass the vmlinux of that build",
					  path, id, s->info->build_id);
		s->build_id_matched = true;
	}
	have_recorded = s->info && s->info->kernel &&
			!pcr_uname_release(s->info->kernel, recorded, sizeof(recorded));
	if (have_recorded && !pcr_vmlinux_release(s->vmlinux, built, sizeof(built)) &&
	    strcmp(recorded, built))
		return pcr_errmsg(s->errmsg, -PCR_ERR_INVAL,
				  "%s: built as Linux %s (its linux_banner), but the recording was made on %s (its uname); pass the vmlinux of %s, e.g. from its linux-image-%s-dbg package",
				  path, built, recorded, recorded, recorded);
	/* Where Debian's and Fedora's debug packages put the modules' debug files. */
	if (!s->opts->modules_dir && have_recorded)
		snprintf(s->modules_dir, sizeof(s->modules_dir), "/usr/lib/debug/lib/modules/%s",
			 recorded);
	else
		snprintf(s->modules_dir, sizeof(s->modules_dir), "%s",
			 s->opts->modules_dir ? s->opts->modules_dir : "");
	if (s->modules_dir[0] && pcr_vmlinux_set_modules_dir(s->vmlinux, s->modules_dir))
		return pcr_errmsg(s->errmsg, -PCR_ERR_NOMEM, "out of memory");
	s->report.vmlinux = s->vmlinux;
	if (pcr_vmlinux_match(s->vmlinux, s->report.depot, s->report.sym, &s->match)) {
		/* The kallsyms name frames, and none of their functions is in the vmlinux. */
		if (s->match.named)
			return pcr_errmsg(s->errmsg, -PCR_ERR_INVAL,
					  "%s: not the traced kernel's vmlinux: none of the functions of the %" PRIu64 " stack frames the recording's kallsyms name is in it; pass the vmlinux of the kernel the recording was made on",
					  path, s->match.named);
		s->report.kaslr_offset = 0;
		fprintf(stderr,
			"pagecheck-replay: warning: no stack frame's symbol is both in the recording's kallsyms and in %s; its source lines are unchecked and assume the kernel was not relocated (nokaslr): pass --kallsyms with a copy of the traced machine's /proc/kallsyms\n",
			path);
		return 0;
	}
	s->report.kaslr_offset = s->match.offset;
	s->matched = true;
	if (pcr_vmlinux_match_trusted(&s->match))
		return 0;
	pcr_format_offset(offset, sizeof(offset), s->match.offset);
	if (s->match.checked * 2 < s->match.functions)
		return pcr_errmsg(s->errmsg, -PCR_ERR_INVAL,
				  "%s: not known to be the traced kernel's vmlinux: relocated by %s (proposed by %" PRIu64 " of %" PRIu64 " stack frames), only %" PRIu64 " of its %" PRIu64 " functions lie in the range of the recording's kallsyms, too few to check; pass the vmlinux of the kernel the recording was made on, or its complete /proc/kallsyms with --kallsyms",
				  path, offset, s->match.votes, s->match.voters,
				  s->match.checked, s->match.functions);
	return pcr_errmsg(s->errmsg, -PCR_ERR_INVAL,
			  "%s: not the traced kernel's vmlinux: relocated by %s (proposed by %" PRIu64 " of %" PRIu64 " stack frames), only %" PRIu64 " of its %" PRIu64 " functions are where the recording's kallsyms has them (the traced kernel's has nine in ten or more there); pass the vmlinux of the kernel the recording was made on",
			  path, offset, s->match.votes, s->match.voters,
			  s->match.agreed, s->match.checked);
}

/* The injected fault, if any, on one of the violating event's pages. */
static const struct pcr_injection *injection_of(const struct pcr_session *s,
						const struct pcr_violation *v)
{
	const struct pcr_event *ev = v->event;
	uint64_t pages = 1ull << ev->order;
	size_t i;

	for (i = 0; i < s->opts->nr_inject; i++) {
		const struct pcr_injection *inj = &s->inject[i];

		if (inj->done && inj->pfn >= ev->pfn && inj->pfn - ev->pfn < pages &&
		    inj->ts_ns <= ev->ts_ns)
			return inj;
	}
	return NULL;
}

/*
 * Where the text report's violation blocks wait until the headline is printed: a file's report
 * leads with its verdict, which is known only at the end. NULL when memory is short.
 */
static FILE *blocks_file(struct pcr_session *s)
{
	if (!s->blocks)
		s->blocks = open_memstream(&s->blocks_text, &s->blocks_len);
	return s->blocks;
}

/*
 * A classified violation: what the report shows of it. Explained and undecidable ones only on
 * request, a few examples of each group in text, at most --max-reports blocks.
 */
static int on_checked(const struct pcr_checked *c, void *payload)
{
	struct pcr_session *s = payload;
	const struct pcr_class *cls = c->cls;
	FILE *out;

	/* Its stack was named: the report may name frames (pcr_session_finish()). */
	if (c->v->event->stack_id)
		s->named_frames = true;
	/*
	 * The session refused to go on (a vmlinux of another kernel): the trace.dat reader keeps
	 * delivering records after an error, as libtracecmd does; nothing more is reported.
	 */
	if (s->errmsg[0])
		return 1;
	/* Explained ones are counted by path; their blocks only on request. */
	if (cls->cls == PCR_CLASS_EXPLAINED && !s->opts->show_explained && !s->opts->strict) {
		s->unshown_explained++;
		return 0;
	}
	if (s->opts->format == PCR_FORMAT_TEXT && !s->opts->strict &&
	    cls->cls == PCR_CLASS_UNDECIDABLE && !s->opts->show_undecidable) {
		s->unshown_undecidable++;
		return 0;
	}
	/* The text report shows a few examples of each group; the table counts them all. */
	if (s->opts->format == PCR_FORMAT_TEXT && s->opts->examples &&
	    c->group_events > s->opts->examples) {
		s->unshown_examples++;
		return 0;
	}
	if (s->opts->max_reports && s->reported >= s->opts->max_reports) {
		s->unshown_max_reports++;
		return 0;
	}
	s->reported++;
	if (settle_kallsyms(s, false) || settle_vmlinux(s))
		return 1;
	if (s->opts->silent)
		return 0;
	if (s->opts->format != PCR_FORMAT_TEXT)
		return pcr_run_add_violation(&s->run, c, injection_of(s, c->v)) ? 1 : 0;
	if (s->opts->quiet || s->write_failed)
		return 0;
	out = s->opts->stream_blocks ? stdout : blocks_file(s);
	if (!out)
		return 1;
	if (pcr_print_block(out, &s->report, c->v, cls, c->signature, injection_of(s, c->v),
			    s->opts->suppressions_path, c->supp ? c->supp->line : 0))
		s->write_failed = true;
	return 0;
}

/* Injects the faults due before a page event. */
static int before_event(const struct pcr_event *ev, void *payload)
{
	struct pcr_session *s = payload;

	/* Faults go in before page events only, as before markers existed. */
	if (ev->kind == PCR_EV_OTHER || ev->kind == PCR_EV_LOST || ev->kind >= PCR_EV_FIRST_MARKER)
		return 0;
	return pcr_inject_due(s->inject, s->opts->nr_inject, ev->ts_ns,
			      pcr_checker_engine(s->checker), pcr_checker_depot(s->checker));
}

static int after_event(const struct pcr_event *ev, void *payload);

static int new_checker(struct pcr_session *s)
{
	const struct pcr_session_opts *o = s->opts;
	const struct pcr_checker_opts opts = {
		.engine = o->engine,
		.supps = s->supps,
		.nr_supps = s->nr_supps,
		.fail_on = o->fail_on,
		.running_from_set = o->running_from_set,
		.strict = o->strict,
		.validate = o->validate,
		.allow_lost = o->allow_lost,
		.allow_damaged = o->allow_damaged,
		.allow_undecidable = o->allow_undecidable,
	};
	const struct pcr_checker_hooks hooks = {
		.violation = on_checked,
		.before = o->nr_inject ? before_event : NULL,
		.after = o->explain ? after_event : NULL,
		.ctx = s,
	};
	int ret = pcr_checker_new(&s->checker, &opts);

	if (ret)
		return ret;
	pcr_checker_set_hooks(s->checker, &hooks);
	s->res = pcr_checker_result(s->checker);
	return 0;
}

int pcr_session_new(struct pcr_session **out, const struct pcr_session_opts *opts, char *errmsg)
{
	struct pcr_session *s = calloc(1, sizeof(*s));
	int ret = 0;

	*out = NULL;
	if (!s)
		return -PCR_ERR_NOMEM;
	s->opts = opts;
	s->report.allow_lost = opts->allow_lost;
	if (opts->kallsyms_path)
		ret = load_kallsyms(s, errmsg);
	if (!ret && opts->suppressions_path)
		ret = pcr_session_load_suppressions(s, errmsg);
	if (!ret)
		ret = new_checker(s);
	if (!ret && opts->vmlinux_path) {
		ret = pcr_vmlinux_open(&s->vmlinux, opts->vmlinux_path);
		if (ret == -PCR_ERR_FORMAT)
			pcr_errmsg(errmsg, ret,
				   "%s: elfutils cannot read it as an ELF file with debug info; pass the traced kernel's vmlinux (or its -dbg package's)",
				   opts->vmlinux_path);
	}
	if (!ret && opts->nr_inject) {
		s->inject = malloc(opts->nr_inject * sizeof(*s->inject));
		if (s->inject)
			memcpy(s->inject, opts->inject, opts->nr_inject * sizeof(*s->inject));
		else
			ret = -PCR_ERR_NOMEM;
	}
	if (ret) {
		pcr_session_free(s);
		return ret;
	}
	*out = s;
	return 0;
}

void pcr_session_free(struct pcr_session *s)
{
	size_t i;

	if (!s)
		return;
	pcr_checker_free(s->checker);
	pcr_kallsyms_free(s->kallsyms);
	pcr_vmlinux_free(s->vmlinux);
	for (i = 0; i < s->nr_supps; i++)
		free((char *)s->supps[i].pattern);
	free(s->supps);
	free(s->history);
	pcr_run_release(&s->run);
	if (s->blocks)
		fclose(s->blocks);
	free(s->blocks_text);
	free(s->inject);
	free(s);
}

struct pcr_depot *pcr_session_depot(struct pcr_session *s)
{
	return pcr_checker_depot(s->checker);
}

void pcr_session_set_source(struct pcr_session *s, const char *path,
			    const struct pcr_source_info *info)
{
	struct pcr_checker_source src;

	s->path = path;
	s->info = info;
	s->report.gfp_names = info->gfp_names;
	s->report.nr_gfp_names = info->nr_gfp_names;
	s->report.comm = info->comm;
	s->report.comm_ctx = info->comm_ctx;
	/* Injected events carry a stack even in a recording without stacks. */
	s->report.depot = info->has_stacks || s->opts->nr_inject ? pcr_checker_depot(s->checker) :
			  NULL;
	/* perf.data holds no kallsyms: the running kernel's, when it is the recorded boot's. */
	if (!s->kallsyms && !info->has_kallsyms && s->report.depot &&
	    pcr_ksyms_running(info, &s->kallsyms, s->kallsyms_note, sizeof(s->kallsyms_note)))
		pcr_errmsg(s->errmsg, -PCR_ERR_NOMEM, "out of memory");
	if (s->kallsyms && !s->opts->kallsyms_path) {
		s->kallsyms_sym.resolve = pcr_kallsyms_resolve;
		s->kallsyms_sym.ctx = s->kallsyms;
	}
	s->base_sym = s->kallsyms ? s->kallsyms_sym : info->sym;
	s->inject_sym.resolve = pcr_inject_resolve;
	s->inject_sym.ctx = &s->base_sym;
	s->report.sym = s->opts->nr_inject ? &s->inject_sym : &s->base_sym;
	src = (struct pcr_checker_source){
		.sym = s->report.sym,
		.stacks = s->report.depot != NULL,
		.isolation = info->has_isolation,
		.hooks = info->has_hooks && !s->opts->replay_kmem,
	};
	pcr_checker_set_source(s->checker, &src);
}

static bool event_covers(const struct pcr_event *ev, uint64_t pfn)
{
	uint64_t pages = ev->kind == PCR_EV_FREE_BATCHED ? 1 : 1ull << ev->order;

	if (ev->kind < PCR_EV_ALLOC || ev->kind > PCR_EV_PCPU_DRAIN || ev->pfn == PCR_PFN_NONE)
		return false;
	return pfn >= ev->pfn && pfn - ev->pfn < pages;
}

static int remember(struct pcr_session *s, const struct pcr_event *ev)
{
	struct explained_event *e;

	if (s->nr_history == s->cap_history) {
		size_t cap = s->cap_history ? s->cap_history * 2 : 64;

		e = realloc(s->history, cap * sizeof(*e));
		if (!e)
			return -PCR_ERR_NOMEM;
		s->history = e;
		s->cap_history = cap;
	}
	e = &s->history[s->nr_history++];
	e->ev = *ev;
	snprintf(e->comm, sizeof(e->comm), "%s", ev->comm ? ev->comm : "<...>");
	e->ev.comm = NULL;
	return pcr_engine_page_state(pcr_checker_engine(s->checker), s->opts->explain_pfn,
				     &e->primary,
				     &e->secondary) < 0 ? -PCR_ERR_INVAL : 0;
}

/* Follows the page of --explain. */
static int after_event(const struct pcr_event *ev, void *payload)
{
	struct pcr_session *s = payload;

	return event_covers(ev, s->opts->explain_pfn) ? remember(s, ev) : 0;
}

int pcr_session_feed(const struct pcr_event *ev, void *session)
{
	struct pcr_session *s = session;

	return pcr_checker_feed(s->checker, ev);
}

void pcr_session_prefetch(const struct pcr_event *ev, bool near, void *session)
{
	struct pcr_session *s = session;

	pcr_checker_prefetch(s->checker, ev, near);
}

/*
 * Why the recording cannot be judged as it stands although it was read (issue 17): records
 * the reader could not read, or one kind of page event missing while the other is there (an
 * event's id or name damaged, or a recording made without it). NULL when none; @buf holds
 * the reason.
 */
const char *pcr_session_damage(const struct pcr_session *s, char *buf, size_t size)
{
	const uint64_t allocs = s->res->stats.events[PCR_EV_ALLOC];
	const uint64_t frees = s->res->stats.events[PCR_EV_FREE];

	if (!pcr_session_holds(s, PCR_REASON_DAMAGED))
		return NULL;
	if (s->res->damaged)
		snprintf(buf, size, "%" PRIu64 " page-event records could not be read (%s)",
			 s->res->damaged, s->damage_note[0] ? s->damage_note : "damaged");
	else if (!allocs && frees)
		snprintf(buf, size,
			 "it holds %" PRIu64 " mm_page_free events and no mm_page_alloc event: its allocations are missing (the event's id or name damaged, or not recorded: trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched)",
			 frees);
	else if (allocs && !frees)
		snprintf(buf, size,
			 "it holds %" PRIu64 " mm_page_alloc events and no mm_page_free event: its frees are missing (the event's id or name damaged, or not recorded: trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched)",
			 allocs);
	return buf;
}

static int exit_of(enum pcr_verdict verdict)
{
	switch (verdict) {
	case PCR_VERDICT_VIOLATIONS:
		return PCR_EXIT_VIOLATIONS;
	case PCR_VERDICT_INCONCLUSIVE:
		return PCR_EXIT_INCONCLUSIVE;
	default:
		return PCR_EXIT_CLEAN;
	}
}

/* Whether the report may name a frame: a candidate had a stack, or --explain prints events. */
static bool names_frames(const struct pcr_session *s)
{
	return s->opts->explain || s->named_frames;
}

int pcr_session_finish(struct pcr_session *s)
{
	char lost[96];
	char why[512];
	const struct pcr_stats *st = &s->res->stats;
	uint64_t damaged = 0;
	struct pcr_out out;
	enum pcr_verdict verdict;
	int ret = 0;

	ret = pcr_checker_end_events(s->checker);
	if (ret)
		return pcr_session_fail(s, ret, "", s->path);
	/* A reader that parses kallsyms when a frame is first named: a failure fails the run. */
	if (s->info && s->info->sym_settle) {
		ret = s->info->sym_settle(s->info->sym.ctx, names_frames(s), s->errmsg);
		if (ret)
			return pcr_session_fail(s, ret, "", s->path);
	}
	if (s->info) {
		damaged = s->info->damaged;
		snprintf(s->damage_note, sizeof(s->damage_note), "%s",
			 s->info->damage_note ? s->info->damage_note : "");
	}
	/* So are --kallsyms and the vmlinux, even when no stack was printed. */
	if (settle_kallsyms(s, true) || settle_vmlinux(s))
		return pcr_session_fail(s, -PCR_ERR_INVAL, "", s->path);
	/* Faults due after the last event go in before the end: validate may still see them. */
	if (s->opts->nr_inject &&
	    pcr_inject_due(s->inject, s->opts->nr_inject, UINT64_MAX,
			   pcr_checker_engine(s->checker), pcr_checker_depot(s->checker)))
		return pcr_session_fail(s, -PCR_ERR_NOMEM, "", s->path);
	verdict = pcr_checker_finish(s->checker, damaged);
	if (pcr_session_build_run(s))
		return pcr_session_fail(s, -PCR_ERR_NOMEM, "", s->path);

	if (s->opts->silent) {
		/* a diff prints the comparison, not the runs */
	} else if (s->opts->format == PCR_FORMAT_TEXT) {
		if (pcr_session_print_text(s, stdout, verdict))
			s->write_failed = true;
	} else {
		out = (struct pcr_out){
			.path = s->path,
			.run = &s->run,
			.report = &s->report,
			.stats = st,
			.verdict = verdict,
			.exit_status = exit_of(verdict),
			.fail_on = s->opts->fail_on,
			.allow_lost = s->opts->allow_lost,
			.damage = pcr_session_damage(s, why, sizeof(why)),
			.allow_damaged = s->opts->allow_damaged,
			.undecided = s->res->nr_undecided,
			.allow_undecidable = s->opts->allow_undecidable,
			.suppressions_path = s->opts->suppressions_path,
		};
		memcpy(out.unsuppressed, s->res->unsuppressed, sizeof(out.unsuppressed));
		memcpy(out.suppressed, s->res->suppressed, sizeof(out.suppressed));
		if (s->opts->format == PCR_FORMAT_JSON)
			ret = pcr_output_json(stdout, &out);
		else if (s->opts->format == PCR_FORMAT_KTAP)
			ret = pcr_output_ktap(stdout, &out);
		else
			ret = pcr_output_junit(stdout, &out);
	}
	if (pcr_session_holds(s, PCR_REASON_LOST))
		fprintf(stderr,
			"pagecheck-replay: warning: %s lost %s; the state of the pages they touched is unknown, so the verdict is %s%s\n",
			s->path, pcr_lost_text(st, lost, sizeof(lost)),
			s->opts->allow_lost ? "judged anyway (--allow-lost)" : "inconclusive",
			s->opts->allow_lost ? "" : s->info->loss_note ?
			"; pass --allow-lost to judge it anyway" :
			s->info->format && !strncmp(s->info->format, "trace.dat", 9) ?
			"; record again with a larger buffer (trace-cmd record -b), or pass --allow-lost. When nothing was overrun, this may be no loss: trace-cmd record 3.1 reads the kernel's counters while its recorders still read, and a sub-buffer read in that moment is counted twice (README, \"Recording completely\"); 'pagecheck-replay record' and 'trace-cmd start' + 'trace-cmd stop' + 'trace-cmd extract' read them after the buffer is empty" :
			"; record again with a larger buffer or pass --allow-lost");
	if (pcr_session_damage(s, why, sizeof(why)))
		fprintf(stderr, "pagecheck-replay: warning: %s: %s; the verdict is %s\n", s->path,
			why, s->opts->allow_damaged ? "judged anyway (--allow-damaged)" :
			"inconclusive; pass --allow-damaged to judge it anyway");
	if (pcr_checker_unplaced(s->checker))
		fprintf(stderr,
			"pagecheck-replay: warning: %s starts at boot, but where SYSTEM_RUNNING begins is not found in it (no system_state kprobe, initcall_finish or exec of pid 1, and no run of pid 1's frees of never-seen pages followed by its first user page); the RFC's gate hides double frees before it, so its %" PRIu64 " frees of free pages are neither reported nor ruled out%s. Record the boundary next time: add initcall:initcall_finish,sched:sched_process_exec to trace_event= on the kernel command line, or give it: --running-from=SECONDS (the dmesg time of \"Run /init as init process\")\n",
			s->path, st->boot_free_unallocated_events,
			st->boot_free_unallocated_events ? ": the verdict is inconclusive" : "");
	if (s->res->nr_undecided)
		pcr_session_warn_undecided(s);
	if (pcr_session_holds(s, PCR_REASON_UNCHECKED))
		fprintf(stderr,
			"pagecheck-replay: warning: %s: no page event fell in --pfn-range=0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 " were outside it): nothing was checked, so the verdict is inconclusive\n",
			s->path, s->opts->engine.pfn_min, s->opts->engine.pfn_max,
			st->out_of_range_events);
	/* A loss the reader inferred: its evidence and the way to record without it. */
	if (s->info->loss_note)
		fprintf(stderr, "pagecheck-replay: warning: %s: %s\n", s->path,
			s->info->loss_note);
	pcr_session_note_modules(s);
	if (!ret && s->opts->write_suppressions_path)
		ret = pcr_session_write_suppressions(s);
	s->finished = true;
	s->exit_status = exit_of(verdict);
	if (ret || fflush(stdout) || ferror(stdout) || s->write_failed) {
		if (!ret || ret == -PCR_ERR_NOMEM)
			fprintf(stderr, "pagecheck-replay: error: cannot write the report\n");
		return s->exit_status = PCR_EXIT_ERROR;
	}
	return s->exit_status;
}

int pcr_session_fail(struct pcr_session *s, int err, const char *errmsg, const char *path)
{
	/* The session's own reason first: the reader only saw the replay stopped. */
	if (s && s->errmsg[0])
		fprintf(stderr, "pagecheck-replay: error: %s\n", s->errmsg);
	else if (errmsg && errmsg[0])
		fprintf(stderr, "pagecheck-replay: error: %s\n", errmsg);
	else
		fprintf(stderr, "pagecheck-replay: error: %s: %s\n", path, pcr_strerror(err));
	if (s)
		s->exit_status = PCR_EXIT_ERROR;
	return PCR_EXIT_ERROR;
}

void pcr_session_take_run(struct pcr_session *s, struct pcr_run *out)
{
	*out = s->run;
	memset(&s->run, 0, sizeof(s->run));
}
