// SPDX-License-Identifier: GPL-2.0
/*
 * The checker: what a replay means. It holds events back until the boot phase is known, feeds
 * the process record and the engine, classifies each violation, matches it against the
 * suppressions, counts it in its group and hands it on; at the end it judges the run. The
 * caller reads the recording and prints; nothing here knows a trace format or an output.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "pagecheck.h"

/* An event held back until the boot phase is known, with a copy of its task's name. */
struct held_event {
	struct pcr_event ev;
	char comm[PCR_COMM_LEN];
	bool has_comm;
};

struct pcr_checker {
	struct pcr_checker_opts opts;
	struct pcr_checker_hooks hooks;
	struct pcr_checker_source src;
	struct pcr_engine *engine;
	struct pcr_boot *boot;			/* until the boot phase is decided */
	struct held_event *held;		/* the events fed meanwhile */
	size_t nr_held;
	size_t cap_held;
	struct pcr_depot *depot;
	struct pcr_tasks *tasks;		/* forks, execs and exits, for pcr_classify() */
	struct pcr_sigtable *groups[PCR_GROUP_NR];
	struct pcr_checker_result res;
};

void pcr_judge(const struct pcr_judge_input *in, struct pcr_judgement *out)
{
	const struct pcr_stats *st = in->stats;
	unsigned int bit;
	int r;

	memset(out, 0, sizeof(*out));
	out->decisive = -1;
	if (st->lost_events || st->lost_unknown) {
		out->holds |= 1u << PCR_REASON_LOST;
		out->accepted |= in->allow_lost ? 1u << PCR_REASON_LOST : 0;
	}
	/* Frees the RFC's gate may have hidden: none is a violation, none is ruled out. */
	if (in->unplaced && st->boot_free_unallocated_events)
		out->holds |= 1u << PCR_REASON_UNPLACED;
	if (in->damaged) {
		out->holds |= 1u << PCR_REASON_DAMAGED;
		out->accepted |= in->allow_damaged ? 1u << PCR_REASON_DAMAGED : 0;
	}
	if (in->unchecked)
		out->holds |= 1u << PCR_REASON_UNCHECKED;
	if (in->failing)
		out->holds |= 1u << PCR_REASON_VIOLATIONS;
	/* The validate scan's words are invariant breaks too. */
	if (in->validate_fails && st->validate_words)
		out->holds |= 1u << PCR_REASON_VALIDATE;
	if (in->undecided) {
		out->holds |= 1u << PCR_REASON_UNDECIDABLE;
		out->accepted |= in->allow_undecidable ? 1u << PCR_REASON_UNDECIDABLE : 0;
	}
	for (r = 0; r < PCR_REASON_NR; r++) {
		bit = 1u << r;
		if (!(out->holds & bit) || (out->accepted & bit))
			continue;
		if (r == PCR_REASON_VIOLATIONS || r == PCR_REASON_VALIDATE) {
			out->verdict = PCR_VERDICT_VIOLATIONS;
			return;
		}
		/* Clean means every candidate was decided and none is a violation. */
		out->verdict = PCR_VERDICT_INCONCLUSIVE;
		out->decisive = r;
		return;
	}
	out->verdict = PCR_VERDICT_CLEAN;
}

int pcr_checker_new(struct pcr_checker **out, const struct pcr_checker_opts *opts)
{
	struct pcr_checker *c = calloc(1, sizeof(*c));
	int ret, g;

	*out = NULL;
	if (!c)
		return -PCR_ERR_NOMEM;
	c->opts = *opts;
	ret = pcr_engine_new(&c->engine, &opts->engine);
	if (!ret)
		ret = pcr_boot_new(&c->boot);
	if (!ret)
		ret = pcr_depot_new(&c->depot);
	if (!ret)
		ret = pcr_tasks_new(&c->tasks);
	for (g = 0; g < PCR_GROUP_NR && !ret; g++)
		ret = pcr_sigtable_new(&c->groups[g]);
	if (ret) {
		pcr_checker_free(c);
		return ret;
	}
	*out = c;
	return 0;
}

void pcr_checker_free(struct pcr_checker *c)
{
	int g;

	if (!c)
		return;
	pcr_engine_free(c->engine);
	pcr_boot_free(c->boot);
	free(c->held);
	pcr_depot_free(c->depot);
	pcr_tasks_free(c->tasks);
	for (g = 0; g < PCR_GROUP_NR; g++)
		pcr_sigtable_free(c->groups[g]);
	free(c);
}

