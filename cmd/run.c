// SPDX-License-Identifier: GPL-2.0
/*
 * A finished run as one record, its summary in text, and the text of a diff of two runs.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

void pcr_run_counter(void *payload, const char *name, const char *value)
{
	struct pcr_run *run = payload;
	struct pcr_counter *c;

	c = realloc(run->counters, (run->nr_counters + 1) * sizeof(*c));
	if (!c) {
		run->nomem = true;
		return;
	}
	run->counters = c;
	c = &c[run->nr_counters];
	c->name = strdup(name);
	c->value = strdup(value);
	if (!c->name || !c->value) {
		free(c->name);
		free(c->value);
		run->nomem = true;
		return;
	}
	run->nr_counters++;
}

void pcr_run_counterf(struct pcr_run *run, const char *name, const char *fmt, ...)
{
	char *value;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&value, fmt, ap);
	va_end(ap);
	if (len < 0) {
		run->nomem = true;
		return;
	}
	pcr_run_counter(run, name, value);
	free(value);
}

void pcr_run_add_sig(struct pcr_run *run, int group, int kind, const char *signature,
		     uint64_t count)
{
	struct pcr_sigrow *row;
	size_t i;

	for (i = 0; i < run->nr_sigs; i++) {
		row = &run->sigs[i];
		if (row->group == group && row->kind == kind &&
		    !strcmp(row->signature, signature)) {
			row->count += count;
			return;
		}
	}
	row = realloc(run->sigs, (run->nr_sigs + 1) * sizeof(*row));
	if (!row) {
		run->nomem = true;
		return;
	}
	run->sigs = row;
	row = &row[run->nr_sigs];
	*row = (struct pcr_sigrow){ .signature = strdup(signature), .count = count, .kind = kind,
				    .group = group };
	if (!row->signature)
		run->nomem = true;
	else
		run->nr_sigs++;
}

int pcr_run_add_violation(struct pcr_run *run, const struct pcr_checked *c,
			  const struct pcr_injection *inj)
{
	struct pcr_out_violation *o;

	if (run->nr_viols == run->cap_viols) {
		size_t cap = run->cap_viols ? run->cap_viols * 2 : 256;

		o = realloc(run->viols, cap * sizeof(*o));
		if (!o)
			return -PCR_ERR_NOMEM;
		run->viols = o;
		run->cap_viols = cap;
	}
	o = &run->viols[run->nr_viols];
	memset(o, 0, sizeof(*o));
	o->v = *c->v;
	o->ev = *c->v->event;
	o->v.event = &o->ev;
	/* The reader's task name is valid only during the call. */
	snprintf(o->comm, sizeof(o->comm), "%s", o->ev.comm ? o->ev.comm : "<...>");
	o->ev.comm = NULL;
	o->signature = strdup(c->signature);
	if (!o->signature)
		return -PCR_ERR_NOMEM;
	o->suppressed_line = c->supp ? c->supp->line : 0;
	o->cls = *c->cls;
	o->injected = inj != NULL;
	if (inj)
		o->inj = *inj;
	run->nr_viols++;
	return 0;
}

const char *pcr_run_counter_value(const struct pcr_run *run, const char *name)
{
	size_t i;

	for (i = 0; i < run->nr_counters; i++)
		if (!strcmp(run->counters[i].name, name))
			return run->counters[i].value;
	return NULL;
}

const char *pcr_run_group_name(int group)
{
	static const char *const names[PCR_GROUP_NR] = {
		[PCR_GROUP_VIOLATION] = "signature",
		[PCR_GROUP_SUPPRESSED] = "suppressed",
		[PCR_GROUP_UNDECIDABLE] = "undecidable",
		[PCR_GROUP_EXPLAINED] = "explained",
		[PCR_GROUP_EXPLAINED_STACKS] = "explained",
	};

	return group >= 0 && group < PCR_GROUP_NR ? names[group] : "?";
}

