// SPDX-License-Identifier: GPL-2.0
/*
 * pagecheck-replay inject-campaign FILE --faults=N --seed=S: N random faults of each kind, one
 * replay each, into a real recording; how many the dual bitmap catches, how soon, and which it
 * cannot see. The recording is read once; every replay runs from memory.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "inject.h"
#include "session.h"

static const char campaign_usage[] =
	"Usage: pagecheck-replay inject-campaign [OPTIONS] FILE\n"
	"\n"
	"Inject N random faults of each kind (double-alloc, double-free, flip-primary,\n"
	"flip-secondary) into replays of a real recording, one fault a replay, and report the\n"
	"detection rate and latency per kind, and the faults the dual bitmap cannot see.\n"
	"A fault hits a page the recording touches, before a random event.\n"
	"\n"
	"Options:\n"
	"  --faults=N              faults of each kind (default 100)\n"
	"  --seed=S                seed of the random choices (default 1): the same seed gives\n"
	"                          the same faults and the same table\n"
	"  --model=window|kernel   as for a replay\n"
	"  --running-from=SECONDS  as for a replay\n"
	"  --buffer=NAME           as for a replay\n"
	"  -h, --help              show this help\n"
	"\n"
	"Exit status: 0 done, 2 usage or input error.\n";

enum {
	OPT_FAULTS = 256,
	OPT_SEED,
	OPT_BUFFER,
};

static const struct option campaign_options[] = {
	{ "faults", required_argument, NULL, OPT_FAULTS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "model", required_argument, NULL, PCR_OPT_MODEL },
	{ "running-from", required_argument, NULL, PCR_OPT_RUNNING_FROM },
	{ "buffer", required_argument, NULL, OPT_BUFFER },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The page events of the recording, in order. */
struct event_store {
	struct pcr_event *ev;
	size_t nr;
	size_t cap;
};

static int store_event(const struct pcr_event *ev, void *payload)
{
	struct event_store *st = payload;

	if (ev->kind != PCR_EV_ALLOC && ev->kind != PCR_EV_FREE && ev->kind != PCR_EV_FREE_BATCHED)
		return 0;
	if (st->nr == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 65536;
		struct pcr_event *bigger = realloc(st->ev, cap * sizeof(*bigger));

		if (!bigger)
			return -PCR_ERR_NOMEM;
		st->ev = bigger;
		st->cap = cap;
	}
	st->ev[st->nr] = *ev;
	st->ev[st->nr].comm = NULL;
	st->ev[st->nr].stack_id = 0;
	st->nr++;
	return 0;
}

/* What one replay with one fault found. */
struct trial {
	const uint8_t *baseline;	/* per event, a bit per violation kind, without the fault */
	const struct pcr_event *events;
	uint64_t target;
	size_t at;			/* the fault goes in before this event */
	size_t current;			/* the event being replayed */
	size_t found_at;
	bool injecting;
	bool found;
};

static bool covers(const struct pcr_event *ev, uint64_t pfn)
{
	uint64_t pages = ev->kind == PCR_EV_FREE_BATCHED ? 1 : 1ull << ev->order;

	return ev->pfn != PCR_PFN_NONE && pfn >= ev->pfn && pfn - ev->pfn < pages;
}

static int on_trial_violation(const struct pcr_violation *v, void *payload)
{
	struct trial *t = payload;

	if (t->found)
		return 0;
	if (t->injecting) {
		/* The injected event itself violates: caught at once. */
		t->found = true;
		t->found_at = t->at;
		return 0;
	}
	/* A violation the recording has anyway is not the fault's. */
	if (t->current < t->at || !covers(v->event, t->target) ||
	    (t->baseline[t->current] & (1u << v->kind)))
		return 0;
	t->found = true;
	t->found_at = t->current;
	return 0;
}

static int on_baseline_violation(const struct pcr_violation *v, void *payload)
{
	struct trial *t = payload;

	((uint8_t *)t->baseline)[t->current] |= (uint8_t)(1u << v->kind);
	return 0;
}

/*
 * Replays every event with at most one fault; returns the validate scan's count in *words.
 * The fault goes in through pcr_inject_due(), the code --inject uses.
 */