/* The first suppression that matches a candidate. */
static const struct pcr_suppression *find_suppression(const struct pcr_checker *c, int kind,
						      const char *signature)
{
	size_t i;

	for (i = 0; i < c->opts.nr_supps; i++) {
		const struct pcr_suppression *s = &c->opts.supps[i];

		if ((s->kind < 0 || s->kind == kind) && !fnmatch(s->pattern, signature, 0))
			return s;
	}
	return NULL;
}

static void note_undecided(struct pcr_checker *c, const struct pcr_class *cls)
{
	struct pcr_undecided *r;
	size_t i;

	for (i = 0; i < PCR_UNDECIDED_MAX; i++) {
		r = &c->res.undecided[i];
		if (!r->why || !strcmp(r->why, cls->why))
			break;
	}
	/* More distinct reasons than kept: the last one counts the rest. */
	if (i == PCR_UNDECIDED_MAX)
		r = &c->res.undecided[PCR_UNDECIDED_MAX - 1];
	if (!r->why) {
		r->why = cls->why;
		r->remedy = cls->remedy;
	}
	r->events++;
	c->res.nr_undecided++;
}

bool pcr_checker_isolation(const struct pcr_checker *c)
{
	struct pcr_stats st;

	if (c->src.isolation)
		return true;
	pcr_engine_stats(c->engine, &st);
	return st.events[PCR_EV_ISOLATE] > 0;
}

static int on_violation(const struct pcr_violation *v, void *payload)
{
	struct pcr_checker *c = payload;
	const struct pcr_depot *depot = c->src.stacks ? c->depot : NULL;
	const uint64_t *frames = NULL;
	struct pcr_evidence evidence;
	struct pcr_checked checked;
	struct pcr_class cls;
	unsigned int nr = 0;
	const char *key;
	char sig[512];

	if (depot && v->event->stack_id)
		pcr_depot_get(depot, v->event->stack_id, &frames, &nr);
	pcr_stack_signature(sig, sizeof(sig), frames, nr, c->src.sym);
	key = sig;
	evidence = (struct pcr_evidence){
		.depot = depot,
		.sym = c->src.sym,
		.tasks = c->tasks,
		.isolation = pcr_checker_isolation(c),
	};
	pcr_classify(v, &evidence, &cls);
	checked = (struct pcr_checked){ .v = v, .cls = &cls, .signature = sig };
	c->res.classes[v->kind][cls.cls]++;
	/* A baseline (--suppressions) accepts known undecidable candidates as violations. */
	if (cls.cls == PCR_CLASS_UNDECIDABLE && !c->opts.strict) {
		checked.supp = find_suppression(c, v->kind, sig);
		if (checked.supp)
			c->res.suppressed[v->kind]++;
		else if (c->opts.fail_on & (1u << v->kind))
			note_undecided(c, &cls);
	}
	/* Only real violations fail a run, unless --strict counts every one as the RFC would. */
	if (cls.cls == PCR_CLASS_VIOLATION || c->opts.strict) {
		checked.supp = find_suppression(c, v->kind, sig);
		checked.group = checked.supp ? PCR_GROUP_SUPPRESSED : PCR_GROUP_VIOLATION;
		if (checked.supp)
			c->res.suppressed[v->kind]++;
		else
			c->res.unsuppressed[v->kind]++;
	} else if (cls.cls == PCR_CLASS_EXPLAINED) {
		checked.group = PCR_GROUP_EXPLAINED;
		key = cls.path;
	} else {
		checked.group = PCR_GROUP_UNDECIDABLE;
	}
	if (pcr_sigtable_add(c->groups[checked.group], v->kind, key))
		return 1;
	if (checked.group == PCR_GROUP_EXPLAINED &&
	    pcr_sigtable_add(c->groups[PCR_GROUP_EXPLAINED_STACKS], v->kind, sig))
		return 1;
	checked.group_events = pcr_sigtable_count(c->groups[checked.group], v->kind, key);
	return c->hooks.violation ? c->hooks.violation(&checked, c->hooks.ctx) : 0;
}

void pcr_checker_set_hooks(struct pcr_checker *c, const struct pcr_checker_hooks *hooks)
{
	c->hooks = *hooks;
	pcr_engine_set_violation_fn(c->engine, on_violation, c);
}

void pcr_checker_set_source(struct pcr_checker *c, const struct pcr_checker_source *src)
{
	c->src = *src;
	pcr_engine_replay_hooks(c->engine, src->hooks);
	pcr_engine_set_violation_fn(c->engine, on_violation, c);
}

static int feed_one(struct pcr_checker *c, const struct pcr_event *ev)
{
	int ret = 0;

	if (c->hooks.before)
		ret = c->hooks.before(ev, c->hooks.ctx);
	if (!ret && ev->kind >= PCR_EV_FIRST_MARKER)
		ret = pcr_tasks_feed(c->tasks, ev);
	if (!ret)
		ret = pcr_engine_feed(c->engine, ev);
	if (!ret && c->hooks.after)
		ret = c->hooks.after(ev, c->hooks.ctx);
	return ret;
}