int pcr_run_print_summary(FILE *f, const struct pcr_run *run)
{
	size_t i;

	for (i = 0; i <= run->nr_counters; i++) {
		if (i == run->sigs_at) {
			size_t j;

			/* The explained rows by path: their stack signatures are JSON's. */
			for (j = 0; j < run->nr_sigs; j++)
				if (run->sigs[j].group != PCR_GROUP_EXPLAINED_STACKS)
					fprintf(f, "%s: %s %" PRIu64 " %s\n",
						pcr_run_group_name(run->sigs[j].group),
						pcr_violation_name(run->sigs[j].kind),
						run->sigs[j].count, run->sigs[j].signature);
		}
		if (i < run->nr_counters)
			fprintf(f, "%s: %s\n", run->counters[i].name, run->counters[i].value);
	}
	return ferror(f) ? -PCR_ERR_IO : 0;
}

char *pcr_run_summary_text(const struct pcr_run *run)
{
	size_t len = 0;
	char *text = NULL;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	pcr_run_print_summary(f, run);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

const char *pcr_sig_change_name(enum pcr_sig_change change)
{
	static const char *const names[] = {
		[PCR_SIG_NEW] = "new", [PCR_SIG_GONE] = "gone", [PCR_SIG_CHANGED] = "changed",
		[PCR_SIG_SAME] = "same",
	};

	return change <= PCR_SIG_SAME ? names[change] : "?";
}

/* A counter's change when both sides are numbers, else "". */
static void counter_change(char *buf, size_t size, const char *a, const char *b)
{
	char *end_a, *end_b;
	long long x, y;

	buf[0] = '\0';
	if (!a || !b)
		return;
	errno = 0;
	x = strtoll(a, &end_a, 10);
	y = strtoll(b, &end_b, 10);
	if (errno || end_a == a || end_b == b || *end_a || *end_b)
		return;
	snprintf(buf, size, "%+lld", y - x);
}

int pcr_diff_print_text(FILE *f, const struct pcr_diff *d)
{
	const struct pcr_run *old = d->old, *new = d->new;
	size_t i;

	fprintf(f, "old: %s (%s%s%s)\n", d->old_path, pcr_verdict_name(old->verdict),
		old->reason ? ": " : "", old->reason ? old->reason : "");
	fprintf(f, "new: %s (%s%s%s)\n", d->new_path, pcr_verdict_name(new->verdict),
		new->reason ? ": " : "", new->reason ? new->reason : "");
	for (i = 0; i < d->nr_sigs; i++)
		fprintf(f, "signature_%s: %s %" PRIu64 " -> %" PRIu64 " %s\n",
			pcr_sig_change_name(d->sigs[i].change), pcr_violation_name(d->sigs[i].kind),
			d->sigs[i].old_count, d->sigs[i].new_count, d->sigs[i].signature);
	for (i = 0; i < new->nr_counters; i++) {
		const char *before = pcr_run_counter_value(old, new->counters[i].name);
		char change[32];

		counter_change(change, sizeof(change), before, new->counters[i].value);
		fprintf(f, "counter: %s %s -> %s%s%s\n", new->counters[i].name,
			before ? before : "-", new->counters[i].value, change[0] ? " " : "",
			change);
	}
	for (i = 0; i < old->nr_counters; i++)
		if (!pcr_run_counter_value(new, old->counters[i].name))
			fprintf(f, "counter: %s %s -> -\n", old->counters[i].name,
				old->counters[i].value);
	fprintf(f, "new_signatures: %" PRIu64 "\n", d->new_sigs);
	if (new->reason)
		fprintf(f, "verdict: inconclusive: NEW is inconclusive (%s)\n", new->reason);
	else
		fprintf(f, "verdict: %s%s%s%s\n",
			d->new_sigs ? "new violations" : "no new violations",
			old->reason ? " (OLD is inconclusive: " : "",
			old->reason ? old->reason : "", old->reason ? ")" : "");
	return ferror(f) ? -PCR_ERR_IO : 0;
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
	for (i = 0; i < run->nr_viols; i++)
		free(run->viols[i].signature);
	free(run->viols);
	free(run->sigs);
	free(run->counters);
	free(run->reason);
	memset(run, 0, sizeof(*run));
}
