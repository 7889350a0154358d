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

static int keep_violation(struct pcr_session *s, const struct pcr_violation *v,
			  const char *sig, const struct suppression *supp,
			  const struct pcr_class *cls)
{
	struct pcr_out_violation *o;

	if (s->nr_viols == s->cap_viols) {
		size_t cap = s->cap_viols ? s->cap_viols * 2 : 256;

		o = realloc(s->viols, cap * sizeof(*o));
		if (!o)
			return -PCR_ERR_NOMEM;
		s->viols = o;
		s->cap_viols = cap;
	}
	o = &s->viols[s->nr_viols];
	memset(o, 0, sizeof(*o));
	o->v = *v;
	o->ev = *v->event;
	o->v.event = &o->ev;
	snprintf(o->comm, sizeof(o->comm), "%s", v->event->comm ? v->event->comm : "<...>");
	o->ev.comm = NULL;
	o->signature = strdup(sig);
	if (!o->signature)
		return -PCR_ERR_NOMEM;
	o->suppressed_line = supp ? supp->line : 0;
	o->cls = *cls;
	s->nr_viols++;
	return 0;
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

int pcr_print_class(FILE *out, const struct pcr_class *cls)
{
	const char *sep = cls->detail[0] ? "; " : "";

	if (cls->cls == PCR_CLASS_EXPLAINED)
		return fprintf(out, "  class: explained: %s (%s in %s): %s%s%s\n", cls->path,
			       cls->evidence, cls->where ? cls->where : "the stack", cls->why, sep,
			       cls->detail) < 0 ||
		       (cls->row && fprintf(out, "  measured: %s\n", cls->row) < 0);
	if (cls->cls == PCR_CLASS_UNDECIDABLE)
		return fprintf(out, "  class: undecidable: %s; %s\n", cls->why, cls->remedy) < 0;
	return fprintf(out, "  class: violation%s%s\n", cls->detail[0] ? ": " : "",
		       cls->detail) < 0;
}

static void note_undecided(struct pcr_session *s, const struct pcr_class *cls)
{
	struct undecided_reason *r;
	size_t i;

	for (i = 0; i < MAX_UNDECIDED_REASONS; i++) {
		r = &s->undecided[i];
		if (!r->why || !strcmp(r->why, cls->why))
			break;
	}
	/* More distinct reasons than kept: the last one counts the rest. */
	if (i == MAX_UNDECIDED_REASONS)
		r = &s->undecided[MAX_UNDECIDED_REASONS - 1];
	if (!r->why) {
		r->why = cls->why;
		r->remedy = cls->remedy;
	}
	r->events++;
}

/*
 * Undecidable candidates of the kinds that fail the run, and no suppression accepts: they make
 * the verdict inconclusive.
 */
uint64_t pcr_session_undecided(const struct pcr_session *s)
{
	uint64_t n = 0;
	size_t i;

	if (s->opts->strict)
		return 0;
	for (i = 0; i < MAX_UNDECIDED_REASONS; i++)
		n += s->undecided[i].events;
	return n;
}

/* The recording holds compaction's isolation events: enabled, or seen. */
bool pcr_session_has_isolation(const struct pcr_session *s)
{
	struct pcr_stats st;

	if (s->info && s->info->has_isolation)
		return true;
	pcr_engine_stats(s->engine, &st);
	return st.events[PCR_EV_ISOLATE] > 0;
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

static int on_violation(const struct pcr_violation *v, void *payload)
{
	struct pcr_session *s = payload;
	const struct suppression *supp = NULL;
	const uint64_t *frames = NULL;
	struct pcr_evidence evidence;
	const struct pcr_injection *inj;
	struct pcr_sigtable *table;
	struct pcr_class cls;
	unsigned int nr = 0;
	const char *key;
	bool gating;
	char sig[512];
	FILE *out;

	/*
	 * The session refused to go on (a vmlinux of another kernel): the trace.dat reader keeps
	 * delivering records after an error, as libtracecmd does; nothing more is reported.
	 */
	if (s->errmsg[0])
		return 1;
	if (s->report.depot && v->event->stack_id) {
		pcr_depot_get(s->report.depot, v->event->stack_id, &frames, &nr);
		s->named_frames = true;
	}
	pcr_stack_signature(sig, sizeof(sig), frames, nr, s->report.sym);
	key = sig;
	evidence = (struct pcr_evidence){
		.depot = s->report.depot,
		.sym = s->report.sym,
		.tasks = s->tasks,
		.isolation = pcr_session_has_isolation(s),
	};
	pcr_classify(v, &evidence, &cls);
	s->class_events[v->kind][cls.cls]++;
	/* A baseline (--suppressions) accepts known undecidable candidates as it does violations. */
	if (cls.cls == PCR_CLASS_UNDECIDABLE && !s->opts->strict) {
		supp = pcr_session_find_suppression(s, v->kind, sig);
		if (supp)
			s->suppressed_events[v->kind]++;
		else if (s->opts->fail_on & (1u << v->kind))
			note_undecided(s, &cls);
	}
	/* Only real violations fail a run, unless --strict counts every one as the RFC would. */
	gating = cls.cls == PCR_CLASS_VIOLATION || s->opts->strict;
	if (gating) {
		supp = pcr_session_find_suppression(s, v->kind, sig);
		table = supp ? s->suppressed : s->signatures;
		if (supp)
			s->suppressed_events[v->kind]++;
		else
			s->unsuppressed[v->kind]++;
	} else {
		table = cls.cls == PCR_CLASS_EXPLAINED ? s->explained : s->undecidable;
		if (cls.cls == PCR_CLASS_EXPLAINED)
			key = cls.path;
	}
	if (pcr_sigtable_add(table, v->kind, key))
		return 1;
	/* Explained ones are counted by path; their blocks only on request. */
	if (cls.cls == PCR_CLASS_EXPLAINED && !s->opts->show_explained && !s->opts->strict) {
		s->unshown_explained++;
		return 0;
	}
	if (s->opts->format == PCR_FORMAT_TEXT && !s->opts->strict &&
	    cls.cls == PCR_CLASS_UNDECIDABLE && !s->opts->show_undecidable) {
		s->unshown_undecidable++;
		return 0;
	}
	/* The text report shows a few examples of each group; the table counts them all. */
	if (s->opts->format == PCR_FORMAT_TEXT && s->opts->examples &&
	    pcr_sigtable_count(table, v->kind, key) > s->opts->examples) {
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
		return keep_violation(s, v, sig, supp, &cls) ? 1 : 0;
	if (s->opts->quiet || s->write_failed)
		return 0;
	out = s->opts->stream_blocks ? stdout : blocks_file(s);
	if (!out)
		return 1;
	inj = injection_of(s, v);
	if (pcr_report_violation(out, v, &s->report) || pcr_print_class(out, &cls) ||
	    (s->report.depot && fprintf(out, "  signature: %s\n", sig) < 0) ||
	    (inj && fprintf(out, "  injected: %s:0x%" PRIx64 "@%" PRIu64 ".%09" PRIu64 "\n",
			    pcr_fault_name(inj->fault), inj->pfn, inj->ts_ns / 1000000000u,
			    inj->ts_ns % 1000000000u) < 0) ||
	    (supp && fprintf(out, "  suppressed by %s:%d\n", s->opts->suppressions_path,
			     supp->line) < 0) ||
	    fputc('\n', out) == EOF)
		s->write_failed = true;
	return 0;
}

int pcr_session_new(struct pcr_session **out, const struct pcr_session_opts *opts, char *errmsg)
{
	struct pcr_session *s = calloc(1, sizeof(*s));
	int ret;

	*out = NULL;
	if (!s)
		return -PCR_ERR_NOMEM;
	s->opts = opts;
	s->report.allow_lost = opts->allow_lost;
	ret = pcr_engine_new(&s->engine, &opts->engine);
	if (!ret)
		ret = pcr_boot_new(&s->boot);
	if (!ret)
		ret = pcr_depot_new(&s->depot);
	if (!ret)
		ret = pcr_tasks_new(&s->tasks);
	if (!ret)
		ret = pcr_sigtable_new(&s->signatures);
	if (!ret)
		ret = pcr_sigtable_new(&s->suppressed);
	if (!ret)
		ret = pcr_sigtable_new(&s->explained);
	if (!ret)
		ret = pcr_sigtable_new(&s->undecidable);
	if (!ret && opts->kallsyms_path)
		ret = load_kallsyms(s, errmsg);
	if (!ret && opts->suppressions_path)
		ret = pcr_session_load_suppressions(s, errmsg);
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
	pcr_engine_set_violation_fn(s->engine, on_violation, s);
	*out = s;
	return 0;
}

void pcr_session_free(struct pcr_session *s)
{
	size_t i;

	if (!s)
		return;
	pcr_engine_free(s->engine);
	pcr_boot_free(s->boot);
	free(s->held);
	pcr_depot_free(s->depot);
	pcr_tasks_free(s->tasks);
	pcr_sigtable_free(s->signatures);
	pcr_sigtable_free(s->suppressed);
	pcr_sigtable_free(s->explained);
	pcr_sigtable_free(s->undecidable);
	pcr_kallsyms_free(s->kallsyms);
	pcr_vmlinux_free(s->vmlinux);
	for (i = 0; i < s->nr_supps; i++)
		free(s->supps[i].signature);
	free(s->supps);
	for (i = 0; i < s->nr_viols; i++)
		free(s->viols[i].signature);
	free(s->viols);
	free(s->history);
	free(s->summary);
	if (s->blocks)
		fclose(s->blocks);
	free(s->blocks_text);
	free(s->inject);
	free(s);
}

struct pcr_depot *pcr_session_depot(struct pcr_session *s)
{
	return s->depot;
}

void pcr_session_set_source(struct pcr_session *s, const char *path,
			    const struct pcr_source_info *info)
{
	s->path = path;
	s->info = info;
	pcr_engine_replay_hooks(s->engine, info->has_hooks && !s->opts->replay_kmem);
	s->report.gfp_names = info->gfp_names;
	s->report.nr_gfp_names = info->nr_gfp_names;
	s->report.comm = info->comm;
	s->report.comm_ctx = info->comm_ctx;
	/* Injected events carry a stack even in a recording without stacks. */
	s->report.depot = info->has_stacks || s->opts->nr_inject ? s->depot : NULL;
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
	return pcr_engine_page_state(s->engine, s->opts->explain_pfn, &e->primary,
				     &e->secondary) < 0 ? -PCR_ERR_INVAL : 0;
}

static int feed_one(struct pcr_session *s, const struct pcr_event *ev)
{
	int ret = 0;

	/* Faults go in before page events only, as before markers existed. */
	if (s->opts->nr_inject && ev->kind != PCR_EV_OTHER && ev->kind != PCR_EV_LOST &&
	    ev->kind < PCR_EV_FIRST_MARKER)
		ret = pcr_inject_due(s->inject, s->opts->nr_inject, ev->ts_ns, s->engine, s->depot);
	if (!ret && ev->kind >= PCR_EV_FIRST_MARKER)
		ret = pcr_tasks_feed(s->tasks, ev);
	if (!ret)
		ret = pcr_engine_feed(s->engine, ev);

	if (!ret && s->opts->explain && event_covers(ev, s->opts->explain_pfn))
		ret = remember(s, ev);
	return ret;
}

static int hold(struct pcr_session *s, const struct pcr_event *ev)
{
	struct held_event *h;

	if (s->nr_held == s->cap_held) {
		size_t cap = s->cap_held ? s->cap_held * 2 : 1024;

		h = realloc(s->held, cap * sizeof(*h));
		if (!h)
			return -PCR_ERR_NOMEM;
		s->held = h;
		s->cap_held = cap;
	}
	h = &s->held[s->nr_held++];
	h->ev = *ev;
	h->has_comm = ev->comm != NULL;
	snprintf(h->comm, sizeof(h->comm), "%s", ev->comm ? ev->comm : "");
	return 0;
}

/*
 * The boot phase is known: give it to the engine (--running-from wins over the markers), then
 * replay the events held back meanwhile.
 */
static int settle_boot(struct pcr_session *s)
{
	size_t i;
	int ret = 0;

	pcr_boot_finish(s->boot, &s->phase);
	pcr_boot_free(s->boot);
	s->boot = NULL;
	/*
	 * A boot recording without a boundary has PCR_TS_NEVER: all its frees are gated, none is
	 * judged as after boot (deferred page init and free_initmem would all be double frees).
	 */
	pcr_engine_set_boot(s->engine, s->opts->running_from_set ? s->opts->engine.running_from_ns :
				       s->phase.running_from_ns, s->phase.from_boot);
	for (i = 0; i < s->nr_held && !ret; i++) {
		struct pcr_event ev = s->held[i].ev;

		ev.comm = s->held[i].has_comm ? s->held[i].comm : NULL;
		ret = feed_one(s, &ev);
	}
	free(s->held);
	s->held = NULL;
	s->nr_held = s->cap_held = 0;
	return ret;
}

int pcr_session_feed(const struct pcr_event *ev, void *session)
{
	struct pcr_session *s = session;
	int ret;

	if (!s->boot)
		return feed_one(s, ev);
	ret = hold(s, ev);
	if (!ret)
		ret = pcr_boot_feed(s->boot, ev);
	if (ret < 0)
		return ret;
	return ret ? settle_boot(s) : 0;
}

void pcr_session_prefetch(const struct pcr_event *ev, bool near, void *session)
{
	struct pcr_session *s = session;

	pcr_engine_prefetch(s->engine, ev, near);
}

/* A boot recording without a boundary, none given: no free can be judged. */
bool pcr_session_unplaced(const struct pcr_session *s)
{
	return !s->opts->running_from_set && !s->boot && pcr_boot_unplaced(&s->phase);
}

/*
 * Why the recording cannot be judged as it stands although it was read (issue 17): records
 * the reader could not read, or one kind of page event missing while the other is there (an
 * event's id or name damaged, or a recording made without it). NULL when none; @buf holds
 * the reason.
 */
const char *pcr_session_damage(const struct pcr_session *s, char *buf, size_t size)
{
	const uint64_t allocs = s->stats.events[PCR_EV_ALLOC];
	const uint64_t frees = s->stats.events[PCR_EV_FREE];

	if (s->damaged)
		snprintf(buf, size, "%" PRIu64 " page-event records could not be read (%s)",
			 s->damaged, s->damage_note[0] ? s->damage_note : "damaged");
	else if (!allocs && frees)
		snprintf(buf, size,
			 "it holds %" PRIu64 " mm_page_free events and no mm_page_alloc event: its allocations are missing (the event's id or name damaged, or not recorded: trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched)",
			 frees);
	else if (allocs && !frees)
		snprintf(buf, size,
			 "it holds %" PRIu64 " mm_page_alloc events and no mm_page_free event: its frees are missing (the event's id or name damaged, or not recorded: trace-cmd record -e kmem:mm_page_alloc -e kmem:mm_page_free -e kmem:mm_page_free_batched)",
			 allocs);
	else
		return NULL;
	return buf;
}

/* --pfn-range left out every page event: nothing was checked, which is no pass. */
bool pcr_session_range_unchecked(const struct pcr_session *s)
{
	return s->opts->engine.pfn_range && !s->stats.alloc_count && !s->stats.free_count;
}

static enum pcr_verdict gated_verdict(const struct pcr_session *s)
{
	char why[512];
	int kind;

	if (pcr_session_range_unchecked(s))
		return PCR_VERDICT_INCONCLUSIVE;
	if (!s->opts->allow_lost && (s->stats.lost_events || s->stats.lost_unknown))
		return PCR_VERDICT_INCONCLUSIVE;
	/* Frees the RFC's gate may have hidden: none is a violation, none is ruled out. */
	if (pcr_session_unplaced(s) && s->stats.boot_free_unallocated_events)
		return PCR_VERDICT_INCONCLUSIVE;
	if (!s->opts->allow_damaged && pcr_session_damage(s, why, sizeof(why)))
		return PCR_VERDICT_INCONCLUSIVE;
	for (kind = 0; kind < PCR_VIOL_NR; kind++)
		if ((s->opts->fail_on & (1u << kind)) && s->unsuppressed[kind])
			return PCR_VERDICT_VIOLATIONS;
	/* The validate scan's words are invariant breaks too. */
	if ((s->opts->fail_on & (1u << PCR_VIOL_INVARIANT)) && s->stats.validate_words)
		return PCR_VERDICT_VIOLATIONS;
	/* Clean means every candidate was decided and none is a violation. */
	if (!s->opts->allow_undecidable && pcr_session_undecided(s))
		return PCR_VERDICT_INCONCLUSIVE;
	return PCR_VERDICT_CLEAN;
}

/*
 * Why gated_verdict() says inconclusive, in its order, as one line for diff and KTAP (issue 18);
 * NULL when the verdict is not inconclusive.
 */
static const char *inconclusive_reason(const struct pcr_session *s, char *buf, size_t size)
{
	char why[512];

	if (gated_verdict(s) != PCR_VERDICT_INCONCLUSIVE)
		return NULL;
	if (!s->opts->allow_lost && s->stats.lost_events && s->stats.lost_unknown)
		snprintf(buf, size, "%" PRIu64 " events lost, and more %s",
			 s->stats.lost_events, "the recording does not count");
	else if (!s->opts->allow_lost && s->stats.lost_events)
		snprintf(buf, size, "%" PRIu64 " events lost", s->stats.lost_events);
	else if (!s->opts->allow_lost && s->stats.lost_unknown)
		snprintf(buf, size, "events lost (how many, the recording does not say)");
	else if (pcr_session_unplaced(s) && s->stats.boot_free_unallocated_events)
		snprintf(buf, size,
			 "%" PRIu64 " frees of free pages before a boot boundary that is not in the recording",
			 s->stats.boot_free_unallocated_events);
	else if (!s->opts->allow_damaged && pcr_session_damage(s, why, sizeof(why)))
		snprintf(buf, size, "damaged: %s", why);
	else if (pcr_session_range_unchecked(s))
		snprintf(buf, size, "no page event in --pfn-range: nothing was checked");
	else
		snprintf(buf, size, "%" PRIu64 " double allocs and frees undecidable",
			 pcr_session_undecided(s));
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
	char why[512], reason[600];
	struct pcr_out out;
	enum pcr_verdict verdict;
	int ret = 0;

	if (s->boot) {
		ret = settle_boot(s);
		if (ret)
			return pcr_session_fail(s, ret, "", s->path);
	}
	/* A reader that reads kallsyms when a frame is first named: damaged ones fail the run. */
	if (s->info && s->info->sym_settle) {
		ret = s->info->sym_settle(s->info->sym.ctx, names_frames(s), s->errmsg);
		if (ret)
			return pcr_session_fail(s, ret, "", s->path);
	}
	if (s->info) {
		s->damaged = s->info->damaged;
		snprintf(s->damage_note, sizeof(s->damage_note), "%s",
			 s->info->damage_note ? s->info->damage_note : "");
	}
	/* So are --kallsyms and the vmlinux, even when no stack was printed. */
	if (settle_kallsyms(s, true) || settle_vmlinux(s))
		return pcr_session_fail(s, -PCR_ERR_INVAL, "", s->path);
	/* Faults due after the last event go in before the end: validate may still see them. */
	if (s->opts->nr_inject &&
	    pcr_inject_due(s->inject, s->opts->nr_inject, UINT64_MAX, s->engine, s->depot))
		return pcr_session_fail(s, -PCR_ERR_NOMEM, "", s->path);
	if (s->opts->validate)
		pcr_engine_validate(s->engine);
	pcr_engine_stats(s->engine, &s->stats);
	verdict = gated_verdict(s);
	if (pcr_session_build_summary(s))
		return pcr_session_fail(s, -PCR_ERR_NOMEM, "", s->path);

	if (s->opts->silent) {
		/* a diff prints the comparison, not the runs */
	} else if (s->opts->format == PCR_FORMAT_TEXT) {
		if (pcr_session_print_text(s, stdout, verdict))
			s->write_failed = true;
	} else {
		out = (struct pcr_out){
			.path = s->path,
			.summary = s->summary,
			.viols = s->viols,
			.nr_viols = s->nr_viols,
			.report = &s->report,
			.stats = &s->stats,
			.verdict = verdict,
			.exit_status = exit_of(verdict),
			.fail_on = s->opts->fail_on,
			.allow_lost = s->opts->allow_lost,
			.damage = pcr_session_damage(s, why, sizeof(why)),
			.allow_damaged = s->opts->allow_damaged,
			.reason = inconclusive_reason(s, reason, sizeof(reason)),
			.undecided = pcr_session_undecided(s),
			.allow_undecidable = s->opts->allow_undecidable,
			.suppressions_path = s->opts->suppressions_path,
		};
		memcpy(out.unsuppressed, s->unsuppressed, sizeof(out.unsuppressed));
		memcpy(out.suppressed, s->suppressed_events, sizeof(out.suppressed));
		if (s->opts->format == PCR_FORMAT_JSON)
			ret = pcr_output_json(stdout, &out);
		else if (s->opts->format == PCR_FORMAT_KTAP)
			ret = pcr_output_ktap(stdout, &out);
		else
			ret = pcr_output_junit(stdout, &out);
	}
	if (s->stats.lost_events || s->stats.lost_unknown)
		fprintf(stderr,
			"pagecheck-replay: warning: %s lost %s; the state of the pages they touched is unknown, so the verdict is %s%s\n",
			s->path, pcr_lost_text(&s->stats, lost, sizeof(lost)),
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
	if (pcr_session_unplaced(s))
		fprintf(stderr,
			"pagecheck-replay: warning: %s starts at boot, but where SYSTEM_RUNNING begins is not found in it (no system_state kprobe, initcall_finish or exec of pid 1, and no run of pid 1's frees of never-seen pages followed by its first user page); the RFC's gate hides double frees before it, so its %" PRIu64 " frees of free pages are neither reported nor ruled out%s. Record the boundary next time: add initcall:initcall_finish,sched:sched_process_exec to trace_event= on the kernel command line, or give it: --running-from=SECONDS (the dmesg time of \"Run /init as init process\")\n",
			s->path, s->stats.boot_free_unallocated_events,
			s->stats.boot_free_unallocated_events ? ": the verdict is inconclusive" : "");
	if (pcr_session_undecided(s))
		pcr_session_warn_undecided(s);
	if (pcr_session_range_unchecked(s))
		fprintf(stderr,
			"pagecheck-replay: warning: %s: no page event fell in --pfn-range=0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 " were outside it): nothing was checked, so the verdict is inconclusive\n",
			s->path, s->opts->engine.pfn_min, s->opts->engine.pfn_max,
			s->stats.out_of_range_events);
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

void pcr_run_release(struct pcr_run *run)
{
	size_t i;

	for (i = 0; i < run->nr_sigs; i++)
		free(run->sigs[i].signature);
	for (i = 0; i < run->nr_counters; i++) {
		free(run->counters[i].name);
		free(run->counters[i].value);
	}
	free(run->sigs);
	free(run->counters);
	free(run->verdict);
	free(run->reason);
	memset(run, 0, sizeof(*run));
}

static int add_sigrows(struct pcr_run *run, struct pcr_sigtable *table, bool suppressed)
{
	const struct pcr_sigcount *rows;
	size_t nr, i, j;

	rows = pcr_sigtable_rows(table, &nr);
	for (i = 0; i < nr; i++) {
		struct pcr_sigrow *row = NULL, *sigs;

		for (j = 0; j < run->nr_sigs; j++)
			if (run->sigs[j].kind == rows[i].kind &&
			    !strcmp(run->sigs[j].signature, rows[i].signature))
				row = &run->sigs[j];
		if (!row) {
			sigs = realloc(run->sigs, (run->nr_sigs + 1) * sizeof(*sigs));
			if (!sigs)
				return -PCR_ERR_NOMEM;
			run->sigs = sigs;
			row = &sigs[run->nr_sigs++];
			*row = (struct pcr_sigrow){ .kind = rows[i].kind,
						    .signature = strdup(rows[i].signature) };
			if (!row->signature)
				return -PCR_ERR_NOMEM;
		}
		row->count += rows[i].count;
		if (suppressed)
			row->suppressed += rows[i].count;
	}
	return 0;
}

int pcr_session_run(struct pcr_session *s, struct pcr_run *out)
{
	char why[600];
	int ret;

	memset(out, 0, sizeof(*out));
	ret = add_sigrows(out, s->signatures, false);
	if (!ret)
		ret = add_sigrows(out, s->suppressed, true);
	if (!ret)
		ret = pcr_parse_counters(s->summary, out);
	if (!ret) {
		out->verdict = strdup(pcr_verdict_name(gated_verdict(s)));
		ret = out->verdict ? 0 : -PCR_ERR_NOMEM;
	}
	if (!ret && inconclusive_reason(s, why, sizeof(why))) {
		out->reason = strdup(why);
		ret = out->reason ? 0 : -PCR_ERR_NOMEM;
	}
	if (ret)
		pcr_run_release(out);
	return ret;
}