static int replay(const struct pcr_options *opts, const struct event_store *st,
		  struct pcr_injection *inj, struct trial *t, pcr_violation_fn fn, uint64_t *words)
{
	struct pcr_engine *engine;
	size_t i;
	int ret;

	ret = pcr_engine_new(&engine, opts);
	if (ret)
		return ret;
	pcr_engine_set_violation_fn(engine, fn, t);
	for (i = 0; i < st->nr && !ret; i++) {
		t->current = i;
		if (inj && i == t->at) {
			t->injecting = true;
			ret = pcr_inject_due(inj, 1, UINT64_MAX, engine, NULL);
			t->injecting = false;
		}
		if (!ret)
			ret = pcr_engine_feed(engine, &st->ev[i]);
	}
	*words = pcr_engine_validate(engine);
	pcr_engine_free(engine);
	return ret;
}

/* xorshift64*: small, fast, and the same sequence on every machine for a seed. */
static uint64_t next_random(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dull;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct kind_result {
	uint64_t *latency_events;
	uint64_t *latency_ns;
	uint64_t detected;
	uint64_t at_once;
	uint64_t validate_only;
	uint64_t missed_untouched;	/* no later event touches the page */
	uint64_t missed_touched;
};

static uint64_t median(uint64_t *v, uint64_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), u64_cmp);
	return v[(n - 1) / 2];
}

static int run_campaign(const char *path, const struct pcr_options *opts,
			const struct event_store *st, uint64_t faults, uint64_t seed)
{
	struct kind_result res[PCR_FAULT_NR] = { 0 };
	uint8_t *baseline = calloc(st->nr ? st->nr : 1, 1);
	struct trial t = { .baseline = baseline, .events = st->ev };
	uint64_t base_words = 0, state, i;
	int fault, ret = 0;

	if (!baseline)
		return -PCR_ERR_NOMEM;
	ret = replay(opts, st, NULL, &t, on_baseline_violation, &base_words);
	for (fault = 0; fault < PCR_FAULT_NR && !ret; fault++) {
		struct kind_result *r = &res[fault];

		r->latency_events = calloc(faults ? faults : 1, sizeof(uint64_t));
		r->latency_ns = calloc(faults ? faults : 1, sizeof(uint64_t));
		if (!r->latency_events || !r->latency_ns) {
			ret = -PCR_ERR_NOMEM;
			break;
		}
		/* Each kind has its own sequence: adding faults of one kind changes no other. */
		state = (seed + 1) * 0x9e3779b97f4a7c15ull + (uint64_t)fault + 1;
		for (i = 0; i < faults && !ret; i++) {
			size_t at = (size_t)(next_random(&state) % st->nr);
			size_t src = (size_t)(next_random(&state) % st->nr);
			uint64_t span = st->ev[src].kind == PCR_EV_FREE_BATCHED ? 1 :
					1ull << st->ev[src].order;
			struct pcr_injection inj = {
				.pfn = st->ev[src].pfn + next_random(&state) % span,
				.ts_ns = st->ev[at].ts_ns,
				.fault = fault,
			};
			uint64_t words = 0;
			size_t k;

			t = (struct trial){ .baseline = baseline, .events = st->ev, .at = at,
					    .target = inj.pfn };
			ret = replay(opts, st, &inj, &t, on_trial_violation, &words);
			if (t.found) {
				r->latency_events[r->detected] = t.found_at - at;
				r->latency_ns[r->detected] = st->ev[t.found_at].ts_ns - inj.ts_ns;
				r->detected++;
				r->at_once += t.found_at == at;
				continue;
			}
			if (words > base_words) {
				r->validate_only++;
				continue;
			}
			for (k = at; k < st->nr && !covers(&st->ev[k], inj.pfn); k++)
				;
			if (k == st->nr)
				r->missed_untouched++;
			else
				r->missed_touched++;
		}
	}
	if (!ret) {
		printf("recording: %s\n", path);
		printf("events: %zu page events (alloc, free, free_batched)\n", st->nr);
		printf("faults: %" PRIu64 " of each kind, seed %" PRIu64 ", model %s\n", faults, seed,
		       opts->model == PCR_MODEL_KERNEL ? "kernel" : "window");
		printf("\n%-15s %8s %8s %7s %8s %9s %14s %16s %20s %16s\n", "fault", "injected",
		       "detected", "rate", "at_once", "validate", "missed_unseen",
		       "missed_touched", "latency_events", "latency_ns");
		printf("%-15s %8s %8s %7s %8s %9s %14s %16s %20s %16s\n", "", "", "", "", "",
		       "_only", "", "", "median/max", "median/max");
		for (fault = 0; fault < PCR_FAULT_NR; fault++) {
			struct kind_result *r = &res[fault];
			uint64_t max_ev = 0, max_ns = 0, j;
			char rate[16], lat_ev[48], lat_ns[48];

			for (j = 0; j < r->detected; j++) {
				if (r->latency_events[j] > max_ev)
					max_ev = r->latency_events[j];
				if (r->latency_ns[j] > max_ns)
					max_ns = r->latency_ns[j];
			}
			snprintf(rate, sizeof(rate), "%.1f%%",
				 faults ? 100.0 * (double)r->detected / (double)faults : 0.0);
			snprintf(lat_ev, sizeof(lat_ev), "%" PRIu64 "/%" PRIu64,
				 median(r->latency_events, r->detected), max_ev);
			snprintf(lat_ns, sizeof(lat_ns), "%" PRIu64 "/%" PRIu64,
				 median(r->latency_ns, r->detected), max_ns);
			printf("%-15s %8" PRIu64 " %8" PRIu64 " %7s %8" PRIu64 " %9" PRIu64
			       " %14" PRIu64 " %16" PRIu64 " %20s %16s\n",
			       pcr_fault_name(fault), faults, r->detected, rate, r->at_once,
			       r->validate_only, r->missed_untouched, r->missed_touched, lat_ev,
			       lat_ns);
		}
		printf("\ndetected: a violation on the page at or after the fault that the recording\n"
		       "does not have without it; validate_only: seen only by the RFC's validate scan\n"
		       "at the end; missed_unseen: no later event touches the page, so only validate\n"
		       "could see it; missed_touched: later events touch the page and none violates.\n");
	}
	for (fault = 0; fault < PCR_FAULT_NR; fault++) {
		free(res[fault].latency_events);
		free(res[fault].latency_ns);
	}
	free(baseline);
	return ret;
}