static int hold(struct pcr_checker *c, const struct pcr_event *ev)
{
	struct held_event *h;

	if (c->nr_held == c->cap_held) {
		size_t cap = c->cap_held ? c->cap_held * 2 : 1024;

		h = realloc(c->held, cap * sizeof(*h));
		if (!h)
			return -PCR_ERR_NOMEM;
		c->held = h;
		c->cap_held = cap;
	}
	h = &c->held[c->nr_held++];
	h->ev = *ev;
	h->has_comm = ev->comm != NULL;
	/* The reader's name is valid only during the call. */
	snprintf(h->comm, sizeof(h->comm), "%s", ev->comm ? ev->comm : "");
	return 0;
}

/*
 * The boot phase is known: give it to the engine (--running-from wins over the markers), then
 * replay the events held back meanwhile.
 */
static int settle_boot(struct pcr_checker *c)
{
	size_t i;
	int ret = 0;

	pcr_boot_finish(c->boot, &c->res.phase);
	pcr_boot_free(c->boot);
	c->boot = NULL;
	c->res.boot_decided = true;
	/*
	 * A boot recording without a boundary has PCR_TS_NEVER: all its frees are gated, none is
	 * judged as after boot (deferred page init and free_initmem would all be double frees).
	 */
	pcr_engine_set_boot(c->engine, c->opts.running_from_set ? c->opts.engine.running_from_ns :
				       c->res.phase.running_from_ns, c->res.phase.from_boot);
	for (i = 0; i < c->nr_held && !ret; i++) {
		struct pcr_event ev = c->held[i].ev;

		ev.comm = c->held[i].has_comm ? c->held[i].comm : NULL;
		ret = feed_one(c, &ev);
	}
	free(c->held);
	c->held = NULL;
	c->nr_held = c->cap_held = 0;
	return ret;
}

int pcr_checker_feed(struct pcr_checker *c, const struct pcr_event *ev)
{
	int ret;

	if (!c->boot)
		return feed_one(c, ev);
	ret = hold(c, ev);
	if (!ret)
		ret = pcr_boot_feed(c->boot, ev);
	if (ret < 0)
		return ret;
	return ret ? settle_boot(c) : 0;
}

void pcr_checker_prefetch(struct pcr_checker *c, const struct pcr_event *ev, bool near)
{
	pcr_engine_prefetch(c->engine, ev, near);
}

int pcr_checker_end_events(struct pcr_checker *c)
{
	return c->boot ? settle_boot(c) : 0;
}

bool pcr_checker_unplaced(const struct pcr_checker *c)
{
	return !c->opts.running_from_set && c->res.boot_decided &&
	       pcr_boot_unplaced(&c->res.phase);
}

enum pcr_verdict pcr_checker_finish(struct pcr_checker *c, uint64_t damaged)
{
	const struct pcr_stats *st = &c->res.stats;
	struct pcr_judge_input in;
	int kind;

	if (c->opts.validate)
		pcr_engine_validate(c->engine);
	pcr_engine_stats(c->engine, &c->res.stats);
	c->res.damaged = damaged;
	in = (struct pcr_judge_input){
		.stats = st,
		.undecided = c->res.nr_undecided,
		.unplaced = pcr_checker_unplaced(c),
		/* Records unread, or one kind of page event missing while the other is there. */
		.damaged = damaged || !st->events[PCR_EV_ALLOC] != !st->events[PCR_EV_FREE],
		.unchecked = c->opts.engine.pfn_range && !st->alloc_count && !st->free_count,
		.validate_fails = c->opts.fail_on & (1u << PCR_VIOL_INVARIANT),
		.allow_lost = c->opts.allow_lost,
		.allow_damaged = c->opts.allow_damaged,
		.allow_undecidable = c->opts.allow_undecidable,
	};
	for (kind = 0; kind < PCR_VIOL_NR; kind++)
		if (c->opts.fail_on & (1u << kind))
			in.failing += c->res.unsuppressed[kind];
	pcr_judge(&in, &c->res.judgement);
	return c->res.judgement.verdict;
}

const struct pcr_checker_result *pcr_checker_result(const struct pcr_checker *c)
{
	return &c->res;
}

struct pcr_sigtable *pcr_checker_group(const struct pcr_checker *c, int group)
{
	return c->groups[group];
}

struct pcr_engine *pcr_checker_engine(const struct pcr_checker *c)
{
	return c->engine;
}

struct pcr_depot *pcr_checker_depot(const struct pcr_checker *c)
{
	return c->depot;
}