int cmd_inject_campaign(int argc, char **argv)
{
	struct pcr_session_opts opts = PCR_SESSION_OPTS_INIT;
	char errmsg[PCR_ERRMSG_LEN] = "";
	struct pcr_source_options source = { 0 };
	struct event_store st = { 0 };
	struct pcr_source *src = NULL;
	uint64_t faults = 100, seed = 1;
	char *end;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", campaign_options, NULL)) != -1) {
		switch (c) {
		case OPT_FAULTS:
		case OPT_SEED:
			errno = 0;
			if (c == OPT_FAULTS)
				faults = strtoull(optarg, &end, 10);
			else
				seed = strtoull(optarg, &end, 10);
			if (!*optarg || *end || *optarg == '-' || errno)
				return pcr_usage_error("inject-campaign ", "%s takes a number, not '%s'",
						       c == OPT_FAULTS ? "--faults" : "--seed",
						       optarg);
			break;
		case OPT_BUFFER:
			source.buffer = optarg;
			break;
		case 'h':
			fputs(campaign_usage, stdout);
			return PCR_EXIT_CLEAN;
		default:
			if (pcr_session_option(&opts, c, optarg) == 0)
				break;
			return pcr_usage_error("inject-campaign ", "%s",
					       "unknown option or missing value");
		}
	}
	if (argc - optind != 1)
		return pcr_usage_error("inject-campaign ", "%s", "one recording, please");
	ret = pcr_source_open(&src, argv[optind], &source, errmsg);
	if (!ret)
		ret = pcr_source_replay(src, store_event, &st, errmsg);
	pcr_source_close(src);
	if (!ret && !st.nr)
		ret = pcr_errmsg(errmsg, -PCR_ERR_NO_EVENTS, "%s: no page events to inject into",
				 argv[optind]);
	if (!ret)
		ret = run_campaign(argv[optind], &opts.engine, &st, faults, seed);
	free(st.ev);
	if (ret)
		return pcr_session_fail(NULL, ret, errmsg, argv[optind]);
	return fflush(stdout) ? PCR_EXIT_ERROR : PCR_EXIT_CLEAN;
}
